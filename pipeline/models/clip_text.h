#pragma once
// The Stable Cascade text encoder: HF transformers CLIPTextModelWithProjection
// (transformers/models/clip/modeling_clip.py), i.e. the text tower of OpenCLIP ViT-bigG/14.
// The module tree mirrors the HF one, so named_parameters() equal the keys of
// text_encoder/model(.bf16).safetensors. Other on-disk layouts (OpenCLIP, ComfyUI all-in-one) are
// renamed by pipeline/io/name_rules_text.h before loading. Spec: shared/spec/text-encoder.md §1.

#include "pipeline/io/safetensors.h"
#include "pipeline/models/nn.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace kaskade::models {

enum class Activation { Gelu, QuickGelu }; // "gelu" = exact erf GELU; "quick_gelu" = x * sigmoid(1.702 x)

// CLIPTextConfig fields the forward pass needs; the defaults here are the Stable Cascade (bigG) values.
struct ClipTextConfig
{
    std::int64_t vocabSize = 49408;
    std::int64_t hiddenSize = 1280;
    std::int64_t intermediateSize = 5120;
    std::int64_t numHiddenLayers = 32;
    std::int64_t numAttentionHeads = 20;
    std::int64_t maxPositionEmbeddings = 77;
    std::int64_t projectionDim = 1280;
    double layerNormEps = 1e-5;
    Activation hiddenAct = Activation::Gelu;
    std::int64_t bosTokenId = 49406;
    std::int64_t eosTokenId = 49407;

    // From a parsed text_encoder/config.json (or a full CLIPConfig's "text_config"). As in HF, a field
    // that save_pretrained left out takes CLIPTextConfig's default (hidden 512, quick_gelu, ...), not the
    // bigG value. `what` names the source in errors (Error BadFormat / Unsupported).
    static ClipTextConfig fromJson(const nlohmann::json& json, const std::string& what);
    static ClipTextConfig fromFile(const std::filesystem::path& configJson);
    // A text_encoder/config.json that HF's CLIPTextModelWithProjection (and fromJson) reads back as this
    // configuration; torchDtype: "float32", "bfloat16" (what the weights file holds).
    nlohmann::json toJson(const std::string& torchDtype) const;
};

// CLIPAttention: multi-head self-attention with separate q/k/v projections.
struct ClipAttentionImpl : torch::nn::Module
{
    ClipAttentionImpl(const ClipTextConfig& config, const nn::Options& opts);
    // x (B,T,D), additive mask (B,1,T,T) in x's dtype -> (B,T,D)
    at::Tensor forward(const at::Tensor& x, const at::Tensor& mask) const;
    nn::Linear q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, out_proj{nullptr};
    std::int64_t heads;
};
TORCH_MODULE(ClipAttention);

// CLIPMLP: fc1 -> activation -> fc2.
struct ClipMlpImpl : torch::nn::Module
{
    ClipMlpImpl(const ClipTextConfig& config, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& x) const;
    nn::Linear fc1{nullptr}, fc2{nullptr};
    Activation activation;
};
TORCH_MODULE(ClipMlp);

// CLIPEncoderLayer: pre-LN residual attention and MLP.
struct ClipEncoderLayerImpl : torch::nn::Module
{
    ClipEncoderLayerImpl(const ClipTextConfig& config, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& x, const at::Tensor& mask) const;
    ClipAttention self_attn{nullptr};
    nn::LayerNorm layer_norm1{nullptr};
    ClipMlp mlp{nullptr};
    nn::LayerNorm layer_norm2{nullptr};
};
TORCH_MODULE(ClipEncoderLayer);

// CLIPTextEmbeddings. HF's position_ids buffer is non-persistent (and constant arange), so it is not
// registered; old checkpoints that still store it are accepted by loadClipText().
struct ClipTextEmbeddingsImpl : torch::nn::Module
{
    ClipTextEmbeddingsImpl(const ClipTextConfig& config, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& inputIds) const; // (B,T) int64 -> (B,T,D)
    nn::Embedding token_embedding{nullptr}, position_embedding{nullptr};
};
TORCH_MODULE(ClipTextEmbeddings);

// CLIPEncoder: holds `layers` (an nn.ModuleList).
struct ClipEncoderImpl : torch::nn::Module
{
    ClipEncoderImpl(const ClipTextConfig& config, const nn::Options& opts);
    nn::Sequential layers{nullptr};
};
TORCH_MODULE(ClipEncoder);

// CLIPTextTransformer: embeddings, encoder, final_layer_norm.
struct ClipTextTransformerImpl : torch::nn::Module
{
    ClipTextTransformerImpl(const ClipTextConfig& config, const nn::Options& opts);
    ClipTextEmbeddings embeddings{nullptr};
    ClipEncoder encoder{nullptr};
    nn::LayerNorm final_layer_norm{nullptr};
};
TORCH_MODULE(ClipTextTransformer);

struct ClipTextOutput
{
    at::Tensor hiddenLast;      // (B,T,D) hidden_states[-1]: last layer output BEFORE final LN = Stage C's clip_text
    at::Tensor lastHiddenState; // (B,T,D) after final_layer_norm
    at::Tensor pooledIndex;     // (B) int64: the pooled position (first EOS)
    at::Tensor poolerOutput;    // (B,D) lastHiddenState at pooledIndex
    at::Tensor textEmbeds;      // (B,P) text_projection(poolerOutput), not normalised; unsqueeze(1) = clip_text_pooled
    std::vector<at::Tensor> hiddenStates; // embeddings, then each layer's output (only when asked for)
};

// CLIPTextModelWithProjection.
struct ClipTextModelImpl : torch::nn::Module
{
    ClipTextModelImpl(const ClipTextConfig& config, const nn::Options& opts);
    // inputIds (B,T) integer, T <= max_position_embeddings; attentionMask (B,T), 1 = real token,
    // 0 = padding (undefined: no padding mask, as OpenCLIP). Inputs are moved to the model's device;
    // outputs have the model's dtype. Call under c10::InferenceMode.
    ClipTextOutput forward(const at::Tensor& inputIds, const at::Tensor& attentionMask = {},
                           bool keepHiddenStates = false) const;
    ClipTextTransformer text_model{nullptr};
    nn::Linear text_projection{nullptr};
    ClipTextConfig config;
};
TORCH_MODULE(ClipTextModel);

// The additive attention mask (B,1,T,T) of HF's CLIP: 0 where key j <= query i and attentionMask[b,j] == 1,
// else the lowest finite value of `dtype` (HF: finfo.min); both parts combined before converting, so no
// overflow to -inf. attentionMask undefined: causal only.
at::Tensor buildAttentionMask(std::int64_t batch, std::int64_t length, const at::Tensor& attentionMask,
                              const at::TensorOptions& opts);

// The pooled position per row: the first index whose id == eos (HF with eos_token_id != 2; 0 when a row
// has no eos, as HF's argmax over an all-zero mask); legacy configs with eos_token_id == 2 use argmax(ids).
at::Tensor poolingIndex(const at::Tensor& inputIds, std::int64_t eosTokenId);

// Builds the model with `opts` (dtype = compute dtype, device) and copies `hfTensors` (HF key names, any
// float dtype) into it. A stored text_model.embeddings.position_ids is ignored; anything else missing,
// extra or mis-shaped throws Error(BadCheckpoint) starting with `what`.
ClipTextModel loadClipText(const ClipTextConfig& config, const TensorMap& hfTensors, const std::string& what,
                           const nn::Options& opts = {});

} // namespace kaskade::models
