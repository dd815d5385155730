// The generation options of `kaskade-cli generate`, driven in-process: every option lands in its field, bad
// values fail with one error naming the option, --params / --from-image load files and options override them.
#include "app/core/image_metadata.h"
#include "app/core/params_cli.h"
#include "pipeline/errors.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace kaskade;
using namespace kaskade::core;

namespace {

QStringList split(const QString& line)
{
    return line.split(u' ', Qt::SkipEmptyParts);
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

// Runs the parser and returns the error it threw (code, message); fails the test when none was thrown.
std::pair<ErrorCode, QString> errorOf(const QStringList& args)
{
    try {
        parseGenerationOptions(args);
    } catch (const Error& e) {
        return {e.code(), QString::fromStdString(e.what())};
    }
    return {ErrorCode::Internal, QStringLiteral("<no error>")};
}

QImage smallImage()
{
    QImage image(16, 16, QImage::Format_RGB888);
    image.fill(Qt::darkCyan);
    return image;
}

} // namespace

class TestParamsCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults()
    {
        const GenerationOptions options = parseGenerationOptions({});
        const GenerationParams defaults;
        QCOMPARE(QJsonDocument(paramsToJson(options.params)).toJson(), QJsonDocument(paramsToJson(defaults)).toJson());
        QVERIFY(options.unconsumed.isEmpty());
        QVERIFY(options.sourceFile.isEmpty());
    }

    void everyOption()
    {
        const QStringList args = {"--prompt",      "a cat, (hat:1.2)",
                                  "--negative",    "dog",
                                  "--width",       "1536",
                                  "--height",      "768",
                                  "--batch",       "3",
                                  "--seed",        "18446744073709551615",
                                  "--steps-c",     "30",
                                  "--cfg-c",       "5.5",
                                  "--shift-c",     "2.5",
                                  "--steps-b",     "12",
                                  "--cfg-b",       "0",
                                  "--shift-b",     "1.5",
                                  "--sampler",     "DDIM",
                                  "--device",      "cuda:1",
                                  "--dtype",       "bf16",
                                  "--residency",   "sequential",
                                  "--rho",         "0",
                                  "--no-emphasis", "--truncate"};
        const GenerationOptions options = parseGenerationOptions(args);
        const GenerationParams& p = options.params;
        QCOMPARE(p.prompt, std::string("a cat, (hat:1.2)"));
        QCOMPARE(p.negativePrompt, std::string("dog"));
        QCOMPARE(p.width, 1536);
        QCOMPARE(p.height, 768);
        QCOMPARE(p.batch, 3);
        QCOMPARE(*p.seed, std::uint64_t(18446744073709551615ull));
        QCOMPARE(p.stageC.steps, 30);
        QCOMPARE(p.stageC.cfg, 5.5);
        QCOMPARE(p.stageC.shift, 2.5);
        QCOMPARE(p.stageB.steps, 12);
        QCOMPARE(p.stageB.cfg, 0.0);
        QCOMPARE(p.stageB.shift, 1.5);
        QCOMPARE(p.sampler, SamplerKind::Ddim);
        QVERIFY(options.model.device == (DeviceChoice{DeviceKind::Cuda, 1}));
        QCOMPARE(options.model.precision, Precision::Bf16);
        QCOMPARE(options.model.residency, Residency::OneStageAtATime);
        QCOMPARE(p.cfgRho, 0.0);
        QVERIFY(!p.promptOptions.emphasis);
        QVERIFY(!p.promptOptions.chunkLongPrompts);
    }

    void equalsFormAndPassThrough()
    {
        const GenerationOptions options = parseGenerationOptions(
            {"--model", "/m", "--width=640", "--prompt=a=b", "--out", "img-{seed}.png", "extra", "--steps-b=3"});
        QCOMPARE(options.params.width, 640);
        QCOMPARE(options.params.prompt, std::string("a=b"));
        QCOMPARE(options.params.stageB.steps, 3);
        QCOMPARE(options.unconsumed, (QStringList{"--model", "/m", "--out", "img-{seed}.png", "extra"}));
        // An empty prompt and a negative number as a value are values, not options.
        QCOMPARE(parseGenerationOptions({"--prompt", ""}).params.prompt, std::string());
        QVERIFY(!parseGenerationOptions({"--seed", "-1"}).params.seed);
        QVERIFY(!parseGenerationOptions({"--seed", "random"}).params.seed);
        QCOMPARE(*parseGenerationOptions({"--seed", "0"}).params.seed, std::uint64_t(0));
    }

    void badOptions_data()
    {
        QTest::addColumn<QString>("args");
        QTest::addColumn<QString>("message"); // must appear in the one error line
        QTest::newRow("width 0") << "--width 0"
                                 << "--width 0: width must be between 64 and 4096";
        QTest::newRow("width text") << "--width wide"
                                    << "--width wide: expected a whole number";
        QTest::newRow("width fraction") << "--width 512.5"
                                        << "--width 512.5: expected a whole number";
        QTest::newRow("height huge") << "--height 100000"
                                     << "--height 100000: height must be";
        QTest::newRow("steps -1") << "--steps-c -1"
                                  << "--steps-c -1: Stage C steps must be between 1 and 200 (got -1)";
        QTest::newRow("stage b steps 0") << "--steps-b 0"
                                         << "--steps-b 0: Stage B steps";
        QTest::newRow("cfg nan") << "--cfg-c nan"
                                 << "--cfg-c nan: expected a number";
        QTest::newRow("cfg inf") << "--cfg-b inf"
                                 << "--cfg-b inf: expected a number";
        QTest::newRow("shift 0") << "--shift-c 0"
                                 << "--shift-c 0: Stage C shift must be between 0.1 and 20 (got 0)";
        QTest::newRow("batch 0") << "--batch 0"
                                 << "--batch 0: batch size must be between 1 and 64";
        QTest::newRow("seed -5") << "--seed -5"
                                 << "--seed -5: expected a whole number";
        QTest::newRow("seed too big") << "--seed 18446744073709551616"
                                      << "--seed 18446744073709551616: expected";
        QTest::newRow("unknown sampler") << "--sampler euler"
                                         << "--sampler euler: expected ddpm, ddim, lcm or dpmpp_2m";
        QTest::newRow("rho") << "--rho 1.5"
                             << "--rho 1.5: cfg rescale (rho) must be between 0 and 1";
        QTest::newRow("device") << "--device gpu"
                                << "--device gpu: expected auto, cpu, cuda or cuda:N";
        QTest::newRow("dtype") << "--dtype int8"
                               << "--dtype int8: expected auto, fp32, bf16 or fp16";
        QTest::newRow("residency") << "--residency never"
                                   << "--residency never: expected auto, all or sequential";
        QTest::newRow("control") << "--control depth"
                                 << "--control depth: expected canny, inpaint or sr";
        QTest::newRow("missing value") << "--prompt x --width"
                                       << "--width: needs a value (N)";
        QTest::newRow("option as value") << "--width --height 512"
                                         << "--width: needs a value (N)";
        QTest::newRow("flag with value") << "--no-emphasis=1"
                                         << "--no-emphasis: takes no value";
        QTest::newRow("twice") << "--width 512 --width 640"
                               << "--width: given more than once";
        QTest::newRow("both files") << "--params a.json --from-image b.png"
                                    << "--params and --from-image: give only one of them";
        QTest::newRow("file without name") << "--params"
                                           << "--params: needs a value (FILE)";
    }
    void badOptions()
    {
        QFETCH(QString, args);
        QFETCH(QString, message);
        const auto [code, what] = errorOf(split(args));
        QCOMPARE(code, ErrorCode::InvalidArgument);
        QVERIFY2(what.contains(message), qPrintable(what));
        QVERIFY2(!what.contains(u'\n'), "one line");
    }

    void paramsFile()
    {
        QTemporaryDir dir;
        GenerationParams saved;
        saved.prompt = "from file: ü 日本";
        saved.width = 768;
        saved.seed = 77;
        saved.stageC.steps = 8;
        saved.sampler = SamplerKind::Lcm;
        saved.batch = 2;
        saved.batchPrompts = {"one", "two"};
        const QString path = dir.filePath("p.json");
        writeFile(path, QJsonDocument(paramsToJson(saved)).toJson());

        const GenerationOptions options = parseGenerationOptions({"--params", path, "--steps-c", "5", "--width=1024"});
        QCOMPARE(options.sourceFile, path);
        QCOMPARE(options.params.prompt, saved.prompt);
        QCOMPARE(options.params.batchPrompts, saved.batchPrompts);
        QCOMPARE(*options.params.seed, std::uint64_t(77));
        QCOMPARE(options.params.sampler, SamplerKind::Lcm);
        QCOMPARE(options.params.stageC.steps, 5); // options override the file
        QCOMPARE(options.params.width, 1024);
        // --prompt replaces the file's per-image prompts; a batch that no longer matches them is reported.
        QVERIFY(parseGenerationOptions({"--params", path, "--prompt", "x"}).params.batchPrompts.empty());
        const auto [code, what] = errorOf({"--params", path, "--batch", "3"});
        QCOMPARE(code, ErrorCode::InvalidArgument);
        QVERIFY2(what.contains(QLatin1String("2 prompts for a batch of 3")) && what.contains(path), qPrintable(what));

        // A whole "kaskade" image record works too.
        ImageRecord record;
        record.params = saved;
        record.seed = 77;
        const QString recordPath = dir.filePath("record.json");
        writeFile(recordPath, QJsonDocument(recordToJson(record)).toJson());
        QCOMPARE(loadParamsFile(recordPath).prompt, saved.prompt);
    }

    void paramsFileErrors_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("malformed") << QByteArray("{\"width\": 512,") << int(ErrorCode::BadFormat) << "not valid JSON";
        QTest::newRow("array") << QByteArray("[1]") << int(ErrorCode::BadFormat) << "expected a JSON object";
        QTest::newRow("wrong type") << QByteArray("{\"steps\": 1, \"stage_c\": {\"steps\": \"many\"}}")
                                    << int(ErrorCode::InvalidArgument) << "\"stage_c.steps\" must be a whole number";
        QTest::newRow("out of range") << QByteArray("{\"height\": 56}") << int(ErrorCode::InvalidArgument)
                                      << "height must be between 64 and 4096";
    }
    void paramsFileErrors()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, code);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.json");
        writeFile(path, content);
        const auto [errorCode, what] = errorOf({"--params", path});
        QCOMPARE(int(errorCode), code);
        QVERIFY2(what.contains(path) && what.contains(message), qPrintable(what));

        const QString missing = dir.filePath("missing.json");
        const auto [missingCode, missingWhat] = errorOf({"--params", missing});
        QCOMPARE(missingCode, ErrorCode::FileNotFound);
        QVERIFY2(missingWhat.contains(missing), qPrintable(missingWhat));
    }

    void fromImage()
    {
        QTemporaryDir dir;
        ImageRecord record;
        record.params.prompt = "saved prompt\nwith two lines, and: colons";
        record.params.negativePrompt = "blurry";
        record.params.height = 1536;
        record.params.stageB = {4, 1.0, 1.0};
        record.device = QStringLiteral("cuda:3");
        record.precision = QStringLiteral("bf16");
        record.params.seed = 1234;
        record.seed = 1234;
        const QString path = dir.filePath("made.png");
        saveImage(path, smallImage(), record);

        const GenerationOptions options = parseGenerationOptions({"--from-image", path});
        const GenerationParams& p = options.params;
        QCOMPARE(p.prompt, record.params.prompt);
        QCOMPARE(p.negativePrompt, record.params.negativePrompt);
        QCOMPARE(p.height, 1536);
        QCOMPARE(p.stageB.steps, 4);
        QCOMPARE(*p.seed, std::uint64_t(1234));
        QCOMPARE(options.model.precision, Precision::Bf16); // changes the pixels: kept
        QVERIFY(options.model.device == DeviceChoice{});    // the machine that made it is not this one
        QCOMPARE(options.model.residency, Residency::Auto);
        QVERIFY(!parseGenerationOptions({"--from-image", path, "--seed", "random"}).params.seed);
        QCOMPARE(*parseGenerationOptions({"--seed", "5", "--from-image", path}).params.seed, std::uint64_t(5));
    }

    void fromOtherAppsImage()
    {
        QTemporaryDir dir;
        QImage image = smallImage();
        // An A1111 image whose settings Kaskade rejects: the error names the file; an option can fix it.
        image.setText("parameters", QStringLiteral("a cat\nSteps: 5000, Sampler: Euler a, CFG scale: 7, Seed: 9, "
                                                   "Size: 512x512"));
        const QString path = dir.filePath("a1111.png");
        QVERIFY(image.save(path));
        const auto [code, what] = errorOf({"--from-image", path});
        QCOMPARE(code, ErrorCode::InvalidArgument);
        QVERIFY2(what.contains(QLatin1String("Stage C steps")) && what.contains(path), qPrintable(what));
        const GenerationParams p = parseGenerationOptions({"--from-image", path, "--steps-c", "20"}).params;
        QCOMPARE(p.prompt, std::string("a cat"));
        QCOMPARE(p.stageC.cfg, 7.0);
        QCOMPARE(p.width, 512);
        QCOMPARE(*p.seed, std::uint64_t(9));
    }

    void fromImageErrors()
    {
        QTemporaryDir dir;
        const QString plain = dir.filePath("plain.png");
        QVERIFY(smallImage().save(plain));
        const auto [code, what] = errorOf({"--from-image", plain});
        QCOMPARE(code, ErrorCode::BadFormat);
        QVERIFY2(what.contains(plain) && what.contains(QLatin1String("no generation parameters")), qPrintable(what));

        const QString missing = dir.filePath("gone.png");
        const auto [missingCode, missingWhat] = errorOf({"--from-image", missing});
        QCOMPARE(missingCode, ErrorCode::FileNotFound);
        QVERIFY2(missingWhat.contains(missing), qPrintable(missingWhat));
    }

    void helpListsEveryOption()
    {
        const QString help = generationOptionsHelp();
        for (const char* option : {"--prompt",
                                   "--negative",
                                   "--width",
                                   "--height",
                                   "--batch",
                                   "--seed",
                                   "--steps-c",
                                   "--cfg-c",
                                   "--shift-c",
                                   "--steps-b",
                                   "--cfg-b",
                                   "--shift-b",
                                   "--sampler",
                                   "--device",
                                   "--dtype",
                                   "--residency",
                                   "--rho",
                                   "--no-emphasis",
                                   "--truncate",
                                   "--params",
                                   "--from-image",
                                   "--compression",
                                   "--init-image",
                                   "--strength",
                                   "--image-prompt",
                                   "--control",
                                   "--control-image",
                                   "--mask",
                                   "--control-strength",
                                   "--outpaint",
                                   "--reconstruct",
                                   "--keep-image-size"}) {
            QVERIFY2(help.contains(QLatin1String(option) + u' '), option);
        }
        QCOMPARE(help.count(u'\n'), 32);
    }
};

QTEST_GUILESS_MAIN(TestParamsCli)
#include "test_params_cli.moc"
