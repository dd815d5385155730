#pragma once
// Prompt emphasis syntax and the token windows the text encoder consumes (spec: text-encoder.md §5).
// Torch-free and Qt-free (the GUI's token counter uses it).
//
// Emphasis, as ComfyUI parses it (comfy/sd1_clip.py token_weights), plus A1111's square brackets:
//   (text)      weight × 1.1 (nesting multiplies: ((text)) = 1.21)
//   (text:1.5)  weight = 1.5 (absolute, as in ComfyUI: ((a:1.5)) is 1.5, not 1.65)
//   [text]      weight ÷ 1.1
//   \( \) \[ \] literal brackets
// One nesting counter covers both bracket kinds. Unbalanced brackets behave as in ComfyUI: an unclosed
// "(" keeps the rest of the text literal (brackets included) at the enclosing weight; a stray ")" drives
// the counter negative and the following brackets stay literal until it returns to zero. A group whose
// closer does not match its opener ("(a]") is literal. "(a:x)" with a weight that is not a finite number
// keeps ":x" as text at ×1.1. A1111 prompt editing ("[a:b:0.5]") is not supported: it reads as ÷1.1 text.
//
// Words: with chunking the text of each segment is split at " " and "\n" and every word is tokenized
// on its own (ComfyUI does this; the windows break between words), without chunking each segment is
// tokenized whole. Either way the tokens are those of the official (HF fast) tokenizer. ComfyUI differs in
// one respect we do not copy: it first looks a word up verbatim as "word</w>", so a bare capital letter
// ("A") becomes the uppercase byte token (288) instead of "a</w>" (320), which the model never saw.
//
// Token windows (what PromptEncoder in prompt_encoder.h consumes), n = size() >= 1:
//   ids[w][0..76]            BOS, up to 75 content ids, EOS, then pad ids (= EOS for Stable Cascade)
//   weights[w][0..76]        emphasis weight of each row; exactly 1.0 for BOS/EOS/pad and unweighted tokens
//   attentionMasks[w][0..76] 1 for BOS..closing EOS of the window, 0 for the padding
//   pooledIndex[w]           first EOS position of window w; the pooled vector comes from window 0 only
// Encoding, as ComfyUI's ClipTokenWeightEncoder.encode_token_weights does:
//   z_w = hidden_states[-1] of (ids[w], attentionMasks[w])                   (1, 77, 1280)
//   if hasWeights: z_empty = hidden_states[-1] of tokenizer.encodePadded("") (1, 77, 1280), and every
//     row j with weights[w][j] != 1 becomes z_empty[j] + weights[w][j] * (z_w[j] - z_empty[j])
//   clip_text = cat(z_0, z_1, ...) along the sequence axis                   (1, 77 * n, 1280)
//   clip_text_pooled = text_embeds of window 0 (unweighted)                  (1, 1, 1280)
// Cond and uncond can then have different window counts; the CFG batch needs equal lengths, so the caller
// pads or repeats the shorter one.

#include "pipeline/text/clip_tokenizer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kaskade::text {

struct WeightedSegment
{
    std::string text; // escapes resolved: "\(" is "(" here
    double weight = 1.0;
    bool operator==(const WeightedSegment&) const = default;
};

// The prompt split into runs of equal emphasis, in order; empty runs are dropped. Weights within 1e-9 of
// 1 are stored as exactly 1 (so "[(a)]" is unweighted).
// Throws Error(InvalidArgument) for brackets nested more than 32 levels deep and for a weight beyond
// ±1000 (e.g. "(cat:1e308)", which would turn the conditioning into inf and the image black).
std::vector<WeightedSegment> parseEmphasis(std::string_view prompt);

struct PromptTokenOptions
{
    bool emphasis = true; // parse (a:1.2) etc.; off: the text is tokenized as written
    // Off (official behaviour): one window, content truncated to 75 tokens, EOS kept.
    // On (ComfyUI): 75-token windows. A word of fewer than 8 tokens that does not fit moves whole to the
    // next window (the current one is closed with EOS and padded); longer words are split across windows.
    bool chunk = false;
};

struct TokenWindows
{
    std::vector<std::vector<std::int64_t>> ids;
    std::vector<std::vector<float>> weights;
    std::vector<std::vector<std::int64_t>> attentionMasks;
    std::vector<std::int64_t> pooledIndex;
    bool hasWeights = false; // some weight != 1: encode the empty prompt as the reference
    bool truncated = false;  // plain mode: content tokens were dropped
    int tokenCount = 0;      // content tokens of the whole prompt (no BOS/EOS), before truncation
    std::size_t size() const { return ids.size(); }
};

// Always at least one window (the empty prompt gives [BOS, EOS, pad...]). Window length: 77.
TokenWindows tokenizePrompt(const ClipTokenizer& tokenizer, std::string_view prompt,
                            const PromptTokenOptions& options = {});

// Number of content tokens (excluding BOS/EOS) of `prompt`, emphasis syntax removed when `emphasis`.
// Never throws for a prompt parseEmphasis refuses (it counts the text as written then): a live counter.
int countTokens(const ClipTokenizer& tokenizer, std::string_view prompt, bool emphasis = true);

} // namespace kaskade::text
