#include "pipeline/training/lora_trainer.h"

#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/sampling/gdf.h"

#include <optional>

namespace kaskade::training {
namespace {

at::Tensor perSample(const at::Tensor& v, const at::Tensor& like)
{
    std::vector<std::int64_t> shape(like.dim(), 1);
    shape[0] = v.size(0);
    return v.view(shape);
}

} // namespace

Diffused diffuseForTraining(const at::Tensor& latents, const at::Tensor& noise, const at::Tensor& tRand)
{
    at::NoGradGuard noGrad;
    static const gdf::CosineSchedule schedule{0.008, 1e-4, 0.9999};
    static const gdf::CosineTNoiseCond noiseCond{0.008};
    Diffused d;
    // BaseSchedule.__call__ with t None: (1 - rand).add(0.001).clamp(0.001, 1.0).
    d.t = (1 - tRand.to(at::kFloat)).add(0.001).clamp(0.001, 1.0); // (B)
    d.logSNR = schedule(d.t, 1.0);                                 // (B), shift 1
    const auto [a, b] = gdf::vpScalers(d.logSNR);
    d.noised = latents * perSample(a, latents) + noise * perSample(b, latents); // (B,16,h,w)
    d.noiseCond = noiseCond(d.logSNR);                                          // (B) the network's r
    d.lossWeight = at::pow(1 + d.logSNR.exp(), -1);                             // P2LossWeight(k 1, γ 1, s 1)
    return d;
}

void extendTokenTable(models::ClipTextModelImpl& text, const at::Tensor& table)
{
    at::NoGradGuard noGrad;
    at::Tensor& weight = text.text_model->embeddings->token_embedding->weight;
    if (table.size(1) != weight.size(1) || table.size(0) < weight.size(0))
        throw Error(ErrorCode::InvalidArgument, "token table " + shapeString(table.sizes()) +
                                                    " does not extend the text model's " + shapeString(weight.sizes()));
    // set_ keeps the registered parameter and the member one tensor (weight.data = cat(...) in Python).
    weight.set_(table.to(weight.device(), weight.scalar_type()).contiguous());
}

LoraTrainer::LoraTrainer(models::StageC generator, models::ClipTextModel text, LoraState lora, TrainerSettings settings,
                         std::int64_t updatesDone)
    : generator_(std::move(generator)), text_(std::move(text)), lora_(std::move(lora)), settings_(settings),
      optimizer_(lora_.parameters(), settings.adam), updates_(updatesDone)
{
    if (settings_.gradAccum < 1)
        throw Error(ErrorCode::InvalidArgument, "gradient accumulation must be at least 1");
    // Frozen base: only the LoRA tensors collect gradients (the official script forgets this for Stage C).
    for (auto& p : generator_->parameters())
        p.set_requires_grad(false);
    for (auto& p : text_->parameters())
        p.set_requires_grad(false);
    for (auto& p : lora_.parameters())
        p.set_requires_grad(true);
}

models::ClipTextOutput LoraTrainer::encodeText(const at::Tensor& inputIds, const at::Tensor& attentionMask)
{
    LoraForwardGuard guard(*generator_, text_.get(), lora_);
    return text_->forward(inputIds, attentionMask);
}

MicroOutputs LoraTrainer::microStep(const MicroInputs& in)
{
    MicroOutputs out = forward(in);
    out.lossAdjusted.backward();
    ++micro_;
    ++microSinceUpdate_;
    return out;
}

MicroOutputs LoraTrainer::evaluate(const MicroInputs& in)
{
    at::NoGradGuard noGrad;
    return forward(in);
}

MicroOutputs LoraTrainer::forward(const MicroInputs& in)
{
    const auto device = text_->text_projection->weight.device();
    MicroOutputs out;
    const Diffused d =
        diffuseForTraining(in.latents.to(device, at::kFloat), in.noise.to(device, at::kFloat), in.tRand.to(device));
    out.t = d.t;
    out.logSNR = d.logSNR;
    out.noiseCond = d.noiseCond;
    out.lossWeight = d.lossWeight;
    out.noised = d.noised;
    {
        // W_eff and the ReToken table live in the graph of this forward only.
        LoraForwardGuard guard(*generator_, text_.get(), lora_);
        std::optional<models::DropoutScope> dropout;
        if (in.dropout.defined())
            dropout.emplace(in.dropout);
        const auto text = text_->forward(in.inputIds.to(device), in.attentionMask.to(device));
        out.clipText = text.hiddenLast;                    // (B,77,D) hidden_states[-1]
        out.clipTextPooled = text.textEmbeds.unsqueeze(1); // (B,1,P)
        out.pooledIndex = text.pooledIndex;
        out.clipImg = in.clipImg.to(device, at::kFloat).unsqueeze(1); // (B,1,768)
        out.pred = generator_->forward(d.noised, d.noiseCond, out.clipText, out.clipTextPooled, out.clipImg);
    }
    const auto noise = in.noise.to(device, at::kFloat);
    out.loss = (out.pred - noise).pow(2).mean({1, 2, 3}); // mse_loss(reduction none).mean(dim=[1,2,3])
    out.lossAdjusted = (out.loss * out.lossWeight).mean() / static_cast<double>(settings_.gradAccum);
    return out;
}

UpdateOutputs LoraTrainer::update()
{
    UpdateOutputs out;
    out.update = updates_ + 1;
    out.lr = settings_.officialRestartWarmup && sessionUpdates_ == 0
                 ? 0.0
                 : warmupLr(settings_.lr, out.update, settings_.warmupUpdates);
    const auto params = lora_.parameters();
    const ClipResult clip = clipGradNorm(params, settings_.clipNorm);
    out.gradNorm = clip.totalNorm;
    out.clipCoef = clip.coef;
    optimizer_.step(out.lr);
    updates_ = out.update;
    ++sessionUpdates_;
    microSinceUpdate_ = 0;
    return out;
}

void LoraTrainer::saveCheckpoint(const std::filesystem::path& path, const nlohmann::json& extra) const
{
    TensorMap tensors = lora_.stateDict();
    const auto names = lora_.parameterNames();
    for (std::size_t i = 0; i < names.size(); ++i) {
        tensors["optim.exp_avg." + names[i]] = optimizer_.expAvg()[i];
        tensors["optim.exp_avg_sq." + names[i]] = optimizer_.expAvgSq()[i];
    }
    nlohmann::json tokens = nlohmann::json::array();
    for (const auto& [id, name] : lora_.tokenNames)
        tokens.push_back({id, name});
    st::write(path, tensors,
              {{"kaskade", "lora-checkpoint"},
               {"updates", std::to_string(updates_)},
               // At the last update: a resumed run redoes a partial accumulation with the same draws.
               {"micro_steps", std::to_string(micro_ - microSinceUpdate_)},
               {"adam_step", std::to_string(optimizer_.stepCount())},
               {"train_tokens", tokens.dump()},
               {"extra", extra.dump()}});
}

nlohmann::json LoraTrainer::loadCheckpoint(const std::filesystem::path& path)
{
    const auto reader = st::Reader::open(path);
    const auto& meta = reader->metadata();
    auto field = [&](const char* key) -> const std::string& {
        auto it = meta.find(key);
        if (it == meta.end())
            throw Error(ErrorCode::BadCheckpoint,
                        path.string() + ": not a Kaskade LoRA training checkpoint (metadata '" + key + "' missing)");
        return it->second;
    };
    if (field("kaskade") != "lora-checkpoint")
        throw Error(ErrorCode::BadCheckpoint, path.string() + ": not a Kaskade LoRA training checkpoint");
    TensorMap all = reader->loadAll(), lora;
    std::vector<at::Tensor> expAvg, expAvgSq;
    for (const auto& name : lora_.parameterNames()) {
        for (const char* prefix : {"optim.exp_avg.", "optim.exp_avg_sq."}) {
            auto it = all.find(prefix + name);
            if (it == all.end())
                throw Error(ErrorCode::BadCheckpoint,
                            path.string() + ": optimizer state " + prefix + name + " missing");
            (std::string(prefix) == "optim.exp_avg." ? expAvg : expAvgSq).push_back(it->second);
        }
    }
    for (const auto& [name, t] : all)
        if (name.rfind("optim.", 0) != 0)
            lora[name] = t;
    loadLoraState(lora_, lora, path.string());
    try {
        optimizer_.setState(std::stoll(field("adam_step")), expAvg, expAvgSq);
        updates_ = std::stoll(field("updates"));
        micro_ = std::stoll(field("micro_steps"));
        microSinceUpdate_ = 0;
        return nlohmann::json::parse(field("extra"));
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) { // stoll, JSON parse
        throw Error(ErrorCode::BadCheckpoint, path.string() + ": damaged checkpoint metadata (" + e.what() + ")");
    }
}

} // namespace kaskade::training
