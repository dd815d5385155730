#include "pipeline/models/stage_a.h"

#include "pipeline/errors.h"
#include "pipeline/runtime/cpu_allocator.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <utility>

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

// Full-resolution work runs over bands of image rows so that no temporary of the 1024² decode's 512²
// level (192 channels, fp32: 0.2 GB per tensor, 0.8 GB for the 4× wider ones, 0.75 GB for the
// upsampling's im2col buffer) exists whole. Every operation is per pixel or reads a fixed neighbourhood of
// rows, so the bands give the same values; gBandElements bounds the widest temporary of a band.
std::atomic<std::int64_t> gBandElements{std::int64_t{16} << 20};

std::int64_t bandRows(std::int64_t elementsPerRow, std::int64_t rows)
{
    return std::clamp<std::int64_t>(gBandElements.load() / std::max<std::int64_t>(1, elementsPerRow), 1, rows);
}

// ConvTranspose2d over bands of input rows. Output row o adds input rows i with o = s·i − p + k' (k' below
// the kernel size), so the output rows of the input band [begin, end) read the input rows
// [begin − ⌊(k−1−p)/s⌋, end + ⌈p/s⌉); a band's output row r is global row r + s·(first input row).
at::Tensor upsampleInBands(const nn::ConvTranspose2dImpl& up, const at::Tensor& x)
{
    const std::int64_t k = up.weight.size(2), s = up.stride, p = up.padding, rows = x.size(2);
    const std::int64_t band = bandRows(x.size(0) * x.size(3) * up.weight.size(1) * k * k, rows);
    if (band >= rows || p > k - 1 || k < s + p) // one piece, or a geometry the halo rule does not cover
        return up.forward(x);
    const std::int64_t before = (k - 1 - p) / s, after = (p + s - 1) / s;
    const std::int64_t outRows = (rows - 1) * s - 2 * p + k, outCols = (x.size(3) - 1) * s - 2 * p + k;
    auto out = at::empty({x.size(0), up.weight.size(1), outRows, outCols}, x.options());
    for (std::int64_t begin = 0; begin < rows; begin += band) {
        const std::int64_t end = std::min(rows, begin + band);
        const std::int64_t from = std::max<std::int64_t>(0, begin - before), to = std::min(rows, end + after);
        const std::int64_t first = s * begin, last = end == rows ? outRows : s * end;
        const auto part = up.forward(x.narrow(2, from, to - from));
        out.narrow(2, first, last - first).copy_(part.narrow(2, first - s * from, last - first));
    }
    return out;
}

// A 1×1 Conv2d over bands of rows: oneDNN copies its whole input into a blocked layout first (0.2 GB for the
// decoder's last conv at 1024²), a band at a time it copies a band.
at::Tensor pointwiseConvInBands(const nn::Conv2dImpl& conv, const at::Tensor& x)
{
    const std::int64_t rows = x.size(2);
    const std::int64_t band = bandRows(4 * x.size(0) * x.size(1) * x.size(3), rows); // a quarter of the budget
    const bool pointwise =
        conv.weight.size(2) == 1 && conv.weight.size(3) == 1 && conv.stride == 1 && conv.padding == 0;
    if (band >= rows || !pointwise)
        return conv.forward(x);
    auto out = at::empty({x.size(0), conv.weight.size(0), rows, x.size(3)}, x.options());
    for (std::int64_t begin = 0; begin < rows; begin += band) {
        const std::int64_t n = std::min(band, rows - begin);
        out.narrow(2, begin, n).copy_(conv.forward(x.narrow(2, begin, n)));
    }
    return out;
}

// Runs the entries of an nn.Sequential in order; the entry types are the ones Stage A uses.
at::Tensor runSequential(const nn::SequentialImpl& seq, at::Tensor x)
{
    for (const auto& item : seq.items) {
        if (auto* block = dynamic_cast<stage_a::ResBlockImpl*>(item.get())) {
            // In place when nothing else holds x or its memory (one full-size tensor less at 1024²).
            if (x.use_count() == 1 && x.storage().use_count() == 1 && !x.requires_grad())
                block->forwardInPlace(x);
            else
                x = block->forward(x);
        } else if (auto* conv = dynamic_cast<nn::Conv2dImpl*>(item.get()))
            x = pointwiseConvInBands(*conv, x);
        else if (auto* up = dynamic_cast<nn::ConvTranspose2dImpl*>(item.get())) {
            releaseCpuCache(); // the finished level's blocks do not fit the next level's shapes
            x = upsampleInBands(*up, x);
        } else if (auto* bn = dynamic_cast<nn::BatchNorm2dImpl*>(item.get()))
            x = bn->forward(x);
        else if (auto* inner = dynamic_cast<nn::SequentialImpl*>(item.get()))
            x = runSequential(*inner, std::move(x));
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

std::int64_t bandElements()
{
    return gBandElements.load();
}

void setBandElements(std::int64_t elements)
{
    gBandElements.store(std::max<std::int64_t>(1, elements));
}

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
    auto x = xIn.clone();
    forwardInPlace(x);
    return x;
}

void ResBlockImpl::forwardInPlace(at::Tensor& x) const
{
    const auto& g = gammas;
    const auto& conv = depthwise->at<nn::Conv2dImpl>(1);
    const auto& fc1 = channelwise->at<nn::LinearImpl>(0);
    const auto& fc2 = channelwise->at<nn::LinearImpl>(2);

    // Both halves run over bands of rows (see gBandElements), sized by the 4× wider hidden activations.
    const std::int64_t rows = x.size(2);
    const std::int64_t band = bandRows(x.size(0) * x.size(3) * fc1.weight.size(0), rows);

    // Depthwise half: a band reads one row above and below (3×3 kernel); the image border is replicated as
    // the official ReplicationPad2d(1) does. A band's result is added into x before the next band reads its
    // row above, so that row is kept as it was. `x + t * g` as `x.add_(t.mul_(g))`: the same values.
    at::Tensor above; // the original row above the current band
    for (std::int64_t begin = 0; begin < rows; begin += band) {
        const std::int64_t end = std::min(rows, begin + band), to = std::min(rows, end + 1);
        auto input = x.narrow(2, begin, to - begin);
        if (begin > 0)
            input = at::cat({above, input}, 2);
        auto t = normChannels(*norm1, input).mul_(1 + g[0]).add_(g[1]);
        t = conv.forward(at::replication_pad2d(t, {1, 1, begin == 0 ? 1 : 0, end == rows ? 1 : 0})); // (B,C,h,W)
        above = x.narrow(2, end - 1, 1).clone();
        x.narrow(2, begin, end - begin).add_(t.mul_(g[2]));
    }

    // Channel-wise half: each pixel on its own.
    for (std::int64_t begin = 0; begin < rows; begin += band) {
        auto part = x.narrow(2, begin, std::min(band, rows - begin));  // (B,C,h,W) view into x
        auto u = normChannels(*norm2, part).mul_(1 + g[3]).add_(g[4]); // (B,C,h,W)
        auto hidden = fc1.forward(u.permute({0, 2, 3, 1}));            // (B,h,W,4C)
        u = fc2.forward(at::gelu_(hidden));                            // (B,h,W,C)
        part.add_(u.permute({0, 3, 1, 2}).mul_(g[5]));                 // (B,C,h,W)
    }
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
    x = runSequential(*down_blocks, std::move(x));      // (B,c_latent,H/2^levels,W/2^levels)
    return x / config.scaleFactor;
}

at::Tensor StageAImpl::decode(const at::Tensor& latent) const
{
    const auto dtype = out_block->at<nn::Conv2dImpl>(0).weight.scalar_type();
    auto x = runSequential(*up_blocks, latent.to(dtype) * config.scaleFactor); // (B,c0,H/2,W/2)
    return runSequential(*out_block, std::move(x));                            // (B,3,H,W)
}

} // namespace kaskade::models
