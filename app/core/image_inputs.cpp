#include "app/core/image_inputs.h"

#include "pipeline/errors.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>

#include <algorithm>
#include <cstring>

namespace kaskade::core {

QString fileSha256(const QString& path)
{
    QFile file(path);
    if (!QFileInfo::exists(path))
        throw Error(ErrorCode::FileNotFound, QStringLiteral("%1: no such file").arg(path).toStdString());
    if (!file.open(QIODevice::ReadOnly))
        throw Error(ErrorCode::FileIo,
                    QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()).toStdString());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        throw Error(ErrorCode::FileIo, QStringLiteral("%1: cannot read").arg(path).toStdString());
    return QString::fromLatin1(hash.result().toHex());
}

RgbImage toRgbImage(const QImage& image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    RgbImage out;
    out.width = rgb.width();
    out.height = rgb.height();
    out.rgb.resize(static_cast<std::size_t>(out.width) * out.height * 3);
    for (int y = 0; y < out.height; ++y) // QImage rows are 4-byte aligned; RgbImage rows are packed
        std::memcpy(out.rgb.data() + static_cast<std::size_t>(y) * out.width * 3, rgb.constScanLine(y),
                    static_cast<std::size_t>(out.width) * 3);
    return out;
}

QImage readPicture(const QString& path, const QString& what)
{
    // Qt decodes nothing above 256 MB by default (QImageReader::allocationLimit), which refuses the 100-200
    // megapixel photos of current phones and cameras with "Unable to read image data". Kaskade reads up to
    // kMaxPicturePixels, 16-bit channels included, and names the size beyond that before decoding anything
    // (the size comes from the file's header, so a small file that claims a huge picture costs nothing).
    static const bool limitRaised = [] {
        QImageReader::setAllocationLimit(std::max(QImageReader::allocationLimit(), 2200));
        return true;
    }();
    (void)limitRaised;
    QImageReader reader(path);
    reader.setAutoTransform(true);    // EXIF orientation, as image viewers show the photo
    const QSize size = reader.size(); // invalid when the format says nothing before decoding
    if (size.isValid() && qint64(size.width()) * size.height() > kMaxPicturePixels)
        throw Error(
            ErrorCode::BadFormat,
            QStringLiteral("%1 %2: %3×%4 pixels is more than Kaskade reads (%5 megapixels); scale it down first")
                .arg(what, path)
                .arg(size.width())
                .arg(size.height())
                .arg(kMaxPicturePixels / 1000000)
                .toStdString());
    QImage image = reader.read();
    if (image.isNull() && size.isValid())
        throw Error(ErrorCode::BadFormat, QStringLiteral("%1 %2: a %3×%4 picture that cannot be decoded (%5)")
                                              .arg(what, path)
                                              .arg(size.width())
                                              .arg(size.height())
                                              .arg(reader.errorString())
                                              .toStdString());
    if (image.isNull())
        throw Error(ErrorCode::BadFormat, QStringLiteral("%1 %2: not a picture Qt can read (%3)")
                                              .arg(what, path, reader.errorString())
                                              .toStdString());
    return image;
}

InputImage loadInputImage(const QString& path, const QString& what)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw Error(ErrorCode::FileNotFound, QStringLiteral("%1 %2: no such file").arg(what, path).toStdString());
    if (!info.isFile())
        throw Error(ErrorCode::FileIo, QStringLiteral("%1 %2: not a regular file").arg(what, path).toStdString());
    const QImage image = readPicture(path, what);
    InputImage input;
    input.pixels = toRgbImage(image);
    input.source = info.absoluteFilePath().toStdString();
    input.sha256 = fileSha256(path).toStdString();
    return input;
}

std::vector<NamedInput> namedInputs(ImageInputs& inputs)
{
    return {{&inputs.init, QStringLiteral("init image")},
            {&inputs.imagePrompt, QStringLiteral("image prompt")},
            {&inputs.controlImage, QStringLiteral("control image")},
            {&inputs.mask, QStringLiteral("mask")}};
}

QStringList restoreInputImages(ImageInputs& inputs)
{
    QStringList problems;
    for (const NamedInput& named : namedInputs(inputs)) {
        InputImage& image = *named.image;
        if (image.loaded() || image.source.empty())
            continue;
        const QString path = QString::fromStdString(image.source);
        if (!QFileInfo::exists(path)) {
            problems.append(QStringLiteral("%1 %2: not found").arg(named.what, path));
            continue;
        }
        try {
            InputImage loaded = loadInputImage(path, named.what);
            if (!image.sha256.empty() && loaded.sha256 != image.sha256) {
                problems.append(QStringLiteral("%1 %2: the file has changed (SHA-256 %3, recorded %4)")
                                    .arg(named.what, path, QString::fromStdString(loaded.sha256).left(12),
                                         QString::fromStdString(image.sha256).left(12)));
                continue;
            }
            image = std::move(loaded);
        } catch (const Error& e) {
            problems.append(QString::fromStdString(e.what()));
        }
    }
    return problems;
}

Outpaint parseOutpaint(const QString& text)
{
    const QStringList parts = text.split(u',');
    Outpaint o;
    int* fields[] = {&o.left, &o.top, &o.right, &o.bottom};
    bool ok = parts.size() == 4;
    for (int i = 0; ok && i < 4; ++i) {
        *fields[i] = parts[i].trimmed().toInt(&ok);
        ok = ok && *fields[i] >= 0 && *fields[i] <= 4096;
    }
    if (!ok || !o.any())
        throw Error(ErrorCode::InvalidArgument,
                    "expected LEFT,TOP,RIGHT,BOTTOM: four pixel counts from 0 to 4096, not all 0 (e.g. 0,0,256,0)");
    return o;
}

} // namespace kaskade::core
