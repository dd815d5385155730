#pragma once
// Prompt text -> Stage C / Stage B text conditioning: tokenizer + prompt parser + CLIP text model.
//
// Plain path (options all off) = the official pipeline and diffusers: the prompt is tokenized literally,
// truncated to 75 content tokens (EOS kept), padded with 49407 and masked; clip_text = hidden_states[-1]
// (B,77,D), clip_text_pooled = text_embeds (B,1,P).
//
// Optional ComfyUI behaviour (comfy/sd1_clip.py ClipTokenWeightEncoder.encode_token_weights,
// spec text-encoder.md §5):
//   chunkLongPrompts  75-token windows, each encoded on its own with its mask; clip_text is the windows'
//                     hidden_states[-1] concatenated along the sequence axis (B, 77*n, D); the pooled vector
//                     is text_embeds of the first window. Stage C accepts any sequence length.
//   emphasis          "(text:1.3)", "(text)" x1.1, "[text]" /1.1 (see prompt_parser.h). When some weight != 1,
//                     the empty prompt "" is encoded too and every row j of window w with weight w_j != 1
//                     becomes z_empty[j] + (z[j] - z_empty[j]) * w_j (rows with weight 1, BOS, EOS and pads
//                     stay as they are; no mean renormalisation; the pooled vector is not weighted).
//                     With every weight 1 nothing is changed: the result is bit-identical to the plain path.
//
// Batches whose prompts have different window counts (also cond vs uncond when the caller encodes them in
// one call): every prompt is padded to the batch's largest count with windows of the encoded empty prompt.
// This is A1111's choice (pad_cond with the empty-prompt encoding) and the spec's recommendation; it adds
// keys that Stage C attends to, so a long prompt batched with a short one is not bit-identical to the short
// one alone (ComfyUI instead repeats sequences to a common multiple, which also changes Stage C's output
// because its attention mixes the image tokens into the keys). Pad an encoding later with padWindows().
//
// Caching: results are kept per (prompt, options) in a small LRU cache, so regenerating with a new seed
// does not run the text model again. Not thread-safe: use one encoder from one thread (the pipeline worker).

#include "pipeline/models/clip_text.h"
#include "pipeline/text/clip_tokenizer.h"

#include <list>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kaskade::text {

struct PromptEncodeOptions
{
    bool emphasis = false;         // parse ComfyUI emphasis; off: the text is tokenized as written (official)
    bool chunkLongPrompts = false; // 75-token windows; off: truncate to 75 content tokens (official)
    bool operator==(const PromptEncodeOptions&) const = default;
};

struct TextConditioning
{
    at::Tensor clipText;         // (B, 77*n, D) hidden_states[-1] windows, model dtype and device
    at::Tensor clipTextPooled;   // (B, 1, P) text_embeds of each prompt's first window
    std::vector<int> windows;    // windows each prompt produced (before padding to n)
    std::vector<bool> truncated; // plain mode: content tokens beyond 75 were dropped
    std::int64_t windowCount() const { return clipText.defined() ? clipText.size(1) / 77 : 0; }
};

// Pads `conditioning` with windows of `emptyWindow` (1, 77, D) to `windows` windows (no-op when it has as many).
TextConditioning padWindows(const TextConditioning& conditioning, const at::Tensor& emptyWindow, std::int64_t windows);

class PromptEncoder
{
public:
    PromptEncoder(std::shared_ptr<const ClipTokenizer> tokenizer, models::ClipTextModel model,
                  std::size_t cacheCapacity = 32);

    // One row per prompt (at least one prompt). Throws InvalidArgument for invalid UTF-8 or an empty batch.
    TextConditioning encode(const std::vector<std::string>& prompts, const PromptEncodeOptions& options = {});

    // hidden_states[-1] of the empty prompt (1, 77, D): the emphasis reference and the padding window.
    at::Tensor emptyWindow();

    const ClipTokenizer& tokenizer() const { return *tokenizer_; }
    const models::ClipTextModel& model() const { return model_; }

    struct Stats
    {
        int modelRuns = 0; // forward passes of the text model
        int cacheHits = 0; // prompts answered from the cache
    };
    Stats stats() const { return stats_; }
    void clearCache();

private:
    struct Encoded
    {
        at::Tensor clipText;       // (1, 77*n, D)
        at::Tensor clipTextPooled; // (1, 1, P)
        int windows = 1;
        bool truncated = false;
    };
    const Encoded& encodeOne(const std::string& prompt, const PromptEncodeOptions& options);
    Encoded runModel(const std::string& prompt, const PromptEncodeOptions& options);

    std::shared_ptr<const ClipTokenizer> tokenizer_;
    models::ClipTextModel model_;
    std::size_t capacity_;
    at::Tensor emptyWindow_;
    // LRU: most recent first; the map points into the list.
    using Key = std::pair<std::string, int>; // prompt, options bits
    std::list<std::pair<Key, Encoded>> entries_;
    std::map<Key, std::list<std::pair<Key, Encoded>>::iterator> index_;
    Stats stats_;
};

} // namespace kaskade::text
