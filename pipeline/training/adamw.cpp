#include "pipeline/training/adamw.h"

#include "pipeline/errors.h"

#include <algorithm>
#include <cmath>

namespace kaskade::training {

ClipResult clipGradNorm(const std::vector<at::Tensor>& params, double maxNorm)
{
    at::NoGradGuard noGrad;
    std::vector<at::Tensor> norms;
    for (const auto& p : params)
        if (p.grad().defined())
            norms.push_back(at::norm(p.grad().detach(), 2));
    if (norms.empty())
        return {at::zeros({}, at::kFloat), at::ones({}, at::kFloat)};
    const at::Tensor total = at::norm(at::stack(norms), 2);
    // Python's max_norm / tensor is tensor.reciprocal() * max_norm.
    const at::Tensor coef = at::clamp_max((total + 1e-6).reciprocal() * maxNorm, 1.0);
    for (const auto& p : params)
        if (p.grad().defined())
            p.grad().detach().mul_(coef.to(p.grad().device()));
    return {total, coef};
}

double warmupLr(double baseLr, std::int64_t update, std::int64_t warmupUpdates)
{
    if (warmupUpdates <= 0)
        return baseLr;
    const auto done = std::min<std::int64_t>(std::max<std::int64_t>(update - 1, 0), warmupUpdates);
    return baseLr * (static_cast<double>(done) / static_cast<double>(warmupUpdates));
}

AdamW::AdamW(std::vector<at::Tensor> params, AdamWOptions options) : params_(std::move(params)), options_(options)
{
    for (const auto& p : params_) {
        expAvg_.push_back(at::zeros_like(p, at::MemoryFormat::Preserve));
        expAvgSq_.push_back(at::zeros_like(p, at::MemoryFormat::Preserve));
    }
}

void AdamW::step(double lr)
{
    at::NoGradGuard noGrad;
    ++step_;
    const double k = static_cast<double>(step_);
    const double bias1 = 1 - std::pow(options_.beta1, k);
    const double bias2Sqrt = std::sqrt(1 - std::pow(options_.beta2, k));
    const double stepSize = lr / bias1;
    for (std::size_t i = 0; i < params_.size(); ++i) {
        at::Tensor p = params_[i];
        if (!p.grad().defined())
            continue;
        const at::Tensor g = p.grad();
        p.mul_(1 - lr * options_.weightDecay);
        expAvg_[i].mul_(options_.beta1).add_(g, 1 - options_.beta1);
        expAvgSq_[i].mul_(options_.beta2).addcmul_(g, g, 1 - options_.beta2);
        const at::Tensor denom = (expAvgSq_[i].sqrt() / bias2Sqrt).add_(options_.eps);
        p.addcdiv_(expAvg_[i], denom, -stepSize);
    }
}

void AdamW::zeroGrad()
{
    for (auto& p : params_)
        p.mutable_grad() = at::Tensor();
}

void AdamW::setState(std::int64_t step, const std::vector<at::Tensor>& expAvg, const std::vector<at::Tensor>& expAvgSq)
{
    if (expAvg.size() != params_.size() || expAvgSq.size() != params_.size())
        throw Error(ErrorCode::BadCheckpoint, "optimizer state has " + std::to_string(expAvg.size()) +
                                                  " tensors, the LoRA has " + std::to_string(params_.size()));
    at::NoGradGuard noGrad;
    for (std::size_t i = 0; i < params_.size(); ++i) {
        if (expAvg[i].sizes() != params_[i].sizes() || expAvgSq[i].sizes() != params_[i].sizes())
            throw Error(ErrorCode::BadCheckpoint,
                        "optimizer state " + std::to_string(i) + " does not fit its LoRA tensor");
        expAvg_[i].copy_(expAvg[i]);
        expAvgSq_[i].copy_(expAvgSq[i]);
    }
    step_ = step;
}

} // namespace kaskade::training
