// Image metadata: GenerationParams JSON, the A1111 "parameters" text (exact layout of ecosystem.md §5.5),
// ComfyUI "prompt" graphs, and PNG save/read round trips with non-Latin-1 and multi-line prompts.
#include "app/core/image_metadata.h"
#include "app_info.h"
#include "pipeline/errors.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace kaskade;
using namespace kaskade::core;

namespace {

// Field by field, so a failure names the field.
void compareParams(const GenerationParams& a, const GenerationParams& b)
{
    QCOMPARE(QString::fromStdString(a.prompt), QString::fromStdString(b.prompt));
    QCOMPARE(QString::fromStdString(a.negativePrompt), QString::fromStdString(b.negativePrompt));
    QCOMPARE(a.batchPrompts, b.batchPrompts);
    QCOMPARE(a.width, b.width);
    QCOMPARE(a.height, b.height);
    QCOMPARE(a.batch, b.batch);
    QCOMPARE(a.seed.has_value(), b.seed.has_value());
    if (a.seed)
        QCOMPARE(*a.seed, *b.seed);
    QCOMPARE(a.stageC.steps, b.stageC.steps);
    QCOMPARE(a.stageC.cfg, b.stageC.cfg);
    QCOMPARE(a.stageC.shift, b.stageC.shift);
    QCOMPARE(a.stageB.steps, b.stageB.steps);
    QCOMPARE(a.stageB.cfg, b.stageB.cfg);
    QCOMPARE(a.stageB.shift, b.stageB.shift);
    QCOMPARE(a.sampler, b.sampler);
    QCOMPARE(a.cfgRho, b.cfgRho);
    QCOMPARE(a.promptOptions.emphasis, b.promptOptions.emphasis);
    QCOMPARE(a.promptOptions.chunkLongPrompts, b.promptOptions.chunkLongPrompts);
}

// Every field away from its default.
GenerationParams unusualParams()
{
    GenerationParams p;
    p.prompt = "a \"red\" fox, jumping: high\nsecond line";
    p.negativePrompt = "blurry, text: watermark";
    p.batchPrompts = {"one, a", "zwei: ü", "三"};
    p.width = 1536;
    p.height = 768;
    p.batch = 3;
    p.seed = 18446744073709551615ull; // beyond 2^53: stored as a string
    p.stageC = {33, 5.5, 2.5};
    p.stageB = {12, 0.0, 1.25};
    p.sampler = SamplerKind::Lcm;
    p.cfgRho = 0.25;
    p.promptOptions.emphasis = false;
    p.promptOptions.chunkLongPrompts = false;
    return p;
}

ImageRecord sampleRecord(const std::string& prompt, const std::string& negative)
{
    ImageRecord record;
    record.params.prompt = prompt;
    record.params.negativePrompt = negative;
    record.params.width = 1024;
    record.params.height = 1536;
    record.params.seed = 42;
    record.seed = 42;
    record.modelSummary = QStringLiteral("Stage C 3.6B · Stage B lite · bf16 · CPU");
    record.modelFiles = {{Role::StageC, "/models/cascade/stage_c_bf16.safetensors", 7178000000ull},
                         {Role::StageB, "/models/cascade/stage_b_lite_bf16.safetensors", 1400000000ull}};
    return record;
}

QJsonObject parseObject(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(json, &error).object();
    if (error.error != QJsonParseError::NoError)
        qFatal("test JSON does not parse: %s", qPrintable(error.errorString()));
    return object;
}

// The chunk types of a PNG, as (type, keyword) pairs, read from the bytes themselves.
QList<QPair<QByteArray, QByteArray>> pngTextChunks(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = file.readAll();
    QList<QPair<QByteArray, QByteArray>> chunks;
    for (qsizetype at = 8; at + 8 <= data.size();) {
        const quint32 length = (quint8(data[at]) << 24) | (quint8(data[at + 1]) << 16) | (quint8(data[at + 2]) << 8) |
                               quint8(data[at + 3]);
        const QByteArray type = data.mid(at + 4, 4);
        if (type == "tEXt" || type == "zTXt" || type == "iTXt") {
            const QByteArray body = data.mid(at + 8, length);
            chunks.append({type, body.left(body.indexOf('\0'))});
        }
        at += 12 + length;
    }
    return chunks;
}

// ComfyUI's Stable Cascade text-to-image example (ComfyUI_examples), reduced to its "prompt" API graph; size
// and seed changed so that defaults cannot pass for parsed values.
const char* const kComfyCascadePrompt = R"({
  "3": {"inputs": {"seed": 1234567890123, "steps": 24, "cfg": 4.5, "sampler_name": "euler_ancestral",
        "scheduler": "simple", "denoise": 1, "model": ["41", 0], "positive": ["6", 0], "negative": ["7", 0],
        "latent_image": ["34", 0]}, "class_type": "KSampler"},
  "6": {"inputs": {"text": "evening sunset scenery blue sky nature, glass bottle with a galaxy in it",
        "clip": ["30", 1]}, "class_type": "CLIPTextEncode"},
  "7": {"inputs": {"text": "text, watermark", "clip": ["30", 1]}, "class_type": "CLIPTextEncode"},
  "8": {"inputs": {"samples": ["33", 0], "vae": ["29", 2]}, "class_type": "VAEDecode"},
  "9": {"inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}, "class_type": "SaveImage"},
  "29": {"inputs": {"ckpt_name": "stable_cascade_stage_b.safetensors"}, "class_type": "CheckpointLoaderSimple"},
  "30": {"inputs": {"ckpt_name": "stable_cascade_stage_c.safetensors"}, "class_type": "CheckpointLoaderSimple"},
  "33": {"inputs": {"seed": 1234567890123, "steps": 12, "cfg": 1.5, "sampler_name": "euler_ancestral",
         "scheduler": "simple", "denoise": 1, "model": ["29", 0], "positive": ["36", 0], "negative": ["40", 0],
         "latent_image": ["34", 1]}, "class_type": "KSampler"},
  "34": {"inputs": {"width": 1152, "height": 896, "compression": 42, "batch_size": 1},
         "class_type": "StableCascade_EmptyLatentImage"},
  "36": {"inputs": {"conditioning": ["40", 0], "stage_c": ["3", 0]}, "class_type": "StableCascade_StageB_Conditioning"},
  "40": {"inputs": {"conditioning": ["7", 0]}, "class_type": "ConditioningZeroOut"},
  "41": {"inputs": {"shift": 3.0, "model": ["30", 0]}, "class_type": "ModelSamplingStableCascade"}
})";

} // namespace

class TestImageMetadata : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonRoundTrip_data()
    {
        QTest::addColumn<int>("variant");
        QTest::newRow("defaults") << 0;
        QTest::newRow("every field changed") << 1;
        QTest::newRow("small seed, ddim, all resident") << 2;
    }
    void jsonRoundTrip()
    {
        QFETCH(int, variant);
        GenerationParams params;
        if (variant == 1)
            params = unusualParams();
        if (variant == 2) {
            params.seed = 7;
            params.sampler = SamplerKind::Ddim;
        }
        const QByteArray bytes = QJsonDocument(paramsToJson(params)).toJson();
        compareParams(paramsFromJson(parseObject(bytes)), params);
    }

    void jsonLayout()
    {
        const QJsonObject json = paramsToJson(unusualParams());
        QCOMPARE(json.value("version").toInt(), 1);
        QCOMPARE(json.value("seed").toString(), QStringLiteral("18446744073709551615")); // > 2^53: a string
        QCOMPARE(json.value("stage_c").toObject().value("steps").toInt(), 33);
        QCOMPARE(json.value("sampler").toString(), QStringLiteral("lcm"));
        QVERIFY(!json.contains("device") && !json.contains("dtype") && !json.contains("residency")); // the model's
        QVERIFY(json.value("seed").isString());
        QVERIFY(paramsToJson(GenerationParams{}).value("seed").isNull());
        GenerationParams small;
        small.seed = 9007199254740991ull; // 2^53 - 1: still a number
        QCOMPARE(paramsToJson(small).value("seed").toInteger(), qint64(9007199254740991));
    }

    void jsonDefaultsAndUnknownKeys()
    {
        compareParams(paramsFromJson(QJsonObject{}), GenerationParams{});
        const GenerationParams p = paramsFromJson(parseObject(R"({"width": 640, "future_key": [1, 2], "seed": null,
                                                                  "stage_c": {"steps": 5, "novel": true}})"));
        QCOMPARE(p.width, 640);
        QCOMPARE(p.stageC.steps, 5);
        QCOMPARE(p.stageC.cfg, 4.0);
        QVERIFY(!p.seed);
    }

    void jsonErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mention");
        QTest::newRow("width as string") << QByteArray(R"({"width": "512"})") << "\"width\"";
        QTest::newRow("fractional width") << QByteArray(R"({"width": 512.5})") << "\"width\"";
        QTest::newRow("width out of range") << QByteArray(R"({"width": 0})") << "width must be";
        QTest::newRow("negative steps") << QByteArray(R"({"stage_c": {"steps": -1}})") << "Stage C steps";
        QTest::newRow("stage not an object") << QByteArray(R"({"stage_b": 10})") << "\"stage_b\"";
        QTest::newRow("cfg as string") << QByteArray(R"({"stage_b": {"cfg": "1.1"}})") << "\"stage_b.cfg\"";
        QTest::newRow("unknown sampler") << QByteArray(R"({"sampler": "euler"})") << "\"sampler\"";
        QTest::newRow("negative seed") << QByteArray(R"({"seed": -1})") << "\"seed\"";
        QTest::newRow("seed text") << QByteArray(R"({"seed": "12x"})") << "\"seed\"";
        QTest::newRow("fractional seed") << QByteArray(R"({"seed": 1.5})") << "\"seed\"";
        QTest::newRow("batch prompt number") << QByteArray(R"({"batch_prompts": ["a", 1]})") << "\"batch_prompts\"";
        QTest::newRow("batch prompts vs batch")
            << QByteArray(R"({"batch": 2, "batch_prompts": ["a"]})") << "batch prompts";
        QTest::newRow("newer version") << QByteArray(R"({"version": 99})") << "\"version\"";
        QTest::newRow("emphasis as text")
            << QByteArray(R"({"prompt_options": {"emphasis": "yes"}})") << "\"prompt_options.emphasis\"";
        QTest::newRow("rho too large") << QByteArray(R"({"cfg_rho": 2})") << "rho";
        QTest::newRow("prompt not a string") << QByteArray(R"({"prompt": ["a"]})") << "\"prompt\"";
    }
    void jsonErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mention);
        try {
            paramsFromJson(parseObject(json));
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY2(QString::fromStdString(e.what()).contains(mention), e.what());
        }
    }

    void recordJsonRoundTrip()
    {
        ImageRecord record = sampleRecord("p", "n");
        record.params = unusualParams();
        record.seed = 18446744073709551615ull;
        const ImageRecord back = recordFromJson(parseObject(QJsonDocument(recordToJson(record)).toJson()));
        compareParams(back.params, record.params);
        QCOMPARE(back.seed, record.seed);
        QCOMPARE(back.modelSummary, record.modelSummary);
        QCOMPARE(back.source, QStringLiteral("kaskade"));
        QCOMPARE(back.modelFiles.size(), std::size_t(2));
        QCOMPARE(back.modelFiles[0].role, Role::StageC);
        QCOMPARE(back.modelFiles[0].path, std::string("stage_c_bf16.safetensors")); // the name, not the folder
        QCOMPARE(back.modelFiles[0].bytes, std::uint64_t(7178000000ull));
        QCOMPARE(back.modelFiles[1].path, std::string("stage_b_lite_bf16.safetensors"));
    }

    void a1111ExactText()
    {
        const ImageRecord record = sampleRecord("a cat, sitting: on a mat", "blurry");
        // Built outside a macro: moc's preprocessor stumbles over a string continued with KASKADE_VERSION in one.
        const QString expected =
            QString::fromLatin1("a cat, sitting: on a mat\n"
                                "Negative prompt: blurry\n"
                                "Steps: 20, Sampler: DDPM, CFG scale: 4, Seed: 42, Size: 1024x1536, "
                                "Model: stage_c_bf16, Stage B model: stage_b_lite_bf16, "
                                "Stage B steps: 10, Stage B CFG scale: 1.1, Shift: 2, "
                                "Stage B shift: 1, CFG rescale: 0.7, Version: Kaskade ") +
            QLatin1String(KASKADE_VERSION);
        QCOMPARE(toA1111Text(record), expected);
    }

    void a1111QuotingAndOptionalKeys()
    {
        ImageRecord record = sampleRecord("x", "");
        record.modelFiles = {{Role::StageC, "/m/my, model: v2.safetensors", 1}};
        record.params.promptOptions = {false, false};
        record.params.batch = 2;
        record.params.batchPrompts = {"a, b", "c \"d\""};
        const QString text = toA1111Text(record);
        // No negative: the line is omitted; a value with ',' or ':' is JSON-quoted.
        QVERIFY2(text.startsWith(QLatin1String("x\nSteps: 20,")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("Model: \"my, model: v2\",")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("Emphasis: off, Long prompts: truncate, Batch size: 2, ")),
                 qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("Batch prompts: \"[\\\"a, b\\\",\\\"c \\\\\\\"d\\\\\\\"\\\"]\"")),
                 qPrintable(text));
        const auto back = fromA1111Text(text);
        QVERIFY(back);
        QCOMPARE(back->modelFiles.at(0).path, std::string("my, model: v2"));
        QCOMPARE(back->params.batchPrompts, record.params.batchPrompts);
        QCOMPARE(back->params.batch, 2);
        QVERIFY(!back->params.promptOptions.emphasis);
        QVERIFY(!back->params.promptOptions.chunkLongPrompts);
    }

    void a1111RoundTrip_data()
    {
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<QString>("negative");
        QTest::newRow("plain") << "a cat"
                               << "";
        QTest::newRow("commas and colons") << "a cat, on a mat: photo, 8k"
                                           << "text: watermark, blurry";
        QTest::newRow("quotes and backslash") << R"(a "quoted" \ word, (emphasis:1.2))"
                                              << R"("bad")";
        QTest::newRow("newlines") << "first line\nsecond, line: two\nthird"
                                  << "neg one\nneg: two";
        QTest::newRow("CJK") << QStringLiteral("夕焼けの空、ガラス瓶の中の銀河") << QStringLiteral("文字，水印");
        QTest::newRow("emoji") << QStringLiteral("a cat 🐱 with a hat 🎩, smiling 😀") << QStringLiteral("👎");
        QTest::newRow("umlauts") << QStringLiteral("Grüße aus München, schöne Straße") << QStringLiteral("hässlich");
        QTest::newRow("empty prompt") << ""
                                      << "only negative";
    }
    void a1111RoundTrip()
    {
        QFETCH(QString, prompt);
        QFETCH(QString, negative);
        ImageRecord record = sampleRecord(prompt.toStdString(), negative.toStdString());
        record.params.stageC = {31, 6.25, 3};
        record.params.stageB = {7, 0, 1.5};
        record.params.sampler = SamplerKind::Ddim;
        record.params.cfgRho = 0;
        record.seed = 4294967297ull;
        record.params.seed = record.seed;
        const auto back = fromA1111Text(toA1111Text(record));
        QVERIFY(back);
        QCOMPARE(back->source, QStringLiteral("a1111"));
        QCOMPARE(back->seed, record.seed);
        GenerationParams expected = record.params;
        compareParams(back->params, expected);
        QCOMPARE(back->modelFiles.size(), std::size_t(2));
        QCOMPARE(back->modelFiles[1].path, std::string("stage_b_lite_bf16"));
    }

    void a1111ForeignSample()
    {
        // Written by hand after ecosystem.md §5.5 the way AUTOMATIC1111 1.6 writes it: multi-line prompt and
        // negative, an unknown sampler, extra keys, a JSON-quoted value with commas and colons.
        const QString text = QStringLiteral(
            "masterpiece, best quality, (a cat:1.2) sitting on a chair\n"
            "in the sun\n"
            "Negative prompt: lowres, bad anatomy,\n"
            "text, watermark\n"
            "Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 7.5, Seed: 965400086, Size: 512x768, Model hash: "
            "45dee52b, Model: v1-5-pruned-emaonly, Lora hashes: \"add_detail: 7c6bad76eb54, more: 0123\", "
            "Hires upscale: 2, Version: v1.6.0");
        const auto record = fromA1111Text(text);
        QVERIFY(record);
        QCOMPARE(record->source, QStringLiteral("a1111"));
        QCOMPARE(record->params.prompt, std::string("masterpiece, best quality, (a cat:1.2) sitting on a chair\n"
                                                    "in the sun"));
        QCOMPARE(record->params.negativePrompt, std::string("lowres, bad anatomy,\ntext, watermark"));
        QCOMPARE(record->params.stageC.steps, 28);
        QCOMPARE(record->params.stageC.cfg, 7.5);
        QCOMPARE(record->seed, std::uint64_t(965400086));
        QCOMPARE(*record->params.seed, std::uint64_t(965400086));
        QCOMPARE(record->params.width, 512);
        QCOMPARE(record->params.height, 768);
        QCOMPARE(record->params.sampler, SamplerKind::Ddpm); // "DPM++ 2M Karras" (Karras schedule): not ours
        QCOMPARE(record->unknownSampler, QStringLiteral("DPM++ 2M Karras"));
        QCOMPARE(record->modelFiles.size(), std::size_t(1));
        QCOMPARE(record->modelFiles[0].path, std::string("v1-5-pruned-emaonly"));
        QCOMPARE(record->modelSummary, QStringLiteral("v1-5-pruned-emaonly"));

        // A quoted value before later keys must not swallow them; a known sampler name maps.
        const auto quoted = fromA1111Text(QStringLiteral(
            "cat\nSteps: 30, Sampler: DDIM, Schedule type: \"Karras, v2: x\", CFG scale: 5, Seed: 7, Size: 640x512"));
        QVERIFY(quoted);
        QCOMPARE(quoted->params.sampler, SamplerKind::Ddim);
        QCOMPARE(quoted->params.stageC.cfg, 5.0);
        QCOMPARE(quoted->params.width, 640);
        QCOMPARE(quoted->params.negativePrompt, std::string());

        // Every sampler of the table comes back from the name A1111 writes for it.
        for (const auto& row : choiceTable<SamplerKind>().rows) {
            ImageRecord written;
            written.params.prompt = "a cat";
            written.params.sampler = row.value;
            const QString text = toA1111Text(written);
            QVERIFY2(text.contains(QStringLiteral("Sampler: %1,").arg(QLatin1String(row.a1111))), qPrintable(text));
            const auto back = fromA1111Text(text);
            QVERIFY(back);
            QCOMPARE(back->params.sampler, row.value);
            QVERIFY(back->unknownSampler.isEmpty());
        }
        const auto dpm = fromA1111Text(QStringLiteral("cat\nSteps: 20, Sampler: DPM++ 2M, CFG scale: 4, Seed: 7"));
        QVERIFY(dpm);
        QCOMPARE(dpm->params.sampler, SamplerKind::DpmPp2m);
    }

    // Where an image ran is recorded with the model (it is not a job parameter); records written before that
    // kept it in "params" and still read.
    void recordKeepsWhereItRan()
    {
        ImageRecord record;
        record.device = QStringLiteral("cuda:1");
        record.precision = QStringLiteral("bf16");
        const QJsonObject json = recordToJson(record);
        QCOMPARE(json.value("model").toObject().value("device").toString(), QStringLiteral("cuda:1"));
        QCOMPARE(json.value("model").toObject().value("dtype").toString(), QStringLiteral("bf16"));
        const ImageRecord back = recordFromJson(json);
        QCOMPARE(back.device, record.device);
        QCOMPARE(back.precision, record.precision);

        QJsonObject old = recordToJson(ImageRecord{});
        QJsonObject oldParams = old.value("params").toObject();
        oldParams.insert("device", QStringLiteral("cpu"));
        oldParams.insert("dtype", QStringLiteral("fp32"));
        oldParams.insert("residency", QStringLiteral("sequential"));
        old.insert("params", oldParams);
        const ImageRecord fromOld = recordFromJson(old);
        QCOMPARE(fromOld.device, QStringLiteral("cpu"));
        QCOMPARE(fromOld.precision, QStringLiteral("fp32"));

        QJsonObject bad = json;
        QJsonObject model = bad.value("model").toObject();
        model.insert("device", QStringLiteral("gpu"));
        bad.insert("model", model);
        QVERIFY_THROWS_EXCEPTION(Error, recordFromJson(bad));
    }

    void a1111NotParameters()
    {
        QVERIFY(!fromA1111Text(QString()));
        QVERIFY(!fromA1111Text(QStringLiteral("just a caption")));
        QVERIFY(!fromA1111Text(QStringLiteral("a photo\nCamera: X100, Lens: 23mm"))); // two fields are not enough
    }

    void comfyCascadeGraph()
    {
        const auto record = fromComfyUiPrompt(parseObject(kComfyCascadePrompt));
        QVERIFY(record);
        const GenerationParams& p = record->params;
        QCOMPARE(record->source, QStringLiteral("comfyui"));
        QCOMPARE(p.prompt, std::string("evening sunset scenery blue sky nature, glass bottle with a galaxy in it"));
        QCOMPARE(p.negativePrompt, std::string("text, watermark"));
        QCOMPARE(record->seed, std::uint64_t(1234567890123ull));
        QCOMPARE(p.stageC.steps, 24);
        QCOMPARE(p.stageC.cfg, 4.5);
        QCOMPARE(p.stageC.shift, 3.0);
        QCOMPARE(p.stageB.steps, 12);
        QCOMPARE(p.stageB.cfg, 1.5);
        QCOMPARE(p.stageB.shift, 1.0);
        QCOMPARE(p.width, 1152);
        QCOMPARE(p.height, 896);
        QCOMPARE(record->modelFiles.size(), std::size_t(2));
        QCOMPARE(record->modelFiles[0].role, Role::StageC);
        QCOMPARE(record->modelFiles[0].path, std::string("stable_cascade_stage_c.safetensors"));
        QCOMPARE(record->modelFiles[1].path, std::string("stable_cascade_stage_b.safetensors"));
    }

    void comfyOtherGraphs()
    {
        // An SD 1.5 graph: one sampler, EmptyLatentImage, the seed on a helper node, numeric node ids.
        const auto sd = fromComfyUiPrompt(parseObject(R"json({
            "10": {"class_type": "KSampler", "inputs": {"seed": ["12", 0], "steps": 30, "cfg": 8, "sampler_name": "ddim",
                   "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
            "12": {"class_type": "Seed (rgthree)", "inputs": {"seed": 99}},
            "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "v1-5.ckpt"}},
            "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 640, "batch_size": 1}},
            "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a dog", "clip": ["4", 1]}},
            "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "", "clip": ["4", 1]}}})json"));
        QVERIFY(sd);
        QCOMPARE(sd->params.prompt, std::string("a dog"));
        QCOMPARE(sd->seed, std::uint64_t(99));
        QCOMPARE(sd->params.stageC.steps, 30);
        QCOMPARE(sd->params.sampler, SamplerKind::Ddim);
        QCOMPARE(sd->params.width, 512);
        QCOMPARE(sd->params.height, 640);
        QCOMPARE(sd->modelFiles.at(0).path, std::string("v1-5.ckpt"));

        QVERIFY(!fromComfyUiPrompt(parseObject(R"({"1": {"class_type": "LoadImage", "inputs": {"image": "x.png"}}})")));
        QVERIFY(!fromComfyUiPrompt(QJsonObject{}));
        // Links to missing nodes and cycles do not hang or crash.
        const auto broken = fromComfyUiPrompt(parseObject(R"({
            "1": {"class_type": "KSampler", "inputs": {"seed": ["9", 0], "positive": ["2", 0], "steps": "x"}},
            "2": {"class_type": "ConditioningCombine", "inputs": {"conditioning_1": ["2", 0]}}})"));
        QVERIFY(broken);
        QCOMPARE(broken->params.stageC.steps, 20);

        // Seeds up to 2^64 - 1 are ComfyUI's; a larger number (found by fuzz_image_metadata: casting 5.9e124
        // to an integer is undefined behaviour) leaves the seed unset.
        const auto seeded = [](const char* seed) {
            return fromComfyUiPrompt(
                parseObject(QStringLiteral(R"({"3": {"class_type": "KSampler", "inputs": {"seed": %1,
                "steps": 7}}})")
                                .arg(QLatin1String(seed))
                                .toUtf8()));
        };
        QCOMPARE(seeded("18446744073709549568")->seed, std::uint64_t(18446744073709549568ull));
        const ImageRecord unset;
        for (const char* huge : {"18446744073709551616", "5.9e124"}) {
            const auto record = seeded(huge);
            QVERIFY(record);
            QCOMPARE(record->params.stageC.steps, 7);
            QCOMPARE(record->seed, unset.seed);
        }
    }

    void pngRoundTrip_data() { a1111RoundTrip_data(); }
    void pngRoundTrip()
    {
        QFETCH(QString, prompt);
        QFETCH(QString, negative);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("out.png"));
        ImageRecord record = sampleRecord(prompt.toStdString(), negative.toStdString());
        record.device = QStringLiteral("cuda:0");
        record.precision = QStringLiteral("bf16");
        record.params.promptOptions.emphasis = false;
        QImage image(40, 24, QImage::Format_RGB888);
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                image.setPixel(x, y, qRgb(x * 6, y * 10, (x + y) % 256));
        saveImage(path, image, record);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"out.png"}); // no temp files

        const auto back = readImageRecord(path);
        QVERIFY(back);
        QCOMPARE(back->source, QStringLiteral("kaskade"));
        compareParams(back->params, record.params);
        QCOMPARE(back->seed, record.seed);
        QCOMPARE(back->modelSummary, record.modelSummary);
        QCOMPARE(back->device, record.device);
        QCOMPARE(back->precision, record.precision);
        QCOMPARE(back->modelFiles.at(1).bytes, std::uint64_t(1400000000ull));

        const auto texts = readImageTexts(path);
        QCOMPARE(texts.value("parameters"), toA1111Text(record)); // exact, newlines and all
        const auto a1111 = fromA1111Text(texts.value("parameters"));
        QVERIFY(a1111);
        QCOMPARE(QString::fromStdString(a1111->params.prompt), prompt);
        QCOMPARE(QString::fromStdString(a1111->params.negativePrompt), negative);
        QCOMPARE(QImage(path).convertToFormat(QImage::Format_RGB888), image);

        // Text that Latin-1 cannot hold must be in an iTXt chunk (UTF-8), as PIL writes it for A1111.
        bool latin1 = true;
        for (const QChar c : prompt + negative)
            latin1 = latin1 && c.unicode() < 0x100;
        const auto chunks = pngTextChunks(path);
        const QByteArray keyword("parameters");
        if (latin1)
            QVERIFY(chunks.contains({"tEXt", keyword}) || chunks.contains({"zTXt", keyword}));
        else
            QVERIFY(chunks.contains({"iTXt", keyword}));
        QVERIFY(chunks.contains({QByteArray("iTXt"), QByteArray("kaskade")}) ||
                chunks.contains({QByteArray("zTXt"), QByteArray("kaskade")}));
    }

    void readsOtherAppsImages()
    {
        QTemporaryDir dir;
        QImage image(8, 8, QImage::Format_RGB888);
        image.fill(Qt::gray);
        QImage a1111 = image;
        a1111.setText("parameters", QStringLiteral("a cat\nNegative prompt: dog\nSteps: 9, CFG scale: 3, Seed: 5, "
                                                   "Size: 256x384"));
        QVERIFY(a1111.save(dir.filePath("a.png")));
        const auto a = readImageRecord(dir.filePath("a.png"));
        QVERIFY(a);
        QCOMPARE(a->source, QStringLiteral("a1111"));
        QCOMPARE(a->params.height, 384);

        QImage comfy = image;
        comfy.setText("prompt", QString::fromUtf8(kComfyCascadePrompt));
        comfy.setText("workflow", QStringLiteral(R"({"last_node_id": 41, "nodes": []})"));
        QVERIFY(comfy.save(dir.filePath("c.png")));
        const auto c = readImageRecord(dir.filePath("c.png"));
        QVERIFY(c);
        QCOMPARE(c->source, QStringLiteral("comfyui"));
        QCOMPARE(c->params.stageB.steps, 12);

        QVERIFY(image.save(dir.filePath("none.png")));
        QVERIFY(!readImageRecord(dir.filePath("none.png")));
    }

    void readErrors()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath("missing.png");
        try {
            readImageRecord(missing);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
            QVERIFY2(QString::fromStdString(e.what()).contains(missing), e.what());
        }

        const QString notImage = dir.filePath("text.png");
        QFile file(notImage);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a PNG");
        file.close();
        try {
            readImageRecord(notImage);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::BadFormat);
            QVERIFY2(QString::fromStdString(e.what()).contains(notImage), e.what());
        }

        QImage image(8, 8, QImage::Format_RGB888);
        image.fill(Qt::black);
        const auto expectBadChunk = [&](const char* json, const char* mention) {
            QImage tagged = image;
            tagged.setText("kaskade", QString::fromUtf8(json));
            const QString path = dir.filePath("bad.png");
            QVERIFY(tagged.save(path));
            try {
                readImageRecord(path);
                QFAIL("no error");
            } catch (const Error& e) {
                QCOMPARE(e.code(), ErrorCode::BadFormat);
                const QString message = QString::fromStdString(e.what());
                QVERIFY2(message.contains(path) && message.contains(QLatin1String(mention)), e.what());
            }
        };
        expectBadChunk(R"({"version": 1, "params": {"width": )", "not valid JSON");
        expectBadChunk(R"({"version": 1, "params": {"width": "wide"}})", "\"width\"");
        expectBadChunk(R"({"version": 1})", "\"params\"");
        expectBadChunk(R"([1, 2])", "not a JSON object");
    }

    // Found by fuzz_image_metadata: a 300-byte PNG whose chunk claims 2 GB made libpng allocate it.
    void chunkLongerThanFileIsRefused()
    {
        QTemporaryDir dir;
        QImage image(1, 1, QImage::Format_RGB888);
        image.fill(Qt::white);
        image.setText("parameters", "a lighthouse at dusk\nSteps: 20, Seed: 42");
        const QString path = dir.filePath("hostile.png");
        QVERIFY(image.save(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QByteArray bytes = file.readAll();
        const qsizetype text = bytes.indexOf("IDAT");
        QVERIFY(text > 4);
        bytes[text - 4] = char(0x7e); // length 0x7e0000xx: ~2 GB
        bytes[text - 3] = 0;
        QVERIFY(file.seek(0));
        QCOMPARE(file.write(bytes), bytes.size());
        file.close();
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto problem = pngChunkProblem(file);
        QVERIFY(problem.has_value());
        QVERIFY2(problem->contains(QLatin1String("claims")), qPrintable(*problem));
        QCOMPARE(file.pos(), qint64(0));
        file.close();
        try {
            readImageRecord(path);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::BadFormat);
            QVERIFY2(QString::fromStdString(e.what()).contains(path), e.what());
        }
        QVERIFY(image.save(path)); // the intact file passes the check
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!pngChunkProblem(file).has_value());
    }

    void saveErrors()
    {
        QTemporaryDir dir;
        QImage image(8, 8, QImage::Format_RGB888);
        image.fill(Qt::white);
        const QString inMissingDir = dir.filePath("no/such/dir/out.png");
        try {
            saveImage(inMissingDir, image, ImageRecord{});
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileIo);
            QVERIFY2(QString::fromStdString(e.what()).contains(QDir::toNativeSeparators(inMissingDir)), e.what());
        }
        try {
            saveImage(dir.filePath("empty.png"), QImage(), ImageRecord{});
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QLatin1String("empty.png")), e.what());
        }
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty()); // nothing partial left
    }

    void toQImageCopies()
    {
        RgbImage rgb;
        rgb.width = 3;
        rgb.height = 2; // 9-byte rows: QImage pads them to 12, so a flat copy would shear the image
        for (int i = 0; i < 18; ++i)
            rgb.rgb.push_back(std::uint8_t(i * 13));
        const QImage image = toQImage(rgb);
        QCOMPARE(image.size(), QSize(3, 2));
        for (int y = 0; y < 2; ++y)
            for (int x = 0; x < 3; ++x) {
                const int at = (y * 3 + x) * 3;
                QCOMPARE(image.pixel(x, y), qRgb(rgb.rgb[at], rgb.rgb[at + 1], rgb.rgb[at + 2]));
            }
        const QRgb before = image.pixel(0, 0);
        std::fill(rgb.rgb.begin(), rgb.rgb.end(), std::uint8_t(255));
        QCOMPARE(image.pixel(0, 0), before); // a deep copy
        QVERIFY(toQImage(RgbImage{}).isNull());
        rgb.rgb.resize(5);
        QVERIFY_THROWS_EXCEPTION(Error, toQImage(rgb));
    }
};

QTEST_GUILESS_MAIN(TestImageMetadata)
#include "test_image_metadata.moc"
