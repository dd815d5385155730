#include "app/core/lora_training_data.h"

#include "app/core/image_inputs.h"
#include "pipeline/errors.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace kaskade::core {

QList<TrainingFolderEntry> scanTrainingFolder(const QString& folder)
{
    const QDir dir(folder);
    if (folder.isEmpty() || !dir.exists())
        throw Error(ErrorCode::FileNotFound, folder.toStdString() + ": no such folder of training pictures");
    const QStringList names = dir.entryList({"*.png", "*.jpg", "*.jpeg", "*.webp", "*.bmp", "*.PNG", "*.JPG", "*.JPEG"},
                                            QDir::Files, QDir::Name);
    QList<TrainingFolderEntry> entries;
    for (const QString& name : names) {
        TrainingFolderEntry entry;
        entry.imagePath = dir.filePath(name);
        entry.captionPath = dir.filePath(QFileInfo(name).completeBaseName() + ".txt");
        QFile caption(entry.captionPath);
        if (caption.open(QIODevice::ReadOnly | QIODevice::Text))
            entry.caption = QString::fromUtf8(caption.readAll()).trimmed();
        entries.append(entry);
    }
    return entries;
}

std::vector<TrainingImage> loadTrainingImages(const QList<TrainingFolderEntry>& entries)
{
    std::vector<TrainingImage> images;
    for (const auto& entry : entries) {
        const QImage image = readPicture(entry.imagePath, QStringLiteral("training picture"));
        images.push_back(
            {QFileInfo(entry.imagePath).fileName().toStdString(), toRgbImage(image), entry.caption.toStdString()});
    }
    return images;
}

void saveTrainingCaption(const TrainingFolderEntry& entry, const QString& caption)
{
    QFile file(entry.captionPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text) ||
        file.write(caption.trimmed().toUtf8() + '\n') < 0)
        throw Error(ErrorCode::FileIo, entry.captionPath.toStdString() + ": cannot write the caption");
}

} // namespace kaskade::core
