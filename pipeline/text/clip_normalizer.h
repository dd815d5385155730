#pragma once
// Internal pieces of ClipTokenizer: the Unicode normaliser, the pre-tokenisation regex and GPT-2's
// byte-to-character map (spec: shared/spec/text-encoder.md §3.2 steps 2-4).

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace kaskade::text::detail {

// HF CLIP normaliser: NFC, every run of Unicode White_Space replaced by one " ", then lowercase per
// character (Rust char::to_lowercase: no final-sigma rule). Throws Error(InvalidArgument) on invalid UTF-8.
std::string normalizeClip(std::string_view text);

// The CLIP split pattern 's|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+ (PCRE2, UTF + UCP),
// keeping only the matches (HF Split behavior "removed", invert=true). Input must be valid UTF-8.
class ClipPreTokenizer
{
public:
    ClipPreTokenizer();
    ~ClipPreTokenizer();
    ClipPreTokenizer(const ClipPreTokenizer&) = delete;
    ClipPreTokenizer& operator=(const ClipPreTokenizer&) = delete;

    void split(std::string_view text, const std::function<void(std::string_view)>& onPiece) const;

private:
    struct Pattern;
    std::unique_ptr<Pattern> pattern_;
};

// GPT-2 bytes_to_unicode(): byte -> UTF-8 of the printable character standing for it.
const std::array<std::string, 256>& byteCharacters();
// The bytes in bytes_to_unicode()'s insertion order ('!'..'~', '¡'..'¬', '®'..'ÿ', then the other 68):
// position i is the vocabulary id of that byte's character.
const std::array<std::uint8_t, 256>& byteVocabOrder();

} // namespace kaskade::text::detail
