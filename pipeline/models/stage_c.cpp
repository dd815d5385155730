#include "pipeline/models/stage_c.h"

#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/models/unet_loading.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace kaskade::models {
namespace {

// (B,c) → (B,1,c) (the official code intends this; its 2-D pooled path is buggy); checks the width.
at::Tensor asTokens(const at::Tensor& t, std::int64_t width, const char* name)
{
    if (!t.defined() || (t.dim() != 2 && t.dim() != 3) || t.size(-1) != width)
        throw Error(ErrorCode::InvalidArgument, std::string("Stage C: ") + name + " must be (B,S," +
                                                    std::to_string(width) + "), got " +
                                                    (t.defined() ? shapeString(t.sizes()) : std::string("nothing")));
    return t.dim() == 2 ? t.unsqueeze(1) : t;
}

} // namespace

StageCConditioning StageCConditioning::cat(const StageCConditioning& a, const StageCConditioning& b)
{
    StageCConditioning out;
    catInto(out, a, b);
    if (a.cnet.size() != b.cnet.size())
        throw Error(ErrorCode::InvalidArgument, "cannot concatenate conditionings with different ControlNet feeds");
    for (std::size_t i = 0; i < a.cnet.size(); ++i)
        out.cnet.push_back(a.cnet[i].defined() && b.cnet[i].defined() ? at::cat({a.cnet[i], b.cnet[i]}, 0)
                                                                      : at::Tensor());
    return out;
}

StageCImpl::StageCImpl(const StageCConfig& config, const at::TensorOptions& options) : config_(config)
{
    validate(config_);
    const auto& levels = config_.levels;
    const std::int64_t c0 = levels.cHidden.front(), p2 = config_.patchSize * config_.patchSize;

    clip_txt_mapper = register_module("clip_txt_mapper", nn::Linear(config_.cClipText, config_.cCond, true, options));
    clip_txt_pooled_mapper = register_module(
        "clip_txt_pooled_mapper", nn::Linear(config_.cClipTextPooled, config_.cCond * config_.cClipSeq, true, options));
    clip_img_mapper = register_module("clip_img_mapper",
                                      nn::Linear(config_.cClipImg, config_.cCond * config_.cClipSeq, true, options));
    // clip_norm: LayerNorm(c_cond) without parameters.

    embedding->add(nn::Placeholder("PixelUnshuffle"));
    embedding->add(nn::Conv2d(config_.cIn * p2, c0, 1, options));
    embedding->add(nn::Placeholder("LayerNorm2d"));
    register_module("embedding", embedding);

    auto scaler = [this, &options](std::size_t level, bool up) {
        const auto& c = config_.levels.cHidden;
        nn::Sequential seq;
        seq->add(nn::Placeholder("LayerNorm2d"));
        const std::int64_t cIn = up ? c[level] : c[level - 1], cOut = up ? c[level - 1] : c[level];
        seq->add(UpDownBlock2d(cIn, cOut, up, config_.switchLevel[level - 1], options));
        return seq.ptr();
    };
    levels_ = std::make_unique<Levels>(
        *this, levels, config_.cCond, config_.cR, config_.tConds, config_.kernelSize, options,
        [&](std::size_t i) { return scaler(i, false); }, [&](std::size_t i) { return scaler(i, true); });

    clf->add(nn::Placeholder("LayerNorm2d"));
    clf->add(nn::Conv2d(c0, config_.cOut * p2, 1, options));
    clf->add(nn::Placeholder("PixelShuffle"));
    register_module("clf", clf);
}

at::Tensor StageCImpl::clipEmbeddings(const at::Tensor& clipText, const at::Tensor& clipTextPooled,
                                      const at::Tensor& clipImg) const
{
    const auto text = asTokens(clipText, config_.cClipText, "clip_text");
    const auto pooled = asTokens(clipTextPooled, config_.cClipTextPooled, "clip_text_pooled");
    const auto img = asTokens(clipImg, config_.cClipImg, "clip_img");
    const auto b = text.size(0);
    if (pooled.size(0) != b || img.size(0) != b)
        throw Error(ErrorCode::InvalidArgument, "Stage C: clip_text, clip_text_pooled and clip_img batches differ");
    const auto txt = linear(*clip_txt_mapper, text); // (B,S,c_cond)
    const auto pool =
        linear(*clip_txt_pooled_mapper, pooled).view({b, pooled.size(1) * config_.cClipSeq, -1});   // (B,4,c_cond)
    const auto image = linear(*clip_img_mapper, img).view({b, img.size(1) * config_.cClipSeq, -1}); // (B,4,c_cond)
    return layerNorm(at::cat({txt, pool, image}, 1));                                               // (B,S+8,c_cond)
}

StageCConditioning StageCImpl::encodeConditioning(const at::Tensor& clipText, const at::Tensor& clipTextPooled,
                                                  const at::Tensor& clipImg, const TConds& tConds) const
{
    StageCConditioning cond;
    const auto clip = clipEmbeddings(clipText, clipTextPooled, clipImg); // (B,S+8,c_cond)
    cond.attention = levels_->mapConditions(clip);
    cond.tConds = resolveTConds(config_.tConds, tConds, clip.size(0), clip.device());
    cond.batch = clip.size(0);
    return cond;
}

at::Tensor StageCImpl::forward(const at::Tensor& x, const at::Tensor& r, const StageCConditioning& cond) const
{
    const auto p = config_.patchSize;
    if (x.dim() != 4 || x.size(1) != config_.cIn || x.size(2) % p != 0 || x.size(3) % p != 0)
        throw Error(ErrorCode::InvalidArgument, "Stage C: x must be (B," + std::to_string(config_.cIn) +
                                                    ",h,w) with h, w multiples of " + std::to_string(p) + ", got " +
                                                    shapeString(x.sizes()));
    if (r.dim() != 1 || r.size(0) != x.size(0) || cond.batch != x.size(0))
        throw Error(ErrorCode::InvalidArgument, "Stage C: r " + shapeString(r.sizes()) +
                                                    " and the conditioning (batch " + std::to_string(cond.batch) +
                                                    ") must match x " + shapeString(x.sizes()));
    const auto rEmbed = fullREmbedding(r, cond.tConds, config_.cR); // (B,c_r·(1+n))
    auto h =
        at::pixel_unshuffle(x.to(clf->at<nn::Conv2dImpl>(1).weight.device(), at::kFloat), p); // (B,c_in·p²,h/p,w/p)
    h = layerNorm2d(conv(embedding->at<nn::Conv2dImpl>(1), h));                               // (B,c0,h/p,w/p)
    h = levels_->forward(h, rEmbed, cond.attention, cond.cnet.empty() ? nullptr : &cond.cnet);
    h = conv(clf->at<nn::Conv2dImpl>(1), layerNorm2d(h)); // (B,c_out·p²,h/p,w/p)
    return at::pixel_shuffle(h, p).to(at::kFloat);        // (B,c_out,h,w)
}

at::Tensor StageCImpl::forward(const at::Tensor& x, const at::Tensor& r, const at::Tensor& clipText,
                               const at::Tensor& clipTextPooled, const at::Tensor& clipImg, const TConds& tConds) const
{
    return forward(x, r, encodeConditioning(clipText, clipTextPooled, clipImg, tConds));
}

StageC loadStageC(const TensorMap& weights, const std::string& source, const at::TensorOptions& options,
                  const nlohmann::json* args)
{
    return loadUNet<StageC, StageCConfig>(weights, source, options, args);
}

StageC loadStageC(const std::filesystem::path& file, const at::TensorOptions& options, const nlohmann::json* args)
{
    return loadStageC(st::Reader::open(file)->loadAll(), file.string(), options, args);
}

} // namespace kaskade::models
