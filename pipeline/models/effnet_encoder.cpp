#include "pipeline/models/effnet_encoder.h"

#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace kaskade::models {
namespace {

// torchvision efficientnet_v2_s: first-layer stride of stages 1..6 (not in the checkpoint).
constexpr std::array<std::int64_t, 6> effnetStageStrides{1, 2, 2, 2, 1, 2};
// torchvision's norm_layer for EfficientNetV2: BatchNorm2d(eps=1e-3).
constexpr double effnetBnEps = 1e-3;

const at::Tensor* effnetFind(const TensorMap& weights, const std::string& key)
{
    auto it = weights.find(key);
    return it == weights.end() ? nullptr : &it->second;
}

// The conv weight at `key`, which must be 4-D; throws naming the file and the key.
const at::Tensor& effnetConvWeight(const TensorMap& weights, const std::string& key, const std::string& source)
{
    const auto* t = effnetFind(weights, key);
    if (!t)
        throw Error(ErrorCode::BadCheckpoint,
                    source + ": expected an EfficientNetV2 features module: key '" + key + "' is missing");
    if (t->dim() != 4)
        throw Error(ErrorCode::BadCheckpoint,
                    source + ": '" + key + "' should be a conv weight [out, in, k, k], has " + shapeString(t->sizes()));
    return *t;
}

void effnetExpect(bool ok, const std::string& source, const std::string& key, const std::string& what)
{
    if (!ok)
        throw Error(ErrorCode::BadCheckpoint, source + ": '" + key + "': " + what);
}

// One MBConv / FusedMBConv layer at `p` ("backbone.S.L.block.") with `in` input channels.
EffnetLayerConfig effnetReadLayer(const TensorMap& weights, const std::string& p, std::int64_t in, std::int64_t stride,
                                  const std::string& source)
{
    // block entries: a Conv2dNormActivation ("j.0.weight") or a SqueezeExcitation ("j.fc1.weight").
    std::vector<bool> isSe;
    for (int j = 0;; ++j) {
        const std::string e = p + std::to_string(j);
        if (effnetFind(weights, e + ".0.weight"))
            isSe.push_back(false);
        else if (effnetFind(weights, e + ".fc1.weight"))
            isSe.push_back(true);
        else
            break;
    }
    // A gap (block.1 missing while block.2 exists) would shift the layout: name the missing entry.
    for (auto it = weights.lower_bound(p); it != weights.end() && it->first.compare(0, p.size(), p) == 0; ++it) {
        const auto index = std::strtoul(it->first.c_str() + p.size(), nullptr, 10);
        if (index >= isSe.size())
            throw Error(ErrorCode::BadCheckpoint,
                        source + ": block entry '" + p + std::to_string(isSe.size()) +
                            "' has no conv weight ('.0.weight') or SE ('.fc1.weight'), but '" + it->first + "' exists");
    }
    EffnetLayerConfig layer;
    layer.in = in;
    layer.stride = stride;
    auto w = [&](int j) -> const at::Tensor& {
        return effnetConvWeight(weights, p + std::to_string(j) + ".0.weight", source);
    };
    const std::size_t n = isSe.size();
    const bool hasSe = n == 4 ? isSe[2] : (n == 3 ? isSe[1] : false);
    if (!hasSe) { // FusedMBConv: [k×k in→out] or [k×k in→exp, 1×1 exp→out]
        effnetExpect(n == 1 || n == 2, source, p + "0.0.weight",
                     "unknown block layout (" + std::to_string(n) + " entries)");
        layer.fused = true;
        const auto& first = w(0);
        effnetExpect(first.size(1) == in, source, p + "0.0.weight",
                     "input channels " + std::to_string(first.size(1)) + " != " + std::to_string(in));
        layer.kernel = first.size(2);
        layer.expands = n == 2;
        layer.expanded = first.size(0);
        layer.out = n == 2 ? w(1).size(0) : first.size(0);
        if (n == 2)
            effnetExpect(w(1).size(1) == layer.expanded && w(1).size(2) == 1, source, p + "1.0.weight",
                         "expected a 1×1 projection from " + std::to_string(layer.expanded) + " channels");
        return layer;
    }
    // MBConv: [1×1 expand], depthwise k×k, SE, 1×1 projection.
    layer.expands = n == 4;
    const int dw = layer.expands ? 1 : 0;
    layer.expanded = layer.expands ? w(0).size(0) : in;
    if (layer.expands)
        effnetExpect(w(0).size(1) == in && w(0).size(2) == 1, source, p + "0.0.weight",
                     "expected a 1×1 expansion from " + std::to_string(in) + " channels");
    const auto& depthwise = w(dw);
    effnetExpect(depthwise.size(0) == layer.expanded && depthwise.size(1) == 1, source,
                 p + std::to_string(dw) + ".0.weight",
                 "expected a depthwise conv over " + std::to_string(layer.expanded) + " channels");
    layer.kernel = depthwise.size(2);
    const std::string se = p + std::to_string(dw + 1) + ".fc1.weight";
    layer.squeeze = effnetConvWeight(weights, se, source).size(0);
    layer.out = w(dw + 2).size(0);
    effnetExpect(w(dw + 2).size(1) == layer.expanded, source, p + std::to_string(dw + 2) + ".0.weight",
                 "expected a projection from " + std::to_string(layer.expanded) + " channels");
    return layer;
}

} // namespace

EffnetFeaturesConfig EffnetFeaturesConfig::fromWeights(const TensorMap& weights, const std::string& prefix,
                                                       const std::string& source, c10::optional<bool> paddedStem)
{
    EffnetFeaturesConfig c;
    const auto& stem = effnetConvWeight(weights, prefix + "0.0.weight", source);
    c.stemChannels = stem.size(0);
    c.cIn = stem.size(1);
    c.paddedStem = paddedStem.value_or(true);
    std::int64_t channels = c.stemChannels;
    for (std::size_t s = 0; s < effnetStageStrides.size(); ++s) {
        std::vector<EffnetLayerConfig> stage;
        const std::string sp = prefix + std::to_string(s + 1) + ".";
        for (int l = 0;; ++l) {
            const std::string lp = sp + std::to_string(l) + ".block.";
            if (!effnetFind(weights, lp + "0.0.weight"))
                break;
            stage.push_back(effnetReadLayer(weights, lp, channels, l == 0 ? effnetStageStrides[s] : 1, source));
            channels = stage.back().out;
        }
        if (stage.empty())
            throw Error(ErrorCode::BadCheckpoint, source + ": expected an EfficientNetV2 features module: stage '" +
                                                      sp + "0.block.*' is missing");
        c.stages.push_back(std::move(stage));
    }
    const auto& head = effnetConvWeight(weights, prefix + "7.0.weight", source);
    effnetExpect(head.size(1) == channels && head.size(2) == 1, source, prefix + "7.0.weight",
                 "expected a 1×1 conv from " + std::to_string(channels) + " channels, has " +
                     shapeString(head.sizes()));
    c.lastChannel = head.size(0);
    return c;
}

EffnetFeaturesConfig EffnetFeaturesConfig::efficientNetV2S(std::int64_t cIn)
{
    // torchvision _efficientnet_conf("efficientnet_v2_s"): (kind, expand, kernel, stride, in, out, layers).
    struct Row
    {
        bool fused;
        std::int64_t expand, kernel, stride, in, out, layers;
    };
    constexpr std::array<Row, 6> rows{{{true, 1, 3, 1, 24, 24, 2},
                                       {true, 4, 3, 2, 24, 48, 4},
                                       {true, 4, 3, 2, 48, 64, 4},
                                       {false, 4, 3, 2, 64, 128, 6},
                                       {false, 6, 3, 1, 128, 160, 9},
                                       {false, 6, 3, 2, 160, 256, 15}}};
    EffnetFeaturesConfig c;
    c.cIn = cIn;
    c.stemChannels = 24;
    c.paddedStem = cIn == 3;
    for (const auto& row : rows) {
        std::vector<EffnetLayerConfig> stage;
        for (std::int64_t l = 0; l < row.layers; ++l) {
            EffnetLayerConfig layer;
            layer.fused = row.fused;
            layer.in = l == 0 ? row.in : row.out;
            layer.out = row.out;
            layer.expanded = layer.in * row.expand;
            layer.expands = row.expand != 1;
            layer.kernel = row.kernel;
            layer.stride = l == 0 ? row.stride : 1;
            layer.squeeze = row.fused ? 0 : std::max<std::int64_t>(1, layer.in / 4);
            stage.push_back(layer);
        }
        c.stages.push_back(std::move(stage));
    }
    c.lastChannel = 1280;
    return c;
}

EffnetConvNormActImpl::EffnetConvNormActImpl(std::int64_t in, std::int64_t out, std::int64_t kernel,
                                             std::int64_t stride, std::int64_t groups, bool activation_,
                                             const nn::Options& opts, std::int64_t padding)
    : activation(activation_)
{
    conv = register_module("0", nn::Conv2d(in, out, kernel, opts, stride, padding < 0 ? (kernel - 1) / 2 : padding,
                                           groups, /*bias=*/false));
    norm = register_module("1", nn::BatchNorm2d(out, opts, effnetBnEps));
    if (activation)
        register_module("2", nn::Placeholder("SiLU"));
}

at::Tensor EffnetConvNormActImpl::forward(const at::Tensor& x) const
{
    auto y = norm->forward(conv->forward(x)); // (B,out,h',w')
    return activation ? at::silu(y) : y;
}

EffnetSqueezeExcitationImpl::EffnetSqueezeExcitationImpl(std::int64_t channels, std::int64_t squeeze,
                                                         const nn::Options& opts)
{
    fc1 = register_module("fc1", nn::Conv2d(channels, squeeze, 1, opts));
    fc2 = register_module("fc2", nn::Conv2d(squeeze, channels, 1, opts));
}

at::Tensor EffnetSqueezeExcitationImpl::forward(const at::Tensor& x) const
{
    auto s = at::adaptive_avg_pool2d(x, {1, 1}); // (B,C,1,1)
    s = fc2->forward(at::silu(fc1->forward(s))); // (B,C,1,1)
    return x * at::sigmoid(s);                   // (B,C,h,w)
}

EffnetBlockImpl::EffnetBlockImpl(const EffnetLayerConfig& c, const nn::Options& opts) : config(c)
{
    block = register_module("block", nn::Sequential());
    if (c.fused) {
        if (c.expands) {
            block->add(EffnetConvNormAct(c.in, c.expanded, c.kernel, c.stride, 1, true, opts));
            block->add(EffnetConvNormAct(c.expanded, c.out, 1, 1, 1, /*activation=*/false, opts));
        } else {
            block->add(EffnetConvNormAct(c.in, c.out, c.kernel, c.stride, 1, true, opts));
        }
        return;
    }
    if (c.expands)
        block->add(EffnetConvNormAct(c.in, c.expanded, 1, 1, 1, true, opts));
    block->add(EffnetConvNormAct(c.expanded, c.expanded, c.kernel, c.stride, /*groups=*/c.expanded, true, opts));
    block->add(EffnetSqueezeExcitation(c.expanded, c.squeeze, opts));
    block->add(EffnetConvNormAct(c.expanded, c.out, 1, 1, 1, /*activation=*/false, opts));
}

at::Tensor EffnetBlockImpl::forward(const at::Tensor& x) const
{
    auto h = x;
    for (const auto& item : block->items) {
        if (auto* conv = dynamic_cast<EffnetConvNormActImpl*>(item.get()))
            h = conv->forward(h);
        else
            h = dynamic_cast<EffnetSqueezeExcitationImpl&>(*item).forward(h);
    }
    // Dropped: StochasticDepth (identity in eval).
    return config.residual() ? h + x : h;
}

EfficientNetFeaturesImpl::EfficientNetFeaturesImpl(const EffnetFeaturesConfig& c, const nn::Options& opts) : config(c)
{
    if (c.stages.size() != effnetStageStrides.size())
        throw Error(ErrorCode::InvalidArgument, "EfficientNet features: expected 6 stages");
    auto add = [this](std::shared_ptr<torch::nn::Module> module) {
        register_module(std::to_string(entries.size()), module);
        entries.push_back(std::move(module));
    };
    add(EffnetConvNormAct(c.cIn, c.stemChannels, 3, 2, 1, true, opts, c.paddedStem ? 1 : 0).ptr());
    std::int64_t channels = c.stemChannels;
    for (const auto& stage : c.stages) {
        nn::Sequential seq;
        for (const auto& layer : stage)
            seq->add(EffnetBlock(layer, opts));
        channels = stage.back().out;
        add(seq.ptr());
    }
    add(EffnetConvNormAct(channels, c.lastChannel, 1, 1, 1, true, opts).ptr());
}

at::Tensor EfficientNetFeaturesImpl::forward(const at::Tensor& input) const
{
    const auto& stem = dynamic_cast<EffnetConvNormActImpl&>(*entries.front());
    if (input.dim() != 4 || input.size(1) != config.cIn)
        throw Error(ErrorCode::InvalidArgument, "EfficientNet: input must be (B," + std::to_string(config.cIn) +
                                                    ",H,W), got " + shapeString(input.sizes()));
    const auto& w = stem.conv->weight;
    auto x = input.to(w.device(), w.scalar_type()); // autocast's role: compute in the weights' dtype
    x = stem.forward(x);                            // (B,C0,H/2,W/2)
    for (std::size_t i = 1; i + 1 < entries.size(); ++i) {
        const auto& stage = dynamic_cast<nn::SequentialImpl&>(*entries[i]);
        for (const auto& layer : stage.items)
            x = dynamic_cast<EffnetBlockImpl&>(*layer).forward(x); // strides 1,2,2,2,1,2 per stage
    }
    return dynamic_cast<EffnetConvNormActImpl&>(*entries.back()).forward(x); // (B,last_channel,H/32,W/32)
}

EfficientNetEncoderImpl::EfficientNetEncoderImpl(const EffnetFeaturesConfig& features, std::int64_t cLatent,
                                                 const nn::Options& opts)
{
    backbone = register_module("backbone", EfficientNetFeatures(features, opts));
    mapper = register_module("mapper", nn::Sequential());
    mapper->add(nn::Conv2d(features.lastChannel, cLatent, 1, opts, 1, 0, 1, /*bias=*/false));
    // BatchNorm2d(c_latent, affine=False) with PyTorch's default eps (not torchvision's 1e-3).
    mapper->add(nn::BatchNorm2d(cLatent, opts, 1e-5, /*affine=*/false));
}

at::Tensor EfficientNetEncoderImpl::backboneForward(const at::Tensor& normalized) const
{
    if (normalized.dim() != 4 || normalized.size(1) != 3)
        throw Error(ErrorCode::InvalidArgument,
                    "EfficientNet encoder: images must be (B,3,H,W), got " + shapeString(normalized.sizes()));
    return backbone->forward(normalized).to(at::kFloat); // (B,last_channel,H/32,W/32)
}

at::Tensor EfficientNetEncoderImpl::mapperForward(const at::Tensor& features) const
{
    const auto& conv = mapper->at<nn::Conv2dImpl>(0);
    auto x = conv.forward(features.to(conv.weight.device(), conv.weight.scalar_type())); // (B,16,h,w)
    return mapper->at<nn::BatchNorm2dImpl>(1).forward(x).to(at::kFloat);                 // (B,16,h,w)
}

at::Tensor EfficientNetEncoderImpl::forward(const at::Tensor& normalized) const
{
    const auto& conv = mapper->at<nn::Conv2dImpl>(0);
    auto x = backbone->forward(normalized); // (B,last_channel,h,w), weights' dtype
    return mapper->at<nn::BatchNorm2dImpl>(1).forward(conv.forward(x)).to(at::kFloat); // (B,16,h,w)
}

at::Tensor effnetNormalize(const at::Tensor& images01)
{
    if (images01.dim() != 4 || images01.size(1) != 3)
        throw Error(ErrorCode::InvalidArgument,
                    "EfficientNet: images must be (B,3,H,W) in [0,1], got " + shapeString(images01.sizes()));
    const auto opts = images01.options().dtype(at::kFloat);
    const auto mean = at::tensor({0.485f, 0.456f, 0.406f}, opts).view({1, 3, 1, 1});
    const auto std = at::tensor({0.229f, 0.224f, 0.225f}, opts).view({1, 3, 1, 1});
    return (images01.to(at::kFloat) - mean) / std; // (B,3,H,W)
}

EfficientNetEncoder loadEffnetEncoder(const TensorMap& weights, const std::string& source, at::TensorOptions options)
{
    const auto features = EffnetFeaturesConfig::fromWeights(weights, "backbone.", source, true);
    const auto& mapperWeight = effnetConvWeight(weights, "mapper.0.weight", source);
    effnetExpect(mapperWeight.size(1) == features.lastChannel && mapperWeight.size(2) == 1, source, "mapper.0.weight",
                 "expected a 1×1 conv from " + std::to_string(features.lastChannel) + " channels, has " +
                     shapeString(mapperWeight.sizes()));
    if (features.cIn != 3)
        throw Error(ErrorCode::BadCheckpoint,
                    source + ": 'backbone.0.0.weight' takes " + std::to_string(features.cIn) +
                        " channels; an EfficientNet encoder takes RGB (is this a ControlNet?)");
    EfficientNetEncoder model(features, mapperWeight.size(0), options);
    loadStateDict(*model, weights, source + ": expected an EfficientNet encoder (effnet_encoder.safetensors)");
    model->eval();
    return model;
}

EfficientNetEncoder loadEffnetEncoder(const std::filesystem::path& file, at::TensorOptions options)
{
    return loadEffnetEncoder(st::Reader::open(file)->loadAll(), file.string(), options);
}

at::Tensor effnetEncodeImages(const EfficientNetEncoder& encoder, const at::Tensor& images01)
{
    return encoder->forward(effnetNormalize(images01)); // (B,16,ceil(H/32),ceil(W/32))
}

} // namespace kaskade::models
