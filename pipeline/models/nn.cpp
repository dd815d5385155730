#include "pipeline/models/nn.h"

namespace kaskade::nn {

LinearImpl::LinearImpl(std::int64_t in, std::int64_t out, bool hasBias, const Options& opts)
{
    weight = register_parameter("weight", at::empty({out, in}, opts), false);
    if (hasBias)
        bias = register_parameter("bias", at::empty({out}, opts), false);
}

at::Tensor LinearImpl::forward(const at::Tensor& x) const
{
    return at::linear(x, weight, bias);
}

Conv2dImpl::Conv2dImpl(std::int64_t in, std::int64_t out, std::int64_t kernel, const Options& opts,
                       std::int64_t stride_, std::int64_t padding_, std::int64_t groups_, bool hasBias)
    : stride(stride_), padding(padding_), groups(groups_)
{
    weight = register_parameter("weight", at::empty({out, in / groups, kernel, kernel}, opts), false);
    if (hasBias)
        bias = register_parameter("bias", at::empty({out}, opts), false);
}

at::Tensor Conv2dImpl::forward(const at::Tensor& x) const
{
    return at::conv2d(x, weight, bias, {stride, stride}, {padding, padding}, {1, 1}, groups);
}

ConvTranspose2dImpl::ConvTranspose2dImpl(std::int64_t in, std::int64_t out, std::int64_t kernel, const Options& opts,
                                         std::int64_t stride_, std::int64_t padding_, bool hasBias)
    : stride(stride_), padding(padding_)
{
    weight = register_parameter("weight", at::empty({in, out, kernel, kernel}, opts), false);
    if (hasBias)
        bias = register_parameter("bias", at::empty({out}, opts), false);
}

at::Tensor ConvTranspose2dImpl::forward(const at::Tensor& x) const
{
    return at::conv_transpose2d(x, weight, bias, {stride, stride}, {padding, padding});
}

BatchNorm2dImpl::BatchNorm2dImpl(std::int64_t channels, const Options& opts, double eps_, bool affine) : eps(eps_)
{
    if (affine) {
        weight = register_parameter("weight", at::empty({channels}, opts), false);
        bias = register_parameter("bias", at::empty({channels}, opts), false);
    }
    running_mean = register_buffer("running_mean", at::empty({channels}, opts));
    running_var = register_buffer("running_var", at::empty({channels}, opts));
    num_batches_tracked = register_buffer("num_batches_tracked", at::zeros({}, opts.dtype(at::kLong)));
}

at::Tensor BatchNorm2dImpl::forward(const at::Tensor& x) const
{
    return at::batch_norm(x, weight, bias, running_mean, running_var, /*training=*/false, 0.1, eps,
                          /*cudnn_enabled=*/true);
}

LayerNormImpl::LayerNormImpl(std::int64_t dim_, const Options& opts, double eps_, bool affine) : dim(dim_), eps(eps_)
{
    if (affine) {
        weight = register_parameter("weight", at::empty({dim}, opts), false);
        bias = register_parameter("bias", at::empty({dim}, opts), false);
    }
}

at::Tensor LayerNormImpl::forward(const at::Tensor& x) const
{
    return at::layer_norm(x, {dim}, weight, bias, eps);
}

EmbeddingImpl::EmbeddingImpl(std::int64_t num, std::int64_t dim, const Options& opts)
{
    weight = register_parameter("weight", at::empty({num, dim}, opts), false);
}

at::Tensor EmbeddingImpl::forward(const at::Tensor& ids) const
{
    return at::embedding(weight, ids);
}

at::Tensor layerNorm2d(const at::Tensor& x, double eps, const at::Tensor& weight, const at::Tensor& bias)
{
    auto nhwc = x.permute({0, 2, 3, 1});                           // (B,H,W,C)
    auto y = at::layer_norm(nhwc, {x.size(1)}, weight, bias, eps); // per pixel over C
    return y.permute({0, 3, 1, 2});                                // (B,C,H,W)
}

at::Tensor resizeBilinearAligned(const at::Tensor& x, std::int64_t h, std::int64_t w)
{
    return at::upsample_bilinear2d(x, {h, w}, /*align_corners=*/true);
}

} // namespace kaskade::nn
