#pragma once
// The pictures of a LoRA training folder (Qt side: decoding needs QImage). The kohya convention: every
// picture may have a same-name .txt caption beside it ("dog1.png" + "dog1.txt"); pictures without one use
// the default caption. Used by `kaskade-cli train-lora` and the Train LoRA dialog.

#include "pipeline/training/lora_job.h"

#include <QString>
#include <QStringList>

namespace kaskade::core {

struct TrainingFolderEntry
{
    QString imagePath;
    QString captionPath; // the .txt beside the picture (may not exist yet)
    QString caption;     // its text, trimmed; "" when there is none
};

// The pictures (png, jpg, jpeg, webp, bmp) of `folder`, sorted by name. Throws Error(FileNotFound) when the
// folder does not exist.
QList<TrainingFolderEntry> scanTrainingFolder(const QString& folder);

// Decodes the pictures for trainLora(). Throws Error(BadFormat) naming a picture that cannot be read.
std::vector<TrainingImage> loadTrainingImages(const QList<TrainingFolderEntry>& entries);

// Writes a caption file (the dialog's editable captions). Throws Error(FileIo) on failure.
void saveTrainingCaption(const TrainingFolderEntry& entry, const QString& caption);

} // namespace kaskade::core
