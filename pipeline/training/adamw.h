#pragma once
// The optimizer side of the official LoRA training, written out so every rounding step matches torch 1.13:
//   clip_grad_norm_(params, 1.0)   total = ‖(‖g_i‖₂)_i‖₂, coef = min(1, max_norm / (total + 1e-6)), every grad ·= coef
//   torch.optim.AdamW (single-tensor path; defaults betas 0.9/0.999, eps 1e-8, weight decay 0.01):
//       p ·= 1 − lr·wd;  m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;
//       p −= lr/(1−β₁ᵏ) · m / (√v / √(1−β₂ᵏ) + eps)       (bias corrections in double)
//   GradualWarmupScheduler(multiplier 1, total_epoch W): update k (1-based, counted over the whole run)
//       uses lr·min(k−1, W)/W, so the first update has lr 0 but still advances m, v and k.
// torch::optim::AdamW is not used: its C++ port orders the operations differently (rounding-level
// differences against the fixtures) and hides the step count the warmup and the checkpoint need.

#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace kaskade::training {

struct AdamWOptions
{
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay = 0.01;
};

struct ClipResult
{
    at::Tensor totalNorm; // 0-d float32, before clipping
    at::Tensor coef;      // 0-d float32, min(1, max_norm / (total + 1e-6))
};

// torch.nn.utils.clip_grad_norm_ (norm 2) over the gradients of `params` (undefined grads are skipped).
ClipResult clipGradNorm(const std::vector<at::Tensor>& params, double maxNorm);

// lr of the k-th update (1-based) under the warmup (warmupUpdates 0: no warmup).
double warmupLr(double baseLr, std::int64_t update, std::int64_t warmupUpdates);

class AdamW
{
public:
    AdamW(std::vector<at::Tensor> params, AdamWOptions options = {});
    // One step with learning rate `lr` on every parameter that has a gradient.
    void step(double lr);
    // zero_grad(set_to_none=True).
    void zeroGrad();

    std::int64_t stepCount() const { return step_; }
    const std::vector<at::Tensor>& expAvg() const { return expAvg_; }
    const std::vector<at::Tensor>& expAvgSq() const { return expAvgSq_; }
    // Restores a saved state (checkpoint resume); the tensors are copied.
    void setState(std::int64_t step, const std::vector<at::Tensor>& expAvg, const std::vector<at::Tensor>& expAvgSq);

private:
    std::vector<at::Tensor> params_, expAvg_, expAvgSq_;
    AdamWOptions options_;
    std::int64_t step_ = 0;
};

} // namespace kaskade::training
