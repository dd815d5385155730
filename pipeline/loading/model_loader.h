#pragma once
// LoadedModels: the model set of a pipeline, kept across jobs. Knows which file feeds each stage, the
// device and compute dtype, and the memory residency:
//   all resident       every network stays loaded between jobs (fast when memory allows);
//   one stage at a time  load → run → release per stage, as the community does on 8–12 GB cards.
// "auto" picks from the free memory of the device. Swapping a Stage C or Stage B file reloads that
// stage only.

#include "pipeline/generator.h"
#include "pipeline/models/clip_vision.h"
#include "pipeline/models/controlnet.h"
#include "pipeline/models/effnet_encoder.h"
#include "pipeline/models/previewer.h"
#include "pipeline/models/stage_a.h"
#include "pipeline/models/stage_b.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/text/prompt_encoder.h"

#include <memory>

namespace kaskade {

class LoadedModels
{
public:
    LoadedModels();
    ~LoadedModels();

    // Resolves the folder (any supported layout) and the overrides; loads every network now when all
    // resident. A failure leaves the previously loaded set untouched.
    void open(const ModelSpec& spec, const GenerationCallbacks& callbacks);
    bool isOpen() const;
    ModelInfo info() const;
    at::Device device() const;

    // Each loads on first use (reporting Phase::Loading progress) and stays until released.
    text::PromptEncoder& promptEncoder(const GenerationCallbacks& callbacks);
    models::StageC stageC(const GenerationCallbacks& callbacks);
    models::StageB stageB(const GenerationCallbacks& callbacks);
    models::StageA stageA(const GenerationCallbacks& callbacks);
    // nullptr when the set has no previewer.safetensors (previews then use the linear latent→RGB map).
    const models::Previewer* previewer(const GenerationCallbacks& callbacks);
    // Optional image-input networks (img2img, variations, ControlNets), loaded on first use. Throw
    // Error(FileNotFound) naming the missing file and where to get it when the set has none.
    // controlNet() also refuses a ControlNet whose width does not match Stage C (released ones need 3.6B).
    models::EfficientNetEncoder effnet(const GenerationCallbacks& callbacks);
    models::ClipVisionModel clipVision(const GenerationCallbacks& callbacks);
    models::ControlNet controlNet(ControlKind kind, const GenerationCallbacks& callbacks);

    // With one-stage-at-a-time residency these free the stage's weights; otherwise they do nothing.
    void releaseTextEncoderIfSequential();
    void releaseStageCIfSequential();
    void releaseStageBIfSequential();

    int textEncoderRuns() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace kaskade
