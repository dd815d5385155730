// The Stage B / Stage C building blocks against independent re-computations of the spec's formulas
// (stable-cascade.md §2), config parsing, the precomputed-conditioning path, and the parity fixtures
// stage_c*, stage_b* (rel-L2 <= 1e-5, fp32 and bf16 weight files).
#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/models/common_blocks.h"
#include "pipeline/models/stage_a.h"
#include "pipeline/models/stage_b.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/tools/parity/parity.h"
#include "pipeline/tools/parity/runners.h"

#include <QtTest/QtTest>

#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

using namespace kaskade;
using namespace kaskade::models;

namespace {

QString parityDir()
{
    const QByteArray env = qgetenv("KASKADE_PARITY_DIR");
    return env.isEmpty() ? QStringLiteral(KASKADE_PARITY_DIR) : QString::fromLocal8Bit(env);
}

double relL2(const at::Tensor& a, const at::Tensor& e)
{
    const auto ad = a.to(at::kDouble), ed = e.to(at::kDouble);
    return ((ad - ed).norm() / ed.norm()).item<double>();
}

// Fills every parameter with N(0, scale) so that all branches contribute.
void randomize(torch::nn::Module& module, double scale = 0.3)
{
    at::NoGradGuard noGrad;
    for (auto& p : module.parameters(true))
        p.normal_(0, scale);
}

std::set<std::string> keysOf(torch::nn::Module& module)
{
    std::set<std::string> keys;
    for (const auto& item : module.named_parameters(true))
        keys.insert(item.key());
    return keys;
}

// A tiny Stage C / Stage B (fixture-like) exercising every branch: two levels, repeats, t_conds.
StageCConfig tinyStageC()
{
    return stageCConfigFromJson(nlohmann::json::parse(R"({"c_cond": 16, "c_hidden": [16, 32], "nhead": [2, 4],
        "blocks": [[1, 2], [2, 1]], "block_repeat": [[1, 2], [2, 1]], "c_clip_text": 12, "c_clip_text_pooled": 10,
        "c_clip_img": 8})"),
                                "test");
}

StageBConfig tinyStageB()
{
    return stageBConfigFromJson(nlohmann::json::parse(R"({"c_cond": 16, "c_hidden": [8, 16, 32], "nhead": [-1, 2, 4],
        "blocks": [[1, 1, 2], [2, 1, 1]], "block_repeat": [[1, 1, 1], [3, 2, 2]], "level_config": ["CT", "CTA", "CTA"],
        "c_clip": 10, "dropout": 0})"),
                                "test");
}

} // namespace

class TestBlocks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { at::manual_seed(7); }

    // emb(r) = [sin(10000 r f_k) | cos(10000 r f_k)], f_k = exp(-k ln(10000)/31); emb(0) = [0…0, 1…1].
    void rEmbedding()
    {
        const auto r = at::tensor({0.0f, 0.25f, 0.9935832f});
        const auto emb = models::rEmbedding(r, 64);
        QCOMPARE(emb.sizes().vec(), (std::vector<std::int64_t>{3, 64}));
        for (int i = 0; i < 3; ++i)
            for (int k = 0; k < 32; ++k) {
                const double arg = r[i].item<double>() * 10000.0 * std::exp(-k * std::log(10000.0) / 31.0);
                QVERIFY(std::abs(emb[i][k].item<double>() - std::sin(arg)) < 2e-3);
                QVERIFY(std::abs(emb[i][32 + k].item<double>() - std::cos(arg)) < 2e-3);
            }
        QVERIFY(at::equal(emb[0], at::cat({at::zeros({32}), at::ones({32})})));
        QCOMPARE(models::rEmbedding(r, 7).size(1), 7); // odd: zero padded
        QCOMPARE(models::rEmbedding(r, 7)[1][6].item<float>(), 0.0f);
    }

    // GRN: x + gamma·(x·Nx) + beta with Nx = ‖x‖₂(H,W) / (mean_C ‖x‖₂ + 1e-6).
    void globalResponseNorm()
    {
        models::GlobalResponseNorm grn(6, at::TensorOptions());
        randomize(*grn);
        const auto x = at::randn({2, 3, 4, 6}).to(at::kDouble);
        auto expected = at::empty_like(x);
        for (int b = 0; b < 2; ++b) {
            std::vector<double> g(6);
            double mean = 0;
            for (int c = 0; c < 6; ++c) {
                g[c] = std::sqrt(x[b].select(2, c).pow(2).sum().item<double>());
                mean += g[c] / 6;
            }
            for (int c = 0; c < 6; ++c) {
                const double nx = g[c] / (mean + 1e-6);
                expected[b].select(2, c).copy_(grn->gamma.view(-1)[c].item<double>() * x[b].select(2, c) * nx +
                                               grn->beta.view(-1)[c].item<double>() + x[b].select(2, c));
            }
        }
        QVERIFY(relL2(grn->forward(x.to(at::kFloat)), expected) < 1e-6);
    }

    // TimestepBlock: chunks of r_embed, (a, b) summed over mapper and mapper_<cond>, x·(1+a)+b.
    void timestepBlock()
    {
        models::TimestepBlock block(4, 8, std::vector<std::string>{"sca", "crp"}, at::TensorOptions());
        QCOMPARE(keysOf(*block), (std::set<std::string>{"mapper.weight", "mapper.bias", "mapper_sca.weight",
                                                        "mapper_sca.bias", "mapper_crp.weight", "mapper_crp.bias"}));
        randomize(*block);
        const auto x = at::randn({2, 4, 3, 3}), t = at::randn({2, 24});
        auto ab = at::linear(t.slice(1, 0, 8), block->mapper->weight, block->mapper->bias);
        ab = ab + at::linear(t.slice(1, 8, 16), block->condMappers[0]->weight, block->condMappers[0]->bias);
        ab = ab + at::linear(t.slice(1, 16, 24), block->condMappers[1]->weight, block->condMappers[1]->bias);
        const auto a = ab.slice(1, 0, 4).view({2, 4, 1, 1}), b = ab.slice(1, 4, 8).view({2, 4, 1, 1});
        QVERIFY(relL2(block->forward(x, t), x * (1 + a) + b) < 1e-6);
    }

    // ResBlock: skip joins after depthwise + LN2d; channelwise Linear-GELU-GRN-Linear; residual.
    void resBlock()
    {
        models::ResBlock block(4, 3, 3, at::TensorOptions());
        QCOMPARE(keysOf(*block),
                 (std::set<std::string>{"depthwise.weight", "depthwise.bias", "channelwise.0.weight",
                                        "channelwise.0.bias", "channelwise.2.gamma", "channelwise.2.beta",
                                        "channelwise.4.weight", "channelwise.4.bias"}));
        QCOMPARE(block->channelwise->at<nn::LinearImpl>(0).weight.sizes().vec(), (std::vector<std::int64_t>{16, 7}));
        randomize(*block);
        const auto x = at::randn({2, 4, 5, 6}), skip = at::randn({2, 3, 5, 6});
        auto h = at::conv2d(x, block->depthwise->weight, block->depthwise->bias, 1, 1, 1, 4);
        h = at::layer_norm(h.permute({0, 2, 3, 1}), {4}, {}, {}, 1e-6); // NHWC
        h = at::cat({h, skip.permute({0, 2, 3, 1})}, 3);
        const auto& cw = *block->channelwise;
        h = at::gelu(at::linear(h, cw.at<nn::LinearImpl>(0).weight, cw.at<nn::LinearImpl>(0).bias));
        h = cw.at<models::GlobalResponseNormImpl>(2).forward(h);
        h = at::linear(h, cw.at<nn::LinearImpl>(4).weight, cw.at<nn::LinearImpl>(4).bias);
        QVERIFY(relL2(block->forward(x, skip), h.permute({0, 3, 1, 2}) + x) < 1e-6);
    }

    // AttnBlock: packed MHA over q = LN2d(x) tokens, kv = [LN2d(x) tokens ; Linear(SiLU(clip))], residual.
    void attnBlock()
    {
        const std::int64_t c = 8, heads = 2, hd = 4;
        models::AttnBlock block(c, 6, heads, true, at::TensorOptions());
        QCOMPARE(keysOf(*block),
                 (std::set<std::string>{"attention.attn.in_proj_weight", "attention.attn.in_proj_bias",
                                        "attention.attn.out_proj.weight", "attention.attn.out_proj.bias",
                                        "kv_mapper.1.weight", "kv_mapper.1.bias"}));
        randomize(*block);
        const auto x = at::randn({2, c, 3, 2}), clip = at::randn({2, 5, 6});
        const auto& mha = *block->attention->attn;
        const auto& kvLinear = block->kv_mapper->at<nn::LinearImpl>(1);
        const auto xn = at::layer_norm(x.permute({0, 2, 3, 1}), {c}, {}, {}, 1e-6).reshape({2, 6, c}); // (B,HW,c)
        const auto kv = at::cat({xn, at::linear(at::silu(clip), kvLinear.weight, kvLinear.bias)}, 1);  // (B,11,c)
        const auto w = mha.in_proj_weight.chunk(3, 0), bias = mha.in_proj_bias.chunk(3, 0);
        const auto q = at::linear(xn, w[0], bias[0]), k = at::linear(kv, w[1], bias[1]),
                   v = at::linear(kv, w[2], bias[2]);
        std::vector<at::Tensor> outs;
        for (std::int64_t h = 0; h < heads; ++h) {
            const auto qh = q.slice(2, h * hd, (h + 1) * hd), kh = k.slice(2, h * hd, (h + 1) * hd);
            const auto vh = v.slice(2, h * hd, (h + 1) * hd);
            outs.push_back(at::softmax(at::matmul(qh, kh.transpose(1, 2)) / std::sqrt(double(hd)), -1).matmul(vh));
        }
        const auto o = at::linear(at::cat(outs, 2), mha.out_proj->weight, mha.out_proj->bias); // (B,HW,c)
        const auto expected = x + o.reshape({2, 3, 2, c}).permute({0, 3, 1, 2});
        QVERIFY(relL2(block->forward(x, block->mapCondition(clip)), expected) < 1e-6);
    }

    // Stage B's k2 s2 ConvTranspose2d as a matmul equals torch's conv_transpose2d (fp32), and runs in bf16
    // (LibTorch 1.13's CPU bf16 conv_transpose2d fails for non-square weights).
    void convTransposeK2S2()
    {
        nn::ConvTranspose2d layer(6, 4, 2, at::TensorOptions(), 2);
        randomize(*layer);
        const auto x = at::randn({2, 6, 3, 5});
        const auto expected = at::conv_transpose2d(x, layer->weight, layer->bias, 2);
        QVERIFY(relL2(models::convTranspose(*layer, x), expected) < 1e-6);
        nn::ConvTranspose2d half(6, 4, 2, at::TensorOptions().dtype(at::kBFloat16), 2);
        {
            at::NoGradGuard noGrad;
            half->weight.copy_(layer->weight);
            half->bias.copy_(layer->bias);
        }
        const auto y = models::convTranspose(*half, x);
        QCOMPARE(y.sizes(), expected.sizes());
        QVERIFY(relL2(y, expected) < 2e-2);
    }

    // Stage A runs its full-resolution work over bands of rows. With one row per band (forced) a ResBlock
    // equals modules/stage_a.py's formula computed whole, and a decode (ResBlocks and the k4 s2 upsampling
    // with its halo rows) equals the decode in one piece, on an odd, non-square latent.
    void stageABands()
    {
        StageAConfig config;
        config.levels = 2;
        config.cHidden = 8;
        config.cLatent = 4;
        config.bottleneckBlocks = 2;
        config.codebookSize = 16;
        models::StageA stageA(config, at::TensorOptions());
        randomize(*stageA, 0.2);
        c10::InferenceMode inference;
        const auto latent = at::randn({2, 4, 5, 7});
        const auto x = at::randn({2, 8, 6, 5});
        const auto whole = stageA->decode(latent); // the default budget: one band at this size
        struct RestoreBands
        {
            std::int64_t saved = stage_a::bandElements();
            ~RestoreBands() { stage_a::setBandElements(saved); }
        } restore;
        stage_a::setBandElements(1);
        const auto banded = stageA->decode(latent);
        QCOMPARE(banded.sizes().vec(), (std::vector<std::int64_t>{2, 3, 20, 28}));
        QVERIFY(relL2(banded, whole) < 1e-6);

        const auto& block = stageA->up_blocks->at<stage_a::ResBlockImpl>(1);
        const auto& g = block.gammas;
        const auto& conv = block.depthwise->at<nn::Conv2dImpl>(1);
        const auto& fc1 = block.channelwise->at<nn::LinearImpl>(0);
        const auto& fc2 = block.channelwise->at<nn::LinearImpl>(2);
        auto norm = [](const at::Tensor& t) {
            return at::layer_norm(t.permute({0, 2, 3, 1}), {8}, {}, {}, 1e-6).permute({0, 3, 1, 2});
        };
        auto t = norm(x) * (1 + g[0]) + g[1];
        t = at::conv2d(at::replication_pad2d(t, {1, 1, 1, 1}), conv.weight, conv.bias, 1,
                       std::vector<std::int64_t>{0, 0}, 1, 8);
        const auto y = x + t * g[2];
        auto u = (norm(y) * (1 + g[3]) + g[4]).permute({0, 2, 3, 1});
        u = at::linear(at::gelu(at::linear(u, fc1.weight, fc1.bias)), fc2.weight, fc2.bias);
        QVERIFY(relL2(block.forward(x), y + u.permute({0, 3, 1, 2}) * g[5]) < 1e-6);
    }

    void configJson()
    {
        const auto config = tinyStageB();
        QCOMPARE(config.levels.selfAttn, (std::vector<bool>{true, true, true})); // default broadcast
        QCOMPARE(config.levels.dropout, (std::vector<double>{0, 0, 0}));         // scalar broadcast
        const auto again = stageBConfigFromJson(toJson(config), "round trip");
        QCOMPARE(toJson(again), toJson(config));
        QCOMPARE(QString::fromStdString(variantName(stageCConfigFromJson(nlohmann::json::object(), "x"))),
                 QStringLiteral("3.6B"));
        QCOMPARE(QString::fromStdString(variantName(stageBConfigFromJson(toJson(StageBConfig::lite()), "x"))),
                 QStringLiteral("700M"));
        QVERIFY_THROWS_EXCEPTION(Error, stageCConfigFromJson(nlohmann::json::parse(R"({"c_hiden": [8]})"), "x"));
        QVERIFY_THROWS_EXCEPTION(Error, stageCConfigFromJson(nlohmann::json::parse(R"({"c_cond": "16"})"), "x"));
        auto bad = tinyStageC();
        bad.levels.nhead = {3, 4}; // 3 does not divide 16
        QVERIFY_THROWS_EXCEPTION(Error, StageC(bad, at::TensorOptions().device(at::kMeta)));
    }

    // encodeConditioning + forward(cond) == plain forward, and [cond ; uncond] encoded separately then
    // concatenated == encoded together (the sampler's CFG batch).
    void stageCConditioningPath()
    {
        c10::InferenceMode inference;
        StageC model(tinyStageC(), at::TensorOptions());
        randomize(*model, 0.2);
        const auto x = at::randn({2, 16, 6, 5}), r = at::rand({2});
        const auto text = at::randn({2, 7, 12}), pooled = at::randn({2, 1, 10}), img = at::randn({2, 1, 8});
        const TConds tConds{{"crp", at::rand({2})}};
        const auto plain = model->forward(x, r, text, pooled, img, tConds);
        QCOMPARE(plain.sizes(), x.sizes());
        QVERIFY(at::isfinite(plain).all().item<bool>());
        const auto cond = model->encodeConditioning(text, pooled, img, tConds);
        QVERIFY(at::equal(model->forward(x, r, cond), plain));
        const auto halves = StageCConditioning::cat(
            model->encodeConditioning(text.slice(0, 0, 1), pooled.slice(0, 0, 1), img.slice(0, 0, 1),
                                      {{"crp", tConds[0].second.slice(0, 0, 1)}}),
            model->encodeConditioning(text.slice(0, 1, 2), pooled.slice(0, 1, 2), img.slice(0, 1, 2),
                                      {{"crp", tConds[0].second.slice(0, 1, 2)}}));
        QVERIFY(relL2(model->forward(x, r, halves), plain) < 1e-6);
        // Without t_conds they are zeros, which differs from the random crp above.
        QVERIFY(relL2(model->forward(x, r, text, pooled, img), plain) > 1e-4);
    }

    void stageBConditioningPath()
    {
        c10::InferenceMode inference;
        StageB model(tinyStageB(), at::TensorOptions());
        randomize(*model, 0.2);
        const auto x = at::randn({2, 4, 16, 12}), r = at::rand({2});
        const auto effnet = at::randn({2, 16, 3, 3}), clip = at::randn({2, 1, 10});
        const auto plain = model->forward(x, r, effnet, clip);
        QCOMPARE(plain.sizes(), x.sizes());
        // Latent size known in advance, or not: identical.
        QVERIFY(at::equal(model->forward(x, r, model->encodeConditioning(effnet, clip, {}, {}, 16, 12)), plain));
        QVERIFY(at::equal(model->forward(x, r, model->encodeConditioning(effnet, clip)), plain));
        const auto halves = StageBConditioning::cat(
            model->encodeConditioning(effnet.slice(0, 0, 1), clip.slice(0, 0, 1), {}, {}, 16, 12),
            model->encodeConditioning(effnet.slice(0, 1, 2), clip.slice(0, 1, 2), {}, {}, 16, 12));
        QVERIFY(relL2(model->forward(x, r, halves), plain) < 1e-6);
        // Explicit zero pixels are the default.
        QVERIFY(at::equal(model->forward(x, r, effnet, clip, at::zeros({2, 3, 8, 8})), plain));
    }

    // bf16 weights and compute (autocast-like mixed precision) stay close to fp32, as the official
    // bf16 autocast does (fixtures: rel-L2 ~1.3e-2).
    void bf16Compute()
    {
        c10::InferenceMode inference;
        StageC fp32(tinyStageC(), at::TensorOptions());
        randomize(*fp32, 0.2);
        StageC bf16(tinyStageC(), at::TensorOptions().dtype(at::kBFloat16));
        TensorMap weights;
        for (const auto& item : fp32->named_parameters(true))
            weights[item.key()] = item.value().to(at::kBFloat16).to(at::kFloat);
        loadStateDict(*bf16, weights, "bf16 copy");
        loadStateDict(*fp32, weights, "fp32 copy"); // same (bf16-exact) values
        const auto x = at::randn({2, 16, 4, 4}), r = at::rand({2});
        const auto text = at::randn({2, 7, 12}), pooled = at::randn({2, 1, 10}), img = at::randn({2, 1, 8});
        const auto a = bf16->forward(x, r, text, pooled, img), e = fp32->forward(x, r, text, pooled, img);
        QCOMPARE(a.scalar_type(), at::kFloat);
        const double err = relL2(a, e);
        QVERIFY2(err < 5e-2 && err > 0, qPrintable(QString::number(err)));

        StageB fp32B(tinyStageB(), at::TensorOptions());
        randomize(*fp32B, 0.2);
        StageB bf16B(tinyStageB(), at::TensorOptions().dtype(at::kBFloat16));
        TensorMap weightsB;
        for (const auto& item : fp32B->named_parameters(true))
            weightsB[item.key()] = item.value().to(at::kBFloat16).to(at::kFloat);
        loadStateDict(*bf16B, weightsB, "bf16 copy");
        loadStateDict(*fp32B, weightsB, "fp32 copy");
        const auto xb = at::randn({2, 4, 16, 12}), effnet = at::randn({2, 16, 3, 3}), clip = at::randn({2, 1, 10});
        const double errB = relL2(bf16B->forward(xb, r, effnet, clip), fp32B->forward(xb, r, effnet, clip));
        QVERIFY2(errB < 5e-2 && errB > 0, qPrintable(QString::number(errB)));
    }

    void parityFixtures_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : {"stage_c", "stage_c_tconds", "stage_b", "stage_b_bf16"})
            QTest::newRow(name) << name;
    }

    void parityFixtures()
    {
        QFETCH(QString, name);
        const std::filesystem::path dir = (parityDir() + "/" + name).toStdString();
        if (!std::filesystem::exists(dir / "fixture.json"))
            QSKIP(qPrintable("fixture " + QString::fromStdString(dir.string()) + " absent (set KASKADE_PARITY_DIR)"));
        parity::Fixture fixture(dir);
        parity::Checker checker(fixture.tolerance());
        if (fixture.module() == "stage_c")
            parity::runStageCFixture(fixture, checker);
        else
            parity::runStageBFixture(fixture, checker);
        QVERIFY2(checker.passed(),
                 checker.failures().empty() ? "nothing compared" : checker.failures().front().c_str());
        QVERIFY(checker.worstRelL2() <= 1e-5);
        qInfo("%s: %d comparisons, worst rel_l2 %.3g, max_abs %.3g", qPrintable(name), checker.compared(),
              checker.worstRelL2(), checker.worstMaxAbs());
    }
};

QTEST_APPLESS_MAIN(TestBlocks)
#include "test_blocks.moc"
