#pragma once
// The one place that knows LibTorch version differences (Debian ships 1.13; CUDA users have 2.x).
//  - SDPA: 2.x has at::scaled_dot_product_attention; 1.13 only the private
//    at::_scaled_dot_product_attention returning a tuple.
//  - c10::optional: write c10::optional / c10::nullopt everywhere (1.13 rejects std::optional).

#include <ATen/ATen.h>
#include <torch/version.h>

namespace kaskade::compat {

// softmax(q kᵀ / sqrt(d)) v over the last two dims; q (..., Lq, d), k/v (..., Lk, d); no mask.
// attn_mask (optional, additive, broadcastable to (..., Lq, Lk)).
inline at::Tensor scaledDotProductAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                            const c10::optional<at::Tensor>& attnMask = c10::nullopt)
{
#if TORCH_VERSION_MAJOR >= 2
    return at::scaled_dot_product_attention(q, k, v, attnMask);
#else
    return std::get<0>(at::_scaled_dot_product_attention(q, k, v, attnMask, 0.0, false, false));
#endif
}

} // namespace kaskade::compat
