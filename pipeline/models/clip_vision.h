#pragma once
// The image encoder for image variations: HF transformers CLIPVisionModelWithProjection
// (modeling_clip.py), in Stable Cascade openai/clip-vit-large-patch14 (24 layers, width 1024, 16 heads,
// patch 14, 224 px, projection 768, quick_gelu). Its image_embeds.unsqueeze(1) is Stage C's clip_img.
// The encoder layers are HF's CLIPEncoderLayer, shared with the text tower (clip_text.h).
//
// Accepted files (loadClipVision): the prior repo's image_encoder/{config.json, model.safetensors}
// (folder or file), a full CLIPModel model.safetensors (openai/clip-vit-large-patch14: the text tower,
// text_projection and logit_scale are ignored), ComfyUI clip_vision files (HF keys, possibly under
// "clip_l_vision." as in the all-in-one Stage C checkpoint). vision_model.embeddings.position_ids is ignored.

#include "pipeline/io/safetensors.h"
#include "pipeline/models/clip_text.h"
#include "pipeline/models/nn.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace kaskade::models {

struct ClipVisionConfig
{
    std::int64_t hiddenSize = 1024;
    std::int64_t intermediateSize = 4096;
    std::int64_t numHiddenLayers = 24;
    std::int64_t numAttentionHeads = 16;
    std::int64_t imageSize = 224;
    std::int64_t patchSize = 14;
    std::int64_t numChannels = 3;
    std::int64_t projectionDim = 768;
    double layerNormEps = 1e-5;
    Activation hiddenAct = Activation::QuickGelu;

    // Every width from the checkpoint's shapes (HF keys); heads from `hfConfig` (a CLIPVisionConfig or a
    // full CLIPConfig with "vision_config") when given, else hidden/64 (the ViT convention: L/14 → 16);
    // hidden_act / layer_norm_eps from hfConfig, else quick_gelu / 1e-5. Throws Error(BadCheckpoint)
    // naming `source` when a key is missing or shapes disagree with the config.
    static ClipVisionConfig fromWeights(const TensorMap& hfWeights, const nlohmann::json* hfConfig,
                                        const std::string& source);
    // The encoder layers reuse the text tower's modules, which take a ClipTextConfig.
    ClipTextConfig layerConfig() const;
};

// CLIPVisionEmbeddings: class_embedding (D), patch_embedding Conv2d(3→D, P, stride P, no bias),
// position_embedding (N,D), N = (S/P)² + 1. HF's position_ids buffer is not registered.
struct ClipVisionEmbeddingsImpl : torch::nn::Module
{
    ClipVisionEmbeddingsImpl(const ClipVisionConfig& config, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& pixelValues) const; // (B,3,S,S) → (B,N,D)
    at::Tensor class_embedding;
    nn::Conv2d patch_embedding{nullptr};
    nn::Embedding position_embedding{nullptr};
};
TORCH_MODULE(ClipVisionEmbeddings);

// CLIPVisionTransformer: embeddings, pre_layrnorm (sic), encoder.layers, post_layernorm.
struct ClipVisionTransformerImpl : torch::nn::Module
{
    ClipVisionTransformerImpl(const ClipVisionConfig& config, const nn::Options& opts);
    ClipVisionEmbeddings embeddings{nullptr};
    nn::LayerNorm pre_layrnorm{nullptr};
    ClipEncoder encoder{nullptr};
    nn::LayerNorm post_layernorm{nullptr};
};
TORCH_MODULE(ClipVisionTransformer);

struct ClipVisionOutput
{
    at::Tensor imageEmbeds;               // (B,P) visual_projection(poolerOutput): Stage C clip_img after unsqueeze(1)
    at::Tensor lastHiddenState;           // (B,N,D) encoder output (NOT post-normalised, as HF)
    at::Tensor poolerOutput;              // (B,D) post_layernorm(lastHiddenState[:,0])
    std::vector<at::Tensor> hiddenStates; // pre_layrnorm(embeddings), then each layer (only when asked for)
};

// CLIPVisionModelWithProjection.
struct ClipVisionModelImpl : torch::nn::Module
{
    ClipVisionModelImpl(const ClipVisionConfig& config, const nn::Options& opts);
    // pixelValues (B,3,S,S) = clipPreprocess(images, S), any float dtype, moved to the model's device and
    // dtype. Outputs in the model's dtype. Call under c10::InferenceMode.
    ClipVisionOutput forward(const at::Tensor& pixelValues, bool keepHiddenStates = false) const;
    ClipVisionTransformer vision_model{nullptr};
    nn::Linear visual_projection{nullptr};
    ClipVisionConfig config;
};
TORCH_MODULE(ClipVisionModel);

// The official clip_preprocess (train/train_c.py) on a float image tensor: Resize(size, BICUBIC) with
// no antialias (shorter side → size, longer → int(size·long/short); bicubic a = −0.75, align_corners
// False, no clamping), CenterCrop(size) at offsets round((h−size)/2), round((w−size)/2), then Normalize
// with the CLIP mean (0.48145466, 0.4578275, 0.40821073) / std (0.26862954, 0.26130258, 0.27577711).
// images01 (B,3,H,W) in [0,1] → (B,3,size,size) float32.
at::Tensor clipPreprocess(const at::Tensor& images01, int size = 224);

// Renames a file's tensors to HF CLIPVisionModelWithProjection keys: strips a known prefix
// ("clip_l_vision.", "clip_vision.", "image_encoder."), keeps vision_model.* and visual_projection.weight,
// drops the text tower, logit_scale and position_ids. Throws Error(BadCheckpoint) naming `source` when no
// vision tower is found.
TensorMap clipVisionTensors(const TensorMap& fileTensors, const std::string& source);

// Loads from a file (model.safetensors / a ComfyUI clip_vision file) or a folder holding
// model.safetensors (or model.bf16.safetensors) and optionally config.json; a config.json beside a
// file is used too. Strict: every problem is reported, naming the file. `options`: device + compute dtype.
ClipVisionModel loadClipVision(const std::filesystem::path& fileOrDir, at::TensorOptions options);
ClipVisionModel loadClipVision(const TensorMap& hfTensors, const nlohmann::json* hfConfig, const std::string& source,
                               at::TensorOptions options);

} // namespace kaskade::models
