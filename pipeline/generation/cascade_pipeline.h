#pragma once
// The generation pipeline behind kaskade::createPipeline() (pipeline/pipeline.h); defined in
// cascade_pipeline.cpp. Internal header: includes torch (front ends see only the Generator interface).
// One CascadePipeline is a loaded model set kept across jobs; each generate() call is one job:
//   prompts → CLIP text encoder → Stage C (GDF, 16×⌈H/42.67⌉×⌈W/42.67⌉) → Stage B (4×⌈H/4⌉×⌈W/4⌉) → Stage A.
// Parity runs use run() with recorded noise and a trace of every intermediate tensor.

#include "pipeline/generator.h"
#include "pipeline/sampling/noise.h"

#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>
#include <string>

namespace kaskade {

// Receives named intermediate tensors ("cond.clip_text", "stage_c.step.003.x0", "image_raw" ...), the
// names of the parity fixtures' io.safetensors.
using TraceFn = std::function<void(const std::string& name, const at::Tensor& value)>;

// Pictures as float tensors instead of GenerationParams::images' 8-bit ones (parity runs feed the fixtures'
// exact values): init, control, imagePrompt (B,3,H,W) in [0,1]; mask (B,1,H,W) 0/1. Undefined = converted
// from the params' image (repeated over the batch). The params still say which inputs a job has.
struct ImageTensors
{
    at::Tensor init, mask, control, imagePrompt;
};

struct JobOverrides
{
    NoiseSource* stageCNoise = nullptr; // default: per-image seeded generators
    NoiseSource* stageBNoise = nullptr;
    TraceFn trace;
    ImageTensors images;
};

class CascadePipeline final : public Generator
{
public:
    CascadePipeline();
    ~CascadePipeline() override;

    void load(const ModelSpec& spec, const GenerationCallbacks& callbacks) override;
    ModelInfo modelInfo() const override;
    GenerationResult generate(const GenerationParams& params, const GenerationCallbacks& callbacks) override;

    GenerationResult run(const GenerationParams& params, const GenerationCallbacks& callbacks,
                         const JobOverrides& overrides);

    // Text encoder forward passes so far (tests check that a new seed reuses the text encoding).
    int textEncoderRuns() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace kaskade
