#pragma once
// LoRA for Stage C (stable-cascade.md §10, ecosystem.md §5.4), merged into the weights.
//
// Formats read:
//   official   weights.{i}.lora_down / lora_up (+ embeddings.embeddings / embeddings.indices): no module
//              paths; i follows the official order rule — per AttnBlock in module order (down levels, then
//              up levels, by block index) first out_proj (2k) then in_proj (2k+1); scale = 1/rank.
//   onetrainer / kohya / ComfyUI  lora_prior_unet_<module path, '.' → '_'>.{lora_down.weight, lora_up.weight,
//              alpha}; attention spelled officially (attention_attn_in_proj), diffusers-style
//              (attention_to_q/to_k/to_v/to_out_0) or ComfyUI-style (attention_attn_to_q ..., _out_proj);
//              q/k/v deltas go to their rows of the packed in_proj_weight; scale = alpha/rank.
// Text-encoder parts (lora_prior_te_*, added tokens) are reported, not applied to the UNet.
//
// Merging: W = W₀ + Σ strength_i · scale_i · (up_i @ down_i).view(W.shape), computed in fp32 and stored in
// the weight's dtype. The originals of touched weights are kept, so removing every LoRA restores the
// base model bit for bit, and changing strengths re-merges without reading files again.

#include "pipeline/io/safetensors.h"

#include <torch/nn/module.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kaskade {

struct LoraDelta
{
    std::string target; // official parameter name, e.g. "down_blocks.0.2.attention.attn.in_proj_weight"
    std::int64_t rowBegin = 0, rowEnd = -1; // rows of the target it covers (-1: all)
    at::Tensor down, up;                    // (rank, in...), (out, rank...) float32
    double scale = 1.0;                     // alpha / rank
};

struct LoraFile
{
    std::filesystem::path path;
    std::string format; // "official", "onetrainer"
    std::vector<LoraDelta> deltas;
    at::Tensor tokenEmbeddings;       // official text side (n, width), undefined when absent
    at::Tensor tokenIndices;          // (n) int64
    std::vector<std::string> ignored; // keys not applied (text encoder parts ...)
};

// Reads and maps a LoRA file onto the parameter names of `model` (a Stage C). Throws Error(BadCheckpoint)
// naming the file for a file that is no LoRA, a target that does not exist or a shape that does not fit.
LoraFile readLora(const std::filesystem::path& path, torch::nn::Module& model);
LoraFile mapLora(const TensorMap& tensors, const std::filesystem::path& path, torch::nn::Module& model);

// The AttnBlock prefixes of a Stage C in the official LoRA order ("down_blocks.0.2", ...).
std::vector<std::string> attentionBlocksInOrder(torch::nn::Module& model);

// Applies LoRAs to a module's weights, and takes them off again exactly.
class LoraMerger
{
public:
    // Sets the merged state to base + Σ strength·delta (replacing what was merged before).
    void apply(torch::nn::Module& model, const std::vector<std::pair<const LoraFile*, double>>& loras);
    // Restores every touched weight to its original value (bit for bit).
    void clear(torch::nn::Module& model);
    bool active() const { return !originals_.empty(); }

private:
    std::map<std::string, at::Tensor> originals_;
};

// The official ReToken step on a token-embedding table: append one row per added token initialised as the
// mean of the rows whose vocabulary string matches its aggregation regex (zeros if none), then add
// embeddings[i] to row indices[i]. `vocab[id]` is the token string of each existing row.
at::Tensor applyLoraTokens(const at::Tensor& tokenEmbedding, const std::vector<std::string>& vocab,
                           const std::vector<std::pair<std::string, std::string>>& addedTokens,
                           const at::Tensor& indices, const at::Tensor& embeddings);

} // namespace kaskade
