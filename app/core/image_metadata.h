#pragma once
// Generation parameters stored in images: an A1111-compatible "parameters" text chunk and a "kaskade"
// JSON chunk (complete GenerationParams + model files), written and read with Qt's image I/O.
// Also reads A1111 and ComfyUI ("prompt"/"workflow") metadata written by other apps.

#include "pipeline/generation_params.h"
#include "pipeline/generator.h"

#include <QImage>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace kaskade::core {

struct ImageRecord {
    GenerationParams params;     // params as run (seed = this image's seed, batch = 1 prompt = this image's)
    std::uint64_t seed = 0;
    QString modelSummary;        // "Stage C 3.6B · Stage B lite · bf16 · CPU"
    std::vector<ModelFileInfo> modelFiles;
    QString source;              // "kaskade", "a1111", "comfyui" when read back
};

// A1111 "parameters" text: prompt, "Negative prompt: ..." line, then "Steps: 20, Sampler: ..., CFG scale: 4,
// Seed: ..., Size: WxH, Model: ..., Stage B steps: 10, Stage B CFG scale: 1.1, Shift: 2, ..."
QString toA1111Text(const ImageRecord& record);
std::optional<ImageRecord> fromA1111Text(const QString& text);

QJsonObject paramsToJson(const GenerationParams& params);
// Throws kaskade::Error(InvalidArgument) naming the bad field.
GenerationParams paramsFromJson(const QJsonObject& json);

// Atomic write (temporary file + rename): on failure (disk full) no partial file is left and the error
// names the path. Throws kaskade::Error(FileIo).
void saveImage(const QString& path, const QImage& image, const ImageRecord& record);
// Reads Kaskade's, A1111's or ComfyUI's metadata; std::nullopt when the image carries none.
// Throws kaskade::Error(FileNotFound/BadFormat) for a missing or unreadable file.
std::optional<ImageRecord> readImageRecord(const QString& path);

QImage toQImage(const RgbImage& image); // deep copy

} // namespace kaskade::core
