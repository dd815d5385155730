#include "pipeline/io/name_rules_text.h"

#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"

#include <ATen/ATen.h>

#include <array>
#include <map>
#include <string_view>
#include <vector>

namespace kaskade {
namespace {

struct Rename
{
    std::string_view openClip;
    std::string_view hf;
};

// Per layer: OpenCLIP 'transformer.resblocks.{L}.' + openClip <-> HF 'text_model.encoder.layers.{L}.' + hf.
constexpr std::string_view kOpenClipLayer = "transformer.resblocks.";
constexpr std::string_view kHfLayer = "text_model.encoder.layers.";
constexpr Rename kLayerRenames[] = {
    {"ln_1.weight", "layer_norm1.weight"},
    {"ln_1.bias", "layer_norm1.bias"},
    {"ln_2.weight", "layer_norm2.weight"},
    {"ln_2.bias", "layer_norm2.bias"},
    {"attn.out_proj.weight", "self_attn.out_proj.weight"},
    {"attn.out_proj.bias", "self_attn.out_proj.bias"},
    {"mlp.c_fc.weight", "mlp.fc1.weight"},
    {"mlp.c_fc.bias", "mlp.fc1.bias"},
    {"mlp.c_proj.weight", "mlp.fc2.weight"},
    {"mlp.c_proj.bias", "mlp.fc2.bias"},
};
// Packed attention input (nn.MultiheadAttention): [3D, D] / [3D] = q, k, v stacked by rows, in that order.
constexpr std::string_view kPackedWeight = "attn.in_proj_weight";
constexpr std::string_view kPackedBias = "attn.in_proj_bias";
constexpr std::array<std::string_view, 3> kQkv = {"q", "k", "v"};

constexpr Rename kTopRenames[] = {
    {"token_embedding.weight", "text_model.embeddings.token_embedding.weight"},
    {"positional_embedding", "text_model.embeddings.position_embedding.weight"},
    {"ln_final.weight", "text_model.final_layer_norm.weight"},
    {"ln_final.bias", "text_model.final_layer_norm.bias"},
};
// OpenCLIP and ComfyUI apply the projection as pooled @ P with P [D, proj]; HF stores Pᵀ.
constexpr std::string_view kTransposedProjection = "text_projection";
constexpr std::string_view kHfProjection = "text_projection.weight";
constexpr std::string_view kHfTokenEmbedding = "text_model.embeddings.token_embedding.weight";

// ComfyUI all-in-one Stable Cascade checkpoints (Stable_Cascade_C text_encoder_key_prefix + "clip_g.").
constexpr std::string_view kComfyOuter = "text_encoder.clip_g.";
constexpr std::string_view kComfyPrefix = "text_encoder.clip_g.transformer.";

// Where text encoders are found, most specific first.
const std::vector<TextEncoderLocation>& knownLocations()
{
    static const std::vector<TextEncoderLocation> locations = {
        {TextLayout::HuggingFace, "", ""}, // text_encoder/model.safetensors
        {TextLayout::HuggingFace, std::string(kComfyPrefix), std::string(kComfyOuter)}, // ComfyUI all-in-one
        {TextLayout::HuggingFace, "clip_g.transformer.", "clip_g."},                    // ComfyUI text encoder save
        {TextLayout::OpenClip, "", ""},                                                 // OpenCLIP model
        {TextLayout::OpenClip, "conditioner.embedders.1.model.", ""},                   // SGM (SDXL-style)
    };
    return locations;
}

// File-format leftovers that are not text encoder weights (dropped by name).
bool droppedOpenClip(std::string_view rest)
{
    return rest == "logit_scale" || rest == "logit_bias" || rest == "attn_mask" || rest.starts_with("visual.");
}
bool droppedHf(std::string_view rest)
{
    return rest == "logit_scale" || rest == "visual_projection.weight" || rest.starts_with("vision_model.");
}

// "12.ln_1.weight" -> {"12", "ln_1.weight"}; empty layer when malformed.
std::pair<std::string, std::string> splitLayer(std::string_view rest)
{
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos || dot == 0)
        return {};
    for (char c : rest.substr(0, dot))
        if (c < '0' || c > '9')
            return {};
    return {std::string(rest.substr(0, dot)), std::string(rest.substr(dot + 1))};
}

class Output
{
public:
    Output(TensorMap& out, const std::string& what) : out_(out), what_(what) {}
    void put(const std::string& name, const at::Tensor& tensor, const std::string& from)
    {
        if (!out_.emplace(name, tensor).second)
            throw Error(ErrorCode::BadCheckpoint, what_ + ": two tensors map to the text encoder's '" + name +
                                                      "' (the second is '" + from + "')");
    }

private:
    TensorMap& out_;
    const std::string& what_;
};

void putPacked(Output& out, const std::string& hfLayer, std::string_view kind, const std::string& from,
               const at::Tensor& packed, const std::string& what)
{
    if (packed.dim() < 1 || packed.size(0) % 3 != 0)
        throw Error(ErrorCode::BadCheckpoint,
                    what + ": '" + from + "' has shape " + shapeString(packed.sizes()) + ", expected [3*D, ...]");
    const auto parts = packed.chunk(3, 0); // q, k, v
    for (std::size_t i = 0; i < 3; ++i)
        out.put(hfLayer + "self_attn." + std::string(kQkv[i]) + "_proj." + std::string(kind), parts[i], from);
}

// One OpenCLIP key (`rest` = key without the prefix) to HF name(s).
void convertOpenClip(const std::string& key, std::string_view rest, const at::Tensor& tensor, Output& out,
                     const std::string& what)
{
    if (droppedOpenClip(rest))
        return;
    if (rest == kTransposedProjection)
        return out.put(std::string(kHfProjection), tensor.t(), key);
    for (const auto& r : kTopRenames)
        if (rest == r.openClip)
            return out.put(std::string(r.hf), tensor, key);
    if (rest.starts_with(kOpenClipLayer)) {
        const auto [layer, suffix] = splitLayer(rest.substr(kOpenClipLayer.size()));
        const std::string hfLayer = std::string(kHfLayer) + layer + ".";
        if (!layer.empty()) {
            for (const auto& r : kLayerRenames)
                if (suffix == r.openClip)
                    return out.put(hfLayer + std::string(r.hf), tensor, key);
            if (suffix == kPackedWeight || suffix == kPackedBias)
                return putPacked(out, hfLayer, suffix == kPackedWeight ? "weight" : "bias", key, tensor, what);
        }
    }
    out.put(std::string(rest), tensor, key); // unknown: loading reports it
}

} // namespace

std::string TextEncoderLocation::describe() const
{
    std::string text = layout == TextLayout::HuggingFace ? "HF transformers names" : "OpenCLIP names";
    text += prefix.empty() ? " at the root" : " under '" + prefix + "'";
    if (!outer.empty())
        text += " (projection may be '" + outer + "text_projection')";
    return text;
}

std::optional<TextEncoderLocation> findTextEncoder(const TensorMap& tensors)
{
    for (const auto& location : knownLocations()) {
        const std::string probe =
            location.prefix +
            std::string(location.layout == TextLayout::HuggingFace ? kHfTokenEmbedding : kTopRenames[0].openClip);
        if (tensors.count(probe))
            return location;
    }
    return std::nullopt;
}

TensorMap textEncoderToHf(const TensorMap& tensors, const std::string& what)
{
    const auto location = findTextEncoder(tensors);
    if (!location)
        throw Error(ErrorCode::BadCheckpoint,
                    what + ": no text encoder found (looked for '" + std::string(kHfTokenEmbedding) +
                        "' and OpenCLIP 'token_embedding.weight', at the root and under ComfyUI/SGM prefixes)");
    TensorMap result;
    Output out(result, what);
    const std::string& prefix = location->prefix;
    const std::string& outer = location->outer;
    for (const auto& [key, tensor] : tensors) {
        if (!key.starts_with(prefix)) {
            // ComfyUI keeps the transposed projection (and logit_scale) next to 'transformer.'.
            if (!outer.empty() && key.starts_with(outer)) {
                const std::string_view rest = std::string_view(key).substr(outer.size());
                if (rest == kTransposedProjection)
                    out.put(std::string(kHfProjection), tensor.t(), key);
                else if (rest != "logit_scale")
                    out.put(key, tensor, key); // unknown: loading reports it under its file name
            }
            continue; // another part of the file
        }
        const std::string_view rest = std::string_view(key).substr(prefix.size());
        if (location->layout == TextLayout::HuggingFace) {
            if (!droppedHf(rest))
                out.put(std::string(rest), tensor, key);
            continue;
        }
        convertOpenClip(key, rest, tensor, out, what);
    }
    return result;
}

TensorMap hfToOpenClip(const TensorMap& hf, const std::string& prefix)
{
    TensorMap result;
    // layer -> q, k, v for weight and bias
    std::map<std::string, std::array<at::Tensor, 3>> packedWeights, packedBiases;
    for (const auto& [key, tensor] : hf) {
        const std::string_view name = key;
        if (name == "text_model.embeddings.position_ids")
            continue;
        if (name == kHfProjection) {
            result.emplace(prefix + std::string(kTransposedProjection), tensor.t().contiguous());
            continue;
        }
        bool renamed = false;
        for (const auto& r : kTopRenames)
            if (name == r.hf) {
                result.emplace(prefix + std::string(r.openClip), tensor);
                renamed = true;
            }
        if (!renamed && name.starts_with(kHfLayer)) {
            const auto [layer, suffix] = splitLayer(name.substr(kHfLayer.size()));
            for (const auto& r : kLayerRenames)
                if (!layer.empty() && suffix == r.hf) {
                    result.emplace(prefix + std::string(kOpenClipLayer) + layer + "." + std::string(r.openClip),
                                   tensor);
                    renamed = true;
                }
            for (std::size_t i = 0; i < 3 && !layer.empty(); ++i) {
                const std::string proj = "self_attn." + std::string(kQkv[i]) + "_proj.";
                if (suffix == proj + "weight" || suffix == proj + "bias") {
                    (suffix.ends_with("weight") ? packedWeights : packedBiases)[layer][i] = tensor;
                    renamed = true;
                }
            }
        }
        if (!renamed)
            throw Error(ErrorCode::InvalidArgument, "no OpenCLIP name for the text encoder tensor '" + key + "'");
    }
    for (const auto* packed : {&packedWeights, &packedBiases})
        for (const auto& [layer, qkv] : *packed) {
            if (!qkv[0].defined() || !qkv[1].defined() || !qkv[2].defined())
                throw Error(ErrorCode::InvalidArgument, "layer " + layer + " lacks one of q/k/v_proj");
            const auto suffix = packed == &packedWeights ? kPackedWeight : kPackedBias;
            result.emplace(prefix + std::string(kOpenClipLayer) + layer + "." + std::string(suffix),
                           at::cat({qkv[0], qkv[1], qkv[2]}, 0)); // (3D, ...)
        }
    return result;
}

TensorMap hfToComfyUi(const TensorMap& hf, bool transposedProjection)
{
    TensorMap result;
    for (const auto& [key, tensor] : hf) {
        if (transposedProjection && key == kHfProjection)
            result.emplace(std::string(kComfyOuter) + std::string(kTransposedProjection), tensor.t().contiguous());
        else
            result.emplace(std::string(kComfyPrefix) + key, tensor);
    }
    return result;
}

} // namespace kaskade
