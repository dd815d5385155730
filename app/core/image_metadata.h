#pragma once
// Generation parameters stored in images: an A1111-compatible "parameters" text chunk and a "kaskade"
// JSON chunk (complete GenerationParams + model files), written and read with Qt's image I/O.
// Also reads A1111 and ComfyUI ("prompt"/"workflow") metadata written by other apps.

#include "pipeline/generation_params.h"
#include "pipeline/generator.h"

#include <QIODevice>
#include <QImage>
#include <QJsonObject>
#include <QMap>
#include <QString>

#include <optional>

namespace kaskade::core {

struct ImageRecord
{
    GenerationParams params; // params as run (seed = this image's seed, batch = 1 prompt = this image's)
    std::uint64_t seed = 0;
    QString modelSummary; // "Stage C 3.6B · Stage B lite · bf16 · CPU"
    QString device;       // where it ran ("cpu", "cuda:0"; ModelInfo::device); empty when unknown
    QString precision;    // in which precision ("bf16"; ModelInfo::dtype); empty when unknown
    std::vector<ModelFileInfo> modelFiles;
    QString source;         // "kaskade", "a1111", "comfyui" when read back
    QString unknownSampler; // a sampler the file names that Kaskade lacks ("Euler a"); params keep DDPM
    QString modelHash;      // A1111 "Model hash" (AutoV2: SHA-256 of the Stage C file, 10 hex digits)
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

// --- Additions (appcore): building blocks used by `kaskade-cli info`, params_cli and the tests. ---

// The "kaskade" chunk: {"version", "app", "params": paramsToJson(...), "seed",
// "model": {"summary", "files", "device", "dtype"}}. Records older than the typed model settings kept device
// and dtype in "params"; they are read from there too.
// Model files are stored by file name (no directory) and size.
QJsonObject recordToJson(const ImageRecord& record);
// Throws kaskade::Error(InvalidArgument) naming the bad field.
ImageRecord recordFromJson(const QJsonObject& json);

// ComfyUI's "prompt" chunk (API graph {id: {class_type, inputs}}): prompt, negative, seed, steps, cfg, size and
// checkpoint names recovered where the graph has them; std::nullopt when it holds no sampler.
std::optional<ImageRecord> fromComfyUiPrompt(const QJsonObject& prompt);

// Every text chunk of an image, exactly as stored (QImageReader::text() would fold newlines).
// Throws kaskade::Error(FileNotFound/BadFormat) naming the file.
QMap<QString, QString> readImageTexts(const QString& path);

// For PNG data: walks the chunk headers and returns a reason when a chunk claims more bytes than follow
// (libpng allocates a chunk's claimed length before reading it: a 300-byte file can ask for 2 GB), or
// std::nullopt when every chunk fits. Non-PNG data: std::nullopt. `device` must be seekable; its
// position is restored.
std::optional<QString> pngChunkProblem(QIODevice& device);
// The same decision as readImageRecord, on texts already read.
std::optional<ImageRecord> recordFromTexts(const QMap<QString, QString>& texts, const QString& path);

} // namespace kaskade::core
