#pragma once
// Fused CPU kernels for the inference hot spots of Stage B / Stage C that ATen 1.13 runs as chains of
// full-tensor passes with fp32 round trips: LayerNorm over channels and GlobalResponseNorm. Each reads
// its bf16 or fp32 input once, computes in fp32 (as the official autocast run does: LayerNorm and norm
// are fp32 ops there) and writes the result once, rounded to the requested dtype.
//
// They have no autograd: callers use them only when usable() says so (inference, CPU) and
// fall back to the ATen composition otherwise (LoRA training, CUDA).

#include <ATen/core/Tensor.h>

namespace kaskade::fused {

// False when $KASKADE_FUSED is "0": the ATen compositions and NCHW activations, for A/B timing.
bool enabled();

// True when `x` may go through the kernels below: autograd off, CPU, float32 or bfloat16. A
// non-contiguous input is copied first (channels-last activations make the NHWC views contiguous).
bool usable(const at::Tensor& x);

// LayerNorm without affine parameters over the last dimension of a (..., C) tensor; contiguous result.
at::Tensor layerNormLastDim(const at::Tensor& x, double eps, at::ScalarType outType);

// GlobalResponseNorm on an NHWC tensor (B,H,W,C): x + gamma·(x·Nx) + beta with
// Nx = ‖x‖₂ over (H,W) / (mean over C + eps). gamma, beta hold C values. Result in `outType`.
at::Tensor globalResponseNorm(const at::Tensor& x, const at::Tensor& gamma, const at::Tensor& beta, double eps,
                              at::ScalarType outType);

// x + branch for a channels-last fp32 residual stream x (B,C,H,W) and a branch output in NHWC order
// (B,H,W,C), bf16 or fp32, in one pass (ATen would first copy the bf16 branch to fp32). Returns an
// undefined tensor when the layouts do not allow it; the caller then adds normally.
at::Tensor residualAdd(const at::Tensor& x, const at::Tensor& branchNhwc);

// softmax(q kᵀ / sqrt(d)) v for q (B,h,Lq,d), k/v (B,h,Lk,d), one head at a time so that its score matrix
// stays in the CPU caches instead of streaming 100+ MB through memory three times. Only with
// $KASKADE_FUSED_ATTN=1: by default LibTorch's SDPA runs, which measured faster on CPUs without AMX.
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v);

} // namespace kaskade::fused
