// PromptEncoder (pipeline/text/prompt_encoder.h) on the tiny model of the pipeline fixture
// (model/tokenizer + model/text_encoder): official plain path against the fixture's conditions, and the
// ComfyUI options against expectations computed here from single model calls.

#include "pipeline/errors.h"
#include "pipeline/io/safetensors.h"
#include "pipeline/text/prompt_encoder.h"
#include "pipeline/tools/parity/parity.h"
#include "test_support.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <QtTest/QtTest>

#include <filesystem>

namespace fs = std::filesystem;
using namespace kaskade;
using namespace kaskade::models;

namespace {

using kaskade::test::parityDir;

fs::path modelDir()
{
    return parityDir() / "pipeline" / "model";
}

at::Tensor row(const std::vector<std::int64_t>& values)
{
    return at::tensor(values).view({1, static_cast<std::int64_t>(values.size())});
}

} // namespace

class TestPromptEncoder : public QObject
{
    Q_OBJECT

    std::shared_ptr<const text::ClipTokenizer> tokenizer_;
    models::ClipTextModel model_{nullptr};

    text::PromptEncoder makeEncoder(std::size_t capacity = 32)
    {
        return text::PromptEncoder(tokenizer_, model_, capacity);
    }

    // The plain reference: one model call on [BOS, ids..., EOS, pad...] with its mask.
    models::ClipTextOutput forwardIds(const std::vector<std::int64_t>& content)
    {
        const auto padded = tokenizer_->pad(content);
        return model_->forward(row(padded.ids), row(padded.attentionMask));
    }
    models::ClipTextOutput forwardText(const std::string& prompt) { return forwardIds(tokenizer_->encode(prompt)); }

private Q_SLOTS:
    void initTestCase()
    {
        at::set_num_threads(1);
        if (!fs::exists(modelDir() / "text_encoder" / "model.safetensors"))
            QSKIP("pipeline fixture (tiny tokenizer + text encoder) absent: set KASKADE_PARITY_DIR");
        tokenizer_ = std::make_shared<const text::ClipTokenizer>(text::ClipTokenizer::load(modelDir() / "tokenizer"));
        const auto config = models::ClipTextConfig::fromFile(modelDir() / "text_encoder" / "config.json");
        const fs::path weights = modelDir() / "text_encoder" / "model.safetensors";
        model_ = models::loadClipText(config, st::Reader::open(weights)->loadAll(), weights.string());
    }

    // Official behaviour: the fixture's cond (its prompt) and uncond ("") conditions.
    void plainMatchesPipelineFixture()
    {
        parity::Fixture fixture(parityDir() / "pipeline");
        const std::string prompt = fixture.json().at("prompts").at(0).get<std::string>();
        auto encoder = makeEncoder();
        parity::Checker checker(parity::Tolerance{}); // module tolerance 1e-5 (the fixture's is the sampler's)
        const auto cond = encoder.encode({prompt});
        const auto uncond = encoder.encode({""});
        checker.compare("cond.clip_text", cond.clipText, fixture.io("cond.clip_text"));
        checker.compare("cond.clip_text_pooled", cond.clipTextPooled, fixture.io("cond.clip_text_pooled"));
        checker.compare("uncond.clip_text", uncond.clipText, fixture.io("uncond.clip_text"));
        checker.compare("uncond.clip_text_pooled", uncond.clipTextPooled, fixture.io("uncond.clip_text_pooled"));
        std::string failures;
        for (const auto& f : checker.failures())
            failures += f + "\n";
        QVERIFY2(checker.passed(), failures.c_str());
        qInfo("pipeline fixture text conditions: worst rel_l2 %.3g", checker.worstRelL2());
        QCOMPARE(cond.windows, std::vector<int>{1});
        QCOMPARE(cond.truncated, std::vector<bool>{false});
    }

    // With every weight 1 and one window the options change nothing, bit for bit.
    void unweightedIsBitIdentical_data()
    {
        QTest::addColumn<bool>("emphasis");
        QTest::addColumn<bool>("chunk");
        QTest::newRow("plain") << false << false;
        QTest::newRow("emphasis") << true << false;
        QTest::newRow("chunk") << false << true;
        QTest::newRow("both") << true << true;
    }
    void unweightedIsBitIdentical()
    {
        QFETCH(bool, emphasis);
        QFETCH(bool, chunk);
        c10::InferenceMode inference;
        const std::string prompt = "a photo of a cat sitting on a red chair";
        const auto reference = forwardText(prompt);
        auto encoder = makeEncoder();
        const auto got = encoder.encode({prompt}, {.emphasis = emphasis, .chunkLongPrompts = chunk});
        QVERIFY(at::equal(got.clipText, reference.hiddenLast));
        QVERIFY(at::equal(got.clipTextPooled, reference.textEmbeds.unsqueeze(1)));
        QCOMPARE(encoder.stats().modelRuns, 1); // no empty-prompt reference was needed
    }

    // z[j] = (z[j] - z_empty[j]) * w + z_empty[j] on the weighted rows only; pooled unweighted.
    void emphasisMatchesComfyUi_data()
    {
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<double>("weight");
        QTest::newRow("explicit") << "a photo of a (cat:1.5) sitting" << 1.5;
        QTest::newRow("nested") << "a photo of a ((cat)) sitting" << 1.1 * 1.1;
        QTest::newRow("square") << "a photo of a [cat] sitting" << 1 / 1.1;
    }
    void emphasisMatchesComfyUi()
    {
        QFETCH(QString, prompt);
        QFETCH(double, weight);
        c10::InferenceMode inference;
        const auto before = tokenizer_->encode("a photo of a");
        const auto cat = tokenizer_->encode("cat");
        auto content = before;
        content.insert(content.end(), cat.begin(), cat.end());
        const auto after = tokenizer_->encode("sitting");
        content.insert(content.end(), after.begin(), after.end());
        const auto plain = forwardIds(content);
        const auto empty = forwardText("");

        auto expected = plain.hiddenLast.clone(); // (1,77,D)
        const auto first = static_cast<std::int64_t>(1 + before.size());
        const auto rows = at::indexing::Slice(first, first + static_cast<std::int64_t>(cat.size()));
        const auto z = plain.hiddenLast.index({0, rows});
        const auto e = empty.hiddenLast.index({0, rows});
        expected.index_put_({0, rows}, (z - e) * static_cast<float>(weight) + e);

        auto encoder = makeEncoder();
        const auto got = encoder.encode({prompt.toStdString()}, {.emphasis = true});
        QCOMPARE(got.clipText.sizes(), expected.sizes());
        QVERIFY(at::allclose(got.clipText, expected, 1e-6, 1e-6));
        QVERIFY(!at::allclose(got.clipText, plain.hiddenLast, 1e-4, 1e-4)); // the weight did something
        QVERIFY(at::equal(got.clipTextPooled, plain.textEmbeds.unsqueeze(1)));
        QVERIFY(at::allclose(encoder.emptyWindow(), empty.hiddenLast, 1e-6, 1e-6));
        // Emphasis off: the brackets are text.
        const auto literal = encoder.encode({prompt.toStdString()});
        QVERIFY(at::equal(literal.clipText, forwardText(prompt.toStdString()).hiddenLast));
    }

    // 100 one-token words: chunked = two windows encoded separately, pooled from the first; plain =
    // the first 75 tokens (flagged as truncated).
    void longPrompts()
    {
        c10::InferenceMode inference;
        const auto cat = tokenizer_->encode("cat");
        QCOMPARE(cat.size(), std::size_t(1));
        std::string prompt;
        for (int i = 0; i < 100; ++i)
            prompt += "cat ";
        const auto first = forwardIds(std::vector<std::int64_t>(75, cat[0]));
        const auto second = forwardIds(std::vector<std::int64_t>(25, cat[0]));

        auto encoder = makeEncoder();
        const auto chunked = encoder.encode({prompt}, {.chunkLongPrompts = true});
        QCOMPARE(chunked.windows, std::vector<int>{2});
        QCOMPARE(chunked.windowCount(), std::int64_t(2));
        const auto expected = at::cat({first.hiddenLast, second.hiddenLast}, 1); // (1,154,D)
        QCOMPARE(chunked.clipText.sizes(), expected.sizes());
        QVERIFY(at::allclose(chunked.clipText, expected, 1e-6, 1e-6));
        QVERIFY(at::allclose(chunked.clipTextPooled, first.textEmbeds.unsqueeze(1), 1e-6, 1e-6));

        const auto plain = encoder.encode({prompt});
        QCOMPARE(plain.truncated, std::vector<bool>{true});
        QVERIFY(at::equal(plain.clipText, first.hiddenLast));
        QVERIFY(at::equal(plain.clipTextPooled, first.textEmbeds.unsqueeze(1)));
    }

    // Different window counts in one batch: the shorter prompt gets empty-prompt windows.
    void batchPadsWithEmptyWindows()
    {
        c10::InferenceMode inference;
        std::string longPrompt;
        for (int i = 0; i < 100; ++i)
            longPrompt += "cat ";
        const text::PromptEncodeOptions options{.chunkLongPrompts = true};
        auto encoder = makeEncoder();
        const auto alone = encoder.encode({longPrompt}, options);
        const auto shortAlone = encoder.encode({"a red chair"}, options);
        const auto batch = encoder.encode({longPrompt, "a red chair"}, options);
        QCOMPARE(batch.windows, (std::vector<int>{2, 1}));
        QCOMPARE(batch.clipText.size(0), std::int64_t(2));
        QCOMPARE(batch.windowCount(), std::int64_t(2));
        QVERIFY(at::equal(batch.clipText[0], alone.clipText[0]));
        QVERIFY(at::equal(batch.clipText[1].slice(0, 0, 77), shortAlone.clipText[0]));
        QVERIFY(at::equal(batch.clipText[1].slice(0, 77), encoder.emptyWindow()[0]));
        QVERIFY(at::equal(batch.clipTextPooled[1], shortAlone.clipTextPooled[0]));

        const auto padded = text::padWindows(shortAlone, encoder.emptyWindow(), 3);
        QCOMPARE(padded.windowCount(), std::int64_t(3));
        QVERIFY(at::equal(padded.clipText.slice(1, 154), encoder.emptyWindow()));
        QVERIFY(at::equal(text::padWindows(alone, encoder.emptyWindow(), 1).clipText, alone.clipText));
    }

    // Same prompt and options: no model run, the same tensors; other options or an evicted entry: a run.
    void cache()
    {
        auto encoder = makeEncoder(2);
        const auto a = encoder.encode({"a cat"});
        QCOMPARE(encoder.stats().modelRuns, 1);
        const auto again = encoder.encode({"a cat"});
        QCOMPARE(encoder.stats().modelRuns, 1);
        QCOMPARE(encoder.stats().cacheHits, 1);
        QCOMPARE(again.clipText.data_ptr(), a.clipText.data_ptr());
        QCOMPARE(again.clipTextPooled.data_ptr(), a.clipTextPooled.data_ptr());

        encoder.encode({"a cat"}, {.emphasis = true});
        QCOMPARE(encoder.stats().modelRuns, 2);
        encoder.encode({"a dog"}); // capacity 2: evicts plain "a cat"
        QCOMPARE(encoder.stats().modelRuns, 3);
        encoder.encode({"a cat"});
        QCOMPARE(encoder.stats().modelRuns, 4);
        encoder.clearCache();
        encoder.encode({"a cat"});
        QCOMPARE(encoder.stats().modelRuns, 5);
    }

    void errors()
    {
        auto encoder = makeEncoder();
        auto codeOf = [&](const std::vector<std::string>& prompts) {
            try {
                encoder.encode(prompts);
            } catch (const Error& e) {
                return e.code();
            }
            return ErrorCode::Internal;
        };
        QCOMPARE(codeOf({}), ErrorCode::InvalidArgument);
        QCOMPARE(codeOf({"ok", "bad \xff utf-8"}), ErrorCode::InvalidArgument);
        try {
            text::PromptEncoder(nullptr, model_);
            QFAIL("no error for a missing tokenizer");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
        }
    }
};

QTEST_APPLESS_MAIN(TestPromptEncoder)
#include "test_prompt_encoder.moc"
