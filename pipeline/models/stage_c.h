#pragma once
// Stage C, the text-conditional prior (modules/stage_c.py StageC): predicts the noise ε of a
// (B,16,h,w) EfficientNet latent from the noise level r and the CLIP text conditioning.
//
// Usage during sampling (the text conditioning is constant, so it is encoded once per generation):
//     StageC model = loadStageC(file, at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA));
//     auto cond = model->encodeConditioning(clipText, clipTextPooled, clipImg);     // batch [cond; uncond]
//     for each step: eps = model->forward(x, r, cond);                                // (2B,16,h,w) float32
// The plain forward(x, r, clipText, clipTextPooled, clipImg) gives the identical result.
// Run under c10::InferenceMode. See common_blocks.h for the mixed-precision policy.

#include "pipeline/io/safetensors.h"
#include "pipeline/models/common_blocks.h"
#include "pipeline/models/unet_config.h"

#include <filesystem>
#include <memory>
#include <utility>

namespace kaskade::models {

// Optional named t_conds of forward(**kwargs), e.g. {{"sca", s}, {"crp", c}}; absent names are zeros.
using TConds = std::vector<std::pair<std::string, at::Tensor>>;

struct StageCConditioning : Conditioning
{
    // Optional ControlNet feed (spec §3.5): entry i (B,2048,h',w') is resized and added to x before the
    // i-th ResBlock call; an undefined tensor stands for None. Empty = no ControlNet.
    std::vector<at::Tensor> cnet;
    // [a ; b] along the batch, e.g. cond ; uncond for classifier-free guidance.
    static StageCConditioning cat(const StageCConditioning& a, const StageCConditioning& b);
};

class StageCImpl : public torch::nn::Module
{
public:
    // Allocates uninitialised parameters with `options` (device + dtype; at::kMeta for a shape-only model).
    StageCImpl(const StageCConfig& config, const at::TensorOptions& options);

    // clipText (B,S,c_clip_text), clipTextPooled (B,1,c_clip_text_pooled) or (B,c), clipImg (B,1,c_clip_img)
    // or (B,c); tConds (B) each. All float (any float dtype).
    StageCConditioning encodeConditioning(const at::Tensor& clipText, const at::Tensor& clipTextPooled,
                                          const at::Tensor& clipImg, const TConds& tConds = {}) const;

    // x (B,c_in,h,w) with h, w multiples of patch_size; r (B) → ε (B,c_out,h,w) float32.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& r, const StageCConditioning& cond) const;
    at::Tensor forward(const at::Tensor& x, const at::Tensor& r, const at::Tensor& clipText,
                       const at::Tensor& clipTextPooled, const at::Tensor& clipImg, const TConds& tConds = {}) const;

    // gen_c_embeddings: [text tokens | pooled × c_clip_seq | image × c_clip_seq] after clip_norm, float32.
    at::Tensor clipEmbeddings(const at::Tensor& clipText, const at::Tensor& clipTextPooled,
                              const at::Tensor& clipImg) const;

    const StageCConfig& config() const { return config_; }

    nn::Linear clip_txt_mapper = nullptr, clip_txt_pooled_mapper = nullptr, clip_img_mapper = nullptr;
    nn::Sequential embedding; // 0 PixelUnshuffle, 1 Conv2d(c_in·p² → c_hidden[0], 1×1), 2 LayerNorm2d
    nn::Sequential clf;       // 0 LayerNorm2d, 1 Conv2d(c_hidden[0] → c_out·p², 1×1), 2 PixelShuffle

private:
    StageCConfig config_;
    std::unique_ptr<Levels> levels_;
};
TORCH_MODULE(StageC);

// Builds Stage C for a weight file and loads it strictly (every key, every shape; a report naming
// `source` and the expected variant lists all problems). The configuration is detected from the shapes
// (3.6B / 1B); `args` (a cascade.json "stage_c" "args" object, official names) overrides any argument.
// `options`: device and compute dtype (fp32 or bf16; fp16 is refused, see checkStageCDtype).
StageC loadStageC(const TensorMap& weights, const std::string& source, const at::TensorOptions& options,
                  const nlohmann::json* args = nullptr);
StageC loadStageC(const std::filesystem::path& file, const at::TensorOptions& options,
                  const nlohmann::json* args = nullptr);

} // namespace kaskade::models
