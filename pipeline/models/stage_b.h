#pragma once
// Stage B, the diffusion decoder (modules/stage_b.py StageB): predicts the noise ε of a (B,4,H,W)
// Stage-A latent from the noise level r, the Stage C result ("effnet") and the pooled CLIP embedding.
//
// Usage during sampling (effnet and clip are constant, so they are encoded once per generation):
//     StageB model = loadStageB(file, at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA));
//     auto cond = model->encodeConditioning(effnet, clipPooled, {}, {}, H, W);   // batch [cond; uncond]
//     for each step: eps = model->forward(x, r, cond);                             // (2B,4,H,W) float32
// The plain forward(x, r, effnet, clip) gives the identical result.
// Run under c10::InferenceMode. See common_blocks.h for the mixed-precision policy.

#include "pipeline/io/safetensors.h"
#include "pipeline/models/common_blocks.h"
#include "pipeline/models/stage_c.h" // TConds
#include "pipeline/models/unet_config.h"

#include <filesystem>
#include <memory>

namespace kaskade::models {

struct StageBConditioning : Conditioning
{
    at::Tensor effnet; // (B,c_effnet,h',w') float32, any size (resized to the embedded latent)
    at::Tensor pixels; // (B,c_pixels,8,8) float32 (zeros by default, as at inference)
    // Optional, for one latent size: effnet_mapper(resize(effnet)) and resize(pixels_mapper(pixels)),
    // (B,c_hidden[0],H/p,W/p) float32. Computed by encodeConditioning when given the latent size; forward
    // recomputes them from effnet/pixels when absent or of another size.
    at::Tensor effnetMapped, pixelsMapped;
    // [a ; b] along the batch, e.g. cond ; uncond for classifier-free guidance.
    static StageBConditioning cat(const StageBConditioning& a, const StageBConditioning& b);
};

class StageBImpl : public torch::nn::Module
{
public:
    // Allocates uninitialised parameters with `options` (device + dtype; at::kMeta for a shape-only model).
    StageBImpl(const StageBConfig& config, const at::TensorOptions& options);

    // effnet (B,c_effnet,h',w'); clip (B,1,c_clip) or (B,c_clip); pixels (B,c_pixels,8,8) or undefined (zeros);
    // tConds (B) each. latentHeight/Width: the size of the x that forward() will get (0 = not precomputed).
    StageBConditioning encodeConditioning(const at::Tensor& effnet, const at::Tensor& clip,
                                          const at::Tensor& pixels = {}, const TConds& tConds = {},
                                          std::int64_t latentHeight = 0, std::int64_t latentWidth = 0) const;

    // x (B,c_in,H,W) with H, W multiples of patch_size·2^(levels-1) for exact skips (others are resized
    // as the official code does); r (B) → ε (B,c_out,H,W) float32.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& r, const StageBConditioning& cond) const;
    at::Tensor forward(const at::Tensor& x, const at::Tensor& r, const at::Tensor& effnet, const at::Tensor& clip,
                       const at::Tensor& pixels = {}, const TConds& tConds = {}) const;

    // gen_c_embeddings: clip_norm(clip_mapper(clip) viewed as (B, S·c_clip_seq, c_cond)), float32.
    at::Tensor clipEmbeddings(const at::Tensor& clip) const;

    const StageBConfig& config() const { return config_; }

    nn::Sequential effnet_mapper; // 0 Conv2d(c_effnet → 4c0, 1×1), 1 GELU, 2 Conv2d(4c0 → c0, 1×1), 3 LayerNorm2d
    nn::Sequential pixels_mapper; // same with c_pixels inputs
    nn::Linear clip_mapper = nullptr;
    nn::Sequential embedding; // 0 PixelUnshuffle, 1 Conv2d(c_in·p² → c0, 1×1), 2 LayerNorm2d
    nn::Sequential clf;       // 0 LayerNorm2d, 1 Conv2d(c0 → c_out·p², 1×1), 2 PixelShuffle

private:
    void mapImageConditions(StageBConditioning& cond, std::int64_t height, std::int64_t width) const;

    StageBConfig config_;
    std::unique_ptr<Levels> levels_;
};
TORCH_MODULE(StageB);

// Builds Stage B for a weight file and loads it strictly (a report naming `source` and the expected
// variant lists every problem). Configuration detected from the shapes (3B / 700M); `args` (a
// cascade.json "stage_b" "args" object, official names) overrides any argument. `options`: device and
// compute dtype (fp32, bf16 or fp16).
StageB loadStageB(const TensorMap& weights, const std::string& source, const at::TensorOptions& options,
                  const nlohmann::json* args = nullptr);
StageB loadStageB(const std::filesystem::path& file, const at::TensorOptions& options,
                  const nlohmann::json* args = nullptr);

} // namespace kaskade::models
