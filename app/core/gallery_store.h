#pragma once
// GalleryStore: the output folder on disk. Saves finished images atomically with their metadata, scans the
// folder to rebuild the gallery at start, and deletes to the trash. No Widgets: it runs on any thread.

#include "app/core/image_metadata.h"

#include <QDateTime>
#include <QImage>
#include <QString>

#include <optional>
#include <vector>

namespace kaskade::core {

inline constexpr int kThumbnailSize = 192;

struct GalleryEntry
{
    QString path;
    QImage thumbnail; // at most kThumbnailSize on the long side
    QSize imageSize;
    QDateTime created;
    std::optional<ImageRecord> record; // nullopt when the file carries no parameters
};

class GalleryStore
{
public:
    explicit GalleryStore(QString folder);

    const QString& folder() const { return folder_; }

    // Writes "<yyyyMMdd-HHmmss>-<seed>[-n].png" atomically (never overwrites); returns the path.
    // Throws kaskade::Error(FileIo) naming the folder or file.
    QString save(const QImage& image, const ImageRecord& record) const;

    // Every PNG in the folder, newest first. Unreadable files are skipped.
    std::vector<GalleryEntry> scan() const;
    static std::optional<GalleryEntry> readEntry(const QString& path);

    // Moves the file to the trash where the platform has one, else deletes it. False when neither worked.
    static bool remove(const QString& path);

    static QImage makeThumbnail(const QImage& image);

private:
    QString folder_;
};

} // namespace kaskade::core
