// kaskade-cli image inputs end to end on the demo model: image-to-image, variation, ControlNet canny /
// inpaint / outpaint, upscale and reconstruct run and give the official output sizes; the PNG records the
// mode, strengths and each input's SHA-256; --from-image restores the inputs or names the missing ones;
// bad input gives one clear line.
#include "app/core/image_inputs.h"
#include "app/core/image_metadata.h"
#include "cli_runner.h"

#include <QCryptographicHash>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>

class TestCliImageModes : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString model_;
    QString picture_; // 96×96 PNG: gradient with a dark disk
    QString mask_;    // 96×96 PNG: white right half

    using Run = kaskade::test::CliRun;
    static Run run(const QStringList& args, int timeoutMs = 240000) { return kaskade::test::runCli(args, timeoutMs); }

    QStringList job(const QString& out, const QStringList& extra) const
    {
        return QStringList{"generate", "--model", model_,      "--prompt", "a red chair", "--width", "128",
                           "--height", "128",     "--steps-c", "4",        "--steps-b",   "2",       "--seed",
                           "5",        "--out",   out} +
               extra;
    }

    static QString sha256(const QString& path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
    }

    static QImage pixels(const QString& path) { return QImage(path).convertToFormat(QImage::Format_RGB888); }

private Q_SLOTS:
    void initTestCase()
    {
        model_ = kaskade::test::makeTinyDemoModel(dir_);
        QVERIFY(!model_.isEmpty());
        if (!QFile::exists(model_ + "/effnet_encoder.safetensors"))
            QSKIP("the demo model has no effnet_encoder.safetensors yet");

        QImage image(96, 96, QImage::Format_RGB888);
        for (int y = 0; y < 96; ++y)
            for (int x = 0; x < 96; ++x)
                image.setPixelColor(x, y, QColor(x * 2, y * 2, 128));
        QPainter painter(&image);
        painter.setBrush(Qt::black);
        painter.drawEllipse(QPoint(48, 48), 20, 20);
        painter.end();
        picture_ = dir_.filePath("picture.png");
        QVERIFY(image.save(picture_));
        QImage mask(96, 96, QImage::Format_RGB888);
        mask.fill(Qt::black);
        QPainter(&mask).fillRect(48, 0, 48, 96, Qt::white);
        mask_ = dir_.filePath("mask.png");
        QVERIFY(mask.save(mask_));
    }

    void modesRunWithOfficialSizes_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QSize>("size");
        // 128 → Stage C grid 3 → int(3·32·4/3) = 128; the image is 4·⌈128/4⌉.
        QTest::newRow("img2img") << QStringList{"--init-image", "@picture", "--strength", "0.6"} << "img2img"
                                 << QSize(128, 128);
        QTest::newRow("variation") << QStringList{"--image-prompt", "@picture", "--prompt", ""} << "variation"
                                   << QSize(128, 128);
        QTest::newRow("canny") << QStringList{"--control", "canny", "--control-image", "@picture"} << "canny"
                               << QSize(128, 128);
        QTest::newRow("inpaint") << QStringList{"--init-image", "@picture", "--mask", "@mask"} << "inpaint"
                                 << QSize(128, 128);
        QTest::newRow("outpaint") << QStringList{"--init-image", "@picture", "--outpaint", "0,0,96,0", "--width", "256"}
                                  << "outpaint" << QSize(256, 128);
        // Official relation without fitting: 96 px → grid 3 → 128.
        QTest::newRow("keep size") << QStringList{"--init-image", "@picture", "--keep-image-size"} << "img2img"
                                   << QSize(128, 128);
    }
    void modesRunWithOfficialSizes()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, mode);
        QFETCH(QSize, size);
        extra.replaceInStrings("@picture", picture_).replaceInStrings("@mask", mask_);
        const QString out = dir_.filePath(QStringLiteral("mode_%1.png").arg(QTest::currentDataTag()).replace(' ', '_'));
        QStringList args = job(out, {});
        for (int i = 0; i + 1 < extra.size(); i += 2)
            if (const int at = args.indexOf(extra[i]); at >= 0) { // replace, not repeat
                args[at + 1] = extra[i + 1];
                extra.remove(i, 2);
                i -= 2;
            }
        const Run r = run(args + extra);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("mode: " + mode), qPrintable(r.err));
        const QImage image(out);
        QCOMPARE(image.size(), size);
        const auto record = kaskade::core::readImageRecord(out);
        QVERIFY(record.has_value());
        QCOMPARE(QString::fromStdString(record->params.images.modeName()), mode);
        if (extra.contains(picture_) || args.contains(picture_)) {
            const auto& in = record->params.images;
            const auto& named = !in.init.empty() ? in.init : !in.imagePrompt.empty() ? in.imagePrompt : in.controlImage;
            QCOMPARE(QString::fromStdString(named.sha256), sha256(picture_));
            QCOMPARE(QString::fromStdString(named.source), QFileInfo(picture_).absoluteFilePath());
        }
    }

    void strengthChangesTheImageAndSeedRepeatsIt()
    {
        const QString a = dir_.filePath("s_a.png"), b = dir_.filePath("s_b.png"), c = dir_.filePath("s_c.png");
        QCOMPARE(run(job(a, {"--init-image", picture_, "--strength", "0.5"})).exitCode, 0);
        QCOMPARE(run(job(b, {"--init-image", picture_, "--strength", "0.5"})).exitCode, 0);
        QCOMPARE(run(job(c, {"--init-image", picture_, "--strength", "1"})).exitCode, 0);
        QVERIFY(pixels(a) == pixels(b));
        QVERIFY(pixels(a) != pixels(c));
        const auto record = kaskade::core::readImageRecord(a);
        QVERIFY(record && record->params.images.strength);
        QCOMPARE(*record->params.images.strength, 0.5);
    }

    void fromImageRestoresInputsOrNamesMissingOnes()
    {
        const QString init = dir_.filePath("restore_init.png");
        QVERIFY(QFile::copy(picture_, init));
        const QString first = dir_.filePath("restore_1.png"), second = dir_.filePath("restore_2.png");
        Run r = run(job(first, {"--init-image", init, "--control", "canny", "--control-strength", "0.7"}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = run({"generate", "--model", model_, "--from-image", first, "--out", second});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(pixels(first) == pixels(second)); // same inputs, seed and settings
        const auto record = kaskade::core::readImageRecord(second);
        QVERIFY(record && record->params.images.control);
        QCOMPARE(record->params.images.controlStrength, 0.7);

        QVERIFY(QFile::remove(init));
        r = run({"generate", "--model", model_, "--from-image", first, "--out", dir_.filePath("restore_3.png")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("init image") && r.err.contains(init) && r.err.contains("not found"),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(dir_.filePath("restore_3.png")));
        // Giving the picture again replaces the missing one.
        r = run({"generate", "--model", model_, "--from-image", first, "--init-image", picture_, "--out",
                 dir_.filePath("restore_4.png")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void upscaleSizesAsTheNotebook()
    {
        QImage small = QImage(picture_).scaled(48, 48);
        const QString input = dir_.filePath("small.png");
        QVERIFY(small.save(input));
        const QString out = dir_.filePath("upscaled.png");
        const Run r =
            run({"upscale", input, "--model", model_, "--steps-c", "3", "--steps-b", "2", "--seed", "1", "--out", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // 48 px → effnet grid 2 → Stage C grid 4 → int(4·128/3) = 170 → odd Stage B latent 43 → 168.
        QCOMPARE(QImage(out).size(), QSize(168, 168));
        QVERIFY2(r.err.contains("snapped to 168"), qPrintable(r.err));
    }

    void reconstructKeepsThePictureSize()
    {
        const QString input = dir_.filePath("odd.png");
        QVERIFY(QImage(picture_).scaled(100, 100).save(input));
        const QString out = dir_.filePath("reconstructed.png");
        const Run r = run({"reconstruct", input, "--model", model_, "--steps-b", "2", "--seed", "1", "--out", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(QImage(out).size(), QSize(96, 96)); // cropped to a multiple of 8
        QVERIFY2(r.err.contains("cropped to 96x96"), qPrintable(r.err));
        const auto record = kaskade::core::readImageRecord(out);
        QVERIFY(record && record->params.images.reconstruct);
    }

    // A 75-megapixel photo (4:3, as a phone takes it) is above Qt's default 256 MB decoding limit; it is
    // read whole, with its pixels.
    void largePhotosAreRead()
    {
        const QString path = dir_.filePath("large.jpg");
        {
            QImage photo(10000, 7500, QImage::Format_RGB32);
            photo.fill(qRgb(200, 60, 20));
            QVERIFY(photo.save(path, "JPEG", 90));
        }
        const auto input = kaskade::core::loadInputImage(path, QStringLiteral("init image"));
        QCOMPARE(input.pixels.width, 10000);
        QCOMPARE(input.pixels.height, 7500);
        const auto* last = input.pixels.rgb.data() + input.pixels.rgb.size() - 3;
        QVERIFY2(std::abs(last[0] - 200) < 8 && std::abs(last[1] - 60) < 8 && std::abs(last[2] - 20) < 8,
                 "the last pixel keeps the photo's colour");
    }

    void badInputGivesOneClearLine_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("missing file") << QStringList{"--init-image", "/nonexistent/a.png"} << "/nonexistent/a.png";
        QTest::newRow("not a picture") << QStringList{"--init-image", "@text"} << "not a picture";
        QTest::newRow("claims 30000x30000") << QStringList{"--init-image", "@huge"} << "30000×30000 pixels";
        QTest::newRow("truncated") << QStringList{"--mask", "@truncated", "--init-image", "@picture"}
                                   << "a 640×480 picture that cannot be decoded";
        QTest::newRow("strength") << QStringList{"--init-image", "@picture", "--strength", "1.5"} << "strength";
        QTest::newRow("canny without image") << QStringList{"--control", "canny"} << "control image";
        QTest::newRow("unknown control") << QStringList{"--control", "depth"} << "canny, inpaint or sr";
        QTest::newRow("mask without image") << QStringList{"--mask", "@mask"} << "init image";
        QTest::newRow("bad outpaint") << QStringList{"--init-image", "@picture", "--outpaint", "1,2"} << "LEFT,TOP";
        QTest::newRow("sr with init") << QStringList{"--init-image", "@picture",        "--control",
                                                     "sr",           "--control-image", "@picture"}
                                      << "super-resolution";
    }
    void badInputGivesOneClearLine()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, mentions);
        const QString text = dir_.filePath("notes.png");
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a picture");
        f.close();
        // A PPM header is plain text: these claim pictures their files do not hold.
        const QString huge = dir_.filePath("huge.ppm");
        QFile h(huge);
        QVERIFY(h.open(QIODevice::WriteOnly));
        h.write("P6\n30000 30000\n255\n0123456789");
        h.close();
        const QString truncated = dir_.filePath("truncated.ppm");
        QFile t(truncated);
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write("P6\n640 480\n255\n0123456789");
        t.close();
        extra.replaceInStrings("@picture", picture_).replaceInStrings("@mask", mask_).replaceInStrings("@text", text);
        extra.replaceInStrings("@huge", huge).replaceInStrings("@truncated", truncated);
        const QString out = dir_.filePath("bad.png");
        const Run r = run(job(out, extra));
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
        QVERIFY2(r.err.trimmed().count('\n') == 0, qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestCliImageModes)
#include "test_cli_image_modes.moc"
