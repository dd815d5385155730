// The CLIP text model (pipeline/models/clip_text.h) and its name rules (pipeline/io/name_rules_text.h):
// real-size key set on the meta device, parity with the clip_text fixtures, mask and pooling rules,
// OpenCLIP / ComfyUI layouts, loud errors.

#include "pipeline/errors.h"
#include "pipeline/io/name_rules_text.h"
#include "pipeline/io/safetensors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/models/clip_text.h"
#include "pipeline/tools/parity/parity.h"
#include "pipeline/tools/parity/runners.h"
#include "test_support.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
using namespace kaskade;
using namespace kaskade::models;

namespace {

using kaskade::test::parityDir;

fs::path testDataDir()
{
    const QByteArray env = qgetenv("KASKADE_TEST_DATA");
    return env.isEmpty() ? fs::path(KASKADE_TEST_DATA) : fs::path(env.toStdString());
}

double relL2(const at::Tensor& actual, const at::Tensor& expected)
{
    const auto e = expected.to(at::kDouble);
    return (actual.to(at::kDouble) - e).norm().item<double>() / e.norm().item<double>();
}

// The tiny fixture model: config from fixture.json, weights.safetensors, io tensors.
struct TinyModel
{
    models::ClipTextConfig config;
    TensorMap weights;
    TensorMap io;
};

TinyModel loadFixture(const QString& name)
{
    const fs::path dir = parityDir() / name.toStdString();
    parity::Fixture fixture(dir);
    TinyModel tiny;
    tiny.config = models::ClipTextConfig::fromJson(fixture.json().at("hf_config_json"), name.toStdString());
    tiny.weights = st::Reader::open(dir / "weights.safetensors")->loadAll();
    tiny.io = fixture.io();
    return tiny;
}

template <typename F> ErrorCode errorCodeOf(F&& f, std::string* message = nullptr)
{
    try {
        f();
    } catch (const Error& e) {
        if (message)
            *message = e.what();
        return e.code();
    }
    return ErrorCode::Internal; // "nothing thrown" (no test expects Internal)
}

} // namespace

class TestClipText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        at::set_num_threads(1);
        if (!fs::exists(parityDir() / "clip_text" / "fixture.json"))
            qWarning("fixtures not found under %s: parity tests will be skipped", parityDir().c_str());
    }

    void configFromJson()
    {
        const auto config = models::ClipTextConfig::fromJson(
            nlohmann::json::parse(R"({"hidden_size": 1280, "intermediate_size": 5120, "num_hidden_layers": 32,
                "num_attention_heads": 20, "projection_dim": 1280, "hidden_act": "gelu", "vocab_size": 49408,
                "max_position_embeddings": 77, "layer_norm_eps": 1e-05, "eos_token_id": 49407})"),
            "config.json");
        QCOMPARE(config.hiddenSize, 1280);
        QCOMPARE(config.numHiddenLayers, 32);
        QCOMPARE(config.numAttentionHeads, 20);
        QCOMPARE(config.intermediateSize, 5120);
        QCOMPARE(config.projectionDim, 1280);
        QVERIFY(config.hiddenAct == models::Activation::Gelu);
        QCOMPARE(config.eosTokenId, 49407);
        // Missing fields take HF CLIPTextConfig defaults (not bigG): quick_gelu, 512 wide.
        const auto defaults = models::ClipTextConfig::fromJson(nlohmann::json::object(), "empty");
        QVERIFY(defaults.hiddenAct == models::Activation::QuickGelu);
        QCOMPARE(defaults.hiddenSize, 512);
        // A full CLIPConfig: the text_config part.
        const auto nested = models::ClipTextConfig::fromJson(
            nlohmann::json::parse(R"({"text_config": {"hidden_size": 64, "num_attention_heads": 2}})"), "clip");
        QCOMPARE(nested.hiddenSize, 64);
    }

    void configErrors_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<int>("code");
        QTest::newRow("heads do not divide")
            << R"({"hidden_size": 30, "num_attention_heads": 4})" << int(ErrorCode::BadFormat);
        QTest::newRow("negative size") << R"({"hidden_size": -1})" << int(ErrorCode::BadFormat);
        QTest::newRow("string size") << R"({"num_hidden_layers": "2"})" << int(ErrorCode::BadFormat);
        QTest::newRow("tanh gelu") << R"({"hidden_act": "gelu_new"})" << int(ErrorCode::Unsupported);
        QTest::newRow("not an object") << R"([1, 2])" << int(ErrorCode::BadFormat);
    }
    void configErrors()
    {
        QFETCH(QString, json);
        QFETCH(int, code);
        std::string message;
        const auto got = errorCodeOf(
            [&] { models::ClipTextConfig::fromJson(nlohmann::json::parse(json.toStdString()), "cfg.json"); }, &message);
        QCOMPARE(int(got), code);
        QVERIFY2(message.starts_with("cfg.json"), message.c_str());
    }

    // The bigG model built on the meta device has exactly the 517 keys and shapes of text-encoder.md §1.7.
    void realSizeKeysOnMeta()
    {
        std::ifstream in(testDataDir() / "text_encoder_keys.tsv");
        QVERIFY2(in, "tests/data/text_encoder_keys.tsv missing");
        std::map<std::string, std::string> expected;
        for (std::string line; std::getline(in, line);) {
            if (line.empty() || line[0] == '#')
                continue;
            const auto tab = line.find('\t');
            QVERIFY(tab != std::string::npos);
            expected.emplace(line.substr(0, tab), line.substr(tab + 1));
        }
        QCOMPARE(expected.size(), std::size_t(517));

        models::ClipTextModel model(models::ClipTextConfig{}, at::TensorOptions().device(at::kMeta));
        std::map<std::string, std::string> actual;
        std::int64_t parameters = 0;
        for (const auto& item : model->named_parameters(true)) {
            actual.emplace(item.key(), shapeString(item.value().sizes()));
            parameters += item.value().numel();
            QVERIFY(item.value().is_meta());
        }
        QCOMPARE(model->named_buffers(true).size(), std::size_t(0));
        for (const auto& [key, shape] : expected)
            QVERIFY2(actual.count(key) && actual[key] == shape, (key + " " + shape).c_str());
        for (const auto& [key, shape] : actual)
            QVERIFY2(expected.count(key), ("unexpected " + key).c_str());
        QCOMPARE(parameters, std::int64_t(694'659'840));
    }

    // Every fixture output, through the parity runner (fp32 and bf16 weight files).
    void parityFixture_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("clip_text") << "clip_text";
        QTest::newRow("clip_text_bf16") << "clip_text_bf16";
    }
    void parityFixture()
    {
        QFETCH(QString, name);
        const fs::path dir = parityDir() / name.toStdString();
        if (!fs::exists(dir / "fixture.json"))
            QSKIP("clip_text fixtures absent (set KASKADE_PARITY_DIR)");
        parity::Fixture fixture(dir);
        parity::Checker checker(fixture.tolerance());
        parity::runClipTextFixture(fixture, checker);
        std::string failures;
        for (const auto& f : checker.failures())
            failures += f + "\n";
        QVERIFY2(checker.passed(), failures.c_str());
        const int expectedComparisons = int(fixture.weightFiles().size() * fixture.json().at("outputs").size());
        QCOMPARE(checker.compared(), expectedComparisons);
        qInfo("%s: %d tensors, worst rel_l2 %.3g, max_abs %.3g", qPrintable(name), checker.compared(),
              checker.worstRelL2(), checker.worstMaxAbs());
    }

    // bf16 compute (the official precision) stays within the README's ~1e-2 of the fp32 reference.
    void bf16Compute()
    {
        if (!fs::exists(parityDir() / "clip_text_bf16"))
            QSKIP("clip_text_bf16 fixture absent");
        c10::InferenceMode inference;
        const fs::path dir = parityDir() / "clip_text_bf16";
        auto tiny = loadFixture("clip_text_bf16");
        const auto bf16 = st::Reader::open(dir / "weights.bf16.safetensors")->loadAll();
        const auto model = models::loadClipText(tiny.config, bf16, "bf16", at::TensorOptions().dtype(at::kBFloat16));
        const auto out = model->forward(tiny.io.at("input_ids"), tiny.io.at("attention_mask"));
        QCOMPARE(out.hiddenLast.scalar_type(), at::kBFloat16);
        const double text = relL2(out.hiddenLast, tiny.io.at("hidden_states_last"));
        const double pooled = relL2(out.textEmbeds, tiny.io.at("text_embeds"));
        qInfo("bf16 compute: clip_text rel_l2 %.3g, text_embeds rel_l2 %.3g", text, pooled);
        QVERIFY(text < 2e-2 && pooled < 2e-2);
        QVERIFY(at::equal(out.pooledIndex, tiny.io.at("pooled_index")));
    }

    // The padding mask leaves rows 0..eos and the pooled vector alone and changes the pad rows (spec §1.5).
    void paddingMaskChangesOnlyPadRows()
    {
        if (!fs::exists(parityDir() / "clip_text"))
            QSKIP("clip_text fixture absent");
        c10::InferenceMode inference;
        auto tiny = loadFixture("clip_text");
        const auto model = models::loadClipText(tiny.config, tiny.weights, "clip_text");
        const auto ids = tiny.io.at("input_ids");
        const auto mask = tiny.io.at("attention_mask");
        const auto masked = model->forward(ids, mask);
        const auto unmasked = model->forward(ids);
        QVERIFY(at::allclose(masked.textEmbeds, unmasked.textEmbeds, 1e-5, 1e-5));
        for (std::int64_t b = 0; b < ids.size(0); ++b) {
            const auto eos = masked.pooledIndex[b].item<std::int64_t>();
            QCOMPARE(eos, mask[b].sum().item<std::int64_t>() - 1); // first eos = last masked-in position
            const auto real = masked.hiddenLast[b].slice(0, 0, eos + 1);
            QVERIFY(at::allclose(real, unmasked.hiddenLast[b].slice(0, 0, eos + 1), 1e-5, 1e-5));
            if (eos + 1 < ids.size(1)) {
                const auto pads = masked.hiddenLast[b].slice(0, eos + 1);
                QVERIFY((pads - unmasked.hiddenLast[b].slice(0, eos + 1)).abs().max().item<double>() > 1e-3);
            }
        }
    }

    void maskAndPoolingRules()
    {
        const auto mask = models::buildAttentionMask(1, 3, at::tensor(std::vector<std::int64_t>{1, 1, 0}).view({1, 3}),
                                                     at::TensorOptions());
        const float low = std::numeric_limits<float>::lowest();
        const auto expected = at::tensor(std::vector<float>{0, low, low, 0, 0, low, 0, 0, low}).view({1, 1, 3, 3});
        QVERIFY(at::equal(mask, expected));
        // First eos, not argmax: an added token above eos must not move the pooled position.
        const auto ids = at::tensor(std::vector<std::int64_t>{5, 1000, 9, 999, 999}).view({1, 5});
        QCOMPARE(models::poolingIndex(ids, 999).item<std::int64_t>(), std::int64_t(3));
        QCOMPARE(models::poolingIndex(ids, 2).item<std::int64_t>(), std::int64_t(1)); // legacy: argmax
        QCOMPARE(models::poolingIndex(ids, 7).item<std::int64_t>(), std::int64_t(0)); // no eos: 0, as HF
    }

    void quickGelu()
    {
        models::ClipTextConfig config;
        config.hiddenSize = 4;
        config.intermediateSize = 6;
        config.hiddenAct = models::Activation::QuickGelu;
        models::ClipMlp mlp(config, at::TensorOptions());
        c10::InferenceMode inference;
        for (auto& p : mlp->parameters())
            p.copy_(at::randn(p.sizes()));
        const auto x = at::randn({2, 3, 4});
        const auto h = at::linear(x, mlp->fc1->weight, mlp->fc1->bias);
        const auto expected = at::linear(h * at::sigmoid(1.702 * h), mlp->fc2->weight, mlp->fc2->bias);
        QVERIFY(at::allclose(mlp->forward(x), expected, 1e-6, 1e-6));
    }

    // OpenCLIP naming (packed in_proj, transposed projection), at the root and under the SGM prefix,
    // gives bit-identical outputs.
    void openClipLayout_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::newRow("root") << "";
        QTest::newRow("sgm") << "conditioner.embedders.1.model.";
    }
    void openClipLayout()
    {
        QFETCH(QString, prefix);
        if (!fs::exists(parityDir() / "clip_text"))
            QSKIP("clip_text fixture absent");
        c10::InferenceMode inference;
        auto tiny = loadFixture("clip_text");
        const std::string p = prefix.toStdString();
        auto openClip = hfToOpenClip(tiny.weights, p);
        QCOMPARE(openClip.size(), tiny.weights.size() - 8 /* per layer, 6 q/k/v tensors become 2 packed */);
        QCOMPARE(shapeString(openClip.at(p + "transformer.resblocks.1.attn.in_proj_weight").sizes()),
                 std::string("[96, 32]"));
        QVERIFY(at::equal(openClip.at(p + "transformer.resblocks.1.attn.in_proj_bias").slice(0, 32, 64),
                          tiny.weights.at("text_model.encoder.layers.1.self_attn.k_proj.bias")));
        QVERIFY(at::equal(openClip.at(p + "text_projection"), tiny.weights.at("text_projection.weight").t()));
        QVERIFY(openClip.count(p + "positional_embedding") && openClip.count(p + "ln_final.weight"));
        QVERIFY(openClip.count(p + "transformer.resblocks.0.mlp.c_fc.weight"));
        // Leftovers of a full OpenCLIP / SGM file are dropped by name; other parts of the file are ignored.
        openClip.emplace(p + "logit_scale", at::ones({}));
        openClip.emplace(p + "attn_mask", at::zeros({77, 77}));
        if (!p.empty()) // at the root every key belongs to the text encoder (unknown ones are reported)
            openClip.emplace("model.diffusion_model.out.weight", at::zeros({2}));

        const auto location = findTextEncoder(openClip);
        QVERIFY(location && location->layout == TextLayout::OpenClip && location->prefix == p);
        const auto hf = textEncoderToHf(openClip, "openclip");
        QCOMPARE(hf.size(), tiny.weights.size());
        const auto reference = models::loadClipText(tiny.config, tiny.weights, "hf");
        const auto converted = models::loadClipText(tiny.config, hf, "openclip");
        const auto ids = tiny.io.at("input_ids");
        const auto mask = tiny.io.at("attention_mask");
        const auto a = reference->forward(ids, mask);
        const auto b = converted->forward(ids, mask);
        QVERIFY(at::equal(a.hiddenLast, b.hiddenLast));
        QVERIFY(at::equal(a.textEmbeds, b.textEmbeds));
    }

    // The text part of the ComfyUI all-in-one fixture: both projection layouts of the name table, and
    // the real file (its clip_text / clip_text_pooled outputs).
    void comfyUiLayout()
    {
        const fs::path dir = parityDir() / "format_comfyui_aio";
        if (!fs::exists(dir / "fixture.json"))
            QSKIP("format_comfyui_aio fixture absent");
        c10::InferenceMode inference;
        parity::Fixture fixture(dir);
        const auto config = models::ClipTextConfig::fromJson(fixture.json().at("hf_text_config_json"), "aio");
        const auto file = st::Reader::open(dir / "stable_cascade_stage_c.safetensors")->loadAll();
        const auto location = findTextEncoder(file);
        QVERIFY(location.has_value());
        QCOMPARE(location->prefix, fixture.json().at("prefixes").at("clip_text_model").get<std::string>());
        const auto hf = textEncoderToHf(file, "aio");
        QVERIFY(hf.count("text_projection.weight"));
        const auto model = models::loadClipText(config, hf, "aio");
        const auto out = model->forward(fixture.io("input_ids"), fixture.io("attention_mask"));
        parity::Checker checker(fixture.tolerance());
        checker.compare("clip_text", out.hiddenLast, fixture.io("clip_text"));
        checker.compare("clip_text_pooled", out.textEmbeds.unsqueeze(1), fixture.io("clip_text_pooled"));
        std::string failures;
        for (const auto& f : checker.failures())
            failures += f + "\n";
        QVERIFY2(checker.passed(), failures.c_str());
        qInfo("comfyui aio text part: worst rel_l2 %.3g", checker.worstRelL2());

        // Round trip through both ComfyUI projection layouts.
        for (bool transposed : {true, false}) {
            const auto comfy = hfToComfyUi(hf, transposed);
            QCOMPARE(comfy.count(fixture.json().at("text_projection_key").get<std::string>()), std::size_t(transposed));
            const auto back = textEncoderToHf(comfy, "comfy");
            QCOMPARE(back.size(), hf.size());
            for (const auto& [key, tensor] : hf)
                QVERIFY2(back.count(key) && at::equal(back.at(key), tensor), key.c_str());
        }
    }

    void loadErrors()
    {
        if (!fs::exists(parityDir() / "clip_text"))
            QSKIP("clip_text fixture absent");
        auto tiny = loadFixture("clip_text");
        std::string message;

        // An old checkpoint's position_ids buffer is accepted.
        auto withIds = tiny.weights;
        withIds.emplace("text_model.embeddings.position_ids", at::arange(77).view({1, 77}));
        models::loadClipText(tiny.config, withIds, "old.safetensors");

        auto missing = tiny.weights;
        missing.erase("text_model.encoder.layers.1.mlp.fc2.bias");
        missing.emplace("text_model.encoder.layers.1.mlp.fc3.bias", at::zeros({32}));
        QCOMPARE(errorCodeOf([&] { models::loadClipText(tiny.config, missing, "te.safetensors"); }, &message),
                 ErrorCode::BadCheckpoint);
        QVERIFY2(message.starts_with("te.safetensors") && message.find("layers.1.mlp.fc2.bias") != std::string::npos &&
                     message.find("layers.1.mlp.fc3.bias") != std::string::npos,
                 message.c_str());

        auto bigger = tiny.config;
        bigger.numHiddenLayers = 3;
        QCOMPARE(errorCodeOf([&] { models::loadClipText(bigger, tiny.weights, "te"); }, &message),
                 ErrorCode::BadCheckpoint);
        QVERIFY2(message.find("layers.2.") != std::string::npos, message.c_str());

        TensorMap unet{{"model.diffusion_model.clf.1.weight", at::zeros({2})}};
        QCOMPARE(errorCodeOf([&] { textEncoderToHf(unet, "stage_c.safetensors"); }, &message),
                 ErrorCode::BadCheckpoint);
        QVERIFY2(message.starts_with("stage_c.safetensors: no text encoder"), message.c_str());

        auto comfy = hfToComfyUi(tiny.weights, false);
        comfy.emplace("text_encoder.clip_g.text_projection", tiny.weights.at("text_projection.weight").t());
        QCOMPARE(errorCodeOf([&] { textEncoderToHf(comfy, "aio"); }, &message), ErrorCode::BadCheckpoint);
        QVERIFY2(message.find("text_projection") != std::string::npos, message.c_str());

        auto openClip = hfToOpenClip(tiny.weights);
        openClip["transformer.resblocks.0.attn.in_proj_weight"] = at::zeros({95, 32});
        QCOMPARE(errorCodeOf([&] { textEncoderToHf(openClip, "oc"); }, &message), ErrorCode::BadCheckpoint);
        QVERIFY2(message.find("in_proj_weight") != std::string::npos, message.c_str());

        c10::InferenceMode inference;
        const auto model = models::loadClipText(tiny.config, tiny.weights, "te");
        QCOMPARE(errorCodeOf([&] {
                     model->forward(at::full({1, 4}, 1000, at::kLong));
                 }),
                 ErrorCode::InvalidArgument); // vocab is 1000
        QCOMPARE(errorCodeOf([&] { model->forward(at::zeros({1, 78}, at::kLong)); }), ErrorCode::InvalidArgument);
        QCOMPARE(errorCodeOf([&] {
                     model->forward(at::zeros({1, 5}, at::kLong), at::ones({1, 4}, at::kLong));
                 }),
                 ErrorCode::InvalidArgument);
    }
};

QTEST_APPLESS_MAIN(TestClipText)
#include "test_clip_text.moc"
