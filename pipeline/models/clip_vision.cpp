#include "pipeline/models/clip_vision.h"

#include "pipeline/errors.h"
#include "pipeline/io/safe_files.h"
#include "pipeline/io/state_dict.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace kaskade::models {
namespace {

const std::string clipVisionClassKey = "vision_model.embeddings.class_embedding";

const at::Tensor& clipVisionTensor(const TensorMap& weights, const std::string& key, std::int64_t dims,
                                   const std::string& source)
{
    auto it = weights.find(key);
    if (it == weights.end())
        throw Error(ErrorCode::BadCheckpoint,
                    source + ": expected a CLIP vision model (HF CLIPVisionModelWithProjection): '" + key +
                        "' is missing");
    if (it->second.dim() != dims)
        throw Error(ErrorCode::BadCheckpoint, source + ": '" + key + "' has shape " + shapeString(it->second.sizes()) +
                                                  ", expected " + std::to_string(dims) + " dimensions");
    return it->second;
}

// The vision part of a CLIPConfig, or the CLIPVisionConfig itself.
const nlohmann::json& clipVisionConfigPart(const nlohmann::json& json)
{
    auto it = json.find("vision_config");
    return it != json.end() && it->is_object() ? *it : json;
}

// Whether a config.json lying beside a weight file describes a CLIP vision tower (and not, say, a text encoder).
bool clipVisionConfigApplies(const nlohmann::json& json)
{
    if (!json.is_object())
        return false;
    if (json.contains("vision_config"))
        return true;
    const auto type = json.value("model_type", std::string());
    return type == "clip_vision_model";
}

// A config.json is tiny; the cap and the depth check keep a hostile one (FIFO, /proc file, deep nesting)
// from blocking or overflowing the stack.
nlohmann::json clipVisionReadJson(const std::filesystem::path& file)
{
    return io::readJsonFile(file, 16 << 20);
}

} // namespace

ClipVisionConfig ClipVisionConfig::fromWeights(const TensorMap& w, const nlohmann::json* hfConfig,
                                               const std::string& source)
{
    ClipVisionConfig c;
    const auto& cls = clipVisionTensor(w, clipVisionClassKey, 1, source);
    const auto& patch = clipVisionTensor(w, "vision_model.embeddings.patch_embedding.weight", 4, source);
    const auto& pos = clipVisionTensor(w, "vision_model.embeddings.position_embedding.weight", 2, source);
    const auto& proj = clipVisionTensor(w, "visual_projection.weight", 2, source);
    c.hiddenSize = cls.size(0);
    c.numChannels = patch.size(1);
    c.patchSize = patch.size(2);
    const auto grid = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(pos.size(0) - 1))));
    if (grid * grid + 1 != pos.size(0))
        throw Error(ErrorCode::BadCheckpoint, source + ": position_embedding has " + std::to_string(pos.size(0)) +
                                                  " rows, not a square grid + 1");
    c.imageSize = grid * c.patchSize;
    c.projectionDim = proj.size(0);
    c.numHiddenLayers = 0;
    while (w.count("vision_model.encoder.layers." + std::to_string(c.numHiddenLayers) + ".layer_norm1.weight"))
        ++c.numHiddenLayers;
    if (c.numHiddenLayers == 0)
        throw Error(ErrorCode::BadCheckpoint, source + ": no 'vision_model.encoder.layers.0.*' tensors");
    c.intermediateSize = clipVisionTensor(w, "vision_model.encoder.layers.0.mlp.fc1.weight", 2, source).size(0);
    // Heads are not in the weights: the ViT convention is 64 per head, except the 16-head H/14 and bigG towers.
    c.numAttentionHeads =
        c.hiddenSize == 1280 || c.hiddenSize == 1664 ? 16 : std::max<std::int64_t>(1, c.hiddenSize / 64);
    if (hfConfig) {
        const auto& json = clipVisionConfigPart(*hfConfig);
        c.numAttentionHeads = json.value("num_attention_heads", c.numAttentionHeads);
        c.layerNormEps = json.value("layer_norm_eps", c.layerNormEps);
        const auto act = json.value("hidden_act", std::string("quick_gelu"));
        if (act == "gelu")
            c.hiddenAct = Activation::Gelu;
        else if (act == "quick_gelu")
            c.hiddenAct = Activation::QuickGelu;
        else
            throw Error(ErrorCode::Unsupported,
                        source + ": hidden_act '" + act + "' is not supported (gelu, quick_gelu)");
        const auto hidden = json.value("hidden_size", c.hiddenSize);
        if (hidden != c.hiddenSize)
            throw Error(ErrorCode::BadCheckpoint, source + ": config.json says hidden_size " + std::to_string(hidden) +
                                                      ", the weights have " + std::to_string(c.hiddenSize));
    }
    if (c.numAttentionHeads <= 0 || c.hiddenSize % c.numAttentionHeads != 0)
        throw Error(ErrorCode::BadFormat, source + ": hidden size " + std::to_string(c.hiddenSize) +
                                              " is not divisible by " + std::to_string(c.numAttentionHeads) + " heads");
    return c;
}

ClipTextConfig ClipVisionConfig::layerConfig() const
{
    ClipTextConfig c;
    c.hiddenSize = hiddenSize;
    c.intermediateSize = intermediateSize;
    c.numHiddenLayers = numHiddenLayers;
    c.numAttentionHeads = numAttentionHeads;
    c.layerNormEps = layerNormEps;
    c.hiddenAct = hiddenAct;
    return c;
}

ClipVisionEmbeddingsImpl::ClipVisionEmbeddingsImpl(const ClipVisionConfig& c, const nn::Options& opts)
{
    class_embedding = register_parameter("class_embedding", at::empty({c.hiddenSize}, opts), false);
    patch_embedding = register_module(
        "patch_embedding", nn::Conv2d(c.numChannels, c.hiddenSize, c.patchSize, opts, c.patchSize, 0, 1, false));
    const auto grid = c.imageSize / c.patchSize;
    position_embedding = register_module("position_embedding", nn::Embedding(grid * grid + 1, c.hiddenSize, opts));
}

at::Tensor ClipVisionEmbeddingsImpl::forward(const at::Tensor& pixelValues) const
{
    const auto b = pixelValues.size(0);
    auto patches = patch_embedding->forward(pixelValues).flatten(2).transpose(1, 2);     // (B,g²,D) row-major
    auto cls = class_embedding.view({1, 1, -1}).expand({b, 1, class_embedding.size(0)}); // (B,1,D)
    return at::cat({cls, patches}, 1) + position_embedding->weight.unsqueeze(0);         // (B,N,D)
}

ClipVisionTransformerImpl::ClipVisionTransformerImpl(const ClipVisionConfig& c, const nn::Options& opts)
{
    embeddings = register_module("embeddings", ClipVisionEmbeddings(c, opts));
    pre_layrnorm = register_module("pre_layrnorm", nn::LayerNorm(c.hiddenSize, opts, c.layerNormEps));
    encoder = register_module("encoder", ClipEncoder(c.layerConfig(), opts));
    post_layernorm = register_module("post_layernorm", nn::LayerNorm(c.hiddenSize, opts, c.layerNormEps));
}

ClipVisionModelImpl::ClipVisionModelImpl(const ClipVisionConfig& c, const nn::Options& opts) : config(c)
{
    vision_model = register_module("vision_model", ClipVisionTransformer(c, opts));
    visual_projection =
        register_module("visual_projection", nn::Linear(c.hiddenSize, c.projectionDim, /*bias=*/false, opts));
}

ClipVisionOutput ClipVisionModelImpl::forward(const at::Tensor& pixelValuesIn, bool keepHiddenStates) const
{
    const auto s = config.imageSize;
    if (pixelValuesIn.dim() != 4 || pixelValuesIn.size(1) != config.numChannels || pixelValuesIn.size(2) != s ||
        pixelValuesIn.size(3) != s)
        throw Error(ErrorCode::InvalidArgument, "CLIP vision model: pixel_values must be (B," +
                                                    std::to_string(config.numChannels) + "," + std::to_string(s) + "," +
                                                    std::to_string(s) + "), got " + shapeString(pixelValuesIn.sizes()));
    const auto& weight = visual_projection->weight;
    const auto pixels = pixelValuesIn.to(weight.device(), weight.scalar_type());
    ClipVisionOutput out;
    auto x = vision_model->pre_layrnorm->forward(vision_model->embeddings->forward(pixels)); // (B,N,D)
    if (keepHiddenStates)
        out.hiddenStates.push_back(x);
    // No attention mask in the vision tower; the shared layer takes an additive one, so pass zeros.
    const auto n = x.size(1);
    const auto mask = at::zeros({1, 1, n, n}, x.options()); // (1,1,N,N)
    const auto& layers = *vision_model->encoder->layers;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        x = layers.at<ClipEncoderLayerImpl>(i).forward(x, mask); // (B,N,D)
        if (keepHiddenStates)
            out.hiddenStates.push_back(x);
    }
    out.lastHiddenState = x;                                                  // (B,N,D)
    out.poolerOutput = vision_model->post_layernorm->forward(x.select(1, 0)); // (B,D)
    out.imageEmbeds = visual_projection->forward(out.poolerOutput);           // (B,P)
    return out;
}

at::Tensor clipPreprocess(const at::Tensor& images01, int size)
{
    if (images01.dim() != 4 || images01.size(1) != 3 || images01.size(2) < 1 || images01.size(3) < 1 || size < 1)
        throw Error(ErrorCode::InvalidArgument,
                    "CLIP preprocessing: images must be (B,3,H,W), got " + shapeString(images01.sizes()));
    auto x = images01.to(at::kFloat);
    const auto h = x.size(2), w = x.size(3);
    // torchvision Resize(size): the shorter side becomes `size`, the longer int(size·long/short).
    const auto shorter = std::min(h, w), longer = std::max(h, w);
    const auto newLong = static_cast<std::int64_t>(static_cast<double>(size) * static_cast<double>(longer) /
                                                   static_cast<double>(shorter));
    const std::int64_t oh = h <= w ? size : newLong, ow = h <= w ? newLong : size;
    if (oh != h || ow != w)
        x = at::upsample_bicubic2d(x, {oh, ow}, /*align_corners=*/false); // a = -0.75, no antialias, no clamp
    // CenterCrop: offsets int(round((h - size) / 2)) with Python's round (half to even).
    const auto top = static_cast<std::int64_t>(std::nearbyint(static_cast<double>(oh - size) / 2.0));
    const auto left = static_cast<std::int64_t>(std::nearbyint(static_cast<double>(ow - size) / 2.0));
    x = x.slice(2, top, top + size).slice(3, left, left + size); // (B,3,size,size)
    const auto opts = x.options();
    const auto mean = at::tensor({0.48145466f, 0.4578275f, 0.40821073f}, opts).view({1, 3, 1, 1});
    const auto std = at::tensor({0.26862954f, 0.26130258f, 0.27577711f}, opts).view({1, 3, 1, 1});
    return ((x - mean) / std).contiguous(); // (B,3,size,size)
}

TensorMap clipVisionTensors(const TensorMap& fileTensors, const std::string& source)
{
    // The prefix in front of the HF names: "", "clip_l_vision.", "clip_vision.", "image_encoder." ...
    std::string prefix;
    bool found = false;
    for (const auto& [key, tensor] : fileTensors) {
        if (key.size() >= clipVisionClassKey.size() &&
            key.compare(key.size() - clipVisionClassKey.size(), clipVisionClassKey.size(), clipVisionClassKey) == 0) {
            prefix = key.substr(0, key.size() - clipVisionClassKey.size());
            found = true;
            break;
        }
    }
    if (!found) {
        const bool openClip = fileTensors.count("visual.class_embedding") || fileTensors.count("visual.proj");
        throw Error(
            ErrorCode::BadCheckpoint,
            source + ": no CLIP vision tower in HF layout ('vision_model.embeddings.class_embedding')" +
                (openClip ? "; OpenCLIP 'visual.*' files are not supported, use the HF image_encoder/ files" : ""));
    }
    TensorMap out;
    for (const auto& [key, tensor] : fileTensors) {
        if (key.compare(0, prefix.size(), prefix) != 0)
            continue; // other networks of an all-in-one file
        std::string name = key.substr(prefix.size());
        // Dropped by rule: the text tower and logit_scale of a full CLIPModel; the constant position_ids.
        if (name == "vision_model.embeddings.position_ids")
            continue;
        if (name.starts_with("vision_model.") || name.starts_with("visual_projection."))
            out.emplace(std::move(name), tensor);
    }
    return out;
}

ClipVisionModel loadClipVision(const TensorMap& hfTensors, const nlohmann::json* hfConfig, const std::string& source,
                               at::TensorOptions options)
{
    const auto config = ClipVisionConfig::fromWeights(hfTensors, hfConfig, source);
    ClipVisionModel model(config, options);
    loadStateDict(*model, hfTensors, source + ": expected a CLIP vision model (CLIPVisionModelWithProjection)");
    model->eval();
    return model;
}

ClipVisionModel loadClipVision(const std::filesystem::path& fileOrDir, at::TensorOptions options)
{
    std::filesystem::path file = fileOrDir;
    std::filesystem::path configFile;
    std::error_code ec;
    if (std::filesystem::is_directory(fileOrDir, ec)) {
        for (const char* name : {"model.safetensors", "model.bf16.safetensors", "model.fp16.safetensors"}) {
            if (std::filesystem::is_regular_file(fileOrDir / name, ec)) {
                file = fileOrDir / name;
                break;
            }
        }
        if (file == fileOrDir)
            throw Error(ErrorCode::FileNotFound,
                        fileOrDir.string() + ": no model.safetensors (CLIP image encoder) in this folder");
    } else if (!std::filesystem::exists(fileOrDir, ec)) {
        throw Error(ErrorCode::FileNotFound, fileOrDir.string() + ": no such file (CLIP image encoder)");
    }
    configFile = file.parent_path() / "config.json";
    nlohmann::json config;
    bool haveConfig = false;
    if (std::filesystem::is_regular_file(configFile, ec)) {
        config = clipVisionReadJson(configFile);
        haveConfig = clipVisionConfigApplies(config);
    }
    const auto tensors = clipVisionTensors(st::Reader::open(file)->loadAll(), file.string());
    return loadClipVision(tensors, haveConfig ? &config : nullptr, file.string(), options);
}

} // namespace kaskade::models
