// libFuzzer harness: the prompt emphasis parser and the token windows built from it, on a small
// tokenizer made at start-up (byte vocabulary plus a few merges), with and without chunking.
#include "pipeline/errors.h"
#include "pipeline/text/clip_tokenizer.h"
#include "pipeline/text/prompt_parser.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string_view>

#include <unistd.h>

namespace {

std::unique_ptr<kaskade::text::ClipTokenizer> fuzzTokenizer()
{
    const auto file =
        std::filesystem::temp_directory_path() / ("kaskade_fuzz_bpe_" + std::to_string(::getpid()) + ".txt");
    {
        std::ofstream out(file);
        out << "#version: 0.2\nc a\nca t</w>\nd o\ndo g</w>\nr e\nre d</w>\n( (\n) )</w>\n";
    }
    auto tokenizer = std::make_unique<kaskade::text::ClipTokenizer>(kaskade::text::ClipTokenizer::fromBpeFile(file));
    std::filesystem::remove(file);
    return tokenizer;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const auto tokenizer = fuzzTokenizer();
    const std::string_view prompt(reinterpret_cast<const char*>(data), size);
    try {
        (void)kaskade::text::parseEmphasis(prompt);
    } catch (const kaskade::Error&) {
    }
    for (const bool chunk : {false, true}) {
        try {
            const auto windows = kaskade::text::tokenizePrompt(*tokenizer, prompt, {.emphasis = true, .chunk = chunk});
            if (windows.size() == 0 || windows.ids[0].size() != 77)
                __builtin_trap();
        } catch (const kaskade::Error&) {
        }
    }
    try {
        (void)kaskade::text::countTokens(*tokenizer, prompt, true); // parser refusals count as plain text
    } catch (const kaskade::Error& e) {
        if (e.code() != kaskade::ErrorCode::InvalidArgument) // only invalid UTF-8 may still throw
            __builtin_trap();
    }
    return 0;
}
