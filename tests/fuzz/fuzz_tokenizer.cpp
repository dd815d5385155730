// libFuzzer harness: a Hugging Face tokenizer folder built from the input, then BPE over text.
// Input: vocab.json \0 merges.txt \0 tokenizer_config.json \0 text (missing parts: empty).
// The files go to a private temporary folder; loading must end in a tokenizer or kaskade::Error.
#include "pipeline/errors.h"
#include "pipeline/text/clip_tokenizer.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const fs::path dir = [] {
        auto d = fs::temp_directory_path() / ("kaskade_fuzz_tok_" + std::to_string(::getpid()));
        fs::create_directories(d);
        return d;
    }();
    std::array<std::string_view, 4> parts{};
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto cut = i + 1 < parts.size() ? rest.find('\0') : std::string_view::npos;
        parts[i] = rest.substr(0, cut);
        rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
    }
    const char* names[] = {"vocab.json", "merges.txt", "tokenizer_config.json"};
    for (int i = 0; i < 3; ++i) {
        std::ofstream out(dir / names[i], std::ios::binary | std::ios::trunc);
        out.write(parts[i].data(), static_cast<std::streamsize>(parts[i].size()));
    }
    try {
        auto tokenizer = kaskade::text::ClipTokenizer::fromHfFolder(dir);
        const auto ids = tokenizer.encode(parts[3]);
        (void)tokenizer.decode(ids);
        (void)tokenizer.encodePadded(parts[3]);
        kaskade::text::ClipTokenizer moved = std::move(tokenizer);
        try {
            (void)tokenizer.encode("a"); // moved-from: must throw, not crash
            __builtin_trap();
        } catch (const kaskade::Error&) {
        }
    } catch (const kaskade::Error&) {
    }
    return 0;
}
