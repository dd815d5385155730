#pragma once
// Stage A: the Paella-style VQGAN of modules/stage_a.py (StageA), f = 4 with the default 2 levels.
// decode() turns Stage B latents into RGB in ≈[0,1]; encode() is the inverse used for img2img.
// The module tree mirrors the Python one so that named_parameters() + named_buffers() equal the
// checkpoint keys (stable-cascade-keys.tsv, "stage_a": 122 entries, 18,406,894 parameters).

#include "pipeline/models/nn.h"

#include <nlohmann/json_fwd.hpp>

namespace kaskade::models {

// StageA(levels, bottleneck_blocks, c_hidden, c_latent, codebook_size, scale_factor); defaults = the release.
struct StageAConfig
{
    std::int64_t levels = 2;
    std::int64_t bottleneckBlocks = 12;
    std::int64_t cHidden = 384;
    std::int64_t cLatent = 4;
    std::int64_t codebookSize = 8192;
    double scaleFactor = 0.43; // the official inference value (Würstchen v2 used 0.3764)

    // From the official constructor argument names; absent fields keep their defaults.
    // Throws Error(BadFormat) for a field of the wrong type or a non-positive size.
    static StageAConfig fromJson(const nlohmann::json& json);
    nlohmann::json toJson() const; // the official argument names, as fromJson reads them
};

namespace stage_a {

// modules/stage_a.py ResBlock — not the ResBlock of modules/common.py: six learned modulation
// scalars (gammas), a replication-padded depthwise conv and affine-free LayerNorms with eps 1e-6.
struct ResBlockImpl : torch::nn::Module
{
    ResBlockImpl(std::int64_t c, std::int64_t cHidden, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& x) const;
    // The same, overwriting x (the decoder's own activations: one full-size tensor less).
    void forwardInPlace(at::Tensor& x) const;

    nn::LayerNorm norm1{nullptr};
    nn::Sequential depthwise{nullptr}; // 0: ReplicationPad2d(1), 1: Conv2d(c, c, 3, groups=c)
    nn::LayerNorm norm2{nullptr};
    nn::Sequential channelwise{nullptr}; // 0: Linear(c, c_hidden), 1: GELU, 2: Linear(c_hidden, c)
    at::Tensor gammas;                   // (6,)
};
TORCH_MODULE(ResBlock);

// torchtools VectorQuantize: only its codebook (an nn.Embedding) is stored. Kept so that the release
// file loads strictly; decoding never quantizes.
struct VectorQuantizeImpl : torch::nn::Module
{
    VectorQuantizeImpl(std::int64_t embeddingSize, std::int64_t k, const nn::Options& opts);
    nn::Embedding codebook{nullptr}; // (k, embeddingSize)
};
TORCH_MODULE(VectorQuantize);

// Elements of the widest temporary of one band of rows (see stage_a.cpp): the default keeps a 1024² decode
// near 0.6 GB of activations. Tests set a tiny value so that bands also split small images.
std::int64_t bandElements();
void setBandElements(std::int64_t elements);

} // namespace stage_a

struct StageAImpl : torch::nn::Module
{
    StageAImpl(const StageAConfig& config, const nn::Options& opts);

    // image (B,3,H,W) in [0,1] → latent (B,c_latent,H/2^levels,W/2^levels) = down_blocks(in_block(x)) / scale.
    // The input is cast to the weights' dtype; so is the result.
    at::Tensor encode(const at::Tensor& image) const;
    // latent (B,c_latent,h,w) → raw RGB (B,3,h·2^levels,w·2^levels), not clamped.
    at::Tensor decode(const at::Tensor& latent) const;

    StageAConfig config;
    nn::Sequential in_block{nullptr};    // 0: PixelUnshuffle(2), 1: Conv2d(12, c_levels[0], 1)
    nn::Sequential down_blocks{nullptr}; // ResBlock / strided Conv2d per level, then [Conv2d 1×1, BatchNorm2d]
    stage_a::VectorQuantize vquantizer{nullptr};
    nn::Sequential up_blocks{nullptr}; // [Conv2d 1×1], bottleneck ResBlocks, ConvTranspose2d, ResBlock ...
    nn::Sequential out_block{nullptr}; // 0: Conv2d(c_levels[0], 12, 1), 1: PixelShuffle(2)
};
TORCH_MODULE(StageA);

} // namespace kaskade::models
