// Parity runner for the "tokenizer" fixture: tokenizer.json holds cases produced by OpenAI's
// simple_tokenizer with bpe_simple_vocab_16e6.txt.gz; every case must match exactly except those flagged
// hf_fast_may_differ (HTML entities, special-token literals, non-ASCII) or ftfy_sensitive, where the
// reference (HF's fast tokenizer, which this mirrors) may legitimately differ from simple_tokenizer.
#include "pipeline/errors.h"
#include "pipeline/text/clip_tokenizer.h"
#include "pipeline/tools/parity/runners.h"

#include <ATen/ATen.h>

#include <fstream>

namespace kaskade::parity {

namespace {

at::Tensor int64Tensor(const std::vector<std::int64_t>& values)
{
    return at::tensor(at::ArrayRef<std::int64_t>(values), at::kLong);
}

std::vector<std::int64_t> int64List(const nlohmann::json& c, const char* key, const std::string& what)
{
    auto it = c.find(key);
    if (it == c.end() || !it->is_array())
        throw Error(ErrorCode::BadFormat, what + ": no array '" + key + "'");
    return it->get<std::vector<std::int64_t>>();
}

bool flagged(const nlohmann::json& c)
{
    for (const char* key : {"hf_fast_may_differ", "ftfy_sensitive"})
        if (auto it = c.find(key); it != c.end() && it->is_array() && !it->empty())
            return true;
    return false;
}

} // namespace

void runTokenizerFixture(Fixture& fixture, Checker& checker)
{
    const auto casesFile = fixture.dir() / "tokenizer.json";
    std::ifstream in(casesFile);
    if (!in)
        throw Error(ErrorCode::FileNotFound, casesFile.string() + ": cannot open");
    nlohmann::json cases;
    try {
        cases = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::BadFormat, casesFile.string() + ": not valid JSON: " + e.what());
    }
    if (!cases.contains("cases") || !cases["cases"].is_array())
        throw Error(ErrorCode::BadFormat, casesFile.string() + ": no 'cases' array");

    const auto tokenizer = text::ClipTokenizer::fromBpeFile(fixture.dir() / "bpe_simple_vocab_16e6.txt.gz");
    const int length = fixture.json().value("config", nlohmann::json::object()).value("context_length", 77);
    if (cases.value("bos_id", tokenizer.bosId()) != tokenizer.bosId() ||
        cases.value("eos_id", tokenizer.eosId()) != tokenizer.eosId() ||
        cases.value("vocab_size", tokenizer.vocabSize()) != tokenizer.vocabSize())
        checker.fail("bos/eos/vocab_size differ from tokenizer.json");

    int flaggedTotal = 0, flaggedMatched = 0;
    for (const auto& c : cases["cases"]) {
        const std::string label = "case " + std::to_string(c.value("id", -1));
        const std::string what = casesFile.string() + " " + label;
        if (!c.contains("text") || !c["text"].is_string())
            throw Error(ErrorCode::BadFormat, what + ": no 'text'");
        const auto expectedIds = int64List(c, "ids", what);
        const auto expectedPadded = int64List(c, "ids_padded_77", what);
        const auto expectedMask = int64List(c, "attention_mask_77", what);
        const std::int64_t expectedPooled = c.value("pooled_index", std::int64_t{-1});

        const auto content = tokenizer.encode(c["text"].get<std::string>());
        const auto actual = tokenizer.pad(content, length);
        std::size_t used = 0;
        while (used < actual.attentionMask.size() && actual.attentionMask[used] == 1)
            ++used;
        const std::vector<std::int64_t> actualIds(actual.ids.begin(), actual.ids.begin() + static_cast<long>(used));

        if (flagged(c)) {
            ++flaggedTotal;
            flaggedMatched += content == int64List(c, "bpe_ids", what) && actualIds == expectedIds &&
                              actual.ids == expectedPadded && actual.attentionMask == expectedMask &&
                              actual.pooledIndex == expectedPooled;
            continue;
        }
        // bpe_ids: the whole content before truncation; tokens: its vocabulary strings.
        const auto expectedContent = int64List(c, "bpe_ids", what);
        checker.compare(label + " bpe_ids", int64Tensor(content), int64Tensor(expectedContent));
        if (c.contains("tokens") && content == expectedContent &&
            tokenizer.tokens(content) != c["tokens"].get<std::vector<std::string>>())
            checker.fail(label + ": token strings differ");
        checker.compare(label + " ids", int64Tensor(actualIds), int64Tensor(expectedIds));
        checker.compare(label + " ids_padded_77", int64Tensor(actual.ids), int64Tensor(expectedPadded));
        checker.compare(label + " attention_mask_77", int64Tensor(actual.attentionMask), int64Tensor(expectedMask));
        checker.compare(label + " pooled_index", int64Tensor({actual.pooledIndex}), int64Tensor({expectedPooled}));
    }
    // Informational: the flagged cases are not compared, only counted.
    checker.note("flagged cases skipped: " + std::to_string(flaggedTotal) + " (" + std::to_string(flaggedMatched) +
                 " of them match simple_tokenizer anyway)");
}

} // namespace kaskade::parity
