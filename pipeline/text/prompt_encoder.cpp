#include "pipeline/text/prompt_encoder.h"

#include "pipeline/errors.h"
#include "pipeline/text/prompt_parser.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>

namespace kaskade::text {
namespace {

constexpr std::int64_t kWindow = ClipTokenizer::kContextLength; // 77 rows per window

// Rows of equal length -> (rows, kWindow) tensor.
template <typename T> at::Tensor stackRows(const std::vector<std::vector<T>>& rows, at::ScalarType dtype)
{
    std::vector<T> flat;
    for (const auto& row : rows)
        flat.insert(flat.end(), row.begin(), row.end());
    return at::tensor(c10::ArrayRef<T>(flat), at::TensorOptions().dtype(dtype))
        .view({static_cast<std::int64_t>(rows.size()), kWindow});
}

int optionBits(const PromptEncodeOptions& options)
{
    return (options.emphasis ? 1 : 0) | (options.chunkLongPrompts ? 2 : 0);
}

} // namespace

TextConditioning padWindows(const TextConditioning& conditioning, const at::Tensor& emptyWindow, std::int64_t windows)
{
    const std::int64_t have = conditioning.windowCount();
    if (have >= windows)
        return conditioning;
    TextConditioning padded = conditioning;
    const auto batch = conditioning.clipText.size(0);
    const auto pad = emptyWindow.to(conditioning.clipText.options()).repeat({batch, windows - have, 1}); // (B,77*k,D)
    padded.clipText = at::cat({conditioning.clipText, pad}, 1); // (B,77*windows,D)
    return padded;
}

PromptEncoder::PromptEncoder(std::shared_ptr<const ClipTokenizer> tokenizer, models::ClipTextModel model,
                             std::size_t cacheCapacity)
    : tokenizer_(std::move(tokenizer)), model_(std::move(model)), capacity_(std::max<std::size_t>(1, cacheCapacity))
{
    if (!tokenizer_ || !model_)
        throw Error(ErrorCode::InvalidArgument, "PromptEncoder needs a tokenizer and a text model");
}

void PromptEncoder::clearCache()
{
    entries_.clear();
    index_.clear();
    emptyWindow_ = at::Tensor();
}

at::Tensor PromptEncoder::emptyWindow()
{
    if (!emptyWindow_.defined()) {
        c10::InferenceMode inference;
        // ComfyUI's gen_empty_tokens: [BOS, EOS, pad...] with the mask up to the EOS, as tokenizing "".
        const PaddedTokens empty = tokenizer_->encodePadded("", kWindow);
        const auto out = model_->forward(stackRows<std::int64_t>({empty.ids}, at::kLong),
                                         stackRows<std::int64_t>({empty.attentionMask}, at::kLong));
        ++stats_.modelRuns;
        emptyWindow_ = out.hiddenLast; // (1,77,D)
    }
    return emptyWindow_;
}

PromptEncoder::Encoded PromptEncoder::runModel(const std::string& prompt, const PromptEncodeOptions& options)
{
    const TokenWindows windows =
        tokenizePrompt(*tokenizer_, prompt, {.emphasis = options.emphasis, .chunk = options.chunkLongPrompts});
    const auto n = static_cast<std::int64_t>(windows.size());
    const auto out = model_->forward(stackRows(windows.ids, at::kLong), stackRows(windows.attentionMasks, at::kLong));
    ++stats_.modelRuns;

    at::Tensor z = out.hiddenLast; // (n,77,D)
    if (windows.hasWeights) {
        // ComfyUI: z[j] = (z[j] - z_empty[j]) * w_j + z_empty[j] for rows with w_j != 1, computed in fp32.
        const auto w = stackRows(windows.weights, at::kFloat).to(z.device()).unsqueeze(-1); // (n,77,1)
        const auto empty = emptyWindow().to(at::kFloat);                                    // (1,77,D)
        const auto zf = z.to(at::kFloat);                                                   // (n,77,D)
        z = at::where(w.ne(1.0), (zf - empty) * w + empty, zf).to(z.scalar_type());         // (n,77,D)
    }
    Encoded encoded;
    encoded.clipText = z.reshape({1, n * kWindow, z.size(2)});           // (1,77*n,D): windows in order
    encoded.clipTextPooled = out.textEmbeds.slice(0, 0, 1).unsqueeze(1); // (1,1,P): first window
    encoded.windows = static_cast<int>(n);
    encoded.truncated = windows.truncated;
    return encoded;
}

const PromptEncoder::Encoded& PromptEncoder::encodeOne(const std::string& prompt, const PromptEncodeOptions& options)
{
    const Key key{prompt, optionBits(options)};
    if (auto it = index_.find(key); it != index_.end()) {
        entries_.splice(entries_.begin(), entries_, it->second); // now most recent
        ++stats_.cacheHits;
        return entries_.front().second;
    }
    Encoded encoded = runModel(prompt, options);
    entries_.emplace_front(key, std::move(encoded));
    index_[key] = entries_.begin();
    while (entries_.size() > capacity_) {
        index_.erase(entries_.back().first);
        entries_.pop_back();
    }
    return entries_.front().second;
}

TextConditioning PromptEncoder::encode(const std::vector<std::string>& prompts, const PromptEncodeOptions& options)
{
    if (prompts.empty())
        throw Error(ErrorCode::InvalidArgument, "no prompt to encode");
    c10::InferenceMode inference;
    std::vector<Encoded> rows; // copies share storage with the cache entries (eviction-safe)
    for (const auto& prompt : prompts)
        rows.push_back(encodeOne(prompt, options));

    TextConditioning result;
    int windows = 0;
    for (const auto& row : rows) {
        result.windows.push_back(row.windows);
        result.truncated.push_back(row.truncated);
        windows = std::max(windows, row.windows);
    }
    if (rows.size() == 1) { // the cached tensors themselves
        result.clipText = rows[0].clipText;
        result.clipTextPooled = rows[0].clipTextPooled;
        return result;
    }
    std::vector<at::Tensor> texts, pooled;
    for (const auto& row : rows) {
        TextConditioning one{row.clipText, row.clipTextPooled, {}, {}};
        texts.push_back(padWindows(one, row.windows < windows ? emptyWindow() : at::Tensor{}, windows).clipText);
        pooled.push_back(row.clipTextPooled);
    }
    result.clipText = at::cat(texts, 0);        // (B,77*n,D)
    result.clipTextPooled = at::cat(pooled, 0); // (B,1,P)
    return result;
}

} // namespace kaskade::text
