#include "pipeline/sampling/gdf.h"

#include "pipeline/errors.h"
#include "pipeline/sampling/sampler.h"

#include <cmath>
#include <sstream>

namespace kaskade::gdf {
namespace {

constexpr double kPi = 3.14159265358979323846; // torch.pi

at::Tensor floatScalarTensor(double value)
{
    return at::full({1}, value, at::TensorOptions().dtype(at::kFloat));
}

// min_var = cos(s/(1+s)·π/2)², in float32 like `torch.cos(self.s / (1 + self.s) * torch.pi * 0.5) ** 2`.
at::Tensor cosineMinVar(const at::Tensor& s)
{
    return at::pow(at::cos(s / (1 + s) * kPi * 0.5), 2);
}

void validate(const SampleOptions& o)
{
    auto bad = [](const std::string& what) { throw Error(ErrorCode::InvalidArgument, "sampler: " + what); };
    if (o.steps < 1)
        bad("steps must be at least 1 (got " + std::to_string(o.steps) + ")");
    if (!(o.tStart > 0 && o.tStart <= 1))
        bad("t_start must be in (0, 1] (got " + std::to_string(o.tStart) + ")");
    if (!(o.tEnd >= 0 && o.tEnd < o.tStart))
        bad("t_end must be in [0, t_start) (got " + std::to_string(o.tEnd) + ")");
    if (!(o.shift > 0) || !std::isfinite(o.shift))
        bad("shift must be a positive number (got " + std::to_string(o.shift) + ")");
    if (o.cfg && !std::isfinite(*o.cfg))
        bad("cfg must be finite");
    if (!(o.rho >= 0 && o.rho <= 1))
        bad("cfg rescale rho must be in [0, 1] (got " + std::to_string(o.rho) + ")");
    if (o.xInit.defined()) {
        if (o.xInit.dim() < 2 || o.xInit.size(0) < 1 || !at::isFloatingType(o.xInit.scalar_type()))
            bad("x_init must be a floating latent with a batch dimension");
    } else {
        if (o.shape.size() < 2)
            bad("latent shape must have a batch and a channel dimension");
        for (auto d : o.shape)
            if (d < 1)
                bad("latent shape has a non-positive dimension");
    }
}

} // namespace

CosineSchedule::CosineSchedule(double s, double clampMin, double clampMax)
    : s_(floatScalarTensor(s)), minVar_(cosineMinVar(s_)), clampMin_(clampMin), clampMax_(clampMax)
{
    // BaseSchedule.reset_limits(): limits = self(tensor([1.0, 0.0]), shift=1) before any clamp exists.
    const auto ends = unclamped(at::tensor({1.0f, 0.0f}));
    limitMin_ = ends[0].item<float>();
    limitMax_ = ends[1].item<float>();
}

at::Tensor CosineSchedule::unclamped(const at::Tensor& tIn) const
{
    const auto t = tIn.to(at::kFloat).clamp(0, 1);
    const auto s = s_.to(t.device());
    const auto minVar = minVar_.to(t.device());
    auto var = at::pow(at::cos((s + t) / (1 + s) * kPi * 0.5).clamp(0, 1), 2) / minVar;
    var = var.clamp(clampMin_, clampMax_);
    auto logSNR = (var / (1 - var)).log();
    // s is (1,): a 0-dim t would come back as (1,); keep t's shape.
    return logSNR.reshape(t.sizes());
}

at::Tensor CosineSchedule::operator()(const at::Tensor& t, double shift) const
{
    auto logSNR = unclamped(t);
    if (shift != 1)
        logSNR = logSNR + 2 * std::log(1 / shift); // float64 offset, applied in float32 as in Python
    return logSNR.clamp(limitMin_, limitMax_);
}

std::pair<at::Tensor, at::Tensor> vpScalers(const at::Tensor& logSNR)
{
    const auto aSquared = logSNR.sigmoid();
    return {aSquared.sqrt(), (1 - aSquared).sqrt()};
}

CosineTNoiseCond::CosineTNoiseCond(double s) : s_(floatScalarTensor(s)), minVar_(cosineMinVar(s_)) {}

at::Tensor CosineTNoiseCond::operator()(const at::Tensor& logSNR) const
{
    const auto var = logSNR.sigmoid().clamp(0, 1);
    const auto s = s_.to(var.device());
    const auto minVar = minVar_.to(var.device());
    auto t = (at::pow(var * minVar, 0.5).acos() / (kPi * 0.5)) * (1 + s) - s;
    return t.clamp(0, 1).reshape(logSNR.sizes());
}

at::Tensor guide(const at::Tensor& cond, const at::Tensor& uncond, double cfg, double rho)
{
    const auto predCfg = at::lerp(uncond, cond, cfg);
    if (rho <= 0)
        return predCfg;
    const auto stdCond = cond.std(); // unbiased, over every element of the batch
    const auto stdCfg = predCfg.std();
    return rho * (predCfg * stdCond / (stdCfg + 1e-9)) + predCfg * (1 - rho);
}

SampleResult Gdf::sample(const Model& model, const SampleOptions& o, NoiseSource& noise,
                         const StepCallback& onStep) const
{
    validate(o);
    SampleResult result;
    const int steps = o.steps;
    const std::int64_t batch = o.xInit.defined() ? o.xInit.size(0) : o.shape[0];

    result.rRange = at::linspace(o.tStart, o.tEnd, steps + 1, at::TensorOptions().dtype(at::kFloat)); // (N+1,)
    result.logSNRRange = schedule(result.rRange, o.shift);                                            // (N+1,)
    const auto logSNR = result.logSNRRange.unsqueeze(1).expand({steps + 1, batch}).to(o.device);      // (N+1,B)

    const std::unique_ptr<Sampler> sampler = makeSampler(o.sampler); // keeps multistep state for this run
    at::Tensor x = o.xInit.defined() ? o.xInit.to(o.device, at::kFloat).clone() : noise.draw(o.shape, o.device);
    at::Tensor x0, predCond, predUncond, pred, r;
    for (int i = 0; i < steps; ++i) {
        const auto level = logSNR[i]; // (B,)
        const auto nc = noiseCond(level);
        if (o.cfg) {
            r = at::cat({nc, nc});                                     // (2B,)
            const auto out = model(at::cat({x, x}), r).to(at::kFloat); // (2B,C,H,W)
            auto halves = out.chunk(2);
            predCond = halves[0];
            predUncond = halves[1];
            pred = guide(predCond, predUncond, *o.cfg, o.rho); // (B,C,H,W)
        } else {
            r = nc;
            predCond = model(x, r).to(at::kFloat);
            pred = predCond;
        }
        auto [a, b] = vpScalers(level);
        x0 = epsilonTargetX0(x, pred, perRow(a, x), perRow(b, x)); // (B,C,H,W)
        x = sampler->step(SamplerStep{i, steps, x, x0, pred, level, logSNR[i + 1]}, noise);
        if (onStep && !onStep(StepView{i, steps, r, predCond, predUncond, pred, x0, x}))
            throw Error(ErrorCode::Cancelled,
                        "sampling cancelled at step " + std::to_string(i + 1) + " of " + std::to_string(steps));
    }
    result.x0 = x0;
    result.x = x;
    return result;
}

at::Tensor Gdf::diffuse(const at::Tensor& x0, double t, const at::Tensor& epsilon, double shift) const
{
    if (epsilon.sizes() != x0.sizes())
        throw Error(ErrorCode::InvalidArgument, "diffuse: noise and latent shapes differ");
    const auto ts = at::full({x0.size(0)}, t, at::TensorOptions().dtype(at::kFloat));
    const auto logSNR = schedule(ts, shift).to(x0.device());
    auto [a, b] = vpScalers(logSNR);
    return x0 * perRow(a, x0) + epsilon * perRow(b, x0);
}

} // namespace kaskade::gdf
