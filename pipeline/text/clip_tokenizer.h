#pragma once
// CLIP byte-level BPE tokenizer that behaves like Hugging Face's CLIPTokenizerFast, the tokenizer the
// official Stable Cascade pipeline runs (spec: shared/spec/text-encoder.md §3):
//   added-token split -> NFC -> whitespace runs to " " -> lowercase -> CLIP pre-tokenisation regex
//   -> UTF-8 bytes mapped to printable characters -> BPE with the "</w>" end-of-word marker
//   -> [BOS] + content + [EOS], truncated to 77 keeping EOS, padded with the pad id.
// No ftfy and no HTML unescaping (the fast tokenizer does neither; OpenAI's simple_tokenizer does both).
// Torch-free and Qt-free, so ui/ and app/ may include it.
//
// Literal "<|endoftext|>" / "<|startoftext|>" in the text become the special ids, as in HF: EOS is matched
// on the raw text (normalized=false), BOS and tokens added with addToken() on the normalised text.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kaskade::text {

// One model input row, as HF returns it for padding="max_length", truncation=True.
struct PaddedTokens
{
    std::vector<std::int64_t> ids;           // maxLen ids: BOS, content, EOS, then pad ids
    std::vector<std::int64_t> attentionMask; // maxLen: 1 for BOS..closing EOS, 0 for the padding
    std::int64_t pooledIndex = 0;            // position of the first EOS id (what the text model pools)
    bool truncated = false;                  // the content had more than maxLen - 2 tokens
};

class ClipTokenizer
{
public:
    static constexpr int kContextLength = 77;

    // `path`: a tokenizer folder (vocab.json + merges.txt, optional tokenizer_config.json and
    // special_tokens_map.json), a model folder with a tokenizer/ subfolder, a vocab.json or merges.txt
    // inside such a folder, or OpenAI/OpenCLIP's bpe_simple_vocab_16e6.txt(.gz).
    // Throws Error FileNotFound / FileIo / BadFormat naming the file.
    static ClipTokenizer load(const std::filesystem::path& path);
    static ClipTokenizer fromHfFolder(const std::filesystem::path& dir);
    // Builds the vocabulary the way simple_tokenizer does: 256 byte characters, the same + "</w>",
    // one entry per merge (the first 48,894 lines after the header), <|startoftext|>, <|endoftext|>.
    // Specials as in the Stable Cascade tokenizer folder: BOS 49406, EOS = pad = 49407, max length 77.
    static ClipTokenizer fromBpeFile(const std::filesystem::path& file);

    ClipTokenizer(ClipTokenizer&&) noexcept;
    ClipTokenizer& operator=(ClipTokenizer&&) noexcept;
    ~ClipTokenizer();

    // Content ids without BOS/EOS and without truncation. Throws InvalidArgument for invalid UTF-8.
    // Thread-safe (the per-word BPE cache is locked); addToken() is not safe against concurrent calls.
    std::vector<std::int64_t> encode(std::string_view text) const;
    // [BOS] + first maxLen-2 content ids + [EOS], padded with padId() to maxLen (maxLen >= 2).
    PaddedTokens encodePadded(std::string_view text, int maxLen = kContextLength) const;
    // The same layout for content ids produced elsewhere (e.g. by the prompt parser).
    PaddedTokens pad(const std::vector<std::int64_t>& contentIds, int maxLen = kContextLength) const;

    // Vocabulary string of an id ("cat</w>", "<|endoftext|>"); throws InvalidArgument when out of range.
    const std::string& token(std::int64_t id) const;
    std::vector<std::string> tokens(const std::vector<std::int64_t>& ids) const;
    std::optional<std::int64_t> tokenId(std::string_view token) const;
    // Readable text of ids: byte characters mapped back, "</w>" -> " ", specials kept as written.
    std::string decode(const std::vector<std::int64_t>& ids) const;

    std::int64_t vocabSize() const; // including added tokens (HF len(tokenizer))
    std::int64_t bosId() const;
    std::int64_t eosId() const;
    std::int64_t padId() const;
    int modelMaxLength() const;
    // Merge rules in rank order, each "left right" as in merges.txt.
    const std::vector<std::string>& merges() const;
    // The file or folder this was loaded from, for messages.
    const std::filesystem::path& source() const;

    // HF add_tokens([token]) with a normalised (lowercase-matched) added token: returns the new id
    // (vocabSize() before the call), or the existing id when the string is already in the vocabulary.
    // Used for LoRA text tokens (train_c_lora.py adds e.g. "[fernando]").
    std::int64_t addToken(const std::string& token);

    // Writes vocab.json ({token: id}) and merges.txt ("#version: 0.2" + one merge per line) into `dir`.
    void writeHfFiles(const std::filesystem::path& dir) const;

private:
    struct Impl;
    explicit ClipTokenizer(std::unique_ptr<Impl> impl);
    Impl& impl() const; // throws Error(InvalidArgument) on a moved-from tokenizer
    std::unique_ptr<Impl> impl_;
};

} // namespace kaskade::text
