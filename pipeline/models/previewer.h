#pragma once
// The Stage C latent previewer of modules/previewer.py: a small conv net that maps an EfficientNet
// latent (B,16,h,w) to RGB ≈[0,1] at 8× its size (24×24 → 192×192). One Sequential `blocks` whose
// indices are the checkpoint keys ("previewer" in stable-cascade-keys.tsv: 58 entries, 3,979,651 params).

#include "pipeline/models/nn.h"

#include <nlohmann/json_fwd.hpp>

namespace kaskade::models {

struct PreviewerConfig
{
    std::int64_t cIn = 16;
    std::int64_t cHidden = 512;
    std::int64_t cOut = 3;

    // From the official argument names (c_in, c_hidden, c_out); absent fields keep their defaults.
    static PreviewerConfig fromJson(const nlohmann::json& json);
};

struct PreviewerImpl : torch::nn::Module
{
    PreviewerImpl(const PreviewerConfig& config, const nn::Options& opts);
    // latent (B,c_in,h,w) → (B,c_out,8h,8w), cast to the weights' dtype; not clamped.
    at::Tensor forward(const at::Tensor& latent) const;

    PreviewerConfig config;
    // Repeated (conv → GELU → BatchNorm2d) ×8, then a 1×1 conv: 25 entries, GELUs as placeholders.
    nn::Sequential blocks{nullptr};
};
TORCH_MODULE(Previewer);

} // namespace kaskade::models
