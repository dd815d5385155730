#include "pipeline/text/clip_normalizer.h"

#include "pipeline/errors.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>

#include <cstdlib>

namespace kaskade::text::detail {

namespace {

// Unicode White_Space (what Rust's regex \s means in HF's Replace(\s+, " ")): the Z categories plus
// U+0009..U+000D and U+0085. Taken from utf8proc's categories rather than a table of code points.
bool isWhiteSpace(utf8proc_int32_t c)
{
    if ((c >= 0x09 && c <= 0x0D) || c == 0x85)
        return true;
    const utf8proc_category_t category = utf8proc_category(c);
    return category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL || category == UTF8PROC_CATEGORY_ZP;
}

void appendCodePoint(std::string& out, utf8proc_int32_t c)
{
    utf8proc_uint8_t buffer[4];
    const auto n = utf8proc_encode_char(c, buffer);
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
}

struct FreeDeleter
{
    void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

} // namespace

std::string normalizeClip(std::string_view text)
{
    utf8proc_uint8_t* mapped = nullptr;
    const auto length =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
                     &mapped, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (length < 0)
        throw Error(ErrorCode::InvalidArgument,
                    std::string("prompt text is not valid UTF-8: ") + utf8proc_errmsg(length));
    const std::unique_ptr<utf8proc_uint8_t, FreeDeleter> nfc(mapped);

    std::string out;
    out.reserve(static_cast<std::size_t>(length));
    bool inSpace = false;
    for (utf8proc_ssize_t i = 0; i < length;) {
        utf8proc_int32_t c = 0;
        i += utf8proc_iterate(nfc.get() + i, length - i, &c); // valid: utf8proc_map checked it
        if (isWhiteSpace(c)) {
            if (!inSpace)
                out += ' ';
            inSpace = true;
            continue;
        }
        inSpace = false;
        if (c == 0x130) {
            // U+0130 is the one character whose full lowercase mapping (SpecialCasing, what Rust's
            // char::to_lowercase returns) differs from the simple one utf8proc gives: "i" + U+0307.
            out += "i\xCC\x87";
            continue;
        }
        appendCodePoint(out, utf8proc_tolower(c));
    }
    return out;
}

struct ClipPreTokenizer::Pattern
{
    pcre2_code* code = nullptr;
    ~Pattern() { pcre2_code_free(code); }
};

ClipPreTokenizer::ClipPreTokenizer() : pattern_(std::make_unique<Pattern>())
{
    // \s is spelt out as White_Space (\p{Z}, \t..\r, U+0085): in UCP mode PCRE2's \s also takes U+180E,
    // which Rust/Oniguruma's \s (and HF) do not.
    static const char* const kPattern = R"('s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\p{Z}\t-\r\x{85}\p{L}\p{N}]+)";
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    pattern_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(kPattern), PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                                   &errorCode, &errorOffset, nullptr);
    if (!pattern_->code) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(errorCode, message, sizeof message);
        throw Error(ErrorCode::Internal,
                    std::string("CLIP pre-tokeniser pattern: ") + reinterpret_cast<const char*>(message));
    }
    pcre2_jit_compile(pattern_->code, PCRE2_JIT_COMPLETE); // optional speed-up; the interpreter is the fallback
}

ClipPreTokenizer::~ClipPreTokenizer() = default;

void ClipPreTokenizer::split(std::string_view text, const std::function<void(std::string_view)>& onPiece) const
{
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match(
        pcre2_match_data_create_from_pattern(pattern_->code, nullptr), &pcre2_match_data_free);
    if (!match)
        throw Error(ErrorCode::Internal, "CLIP pre-tokeniser: out of memory");
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    PCRE2_SIZE offset = 0;
    while (offset < text.size()) {
        const int rc =
            pcre2_match(pattern_->code, subject, text.size(), offset, PCRE2_NO_UTF_CHECK, match.get(), nullptr);
        if (rc == PCRE2_ERROR_NOMATCH)
            return;
        if (rc < 0)
            throw Error(ErrorCode::Internal, "CLIP pre-tokeniser: match error " + std::to_string(rc));
        const PCRE2_SIZE* span = pcre2_get_ovector_pointer(match.get());
        onPiece(text.substr(span[0], span[1] - span[0]));
        offset = span[1]; // no alternative matches the empty string, so this always advances
    }
}

const std::array<std::uint8_t, 256>& byteVocabOrder()
{
    static const std::array<std::uint8_t, 256> order = [] {
        std::array<std::uint8_t, 256> bytes{};
        std::array<bool, 256> printable{};
        int n = 0;
        for (int b = 0; b < 256; ++b)
            if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
                printable[b] = true;
                bytes[n++] = static_cast<std::uint8_t>(b);
            }
        for (int b = 0; b < 256; ++b)
            if (!printable[b])
                bytes[n++] = static_cast<std::uint8_t>(b);
        return bytes;
    }();
    return order;
}

const std::array<std::string, 256>& byteCharacters()
{
    static const std::array<std::string, 256> characters = [] {
        std::array<std::string, 256> chars;
        int shifted = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            // The 68 unprintable bytes, in ascending order, take U+0100, U+0101, ...
            appendCodePoint(chars[b], printable ? b : 256 + shifted++);
        }
        return chars;
    }();
    return characters;
}

} // namespace kaskade::text::detail
