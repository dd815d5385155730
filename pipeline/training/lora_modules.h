#pragma once
// The trainable side of the official LoRA recipe (modules/lora.py, train/train_c_lora.py setup_models):
//   LoRA     on every AttnBlock's attention.attn.out_proj.weight and attention.attn.in_proj_weight, in the
//            official lora_map order (per block: out_proj first, then in_proj):
//            W_eff = W + (lora_up @ lora_down).view(W.shape) · (1/rank), never merged while training;
//   ReToken  trainable rows added to the text model's token embedding (table[indices[k]] += embeddings[k]),
//            for tokens added to the tokenizer ("[name]" / "<name>") or picked from the vocabulary by regex.
// The state is saved in the official file layout (safetensors.torch.save_file of lora.state_dict()):
// keys ordered by dtype descending, then by key bytes, so `embeddings.indices` (I64) comes first.

#include "pipeline/io/safetensors.h"

#include <ATen/ATen.h>
#include <c10/util/Optional.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace kaskade::models {
class StageCImpl;
struct ClipTextModelImpl;
} // namespace kaskade::models

namespace kaskade::training {

// One LoRA module of apply_lora.
struct LoraLayer
{
    std::string target; // official parameter name, e.g. "down_blocks.0.2.attention.attn.in_proj_weight"
    at::Tensor down;    // (rank, in), trainable
    at::Tensor up;      // (out, rank), trainable
    double scale = 1.0; // alpha / rank with the official alpha 1
};

// The official ModuleDict {"embeddings": ReToken, "weights": [LoRA ...]}.
struct LoraState
{
    at::Tensor embeddings;                                        // (n, width) ReToken rows, trainable (n may be 0)
    at::Tensor indices;                                           // (n) int64: the token ids, in list(set(ids)) order
    std::vector<std::pair<std::int64_t, std::string>> tokenNames; // info.train_tokens: (id, token string)
    std::vector<LoraLayer> layers;

    // Trainable tensors in the optimizer's order (lora.parameters()): embeddings.embeddings, then
    // weights.0.lora_down, weights.0.lora_up, weights.1.lora_down, ...
    std::vector<at::Tensor> parameters() const;
    std::vector<std::string> parameterNames() const; // the state_dict keys of parameters()
    // state_dict() under the official keys, including embeddings.indices.
    TensorMap stateDict() const;
    std::int64_t rank() const { return layers.empty() ? 0 : layers.front().down.size(0); }
};

// The LoRA targets of a Stage C in lora_map order (apply_lora on filter ".attn").
std::vector<std::string> loraTargets(models::StageCImpl& model);

// A train_tokens entry: [token regex or "[new]"/"<new>", aggregation regex or null].
struct TrainToken
{
    std::string pattern;
    c10::optional<std::string> aggregation;
};

// Adds the tokens as setup_models does, on a vocabulary (id = index, updated in place) and a token
// embedding table (rows appended, returned): a "[...]" / "<...>" pattern becomes a new entry whose row is
// the mean of the rows of every entry (added ones included) that re.search-matches the aggregation regex
// (zeros when none matches or it is null); any other pattern selects existing entries by re.search.
// Returns the extended table; `updateIds` receives list(set(ids)) in CPython's iteration order.
at::Tensor addTrainTokens(const at::Tensor& table, std::vector<std::string>& vocab,
                          const std::vector<TrainToken>& tokens, std::vector<std::int64_t>& updateIds);

// list(set(ids)) for non-negative ints in CPython's order (open addressing, hash(i) = i; 8 slots, x4
// growth when fill*5 >= mask*3; up to 9 linear probes, then perturbed probing).
std::vector<std::int64_t> cpythonSetOrder(const std::vector<std::int64_t>& ids);

// The official initialisation: lora_down zeros, lora_up N(0,1) from `generator`, ReToken zeros. `dtype`
// is the LoRA dtype (the config's dtype; float32 by default).
LoraState createLora(models::StageCImpl& model, std::int64_t rank, const std::vector<std::int64_t>& updateIds,
                     std::int64_t textWidth, at::Generator generator, at::ScalarType dtype = at::kFloat);

// lora.load_state_dict(file): every key must exist with the shape of `state` (strict, every problem listed).
void loadLoraState(LoraState& state, const TensorMap& tensors, const std::string& source);

// The exact bytes of the official lora.safetensors (header and data), and the file itself (atomic write).
std::string officialLoraBytes(const LoraState& state);
void saveOfficialLora(const std::filesystem::path& path, const LoraState& state);

// The same LoRA under ComfyUI / kohya names for Stage C: lora_prior_unet_<module path with '_'> with
// .lora_down.weight, .lora_up.weight and .alpha (= scale·rank); in_proj split into attention_attn_to_q/k/v
// (ComfyUI's Stable Cascade attention has separate projections). The text-side ReToken rows have no
// ComfyUI key: they are left out and reported in `dropped`.
TensorMap toComfyUi(const TensorMap& official, const std::vector<std::string>& targets,
                    std::vector<std::string>* dropped);

// Puts W_eff (and the ReToken table) into the forward code for the guard's lifetime. The modules' forward
// reads their weight members; the guard swaps those handles for the differentiable W + delta and puts the
// originals back, so the registered parameters (the checkpoint values) are never written.
class LoraForwardGuard
{
public:
    LoraForwardGuard(models::StageCImpl& model, models::ClipTextModelImpl* text, const LoraState& state);
    ~LoraForwardGuard();
    LoraForwardGuard(const LoraForwardGuard&) = delete;
    LoraForwardGuard& operator=(const LoraForwardGuard&) = delete;

private:
    std::vector<std::pair<at::Tensor*, at::Tensor>> swapped_; // member, original handle
};

} // namespace kaskade::training
