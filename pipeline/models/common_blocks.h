#pragma once
// The building blocks of modules/common.py (ResBlock, AttnBlock, TimestepBlock, FeedForwardBlock,
// GlobalResponseNorm), Stage C's UpDownBlock2d, the r embedding, and the level structure that StageB
// and StageC share (down_blocks / down_downscalers / down_repeat_mappers / up_* with skips and repeats).
//
// Precision follows the official bf16 inference (torch.autocast(bfloat16) over a .bfloat16() model):
// parameters live in the module dtype and every Linear / Conv casts its input to it, while LayerNorm,
// GRN and the residual stream stay float32 (autocast runs layer_norm and norm in fp32, and adding a
// bf16 branch to an fp32 tensor promotes). With fp32 weights every cast is a no-op.

#include "pipeline/models/nn.h"
#include "pipeline/models/unet_config.h"

#include <ATen/ATen.h>
#include <torch/nn/module.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kaskade::models {

// Linear / Conv with the input moved to the layer's device and cast to its dtype (autocast's role).
at::Tensor linear(const nn::LinearImpl& layer, const at::Tensor& x);
at::Tensor conv(const nn::Conv2dImpl& layer, const at::Tensor& x);
at::Tensor convTranspose(const nn::ConvTranspose2dImpl& layer, const at::Tensor& x);

// LayerNorm2d(c, elementwise_affine=False, eps=1e-6) over the channels of NCHW; float32 result.
at::Tensor layerNorm2d(const at::Tensor& x);
// nn.LayerNorm(c, elementwise_affine=False, eps=1e-6) over the last dimension; float32 result.
at::Tensor layerNorm(const at::Tensor& x);

// gen_r_embedding: r (B) -> (B, cR) float32, [sin(r·10000·f) | cos(r·10000·f)], f_k = exp(-k·ln(10000)/(cR/2-1)),
// zero-padded to cR when odd.
at::Tensor rEmbedding(const at::Tensor& r, std::int64_t cR);

// GlobalResponseNorm(dim) on NHWC: x + gamma·(x·Nx) + beta, Nx = ‖x‖₂ over (H,W) / (mean_C + 1e-6). Float32 result.
struct GlobalResponseNormImpl : torch::nn::Module
{
    GlobalResponseNormImpl(std::int64_t dim, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& x) const;
    at::Tensor gamma, beta; // (1,1,1,dim)
};
TORCH_MODULE(GlobalResponseNorm);

// ResBlock(c, c_skip, kernel_size): depthwise conv → LN2d → [cat skip] → channelwise MLP (NHWC) → + x.
struct ResBlockImpl : torch::nn::Module
{
    ResBlockImpl(std::int64_t c, std::int64_t cSkip, std::int64_t kernelSize, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& x, const at::Tensor& skip = {}) const;
    nn::Conv2d depthwise = nullptr;
    nn::Sequential channelwise; // 0 Linear(c+c_skip → 4c), 1 GELU, 2 GRN(4c), 3 Dropout, 4 Linear(4c → c)
    double dropout = 0;         // p of channelwise.3 (the level's config dropout); see DropoutScope
};
TORCH_MODULE(ResBlock);

// FeedForwardBlock(c): x + channelwise(LN2d(x)) (unused by the released models).
struct FeedForwardBlockImpl : torch::nn::Module
{
    FeedForwardBlockImpl(std::int64_t c, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& x) const;
    nn::Sequential channelwise; // as in ResBlock with c_skip = 0
    double dropout = 0;
};
TORCH_MODULE(FeedForwardBlock);

// TimestepBlock(c, c_r, conds): x·(1+a)+b with (a, b) = Σ split_half(mapper_k(chunk_k(r_embed))).
struct TimestepBlockImpl : torch::nn::Module
{
    TimestepBlockImpl(std::int64_t c, std::int64_t cR, const std::vector<std::string>& conds, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& x, const at::Tensor& rEmbed) const; // rEmbed (B, cR·(1+conds))
    nn::Linear mapper = nullptr;
    std::vector<nn::Linear> condMappers; // registered as mapper_<cond>, in conds order
};
TORCH_MODULE(TimestepBlock);

// torch.nn.MultiheadAttention(c, nhead, bias=True, batch_first=True): packed q;k;v input projection.
struct MultiheadAttentionImpl : torch::nn::Module
{
    MultiheadAttentionImpl(std::int64_t c, std::int64_t nhead, const nn::Options& opts);
    at::Tensor in_proj_weight, in_proj_bias; // (3c, c), (3c): rows [q; k; v]
    nn::Linear out_proj = nullptr;
    std::int64_t nhead;
};
TORCH_MODULE(MultiheadAttention);

// Attention2D: holds `attn` (the math is in AttnBlockImpl::forward).
struct Attention2DImpl : torch::nn::Module
{
    Attention2DImpl(std::int64_t c, std::int64_t nhead, const nn::Options& opts);
    MultiheadAttention attn = nullptr;
};
TORCH_MODULE(Attention2D);

// Keys and values of the conditioning tokens of one AttnBlock: in_proj's k/v rows applied to
// kv_mapper(clip). Constant during sampling, so computed once per generation.
struct AttnKV
{
    at::Tensor k, v; // (B, nhead, S, c/nhead), module dtype
};

// AttnBlock(c, c_cond, nhead, self_attn): x + MHA(q = LN2d(x) tokens, kv = [LN2d(x) tokens ; kv_mapper(clip)]).
struct AttnBlockImpl : torch::nn::Module
{
    AttnBlockImpl(std::int64_t c, std::int64_t cCond, std::int64_t nhead, bool selfAttn, const nn::Options& opts);
    AttnKV mapCondition(const at::Tensor& clip) const; // clip (B, S, c_cond)
    at::Tensor forward(const at::Tensor& x, const AttnKV& cond) const;
    Attention2D attention = nullptr;
    nn::Sequential kv_mapper; // 0 SiLU, 1 Linear(c_cond → c)
    bool selfAttn;
    std::size_t index = 0; // position among the model's AttnBlocks (module order) = index into Conditioning::attention
    double dropout = 0;    // MultiheadAttention(dropout=p): on the softmaxed attention weights; see DropoutScope
};
TORCH_MODULE(AttnBlock);

// Stage C's UpDownBlock2d(c_in, c_out, mode, enabled): 1×1 conv `mapping` and a bilinear ×2 / ×0.5
// (align_corners=True) that is Identity when disabled; ModuleList order [interp, mapping] for 'up'.
struct UpDownBlock2dImpl : torch::nn::Module
{
    UpDownBlock2dImpl(std::int64_t cIn, std::int64_t cOut, bool up, bool enabled, const nn::Options& opts);
    at::Tensor forward(const at::Tensor& x) const;
    nn::Sequential blocks;
    bool up, enabled;
};
TORCH_MODULE(UpDownBlock2d);

// What the levels need besides x and r: constant for a whole sampling run.
struct Conditioning
{
    std::vector<AttnKV> attention;  // one per AttnBlock, module order
    std::vector<at::Tensor> tConds; // (B) float32 per config t_conds name (zeros when not given)
    std::int64_t batch = 0;         // B
};
// Concatenates along the batch ([a ; b], e.g. cond ; uncond for classifier-free guidance).
void catInto(Conditioning& out, const Conditioning& a, const Conditioning& b);

// The r embedding of forward(): cat[emb(r), emb(tCond_1), ...] → (B, cR·(1+n)).
at::Tensor fullREmbedding(const at::Tensor& r, const std::vector<at::Tensor>& tConds, std::int64_t cR);
// tConds resolved against config names: given entries by name, zeros_like(r-sized (batch)) otherwise.
// Throws InvalidArgument for names the config does not have or wrong sizes.
std::vector<at::Tensor> resolveTConds(const std::vector<std::string>& names,
                                      const std::vector<std::pair<std::string, at::Tensor>>& given, std::int64_t batch,
                                      const at::Device& device);

// Cancellation inside one network forward: a 4096² Stage B step takes minutes on a CPU, so checking only
// between sampler steps leaves Ctrl+C waiting. The pipeline installs the job's cancel check for its thread;
// Levels calls it before every block and throws Error(Cancelled). Without a scope nothing is checked.
class ForwardCancelScope
{
public:
    explicit ForwardCancelScope(const std::function<bool()>& shouldCancel);
    ~ForwardCancelScope();
    ForwardCancelScope(const ForwardCancelScope&) = delete;
    ForwardCancelScope& operator=(const ForwardCancelScope&) = delete;

private:
    const std::function<bool()>* previous_;
};
void throwIfForwardCancelled(); // Error(Cancelled) when the current thread's check says so

// The blocks' dropout (nn.Dropout in the channelwise MLPs, MultiheadAttention's dropout on the attention
// weights) is for training only. It is applied when a DropoutScope is installed on this thread and the block
// is in train() mode, and never under InferenceMode, so sampling, parity and eval-mode losses are untouched.
// The masks come from the scope's CPU generator and are then moved to the device: a seed gives the same
// masks on every device, and a training run that seeds one scope per micro-step is repeatable.
class DropoutScope
{
public:
    explicit DropoutScope(at::Generator generator);
    ~DropoutScope();
    DropoutScope(const DropoutScope&) = delete;
    DropoutScope& operator=(const DropoutScope&) = delete;

private:
    at::Generator generator_;
    DropoutScope* previous_;
    friend at::Tensor applyDropout(const at::Tensor& x, double p);
};
// The p to apply for a block with config dropout `p`: 0 unless a scope is installed, `training` holds and
// InferenceMode is off.
double activeDropout(double p, bool training);
// F.dropout(x, p, training=True) with the current scope's generator: zeros with probability p, the rest ·1/(1-p).
at::Tensor applyDropout(const at::Tensor& x, double p);

// down_blocks, down_downscalers, down_repeat_mappers, up_blocks, up_upscalers, up_repeat_mappers of
// StageB / StageC, registered on the owning module under those names. Level entries are the
// Sequential/Placeholder trees of the Python code; the scaler factories make entry i (1..L-1) of the
// down list / entry u (0..L-2) of the up list.
class Levels
{
public:
    using ScalerFactory = std::function<std::shared_ptr<torch::nn::Module>(std::size_t level)>;
    Levels(torch::nn::Module& owner, const UNetLevels& config, std::int64_t cCond, std::int64_t cR,
           const std::vector<std::string>& tConds, std::int64_t kernelSize, const nn::Options& opts,
           const ScalerFactory& downscaler, const ScalerFactory& upscaler);

    // One AttnKV per AttnBlock, module order. clip (B, S, c_cond).
    std::vector<AttnKV> mapConditions(const at::Tensor& clip) const;

    // _down_encode + _up_decode. x (B, c_hidden[0], h, w) float32; rEmbed (B, ·). `cnet` (optional, Stage C):
    // one entry per ResBlock call, an undefined tensor meaning None, added before the call.
    at::Tensor forward(at::Tensor x, const at::Tensor& rEmbed, const std::vector<AttnKV>& kv,
                       const std::vector<at::Tensor>* cnet = nullptr) const;

    std::size_t attnBlockCount() const { return attnCount_; }

private:
    at::Tensor runLevel(const nn::SequentialImpl& level, at::Tensor x, const at::Tensor& skip, const at::Tensor& rEmbed,
                        const std::vector<AttnKV>& kv, const std::vector<at::Tensor>* cnet,
                        std::size_t& cnetIndex) const;

    nn::Sequential down_blocks, down_downscalers, down_repeat_mappers;
    nn::Sequential up_blocks, up_upscalers, up_repeat_mappers;
    std::vector<AttnBlockImpl*> attnBlocks_;
    std::size_t attnCount_ = 0;
};

// down_downscalers / up_upscalers entry: Identity (Placeholder), or Sequential[LN2d, resampler] with
// resampler Conv2d (Stage B down), ConvTranspose2d (Stage B up) or UpDownBlock2d (Stage C).
at::Tensor applyScaler(torch::nn::Module& scaler, const at::Tensor& x);

} // namespace kaskade::models
