#include "pipeline/models/controlnet.h"

#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

namespace kaskade {

namespace models {
namespace {

const at::Tensor* cnetFind(const TensorMap& weights, const std::string& key)
{
    auto it = weights.find(key);
    return it == weights.end() ? nullptr : &it->second;
}

const at::Tensor& cnetConvWeight(const TensorMap& weights, const std::string& key, const std::string& source)
{
    const auto* t = cnetFind(weights, key);
    if (!t)
        throw Error(ErrorCode::BadCheckpoint,
                    source + ": expected a Stable Cascade ControlNet: '" + key + "' is missing");
    if (t->dim() != 4)
        throw Error(ErrorCode::BadCheckpoint,
                    source + ": '" + key + "' should be a conv weight [out, in, k, k], has " + shapeString(t->sizes()));
    return *t;
}

at::Tensor cnetLeakyRelu(const at::Tensor& x)
{
    return at::leaky_relu(x, 0.2);
}

// Conv2d with the input cast to the layer's dtype/device (autocast's role).
at::Tensor cnetConv(const nn::Conv2dImpl& conv, const at::Tensor& x)
{
    return conv.forward(x.to(conv.weight.device(), conv.weight.scalar_type()));
}

} // namespace

const char* bottleneckName(ControlNetBottleneck mode) noexcept
{
    switch (mode) {
    case ControlNetBottleneck::Effnet: return "effnet";
    case ControlNetBottleneck::Large: return "large";
    case ControlNetBottleneck::Simple: return "simple";
    }
    return "effnet";
}

std::int64_t ControlNetConfig::listLength() const
{
    return projBlocks.empty() ? 0 : *std::max_element(projBlocks.begin(), projBlocks.end()) + 1;
}

ControlNetConfig ControlNetConfig::fromWeights(const TensorMap& w, const std::string& source,
                                               const nlohmann::json* args)
{
    ControlNetConfig c;
    if (cnetFind(w, "backbone.0.1.running_mean")) {
        c.bottleneck = ControlNetBottleneck::Effnet;
        const auto cIn = cnetConvWeight(w, "backbone.0.0.weight", source).size(1);
        // modules/controlnet.py replaces the stem by an unpadded conv when c_in != 3.
        c.effnet = EffnetFeaturesConfig::fromWeights(w, "backbone.", source, cIn == 3);
        c.cIn = cIn;
        c.embedChannels = c.effnet.lastChannel;
    } else if (cnetFind(w, "backbone.3.blocks.0.weight")) {
        c.bottleneck = ControlNetBottleneck::Large;
        const auto& first = cnetConvWeight(w, "backbone.0.weight", source);
        const auto& second = cnetConvWeight(w, "backbone.2.weight", source);
        c.cIn = first.size(1);
        c.largeHidden = first.size(0);
        c.largeMid = second.size(0);
        if (second.size(1) != c.largeHidden)
            throw Error(ErrorCode::BadCheckpoint, source + ": 'backbone.2.weight' " + shapeString(second.sizes()) +
                                                      " does not follow 'backbone.0.weight' " +
                                                      shapeString(first.sizes()));
        c.largeBlocks = 0;
        while (cnetFind(w, "backbone." + std::to_string(3 + c.largeBlocks) + ".blocks.0.weight"))
            ++c.largeBlocks;
        const auto& last = cnetConvWeight(w, "backbone." + std::to_string(3 + c.largeBlocks) + ".weight", source);
        c.embedChannels = last.size(0);
    } else if (cnetFind(w, "backbone.0.weight") && cnetFind(w, "backbone.2.weight")) {
        c.bottleneck = ControlNetBottleneck::Simple;
        const auto& first = cnetConvWeight(w, "backbone.0.weight", source);
        c.cIn = first.size(1);
        c.largeHidden = first.size(0); // 4·c_in in the official code
        c.embedChannels = cnetConvWeight(w, "backbone.2.weight", source).size(0);
    } else {
        throw Error(ErrorCode::BadCheckpoint,
                    source + ": not a Stable Cascade ControlNet (no 'backbone.*' tensors of the effnet, large or "
                             "simple bottleneck)");
    }
    std::int64_t projections = 0;
    while (cnetFind(w, "projections." + std::to_string(projections) + ".0.weight"))
        ++projections;
    if (projections == 0)
        throw Error(ErrorCode::BadCheckpoint, source + ": ControlNet without 'projections.0.*'");
    c.cProj = cnetConvWeight(w, "projections.0.2.weight", source).size(0);

    if (args) {
        const std::string what = source + " (ControlNet args)";
        if (!args->is_object())
            throw Error(ErrorCode::BadFormat, what + ": expected a JSON object");
        if (auto it = args->find("bottleneck_mode");
            it != args->end() && !it->is_null() && it->get<std::string>() != bottleneckName(c.bottleneck))
            throw Error(ErrorCode::BadCheckpoint, what + ": bottleneck_mode '" + it->get<std::string>() +
                                                      "' but the weights hold the '" + bottleneckName(c.bottleneck) +
                                                      "' bottleneck");
        if (auto it = args->find("c_in"); it != args->end() && it->get<std::int64_t>() != c.cIn)
            throw Error(ErrorCode::BadCheckpoint,
                        what + ": c_in " + it->dump() + " but the weights take " + std::to_string(c.cIn) + " channels");
        if (auto it = args->find("proj_blocks"); it != args->end()) {
            if (!it->is_array())
                throw Error(ErrorCode::BadFormat, what + ": proj_blocks must be a list of integers");
            c.projBlocks.clear();
            for (const auto& v : *it) {
                if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
                    throw Error(ErrorCode::BadFormat, what + ": proj_blocks must be non-negative integers");
                c.projBlocks.push_back(v.get<std::int64_t>());
            }
        }
    }
    if (static_cast<std::int64_t>(c.projBlocks.size()) != projections)
        throw Error(ErrorCode::BadCheckpoint,
                    source + ": the file has " + std::to_string(projections) + " projections but proj_blocks lists " +
                        std::to_string(c.projBlocks.size()) + " blocks" +
                        (args ? std::string() : " (the released list; give proj_blocks in cascade.json)"));
    return c;
}

CNetResBlockImpl::CNetResBlockImpl(std::int64_t c, const nn::Options& opts)
{
    blocks = register_module("blocks", nn::Sequential());
    blocks->add(nn::LayerNorm(c, opts, 1e-5)); // LayerNorm2d(c): affine, PyTorch's default eps
    blocks->add(nn::Placeholder("GELU"));
    blocks->add(nn::Conv2d(c, c, 3, opts, 1, 1));
    blocks->add(nn::LayerNorm(c, opts, 1e-5));
    blocks->add(nn::Placeholder("GELU"));
    blocks->add(nn::Conv2d(c, c, 3, opts, 1, 1));
}

at::Tensor CNetResBlockImpl::forward(const at::Tensor& x) const
{
    const auto& ln1 = blocks->at<nn::LayerNormImpl>(0);
    const auto& ln2 = blocks->at<nn::LayerNormImpl>(3);
    auto h = nn::gelu(nn::layerNorm2d(x, ln1.eps, ln1.weight, ln1.bias)); // (B,c,h,w)
    h = blocks->at<nn::Conv2dImpl>(2).forward(h);
    h = nn::gelu(nn::layerNorm2d(h, ln2.eps, ln2.weight, ln2.bias));
    return x + blocks->at<nn::Conv2dImpl>(5).forward(h); // (B,c,h,w)
}

ControlNetImpl::ControlNetImpl(const ControlNetConfig& c, const nn::Options& opts) : config(c)
{
    if (c.projBlocks.empty())
        throw Error(ErrorCode::InvalidArgument, "ControlNet: proj_blocks is empty");
    switch (c.bottleneck) {
    case ControlNetBottleneck::Effnet:
        backbone = register_module("backbone", EfficientNetFeatures(c.effnet, opts).ptr());
        break;
    case ControlNetBottleneck::Large: {
        nn::Sequential seq;
        seq->add(nn::Conv2d(c.cIn, c.largeHidden, 1, opts));
        seq->add(nn::Placeholder("LeakyReLU"));
        seq->add(nn::Conv2d(c.largeHidden, c.largeMid, 1, opts));
        for (std::int64_t i = 0; i < c.largeBlocks; ++i)
            seq->add(CNetResBlock(c.largeMid, opts));
        seq->add(nn::Conv2d(c.largeMid, c.embedChannels, 1, opts));
        backbone = register_module("backbone", seq.ptr());
        break;
    }
    case ControlNetBottleneck::Simple: {
        nn::Sequential seq;
        seq->add(nn::Conv2d(c.cIn, c.largeHidden, 3, opts, 1, 1));
        seq->add(nn::Placeholder("LeakyReLU"));
        seq->add(nn::Conv2d(c.largeHidden, c.embedChannels, 3, opts, 1, 1));
        backbone = register_module("backbone", seq.ptr());
        break;
    }
    }
    projections = register_module("projections", nn::Sequential());
    for (std::size_t i = 0; i < c.projBlocks.size(); ++i) {
        nn::Sequential proj;
        proj->add(nn::Conv2d(c.embedChannels, c.embedChannels, 1, opts, 1, 0, 1, /*bias=*/false));
        proj->add(nn::Placeholder("LeakyReLU"));
        proj->add(nn::Conv2d(c.embedChannels, c.cProj, 1, opts, 1, 0, 1, /*bias=*/false));
        projections->add(proj);
    }
}

at::Tensor ControlNetImpl::backboneForward(const at::Tensor& x) const
{
    if (x.dim() != 4 || x.size(1) != config.cIn)
        throw Error(ErrorCode::InvalidArgument, std::string("ControlNet (") + bottleneckName(config.bottleneck) +
                                                    "): control input must be (B," + std::to_string(config.cIn) +
                                                    ",H,W), got " + shapeString(x.sizes()));
    if (config.bottleneck == ControlNetBottleneck::Effnet)
        return dynamic_cast<EfficientNetFeaturesImpl&>(*backbone).forward(x).to(at::kFloat); // (B,E,h',w')
    const auto& seq = dynamic_cast<nn::SequentialImpl&>(*backbone);
    auto h = x;
    for (const auto& item : seq.items) {
        if (auto* conv = dynamic_cast<nn::Conv2dImpl*>(item.get()))
            h = cnetConv(*conv, h);
        else if (auto* res = dynamic_cast<CNetResBlockImpl*>(item.get()))
            h = res->forward(h);
        else
            h = cnetLeakyRelu(h); // the only placeholder of these backbones
    }
    return h.to(at::kFloat); // (B,E,H,W)
}

std::vector<at::Tensor> ControlNetImpl::forward(const at::Tensor& x) const
{
    const auto embedding = backboneForward(x); // (B,E,h',w')
    std::vector<at::Tensor> out(static_cast<std::size_t>(config.listLength()));
    for (std::size_t i = 0; i < config.projBlocks.size(); ++i) {
        const auto& proj = projections->at<nn::SequentialImpl>(i);
        auto h = cnetConv(proj.at<nn::Conv2dImpl>(0), embedding);
        h = cnetConv(proj.at<nn::Conv2dImpl>(2), cnetLeakyRelu(h));             // (B,c_proj,h',w')
        out[static_cast<std::size_t>(config.projBlocks[i])] = h.to(at::kFloat); // a repeated index: last one wins
    }
    return out;
}

ControlNet loadControlNet(const TensorMap& weights, const std::string& source, at::TensorOptions options,
                          const nlohmann::json* args)
{
    const auto config = ControlNetConfig::fromWeights(weights, source, args);
    ControlNet model(config, options);
    loadStateDict(*model, weights,
                  source + ": expected a Stable Cascade ControlNet (" + bottleneckName(config.bottleneck) + ")");
    model->eval();
    return model;
}

ControlNet loadControlNet(const std::filesystem::path& file, at::TensorOptions options, const nlohmann::json* args)
{
    return loadControlNet(st::Reader::open(file)->loadAll(), file.string(), options, args);
}

void checkControlNetFitsStageC(const ControlNetConfig& config, std::int64_t stageCWidth, const std::string& source,
                               const std::string& stageCVariant)
{
    if (config.cProj == stageCWidth)
        return;
    const std::string needs = config.cProj == 2048 ? " needs Stage C 3.6B (width 2048)"
                                                   : " needs a Stage C of width " + std::to_string(config.cProj);
    const std::string loaded = stageCVariant.empty() || stageCVariant == "custom"
                                   ? "width " + std::to_string(stageCWidth)
                                   : stageCVariant + " (width " + std::to_string(stageCWidth) + ")";
    throw Error(ErrorCode::Unsupported, source + ": this ControlNet" + needs + "; the loaded Stage C is " + loaded +
                                            ". Use the full stage_c(_bf16).safetensors with the released ControlNets.");
}

std::vector<std::int64_t> stageCResBlockCallWidths(const StageCConfig& stageC)
{
    const auto& l = stageC.levels;
    const auto resBlocks = [&](std::size_t level) {
        const auto& letters = l.levelConfig.at(level);
        return static_cast<std::int64_t>(std::count(letters.begin(), letters.end(), 'C'));
    };
    std::vector<std::int64_t> widths;
    const std::size_t n = l.cHidden.size();
    for (std::size_t i = 0; i < n; ++i) // down path, level 0 first; each repeat pass runs the level again
        for (std::int64_t pass = 0; pass < l.blockRepeat.at(0).at(i); ++pass)
            widths.insert(widths.end(), static_cast<std::size_t>(l.blocks.at(0).at(i) * resBlocks(i)), l.cHidden[i]);
    for (std::size_t u = 0; u < n; ++u) { // up path, deepest level first
        const std::size_t level = n - 1 - u;
        for (std::int64_t pass = 0; pass < l.blockRepeat.at(1).at(u); ++pass)
            widths.insert(widths.end(), static_cast<std::size_t>(l.blocks.at(1).at(u) * resBlocks(level)),
                          l.cHidden[level]);
    }
    return widths;
}

void checkControlNetFitsStageC(const ControlNetConfig& config, const StageCConfig& stageC, const std::string& source)
{
    const auto widths = stageCResBlockCallWidths(stageC);
    for (const auto index : config.projBlocks) {
        const auto i = static_cast<std::size_t>(index);
        if (i < widths.size() && widths[i] != config.cProj)
            checkControlNetFitsStageC(config, widths[i], source, variantName(stageC));
    }
}

void checkControlNetKind(const ControlNetConfig& config, ControlKind kind, const std::string& source)
{
    std::int64_t cIn = 1;
    ControlNetBottleneck mode = ControlNetBottleneck::Effnet;
    switch (kind) {
    case ControlKind::Canny: break;
    case ControlKind::Inpaint: cIn = 4; break;
    case ControlKind::SuperResolution:
        cIn = 16;
        mode = ControlNetBottleneck::Large;
        break;
    }
    if (config.cIn != cIn || config.bottleneck != mode)
        throw Error(ErrorCode::BadCheckpoint,
                    source + ": a " + controlKindName(kind) + " ControlNet takes " + std::to_string(cIn) +
                        " input channels through the '" + bottleneckName(mode) + "' bottleneck; this file has " +
                        std::to_string(config.cIn) + " channels, '" + bottleneckName(config.bottleneck) + "'");
}

} // namespace models
} // namespace kaskade
