#pragma once
// GDF, the diffusion framework of the official code (gdf/*.py), reduced to what Stable Cascade uses:
//   GDF(schedule=CosineSchedule(clamp_range=[1e-4, 0.9999]), input_scaler=VPScaler(),
//       target=EpsilonTarget(), noise_cond=CosineTNoiseCond())
// with the samplers of sampler_table.def (the official DDPM, DDIM and LCM, and DPM++ 2M), classifier-free
// guidance with the official cfg rescale, and img2img starts. Spec: stable-cascade.md §8. All sampler arithmetic is
// float32 whatever the model computes in; schedule values are computed on the CPU like the official
// r_range, so they are bit-identical on every device.

#include "pipeline/choices.h"
#include "pipeline/sampling/noise.h"

#include <ATen/ATen.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace kaskade::gdf {

// gdf/schedulers.py CosineSchedule: t ∈ [0,1] → logSNR. Every call adds the shift 2·ln(1/shift) and
// then clamps to the limits [logSNR(1), logSNR(0)] taken once at shift 1 (= [-9.210240, 9.210074]).
class CosineSchedule
{
public:
    explicit CosineSchedule(double s = 0.008, double clampMin = 1e-4, double clampMax = 0.9999);
    // t: float32 tensor of any shape (clamped to [0,1] first) → logSNR of the same shape.
    at::Tensor operator()(const at::Tensor& t, double shift = 1.0) const;
    double minLogSNR() const { return limitMin_; }
    double maxLogSNR() const { return limitMax_; }

private:
    at::Tensor unclamped(const at::Tensor& t) const;
    at::Tensor s_, minVar_; // float32 (1,), as the Python code keeps them
    double clampMin_, clampMax_;
    double limitMin_ = 0, limitMax_ = 0;
};

// gdf/scalers.py VPScaler: a = sqrt(sigmoid(logSNR)), b = sqrt(1 − sigmoid(logSNR)).
std::pair<at::Tensor, at::Tensor> vpScalers(const at::Tensor& logSNR);

// gdf/targets.py EpsilonTarget: the network predicts ε, so x0 = (x_t − pred·b)/a and ε̂ = pred.
inline at::Tensor epsilonTargetX0(const at::Tensor& noised, const at::Tensor& pred, const at::Tensor& a,
                                  const at::Tensor& b)
{
    return (noised - pred * b) / a;
}

// gdf/noise_conditions.py CosineTNoiseCond: logSNR → the network's r ∈ [0,1] (inverse of the schedule).
class CosineTNoiseCond
{
public:
    explicit CosineTNoiseCond(double s = 0.008);
    at::Tensor operator()(const at::Tensor& logSNR) const;

private:
    at::Tensor s_, minVar_;
};

using SamplerKind = kaskade::SamplerKind; // the table: pipeline/sampling/sampler_table.def

// gdf.sample's guidance: lerp(uncond, cond, cfg), then for rho > 0 the rescale
//   pred = rho·(pred_cfg·std(cond)/(std(pred_cfg) + 1e-9)) + (1 − rho)·pred_cfg
// with torch's unbiased std over ALL elements of the batch tensor (one scalar, not per sample).
at::Tensor guide(const at::Tensor& cond, const at::Tensor& uncond, double cfg, double rho);

// The model with its conditioning bound by the caller: x (N,C,H,W) float32, r (N,) float32 → ε prediction
// (any floating dtype; the sampler casts it to float32). With guidance N = 2B: the caller binds the
// batch-concatenated [cond; uncond] conditioning and the sampler passes cat[x, x], cat[r, r].
using Model = std::function<at::Tensor(const at::Tensor& x, const at::Tensor& r)>;

struct SampleOptions
{
    std::vector<std::int64_t> shape; // (B,C,H,W) of the latent; ignored when xInit is given
    int steps = 20;
    c10::optional<double> cfg = 4.0; // nullopt: no guidance (one unbatched model call per step)
    double rho = 0.7;                // cfg rescale; 0 = none
    double shift = 1.0;              // logSNR shift (Stage C 2, Stage B 1)
    double tStart = 1.0;             // < 1 with xInit for img2img
    double tEnd = 0.0;
    SamplerKind sampler = SamplerKind::Ddpm; // made with makeSampler() for each run
    at::Tensor xInit;                        // undefined: x starts as noise drawn from the source
    at::Device device = at::kCPU;
};

// What one step produced. References are valid during the callback only.
struct StepView
{
    int step = 0; // 0-based
    int steps = 0;
    const at::Tensor& r;          // passed to the model: (2B,) with guidance, else (B,)
    const at::Tensor& predCond;   // raw model output (first half with guidance), float32
    const at::Tensor& predUncond; // second half with guidance; undefined without
    const at::Tensor& pred;       // after guidance / rescale
    const at::Tensor& x0;         // the x0 prediction of this step: what previews show
    const at::Tensor& x;          // the new x
};
// Return false to cancel (the sampler then throws Error(Cancelled)); throwing Error(Cancelled) works too.
using StepCallback = std::function<bool(const StepView&)>;

struct SampleResult
{
    at::Tensor x0;          // x0 prediction of the last step: the official result
    at::Tensor x;           // x after the last step (what diffusers/ComfyUI return)
    at::Tensor rRange;      // (steps+1,) float32 CPU: linspace(tStart, tEnd)
    at::Tensor logSNRRange; // (steps+1,) float32 CPU: schedule(rRange, shift)
};

class Gdf
{
public:
    CosineSchedule schedule{0.008, 1e-4, 0.9999};
    CosineTNoiseCond noiseCond{0.008};

    // gdf.GDF.sample driven to the end (§8.6). Throws Error(InvalidArgument) for bad options and
    // Error(Cancelled) when the callback asks to stop.
    SampleResult sample(const Model& model, const SampleOptions& options, NoiseSource& noise,
                        const StepCallback& onStep = {}) const;

    // gdf.GDF.diffuse for img2img: x0·a + ε·b with (a, b) from schedule(t, shift) for every batch row.
    at::Tensor diffuse(const at::Tensor& x0, double t, const at::Tensor& epsilon, double shift = 1.0) const;
};

} // namespace kaskade::gdf
