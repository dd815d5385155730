// GDF sampler: the schedule, VP scaler and noise condition against the reference tables of
// stable-cascade.md §8.7 (computed with the official gdf code), the DDPM / DDIM / LCM step formulas,
// DPM++ 2M against hand-computed updates and the exact flow of a Gaussian, every row of the sampler table,
// the cfg rescale worked out by hand, guidance batching, img2img starts, noise sources and cancellation.

#include "pipeline/errors.h"
#include "pipeline/sampling/gdf.h"
#include "pipeline/sampling/noise.h"
#include "pipeline/sampling/preview.h"
#include "pipeline/sampling/sampler.h"
#include "pipeline/tools/parity/parity.h"

#include <ATen/ATen.h>

#include <QTest>

#include "test_support.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>

using namespace kaskade;

namespace {

const at::TensorOptions kFloat = at::TensorOptions().dtype(at::kFloat);

double value(const at::Tensor& t, std::int64_t i)
{
    return t.reshape({-1})[i].item<double>();
}

// A deterministic stand-in for a network: ε̂ depends on x, r and the batch row.
at::Tensor toyModel(const at::Tensor& x, const at::Tensor& r)
{
    const auto rows = at::arange(x.size(0), kFloat).view({-1, 1, 1, 1});
    return 0.3 * x.tanh() + r.view({-1, 1, 1, 1}) * 0.5 - 0.1 * rows;
}

// One step of a fresh sampler (the official ones do not look at x).
at::Tensor stepOnce(gdf::SamplerKind kind, const at::Tensor& x0, const at::Tensor& eps, const at::Tensor& logSNR,
                    const at::Tensor& logSNRNext, NoiseSource& noise)
{
    return gdf::makeSampler(kind)->step(gdf::SamplerStep{0, 1, x0, x0, eps, logSNR, logSNRNext}, noise);
}

// Data x0 ~ N(0, s²) elementwise: the ideal denoiser at logSNR λ (a² = sigmoid(λ), b² = 1 − a²) is
// x0̂ = a·s²/(a²s² + b²)·x, and the probability-flow ODE maps x at λ to x·std(λ')/std(λ) with
// std(λ) = sqrt(a²s² + b²). Runs `kind` over the float64 levels `levels` from x and returns x at the end.
at::Tensor gaussianFlow(gdf::SamplerKind kind, const at::Tensor& x, const std::vector<double>& levels, double s2)
{
    const auto f64 = at::TensorOptions().dtype(at::kDouble);
    auto sampler = gdf::makeSampler(kind);
    SeededNoise unused(0);
    at::Tensor current = x;
    for (std::size_t i = 0; i + 1 < levels.size(); ++i) {
        const auto l = at::full({x.size(0)}, levels[i], f64), lNext = at::full({x.size(0)}, levels[i + 1], f64);
        const double a2 = 1 / (1 + std::exp(-levels[i]));
        const double a = std::sqrt(a2), b = std::sqrt(1 - a2);
        const auto x0 = current * (a * s2 / (a2 * s2 + 1 - a2));
        const auto eps = (current - a * x0) / b;
        current = sampler->step(gdf::SamplerStep{int(i), int(levels.size()) - 1, current, x0, eps, l, lNext}, unused);
    }
    return current;
}

double gaussianStd(double logSNR, double s2)
{
    const double a2 = 1 / (1 + std::exp(-logSNR));
    return std::sqrt(a2 * s2 + 1 - a2);
}

// The Stage B schedule's levels (shift 1) for `steps` steps from t = 1 to 0, in float64.
std::vector<double> cosineLevels(int steps)
{
    const gdf::CosineSchedule schedule;
    const auto l = schedule(at::linspace(1.0, 0.0, steps + 1, kFloat));
    std::vector<double> levels;
    for (int i = 0; i <= steps; ++i)
        levels.push_back(value(l, i));
    return levels;
}

using kaskade::test::runFixture;

} // namespace

class TestGdf : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // stable-cascade.md §8.7: i, t, logSNR, a, b, r_cond for Stage C (N=20, shift 2) and Stage B (N=10, shift 1).
    void referenceTable_data()
    {
        QTest::addColumn<int>("steps");
        QTest::addColumn<double>("shift");
        QTest::addColumn<int>("i");
        QTest::addColumn<double>("t");
        QTest::addColumn<double>("logSNR");
        QTest::addColumn<double>("a");
        QTest::addColumn<double>("b");
        QTest::addColumn<double>("r");
        struct Row
        {
            int i;
            double t, logSNR, a, b, r;
        };
        const Row stageC[] = {
            {0, 1.00, -9.210240, 0.0100000, 0.9999500, 0.9935832},
            {1, 0.95, -6.486321, 0.0390106, 0.9992388, 0.9749619},
            {2, 0.90, -5.087794, 0.0783183, 0.9969284, 0.9496946},
            {5, 0.75, -3.166546, 0.2011076, 0.9795691, 0.8700708},
            {10, 0.50, -1.410921, 0.4428192, 0.8966109, 0.7056450},
            {15, 0.25, +0.325062, 0.7619432, 0.6476439, 0.4441377},
            {18, 0.10, +2.164270, 0.9470981, 0.3209443, 0.2018116},
            {19, 0.05, +3.434909, 0.9842651, 0.1766978, 0.1062653},
            {20, 0.00, +7.823780, 0.9998000, 0.0199972, 0.0071235},
        };
        const Row stageB[] = {
            {0, 1.0, -9.210240, 0.0100000, 0.9999500, 0.9935832}, {1, 0.9, -3.701500, 0.1552151, 0.9878807, 0.9000000},
            {2, 0.8, -2.265210, 0.3066685, 0.9518164, 0.8000000}, {5, 0.5, -0.024627, 0.7027401, 0.7114466, 0.5000000},
            {9, 0.1, +3.550565, 0.9859476, 0.1670548, 0.1000002}, {10, 0.0, +9.210074, 0.9999500, 0.0100008, 0.0022568},
        };
        for (const auto& row : stageC)
            QTest::addRow("stage_c i=%d", row.i)
                << 20 << 2.0 << row.i << row.t << row.logSNR << row.a << row.b << row.r;
        for (const auto& row : stageB)
            QTest::addRow("stage_b i=%d", row.i)
                << 10 << 1.0 << row.i << row.t << row.logSNR << row.a << row.b << row.r;
    }
    void referenceTable()
    {
        QFETCH(int, steps);
        QFETCH(double, shift);
        QFETCH(int, i);
        QFETCH(double, t);
        QFETCH(double, logSNR);
        QFETCH(double, a);
        QFETCH(double, b);
        QFETCH(double, r);
        const gdf::Gdf g;
        const auto rRange = at::linspace(1.0, 0.0, steps + 1, kFloat);
        const auto levels = g.schedule(rRange, shift);
        const auto [as, bs] = gdf::vpScalers(levels);
        const auto rs = g.noiseCond(levels);
        // The table prints 7 significant decimals of float32 values.
        QVERIFY2(std::abs(value(rRange, i) - t) < 1e-6, "t");
        QVERIFY2(std::abs(value(levels, i) - logSNR) < 2e-6 * std::max(1.0, std::abs(logSNR)), "logSNR");
        QVERIFY2(std::abs(value(as, i) - a) < 1e-6, "a");
        QVERIFY2(std::abs(value(bs, i) - b) < 1e-6, "b");
        QVERIFY2(std::abs(value(rs, i) - r) < 1e-6, "r");
    }

    void scheduleLimits()
    {
        const gdf::CosineSchedule schedule;
        QVERIFY(std::abs(schedule.minLogSNR() - -9.210240) < 1e-5);
        QVERIFY(std::abs(schedule.maxLogSNR() - 9.210074) < 1e-5);
        // The shift is added before the clamp: at t = 1 shift 2 lands back on the lower limit.
        const auto l = schedule(at::tensor({1.0f, 0.0f, 2.0f, -1.0f}), 2.0);
        QCOMPARE(value(l, 0), schedule.minLogSNR());
        QVERIFY(std::abs(value(l, 1) - 7.823780) < 1e-5);
        QCOMPARE(value(l, 2), value(l, 0)); // t clamped to [0,1] first
        QCOMPARE(value(l, 3), value(l, 1));
    }

    // DDPM, eta 1: x' = a'·x0 + sqrt(b'² − σ²)·ε + σ·n with σ = sqrt(b'²/b²)·sqrt(1 − a²/a'²).
    void ddpmStepFormula()
    {
        const auto x0 = at::randn({2, 3, 4, 4}, kFloat);
        const auto eps = at::randn({2, 3, 4, 4}, kFloat);
        const auto n = at::randn({2, 3, 4, 4}, kFloat);
        const auto l = at::tensor({-1.0f, 0.5f}), lNext = at::tensor({0.5f, 2.0f});
        RecordedNoise noise({n});
        const auto x = stepOnce(gdf::SamplerKind::Ddpm, x0, eps, l, lNext, noise);
        for (int row = 0; row < 2; ++row) {
            const double a2 = 1 / (1 + std::exp(-value(l, row))), a2n = 1 / (1 + std::exp(-value(lNext, row)));
            const double sigma = std::sqrt((1 - a2n) / (1 - a2)) * std::sqrt(1 - a2 / a2n);
            const auto expected =
                std::sqrt(a2n) * x0[row] + std::sqrt(1 - a2n - sigma * sigma) * eps[row] + sigma * n[row];
            QVERIFY(at::allclose(x[row], expected, 1e-5, 1e-5));
        }
        QCOMPARE(noise.used(), std::size_t{1});
    }

    // DDIM, eta 0: σ = 0, the noise is drawn (official RNG order) but does not matter.
    void ddimIsDeterministic()
    {
        const auto xInit = at::randn({2, 4, 5, 5}, kFloat);
        gdf::SampleOptions o;
        o.steps = 6;
        o.cfg = 3.0;
        o.shift = 2.0;
        o.sampler = gdf::SamplerKind::Ddim;
        o.xInit = xInit;
        SeededNoise noiseA(1), noiseB(2);
        const gdf::Gdf g;
        const auto a = g.sample(toyModel, o, noiseA);
        const auto b = g.sample(toyModel, o, noiseB);
        QVERIFY(at::equal(a.x0, b.x0));
        QVERIFY(at::equal(a.x, b.x));

        // One step by hand: x' = a'·x0 + b'·ε.
        const auto x0 = at::randn({1, 2, 3, 3}, kFloat), eps = at::randn({1, 2, 3, 3}, kFloat);
        RecordedNoise huge({at::full({1, 2, 3, 3}, 1e6, kFloat)}); // would show if it leaked in
        const auto x = stepOnce(gdf::SamplerKind::Ddim, x0, eps, at::tensor({-2.0f}), at::tensor({1.0f}), huge);
        const double a2n = 1 / (1 + std::exp(-1.0));
        QVERIFY(at::allclose(x, std::sqrt(a2n) * x0 + std::sqrt(1 - a2n) * eps, 1e-5, 1e-6));
    }

    // gdf/samplers.py LCMSampler: x' = x0·a' + n·b' (the current level does not enter).
    void lcmStepFormula()
    {
        const auto x0 = at::randn({2, 3, 2, 2}, kFloat), eps = at::randn({2, 3, 2, 2}, kFloat);
        const auto n = at::randn({2, 3, 2, 2}, kFloat);
        const auto lNext = at::tensor({0.0f, 3.0f});
        RecordedNoise noise({n});
        const auto x = stepOnce(gdf::SamplerKind::Lcm, x0, eps, at::tensor({-5.0f, -4.0f}), lNext, noise);
        // logSNR 0 → a'² = 1/2; logSNR 3 → a'² = sigmoid(3).
        const double s3 = 1 / (1 + std::exp(-3.0));
        QVERIFY(at::allclose(x[0], std::sqrt(0.5) * (x0[0] + n[0]), 1e-6, 1e-6));
        QVERIFY(at::allclose(x[1], std::sqrt(s3) * x0[1] + std::sqrt(1 - s3) * n[1], 1e-6, 1e-6));
    }

    // cond = [1,2,3,4], uncond = [0,0,0,0], cfg 2 → pred_cfg = [2,4,6,8]; std (unbiased) of cond = 1.2909944,
    // of pred_cfg = 2.5819889: ratio 1/2 → rho·pred_cfg/2 + (1−rho)·pred_cfg = pred_cfg·(1 − rho/2).
    void cfgRescaleByHand()
    {
        const auto cond = at::tensor({1.0f, 2.0f, 3.0f, 4.0f}).view({2, 2, 1, 1});
        const auto uncond = at::zeros({2, 2, 1, 1}, kFloat);
        const auto pred = gdf::guide(cond, uncond, 2.0, 0.7);
        const auto expected = at::tensor({2.0f, 4.0f, 6.0f, 8.0f}).view({2, 2, 1, 1}) * (1 - 0.35);
        QVERIFY(at::allclose(pred, expected, 1e-6, 1e-6));
        // The std is global over the batch: per-sample stds would give another result for row 1.
        const auto cond2 = at::tensor({1.0f, 3.0f, 10.0f, 30.0f}).view({2, 2, 1, 1});
        const auto uncond2 = at::tensor({0.0f, 1.0f, 2.0f, 1.0f}).view({2, 2, 1, 1});
        const double w = 4, rho = 0.7;
        double pc[4], c[4] = {1, 3, 10, 30}, u[4] = {0, 1, 2, 1};
        for (int i = 0; i < 4; ++i)
            pc[i] = u[i] + w * (c[i] - u[i]);
        auto stdOf = [](const double* v) {
            double mean = (v[0] + v[1] + v[2] + v[3]) / 4, sum = 0;
            for (int i = 0; i < 4; ++i)
                sum += (v[i] - mean) * (v[i] - mean);
            return std::sqrt(sum / 3);
        };
        const double ratio = stdOf(c) / stdOf(pc);
        const auto got = gdf::guide(cond2, uncond2, w, rho);
        for (int i = 0; i < 4; ++i)
            QVERIFY(std::abs(value(got, i) - (rho * pc[i] * ratio + (1 - rho) * pc[i])) < 1e-4);
        // rho 0: plain lerp.
        QVERIFY(at::allclose(gdf::guide(cond2, uncond2, w, 0.0), at::lerp(uncond2, cond2, w)));
    }

    // Guidance: one batched call on cat[x, x] with cat[r, r]; without: one unbatched call per step.
    void guidanceBatching()
    {
        gdf::SampleOptions o;
        o.shape = {3, 2, 4, 4};
        o.steps = 3;
        int calls = 0;
        std::int64_t seenBatch = 0;
        auto model = [&](const at::Tensor& x, const at::Tensor& r) {
            ++calls;
            seenBatch = x.size(0);
            if (r.size(0) != x.size(0))
                throw std::runtime_error("r and x batch differ");
            if (x.size(0) == 6 && !at::equal(x.narrow(0, 0, 3), x.narrow(0, 3, 3)))
                throw std::runtime_error("halves differ");
            return toyModel(x, r).to(at::kBFloat16); // a bf16 model: the sampler works in float32
        };
        SeededNoise noise(7);
        const gdf::Gdf g;
        auto result = g.sample(model, o, noise);
        QCOMPARE(calls, 3);
        QCOMPARE(seenBatch, std::int64_t{6});
        QCOMPARE(result.x0.scalar_type(), at::kFloat);
        QCOMPARE(result.x0.sizes(), at::IntArrayRef({3, 2, 4, 4}));

        o.cfg = c10::nullopt;
        calls = 0;
        result = g.sample(model, o, noise);
        QCOMPARE(calls, 3);
        QCOMPARE(seenBatch, std::int64_t{3});
    }

    // The result is the last step's x0; x is the sample after the last step; the callback sees each step.
    void resultIsLastX0AndCallbackCancels()
    {
        gdf::SampleOptions o;
        o.shape = {1, 2, 3, 3};
        o.steps = 4;
        SeededNoise noise(3);
        const gdf::Gdf g;
        at::Tensor lastX0, lastX;
        std::vector<int> seen;
        auto result = g.sample(toyModel, o, noise, [&](const gdf::StepView& s) {
            seen.push_back(s.step);
            lastX0 = s.x0.clone();
            lastX = s.x.clone();
            return s.steps == 4;
        });
        QCOMPARE(seen, (std::vector<int>{0, 1, 2, 3}));
        QVERIFY(at::equal(result.x0, lastX0));
        QVERIFY(at::equal(result.x, lastX));
        QVERIFY(!at::equal(result.x0, result.x));

        try {
            g.sample(toyModel, o, noise, [](const gdf::StepView& s) { return s.step < 1; });
            QFAIL("no Cancelled error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Cancelled);
        }
    }

    // A seed gives torch's CPU randn: torch.manual_seed(0); torch.randn(5).
    void seededNoiseMatchesTorch()
    {
        SeededNoise noise(0);
        const auto n = noise.draw({5}, at::kCPU);
        const double expected[] = {1.5410, -0.2934, -2.1788, 0.5684, -1.0845};
        for (int i = 0; i < 5; ++i)
            QVERIFY(std::abs(value(n, i) - expected[i]) < 1e-4);
        SeededNoise again(0);
        QVERIFY(at::equal(again.draw({5}, at::kCPU), n));
    }

    void recordedNoiseChecks()
    {
        RecordedNoise noise({at::zeros({2, 2})});
        QVERIFY_THROWS_EXCEPTION(Error, noise.draw({3}, at::kCPU));
        QCOMPARE(noise.draw({2, 2}, at::kCPU).sum().item<float>(), 0.0f);
        QVERIFY_THROWS_EXCEPTION(Error, noise.draw({2, 2}, at::kCPU));
    }

    // img2img: diffuse() = x0·a + ε·b at schedule(t); sampling from t_start < 1 starts from the given x.
    void img2imgStart()
    {
        const gdf::Gdf g;
        const auto x0 = at::randn({2, 3, 4, 4}, kFloat), eps = at::randn({2, 3, 4, 4}, kFloat);
        const auto noised = g.diffuse(x0, 0.5, eps);
        const double a2 = 1 / (1 + std::exp(0.024627)); // logSNR(t=0.5, shift 1) = -0.024627 (§8.7)
        QVERIFY(at::allclose(noised, std::sqrt(a2) * x0 + std::sqrt(1 - a2) * eps, 1e-5, 1e-5));

        gdf::SampleOptions o;
        o.steps = 5;
        o.tStart = 0.5;
        o.shift = 2;
        o.xInit = noised;
        RecordedNoise noise(std::vector<at::Tensor>(5, at::zeros({2, 3, 4, 4}))); // no initial draw
        std::vector<double> rs;
        auto result = g.sample(toyModel, o, noise, [&](const gdf::StepView& s) {
            rs.push_back(s.r[0].item<double>());
            return true;
        });
        QCOMPARE(noise.used(), std::size_t{5});
        QVERIFY(std::abs(value(result.rRange, 0) - 0.5) < 1e-7);
        QVERIFY(rs.front() < 0.75 && rs.front() > 0.5); // shift 2 at t = 0.5: r ≈ 0.7056 (§8.7)
    }

    void badOptions_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("steps 0") << 0;
        QTest::newRow("t_start 0") << 1;
        QTest::newRow("t_end >= t_start") << 2;
        QTest::newRow("shift 0") << 3;
        QTest::newRow("rho 2") << 4;
        QTest::newRow("no shape") << 5;
        QTest::newRow("cfg nan") << 6;
    }
    void badOptions()
    {
        QFETCH(int, which);
        gdf::SampleOptions o;
        o.shape = {1, 2, 2, 2};
        switch (which) {
        case 0: o.steps = 0; break;
        case 1: o.tStart = 0; break;
        case 2: o.tEnd = 1; break;
        case 3: o.shift = 0; break;
        case 4: o.rho = 2; break;
        case 5: o.shape.clear(); break;
        case 6: o.cfg = std::nan(""); break;
        }
        SeededNoise noise(0);
        try {
            gdf::Gdf().sample(toyModel, o, noise);
            QFAIL("accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
        }
        QVERIFY_THROWS_EXCEPTION(Error, parseChoice<SamplerKind>("euler"));
        QCOMPARE(parseChoice<SamplerKind>("lcm"), gdf::SamplerKind::Lcm);
    }

    // DPM++ 2M, first two updates by hand with λ = logSNR/2, h = λ' − λ, α = sqrt(sigmoid(logSNR)), σ = sqrt(1 − α²):
    //   x1 = (σ1/σ0)·x − α1·(e^−h1 − 1)·x0_0
    //   x2 = (σ2/σ1)·x1 − α2·(e^−h2 − 1)·((1 + 1/(2r))·x0_1 − 1/(2r)·x0_0),  r = h1/h2
    void dpmpp2mFirstTwoUpdatesByHand()
    {
        const auto f64 = at::TensorOptions().dtype(at::kDouble);
        const double l0 = -6.0, l1 = -1.0, l2 = 3.0;
        const auto x = at::randn({1, 2, 3, 3}, f64), x00 = at::randn({1, 2, 3, 3}, f64);
        const auto x01 = at::randn({1, 2, 3, 3}, f64), eps = at::randn({1, 2, 3, 3}, f64);
        const auto alpha = [](double l) { return std::sqrt(1 / (1 + std::exp(-l))); };
        const auto sigma = [&](double l) { return std::sqrt(1 - alpha(l) * alpha(l)); };
        const double h1 = (l1 - l0) / 2, h2 = (l2 - l1) / 2, r = h1 / h2;
        const auto x1 = sigma(l1) / sigma(l0) * x - alpha(l1) * std::expm1(-h1) * x00;
        const auto d = (1 + 1 / (2 * r)) * x01 - 1 / (2 * r) * x00;
        const auto x2 = sigma(l2) / sigma(l1) * x1 - alpha(l2) * std::expm1(-h2) * d;

        auto sampler = gdf::makeSampler(SamplerKind::DpmPp2m);
        RecordedNoise none({}); // deterministic: draws nothing
        const auto level = [&](double l) { return at::full({1}, l, f64); };
        const auto got1 = sampler->step(gdf::SamplerStep{0, 2, x, x00, eps, level(l0), level(l1)}, none);
        QVERIFY(at::allclose(got1, x1, 1e-12, 1e-12));
        const auto got2 = sampler->step(gdf::SamplerStep{1, 2, got1, x01, eps, level(l1), level(l2)}, none);
        QVERIFY(at::allclose(got2, x2, 1e-12, 1e-12));
        QCOMPARE(none.used(), std::size_t{0});

        // A step that did not move (the schedule's clamp gives equal first levels) is not divided by.
        auto clamped = gdf::makeSampler(SamplerKind::DpmPp2m);
        const auto same = clamped->step(gdf::SamplerStep{0, 2, x, x00, eps, level(l0), level(l0)}, none);
        QVERIFY(at::allclose(same, x, 1e-12, 1e-12));
        const auto next = clamped->step(gdf::SamplerStep{1, 2, same, x01, eps, level(l0), level(l1)}, none);
        QVERIFY(at::isfinite(next).all().item<bool>());
        QVERIFY(at::allclose(next, sigma(l1) / sigma(l0) * x - alpha(l1) * std::expm1(-h1) * x01, 1e-12, 1e-12));
    }

    // On Gaussian data DPM++ 2M follows the exact probability-flow solution: on levels uniform in λ, doubling the
    // steps halves the error of the first-order DDIM and quarters that of the second-order DPM++ 2M. On the
    // clamped cosine schedule the first and last steps are long, so the order shows only with more steps.
    void dpmpp2mIsSecondOrderOnAGaussian()
    {
        const double s2 = 0.25;
        const auto x = at::randn({2, 1, 4, 4}, at::TensorOptions().dtype(at::kDouble));
        const auto error = [&](SamplerKind kind, const std::vector<double>& levels) {
            const auto exact = x * (gaussianStd(levels.back(), s2) / gaussianStd(levels.front(), s2));
            return (gaussianFlow(kind, x, levels, s2) - exact).abs().max().item<double>() /
                   exact.abs().max().item<double>();
        };
        const auto uniform = [](int steps) {
            std::vector<double> levels;
            for (int i = 0; i <= steps; ++i)
                levels.push_back(-8.0 + 16.0 * i / steps);
            return levels;
        };
        const double dpm20 = error(SamplerKind::DpmPp2m, uniform(20)), dpm40 = error(SamplerKind::DpmPp2m, uniform(40));
        const double ddim20 = error(SamplerKind::Ddim, uniform(20)), ddim40 = error(SamplerKind::Ddim, uniform(40));
        qInfo("relative error, uniform λ: DPM++ 2M %.2e (20 steps) %.2e (40); DDIM %.2e %.2e", dpm20, dpm40, ddim20,
              ddim40);
        QVERIFY2(dpm20 / dpm40 > 3.3, qPrintable(QString::number(dpm20 / dpm40)));     // ≈ 4: second order
        QVERIFY2(ddim20 / ddim40 < 2.5, qPrintable(QString::number(ddim20 / ddim40))); // ≈ 2: first order
        QVERIFY(dpm40 < ddim40 / 10);
        const double dpmCosine = error(SamplerKind::DpmPp2m, cosineLevels(80));
        const double ddimCosine = error(SamplerKind::Ddim, cosineLevels(80));
        QVERIFY2(dpmCosine < ddimCosine / 3, qPrintable(QStringLiteral("%1 %2").arg(dpmCosine).arg(ddimCosine)));
    }

    // Every row of the sampler table: its names lead back to it, and it samples a toy model to the end with
    // guidance, from noise and from an img2img start.
    void everySamplerOfTheTableRuns()
    {
        QVERIFY(choiceTable<SamplerKind>().rows.size() >= 4);
        for (const auto& row : choiceTable<SamplerKind>().rows) {
            const QByteArray id(row.id);
            QCOMPARE(choiceId(row.value), row.id);
            QVERIFY2(choiceFromId<SamplerKind>(row.id) == row.value, id);
            QVERIFY2(samplerFromForeignName(row.a1111) == row.value, id);
            QVERIFY2(samplerFromForeignName(row.comfyUi) == row.value, id);
            QVERIFY2(row.label && *row.label, id);
            QVERIFY2(QString::fromStdString(choiceIdList<SamplerKind>()).contains(QLatin1String(row.id)), id);
            for (const bool img2img : {false, true}) {
                gdf::SampleOptions o;
                o.shape = {2, 4, 6, 6};
                o.steps = 5;
                o.shift = 2.0;
                o.sampler = row.value;
                if (img2img) {
                    o.xInit = at::randn({2, 4, 6, 6}, kFloat);
                    o.tStart = 0.6;
                }
                SeededNoise noise(3);
                int calls = 0;
                const auto result = gdf::Gdf().sample(toyModel, o, noise, [&](const gdf::StepView&) {
                    ++calls;
                    return true;
                });
                QCOMPARE(calls, 5);
                QVERIFY2(at::isfinite(result.x).all().item<bool>(), id);
                QCOMPARE(result.x.sizes(), (at::IntArrayRef{2, 4, 6, 6}));
            }
        }
    }

    // Latent2RGB and image conversion (stable-cascade.md §14, §9.6).
    void previewConversion()
    {
        // Stage B channel 0 only: rgb = 1·[0.1121, 0.2006, 0.1023] → round((v+1)·127.5).
        auto latent = at::zeros({2, 4, 1, 2}, kFloat);
        latent[0][0][0][0] = 1.0f;
        latent[1][3][0][1] = 100.0f; // clamps to +1 / -1 per channel sign
        const auto images = preview::stageBLatentToRgb(latent);
        QCOMPARE(images.size(), std::size_t{2});
        QCOMPARE(images[0].width, 2);
        QCOMPARE(images[0].height, 1);
        QCOMPARE(int(images[0].rgb[0]), int(std::lround((1 + 0.1121) * 127.5)));
        QCOMPARE(int(images[0].rgb[1]), int(std::lround((1 + 0.2006) * 127.5)));
        QCOMPARE(int(images[0].rgb[3]), 128); // zero latent: 127.5, rounded half to even
        QCOMPARE(int(images[1].rgb[3]), 255);
        QCOMPARE(int(images[1].rgb[4]), 0);
        QCOMPARE(int(images[1].rgb[5]), 0);
        QCOMPARE(preview::stageCLatentToRgb(at::zeros({1, 16, 3, 5}, kFloat))[0].rgb.size(), std::size_t{45});
        QVERIFY_THROWS_EXCEPTION(Error, preview::stageCLatentToRgb(latent));

        const auto image = at::tensor({-0.5f, 0.5f, 1.5f, 0.12f, 0.2f, 0.31f}).view({1, 3, 1, 2});
        const auto rgb = preview::imageToRgb(image)[0];
        QCOMPARE(rgb.width, 2);
        // Pixel 0 = (R -0.5, G 1.5, B 0.2); pixel 1 = (0.5, 0.12, 0.31); 127.5 rounds half to even.
        const int expected[] = {0, 255, 51, 128, 31, 79};
        for (int i = 0; i < 6; ++i)
            QCOMPARE(int(rgb.rgb[i]), expected[i]);
    }

    // The reference fixtures of this module (stable-cascade parity set), as a test of their own.
    void fixtures_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("sampler_stage_c") << QStringLiteral("sampler_stage_c");
        QTest::newRow("sampler_stage_b") << QStringLiteral("sampler_stage_b");
    }
    void fixtures()
    {
        QFETCH(QString, name);
        runFixture(name.toStdString().c_str());
    }
};

QTEST_APPLESS_MAIN(TestGdf)
#include "test_gdf.moc"
