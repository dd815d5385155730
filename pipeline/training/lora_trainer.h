#pragma once
// One LoRA training of Stage C as train/train_c_lora.py computes it (parity README "LoRA training
// fixtures"): per micro-step the caller supplies the data decisions already taken (caption dropout, image
// conditioning) and the random draws (noise, t); the trainer diffuses, runs the text model and Stage C
// with the LoRA deltas in LibTorch autograd, and accumulates gradients into the LoRA tensors only. Every
// grad_accum micro-steps update() clips, steps AdamW under the warmup and clears the gradients.
//
// Not under c10::InferenceMode: the models must have been loaded outside it (inference tensors cannot be
// saved for backward). Their weights have requires_grad false and are never written.

#include "pipeline/models/clip_text.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/training/adamw.h"
#include "pipeline/training/lora_modules.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace kaskade::training {

struct TrainerSettings
{
    double lr = 1e-4;
    std::int64_t warmupUpdates = 1;
    std::int64_t gradAccum = 1;
    double clipNorm = 1.0;
    // The official scheduler is rebuilt on every (re)start and sets lr 0 for the first update of each session
    // (parity README, ambiguity 5). Kaskade's own resume continues the warmup instead.
    bool officialRestartWarmup = false;
    AdamWOptions adam;
};

// One micro-batch after the data decisions: what forward_pass sees.
struct MicroInputs
{
    at::Tensor latents;       // (B,16,h,w) EfficientNet latents
    at::Tensor inputIds;      // (B,77) int64, "" for dropped captions
    at::Tensor attentionMask; // (B,77) int64
    at::Tensor clipImg;       // (B,768): zeros, or the CLIP image embedding for image-conditioned rows
    at::Tensor noise;         // (B,16,h,w) randn_like(latents)
    at::Tensor tRand;         // (B) torch.rand draw of the diffusion time
    // Stage C's dropout masks (models::DropoutScope) when the generator is in train() mode; undefined = no dropout.
    at::Generator dropout;
};

struct MicroOutputs
{
    at::Tensor t, logSNR, noiseCond, lossWeight;  // (B)
    at::Tensor noised;                            // (B,16,h,w)
    at::Tensor clipText, clipTextPooled, clipImg; // (B,77,D), (B,1,P), (B,1,768)
    at::Tensor pooledIndex;                       // (B) int64
    at::Tensor pred;                              // (B,16,h,w)
    at::Tensor loss;                              // (B) mean squared error per sample
    at::Tensor lossAdjusted;                      // 0-d: mean(loss · weight) / grad_accum
};

struct UpdateOutputs
{
    std::int64_t update = 0; // 1-based over the whole run
    double lr = 0;
    at::Tensor gradNorm, clipCoef; // 0-d
};

// gdf.diffuse(latents, shift=1, loss_shift=1) with the draws given; no gradient.
struct Diffused
{
    at::Tensor t, logSNR, noiseCond, lossWeight, noised;
};
Diffused diffuseForTraining(const at::Tensor& latents, const at::Tensor& noise, const at::Tensor& tRand);

class LoraTrainer
{
public:
    // `text` must already have the training tokens' rows (extendTokenTable). `updatesDone`: updates of
    // earlier sessions (resume), which the warmup continues from.
    LoraTrainer(models::StageC generator, models::ClipTextModel text, LoraState lora, TrainerSettings settings,
                std::int64_t updatesDone = 0);

    // forward_pass + backward of one micro-batch (gradients accumulate).
    MicroOutputs microStep(const MicroInputs& inputs);
    // The same forward without gradients and without counting a step (held-out loss).
    MicroOutputs evaluate(const MicroInputs& inputs);
    // True when the next update() is due (grad_accum micro-steps since the last one).
    bool updateDue() const { return microSinceUpdate_ >= settings_.gradAccum; }
    // Clip, AdamW step with the warmup lr, zero_grad(set_to_none). Call after updateDue() or at the end.
    UpdateOutputs update();

    // The text model's forward as the training uses it (with the ReToken rows, with gradient).
    models::ClipTextOutput encodeText(const at::Tensor& inputIds, const at::Tensor& attentionMask);

    LoraState& lora() { return lora_; }
    const LoraState& lora() const { return lora_; }
    AdamW& optimizer() { return optimizer_; }
    models::StageC& generator() { return generator_; }
    models::ClipTextModel& textModel() { return text_; }
    const TrainerSettings& settings() const { return settings_; }
    std::int64_t updates() const { return updates_; }
    std::int64_t microSteps() const { return micro_; }

    // Kaskade's resumable checkpoint: the official LoRA keys, "optim.exp_avg.<key>", "optim.exp_avg_sq.<key>",
    // metadata {kaskade: lora-checkpoint, updates, micro_steps, adam_step, extra}.
    void saveCheckpoint(const std::filesystem::path& path, const nlohmann::json& extra = {}) const;
    // Restores LoRA, Adam state and counters; returns the saved `extra` JSON. Throws BadCheckpoint naming the file.
    nlohmann::json loadCheckpoint(const std::filesystem::path& path);

private:
    MicroOutputs forward(const MicroInputs& inputs);

    models::StageC generator_;
    models::ClipTextModel text_;
    LoraState lora_;
    TrainerSettings settings_;
    AdamW optimizer_;
    std::int64_t updates_ = 0, micro_ = 0, microSinceUpdate_ = 0, sessionUpdates_ = 0;
};

// Appends the training tokens' rows to the text model's token embedding (the table returned by
// addTrainTokens), in place, as setup_models does with weight.data = cat(...).
void extendTokenTable(models::ClipTextModelImpl& text, const at::Tensor& table);

} // namespace kaskade::training
