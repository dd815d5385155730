// Emphasis parsing (ComfyUI's token_weights rules plus A1111 square brackets, escapes and the unbalanced
// cases worked out by hand from ComfyUI's algorithm) and the token windows: plain truncation equals
// ClipTokenizer::encodePadded, ComfyUI chunking moves short words and splits long ones at 75 tokens.

#include "pipeline/text/clip_tokenizer.h"
#include "pipeline/text/prompt_parser.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QTest>

#include <memory>

using kaskade::text::ClipTokenizer;
using kaskade::text::PromptTokenOptions;
using kaskade::text::tokenizePrompt;

namespace {

QString parityDir()
{
    const QString env = qEnvironmentVariable("KASKADE_PARITY_DIR");
    return env.isEmpty() ? QStringLiteral(KASKADE_PARITY_DIR) : env;
}

// "{text}@weight {text}@weight": compact, and shows the exact segment boundaries.
QString describe(const std::vector<kaskade::text::WeightedSegment>& segments)
{
    QStringList parts;
    for (const auto& s : segments)
        parts << "{" + QString::fromStdString(s.text) + "}@" + QString::number(s.weight, 'g', 6);
    return parts.join(' ');
}

std::vector<std::int64_t> repeated(std::int64_t id, std::size_t n)
{
    return std::vector<std::int64_t>(n, id);
}

} // namespace

class TestPromptParser : public QObject
{
    Q_OBJECT

    std::unique_ptr<ClipTokenizer> clip_;

    // BOS + content + EOS, padded with EOS to 77.
    std::vector<std::int64_t> window(const std::vector<std::int64_t>& content) const
    {
        std::vector<std::int64_t> ids{clip_->bosId()};
        ids.insert(ids.end(), content.begin(), content.end());
        ids.push_back(clip_->eosId());
        ids.resize(77, clip_->padId());
        return ids;
    }

    // A macro, not a helper function: QSKIP returns only from the function it is written in, and a
    // helper that skipped would let the test go on without a tokenizer.
#define REQUIRE_TOKENIZER()                                                                                            \
    if (!clip_)                                                                                                        \
    QSKIP(qPrintable("parity fixtures not found at '" + parityDir() + "' (set KASKADE_PARITY_DIR)"))

private Q_SLOTS:
    void initTestCase()
    {
        const QString gz = parityDir() + "/tokenizer/bpe_simple_vocab_16e6.txt.gz";
        if (QFile::exists(gz))
            clip_ = std::make_unique<ClipTokenizer>(ClipTokenizer::fromBpeFile(gz.toStdString()));
    }

    void parse_data()
    {
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "a cat"
                               << "{a cat}@1";
        QTest::newRow("empty") << ""
                               << "";
        QTest::newRow("paren") << "(a)"
                               << "{a}@1.1";
        QTest::newRow("nested") << "((a))"
                                << "{a}@1.21";
        QTest::newRow("explicit") << "(a:1.5)"
                                  << "{a}@1.5";
        QTest::newRow("explicit is absolute") << "((a:1.5))"
                                              << "{a}@1.5";
        QTest::newRow("explicit inside") << "((a:1.5) b)"
                                         << "{a}@1.5 { b}@1.1";
        QTest::newRow("spaces around weight") << "(a: 0.5 )"
                                              << "{a}@0.5";
        QTest::newRow("exponent") << "(a:1e-1)"
                                  << "{a}@0.1";
        QTest::newRow("last colon") << "(a:1.2:1.3)"
                                    << "{a:1.2}@1.3";
        QTest::newRow("not a number") << "(a:x)"
                                      << "{a:x}@1.1";
        QTest::newRow("not finite") << "(a:inf)"
                                    << "{a:inf}@1.1";
        QTest::newRow("colon first") << "(:1.2)"
                                     << "{:1.2}@1.1";
        QTest::newRow("square") << "[a]"
                                << "{a}@0.909091";
        QTest::newRow("square nested") << "[[a]]"
                                       << "{a}@0.826446";
        QTest::newRow("square cancels paren") << "([a])"
                                              << "{a}@1";
        QTest::newRow("square no weight syntax") << "[a:b:0.5]"
                                                 << "{a:b:0.5}@0.909091";
        QTest::newRow("adjacent groups") << "(a)(b)"
                                         << "{a}@1.1 {b}@1.1";
        QTest::newRow("escaped paren") << "\\(a\\)"
                                       << "{(a)}@1";
        QTest::newRow("escaped square") << "\\[a\\] (b)"
                                        << "{[a] }@1 {b}@1.1";
        QTest::newRow("escape inside group") << "(a \\(b\\):1.3)"
                                             << "{a (b)}@1.3";
        QTest::newRow("stray closer") << "a) (b)"
                                      << "{a) (b)}@1";
        QTest::newRow("stray closer then nested") << "a) ((b))"
                                                  << "{a) (}@1 {b}@1.1 {)}@1";
        QTest::newRow("unclosed") << "(a"
                                  << "{(a}@1";
        QTest::newRow("unclosed outer") << "(a (b)"
                                        << "{a }@1.1 {(b}@1.1";
        QTest::newRow("mismatched kinds") << "(a]"
                                          << "{(a]}@1";
        QTest::newRow("typical") << "masterpiece, (best quality:1.2), [sketch]"
                                 << "{masterpiece, }@1 {best quality}@1.2 {, }@1 {sketch}@0.909091";
    }

    void parse()
    {
        QFETCH(QString, prompt);
        QFETCH(QString, expected);
        QCOMPARE(describe(kaskade::text::parseEmphasis(prompt.toStdString())), expected);
    }

    // Without chunking and without weights the windows are exactly HF's padded encoding.
    void plainEqualsEncodePadded()
    {
        REQUIRE_TOKENIZER();
        QFile file(parityDir() + "/tokenizer/tokenizer.json");
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto cases = nlohmann::json::parse(file.readAll().toStdString());
        int compared = 0;
        for (const auto& c : cases["cases"]) {
            const std::string text = c["text"].get<std::string>();
            if (text.find_first_of("()[]\\") != std::string::npos)
                continue;
            const auto expected = clip_->encodePadded(text);
            for (const bool emphasis : {true, false}) {
                const auto windows = tokenizePrompt(*clip_, text, {emphasis, false});
                QCOMPARE(windows.size(), std::size_t{1});
                QCOMPARE(windows.ids[0], expected.ids);
                QCOMPARE(windows.attentionMasks[0], expected.attentionMask);
                QCOMPARE(windows.pooledIndex[0], expected.pooledIndex);
                QCOMPARE(windows.truncated, expected.truncated);
                QVERIFY(!windows.hasWeights);
                QVERIFY(std::all_of(windows.weights[0].begin(), windows.weights[0].end(),
                                    [](float w) { return w == 1.0f; }));
            }
            ++compared;
        }
        QVERIFY(compared > 100);
    }

    void weightsOnTokenRows()
    {
        REQUIRE_TOKENIZER();
        const auto windows = tokenizePrompt(*clip_, "a (cat:1.5) on a [mat]");
        QCOMPARE(windows.ids[0], clip_->encodePadded("a cat on a mat").ids);
        QVERIFY(windows.hasWeights);
        std::vector<float> expected(77, 1.0f);
        expected[2] = 1.5f; // BOS a cat on a mat EOS
        expected[5] = static_cast<float>(1.0 / 1.1);
        QCOMPARE(windows.weights[0], expected);
        QCOMPARE(windows.tokenCount, 5);

        const auto literal = tokenizePrompt(*clip_, "(cat:1.5)", {false, false});
        QCOMPARE(literal.ids[0], clip_->encodePadded("(cat:1.5)").ids);
        QVERIFY(!literal.hasWeights);
        const auto escaped = tokenizePrompt(*clip_, "\\(cat\\)");
        QCOMPARE(escaped.ids[0], clip_->encodePadded("(cat)").ids);
    }

    void emptyPromptIsOneWindow()
    {
        REQUIRE_TOKENIZER();
        for (const bool chunk : {false, true}) {
            const auto windows = tokenizePrompt(*clip_, "", {true, chunk});
            QCOMPARE(windows.size(), std::size_t{1});
            QCOMPARE(windows.ids[0], window({}));
            QCOMPARE(windows.pooledIndex[0], 1);
            QCOMPARE(std::count(windows.attentionMasks[0].begin(), windows.attentionMasks[0].end(), 1), 2);
            QCOMPARE(windows.tokenCount, 0);
        }
    }

    void chunkLongPrompt()
    {
        REQUIRE_TOKENIZER();
        const std::string prompt = QString("cat ").repeated(100).toStdString();
        const auto plain = tokenizePrompt(*clip_, prompt);
        QCOMPARE(plain.size(), std::size_t{1});
        QVERIFY(plain.truncated);
        QCOMPARE(plain.tokenCount, 100);

        const auto windows = tokenizePrompt(*clip_, prompt, {true, true});
        QCOMPARE(windows.size(), std::size_t{2});
        QVERIFY(!windows.truncated);
        QCOMPARE(windows.ids[0], window(repeated(2368, 75)));
        QCOMPARE(windows.ids[1], window(repeated(2368, 25)));
        QCOMPARE(std::count(windows.attentionMasks[0].begin(), windows.attentionMasks[0].end(), 1), 77);
        QCOMPARE(std::count(windows.attentionMasks[1].begin(), windows.attentionMasks[1].end(), 1), 27);
        QCOMPARE(windows.pooledIndex, (std::vector<std::int64_t>{76, 26}));

        const auto exact = tokenizePrompt(*clip_, QString("cat ").repeated(75).toStdString(), {true, true});
        QCOMPARE(exact.size(), std::size_t{1});
        QCOMPARE(exact.ids[0], window(repeated(2368, 75)));
    }

    // ComfyUI: a word of fewer than 8 tokens that does not fit moves whole to the next window.
    void chunkMovesShortWord()
    {
        REQUIRE_TOKENIZER();
        const std::string word = "antidisestablishmentarianism";
        const auto wordIds = clip_->encode(word);
        QVERIFY(wordIds.size() >= 3 && wordIds.size() < 8);
        const auto windows = tokenizePrompt(*clip_, QString("cat ").repeated(73).toStdString() + word, {true, true});
        QCOMPARE(windows.size(), std::size_t{2});
        QCOMPARE(windows.ids[0], window(repeated(2368, 73)));
        QCOMPARE(std::count(windows.attentionMasks[0].begin(), windows.attentionMasks[0].end(), 1), 75);
        QCOMPARE(windows.ids[1], window(wordIds));
    }

    // ComfyUI: a word of 8 or more tokens fills the window and continues in the next one.
    void chunkSplitsLongWord()
    {
        REQUIRE_TOKENIZER();
        const std::string word = "pneumonoultramicroscopicsilicovolcanoconiosis";
        const auto wordIds = clip_->encode(word);
        QVERIFY(wordIds.size() >= 8);
        const auto windows =
            tokenizePrompt(*clip_, QString("cat ").repeated(70).toStdString() + "(" + word + ")", {true, true});
        QCOMPARE(windows.size(), std::size_t{2});
        auto head = repeated(2368, 70);
        head.insert(head.end(), wordIds.begin(), wordIds.begin() + 5);
        QCOMPARE(windows.ids[0], window(head));
        QCOMPARE(windows.ids[1], window(std::vector<std::int64_t>(wordIds.begin() + 5, wordIds.end())));
        QCOMPARE(windows.weights[0][71], 1.1f);
        QCOMPARE(windows.weights[0][70], 1.0f);
        QCOMPARE(windows.weights[1][1], 1.1f);
        QCOMPARE(windows.weights[1][0], 1.0f); // BOS
    }

    void countTokens()
    {
        REQUIRE_TOKENIZER();
        QCOMPARE(kaskade::text::countTokens(*clip_, "a (cat:1.5)"), 2);
        QCOMPARE(kaskade::text::countTokens(*clip_, "a (cat:1.5)", false),
                 static_cast<int>(clip_->encode("a (cat:1.5)").size()));
        QCOMPARE(kaskade::text::countTokens(*clip_, ""), 0);
        QCOMPARE(kaskade::text::countTokens(*clip_, QString("cat ").repeated(100).toStdString()), 100);
    }
};

QTEST_APPLESS_MAIN(TestPromptParser)
#include "test_prompt_parser.moc"
