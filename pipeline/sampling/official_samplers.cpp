// The official samplers (gdf/samplers.py): DDPM and DDIM are DDIMSampler with eta 1 and 0, LCM is LCMSampler.
// With the scalers (a, b) of the VP schedule at the current and (a', b') at the next level:
//   DDPM/DDIM: σ = eta·sqrt(b'²/b²)·sqrt(1 − a²/a'²),  x' = a'·x0 + sqrt(b'² − σ²)·ε̂ + σ·noise
//   LCM:       x' = x0·a' + noise·b'
// Each draws one noise tensor per step even when it multiplies it by 0 (the official code calls randn_like
// every step), so the random stream, and a recorded one, does not depend on the sampler.

#include "pipeline/sampling/gdf.h"
#include "pipeline/sampling/sampler.h"

#include <ATen/ATen.h>

namespace kaskade::gdf {
namespace {

class DdimFamilySampler final : public Sampler
{
public:
    explicit DdimFamilySampler(bool stochastic) : stochastic_(stochastic) {}

    at::Tensor step(const SamplerStep& s, NoiseSource& source) override
    {
        auto [aNext, bNext] = vpScalers(s.logSNRNext);
        aNext = perRow(aNext, s.x0);
        bNext = perRow(bNext, s.x0);
        const auto noise = source.draw(s.x0.sizes(), s.x0.device()); // (B,C,H,W)
        if (!stochastic_)                                            // eta 0: σ = 0
            return aNext * s.x0 + bNext.pow(2).sqrt() * s.epsilon;
        auto [a, b] = vpScalers(s.logSNR);
        a = perRow(a, s.x0);
        b = perRow(b, s.x0);
        const auto sigma = (bNext.pow(2) / b.pow(2)).sqrt() * (1 - a.pow(2) / aNext.pow(2)).sqrt(); // eta 1
        return aNext * s.x0 + (bNext.pow(2) - sigma.pow(2)).sqrt() * s.epsilon + sigma * noise;
    }

private:
    bool stochastic_;
};

class LcmSampler final : public Sampler
{
public:
    at::Tensor step(const SamplerStep& s, NoiseSource& source) override
    {
        auto [aNext, bNext] = vpScalers(s.logSNRNext);
        const auto noise = source.draw(s.x0.sizes(), s.x0.device()); // (B,C,H,W)
        return s.x0 * perRow(aNext, s.x0) + noise * perRow(bNext, s.x0);
    }
};

} // namespace

std::unique_ptr<Sampler> makeDdpm()
{
    return std::make_unique<DdimFamilySampler>(true);
}
std::unique_ptr<Sampler> makeDdim()
{
    return std::make_unique<DdimFamilySampler>(false);
}
std::unique_ptr<Sampler> makeLcm()
{
    return std::make_unique<LcmSampler>();
}

} // namespace kaskade::gdf
