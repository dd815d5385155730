// DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++", Algorithm 2; k-diffusion's sample_dpmpp_2m) on the GDF
// schedule. It integrates the probability-flow ODE in λ = log(α/σ) = logSNR/2 with the data prediction x0
// (from the ε output), so with h = λ' − λ:
//   first step:  x' = (σ'/σ)·x − α'·(e^−h − 1)·x0
//   later steps: the same with D = (1 + 1/(2r))·x0 − 1/(2r)·x0_prev, r = h_prev/h (a second-order
//                multistep correction from the previous step's x0).
// Deterministic: it draws no noise. The schedule's clamp makes the first levels equal when steps are many
// (h = 0); a step after such a step falls back to first order instead of dividing by h_prev = 0.

#include "pipeline/sampling/gdf.h"
#include "pipeline/sampling/sampler.h"

#include <ATen/ATen.h>

namespace kaskade::gdf {
namespace {

class DpmPp2mSampler final : public Sampler
{
public:
    at::Tensor step(const SamplerStep& s, NoiseSource&) override
    {
        const auto b = vpScalers(s.logSNR).second;           // (B,) σ
        const auto [aNext, bNext] = vpScalers(s.logSNRNext); // (B,) α', σ'
        const auto h = (s.logSNRNext - s.logSNR) * 0.5;      // (B,) λ' − λ
        at::Tensor d = s.x0;                                 // first order
        if (previousX0_.defined()) {
            // 1/(2r) = h/(2·h_prev); 0 where the previous step did not move (h_prev = 0).
            const auto weight = at::where(previousH_ > 0, h / (2 * previousH_), at::zeros_like(h)); // (B,)
            d = s.x0 + perRow(weight, s.x0) * (s.x0 - previousX0_);
        }
        previousX0_ = s.x0;
        previousH_ = h;
        return perRow(bNext / b, s.x) * s.x - perRow(aNext * (at::exp(-h) - 1), s.x) * d;
    }

private:
    at::Tensor previousX0_; // undefined before the first step
    at::Tensor previousH_;
};

} // namespace

std::unique_ptr<Sampler> makeDpmPp2m()
{
    return std::make_unique<DpmPp2mSampler>();
}

} // namespace kaskade::gdf
