// LoRA training maths (AdamW, warmup, clipping), Stage C's training dropout, the official file layout,
// CPython's set order, the ComfyUI conversion, and the two training parity fixtures.
#include "pipeline/io/safetensors.h"
#include "pipeline/loading/lora.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/training/adamw.h"
#include "pipeline/training/lora_job.h"
#include "pipeline/training/lora_modules.h"
#include "test_support.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <QTemporaryDir>
#include <QTest>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>

using namespace kaskade;
using namespace kaskade::models;

class TestLoraTraining : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void warmupSchedule()
    {
        // GradualWarmupScheduler(multiplier 1, total_epoch W): the sequences the fixture cross-checked.
        QCOMPARE(training::warmupLr(1e-4, 1, 1), 0.0);
        QCOMPARE(training::warmupLr(1e-4, 2, 1), 1e-4);
        QCOMPARE(training::warmupLr(1e-4, 9, 1), 1e-4);
        QCOMPARE(training::warmupLr(1e-4, 2, 3), 1e-4 * (1.0 / 3.0));
        QCOMPARE(training::warmupLr(1e-4, 3, 3), 1e-4 * (2.0 / 3.0));
        QCOMPARE(training::warmupLr(1e-4, 4, 3), 1e-4);
        QCOMPARE(training::warmupLr(1e-4, 1, 0), 1e-4);
    }

    void clipping()
    {
        auto a = at::zeros({2}, at::kFloat).set_requires_grad(true);
        auto b = at::zeros({1}, at::kFloat).set_requires_grad(true);
        a.mutable_grad() = at::tensor({3.0f, 4.0f});
        b.mutable_grad() = at::tensor({12.0f});
        const auto big = training::clipGradNorm({a, b}, 1.0);
        QCOMPARE(big.totalNorm.item<float>(), 13.0f);
        const float coef = 1.0f / (13.0f + 1e-6f);
        QVERIFY(std::abs(big.coef.item<float>() - coef) < 1e-9f);
        QVERIFY(std::abs(a.grad()[1].item<float>() - 4.0f * coef) < 1e-7f);
        QVERIFY(std::abs(b.grad()[0].item<float>() - 12.0f * coef) < 1e-7f);
        // Below the threshold the coefficient clamps to 1 and the gradients stay as they are.
        a.mutable_grad() = at::tensor({0.3f, 0.4f});
        b.mutable_grad() = at::Tensor(); // no gradient: skipped
        const auto small = training::clipGradNorm({a, b}, 1.0);
        QCOMPARE(small.coef.item<float>(), 1.0f);
        QCOMPARE(a.grad()[0].item<float>(), 0.3f);
    }

    void adamwMatchesTheFormula()
    {
        // Three steps with lr 0, 1e-2, 1e-2 on one element, against the formula evaluated in double.
        auto p = at::tensor({0.5f}).set_requires_grad(true);
        training::AdamW adam({p});
        const double grads[] = {0.2, -0.1, 0.05};
        const double lrs[] = {0.0, 1e-2, 1e-2};
        double x = 0.5, m = 0, v = 0;
        for (int k = 1; k <= 3; ++k) {
            p.mutable_grad() = at::tensor({static_cast<float>(grads[k - 1])});
            adam.step(lrs[k - 1]);
            const double g = static_cast<float>(grads[k - 1]), lr = lrs[k - 1];
            x *= 1 - lr * 0.01;
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            x -= lr / (1 - std::pow(0.9, k)) * m / (std::sqrt(v) / std::sqrt(1 - std::pow(0.999, k)) + 1e-8);
            QVERIFY2(std::abs(p.item<float>() - x) < 1e-6,
                     qPrintable(QString("step %1: %2 vs %3").arg(k).arg(p.item<float>()).arg(x)));
            QVERIFY(std::abs(adam.expAvg()[0].item<float>() - m) < 1e-7);
            QVERIFY(std::abs(adam.expAvgSq()[0].item<float>() - v) < 1e-9);
        }
        QCOMPARE(adam.stepCount(), std::int64_t{3});
        // Update 1 had lr 0: the value only moved from update 2 on.
        adam.zeroGrad();
        QVERIFY(!p.grad().defined());
    }

    void cpythonSetOrder()
    {
        // Expected values printed by CPython 3.11: list(set(ids)).
        using Ids = std::vector<std::int64_t>;
        const std::pair<Ids, Ids> cases[] = {
            {{49408, 1025}, {49408, 1025}}, // the README's example
            {{10, 2, 18}, {18, 10, 2}},     // perturbed probing
            {{3, 1, 2}, {1, 2, 3}},         // slot order
            {{49408, 49409, 49410, 49411, 49412, 7, 1025}, {49408, 49409, 49410, 49411, 49412, 1025, 7}}, // resize
            {{40, 8, 16, 24, 0, 33}, {0, 33, 40, 8, 16, 24}}, // collisions + resize
            {{5, 5, 21}, {21, 5}},                            // duplicates
        };
        for (const auto& [ids, expected] : cases)
            QCOMPARE(training::cpythonSetOrder(ids), expected);
    }

    void officialLayout()
    {
        // 12 LoRA layers and one token: I64 indices first, then F32 by key bytes (weights.10 < weights.2).
        training::LoraState state;
        state.embeddings = at::arange(6, at::kFloat).view({1, 6});
        state.indices = at::tensor({21}, at::kLong);
        for (int i = 0; i < 12; ++i)
            state.layers.push_back({"x", at::full({2, 3}, float(i)), at::full({5, 2}, -float(i)), 0.5});
        const std::string bytes = training::officialLoraBytes(state);
        std::uint64_t n = 0;
        std::memcpy(&n, bytes.data(), 8);
        QCOMPARE(n % 8, std::uint64_t{0});
        const std::string header = bytes.substr(8, n);
        QVERIFY(header.rfind("{\"embeddings.indices\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                             "\"embeddings.embeddings\":{\"dtype\":\"F32\",\"shape\":[1,6],\"data_offsets\":[8,32]},"
                             "\"weights.0.lora_down\":",
                             0) == 0);
        QVERIFY(header.find("weights.1.lora_up") < header.find("weights.10.lora_down"));
        QVERIFY(header.find("weights.11.lora_up") < header.find("weights.2.lora_down"));
        QVERIFY(header.find("__metadata__") == std::string::npos);
        QCOMPARE(header[header.find_last_not_of(' ')], '}');

        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "lora.safetensors";
        training::saveOfficialLora(path, state);
        const auto back = st::Reader::open(path)->loadAll();
        QCOMPARE(back.size(), std::size_t{26});
        QVERIFY(at::equal(back.at("weights.7.lora_up"), state.layers[7].up));
        QVERIFY(at::equal(back.at("embeddings.indices"), state.indices));

        // No tokens: torch.tensor([]) is an empty F32 tensor, sorted among the F32 keys.
        state.embeddings = at::zeros({0, 6}, at::kFloat);
        state.indices = at::zeros({0}, at::kFloat);
        const std::string empty = training::officialLoraBytes(state);
        QVERIFY(empty.substr(8).rfind(
                    "{\"embeddings.embeddings\":{\"dtype\":\"F32\",\"shape\":[0,6],\"data_offsets\":[0,0]},"
                    "\"embeddings.indices\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}",
                    0) == 0);
    }

    void comfyUiConversionMergesTheSame()
    {
        // On the fixture's tiny Stage C: the converted file, read by Kaskade's loader, merges to the same weights.
        const auto fixture = test::parityDir() / "train_lora_step";
        if (!std::filesystem::exists(fixture / "weights.safetensors"))
            QSKIP("train_lora_step fixture not found (set KASKADE_PARITY_DIR)");
        c10::InferenceMode guard;
        std::ifstream in(fixture / "fixture.json");
        const auto json = nlohmann::json::parse(in);
        StageC model =
            loadStageC(fixture / "weights.safetensors", at::TensorOptions().dtype(at::kFloat), &json.at("config"));
        const TensorMap official = st::Reader::open(fixture / "lora_init.safetensors")->loadAll();
        std::vector<std::string> dropped;
        const TensorMap comfy = training::toComfyUi(official, training::loraTargets(*model), &dropped);
        QCOMPARE(dropped, std::vector<std::string>{"embeddings.embeddings"});
        QVERIFY(comfy.count("lora_prior_unet_down_blocks_0_2_attention_attn_to_k.lora_up.weight"));
        QVERIFY(comfy.count("lora_prior_unet_down_blocks_0_2_attention_attn_out_proj.alpha"));

        const LoraFile a = mapLora(official, "official", *model), b = mapLora(comfy, "comfy", *model);
        QCOMPARE(b.format, std::string("onetrainer"));
        LoraMerger merger;
        merger.apply(*model, {{&a, 1.0}});
        std::map<std::string, at::Tensor> merged;
        for (const auto& p : model->named_parameters(true))
            merged[p.key()] = p.value().clone();
        merger.apply(*model, {{&b, 1.0}});
        for (const auto& p : model->named_parameters(true))
            QVERIFY2(at::allclose(p.value(), merged.at(p.key()), 1e-5, 1e-6), p.key().c_str());
        merger.clear(*model);
    }

    void stageCDropoutOnlyWhileTraining()
    {
        // The config's dropout acts in the ResBlock MLPs and on the attention weights, in train() mode under a
        // DropoutScope only; its masks follow the scope's seed; sampling (eval, InferenceMode) is untouched.
        auto config = models::stageCConfigFromJson(
            nlohmann::json::parse(R"({"c_cond": 16, "c_hidden": [16, 32], "nhead": [2, 4], "blocks": [[1, 1], [1, 1]],
                "c_clip_text": 12, "c_clip_text_pooled": 10, "c_clip_img": 8, "dropout": 0.5})"),
            "test");
        models::StageC model(config, at::TensorOptions());
        {
            at::NoGradGuard noGrad;
            auto weights = at::make_generator<at::CPUGeneratorImpl>(3);
            for (auto& p : model->parameters())
                p.normal_(0, 0.2, weights);
        }
        auto gen = at::make_generator<at::CPUGeneratorImpl>(4);
        const auto x = at::randn({2, 16, 4, 4}, gen), r = at::rand({2}, gen);
        const auto text = at::randn({2, 5, 12}, gen), pooled = at::randn({2, 1, 10}, gen),
                   image = at::randn({2, 1, 8}, gen);
        auto run = [&](c10::optional<std::uint64_t> seed) {
            std::optional<models::DropoutScope> scope;
            if (seed)
                scope.emplace(at::make_generator<at::CPUGeneratorImpl>(*seed));
            return model->forward(x, r, text, pooled, image).detach();
        };
        auto setDropout = [&](double res, double attn) {
            for (const auto& m : model->modules()) {
                if (auto* block = dynamic_cast<models::ResBlockImpl*>(m.get()))
                    block->dropout = res;
                if (auto* block = dynamic_cast<models::AttnBlockImpl*>(m.get()))
                    block->dropout = attn;
            }
        };
        auto differ = [](const at::Tensor& a, const at::Tensor& b) {
            return (a - b).abs().max().item<double>() > 1e-3;
        };

        model->train();
        const auto plain = run(c10::nullopt); // no scope: no dropout
        const auto a = run(1), b = run(2);
        QVERIFY(differ(a, plain));
        QVERIFY(differ(a, b));
        QVERIFY(at::equal(a, run(1))); // the masks follow the seed
        setDropout(0.5, 0);
        QVERIFY(differ(run(1), run(2))); // ResBlock (channelwise.3) alone
        setDropout(0, 0.5);
        QVERIFY(differ(run(1), run(2))); // attention weights alone
        setDropout(0, 0);
        QVERIFY(at::equal(run(1), plain)); // p = 0: exactly the plain forward
        setDropout(0.5, 0.5);

        model->eval();
        QVERIFY(at::equal(run(1), plain));
        model->train();
        {
            c10::InferenceMode inference; // sampling: fused kernels, so equal up to rounding
            QVERIFY(at::allclose(run(1), plain, 1e-4, 1e-5));
        }
        // Backward sees the forward's masks.
        auto gradient = [&](std::uint64_t seed) {
            const auto input = x.clone().requires_grad_(true);
            models::DropoutScope scope(at::make_generator<at::CPUGeneratorImpl>(seed));
            model->forward(input, r, text, pooled, image).pow(2).sum().backward();
            return input.grad();
        };
        QVERIFY(at::equal(gradient(1), gradient(1)));
        QVERIFY(differ(gradient(1), gradient(2)));
    }

    void aspectBuckets()
    {
        using B = LoraBucket;
        QVERIFY((loraBuckets(512) == std::vector<B>{{384, 640}, {448, 576}, {512, 512}, {576, 448}, {640, 384}}));
        for (const int res : {64, 256, 480, 512, 1024})
            for (const B& b : loraBuckets(res)) {
                QVERIFY(b.width * b.height <= res * res);
                QVERIFY((b == B{res, res} || (b.width % kLoraBucketStep == 0 && b.height % kLoraBucketStep == 0)));
                QVERIFY(b.width <= 2 * b.height && b.height <= 2 * b.width);
            }
        const auto buckets = loraBuckets(512);
        QVERIFY((loraBucketFor(48, 64, buckets) == B{448, 576}));    // 3:4 portrait
        QVERIFY((loraBucketFor(1000, 999, buckets) == B{512, 512})); // about square
        QVERIFY((loraBucketFor(3000, 500, buckets) == B{640, 384})); // panoramas take the widest
        QVERIFY((loraBuckets(480).size() > 1));
        QVERIFY((loraBucketFor(7, 7, loraBuckets(480)) == B{480, 480})); // the square crop is always there
    }

    void trainStepFixture() { test::runFixture("train_lora_step"); }
    void trainSaveFixture() { test::runFixture("train_lora_save"); }
};

QTEST_GUILESS_MAIN(TestLoraTraining)
#include "test_lora_training.moc"
