#pragma once
// The EfficientNet encoder of modules/effnet.py (EfficientNetEncoder): torchvision's
// efficientnet_v2_s().features as `backbone`, then `mapper` = 1×1 conv to 16 channels + an affine-free
// BatchNorm. It maps an image to Stage C's latent space (B,16,ceil(H/32),ceil(W/32)): img2img,
// inpainting, super-resolution and Stage B reconstruction start from it. The same features module is
// the 'effnet' bottleneck of ControlNet (controlnet.h).
//
// What is fixed by torchvision's EfficientNetV2-S and what comes from the checkpoint (spec §7, parity
// README "EfficientNet structure facts"):
//   fixed:  backbone.0 = stem conv 3×3 stride 2 + BN + SiLU; backbone.1..6 = six stages whose first
//           layers have strides 1,2,2,2,1,2; stages 1-3 FusedMBConv, 4-6 MBConv; backbone.7 = 1×1 conv +
//           BN + SiLU; BN eps 1e-3 everywhere in the backbone; SiLU; SE gate sigmoid; no activation after
//           a projection conv; residual iff stride 1 and in == out.
//   read:   layers per stage, every channel width, kernel sizes, SE widths, the block layout of each
//           layer (FusedMBConv with/without expansion; MBConv with/without the expand conv).
// So the tiny parity backbone and the released 20 M-parameter file load through the same code.

#include "pipeline/io/safetensors.h"
#include "pipeline/models/nn.h"

#include <filesystem>
#include <string>
#include <vector>

namespace kaskade::models {

// One MBConv / FusedMBConv layer as read from the checkpoint.
struct EffnetLayerConfig
{
    bool fused = false;   // FusedMBConv (stages 1-3) or MBConv (4-6), from the presence of an SE block
    bool expands = false; // has an expansion conv (FusedMBConv: k×k in→exp; MBConv: 1×1 in→exp)
    std::int64_t in = 0, out = 0, expanded = 0, kernel = 3, stride = 1;
    std::int64_t squeeze = 0; // SE width (MBConv only)
    bool residual() const { return stride == 1 && in == out; }
};

// torchvision EfficientNet.features (indices 0..7) as read from the checkpoint.
struct EffnetFeaturesConfig
{
    std::int64_t cIn = 3; // stem input channels (ControlNet: 1 canny, 4 inpainting)
    std::int64_t stemChannels = 24;
    bool paddedStem = true; // false: ControlNet's replacement stem Conv2d(c_in, C0, 3, stride 2) without padding
    std::vector<std::vector<EffnetLayerConfig>> stages; // 6 stages
    std::int64_t lastChannel = 1280;                    // backbone.7 output width

    // Reads the structure from `weights` under `prefix` (e.g. "backbone."). `paddedStem` is not in the
    // file: the caller knows it (encoder: always padded; ControlNet: padded iff c_in == 3). Throws
    // Error(BadCheckpoint) naming `source` and the key when the layout is not an EfficientNetV2-style
    // features module.
    static EffnetFeaturesConfig fromWeights(const TensorMap& weights, const std::string& prefix,
                                            const std::string& source, c10::optional<bool> paddedStem = c10::nullopt);
    // The released efficientnet_v2_s (the default).
    static EffnetFeaturesConfig efficientNetV2S(std::int64_t cIn = 3);
};

// torchvision Conv2dNormActivation: "0" conv (no bias), "1" BatchNorm2d(eps 1e-3), "2" SiLU (placeholder)
// when `activation`.
struct EffnetConvNormActImpl : torch::nn::Module
{
    EffnetConvNormActImpl(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride,
                          std::int64_t groups, bool activation, const nn::Options& opts, std::int64_t padding = -1);
    at::Tensor forward(const at::Tensor& x) const;
    nn::Conv2d conv{nullptr};
    nn::BatchNorm2d norm{nullptr};
    bool activation;
};
TORCH_MODULE(EffnetConvNormAct);

// torchvision SqueezeExcitation: x · sigmoid(fc2(SiLU(fc1(avgpool(x))))).
struct EffnetSqueezeExcitationImpl : torch::nn::Module
{
    EffnetSqueezeExcitationImpl(std::int64_t channels, std::int64_t squeeze, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& x) const;
    nn::Conv2d fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(EffnetSqueezeExcitation);

// torchvision MBConv / FusedMBConv: `block` (Sequential) + residual; StochasticDepth is the identity in eval.
struct EffnetBlockImpl : torch::nn::Module
{
    EffnetBlockImpl(const EffnetLayerConfig& config, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& x) const;
    EffnetLayerConfig config;
    nn::Sequential block{nullptr};
};
TORCH_MODULE(EffnetBlock);

// efficientnet_v2_s().features: children "0" stem, "1".."6" stages (Sequentials of EffnetBlock), "7" head.
struct EfficientNetFeaturesImpl : torch::nn::Module
{
    EfficientNetFeaturesImpl(const EffnetFeaturesConfig& config, const nn::Options& opts);
    // x (B,c_in,H,W) → (B,last_channel,ceil(H/32),ceil(W/32)) (unpadded stem: one pixel less before the /2).
    // Computed in the weights' dtype; the result has that dtype.
    at::Tensor forward(const at::Tensor& x) const;
    EffnetFeaturesConfig config;
    std::vector<std::shared_ptr<torch::nn::Module>> entries; // 0..7
};
TORCH_MODULE(EfficientNetFeatures);

// modules/effnet.py EfficientNetEncoder(c_latent=16).
struct EfficientNetEncoderImpl : torch::nn::Module
{
    EfficientNetEncoderImpl(const EffnetFeaturesConfig& features, std::int64_t cLatent, const nn::Options& opts);
    // normalized (B,3,H,W) = effnetNormalize(images) → (B,c_latent,ceil(H/32),ceil(W/32)) float32.
    at::Tensor forward(const at::Tensor& normalized) const;
    // backbone(normalized) (B,last_channel,·,·) float32 (the parity fixture's backbone_output).
    at::Tensor backboneForward(const at::Tensor& normalized) const;
    // mapper(features) float32.
    at::Tensor mapperForward(const at::Tensor& features) const;

    EfficientNetFeatures backbone{nullptr};
    nn::Sequential mapper{
        nullptr}; // 0 Conv2d(last_channel → c_latent, 1×1, no bias), 1 BatchNorm2d(affine=False, eps 1e-5)
};
TORCH_MODULE(EfficientNetEncoder);

// ImageNet normalisation (torchvision Normalize(mean 0.485,0.456,0.406; std 0.229,0.224,0.225)) of
// images in [0,1], (B,3,H,W) any float dtype → float32.
at::Tensor effnetNormalize(const at::Tensor& images01);

// Builds the encoder from the checkpoint's shapes and loads it strictly. `options`: device and compute
// dtype (fp32 or bf16; a bf16 file is converted). Throws Error(BadCheckpoint) naming the file and the key(s).
EfficientNetEncoder loadEffnetEncoder(const TensorMap& weights, const std::string& source, at::TensorOptions options);
EfficientNetEncoder loadEffnetEncoder(const std::filesystem::path& file, at::TensorOptions options);

// Convenience: images (B,3,H,W) in [0,1] → Stage C latents (B,16,ceil(H/32),ceil(W/32)) float32
// (= encoder->forward(effnetNormalize(images))), on the encoder's device. Call under c10::InferenceMode.
at::Tensor effnetEncodeImages(const EfficientNetEncoder& encoder, const at::Tensor& images01);

} // namespace kaskade::models
