// libFuzzer harness: BPE itself (normalisation, pre-tokenisation, merging, the per-word cache, decode).
// Input: text, or merges \0 text. Text alone runs on a tokenizer made once at start-up whose merges build
// a few English words letter by letter, so long words exercise long merge chains (the old quadratic
// case). With a \0, the part before it is a merges file (after the "#version" line) and the tokenizer is
// made from it for this input, so hostile merge tables are fuzzed as well.
// Checked beyond "no crash": ids lie inside the vocabulary, a second encode (served by the word cache)
// gives the same ids, and the padded row has the documented layout.
#include "pipeline/errors.h"
#include "pipeline/text/clip_tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using kaskade::text::ClipTokenizer;

fs::path scratchFile()
{
    return fs::temp_directory_path() / ("kaskade_fuzz_bpe_merges_" + std::to_string(::getpid()) + ".txt");
}

ClipTokenizer tokenizerFromMerges(std::string_view merges)
{
    const auto file = scratchFile();
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out << "#version: 0.2\n";
        out.write(merges.data(), static_cast<std::streamsize>(merges.size()));
    }
    return ClipTokenizer::fromBpeFile(file);
}

// Merges that spell each word left to right ("l i", "li g", ..., "lighthous e</w>"), the shape of the
// real merges file, where a word's pieces merge into ever longer tokens. A token made twice is skipped:
// the loader refuses a merges file that repeats one.
std::unique_ptr<ClipTokenizer> wordTokenizer()
{
    std::string merges;
    std::set<std::string> made;
    for (const std::string word :
         {"the", "cat", "photo", "lighthouse", "painting", "castle", "aaaaaaaa", "abababab", "mississippi"}) {
        std::string left(1, word[0]);
        for (std::size_t i = 1; i < word.size(); ++i) {
            const std::string right = word.substr(i, 1) + (i + 1 == word.size() ? "</w>" : "");
            if (made.insert(left + right).second)
                merges += left + " " + right + "\n";
            left += word[i];
        }
    }
    return std::make_unique<ClipTokenizer>(tokenizerFromMerges(merges));
}

void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

void exercise(const ClipTokenizer& tokenizer, std::string_view text)
{
    try {
        const auto ids = tokenizer.encode(text);
        for (const auto id : ids)
            check(id >= 0 && id < tokenizer.vocabSize());
        check(tokenizer.encode(text) == ids); // cached words must give what a fresh merge gave
        (void)tokenizer.decode(ids);
        const auto row = tokenizer.encodePadded(text);
        check(row.ids.size() == ClipTokenizer::kContextLength);
        check(row.attentionMask.size() == row.ids.size());
        check(row.ids.front() == tokenizer.bosId());
        check(row.pooledIndex > 0 && row.pooledIndex < ClipTokenizer::kContextLength);
    } catch (const kaskade::Error&) {
        // Invalid UTF-8 is refused with an Error: the documented outcome.
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const auto words = wordTokenizer();
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto cut = input.find('\0');
    if (cut == std::string_view::npos) {
        exercise(*words, input);
        return 0;
    }
    try {
        const auto tokenizer = tokenizerFromMerges(input.substr(0, cut));
        exercise(tokenizer, input.substr(cut + 1));
    } catch (const kaskade::Error&) {
        // A malformed merges file is refused with an Error naming the line.
    }
    return 0;
}
