#pragma once
// The Stage C ControlNet of modules/controlnet.py (ControlNet): a `backbone` turns the control input
// into an embedding (B,E,h',w') and `projections.i` (1×1 conv, LeakyReLU(0.2), 1×1 conv to c_proj) map it
// to the feed of the proj_blocks[i]-th ResBlock call of Stage C (spec §3.5, §11; the hook lives in
// common_blocks.cpp Levels::forward, fed through StageCConditioning::cnet).
//
// Bottlenecks (from the checkpoint's keys):
//   effnet  EfficientNetV2-S features (effnet_encoder.h), E = last_channel (1280). c_in 3: the normal
//           padded stem; c_in ≠ 3 (canny 1, inpainting 4): the replacement stem without padding.
//   large   Conv1x1(c_in→L)+LeakyReLU(0.2)+Conv1x1(L→M), 8× CNetResBlock(M), Conv1x1(M→E) (super-resolution).
//   simple  Conv3x3(c_in→4c_in)+LeakyReLU(0.2)+Conv3x3(4c_in→c_in), E = c_in.
// proj_blocks are not in the file: from cascade.json / a fixture's args, else the released
// [0,4,8,12,51,55,59,63].

#include "pipeline/io/safetensors.h"
#include "pipeline/models/control_kind.h"
#include "pipeline/models/effnet_encoder.h"
#include "pipeline/models/nn.h"
#include "pipeline/models/unet_config.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace kaskade::models {

enum class ControlNetBottleneck { Effnet, Large, Simple };
const char* bottleneckName(ControlNetBottleneck mode) noexcept; // "effnet", "large", "simple"

struct ControlNetConfig
{
    ControlNetBottleneck bottleneck = ControlNetBottleneck::Effnet;
    std::int64_t cIn = 3;
    std::int64_t cProj = 2048;
    std::vector<std::int64_t> projBlocks{0, 4, 8, 12, 51, 55, 59, 63};  // released canny/inpainting/sr
    std::int64_t embedChannels = 1280;                                  // E
    EffnetFeaturesConfig effnet;                                        // effnet bottleneck only
    std::int64_t largeHidden = 16384, largeMid = 1024, largeBlocks = 8; // large bottleneck only

    // Bottleneck, c_in, widths and the number of projections from the checkpoint; proj_blocks from `args`
    // (official names: c_in, c_proj, proj_blocks, bottleneck_mode; a cascade.json "controlnet" "args" or a
    // fixture's config.args) when given, else the released list (its length must match the number of
    // projections in the file). Throws Error(BadCheckpoint / BadFormat) naming `source`.
    static ControlNetConfig fromWeights(const TensorMap& weights, const std::string& source,
                                        const nlohmann::json* args = nullptr);
    std::int64_t listLength() const; // max(proj_blocks) + 1
};

// CNetResBlock(c): x + blocks(x); blocks = [LayerNorm2d(c) (affine, eps 1e-5), GELU, Conv3x3, LayerNorm2d, GELU,
// Conv3x3].
struct CNetResBlockImpl : torch::nn::Module
{
    CNetResBlockImpl(std::int64_t c, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& x) const;
    nn::Sequential blocks{nullptr};
};
TORCH_MODULE(CNetResBlock);

struct ControlNetImpl : torch::nn::Module
{
    ControlNetImpl(const ControlNetConfig& config, const nn::Options& opts);
    // backbone(x): x (B,c_in,H,W) any float dtype → (B,E,h',w') float32.
    at::Tensor backboneForward(const at::Tensor& x) const;
    // The official forward: a list of length max(proj_blocks)+1, projections at their block indices
    // (a repeated index keeps the last projection, as the Python loop does), undefined tensors for None.
    // Entries (B,c_proj,h',w') float32. Call under c10::InferenceMode.
    std::vector<at::Tensor> forward(const at::Tensor& x) const;

    ControlNetConfig config;
    std::shared_ptr<torch::nn::Module> backbone; // EfficientNetFeatures or nn::Sequential (large / simple)
    nn::Sequential projections{nullptr};         // projections.i = Sequential[Conv2d, LeakyReLU, Conv2d]
};
TORCH_MODULE(ControlNet);

// Builds and loads strictly (config from the checkpoint, see ControlNetConfig::fromWeights).
ControlNet loadControlNet(const TensorMap& weights, const std::string& source, at::TensorOptions options,
                          const nlohmann::json* args = nullptr);
ControlNet loadControlNet(const std::filesystem::path& file, at::TensorOptions options,
                          const nlohmann::json* args = nullptr);

// Throws Error(Unsupported) when the ControlNet's projections (c_proj) do not match Stage C's width
// (`stageCWidth` = c_hidden, which every Stage C level shares), e.g. the released ControlNets (2048)
// with the 1B Stage C (1536): "… needs Stage C 3.6B (width 2048); the loaded Stage C is 1B (1536)".
void checkControlNetFitsStageC(const ControlNetConfig& config, std::int64_t stageCWidth, const std::string& source,
                               const std::string& stageCVariant = {});
// The same against a whole Stage C configuration: every proj_blocks entry must land on a ResBlock call
// whose level has c_proj channels (entries beyond Stage C's calls are ignored, as the official deliverer does).
void checkControlNetFitsStageC(const ControlNetConfig& config, const StageCConfig& stageC, const std::string& source);
// Channels of x at each ResBlock call of Stage C, in the order the ControlNet list is consumed (spec §3.5).
std::vector<std::int64_t> stageCResBlockCallWidths(const StageCConfig& stageC);

// The expected control input for a kind: c_in and bottleneck of the released files (canny 1/effnet,
// inpainting 4/effnet, super-resolution 16/large). Throws Error(BadCheckpoint) naming `source` when a
// loaded ControlNet is of another kind (e.g. canny.safetensors holding an inpainting net).
void checkControlNetKind(const ControlNetConfig& config, ControlKind kind, const std::string& source);

} // namespace kaskade::models
