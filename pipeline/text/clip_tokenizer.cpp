#include "pipeline/text/clip_tokenizer.h"

#include "pipeline/errors.h"
#include "pipeline/io/safe_files.h"
#include "pipeline/text/clip_normalizer.h"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <fstream>
#include <functional>
#include <mutex>
#include <queue>
#include <sstream>
#include <unordered_map>

namespace kaskade::text {
namespace fs = std::filesystem;

// Outside the anonymous namespace: a member of ClipTokenizer::Impl (GCC warns otherwise in unity builds).
struct AddedToken
{
    std::string content;
    std::int64_t id = 0;
    bool normalized = false; // matched on the normalised text (true) or on the raw text (false)
};

namespace {

// simple_tokenizer.py and the slow HF CLIPTokenizer keep merges[1 : 49152 - 256 - 2 + 1]: the vocabulary
// is 49152 minus the two specials, of which 512 are byte characters.
constexpr std::size_t kMaxMerges = 49152 - 256 - 2;
constexpr const char* kBos = "<|startoftext|>";
constexpr const char* kEos = "<|endoftext|>";
constexpr std::size_t kMaxCachedWords = 100000;
// The released vocab.json is 1.6 MB and merges.txt 0.5 MB; anything far larger is not a tokenizer file.
constexpr std::uint64_t kMaxTokenizerFile = 64ull << 20;

std::string readTextFile(const fs::path& file)
{
    return io::readRegularFile(file, kMaxTokenizerFile); // refuses FIFOs/devices, bounds the size
}

// gzip (or, transparently, plain) text through zlib.
std::string readGzipFile(const fs::path& file)
{
    io::requireRegularFile(file); // gzopen would block on a FIFO
    gzFile gz = gzopen(file.string().c_str(), "rb");
    if (!gz)
        throw Error(ErrorCode::FileIo, file.string() + ": cannot open");
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        const int n = gzread(gz, buffer, sizeof buffer);
        if (n < 0) {
            int code = 0;
            const std::string message = gzerror(gz, &code);
            gzclose(gz);
            throw Error(ErrorCode::BadFormat, file.string() + ": not a readable gzip file: " + message);
        }
        if (n == 0)
            break;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > kMaxTokenizerFile) { // a gzip bomb, not the 1.3 MB merges file
            gzclose(gz);
            throw Error(ErrorCode::BadFormat, file.string() + ": unpacks to more than " +
                                                  std::to_string(kMaxTokenizerFile) + " bytes (not a BPE merges file)");
        }
    }
    gzclose(gz);
    return text;
}

std::vector<std::string> splitLines(const std::string& text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        lines.push_back(std::move(line));
        start = end + 1;
    }
    return lines;
}

// "left right" -> validated merge line (exactly two non-empty parts).
std::string checkedMerge(const std::string& line, const fs::path& file, std::size_t lineNumber)
{
    const auto space = line.find(' ');
    if (space == std::string::npos || space == 0 || space + 1 == line.size() ||
        line.find(' ', space + 1) != std::string::npos)
        throw Error(ErrorCode::BadFormat, file.string() + ": line " + std::to_string(lineNumber) +
                                              " is not a merge 'left right': '" + line.substr(0, 80) + "'");
    return line;
}

nlohmann::json readJsonFile(const fs::path& file)
{
    return io::readJsonFile(file, kMaxTokenizerFile); // depth-checked: nlohmann's parser recurses
}

// A boolean field with a default; a field of another type is a format error (nlohmann's value() would
// throw a raw type_error).
bool tokenizerBoolField(const nlohmann::json& entry, const char* key, bool fallback, const fs::path& file)
{
    const auto it = entry.find(key);
    if (it == entry.end())
        return fallback;
    if (!it->is_boolean())
        throw Error(ErrorCode::BadFormat, file.string() + ": '" + key + "' of an added token is not true/false");
    return it->get<bool>();
}

} // namespace

// One BPE merge candidate of Impl::mergeWord: the pair starting at symbol `left`, valid while both symbols
// are unchanged. Outside the anonymous namespace because Impl, which has linkage, uses it.
struct BpeCandidate
{
    int rank;
    std::size_t left, right;
    std::uint32_t leftVersion, rightVersion;
    bool operator>(const BpeCandidate& other) const
    {
        return rank != other.rank ? rank > other.rank : left > other.left;
    }
};

namespace {

// A special-token entry of tokenizer_config.json / special_tokens_map.json: "text" or {"content": "text"}.
std::optional<std::string> specialContent(const nlohmann::json& config, const char* key)
{
    auto it = config.find(key);
    if (it == config.end())
        return std::nullopt;
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_object() && it->contains("content") && (*it)["content"].is_string())
        return (*it)["content"].get<std::string>();
    return std::nullopt;
}

} // namespace

struct ClipTokenizer::Impl
{
    fs::path source;
    std::unordered_map<std::string, std::int64_t> vocab;
    std::vector<std::string> idToToken;
    std::size_t fileVocabSize = 0; // entries that came from the files (writeHfFiles writes only these)
    std::vector<std::string> merges;
    std::unordered_map<std::string, int> mergeRanks;
    std::vector<AddedToken> added;
    std::int64_t bos = 0, eos = 0, pad = 0, unk = 0;
    int maxLength = kContextLength;
    detail::ClipPreTokenizer preTokenizer;

    mutable std::mutex cacheMutex;
    mutable std::unordered_map<std::string, std::vector<std::int64_t>> cache; // piece -> BPE ids

    void setToken(std::int64_t id, const std::string& token)
    {
        if (id >= static_cast<std::int64_t>(idToToken.size()))
            idToToken.resize(static_cast<std::size_t>(id) + 1);
        idToToken[static_cast<std::size_t>(id)] = token;
        vocab[token] = id;
    }

    void setMerges(std::vector<std::string> lines)
    {
        merges = std::move(lines);
        mergeRanks.clear();
        for (std::size_t rank = 0; rank < merges.size(); ++rank)
            mergeRanks.emplace(merges[rank], static_cast<int>(rank));
    }

    // Id of `content`, appending it to the vocabulary when absent (as HF does for unknown specials).
    std::int64_t idOrAppend(const std::string& content)
    {
        if (auto it = vocab.find(content); it != vocab.end())
            return it->second;
        const auto id = static_cast<std::int64_t>(idToToken.size());
        setToken(id, content);
        return id;
    }

    void registerAdded(const std::string& content, std::int64_t id, bool normalized)
    {
        for (auto& token : added)
            if (token.content == content) {
                token.id = id;
                token.normalized = normalized;
                return;
            }
        added.push_back({content, id, normalized});
    }

    // Splits `text` at the added tokens of one kind (leftmost-longest, as HF's Aho-Corasick matcher):
    // token ids go to `out`, the text between them to onText.
    void splitAdded(std::string_view text, bool normalized, std::vector<std::int64_t>& out,
                    const std::function<void(std::string_view)>& onText) const
    {
        std::size_t start = 0, i = 0;
        while (i < text.size()) {
            const AddedToken* best = nullptr;
            for (const auto& token : added)
                if (token.normalized == normalized && !token.content.empty() &&
                    text.compare(i, token.content.size(), token.content) == 0 &&
                    (!best || token.content.size() > best->content.size()))
                    best = &token;
            if (!best) {
                ++i;
                continue;
            }
            if (i > start)
                onText(text.substr(start, i - start));
            out.push_back(best->id);
            i += best->content.size();
            start = i;
        }
        if (start < text.size())
            onText(text.substr(start));
    }

    // Applies the merge rules to one word. Same result as the reference loop (merge the lowest-ranked
    // adjacent pair, every occurrence left to right, until none is a rule) in O(n log n): symbols form a
    // linked list and candidate pairs sit in a heap ordered by (rank, position); a candidate whose symbols
    // changed since it was queued is stale and skipped. The plain loop is O(n^2) and a 100 kB word hangs.
    void mergeWord(std::vector<std::string>& word) const
    {
        const std::size_t n = word.size();
        if (n < 2)
            return;
        constexpr std::size_t none = SIZE_MAX;
        std::vector<std::size_t> next(n), prev(n);
        std::vector<std::uint32_t> version(n, 0);
        std::vector<bool> alive(n, true);
        for (std::size_t i = 0; i < n; ++i) {
            next[i] = i + 1 < n ? i + 1 : none;
            prev[i] = i > 0 ? i - 1 : none;
        }
        std::priority_queue<BpeCandidate, std::vector<BpeCandidate>, std::greater<>> heap;
        std::string pair;
        auto push = [&](std::size_t left) {
            if (left == none || next[left] == none)
                return;
            const std::size_t right = next[left];
            pair.assign(word[left]).append(1, ' ').append(word[right]);
            if (auto it = mergeRanks.find(pair); it != mergeRanks.end())
                heap.push({it->second, left, right, version[left], version[right]});
        };
        for (std::size_t i = 0; i + 1 < n; ++i)
            push(i);
        while (!heap.empty()) {
            const BpeCandidate top = heap.top();
            heap.pop();
            if (!alive[top.left] || !alive[top.right] || next[top.left] != top.right ||
                version[top.left] != top.leftVersion || version[top.right] != top.rightVersion)
                continue; // stale
            word[top.left] += word[top.right];
            word[top.right].clear();
            alive[top.right] = false;
            ++version[top.left];
            next[top.left] = next[top.right];
            if (next[top.left] != none)
                prev[next[top.left]] = top.left;
            push(prev[top.left]);
            push(top.left);
        }
        std::vector<std::string> merged;
        for (std::size_t i = 0; i != none; i = next[i])
            merged.push_back(std::move(word[i]));
        word = std::move(merged);
    }

    // One pre-token: bytes -> byte characters, "</w>" on the last one, then merge the lowest-ranked
    // adjacent pair (every non-overlapping occurrence, left to right) until no pair is a merge rule.
    void appendBpe(std::string_view piece, std::vector<std::int64_t>& out) const
    {
        const std::string key(piece);
        {
            std::lock_guard lock(cacheMutex);
            if (auto it = cache.find(key); it != cache.end()) {
                out.insert(out.end(), it->second.begin(), it->second.end());
                return;
            }
        }
        const auto& chars = detail::byteCharacters();
        std::vector<std::string> word;
        word.reserve(piece.size());
        for (const char byte : piece)
            word.push_back(chars[static_cast<unsigned char>(byte)]);
        if (word.empty())
            return;
        word.back() += "</w>";
        mergeWord(word);
        std::vector<std::int64_t> ids;
        ids.reserve(word.size());
        for (const auto& symbol : word) {
            auto it = vocab.find(symbol);
            ids.push_back(it == vocab.end() ? unk : it->second); // only with an inconsistent vocab/merges pair
        }
        out.insert(out.end(), ids.begin(), ids.end());
        std::lock_guard lock(cacheMutex);
        if (cache.size() >= kMaxCachedWords)
            cache.clear();
        cache.emplace(key, std::move(ids));
    }

    std::vector<std::int64_t> encode(std::string_view text) const
    {
        std::vector<std::int64_t> ids;
        splitAdded(text, false, ids, [&](std::string_view raw) {
            const std::string normalized = detail::normalizeClip(raw);
            splitAdded(normalized, true, ids, [&](std::string_view part) {
                preTokenizer.split(part, [&](std::string_view piece) { appendBpe(piece, ids); });
            });
        });
        return ids;
    }
};

ClipTokenizer::ClipTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ClipTokenizer::Impl& ClipTokenizer::impl() const
{
    if (!impl_) // moved from: every call must fail cleanly, not dereference null
        throw Error(ErrorCode::InvalidArgument, "the tokenizer is not loaded");
    return *impl_;
}
ClipTokenizer::ClipTokenizer(ClipTokenizer&&) noexcept = default;
ClipTokenizer& ClipTokenizer::operator=(ClipTokenizer&&) noexcept = default;
ClipTokenizer::~ClipTokenizer() = default;

ClipTokenizer ClipTokenizer::load(const fs::path& path)
{
    if (!fs::exists(path))
        throw Error(ErrorCode::FileNotFound, path.string() + ": no such file or folder");
    if (fs::is_directory(path)) {
        if (fs::exists(path / "vocab.json"))
            return fromHfFolder(path);
        if (fs::exists(path / "tokenizer" / "vocab.json"))
            return fromHfFolder(path / "tokenizer");
        for (const char* name : {"bpe_simple_vocab_16e6.txt.gz", "bpe_simple_vocab_16e6.txt"})
            if (fs::exists(path / name))
                return fromBpeFile(path / name);
        throw Error(ErrorCode::FileNotFound, path.string() + ": no tokenizer here (expected vocab.json + merges.txt, "
                                                             "tokenizer/vocab.json or bpe_simple_vocab_16e6.txt.gz)");
    }
    const std::string name = path.filename().string();
    if (name == "vocab.json" || name == "merges.txt" || name == "tokenizer_config.json" ||
        name == "special_tokens_map.json")
        return fromHfFolder(path.parent_path());
    return fromBpeFile(path);
}

ClipTokenizer ClipTokenizer::fromHfFolder(const fs::path& dir)
{
    auto impl = std::make_unique<Impl>();
    impl->source = dir;

    const fs::path vocabFile = dir / "vocab.json";
    const nlohmann::json vocab = readJsonFile(vocabFile);
    if (!vocab.is_object() || vocab.empty())
        throw Error(ErrorCode::BadFormat, vocabFile.string() + ": expected a JSON object {token: id}");
    for (const auto& [token, id] : vocab.items()) {
        // Ids are 0..size-1 (checked below); bounding them first keeps a tiny file from allocating gigabytes.
        if (!id.is_number_integer() || id.get<std::int64_t>() < 0 ||
            id.get<std::int64_t>() >= static_cast<std::int64_t>(vocab.size()))
            throw Error(ErrorCode::BadFormat, vocabFile.string() + ": id of '" + token + "' is not a valid id (0.." +
                                                  std::to_string(vocab.size() - 1) + ")");
        impl->setToken(id.get<std::int64_t>(), token);
    }
    if (impl->vocab.size() != impl->idToToken.size())
        throw Error(ErrorCode::BadFormat, vocabFile.string() + ": ids are not 0.." +
                                              std::to_string(impl->vocab.size() - 1) + " without gaps or repeats");
    impl->fileVocabSize = impl->idToToken.size();

    const fs::path mergesFile = dir / "merges.txt";
    const auto lines = splitLines(readTextFile(mergesFile));
    std::vector<std::string> merges;
    for (std::size_t i = 0; i < lines.size() && merges.size() < kMaxMerges; ++i) {
        if (lines[i].empty() || (i == 0 && lines[i].rfind("#version", 0) == 0))
            continue;
        merges.push_back(checkedMerge(lines[i], mergesFile, i + 1));
    }
    impl->setMerges(std::move(merges));

    nlohmann::json config = nlohmann::json::object(), specialMap = nlohmann::json::object();
    if (fs::exists(dir / "tokenizer_config.json"))
        config = readJsonFile(dir / "tokenizer_config.json");
    if (fs::exists(dir / "special_tokens_map.json"))
        specialMap = readJsonFile(dir / "special_tokens_map.json");
    if (!config.is_object() || !specialMap.is_object())
        throw Error(ErrorCode::BadFormat, dir.string() + ": tokenizer_config.json / special_tokens_map.json "
                                                         "must hold JSON objects");
    auto special = [&](const char* key, const char* fallback) {
        if (auto content = specialContent(config, key))
            return *content;
        return specialContent(specialMap, key).value_or(fallback);
    };
    const std::string bos = special("bos_token", kBos), eos = special("eos_token", kEos);
    const std::string pad = special("pad_token", kEos), unk = special("unk_token", kEos);
    impl->bos = impl->idOrAppend(bos);
    impl->eos = impl->idOrAppend(eos);
    impl->pad = impl->idOrAppend(pad);
    impl->unk = impl->idOrAppend(unk);
    // Stable Cascade's files: BOS normalized=true, EOS/pad/unk normalized=false; added_tokens_decoder
    // (newer transformers) states it per token and wins.
    impl->registerAdded(bos, impl->bos, true);
    for (const auto& [content, id] : {std::pair{eos, impl->eos}, {pad, impl->pad}, {unk, impl->unk}})
        impl->registerAdded(content, id, false);
    if (auto it = config.find("added_tokens_decoder"); it != config.end() && it->is_object()) {
        // Added tokens continue the vocabulary; an id beyond that would leave a gap the size of the id.
        const auto lastValidId = static_cast<std::int64_t>(impl->idToToken.size() + it->size());
        const fs::path configFile = dir / "tokenizer_config.json";
        for (const auto& [key, entry] : it->items()) {
            if (!entry.is_object() || !entry.contains("content") || !entry["content"].is_string())
                continue;
            std::int64_t id = 0;
            std::size_t used = 0;
            try {
                id = std::stoll(key, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != key.size())
                throw Error(ErrorCode::BadFormat, configFile.string() + ": added_tokens_decoder key '" +
                                                      key.substr(0, 40) + "' is not an id");
            if (id < 0 || id > lastValidId)
                throw Error(ErrorCode::BadFormat, configFile.string() + ": added token id " + key + " is outside 0.." +
                                                      std::to_string(lastValidId));
            const std::string content = entry["content"].get<std::string>();
            if (content.empty())
                throw Error(ErrorCode::BadFormat, configFile.string() + ": added token " + key + " is empty");
            if (auto known = impl->vocab.find(content); known == impl->vocab.end() || known->second != id)
                impl->setToken(id, content);
            const bool special = tokenizerBoolField(entry, "special", false, configFile);
            impl->registerAdded(content, id, tokenizerBoolField(entry, "normalized", !special, configFile));
        }
    }
    if (auto it = config.find("model_max_length"); it != config.end() && it->is_number()) {
        const double length = it->get<double>();
        // HF writes a huge sentinel (1e30) when unknown; CLIP's context is 77 then.
        impl->maxLength = length >= 2 && length <= 1e6 ? static_cast<int>(length) : kContextLength;
    }
    return ClipTokenizer(std::move(impl));
}

ClipTokenizer ClipTokenizer::fromBpeFile(const fs::path& file)
{
    const std::string text = readGzipFile(file);
    const auto lines = splitLines(text);
    if (lines.empty() || lines[0].find("#version") == std::string::npos)
        throw Error(ErrorCode::BadFormat,
                    file.string() + ": not a CLIP BPE merges file (first line has no '#version' header)");
    auto impl = std::make_unique<Impl>();
    impl->source = file;
    std::vector<std::string> merges;
    for (std::size_t i = 1; i < lines.size() && merges.size() < kMaxMerges; ++i)
        if (!lines[i].empty())
            merges.push_back(checkedMerge(lines[i], file, i + 1));

    const auto& chars = detail::byteCharacters();
    std::int64_t id = 0;
    for (const char* suffix : {"", "</w>"})
        for (const std::uint8_t byte : detail::byteVocabOrder())
            impl->setToken(id++, chars[byte] + suffix);
    for (const auto& merge : merges) {
        std::string token = merge;
        token.erase(merge.find(' '), 1);
        if (impl->vocab.count(token))
            throw Error(ErrorCode::BadFormat, file.string() + ": merge '" + merge + "' repeats token '" + token + "'");
        impl->setToken(id++, token);
    }
    impl->setMerges(std::move(merges));
    impl->bos = id;
    impl->setToken(id++, kBos);
    impl->eos = impl->pad = impl->unk = id;
    impl->setToken(id++, kEos);
    impl->fileVocabSize = impl->idToToken.size();
    impl->registerAdded(kBos, impl->bos, true);
    impl->registerAdded(kEos, impl->eos, false);
    return ClipTokenizer(std::move(impl));
}

std::vector<std::int64_t> ClipTokenizer::encode(std::string_view text) const
{
    return impl().encode(text);
}

PaddedTokens ClipTokenizer::encodePadded(std::string_view text, int maxLen) const
{
    return pad(encode(text), maxLen);
}

PaddedTokens ClipTokenizer::pad(const std::vector<std::int64_t>& contentIds, int maxLen) const
{
    if (maxLen < 2)
        throw Error(ErrorCode::InvalidArgument, "token sequence length " + std::to_string(maxLen) + " < 2");
    const std::size_t length = static_cast<std::size_t>(maxLen);
    const std::size_t kept = std::min(contentIds.size(), length - 2);
    PaddedTokens out;
    out.truncated = kept < contentIds.size();
    out.ids.reserve(length);
    out.ids.push_back(impl().bos);
    out.ids.insert(out.ids.end(), contentIds.begin(), contentIds.begin() + static_cast<std::ptrdiff_t>(kept));
    out.ids.push_back(impl().eos);
    // As HF's padding step: the mask covers the whole unpadded sequence (also a literal EOS inside it).
    out.attentionMask.assign(out.ids.size(), 1);
    out.attentionMask.resize(length, 0);
    out.ids.resize(length, impl().pad);
    out.pooledIndex = std::find(out.ids.begin(), out.ids.end(), impl().eos) - out.ids.begin();
    return out;
}

const std::string& ClipTokenizer::token(std::int64_t id) const
{
    if (id < 0 || id >= vocabSize() || (impl().idToToken[static_cast<std::size_t>(id)].empty()))
        throw Error(ErrorCode::InvalidArgument,
                    "token id " + std::to_string(id) + " is not in the vocabulary of " + impl().source.string());
    return impl().idToToken[static_cast<std::size_t>(id)];
}

std::vector<std::string> ClipTokenizer::tokens(const std::vector<std::int64_t>& ids) const
{
    std::vector<std::string> out;
    out.reserve(ids.size());
    for (const auto id : ids)
        out.push_back(token(id));
    return out;
}

std::optional<std::int64_t> ClipTokenizer::tokenId(std::string_view token) const
{
    auto it = impl().vocab.find(std::string(token));
    if (it == impl().vocab.end())
        return std::nullopt;
    return it->second;
}

std::string ClipTokenizer::decode(const std::vector<std::int64_t>& ids) const
{
    static const std::unordered_map<std::string, char> byteOf = [] {
        std::unordered_map<std::string, char> map;
        const auto& chars = detail::byteCharacters();
        for (int b = 0; b < 256; ++b)
            map.emplace(chars[b], static_cast<char>(b));
        return map;
    }();
    std::string text;
    for (const auto id : ids) {
        const std::string& piece = token(id);
        const bool isAdded =
            std::any_of(impl().added.begin(), impl().added.end(), [&](const AddedToken& t) { return t.id == id; });
        if (isAdded) {
            text += piece;
            continue;
        }
        for (std::size_t i = 0; i < piece.size();) {
            if (piece.compare(i, 4, "</w>") == 0) {
                text += ' ';
                i += 4;
                continue;
            }
            std::size_t length = 1; // one UTF-8 character of the mapped form
            while (i + length < piece.size() && (static_cast<unsigned char>(piece[i + length]) & 0xC0) == 0x80)
                ++length;
            auto it = byteOf.find(piece.substr(i, length));
            text += it == byteOf.end() ? '?' : it->second;
            i += length;
        }
    }
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    return text;
}

std::int64_t ClipTokenizer::vocabSize() const
{
    return static_cast<std::int64_t>(impl().idToToken.size());
}
std::int64_t ClipTokenizer::bosId() const
{
    return impl().bos;
}
std::int64_t ClipTokenizer::eosId() const
{
    return impl().eos;
}
std::int64_t ClipTokenizer::padId() const
{
    return impl().pad;
}
int ClipTokenizer::modelMaxLength() const
{
    return impl().maxLength;
}
const std::vector<std::string>& ClipTokenizer::merges() const
{
    return impl().merges;
}
const fs::path& ClipTokenizer::source() const
{
    return impl().source;
}

std::int64_t ClipTokenizer::addToken(const std::string& token)
{
    if (token.empty())
        throw Error(ErrorCode::InvalidArgument, "cannot add an empty token");
    const std::int64_t id = impl().idOrAppend(token);
    impl().registerAdded(token, id, true);
    std::lock_guard lock(impl().cacheMutex);
    impl().cache.clear(); // cached words never contain added tokens, but stay on the safe side
    return id;
}

void ClipTokenizer::writeHfFiles(const fs::path& dir) const
{
    nlohmann::ordered_json vocab = nlohmann::ordered_json::object();
    for (std::size_t id = 0; id < impl().fileVocabSize; ++id)
        if (!impl().idToToken[id].empty())
            vocab[impl().idToToken[id]] = id;
    auto write = [&](const fs::path& file, const std::string& text) {
        std::ofstream out(file, std::ios::binary);
        out << text;
        if (!out.flush())
            throw Error(ErrorCode::FileIo, file.string() + ": cannot write");
    };
    write(dir / "vocab.json", vocab.dump(-1, ' ', false) + "\n");
    std::string merges = "#version: 0.2\n";
    for (const auto& merge : impl().merges)
        merges += merge + "\n";
    write(dir / "merges.txt", merges);
}

} // namespace kaskade::text
