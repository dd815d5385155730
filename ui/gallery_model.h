#pragma once
// GalleryModel: the finished images, newest first. Each item keeps a thumbnail made once when it is inserted
// (never in data()), its parameters and its file; the full image stays on disk.

#include "app/core/gallery_store.h"

#include <QAbstractListModel>
#include <QImage>
#include <QList>

namespace kaskade::ui {

class GalleryModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        PathRole = Qt::UserRole + 1, // QString
        ThumbnailRole,               // QImage
        ParamsRole,                  // QJsonObject (paramsToJson), empty without metadata
        SeedRole,                    // quint64
        PromptRole,                  // QString
        SizeRole,                    // QSize of the full image
        CreatedRole,                 // QDateTime
        ModelRole,                   // QString: model summary
        ParametersTextRole,          // QString: A1111-style text for display and the clipboard
    };
    Q_ENUM(Role)

    explicit GalleryModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;

    // New image at the top (at the bottom when sorted oldest first). The thumbnail is made from image when
    // entry.thumbnail is null.
    void prepend(core::GalleryEntry entry, const QImage& image = {});
    // An entry back at its place by date (undo of a delete).
    void insertByDate(core::GalleryEntry entry);
    // Sort order by creation time; newest first is the default.
    void setNewestFirst(bool newestFirst);
    bool newestFirst() const { return newestFirst_; }
    // Items from a folder scan (already newest first), added below the existing ones; known paths are skipped.
    void append(std::vector<core::GalleryEntry> entries);
    int rowOf(const QString& path) const;
    const core::GalleryEntry& entry(int row) const { return items_.at(row); }
    void clear();

private:
    void sortItems();

    QList<core::GalleryEntry> items_;
    bool newestFirst_ = true;
};

} // namespace kaskade::ui
