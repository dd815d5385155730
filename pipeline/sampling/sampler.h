#pragma once
// A sampler moves the latent from one noise level to the next, given the model's prediction there. It is an
// object because multistep methods (DPM++ 2M) keep earlier predictions: Gdf::sample makes a fresh one per run
// with makeSampler(). The samplers are listed in sampler_table.def; each one's maths is in its own file.

#include "pipeline/choices.h"
#include "pipeline/sampling/noise.h"

#include <ATen/core/Tensor.h>

#include <memory>

namespace kaskade::gdf {

// One step, at logSNR → logSNRNext. All tensors float32 (or all float64 in tests), on one device.
struct SamplerStep
{
    int index = 0; // 0-based
    int steps = 0;
    const at::Tensor& x;          // the current latent (B,C,H,W)
    const at::Tensor& x0;         // the model's clean-latent prediction (B,C,H,W)
    const at::Tensor& epsilon;    // the model's noise prediction (B,C,H,W)
    const at::Tensor& logSNR;     // (B,) the level of x
    const at::Tensor& logSNRNext; // (B,) the level to reach
};

class Sampler
{
public:
    virtual ~Sampler() = default;
    // Returns the latent at logSNRNext. May draw from `noise` (the official samplers draw once per step).
    virtual at::Tensor step(const SamplerStep& s, NoiseSource& noise) = 0;
};

std::unique_ptr<Sampler> makeSampler(SamplerKind kind);

// The factories named in sampler_table.def.
#define KASKADE_SAMPLER(enumerator, id, label, aliases, a1111, comfyUi, factory) std::unique_ptr<Sampler> factory();
#include "pipeline/sampling/sampler_table.def"
#undef KASKADE_SAMPLER

// (B,) → (B,1,1,1) so that per-row scalars broadcast over a latent, as the official `.view(-1, 1, 1, 1)`.
at::Tensor perRow(const at::Tensor& v, const at::Tensor& like);

} // namespace kaskade::gdf
