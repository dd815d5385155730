#pragma once
// A1111's LoRA syntax in prompts: <lora:name:0.8> (strength optional, 1 by default). The GUI resolves the
// names against the model folder's LoRAs and merges them into Stage C; the worker takes the tags out of the
// text the encoder reads and writes them (for every merged LoRA) into the saved image's prompt, as A1111 does.

#include <QList>
#include <QString>
#include <QStringList>

#include "pipeline/generator.h"
#include "pipeline/loading/checkpoint_scan.h"

#include <vector>

namespace kaskade::core {

struct PromptLora
{
    QString name;          // as written: a file name without .safetensors, or a path
    double strength = 1.0; // clamped to -2…2
    bool operator==(const PromptLora&) const = default;
};

QList<PromptLora> promptLoras(const QString& prompt);
// The prompt without its tags; the spaces and commas around a tag collapse to one separator.
QString stripLoraTags(const QString& prompt);
// The tag for a LoRA file and strength, e.g. "<lora:detail:0.8>" (written into metadata and restored prompts).
QString loraTag(const QString& path, double strength);
// prompt plus a tag for each LoRA that no tag of the prompt names yet (by file stem, case-insensitive).
QString withLoraTags(const QString& prompt, const std::vector<LoraSpec>& loras);

// The file a tag names, by the same rules in the GUI and the CLI: the name itself when it is an absolute path
// to a file; else a LoRA with that file stem (case-insensitive) among `scanned` (the model folder's
// checkpoints); else NAME.safetensors in `modelFolder` or its loras/ or lora/ folder. Empty when none fits.
QString findPromptLora(const QString& name, const QString& modelFolder, const std::vector<CheckpointEntry>& scanned);

struct ResolvedLoras
{
    std::vector<LoraSpec> loras; // one per file; a later tag for the same file sets its strength
    QStringList unknown;         // names no file was found for
};
ResolvedLoras resolvePromptLoras(const QStringList& prompts, const QString& modelFolder,
                                 const std::vector<CheckpointEntry>& scanned);

} // namespace kaskade::core
