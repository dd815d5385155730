// libFuzzer harness: a --params FILE.json (parameters object or whole "kaskade" image record) and the
// generate options built on it. Anything must end in valid parameters or kaskade::Error.
#include "app/core/image_metadata.h"
#include "app/core/params_cli.h"
#include "pipeline/errors.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static QTemporaryDir dir;
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const QJsonDocument document = QJsonDocument::fromJson(bytes);
    if (document.isObject()) {
        try {
            kaskade::core::paramsFromJson(document.object()).validate();
        } catch (const kaskade::Error&) {
        }
        try {
            (void)kaskade::core::recordFromJson(document.object());
        } catch (const kaskade::Error&) {
        }
    }
    const QString path = dir.filePath(QStringLiteral("params.json"));
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return 0;
        file.write(bytes);
    }
    try {
        (void)kaskade::core::parseGenerationOptions(
            {QStringLiteral("--params"), path, QStringLiteral("--seed"), QStringLiteral("7")});
    } catch (const kaskade::Error&) {
    }
    return 0;
}
