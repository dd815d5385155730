#include "ui/gallery_model.h"

#include <QFileInfo>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace kaskade::ui {

GalleryModel::GalleryModel(QObject* parent) : QAbstractListModel(parent) {}

int GalleryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(items_.size());
}

QVariant GalleryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::GalleryEntry& item = items_.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return QFileInfo(item.path).completeBaseName();
    case Qt::ToolTipRole:
        return item.record ? QString::fromStdString(item.record->params.prompt) : QFileInfo(item.path).fileName();
    case Qt::DecorationRole:
    case ThumbnailRole: return item.thumbnail;
    case PathRole: return item.path;
    case ParamsRole: return item.record ? core::paramsToJson(item.record->params) : QJsonObject{};
    case SeedRole: return item.record ? QVariant::fromValue<quint64>(item.record->seed) : QVariant{};
    case PromptRole: return item.record ? QString::fromStdString(item.record->params.prompt) : QString{};
    case SizeRole: return item.imageSize;
    case CreatedRole: return item.created;
    case ModelRole: return item.record ? item.record->modelSummary : QString{};
    case ParametersTextRole: return item.record ? core::toA1111Text(*item.record) : QString{};
    default: return {};
    }
}

QHash<int, QByteArray> GalleryModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(PathRole, "path");
    names.insert(ThumbnailRole, "thumbnail");
    names.insert(ParamsRole, "params");
    names.insert(SeedRole, "seed");
    names.insert(PromptRole, "prompt");
    names.insert(SizeRole, "size");
    names.insert(CreatedRole, "created");
    names.insert(ModelRole, "model");
    names.insert(ParametersTextRole, "parametersText");
    return names;
}

bool GalleryModel::removeRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || row < 0 || count <= 0 || row + count > items_.size())
        return false;
    beginRemoveRows({}, row, row + count - 1);
    items_.remove(row, count);
    endRemoveRows();
    return true;
}

void GalleryModel::prepend(core::GalleryEntry entry, const QImage& image)
{
    if (entry.thumbnail.isNull())
        entry.thumbnail = core::GalleryStore::makeThumbnail(image);
    if (!entry.imageSize.isValid())
        entry.imageSize = image.size();
    if (!entry.created.isValid())
        entry.created = QDateTime::currentDateTime();
    const int row = newestFirst_ ? 0 : int(items_.size());
    beginInsertRows({}, row, row);
    items_.insert(row, std::move(entry));
    endInsertRows();
}

void GalleryModel::insertByDate(core::GalleryEntry entry)
{
    int row = 0;
    while (row < items_.size() &&
           (newestFirst_ ? items_[row].created > entry.created : items_[row].created <= entry.created))
        ++row;
    beginInsertRows({}, row, row);
    items_.insert(row, std::move(entry));
    endInsertRows();
}

void GalleryModel::setNewestFirst(bool newestFirst)
{
    if (newestFirst == newestFirst_)
        return;
    newestFirst_ = newestFirst;
    sortItems();
}

void GalleryModel::sortItems()
{
    beginResetModel();
    std::stable_sort(items_.begin(), items_.end(), [this](const core::GalleryEntry& a, const core::GalleryEntry& b) {
        return newestFirst_ ? a.created > b.created : a.created < b.created;
    });
    endResetModel();
}

void GalleryModel::append(std::vector<core::GalleryEntry> entries)
{
    QSet<QString> known;
    for (const auto& item : std::as_const(items_))
        known.insert(item.path);
    std::erase_if(entries, [&](const core::GalleryEntry& e) { return known.contains(e.path); });
    if (entries.empty())
        return;
    const int first = int(items_.size());
    beginInsertRows({}, first, first + int(entries.size()) - 1);
    for (auto& e : entries)
        items_.append(std::move(e));
    endInsertRows();
    if (!newestFirst_) // scans come newest first
        sortItems();
}

int GalleryModel::rowOf(const QString& path) const
{
    for (qsizetype i = 0; i < items_.size(); ++i)
        if (items_[i].path == path)
            return int(i);
    return -1;
}

void GalleryModel::clear()
{
    if (items_.isEmpty())
        return;
    beginResetModel();
    items_.clear();
    endResetModel();
}

} // namespace kaskade::ui
