#pragma once
// Which file feeds each network of a model set, and the loaders that turn those files into modules
// (names converted to the official ones, configuration from cascade.json or detected from shapes).

#include "pipeline/generator.h"
#include "pipeline/loading/model_set.h"
#include "pipeline/models/clip_text.h"
#include "pipeline/models/clip_vision.h"
#include "pipeline/models/controlnet.h"
#include "pipeline/models/effnet_encoder.h"
#include "pipeline/models/previewer.h"
#include "pipeline/models/stage_a.h"
#include "pipeline/models/stage_b.h"
#include "pipeline/models/stage_c.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace kaskade {

// A ModelSet (model_set.h) with the spec's overrides applied (a fine-tuned Stage C / Stage B, a text
// encoder beside the Stage C file) and cascade.json parsed.
struct ModelFiles : ModelSet
{
    std::filesystem::path tokenizer; // tokenizerDir (vocab.json + merges.txt), or bpe_simple_vocab_16e6.txt.gz
    nlohmann::json cascade;          // cascade.json (constructor arguments), or null
    bool demo = false;
    std::vector<ModelFileInfo> fileList() const;
};

// The `role` part of a checkpoint file (its files, key layout, prefix, variant); Error(BadCheckpoint) saying
// what the file is instead ("x.safetensors is a Stable Cascade Stage B 700M ...; expected <expectedText>").
WeightSource weightSourceOf(const std::filesystem::path& file, Role role, const std::string& expectedText);

// Resolves a model folder in any layout and the spec's Stage C / Stage B overrides. Throws
// Error(FileNotFound) listing every missing piece, or BadCheckpoint for an override of the wrong kind
// ("x.safetensors is a Stable Cascade Stage B 700M ...; expected a Stage C checkpoint").
ModelFiles resolveModelFiles(const ModelSpec& spec);

// Memory the networks need at `elementSize` bytes per weight.
std::uint64_t estimatedBytes(const ModelFiles& files, std::size_t elementSize);

models::ClipTextModel loadTextEncoder(const ModelFiles& files, const at::TensorOptions& options);
models::StageC loadStageCFrom(const ModelFiles& files, const at::TensorOptions& options);
models::StageB loadStageBFrom(const ModelFiles& files, const at::TensorOptions& options);
models::StageA loadStageAFrom(const ModelFiles& files, const at::TensorOptions& options);
models::Previewer loadPreviewerFrom(const ModelFiles& files, const at::TensorOptions& options);
// The optional image-input networks. Each throws Error(FileNotFound) naming the missing file and where to
// get it when the set has none; loading problems name the file and the key.
models::EfficientNetEncoder loadEffnetFrom(const ModelFiles& files, const at::TensorOptions& options);
models::ClipVisionModel loadClipVisionFrom(const ModelFiles& files, const at::TensorOptions& options);
// proj_blocks from cascade.json "controlnet_<kind>" or "controlnet" args when present (demo/parity sets).
models::ControlNet loadControlNetFrom(const ModelFiles& files, ControlKind kind, const at::TensorOptions& options);

} // namespace kaskade
