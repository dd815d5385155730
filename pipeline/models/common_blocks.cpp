#include "pipeline/models/common_blocks.h"

#include "pipeline/errors.h"
#include "pipeline/models/fused_ops.h"
#include "pipeline/runtime/torch_compat.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cmath>

namespace kaskade::models {
namespace {

constexpr double kNormEps = 1e-6;

// Appends an arbitrary module to a Sequential under the next index.
void addEntry(nn::SequentialImpl& seq, std::shared_ptr<torch::nn::Module> module)
{
    seq.items.push_back(module);
    seq.register_module(std::to_string(seq.items.size() - 1), std::move(module));
}

// The channelwise MLP of ResBlock / FeedForwardBlock: Linear, GELU, GRN, Dropout, Linear.
nn::Sequential makeChannelwise(std::int64_t cIn, std::int64_t c, const nn::Options& opts)
{
    nn::Sequential seq;
    seq->add(nn::Linear(cIn, c * 4, true, opts));
    seq->add(nn::Placeholder("GELU"));
    seq->add(GlobalResponseNorm(c * 4, opts));
    seq->add(nn::Placeholder("Dropout")); // training only
    seq->add(nn::Linear(c * 4, c, true, opts));
    return seq;
}

// `dropout`: the p in effect (activeDropout), 0 outside training.
at::Tensor runChannelwise(const nn::SequentialImpl& seq, const at::Tensor& nhwc, double dropout)
{
    auto h = linear(seq.at<nn::LinearImpl>(0), nhwc); // (B,H,W,4c)
    h = nn::gelu(h);                                  // exact erf GELU
    h = seq.at<GlobalResponseNormImpl>(2).forward(h); // (B,H,W,4c) fp32
    h = applyDropout(h, dropout);                     // channelwise.3
    return linear(seq.at<nn::LinearImpl>(4), h);      // (B,H,W,c)
}

// softmax(q kᵀ/√d) → dropout → ·v spelled out, as MultiheadAttention does when training: neither the fused
// kernel nor SDPA can drop weights with our generator. Softmax in fp32, as autocast runs it.
at::Tensor attentionWithDropout(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, double p)
{
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    const auto scores = at::matmul(q, k.transpose(-2, -1)) * scale;               // (B,nh,Lq,Lk)
    const auto weights = at::softmax(scores, -1, at::kFloat).to(v.scalar_type()); // (B,nh,Lq,Lk)
    return at::matmul(applyDropout(weights, p), v);                               // (B,nh,Lq,hd)
}

at::Tensor splitHeads(const at::Tensor& t, std::int64_t nhead)
{
    const auto b = t.size(0), l = t.size(1), c = t.size(2);
    return t.view({b, l, nhead, c / nhead}).transpose(1, 2); // (B,nhead,L,hd)
}

} // namespace

at::Tensor linear(const nn::LinearImpl& layer, const at::Tensor& x)
{
    const auto input = x.to(layer.weight.device(), layer.weight.scalar_type());
    if (input.dim() > 2 && input.is_contiguous() && fused::enabled()) {
        // As 2-D: at::linear then adds the bias inside the GEMM (addmm) instead of a separate pass.
        auto sizes = input.sizes().vec();
        sizes.back() = layer.weight.size(0);
        return at::linear(input.view({-1, input.size(-1)}), layer.weight, layer.bias).view(sizes);
    }
    return at::linear(input, layer.weight, layer.bias);
}

at::Tensor conv(const nn::Conv2dImpl& layer, const at::Tensor& x)
{
    return layer.forward(x.to(layer.weight.device(), layer.weight.scalar_type()));
}

at::Tensor convTranspose(const nn::ConvTranspose2dImpl& layer, const at::Tensor& x)
{
    const auto& w = layer.weight; // (in, out, k, k)
    const auto input = x.to(w.device(), w.scalar_type());
    const auto k = w.size(2);
    if (layer.stride != k || layer.padding != 0 || w.size(3) != k)
        return layer.forward(input);
    // kernel == stride (Stage B's upscalers): every input pixel writes its own k×k output patch, so the
    // transposed convolution is one matmul. Also avoids LibTorch 1.13's CPU bf16 conv_transpose2d, which
    // dispatches to the forward oneDNN convolution and fails (or misbehaves for square weights).
    // Columns ordered (ky, kx, out) so that the result is channels-last, like the activations around it.
    const auto b = input.size(0), h = input.size(2), wd = input.size(3), cOut = w.size(1);
    const auto weight = w.permute({2, 3, 1, 0}).reshape({k * k * cOut, w.size(0)}); // (k·k·out, in)
    const auto bias = layer.bias.defined() ? layer.bias.repeat({k * k}) : at::Tensor();
    auto y = at::linear(input.permute({0, 2, 3, 1}), weight, bias); // (B,H,W,k·k·out)
    y = y.view({b, h, wd, k, k, cOut}).permute({0, 1, 3, 2, 4, 5}).reshape({b, h * k, wd * k, cOut}); // (B,kH,kW,out)
    return y.permute({0, 3, 1, 2});                                                                   // (B,out,kH,kW)
}

at::Tensor layerNorm2d(const at::Tensor& x)
{
    if (fused::usable(x) && x.dim() == 4) // one pass, no fp32 copy; NHWC result = channels-last NCHW view
        return fused::layerNormLastDim(x.permute({0, 2, 3, 1}), kNormEps, at::kFloat).permute({0, 3, 1, 2});
    return nn::layerNorm2d(x.to(at::kFloat), kNormEps);
}

at::Tensor layerNorm(const at::Tensor& x)
{
    return at::layer_norm(x.to(at::kFloat), {x.size(-1)}, {}, {}, kNormEps);
}

at::Tensor rEmbedding(const at::Tensor& r, std::int64_t cR)
{
    constexpr double maxPositions = 10000;
    const std::int64_t half = cR / 2;
    const double step = std::log(maxPositions) / static_cast<double>(half - 1);
    const auto scaled = r.to(at::kFloat) * maxPositions;                                 // (B)
    const auto freqs = at::arange(half, r.options().dtype(at::kFloat)).mul(-step).exp(); // (half)
    const auto args = scaled.unsqueeze(1) * freqs.unsqueeze(0);                          // (B,half)
    auto emb = at::cat({args.sin(), args.cos()}, 1);                                     // (B,2·half)
    if (cR % 2 == 1)
        emb = at::constant_pad_nd(emb, {0, 1}, 0); // (B,cR)
    return emb;
}

GlobalResponseNormImpl::GlobalResponseNormImpl(std::int64_t dim, const nn::Options& opts)
{
    gamma = register_parameter("gamma", at::empty({1, 1, 1, dim}, opts), false);
    beta = register_parameter("beta", at::empty({1, 1, 1, dim}, opts), false);
}

at::Tensor GlobalResponseNormImpl::forward(const at::Tensor& x) const
{
    // Inference: fp32 math in two passes; a bf16 input gets a bf16 result, the rounding the next Linear applies anyway.
    if (fused::usable(x) && x.dim() == 4)
        return fused::globalResponseNorm(x, gamma, beta, kNormEps, x.scalar_type());
    const auto xf = x.to(at::kFloat);                                   // (B,H,W,C)
    const auto gx = at::norm(xf, 2, {1, 2}, /*keepdim=*/true);          // (B,1,1,C)
    const auto nx = gx / (gx.mean({-1}, /*keepdim=*/true) + kNormEps);  // (B,1,1,C)
    return gamma.to(at::kFloat) * (xf * nx) + beta.to(at::kFloat) + xf; // (B,H,W,C)
}

ResBlockImpl::ResBlockImpl(std::int64_t c, std::int64_t cSkip, std::int64_t kernelSize, const nn::Options& opts)
{
    depthwise = register_module("depthwise", nn::Conv2d(c, c, kernelSize, opts, 1, kernelSize / 2, c));
    // norm: LayerNorm2d without parameters (layerNorm2d()).
    channelwise = register_module("channelwise", makeChannelwise(c + cSkip, c, opts));
}

at::Tensor ResBlockImpl::forward(const at::Tensor& x, const at::Tensor& skip) const
{
    // Channels-last x keeps every permute below a view. The normalised tensor only feeds the first
    // Linear, which rounds to the module dtype anyway, so the fused LayerNorm writes that dtype directly.
    auto h = conv(*depthwise, x).permute({0, 2, 3, 1}); // (B,H,W,c)
    h = fused::usable(h) ? fused::layerNormLastDim(h, kNormEps, depthwise->weight.scalar_type())
                         : layerNorm2d(h.permute({0, 3, 1, 2})).permute({0, 2, 3, 1});
    if (skip.defined())
        h = at::cat({h, skip.permute({0, 2, 3, 1}).to(h.scalar_type())}, 3);    // (B,H,W,c+c_skip)
    h = runChannelwise(*channelwise, h, activeDropout(dropout, is_training())); // (B,H,W,c)
    if (auto sum = fused::residualAdd(x, h); sum.defined())
        return sum;
    return x + h.permute({0, 3, 1, 2}); // (B,c,H,W)
}

FeedForwardBlockImpl::FeedForwardBlockImpl(std::int64_t c, const nn::Options& opts)
{
    channelwise = register_module("channelwise", makeChannelwise(c, c, opts));
}

at::Tensor FeedForwardBlockImpl::forward(const at::Tensor& x) const
{
    const auto h = runChannelwise(*channelwise, layerNorm2d(x).permute({0, 2, 3, 1}),
                                  activeDropout(dropout, is_training())); // (B,H,W,c)
    return x + h.permute({0, 3, 1, 2});                                   // (B,c,H,W)
}

TimestepBlockImpl::TimestepBlockImpl(std::int64_t c, std::int64_t cR, const std::vector<std::string>& conds,
                                     const nn::Options& opts)
{
    mapper = register_module("mapper", nn::Linear(cR, c * 2, true, opts));
    for (const auto& name : conds)
        condMappers.push_back(register_module("mapper_" + name, nn::Linear(cR, c * 2, true, opts)));
}

at::Tensor TimestepBlockImpl::forward(const at::Tensor& x, const at::Tensor& rEmbed) const
{
    const auto chunks = rEmbed.chunk(static_cast<std::int64_t>(condMappers.size()) + 1, 1); // each (B,c_r)
    auto ab = linear(*mapper, chunks[0]);                                                   // (B,2c)
    for (std::size_t i = 0; i < condMappers.size(); ++i)
        ab = ab + linear(*condMappers[i], chunks[i + 1]);
    const auto parts = ab.unsqueeze(-1).unsqueeze(-1).chunk(2, 1); // a, b (B,c,1,1)
    // x·(1+a)+b in one pass (1+a rounds in the module dtype, as in the official code).
    const auto type = at::promote_types(x.scalar_type(), ab.scalar_type());
    return at::addcmul(parts[1].to(type), x, (1 + parts[0]).to(type)); // (B,c,H,W)
}

MultiheadAttentionImpl::MultiheadAttentionImpl(std::int64_t c, std::int64_t nhead_, const nn::Options& opts)
    : nhead(nhead_)
{
    in_proj_weight = register_parameter("in_proj_weight", at::empty({3 * c, c}, opts), false);
    in_proj_bias = register_parameter("in_proj_bias", at::empty({3 * c}, opts), false);
    out_proj = register_module("out_proj", nn::Linear(c, c, true, opts));
}

Attention2DImpl::Attention2DImpl(std::int64_t c, std::int64_t nhead, const nn::Options& opts)
{
    attn = register_module("attn", MultiheadAttention(c, nhead, opts));
}

AttnBlockImpl::AttnBlockImpl(std::int64_t c, std::int64_t cCond, std::int64_t nhead, bool selfAttn_,
                             const nn::Options& opts)
    : selfAttn(selfAttn_)
{
    // norm: LayerNorm2d without parameters.
    attention = register_module("attention", Attention2D(c, nhead, opts));
    kv_mapper->add(nn::Placeholder("SiLU"));
    kv_mapper->add(nn::Linear(cCond, c, true, opts));
    register_module("kv_mapper", kv_mapper);
}

AttnKV AttnBlockImpl::mapCondition(const at::Tensor& clip) const
{
    const auto& mha = *attention->attn;
    const auto c = mha.out_proj->weight.size(0);
    const auto kv = linear(kv_mapper->at<nn::LinearImpl>(1), at::silu(clip)); // (B,S,c)
    const auto k = at::linear(kv, mha.in_proj_weight.narrow(0, c, c), mha.in_proj_bias.narrow(0, c, c));
    const auto v = at::linear(kv, mha.in_proj_weight.narrow(0, 2 * c, c), mha.in_proj_bias.narrow(0, 2 * c, c));
    return {splitHeads(k, mha.nhead).contiguous(), splitHeads(v, mha.nhead).contiguous()}; // (B,nh,S,hd)
}

at::Tensor AttnBlockImpl::forward(const at::Tensor& x, const AttnKV& cond) const
{
    const auto& mha = *attention->attn;
    const auto b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
    if (cond.k.size(0) != b)
        throw Error(ErrorCode::InvalidArgument, "conditioning batch " + std::to_string(cond.k.size(0)) +
                                                    " does not match the latent batch " + std::to_string(b));
    const auto dtype = mha.in_proj_weight.scalar_type();
    const auto nhwc = x.permute({0, 2, 3, 1});
    const auto tokens = (fused::usable(nhwc) ? fused::layerNormLastDim(nhwc, kNormEps, dtype)
                                             : layerNorm2d(x).permute({0, 2, 3, 1}).to(dtype))
                            .reshape({b, h * w, c}); // (B,HW,c)
    at::Tensor q, k, v;
    if (selfAttn) {
        const auto qkv = at::linear(tokens, mha.in_proj_weight, mha.in_proj_bias).chunk(3, -1); // 3 × (B,HW,c)
        q = splitHeads(qkv[0], mha.nhead);                                                      // (B,nh,HW,hd)
        k = at::cat({splitHeads(qkv[1], mha.nhead), cond.k}, 2);                                // (B,nh,HW+S,hd)
        v = at::cat({splitHeads(qkv[2], mha.nhead), cond.v}, 2);                                // (B,nh,HW+S,hd)
    } else {
        q = splitHeads(at::linear(tokens, mha.in_proj_weight.narrow(0, 0, c), mha.in_proj_bias.narrow(0, 0, c)),
                       mha.nhead);
        k = cond.k;
        v = cond.v;
    }
    const double p = activeDropout(dropout, is_training());
    auto o = p > 0 ? attentionWithDropout(q, k, v, p) : fused::attention(q, k, v); // (B,nh,HW,hd)
    o = o.transpose(1, 2).reshape({b, h * w, c});                                  // (B,HW,c)
    o = linear(*mha.out_proj, o);                                                  // (B,HW,c)
    const auto branch = o.view({b, h, w, c});
    if (auto sum = fused::residualAdd(x, branch); sum.defined())
        return sum;
    return x + branch.permute({0, 3, 1, 2}); // (B,c,H,W), channels-last like x
}

UpDownBlock2dImpl::UpDownBlock2dImpl(std::int64_t cIn, std::int64_t cOut, bool up_, bool enabled_,
                                     const nn::Options& opts)
    : up(up_), enabled(enabled_)
{
    auto interpolation = nn::Placeholder(enabled ? "Upsample" : "Identity");
    auto mapping = nn::Conv2d(cIn, cOut, 1, opts);
    if (up) {
        blocks->add(interpolation);
        blocks->add(mapping);
    } else {
        blocks->add(mapping);
        blocks->add(interpolation);
    }
    register_module("blocks", blocks);
}

at::Tensor UpDownBlock2dImpl::forward(const at::Tensor& input) const
{
    auto x = input;
    for (std::size_t i = 0; i < blocks->size(); ++i) {
        x = x.to(at::kFloat); // the official forward casts before every sub-block
        if (auto* mapping = dynamic_cast<nn::Conv2dImpl*>(blocks->items[i].get()))
            x = conv(*mapping, x);
        else if (enabled) // nn.Upsample(scale_factor 2 / 0.5, bilinear, align_corners=True): floor(size·scale)
            x = up ? nn::resizeBilinearAligned(x, x.size(2) * 2, x.size(3) * 2)
                   : nn::resizeBilinearAligned(x, x.size(2) / 2, x.size(3) / 2);
    }
    return x;
}

void catInto(Conditioning& out, const Conditioning& a, const Conditioning& b)
{
    if (a.attention.size() != b.attention.size() || a.tConds.size() != b.tConds.size())
        throw Error(ErrorCode::InvalidArgument, "cannot concatenate conditionings of different models");
    out.attention.clear();
    out.tConds.clear();
    out.batch = a.batch + b.batch;
    for (std::size_t i = 0; i < a.attention.size(); ++i)
        out.attention.push_back(
            {at::cat({a.attention[i].k, b.attention[i].k}, 0), at::cat({a.attention[i].v, b.attention[i].v}, 0)});
    for (std::size_t i = 0; i < a.tConds.size(); ++i)
        out.tConds.push_back(at::cat({a.tConds[i], b.tConds[i]}, 0));
}

at::Tensor fullREmbedding(const at::Tensor& r, const std::vector<at::Tensor>& tConds, std::int64_t cR)
{
    std::vector<at::Tensor> parts{rEmbedding(r, cR)};
    for (const auto& t : tConds) {
        if (t.size(0) != r.size(0))
            throw Error(ErrorCode::InvalidArgument, "t_cond batch " + std::to_string(t.size(0)) +
                                                        " does not match r batch " + std::to_string(r.size(0)));
        parts.push_back(rEmbedding(t.to(r.device()), cR));
    }
    return at::cat(parts, 1); // (B, cR·(1+n))
}

std::vector<at::Tensor> resolveTConds(const std::vector<std::string>& names,
                                      const std::vector<std::pair<std::string, at::Tensor>>& given, std::int64_t batch,
                                      const at::Device& device)
{
    for (const auto& [name, tensor] : given) {
        if (std::find(names.begin(), names.end(), name) == names.end())
            throw Error(ErrorCode::InvalidArgument, "the model has no t_cond '" + name + "'");
        if (tensor.dim() != 1 || tensor.size(0) != batch)
            throw Error(ErrorCode::InvalidArgument,
                        "t_cond '" + name + "' must have shape [" + std::to_string(batch) + "]");
    }
    std::vector<at::Tensor> out;
    for (const auto& name : names) {
        auto it = std::find_if(given.begin(), given.end(), [&](const auto& p) { return p.first == name; });
        out.push_back(it != given.end() ? it->second.to(device, at::kFloat)
                                        : at::zeros({batch}, at::TensorOptions().device(device).dtype(at::kFloat)));
    }
    return out;
}

at::Tensor applyScaler(torch::nn::Module& scaler, const at::Tensor& x)
{
    auto* seq = dynamic_cast<nn::SequentialImpl*>(&scaler);
    if (!seq)
        return x;                       // nn.Identity
    const auto normed = layerNorm2d(x); // (B,c_in,H,W) fp32
    auto* resampler = seq->items.at(1).get();
    if (auto* down = dynamic_cast<nn::Conv2dImpl*>(resampler))
        return conv(*down, normed); // (B,c_out,H/2,W/2)
    if (auto* up = dynamic_cast<nn::ConvTranspose2dImpl*>(resampler))
        return convTranspose(*up, normed); // (B,c_out,2H,2W)
    return dynamic_cast<UpDownBlock2dImpl&>(*resampler).forward(normed);
}

Levels::Levels(torch::nn::Module& owner, const UNetLevels& config, std::int64_t cCond, std::int64_t cR,
               const std::vector<std::string>& tConds, std::int64_t kernelSize, const nn::Options& opts,
               const ScalerFactory& downscaler, const ScalerFactory& upscaler)
{
    // Registration order of the Python attributes (it decides modules() order, which LoRA files rely on).
    for (auto* item : {&down_blocks, &down_downscalers, &down_repeat_mappers})
        *item = nn::Sequential();
    owner.register_module("down_blocks", down_blocks);
    owner.register_module("down_downscalers", down_downscalers);
    owner.register_module("down_repeat_mappers", down_repeat_mappers);

    const std::size_t n = config.cHidden.size();
    auto makeBlock = [&](char type, std::size_t level, std::int64_t cSkip) -> std::shared_ptr<torch::nn::Module> {
        const std::int64_t c = config.cHidden[level];
        const double dropout = level < config.dropout.size() ? config.dropout[level] : 0.0;
        switch (type) {
        case 'C': {
            ResBlock block(c, cSkip, kernelSize, opts);
            block->dropout = dropout;
            return block.ptr();
        }
        case 'T': return TimestepBlock(c, cR, tConds, opts).ptr();
        case 'F': {
            FeedForwardBlock block(c, opts);
            block->dropout = dropout;
            return block.ptr();
        }
        default: { // 'A' (validate() rejected other letters)
            AttnBlock block(c, cCond, config.nhead[level], config.selfAttn[level], opts);
            block->dropout = dropout;
            block->index = attnCount_++;
            attnBlocks_.push_back(block.get());
            return block.ptr();
        }
        }
    };
    auto makeRepeatMappers = [&](std::int64_t passes, std::size_t level) {
        nn::Sequential mappers;
        for (std::int64_t j = 0; j + 1 < passes; ++j)
            mappers->add(nn::Conv2d(config.cHidden[level], config.cHidden[level], 1, opts));
        return mappers;
    };

    for (std::size_t i = 0; i < n; ++i) {
        addEntry(*down_downscalers, i > 0 ? downscaler(i) : nn::Placeholder("Identity").ptr());
        nn::Sequential level;
        for (std::int64_t j = 0; j < config.blocks[0][i]; ++j)
            for (char type : config.levelConfig[i])
                addEntry(*level, makeBlock(type, i, 0));
        down_blocks->add(level);
        down_repeat_mappers->add(makeRepeatMappers(config.blockRepeat[0][i], i));
    }

    for (auto* item : {&up_blocks, &up_upscalers, &up_repeat_mappers})
        *item = nn::Sequential();
    owner.register_module("up_blocks", up_blocks);
    owner.register_module("up_upscalers", up_upscalers);
    owner.register_module("up_repeat_mappers", up_repeat_mappers);
    for (std::size_t i = n; i-- > 0;) { // deepest level first; blocks[1] / block_repeat[1] are in this order
        const std::size_t u = n - 1 - i;
        addEntry(*up_upscalers, i > 0 ? upscaler(i) : nn::Placeholder("Identity").ptr());
        nn::Sequential level;
        for (std::int64_t j = 0; j < config.blocks[1][u]; ++j)
            for (std::size_t k = 0; k < config.levelConfig[i].size(); ++k) {
                // Only the level's very first block takes the skip (a ResBlock in every released config).
                const std::int64_t cSkip = (i + 1 < n && j == 0 && k == 0) ? config.cHidden[i] : 0;
                addEntry(*level, makeBlock(config.levelConfig[i][k], i, cSkip));
            }
        up_blocks->add(level);
        up_repeat_mappers->add(makeRepeatMappers(config.blockRepeat[1][u], i));
    }
}

std::vector<AttnKV> Levels::mapConditions(const at::Tensor& clip) const
{
    std::vector<AttnKV> out;
    out.reserve(attnBlocks_.size());
    for (const auto* block : attnBlocks_)
        out.push_back(block->mapCondition(clip));
    return out;
}

namespace {
thread_local const std::function<bool()>* forwardCancelCheck = nullptr;
} // namespace

ForwardCancelScope::ForwardCancelScope(const std::function<bool()>& shouldCancel) : previous_(forwardCancelCheck)
{
    forwardCancelCheck = shouldCancel ? &shouldCancel : nullptr;
}

ForwardCancelScope::~ForwardCancelScope()
{
    forwardCancelCheck = previous_;
}

void throwIfForwardCancelled()
{
    if (forwardCancelCheck && (*forwardCancelCheck)())
        throw Error(ErrorCode::Cancelled, "generation cancelled");
}

namespace {
thread_local DropoutScope* currentDropout = nullptr;
} // namespace

DropoutScope::DropoutScope(at::Generator generator) : generator_(std::move(generator)), previous_(currentDropout)
{
    currentDropout = this;
}

DropoutScope::~DropoutScope()
{
    currentDropout = previous_;
}

double activeDropout(double p, bool training)
{
    return p > 0 && training && currentDropout && !c10::InferenceMode::is_enabled() ? p : 0.0;
}

at::Tensor applyDropout(const at::Tensor& x, double p)
{
    if (p <= 0 || !currentDropout)
        return x;
    if (p >= 1)
        return at::zeros_like(x);
    // The mask is part of the graph (x · mask), so backward sees the same draw.
    auto keep = at::empty(x.sizes(), at::kFloat).bernoulli_(1.0 - p, currentDropout->generator_);
    return x * keep.div_(1.0 - p).to(x.device(), x.scalar_type());
}

at::Tensor Levels::runLevel(const nn::SequentialImpl& level, at::Tensor x, const at::Tensor& skip,
                            const at::Tensor& rEmbed, const std::vector<AttnKV>& kv,
                            const std::vector<at::Tensor>* cnet, std::size_t& cnetIndex) const
{
    for (std::size_t k = 0; k < level.size(); ++k) {
        throwIfForwardCancelled();
        auto* block = level.items[k].get();
        if (auto* res = dynamic_cast<ResBlockImpl*>(block)) {
            const at::Tensor& s = k == 0 ? skip : at::Tensor();
            if (s.defined() && (x.size(-1) != s.size(-1) || x.size(-2) != s.size(-2)))
                x = nn::resizeBilinearAligned(x.to(at::kFloat), s.size(-2), s.size(-1)); // odd sizes
            if (cnet) {
                const std::size_t i = cnetIndex++;
                if (i < cnet->size() && (*cnet)[i].defined()) // ControlNetDeliverer: entry i before the i-th call
                    x = x + nn::resizeBilinearAligned((*cnet)[i].to(x.device(), at::kFloat), x.size(-2), x.size(-1));
            }
            x = res->forward(x, s);
        } else if (auto* timestep = dynamic_cast<TimestepBlockImpl*>(block)) {
            x = timestep->forward(x, rEmbed);
        } else if (auto* attn = dynamic_cast<AttnBlockImpl*>(block)) {
            x = attn->forward(x, kv.at(attn->index));
        } else {
            x = dynamic_cast<FeedForwardBlockImpl&>(*block).forward(x);
        }
    }
    return x;
}

at::Tensor Levels::forward(at::Tensor x, const at::Tensor& rEmbed, const std::vector<AttnKV>& kv,
                           const std::vector<at::Tensor>* cnet) const
{
    if (kv.size() != attnCount_)
        throw Error(ErrorCode::InvalidArgument, "conditioning was encoded for another model (" +
                                                    std::to_string(kv.size()) + " attention blocks, expected " +
                                                    std::to_string(attnCount_) + ")");
    std::size_t cnetIndex = 0;
    const std::size_t n = down_blocks->size();
    // Channels-last activations: depthwise convs, LayerNorm over channels, the NHWC MLPs and attention tokens
    // then work on contiguous memory without permute copies.
    if (x.dim() == 4 && fused::enabled())
        x = x.contiguous(at::MemoryFormat::ChannelsLast);
    std::vector<at::Tensor> levelOutputs; // deepest first, as the official insert(0, x)
    for (std::size_t i = 0; i < n; ++i) {
        x = applyScaler(*down_downscalers->items[i], x);
        const auto& mappers = down_repeat_mappers->at<nn::SequentialImpl>(i);
        for (std::size_t pass = 0; pass <= mappers.size(); ++pass) {
            x = runLevel(down_blocks->at<nn::SequentialImpl>(i), x, {}, rEmbed, kv, cnet, cnetIndex);
            if (pass < mappers.size())
                x = conv(mappers.at<nn::Conv2dImpl>(pass), x);
        }
        levelOutputs.insert(levelOutputs.begin(), x);
    }
    x = levelOutputs.front();
    for (std::size_t u = 0; u < n; ++u) {
        const at::Tensor skip = u > 0 ? levelOutputs[u] : at::Tensor();
        const auto& mappers = up_repeat_mappers->at<nn::SequentialImpl>(u);
        for (std::size_t pass = 0; pass <= mappers.size(); ++pass) { // the skip joins on every pass
            x = runLevel(up_blocks->at<nn::SequentialImpl>(u), x, skip, rEmbed, kv, cnet, cnetIndex);
            if (pass < mappers.size())
                x = conv(mappers.at<nn::Conv2dImpl>(pass), x);
        }
        x = applyScaler(*up_upscalers->items[u], x);
    }
    return x;
}

} // namespace kaskade::models
