#include "pipeline/models/clip_text.h"

#include "pipeline/errors.h"
#include "pipeline/io/safe_files.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/runtime/torch_compat.h"

#include <ATen/Dispatch.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <limits>

namespace kaskade::models {
namespace {

std::int64_t textConfigField(const nlohmann::json& json, const char* key, std::int64_t fallback,
                             const std::string& what)
{
    const auto it = json.find(key);
    if (it == json.end() || it->is_null())
        return fallback;
    if (!it->is_number_integer() || it->get<std::int64_t>() <= 0)
        throw Error(ErrorCode::BadFormat, what + ": '" + key + "' must be a positive integer, got " + it->dump());
    return it->get<std::int64_t>();
}

// The positive integer fields of HF's CLIPTextConfig and the default HF takes when a config leaves one
// out (CLIPTextConfig.__init__, not the bigG values): fromJson reads and toJson writes them from here.
struct TextIntField
{
    const char* name;
    std::int64_t ClipTextConfig::*field;
    std::int64_t hfDefault;
};

constexpr TextIntField kTextInts[] = {
    {"vocab_size", &ClipTextConfig::vocabSize, 49408},
    {"hidden_size", &ClipTextConfig::hiddenSize, 512},
    {"intermediate_size", &ClipTextConfig::intermediateSize, 2048},
    {"num_hidden_layers", &ClipTextConfig::numHiddenLayers, 12},
    {"num_attention_heads", &ClipTextConfig::numAttentionHeads, 8},
    {"max_position_embeddings", &ClipTextConfig::maxPositionEmbeddings, 77},
    {"projection_dim", &ClipTextConfig::projectionDim, 512},
};

const char* activationName(Activation activation)
{
    return activation == Activation::Gelu ? "gelu" : "quick_gelu";
}

Activation activationFromName(const std::string& name, const std::string& what)
{
    if (name == "gelu")
        return Activation::Gelu;
    if (name == "quick_gelu")
        return Activation::QuickGelu;
    throw Error(ErrorCode::Unsupported, what + ": hidden_act '" + name + "' is not supported (gelu, quick_gelu)");
}

// The most negative finite value of a floating dtype, as HF's torch.finfo(dtype).min.
double lowestValue(at::ScalarType dtype)
{
    double lowest = 0;
    AT_DISPATCH_FLOATING_TYPES_AND2(at::kHalf, at::kBFloat16, dtype, "lowestValue",
                                    [&] { lowest = static_cast<double>(std::numeric_limits<scalar_t>::lowest()); });
    return lowest;
}

} // namespace

ClipTextConfig ClipTextConfig::fromJson(const nlohmann::json& root, const std::string& what)
{
    if (!root.is_object())
        throw Error(ErrorCode::BadFormat, what + ": not a JSON object");
    // A full CLIPConfig nests the text tower's fields.
    const nlohmann::json& json =
        root.contains("text_config") && root["text_config"].is_object() ? root["text_config"] : root;
    // HF CLIPTextConfig.__init__ defaults (transformers >= 4.31).
    ClipTextConfig c;
    for (const auto& field : kTextInts)
        c.*field.field = textConfigField(json, field.name, field.hfDefault, what);
    // A 300-byte config must not allocate gigabytes: bound the size it describes before building anything
    // (CLIP-bigG, the largest text encoder Stable Cascade uses, has 0.7 B parameters).
    const double parameters =
        static_cast<double>(c.vocabSize + c.maxPositionEmbeddings + c.projectionDim) * c.hiddenSize +
        static_cast<double>(c.numHiddenLayers) *
            (4.0 * c.hiddenSize * c.hiddenSize + 2.0 * c.hiddenSize * c.intermediateSize);
    if (parameters > 4e9 || c.numAttentionHeads > c.hiddenSize)
        throw Error(ErrorCode::BadFormat, what + ": describes a text encoder of " + std::to_string(parameters / 1e9) +
                                              " billion parameters (CLIP-bigG has 0.7): not a CLIP text config");
    const auto id = [&](const char* key, std::int64_t fallback) {
        const auto it = json.find(key);
        if (it == json.end() || it->is_null())
            return fallback;
        if (!it->is_number_integer())
            throw Error(ErrorCode::BadFormat, what + ": '" + key + "' must be an integer, got " + it->dump());
        return it->get<std::int64_t>();
    };
    c.bosTokenId = id("bos_token_id", 49406);
    c.eosTokenId = id("eos_token_id", 49407);
    const auto act = json.find("hidden_act");
    if (act != json.end() && !act->is_string())
        throw Error(ErrorCode::BadFormat, what + ": 'hidden_act' must be a string");
    c.hiddenAct = activationFromName(act == json.end() ? std::string{"quick_gelu"} : act->get<std::string>(), what);
    if (auto it = json.find("layer_norm_eps"); it != json.end()) {
        if (!it->is_number() || it->get<double>() <= 0)
            throw Error(ErrorCode::BadFormat, what + ": 'layer_norm_eps' must be a positive number");
        c.layerNormEps = it->get<double>();
    }
    if (c.hiddenSize % c.numAttentionHeads != 0)
        throw Error(ErrorCode::BadFormat, what + ": hidden_size " + std::to_string(c.hiddenSize) +
                                              " is not divisible by num_attention_heads " +
                                              std::to_string(c.numAttentionHeads));
    return c;
}

nlohmann::json ClipTextConfig::toJson(const std::string& torchDtype) const
{
    nlohmann::json out = {{"architectures", {"CLIPTextModelWithProjection"}}, {"model_type", "clip_text_model"}};
    for (const auto& field : kTextInts)
        out[field.name] = this->*field.field;
    out["layer_norm_eps"] = layerNormEps;
    out["hidden_act"] = activationName(hiddenAct);
    out["bos_token_id"] = bosTokenId;
    out["eos_token_id"] = eosTokenId;
    out["pad_token_id"] = eosTokenId;
    out["torch_dtype"] = torchDtype;
    return out;
}

ClipTextConfig ClipTextConfig::fromFile(const std::filesystem::path& configJson)
{
    // Regular files only, bounded size and nesting (a FIFO or a 100,000-deep array would hang or crash).
    return fromJson(io::readJsonFile(configJson, 16 << 20), configJson.string());
}

ClipAttentionImpl::ClipAttentionImpl(const ClipTextConfig& config, const nn::Options& opts)
    : heads(config.numAttentionHeads)
{
    const auto d = config.hiddenSize;
    q_proj = register_module("q_proj", nn::Linear(d, d, true, opts));
    k_proj = register_module("k_proj", nn::Linear(d, d, true, opts));
    v_proj = register_module("v_proj", nn::Linear(d, d, true, opts));
    out_proj = register_module("out_proj", nn::Linear(d, d, true, opts));
}

at::Tensor ClipAttentionImpl::forward(const at::Tensor& x, const at::Tensor& mask) const
{
    const auto b = x.size(0), t = x.size(1), d = x.size(2);
    auto split = [&](const at::Tensor& y) { return y.view({b, t, heads, d / heads}).transpose(1, 2); };
    auto q = split(q_proj->forward(x)); // (B,H,T,hd)
    auto k = split(k_proj->forward(x)); // (B,H,T,hd)
    auto v = split(v_proj->forward(x)); // (B,H,T,hd)
    // softmax(q kᵀ / sqrt(hd) + mask) v; HF scales q by hd^-0.5 first: equal up to rounding. Dropout 0 dropped.
    auto a = compat::scaledDotProductAttention(q, k, v, mask); // (B,H,T,hd)
    a = a.transpose(1, 2).reshape({b, t, d});                  // (B,T,D)
    return out_proj->forward(a);                               // (B,T,D)
}

ClipMlpImpl::ClipMlpImpl(const ClipTextConfig& config, const nn::Options& opts) : activation(config.hiddenAct)
{
    fc1 = register_module("fc1", nn::Linear(config.hiddenSize, config.intermediateSize, true, opts));
    fc2 = register_module("fc2", nn::Linear(config.intermediateSize, config.hiddenSize, true, opts));
}

at::Tensor ClipMlpImpl::forward(const at::Tensor& x) const
{
    auto h = fc1->forward(x); // (B,T,I)
    h = activation == Activation::Gelu ? nn::gelu(h) : h * at::sigmoid(1.702 * h);
    return fc2->forward(h); // (B,T,D)
}

ClipEncoderLayerImpl::ClipEncoderLayerImpl(const ClipTextConfig& config, const nn::Options& opts)
{
    self_attn = register_module("self_attn", ClipAttention(config, opts));
    layer_norm1 = register_module("layer_norm1", nn::LayerNorm(config.hiddenSize, opts, config.layerNormEps));
    mlp = register_module("mlp", ClipMlp(config, opts));
    layer_norm2 = register_module("layer_norm2", nn::LayerNorm(config.hiddenSize, opts, config.layerNormEps));
}

at::Tensor ClipEncoderLayerImpl::forward(const at::Tensor& x, const at::Tensor& mask) const
{
    auto h = x + self_attn->forward(layer_norm1->forward(x), mask); // (B,T,D)
    return h + mlp->forward(layer_norm2->forward(h));               // (B,T,D)
}

ClipTextEmbeddingsImpl::ClipTextEmbeddingsImpl(const ClipTextConfig& config, const nn::Options& opts)
{
    token_embedding = register_module("token_embedding", nn::Embedding(config.vocabSize, config.hiddenSize, opts));
    position_embedding =
        register_module("position_embedding", nn::Embedding(config.maxPositionEmbeddings, config.hiddenSize, opts));
}

at::Tensor ClipTextEmbeddingsImpl::forward(const at::Tensor& inputIds) const
{
    const auto t = inputIds.size(1);
    const auto positions = at::arange(t, inputIds.options().dtype(at::kLong)); // (T): always 0..T-1
    return token_embedding->forward(inputIds) + position_embedding->forward(positions).unsqueeze(0); // (B,T,D)
}

ClipEncoderImpl::ClipEncoderImpl(const ClipTextConfig& config, const nn::Options& opts)
{
    layers = register_module("layers", nn::Sequential());
    for (std::int64_t i = 0; i < config.numHiddenLayers; ++i)
        layers->add(ClipEncoderLayer(config, opts));
}

ClipTextTransformerImpl::ClipTextTransformerImpl(const ClipTextConfig& config, const nn::Options& opts)
{
    embeddings = register_module("embeddings", ClipTextEmbeddings(config, opts));
    encoder = register_module("encoder", ClipEncoder(config, opts));
    final_layer_norm = register_module("final_layer_norm", nn::LayerNorm(config.hiddenSize, opts, config.layerNormEps));
}

ClipTextModelImpl::ClipTextModelImpl(const ClipTextConfig& config_, const nn::Options& opts) : config(config_)
{
    text_model = register_module("text_model", ClipTextTransformer(config, opts));
    text_projection =
        register_module("text_projection", nn::Linear(config.hiddenSize, config.projectionDim, false, opts));
}

at::Tensor buildAttentionMask(std::int64_t batch, std::int64_t length, const at::Tensor& attentionMask,
                              const at::TensorOptions& opts)
{
    const auto index = at::arange(length, opts.dtype(at::kLong));
    auto allowed = index.view({1, length}).le(index.view({length, 1})).view({1, 1, length, length}); // key j <= query i
    if (attentionMask.defined()) {
        if (attentionMask.dim() != 2 || attentionMask.size(0) != batch || attentionMask.size(1) != length)
            throw Error(ErrorCode::InvalidArgument, "CLIP text model: attention_mask must have shape [" +
                                                        std::to_string(batch) + ", " + std::to_string(length) + "]");
        const auto keys = attentionMask.to(opts.device()).ne(0).view({batch, 1, 1, length});
        allowed = allowed.logical_and(keys); // (B,1,T,T)
    }
    allowed = allowed.expand({batch, 1, length, length});
    return at::zeros({batch, 1, length, length}, opts)
        .masked_fill(allowed.logical_not(), lowestValue(opts.dtype().toScalarType()));
}

at::Tensor poolingIndex(const at::Tensor& inputIds, std::int64_t eosTokenId)
{
    if (eosTokenId == 2) // legacy configs (transformers < 4.31 semantics): the highest id is the eos
        return inputIds.argmax(-1);
    // argmax returns the first maximum: the first eos, or 0 when a row has none (as HF).
    return inputIds.eq(eosTokenId).to(at::kInt).argmax(-1);
}

ClipTextOutput ClipTextModelImpl::forward(const at::Tensor& inputIdsIn, const at::Tensor& attentionMask,
                                          bool keepHiddenStates) const
{
    if (inputIdsIn.dim() != 2 || inputIdsIn.size(1) < 1 || inputIdsIn.size(1) > config.maxPositionEmbeddings ||
        at::isFloatingType(inputIdsIn.scalar_type()))
        throw Error(ErrorCode::InvalidArgument, "CLIP text model: input_ids must be integer [batch, 1.." +
                                                    std::to_string(config.maxPositionEmbeddings) + "]");
    const auto& weight = text_projection->weight;
    const auto inputIds = inputIdsIn.to(weight.device(), at::kLong); // (B,T)
    // The embedding's rows, not config.vocabSize: LoRA text tokens append rows to a loaded model.
    const auto vocab = text_model->embeddings->token_embedding->weight.size(0);
    if (inputIds.numel() > 0 &&
        (inputIds.min().item<std::int64_t>() < 0 || inputIds.max().item<std::int64_t>() >= vocab))
        throw Error(ErrorCode::InvalidArgument,
                    "CLIP text model: token id outside the vocabulary [0, " + std::to_string(vocab) + ")");
    const auto b = inputIds.size(0), t = inputIds.size(1);

    ClipTextOutput out;
    auto x = text_model->embeddings->forward(inputIds);                     // (B,T,D)
    const auto mask = buildAttentionMask(b, t, attentionMask, x.options()); // (B,1,T,T)
    if (keepHiddenStates)
        out.hiddenStates.push_back(x);
    const auto& layers = *text_model->encoder->layers;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        x = layers.at<ClipEncoderLayerImpl>(i).forward(x, mask); // (B,T,D)
        if (keepHiddenStates)
            out.hiddenStates.push_back(x);
    }
    out.hiddenLast = x;                                             // (B,T,D)
    out.lastHiddenState = text_model->final_layer_norm->forward(x); // (B,T,D)
    out.pooledIndex = poolingIndex(inputIds, config.eosTokenId);    // (B)
    const auto gatherIndex = out.pooledIndex.view({b, 1, 1}).expand({b, 1, x.size(2)});
    out.poolerOutput = out.lastHiddenState.gather(1, gatherIndex).squeeze(1); // (B,D)
    out.textEmbeds = text_projection->forward(out.poolerOutput);              // (B,P)
    return out;
}

ClipTextModel loadClipText(const ClipTextConfig& config, const TensorMap& hfTensors, const std::string& what,
                           const nn::Options& opts)
{
    ClipTextModel model(config, opts);
    LoadOptions options;
    // A constant arange that transformers < 4.31 saved as a persistent buffer.
    options.ignoreUnexpected = [](const std::string& name) { return name == "text_model.embeddings.position_ids"; };
    loadStateDict(*model, hfTensors, what, options);
    return model;
}

} // namespace kaskade::models
