#include "app/core/gallery_store.h"

#include "pipeline/errors.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>

#include <algorithm>

namespace kaskade::core {

GalleryStore::GalleryStore(QString folder) : folder_(std::move(folder)) {}

QString GalleryStore::save(const QImage& image, const ImageRecord& record) const
{
    QDir dir(folder_);
    if (!dir.exists() && !QDir().mkpath(folder_))
        throw Error(ErrorCode::FileIo, "cannot create the output folder " + folder_.toStdString());
    const QString stem = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")) + QLatin1Char('-') +
                         QString::number(record.seed);
    QString path = dir.filePath(stem + QStringLiteral(".png"));
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = dir.filePath(QStringLiteral("%1-%2.png").arg(stem).arg(n));
    saveImage(path, image, record); // atomic: temporary file + rename
    return path;
}

QImage GalleryStore::makeThumbnail(const QImage& image)
{
    if (image.isNull())
        return {};
    if (image.width() <= kThumbnailSize && image.height() <= kThumbnailSize)
        return image;
    return image.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

std::optional<GalleryEntry> GalleryStore::readEntry(const QString& path)
{
    QImageReader reader(path);
    const QSize size = reader.size();
    if (!size.isValid())
        return std::nullopt;
    // Decode at thumbnail size: far cheaper than loading the full image and scaling it.
    reader.setScaledSize(size.scaled(kThumbnailSize, kThumbnailSize, Qt::KeepAspectRatio).boundedTo(size));
    QImage thumbnail = reader.read();
    if (thumbnail.isNull())
        return std::nullopt;
    GalleryEntry entry;
    entry.path = path;
    entry.thumbnail = std::move(thumbnail);
    entry.imageSize = size;
    entry.created = QFileInfo(path).lastModified();
    try {
        entry.record = readImageRecord(path);
    } catch (const Error&) {
        entry.record.reset();
    }
    return entry;
}

std::vector<GalleryEntry> GalleryStore::scan() const
{
    std::vector<GalleryEntry> entries;
    const QFileInfoList files =
        QDir(folder_).entryInfoList({QStringLiteral("*.png")}, QDir::Files | QDir::Readable, QDir::Time);
    for (const QFileInfo& file : files)
        if (auto entry = readEntry(file.absoluteFilePath()))
            entries.push_back(std::move(*entry));
    std::stable_sort(entries.begin(), entries.end(),
                     [](const GalleryEntry& a, const GalleryEntry& b) { return a.created > b.created; });
    return entries;
}

bool GalleryStore::remove(const QString& path)
{
    if (QFile::moveToTrash(path))
        return true;
    return QFile::remove(path);
}

} // namespace kaskade::core
