// kaskade-cli tokenize TEXT --tokenizer PATH [--chunk] [--no-emphasis]
// Prints the model input the text encoder would get: one line per token, "id<TAB>token" (a third column
// holds the emphasis weight when it is not 1), windows separated by "# window N" lines when --chunk
// splits the prompt, then one "# ..." summary line.
#include "app/cli/commands.h"
#include "pipeline/errors.h"
#include "pipeline/text/clip_tokenizer.h"
#include "pipeline/text/prompt_parser.h"

#include <cstdio>

namespace kaskade::cli {

namespace {

constexpr const char* kUsage =
    "kaskade-cli tokenize TEXT --tokenizer PATH [--chunk] [--no-emphasis]\n"
    "  PATH: a tokenizer folder (vocab.json + merges.txt), a model folder with tokenizer/,\n"
    "        or bpe_simple_vocab_16e6.txt.gz\n"
    "  --chunk        75-token windows as ComfyUI (default: truncate to 77 like the official code)\n"
    "  --no-emphasis  tokenize (word:1.2) literally";

} // namespace

int runTokenize(Args& args)
{
    if (args.wantsHelp()) {
        std::printf("usage: %s\n", kUsage);
        return 0;
    }
    text::PromptTokenOptions options;
    const QString path = takeText(args, "--tokenizer");
    options.chunk = args.takeFlag("--chunk");
    options.emphasis = !args.takeFlag("--no-emphasis");
    const QString text = QString::fromStdString(args.positionals(1, 1, kUsage)[0]);
    if (path.isEmpty())
        throw Error(ErrorCode::InvalidArgument, std::string("--tokenizer PATH is required; usage: ") + kUsage);

    const auto tokenizer = text::ClipTokenizer::load(path.toStdString());
    const auto windows = text::tokenizePrompt(tokenizer, text.toStdString(), options);
    for (std::size_t w = 0; w < windows.size(); ++w) {
        if (windows.size() > 1)
            std::printf("# window %zu of %zu\n", w + 1, windows.size());
        const auto& ids = windows.ids[w];
        for (std::size_t j = 0; j < ids.size() && windows.attentionMasks[w][j] == 1; ++j) {
            std::printf("%lld\t%s", static_cast<long long>(ids[j]), tokenizer.token(ids[j]).c_str());
            if (windows.weights[w][j] != 1.0f)
                std::printf("\t%g", static_cast<double>(windows.weights[w][j]));
            std::printf("\n");
        }
    }
    std::printf("# %d tokens (75 per window), %zu window%s of 77, pooled index %lld, %s%s\n", windows.tokenCount,
                windows.size(), windows.size() == 1 ? "" : "s", static_cast<long long>(windows.pooledIndex.front()),
                windows.hasWeights ? "weighted" : "no weights", windows.truncated ? ", truncated" : "");
    return 0;
}

} // namespace kaskade::cli
