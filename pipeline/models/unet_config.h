#pragma once
// Constructor arguments of the official StageC (modules/stage_c.py) and StageB (modules/stage_b.py),
// with the class defaults, the released presets, detection from a checkpoint's shapes and parsing of
// the official argument names from JSON (a fixture's "config", a cascade.json "stage_c"/"stage_b" "args").
//
// Field names are the Python argument names in camelCase (c_hidden -> cHidden ...).

#include "pipeline/io/safetensors.h"

#include <ATen/core/ScalarType.h>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace kaskade::models {

using IntList = std::vector<std::int64_t>;

// The level structure shared by both networks (one entry per level, level 0 = full resolution).
struct UNetLevels
{
    IntList cHidden;                      // channels per level
    IntList nhead;                        // attention heads per level (-1 where the level has no 'A')
    std::vector<IntList> blocks;          // [down repetitions per level, up repetitions in up order]
    std::vector<IntList> blockRepeat;     // [down passes per level, up passes in up order]
    std::vector<std::string> levelConfig; // block letters per level: C ResBlock, T Timestep, A Attn, F FeedForward
    std::vector<double> dropout;          // per level (inference ignores it; kept for round trips)
    std::vector<bool> selfAttn;           // per level (the official bool is broadcast)
};

struct StageCConfig
{
    std::int64_t cIn = 16, cOut = 16, cR = 64, patchSize = 1, cCond = 2048;
    UNetLevels levels{{2048, 2048},   {32, 32},   {{8, 24}, {24, 8}}, {{1, 1}, {1, 1}},
                      {"CTA", "CTA"}, {0.1, 0.1}, {true, true}};
    std::int64_t cClipText = 1280, cClipTextPooled = 1280, cClipImg = 768, cClipSeq = 4, kernelSize = 3;
    std::vector<std::string> tConds{"sca", "crp"};
    std::vector<bool> switchLevel{false}; // per level transition: true = bilinear ×2 / ×0.5 resampling

    static StageCConfig full(); // "3.6B" = the class defaults (stage_c.safetensors)
    static StageCConfig lite(); // "1B" (stage_c_lite.safetensors)
};

struct StageBConfig
{
    std::int64_t cIn = 4, cOut = 4, cR = 64, patchSize = 2, cCond = 1280;
    UNetLevels levels{{320, 640, 1280, 1280},       {-1, -1, 20, 20},           {{2, 6, 28, 6}, {6, 28, 6, 2}},
                      {{1, 1, 1, 1}, {3, 3, 2, 2}}, {"CT", "CT", "CTA", "CTA"}, {0, 0, 0.1, 0.1},
                      {true, true, true, true}};
    std::int64_t cClip = 1280, cClipSeq = 4, cEffnet = 16, cPixels = 3, kernelSize = 3;
    std::vector<std::string> tConds{"sca"};

    static StageBConfig large(); // "3B" (really 1.56B) = the class defaults (stage_b.safetensors)
    static StageBConfig lite();  // "700M" (stage_b_lite.safetensors)
};

// "3.6B", "1B", "3B", "700M" for the released configurations, else "custom".
std::string variantName(const StageCConfig& config);
std::string variantName(const StageBConfig& config);

// Applies every key of `args` (official argument names) on top of `base`. Unknown names, wrong types
// and inconsistent lists throw Error(BadFormat) starting with `source`. `dropout` and `self_attn` may
// be a scalar (broadcast, as the official code does) or a list.
StageCConfig stageCConfigFromJson(const nlohmann::json& args, const std::string& source, const StageCConfig& base = {});
StageBConfig stageBConfigFromJson(const nlohmann::json& args, const std::string& source, const StageBConfig& base = {});

// The official argument names and values, e.g. for cascade.json or logs.
nlohmann::json toJson(const StageCConfig& config);
nlohmann::json toJson(const StageBConfig& config);

// Released variant from the weights: Stage C by clip_txt_mapper.weight dim 0 (2048 full, 1536 lite),
// Stage B by down_blocks.1.0.channelwise.0.weight last dim (640 large, 576 lite). Throws
// Error(BadCheckpoint) naming `source` when the file is not that stage or an unknown size (then a
// cascade.json "args" object must describe it).
StageCConfig detectStageCConfig(const TensorMap& weights, const std::string& source);
StageBConfig detectStageBConfig(const TensorMap& weights, const std::string& source);

// Throws Error(InvalidArgument) for structurally impossible configs (list lengths, heads not dividing
// channels, unknown block letters ...), so that construction never fails half-way.
void validate(const StageCConfig& config);
void validate(const StageBConfig& config);

// Compute dtypes: fp32 and bf16 for both stages; fp16 only for Stage B. Throws Error(Unsupported):
// "fp16 overflows in Stage C: NaN/black images; use bf16 or fp32".
void checkStageCDtype(at::ScalarType dtype);
void checkStageBDtype(at::ScalarType dtype);

} // namespace kaskade::models
