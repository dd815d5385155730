#pragma once
// What the `pipeline` and `image_pipeline` fixtures share: the job the reference ran, its recorded noise
// replayed, its tokenization checked, and one run through CascadePipeline with every intermediate traced.

#include "pipeline/generation/cascade_pipeline.h"
#include "pipeline/tools/parity/parity.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kaskade::parity {

// The reference's job: prompts, negative prompt, both stages' sampling (a null "sampling_c"/"sampling_b"
// keeps the default), seed 0, prompts tokenized literally and truncated as the reference does.
GenerationParams referenceParams(const nlohmann::json& json);

// The recorded draws of one stage: `first` (its x_init, or img2img's ε drawn in its place), then
// "<stage>.step.NNN.noise" for each step.
std::vector<at::Tensor> recordedNoise(Fixture& fixture, const std::string& stage, const std::string& first, int steps);

// The pipeline's tokenizer gives the reference's input_ids / attention_mask for the prompts and uncond_*
// for the negatives.
void checkPromptTokens(Fixture& fixture, Checker& checker, const std::filesystem::path& modelDir,
                       const GenerationParams& params);

struct TracedRun
{
    GenerationResult result;
    std::map<std::string, at::Tensor> traced; // every intermediate the pipeline traced, by fixture name
};

// Loads the model folder as the reference ran it (CPU, fp32, all networks resident) and runs the job with
// the recorded noise of both stages.
TracedRun runTraced(const std::filesystem::path& modelDir, const GenerationParams& params,
                    std::vector<at::Tensor> noiseC, std::vector<at::Tensor> noiseB, const ImageTensors& pictures = {});

} // namespace kaskade::parity
