#include "pipeline/text/prompt_parser.h"

#include "pipeline/errors.h"

#include <charconv>
#include <cmath>
#include <optional>

namespace kaskade::text {

namespace {

constexpr int kWindowLength = ClipTokenizer::kContextLength; // 77 = BOS + 75 + EOS
constexpr std::size_t kLargeWord = 8;                        // ComfyUI's max_word_length
// Deepest bracket nesting we parse: the parser recurses per level and copies the inner text each time,
// so a prompt of 100,000 "(" would overflow the stack. 1.1^32 is already a weight of 21.
constexpr int kMaxEmphasisDepth = 32;
// Weights beyond this only push the embedding far outside what the networks saw (ComfyUI's UI offers
// up to 2); a bound keeps the conditioning finite in bf16 too.
constexpr double kMaxPromptWeight = 1000.0;

// Escaped brackets become private two-byte markers while parsing (ComfyUI's escape_important).
constexpr std::pair<std::string_view, std::string_view> kEscapes[] = {
    {"\\)", std::string_view("\0\1", 2)},
    {"\\(", std::string_view("\0\2", 2)},
    {"\\]", std::string_view("\0\3", 2)},
    {"\\[", std::string_view("\0\4", 2)},
};

std::string replaceAll(std::string text, std::string_view from, std::string_view to)
{
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

bool isOpener(char c)
{
    return c == '(' || c == '[';
}
bool isCloser(char c)
{
    return c == ')' || c == ']';
}

// ComfyUI's parse_parentheses with both bracket kinds on one counter: top-level groups "(...)" / "[...]"
// and the text between them.
std::vector<std::string> splitGroups(std::string_view text)
{
    std::vector<std::string> items;
    std::string current;
    int depth = 0;
    for (const char c : text) {
        if (isOpener(c)) {
            if (depth == 0 && !current.empty())
                items.push_back(std::move(current));
            if (depth == 0)
                current.assign(1, c);
            else
                current += c;
            ++depth;
        } else if (isCloser(c)) {
            --depth;
            current += c;
            if (depth == 0) {
                items.push_back(std::move(current));
                current.clear();
            }
        } else {
            current += c;
        }
    }
    if (!current.empty())
        items.push_back(std::move(current));
    return items;
}

// Python float() for what prompts contain: optional sign, decimal or exponent form, surrounding spaces;
// locale-independent. Non-finite values are refused.
std::optional<double> parseWeight(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

void tokenWeights(std::string_view text, double weight, std::vector<WeightedSegment>& out, int depth)
{
    if (depth > kMaxEmphasisDepth)
        throw Error(ErrorCode::InvalidArgument,
                    "prompt: brackets are nested more than " + std::to_string(kMaxEmphasisDepth) + " levels deep");
    for (const auto& item : splitGroups(text)) {
        const bool paren = item.size() >= 2 && item.front() == '(' && item.back() == ')';
        const bool square = item.size() >= 2 && item.front() == '[' && item.back() == ']';
        if (!paren && !square) {
            out.push_back({item, weight});
            continue;
        }
        std::string_view inner = std::string_view(item).substr(1, item.size() - 2);
        if (square) {
            tokenWeights(inner, weight / 1.1, out, depth + 1);
            continue;
        }
        double innerWeight = weight * 1.1;
        if (const auto colon = inner.rfind(':'); colon != std::string_view::npos && colon > 0)
            if (const auto explicitWeight = parseWeight(inner.substr(colon + 1))) {
                innerWeight = *explicitWeight;
                inner = inner.substr(0, colon);
            }
        tokenWeights(inner, innerWeight, out, depth + 1);
    }
}

struct WeightedToken
{
    std::int64_t id;
    float weight;
};
using Window = std::vector<WeightedToken>; // content only, BOS/EOS added at the end

// The prompt as word groups (ComfyUI tokenizes word by word; the groups matter for where windows break).
std::vector<std::vector<WeightedToken>> wordGroups(const ClipTokenizer& tokenizer,
                                                   const std::vector<WeightedSegment>& segments, bool byWord)
{
    std::vector<std::vector<WeightedToken>> groups;
    auto addGroup = [&](std::string_view text, double weight) {
        auto& group = groups.emplace_back();
        for (const auto id : tokenizer.encode(text))
            group.push_back({id, static_cast<float>(weight)});
    };
    for (const auto& segment : segments) {
        if (!byWord) {
            addGroup(segment.text, segment.weight);
            continue;
        }
        std::string text = segment.text;
        for (char& c : text)
            if (c == '\n')
                c = ' ';
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = text.find(' ', start);
            if (end == std::string::npos)
                end = text.size();
            if (end > start)
                addGroup(std::string_view(text).substr(start, end - start), segment.weight);
            start = end + 1;
        }
    }
    return groups;
}

// ComfyUI's SDTokenizer.tokenize_with_weights window packing.
std::vector<Window> packWindowLengths(std::vector<std::vector<WeightedToken>> groups)
{
    constexpr std::size_t capacity = kWindowLength - 2;
    std::vector<Window> windows(1);
    for (auto& group : groups) {
        const bool large = group.size() >= kLargeWord;
        std::size_t next = 0;
        while (next < group.size()) {
            Window& window = windows.back();
            const std::size_t left = group.size() - next;
            if (window.size() + left <= capacity) {
                window.insert(window.end(), group.begin() + static_cast<long>(next), group.end());
                break;
            }
            if (large) { // fill this window with the word's head, continue in the next one
                const std::size_t take = capacity - window.size();
                window.insert(window.end(), group.begin() + static_cast<long>(next),
                              group.begin() + static_cast<long>(next + take));
                next += take;
            }
            windows.emplace_back();
        }
    }
    return windows;
}

} // namespace

std::vector<WeightedSegment> parseEmphasis(std::string_view prompt)
{
    std::string escaped(prompt);
    for (const auto& [from, to] : kEscapes)
        escaped = replaceAll(std::move(escaped), from, to);
    std::vector<WeightedSegment> raw;
    tokenWeights(escaped, 1.0, raw, 0);
    std::vector<WeightedSegment> segments;
    for (auto& segment : raw) {
        for (const auto& [literal, marker] : kEscapes)
            segment.text = replaceAll(std::move(segment.text), marker, literal.substr(1));
        if (segment.text.empty())
            continue;
        if (std::abs(segment.weight - 1.0) < 1e-9)
            segment.weight = 1.0;
        // The text encoder runs in float: (cat:1e308) would become inf and then a black image.
        if (!std::isfinite(static_cast<float>(segment.weight)) || std::abs(segment.weight) > kMaxPromptWeight)
            throw Error(ErrorCode::InvalidArgument, "prompt: the weight " + std::to_string(segment.weight) + " of '" +
                                                        segment.text.substr(0, 40) + "' is out of range (-" +
                                                        std::to_string(static_cast<int>(kMaxPromptWeight)) + " to " +
                                                        std::to_string(static_cast<int>(kMaxPromptWeight)) + ")");
        segments.push_back(std::move(segment));
    }
    return segments;
}

TokenWindows tokenizePrompt(const ClipTokenizer& tokenizer, std::string_view prompt, const PromptTokenOptions& options)
{
    const std::vector<WeightedSegment> segments =
        options.emphasis ? parseEmphasis(prompt) : std::vector<WeightedSegment>{{std::string(prompt), 1.0}};
    auto groups = wordGroups(tokenizer, segments, options.chunk);

    TokenWindows out;
    for (const auto& group : groups)
        out.tokenCount += static_cast<int>(group.size());
    std::vector<Window> windows;
    if (options.chunk) {
        windows = packWindowLengths(std::move(groups));
    } else {
        Window all;
        for (const auto& group : groups)
            all.insert(all.end(), group.begin(), group.end());
        out.truncated = all.size() > kWindowLength - 2;
        all.resize(std::min<std::size_t>(all.size(), kWindowLength - 2));
        windows.push_back(std::move(all));
    }

    for (const auto& window : windows) {
        std::vector<std::int64_t> content;
        std::vector<float> weights(kWindowLength, 1.0f);
        for (std::size_t i = 0; i < window.size(); ++i) {
            content.push_back(window[i].id);
            weights[i + 1] = window[i].weight; // row 0 is BOS
            out.hasWeights = out.hasWeights || window[i].weight != 1.0f;
        }
        PaddedTokens padded = tokenizer.pad(content, kWindowLength);
        out.ids.push_back(std::move(padded.ids));
        out.attentionMasks.push_back(std::move(padded.attentionMask));
        out.pooledIndex.push_back(padded.pooledIndex);
        out.weights.push_back(std::move(weights));
    }
    return out;
}

int countTokens(const ClipTokenizer& tokenizer, std::string_view prompt, bool emphasis)
{
    std::vector<WeightedSegment> segments;
    try {
        if (emphasis)
            segments = parseEmphasis(prompt);
    } catch (const Error&) {
        emphasis = false; // a live counter: count the text as written, generation reports the problem
    }
    if (!emphasis)
        return static_cast<int>(tokenizer.encode(prompt).size());
    int count = 0;
    for (const auto& segment : segments)
        count += static_cast<int>(tokenizer.encode(segment.text).size());
    return count;
}

} // namespace kaskade::text
