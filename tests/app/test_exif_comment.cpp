// EXIF UserComment in JPEG and WebP: the hand-made block round-trips through Kaskade's writer and reader,
// reads a little-endian block as other writers make it, and saveImage/readImageRecord restore the parameters.
#include "app/core/exif_comment.h"
#include "app/core/image_metadata.h"
#include "pipeline/errors.h"

#include <QBuffer>
#include <QImageWriter>
#include <QTemporaryDir>
#include <QTest>

using namespace kaskade;
using namespace kaskade::core;

class TestExifComment : public QObject
{
    Q_OBJECT

    QTemporaryDir dir_;

    static QByteArray encode(const QImage& image, const char* format)
    {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, format);
        if (!writer.write(image))
            qFatal("cannot encode %s", format);
        return bytes;
    }

    static QImage picture()
    {
        QImage image(48, 32, QImage::Format_RGB888);
        image.fill(QColor(20, 120, 200));
        return image;
    }

private Q_SLOTS:
    void blockLayout()
    {
        const QByteArray tiff = exifUserCommentBlock(QStringLiteral("ab"));
        QCOMPARE(tiff.left(4), QByteArray("MM\0*", 4));
        QCOMPARE(tiff.size(), 8 + 18 + 18 + 8 + 4);            // header, two one-entry IFDs, prefix, 2 UTF-16 units
        QCOMPARE(tiff.mid(44, 8), QByteArray("UNICODE\0", 8)); // the comment right after the IFDs
        QCOMPARE(tiff.mid(52), QByteArray("\0a\0b", 4));       // UTF-16BE
    }

    void jpegRoundTrip()
    {
        const QString text = QStringLiteral("ein Fuchs im Schnee – 狐\nSteps: 20, Sampler: DDPM, Seed: 42");
        const QByteArray jpeg = embedExif(encode(picture(), "jpg"), "jpg", exifUserCommentBlock(text));
        QCOMPARE(readExifUserComment(jpeg).value_or(QString()), text);
        QImage decoded;
        QVERIFY(decoded.loadFromData(jpeg, "jpg")); // still a valid JPEG
        QCOMPARE(decoded.size(), QSize(48, 32));
        QVERIFY(!readExifUserComment(encode(picture(), "jpg")).has_value());
        QVERIFY_THROWS_EXCEPTION(Error, embedExif(QByteArray("not a jpeg"), "jpg", exifUserCommentBlock(text)));
    }

    void littleEndianBlockFromOtherWriters()
    {
        // II, IFD0 at 8 with the Exif pointer, Exif IFD at 26 with UserComment "UNICODE\0" + UTF-16LE "hi".
        QByteArray tiff("II*\0\x08\0\0\0", 8);
        tiff += QByteArray("\x01\0\x69\x87\x04\0\x01\0\0\0\x1a\0\0\0\0\0\0\0", 18);
        tiff += QByteArray("\x01\0\x86\x92\x07\0\x0c\0\0\0\x2c\0\0\0\0\0\0\0", 18);
        tiff += QByteArray("UNICODE\0h\0i\0", 12);
        const QByteArray jpeg = embedExif(encode(picture(), "jpg"), "jpeg", tiff);
        QCOMPARE(readExifUserComment(jpeg).value_or(QString()), QStringLiteral("hi"));
        // Damaged: offsets past the end read as no comment, never a crash.
        QByteArray broken = tiff;
        broken[36] = char(0x7f); // the comment offset
        QVERIFY(!readExifUserComment(embedExif(encode(picture(), "jpg"), "jpg", broken)).has_value());
    }

    void webpRoundTrip()
    {
        if (!QImageWriter::supportedImageFormats().contains("webp"))
            QSKIP("Qt has no WebP plugin here (Debian: qt6-image-formats-plugins)");
        const QString text = QStringLiteral("a lighthouse\nSteps: 20, Seed: 7");
        const QByteArray webp = embedExif(encode(picture(), "webp"), "webp", exifUserCommentBlock(text));
        QVERIFY(webp.mid(12, 4) == "VP8X");
        QCOMPARE(readExifUserComment(webp).value_or(QString()), text);
        QImage decoded;
        QVERIFY(decoded.loadFromData(webp, "webp"));
        QCOMPARE(decoded.size(), QSize(48, 32));
    }

    void saveAndRestoreParameters_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::newRow("jpg") << "jpg";
        QTest::newRow("webp") << "webp";
    }
    void saveAndRestoreParameters()
    {
        QFETCH(QString, suffix);
        if (!QImageWriter::supportedImageFormats().contains(suffix.toLatin1()))
            QSKIP("no image plugin for this format here");
        ImageRecord record;
        record.params.prompt = "a red fox, (snow:1.2)";
        record.params.negativePrompt = "blurry";
        record.params.width = 1152;
        record.params.height = 896;
        record.params.stageC.steps = 27;
        record.seed = 1234;
        record.params.seed = 1234;
        const QString path = dir_.filePath(QStringLiteral("export.") + suffix);
        saveImage(path, picture(), record);
        const auto read = readImageRecord(path);
        QVERIFY(read.has_value());
        QCOMPARE(read->params.prompt, record.params.prompt);
        QCOMPARE(read->params.negativePrompt, record.params.negativePrompt);
        QCOMPARE(read->params.width, 1152);
        QCOMPARE(read->params.stageC.steps, 27);
        QCOMPARE(read->seed, quint64(1234));
    }
};

QTEST_MAIN(TestExifComment)
#include "test_exif_comment.moc"
