#pragma once
// Leaf modules shared by every network, registered under PyTorch's parameter names so that
// named_parameters() + named_buffers() of a model equal the official state_dict keys.
//
// Unlike torch::nn::Linear & co. these allocate their tensors uninitialised (at::empty) with the
// given options and never run an initialiser: weights always come from a file. Passing
// at::TensorOptions().device(at::kMeta) builds a real-size model (3.6B parameters) without memory,
// which the key/shape tests use.

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <memory>
#include <string>
#include <vector>

namespace kaskade::nn {

using Options = at::TensorOptions;

// nn.Linear: y = x Wᵀ + b; weight (out, in).
struct LinearImpl : torch::nn::Module
{
    LinearImpl(std::int64_t in, std::int64_t out, bool bias, const Options& opts);
    at::Tensor forward(const at::Tensor& x) const;
    at::Tensor weight, bias;
};
TORCH_MODULE(Linear);

// nn.Conv2d; weight (out, in/groups, k, k).
struct Conv2dImpl : torch::nn::Module
{
    Conv2dImpl(std::int64_t in, std::int64_t out, std::int64_t kernel, const Options& opts, std::int64_t stride = 1,
               std::int64_t padding = 0, std::int64_t groups = 1, bool bias = true);
    at::Tensor forward(const at::Tensor& x) const;
    at::Tensor weight, bias;
    std::int64_t stride, padding, groups;
};
TORCH_MODULE(Conv2d);

// nn.ConvTranspose2d; weight (in, out, k, k).
struct ConvTranspose2dImpl : torch::nn::Module
{
    ConvTranspose2dImpl(std::int64_t in, std::int64_t out, std::int64_t kernel, const Options& opts,
                        std::int64_t stride = 1, std::int64_t padding = 0, bool bias = true);
    at::Tensor forward(const at::Tensor& x) const;
    at::Tensor weight, bias;
    std::int64_t stride, padding;
};
TORCH_MODULE(ConvTranspose2d);

// nn.BatchNorm2d in eval mode (running statistics). num_batches_tracked is an int64 scalar buffer.
struct BatchNorm2dImpl : torch::nn::Module
{
    BatchNorm2dImpl(std::int64_t channels, const Options& opts, double eps = 1e-5, bool affine = true);
    at::Tensor forward(const at::Tensor& x) const;
    at::Tensor weight, bias, running_mean, running_var, num_batches_tracked;
    double eps;
};
TORCH_MODULE(BatchNorm2d);

// nn.LayerNorm over the last dimension (parameters only when affine).
struct LayerNormImpl : torch::nn::Module
{
    LayerNormImpl(std::int64_t dim, const Options& opts, double eps = 1e-5, bool affine = true);
    at::Tensor forward(const at::Tensor& x) const;
    at::Tensor weight, bias;
    std::int64_t dim;
    double eps;
};
TORCH_MODULE(LayerNorm);

// nn.Embedding; weight (num, dim).
struct EmbeddingImpl : torch::nn::Module
{
    EmbeddingImpl(std::int64_t num, std::int64_t dim, const Options& opts);
    at::Tensor forward(const at::Tensor& ids) const;
    at::Tensor weight;
};
TORCH_MODULE(Embedding);

// A parameterless entry of an nn.Sequential (GELU, Dropout, Identity, PixelShuffle ...): it holds an
// index so that the following entries keep their official numbers.
struct PlaceholderImpl : torch::nn::Module
{
    explicit PlaceholderImpl(std::string what) : what(std::move(what)) {}
    std::string what;
};
TORCH_MODULE(Placeholder);

// nn.Sequential / nn.ModuleList: children registered as "0", "1", ... The owner runs them explicitly
// (forward signatures differ), fetching entries with at<T>(i).
struct SequentialImpl : torch::nn::Module
{
    template <typename Holder> Holder add(Holder module)
    {
        items.push_back(module.ptr());
        register_module(std::to_string(items.size() - 1), module.ptr());
        return module;
    }
    template <typename Impl> Impl& at(std::size_t i) const { return dynamic_cast<Impl&>(*items.at(i)); }
    std::size_t size() const { return items.size(); }
    std::vector<std::shared_ptr<torch::nn::Module>> items;
};
TORCH_MODULE(Sequential);

// LayerNorm2d of modules/common.py: LayerNorm over channels of an NCHW tensor (permute, LN, permute back).
at::Tensor layerNorm2d(const at::Tensor& x, double eps, const at::Tensor& weight = {}, const at::Tensor& bias = {});

// nn.GELU() (exact, erf based).
inline at::Tensor gelu(const at::Tensor& x)
{
    return at::gelu(x);
}

// Bilinear resize with align_corners=True, as every Stable Cascade resize is.
at::Tensor resizeBilinearAligned(const at::Tensor& x, std::int64_t h, std::int64_t w);

} // namespace kaskade::nn
