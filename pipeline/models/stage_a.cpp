#include "pipeline/models/stage_a.h"

#include "pipeline/errors.h"

#include <nlohmann/json.hpp>

namespace kaskade::models {
namespace {

std::int64_t positiveField(const nlohmann::json& json, const char* name, std::int64_t fallback)
{
    auto it = json.find(name);
    if (it == json.end())
        return fallback;
    if (!it->is_number_integer() || it->get<std::int64_t>() <= 0)
        throw Error(ErrorCode::BadFormat, std::string("Stage A config: '") + name + "' must be a positive integer");
    return it->get<std::int64_t>();
}

// The integer constructor arguments: fromJson reads and toJson writes them from this table.
constexpr std::pair<const char*, std::int64_t StageAConfig::*> kStageAInts[] = {
    {"levels", &StageAConfig::levels},
    {"bottleneck_blocks", &StageAConfig::bottleneckBlocks},
    {"c_hidden", &StageAConfig::cHidden},
    {"c_latent", &StageAConfig::cLatent},
    {"codebook_size", &StageAConfig::codebookSize},
};

// Runs the entries of an nn.Sequential in order; the entry types are the ones Stage A uses.
at::Tensor runSequential(const nn::SequentialImpl& seq, at::Tensor x)
{
    for (const auto& item : seq.items) {
        if (auto* block = dynamic_cast<stage_a::ResBlockImpl*>(item.get()))
            x = block->forward(x);
        else if (auto* conv = dynamic_cast<nn::Conv2dImpl*>(item.get()))
            x = conv->forward(x);
        else if (auto* up = dynamic_cast<nn::ConvTranspose2dImpl*>(item.get()))
            x = up->forward(x);
        else if (auto* bn = dynamic_cast<nn::BatchNorm2dImpl*>(item.get()))
            x = bn->forward(x);
        else if (auto* inner = dynamic_cast<nn::SequentialImpl*>(item.get()))
            x = runSequential(*inner, x);
        else if (auto* p = dynamic_cast<nn::PlaceholderImpl*>(item.get()); p && p->what == "PixelShuffle(2)")
            x = at::pixel_shuffle(x, 2);
        else if (p && p->what == "PixelUnshuffle(2)")
            x = at::pixel_unshuffle(x, 2);
        else
            throw Error(ErrorCode::Internal, "Stage A: unexpected entry in a Sequential");
    }
    return x;
}

// LayerNorm over the channels of an NCHW tensor, as ResBlock._norm permutes around nn.LayerNorm.
at::Tensor normChannels(const nn::LayerNormImpl& norm, const at::Tensor& x)
{
    return norm.forward(x.permute({0, 2, 3, 1})).permute({0, 3, 1, 2});
}

} // namespace

StageAConfig StageAConfig::fromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        throw Error(ErrorCode::BadFormat, "Stage A config: expected a JSON object");
    StageAConfig c;
    for (const auto& [name, field] : kStageAInts)
        c.*field = positiveField(json, name, c.*field);
    if (auto it = json.find("scale_factor"); it != json.end()) {
        if (!it->is_number() || it->get<double>() <= 0)
            throw Error(ErrorCode::BadFormat, "Stage A config: 'scale_factor' must be a positive number");
        c.scaleFactor = it->get<double>();
    }
    if (c.cHidden % (std::int64_t{1} << (c.levels - 1)) != 0)
        throw Error(ErrorCode::BadFormat, "Stage A config: 'c_hidden' must be divisible by 2^(levels-1)");
    return c;
}

nlohmann::json StageAConfig::toJson() const
{
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, field] : kStageAInts)
        out[name] = this->*field;
    out["scale_factor"] = scaleFactor;
    return out;
}

namespace stage_a {

ResBlockImpl::ResBlockImpl(std::int64_t c, std::int64_t cHidden, const nn::Options& opts)
{
    norm1 = register_module("norm1", nn::LayerNorm(c, opts, 1e-6, /*affine=*/false));
    depthwise = register_module("depthwise", nn::Sequential());
    depthwise->add(nn::Placeholder("ReplicationPad2d(1)"));
    depthwise->add(nn::Conv2d(c, c, 3, opts, /*stride=*/1, /*padding=*/0, /*groups=*/c));
    norm2 = register_module("norm2", nn::LayerNorm(c, opts, 1e-6, /*affine=*/false));
    channelwise = register_module("channelwise", nn::Sequential());
    channelwise->add(nn::Linear(c, cHidden, true, opts));
    channelwise->add(nn::Placeholder("GELU"));
    channelwise->add(nn::Linear(cHidden, c, true, opts));
    gammas = register_parameter("gammas", at::empty({6}, opts), false);
}

at::Tensor ResBlockImpl::forward(const at::Tensor& xIn) const
{
    const auto& g = gammas;
    const auto& conv = depthwise->at<nn::Conv2dImpl>(1);
    const auto& fc1 = channelwise->at<nn::LinearImpl>(0);
    const auto& fc2 = channelwise->at<nn::LinearImpl>(2);

    auto t = normChannels(*norm1, xIn) * (1 + g[0]) + g[1];   // (B,C,H,W)
    t = conv.forward(at::replication_pad2d(t, {1, 1, 1, 1})); // (B,C,H,W)
    auto x = xIn + t * g[2];                                  // (B,C,H,W)

    t = normChannels(*norm2, x) * (1 + g[3]) + g[4];                 // (B,C,H,W)
    t = fc2.forward(nn::gelu(fc1.forward(t.permute({0, 2, 3, 1})))); // (B,H,W,C)
    return x + t.permute({0, 3, 1, 2}) * g[5];                       // (B,C,H,W)
}

VectorQuantizeImpl::VectorQuantizeImpl(std::int64_t embeddingSize, std::int64_t k, const nn::Options& opts)
{
    codebook = register_module("codebook", nn::Embedding(k, embeddingSize, opts));
}

} // namespace stage_a

StageAImpl::StageAImpl(const StageAConfig& cfg, const nn::Options& opts) : config(cfg)
{
    const std::int64_t levels = config.levels;
    std::vector<std::int64_t> c; // c_levels, e.g. [192, 384]
    for (std::int64_t i = levels - 1; i >= 0; --i)
        c.push_back(config.cHidden >> i);

    in_block = register_module("in_block", nn::Sequential());
    in_block->add(nn::Placeholder("PixelUnshuffle(2)"));
    in_block->add(nn::Conv2d(3 * 4, c[0], 1, opts));

    down_blocks = register_module("down_blocks", nn::Sequential());
    for (std::int64_t i = 0; i < levels; ++i) {
        if (i > 0)
            down_blocks->add(nn::Conv2d(c[i - 1], c[i], 4, opts, /*stride=*/2, /*padding=*/1));
        down_blocks->add(stage_a::ResBlock(c[i], c[i] * 4, opts));
    }
    nn::Sequential toLatent;
    toLatent->add(nn::Conv2d(c.back(), config.cLatent, 1, opts, 1, 0, 1, /*bias=*/false));
    toLatent->add(nn::BatchNorm2d(config.cLatent, opts));
    down_blocks->add(toLatent);

    vquantizer = register_module("vquantizer", stage_a::VectorQuantize(config.cLatent, config.codebookSize, opts));

    up_blocks = register_module("up_blocks", nn::Sequential());
    nn::Sequential fromLatent;
    fromLatent->add(nn::Conv2d(config.cLatent, c.back(), 1, opts));
    up_blocks->add(fromLatent);
    for (std::int64_t i = 0; i < levels; ++i) {
        const std::int64_t ci = c[levels - 1 - i];
        for (std::int64_t j = 0; j < (i == 0 ? config.bottleneckBlocks : 1); ++j)
            up_blocks->add(stage_a::ResBlock(ci, ci * 4, opts));
        if (i < levels - 1)
            up_blocks->add(nn::ConvTranspose2d(ci, c[levels - 2 - i], 4, opts, /*stride=*/2, /*padding=*/1));
    }

    out_block = register_module("out_block", nn::Sequential());
    out_block->add(nn::Conv2d(c[0], 3 * 4, 1, opts));
    out_block->add(nn::Placeholder("PixelShuffle(2)"));
}

at::Tensor StageAImpl::encode(const at::Tensor& image) const
{
    const auto dtype = in_block->at<nn::Conv2dImpl>(1).weight.scalar_type();
    auto x = runSequential(*in_block, image.to(dtype)); // (B,c0,H/2,W/2)
    x = runSequential(*down_blocks, x);                 // (B,c_latent,H/2^levels,W/2^levels)
    return x / config.scaleFactor;
}

at::Tensor StageAImpl::decode(const at::Tensor& latent) const
{
    const auto dtype = out_block->at<nn::Conv2dImpl>(0).weight.scalar_type();
    auto x = runSequential(*up_blocks, latent.to(dtype) * config.scaleFactor); // (B,c0,H/2,W/2)
    return runSequential(*out_block, x);                                       // (B,3,H,W)
}

} // namespace kaskade::models
