#include "pipeline/models/stage_b.h"

#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/models/unet_loading.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace kaskade::models {
namespace {

nn::Sequential makeImageMapper(std::int64_t cIn, std::int64_t c0, const nn::Options& options)
{
    nn::Sequential seq;
    seq->add(nn::Conv2d(cIn, c0 * 4, 1, options));
    seq->add(nn::Placeholder("GELU"));
    seq->add(nn::Conv2d(c0 * 4, c0, 1, options));
    seq->add(nn::Placeholder("LayerNorm2d"));
    return seq;
}

at::Tensor runImageMapper(const nn::SequentialImpl& seq, const at::Tensor& x)
{
    auto h = nn::gelu(conv(seq.at<nn::Conv2dImpl>(0), x)); // (B,4c0,h,w)
    h = conv(seq.at<nn::Conv2dImpl>(2), h);                // (B,c0,h,w)
    return layerNorm2d(h);                                 // (B,c0,h,w) fp32
}

at::Tensor catDefined(const at::Tensor& a, const at::Tensor& b)
{
    return a.defined() && b.defined() ? at::cat({a, b}, 0) : at::Tensor();
}

} // namespace

StageBConditioning StageBConditioning::cat(const StageBConditioning& a, const StageBConditioning& b)
{
    StageBConditioning out;
    catInto(out, a, b);
    out.effnet = at::cat({a.effnet, b.effnet}, 0);
    out.pixels = at::cat({a.pixels, b.pixels}, 0);
    if (a.effnetMapped.defined() && b.effnetMapped.defined() && a.effnetMapped.sizes() == b.effnetMapped.sizes()) {
        out.effnetMapped = catDefined(a.effnetMapped, b.effnetMapped);
        out.pixelsMapped = catDefined(a.pixelsMapped, b.pixelsMapped);
    }
    return out;
}

StageBImpl::StageBImpl(const StageBConfig& config, const at::TensorOptions& options) : config_(config)
{
    validate(config_);
    const auto& levels = config_.levels;
    const std::int64_t c0 = levels.cHidden.front(), p2 = config_.patchSize * config_.patchSize;

    effnet_mapper = register_module("effnet_mapper", makeImageMapper(config_.cEffnet, c0, options));
    pixels_mapper = register_module("pixels_mapper", makeImageMapper(config_.cPixels, c0, options));
    clip_mapper =
        register_module("clip_mapper", nn::Linear(config_.cClip, config_.cCond * config_.cClipSeq, true, options));
    // clip_norm: LayerNorm(c_cond) without parameters.

    embedding->add(nn::Placeholder("PixelUnshuffle"));
    embedding->add(nn::Conv2d(config_.cIn * p2, c0, 1, options));
    embedding->add(nn::Placeholder("LayerNorm2d"));
    register_module("embedding", embedding);

    const auto& c = levels.cHidden;
    auto downscaler = [&](std::size_t i) { // LN2d, Conv2d(c[i-1] → c[i], k2 s2)
        nn::Sequential seq;
        seq->add(nn::Placeholder("LayerNorm2d"));
        seq->add(nn::Conv2d(c[i - 1], c[i], 2, options, 2));
        return seq.ptr();
    };
    auto upscaler = [&](std::size_t i) { // LN2d, ConvTranspose2d(c[i] → c[i-1], k2 s2)
        nn::Sequential seq;
        seq->add(nn::Placeholder("LayerNorm2d"));
        seq->add(nn::ConvTranspose2d(c[i], c[i - 1], 2, options, 2));
        return seq.ptr();
    };
    levels_ = std::make_unique<Levels>(*this, levels, config_.cCond, config_.cR, config_.tConds, config_.kernelSize,
                                       options, downscaler, upscaler);

    clf->add(nn::Placeholder("LayerNorm2d"));
    clf->add(nn::Conv2d(c0, config_.cOut * p2, 1, options));
    clf->add(nn::Placeholder("PixelShuffle"));
    register_module("clf", clf);
}

at::Tensor StageBImpl::clipEmbeddings(const at::Tensor& clipIn) const
{
    if (!clipIn.defined() || (clipIn.dim() != 2 && clipIn.dim() != 3) || clipIn.size(-1) != config_.cClip)
        throw Error(ErrorCode::InvalidArgument, "Stage B: clip must be (B,1," + std::to_string(config_.cClip) +
                                                    "), got " +
                                                    (clipIn.defined() ? shapeString(clipIn.sizes()) : "nothing"));
    const auto clip = clipIn.dim() == 2 ? clipIn.unsqueeze(1) : clipIn; // (B,S,c_clip)
    const auto mapped = linear(*clip_mapper, clip).view({clip.size(0), clip.size(1) * config_.cClipSeq, -1});
    return layerNorm(mapped); // (B,S·4,c_cond)
}

void StageBImpl::mapImageConditions(StageBConditioning& cond, std::int64_t height, std::int64_t width) const
{
    // effnet is resized first, then mapped; pixels are mapped at their own size, then resized.
    const auto effnet = nn::resizeBilinearAligned(cond.effnet.to(at::kFloat), height, width); // (B,c_effnet,h,w)
    cond.effnetMapped = runImageMapper(*effnet_mapper, effnet);                               // (B,c0,h,w)
    cond.pixelsMapped = nn::resizeBilinearAligned(runImageMapper(*pixels_mapper, cond.pixels).to(at::kFloat), height,
                                                  width); // (B,c0,h,w)
}

StageBConditioning StageBImpl::encodeConditioning(const at::Tensor& effnet, const at::Tensor& clip,
                                                  const at::Tensor& pixels, const TConds& tConds,
                                                  std::int64_t latentHeight, std::int64_t latentWidth) const
{
    StageBConditioning cond;
    const auto embedded = clipEmbeddings(clip); // (B,4,c_cond)
    const auto b = embedded.size(0);
    if (!effnet.defined() || effnet.dim() != 4 || effnet.size(0) != b || effnet.size(1) != config_.cEffnet)
        throw Error(ErrorCode::InvalidArgument, "Stage B: effnet must be (" + std::to_string(b) + "," +
                                                    std::to_string(config_.cEffnet) + ",h,w), got " +
                                                    (effnet.defined() ? shapeString(effnet.sizes()) : "nothing"));
    if (pixels.defined() && (pixels.dim() != 4 || pixels.size(0) != b || pixels.size(1) != config_.cPixels))
        throw Error(ErrorCode::InvalidArgument, "Stage B: pixels must be (" + std::to_string(b) + "," +
                                                    std::to_string(config_.cPixels) + ",h,w), got " +
                                                    shapeString(pixels.sizes()));
    cond.attention = levels_->mapConditions(embedded);
    cond.tConds = resolveTConds(config_.tConds, tConds, b, embedded.device());
    cond.batch = b;
    cond.effnet = effnet;
    // Official default: x.new_zeros(B, 3, 8, 8) (float32 like x).
    cond.pixels = pixels.defined() ? pixels : at::zeros({b, config_.cPixels, 8, 8}, effnet.options().dtype(at::kFloat));
    if (latentHeight > 0 && latentWidth > 0)
        mapImageConditions(cond, latentHeight / config_.patchSize, latentWidth / config_.patchSize);
    return cond;
}

at::Tensor StageBImpl::forward(const at::Tensor& x, const at::Tensor& r, const StageBConditioning& cond) const
{
    const auto p = config_.patchSize;
    if (x.dim() != 4 || x.size(1) != config_.cIn || x.size(2) % p != 0 || x.size(3) % p != 0)
        throw Error(ErrorCode::InvalidArgument, "Stage B: x must be (B," + std::to_string(config_.cIn) +
                                                    ",H,W) with H, W multiples of " + std::to_string(p) + ", got " +
                                                    shapeString(x.sizes()));
    if (r.dim() != 1 || r.size(0) != x.size(0) || cond.batch != x.size(0) || cond.effnet.size(0) != x.size(0))
        throw Error(ErrorCode::InvalidArgument, "Stage B: r " + shapeString(r.sizes()) +
                                                    " and the conditioning (batch " + std::to_string(cond.batch) +
                                                    ") must match x " + shapeString(x.sizes()));
    const auto rEmbed = fullREmbedding(r, cond.tConds, config_.cR); // (B,c_r·(1+n))
    auto h =
        at::pixel_unshuffle(x.to(clf->at<nn::Conv2dImpl>(1).weight.device(), at::kFloat), p); // (B,c_in·p²,H/p,W/p)
    h = layerNorm2d(conv(embedding->at<nn::Conv2dImpl>(1), h));                               // (B,c0,H/p,W/p)
    const auto height = h.size(2), width = h.size(3);
    if (cond.effnetMapped.defined() && cond.effnetMapped.size(2) == height && cond.effnetMapped.size(3) == width) {
        h = h + cond.effnetMapped;
        h = h + cond.pixelsMapped;
    } else {
        StageBConditioning mapped;
        mapped.effnet = cond.effnet;
        mapped.pixels = cond.pixels;
        mapImageConditions(mapped, height, width);
        h = h + mapped.effnetMapped;
        h = h + mapped.pixelsMapped;
    }
    h = levels_->forward(h, rEmbed, cond.attention);
    h = conv(clf->at<nn::Conv2dImpl>(1), layerNorm2d(h)); // (B,c_out·p²,H/p,W/p)
    return at::pixel_shuffle(h, p).to(at::kFloat);        // (B,c_out,H,W)
}

at::Tensor StageBImpl::forward(const at::Tensor& x, const at::Tensor& r, const at::Tensor& effnet,
                               const at::Tensor& clip, const at::Tensor& pixels, const TConds& tConds) const
{
    return forward(x, r, encodeConditioning(effnet, clip, pixels, tConds, x.size(-2), x.size(-1)));
}

StageB loadStageB(const TensorMap& weights, const std::string& source, const at::TensorOptions& options,
                  const nlohmann::json* args)
{
    return loadUNet<StageB, StageBConfig>(weights, source, options, args);
}

StageB loadStageB(const std::filesystem::path& file, const at::TensorOptions& options, const nlohmann::json* args)
{
    return loadStageB(st::Reader::open(file)->loadAll(), file.string(), options, args);
}

} // namespace kaskade::models
