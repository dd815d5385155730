// libFuzzer harness: the PNG metadata readers. The input is read as a PNG (Qt's reader collects the text
// chunks) and, independently, its bytes are offered as each text chunk Kaskade understands: A1111
// "parameters", ComfyUI "prompt" (the node graph) and Kaskade's own "kaskade" JSON.
#include "app/core/image_metadata.h"
#include "pipeline/errors.h"

#include <QBuffer>
#include <QByteArray>
#include <QGuiApplication>
#include <QImage>
#include <QMap>

#include <cstdint>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static QGuiApplication app(*argc, *argv); // QImage's plug-in loader needs an application object
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const QString text = QString::fromUtf8(bytes);
    for (const char* key : {"parameters", "prompt", "kaskade"}) {
        try {
            (void)kaskade::core::recordFromTexts({{QString::fromLatin1(key), text}}, QStringLiteral("fuzz.png"));
        } catch (const kaskade::Error&) {
        }
    }
    try {
        (void)kaskade::core::fromA1111Text(text);
    } catch (const kaskade::Error&) {
    }
    QByteArray copy = bytes;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    // As readImageTexts: a chunk that claims more bytes than the file holds is refused before libpng
    // allocates its claimed length.
    if (size > 8 && bytes.startsWith("\x89PNG") && !kaskade::core::pngChunkProblem(buffer)) {
        QImage image;
        if (image.loadFromData(bytes, "PNG")) {
            QMap<QString, QString> texts;
            for (const QString& key : image.textKeys())
                texts.insert(key, image.text(key));
            try {
                (void)kaskade::core::recordFromTexts(texts, QStringLiteral("fuzz.png"));
            } catch (const kaskade::Error&) {
            }
        }
    }
    return 0;
}
