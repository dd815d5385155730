#include "pipeline/tools/parity/pipeline_replay.h"

#include "pipeline/text/clip_tokenizer.h"

#include <ATen/ATen.h>

#include <cstdio>

namespace kaskade::parity {
namespace {

StageSampling replaySampling(const nlohmann::json& s, const StageSampling& fallback)
{
    if (s.is_null())
        return fallback;
    StageSampling out;
    out.steps = s.at("timesteps").get<int>();
    out.cfg = s.at("cfg").is_null() ? 0.0 : s.at("cfg").get<double>();
    out.shift = s.value("shift", 1.0);
    return out;
}

} // namespace

GenerationParams referenceParams(const nlohmann::json& json)
{
    GenerationParams params;
    params.batchPrompts = json.at("prompts").get<std::vector<std::string>>();
    params.batch = static_cast<int>(params.batchPrompts.size());
    params.prompt = params.batchPrompts.front();
    params.negativePrompt = json.value("negative_prompt", std::string());
    params.stageC = replaySampling(json.at("sampling_c"), params.stageC);
    params.stageB = replaySampling(json.at("sampling_b"), params.stageB);
    params.seed = 0;
    params.promptOptions.emphasis = false; // the reference tokenizes literally and truncates
    params.promptOptions.chunkLongPrompts = false;
    return params;
}

std::vector<at::Tensor> recordedNoise(Fixture& fixture, const std::string& stage, const std::string& first, int steps)
{
    std::vector<at::Tensor> tensors{fixture.io(first)};
    for (int i = 0; i < steps; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "%s.step.%03d.noise", stage.c_str(), i);
        tensors.push_back(fixture.io(name));
    }
    return tensors;
}

void checkPromptTokens(Fixture& fixture, Checker& checker, const std::filesystem::path& modelDir,
                       const GenerationParams& params)
{
    const auto tokenizer = text::ClipTokenizer::load(modelDir / "tokenizer");
    auto idsOf = [&](const std::vector<std::string>& prompts, bool mask) {
        std::vector<at::Tensor> rows;
        for (const auto& p : prompts) {
            const auto padded = tokenizer.encodePadded(p);
            rows.push_back(at::tensor(mask ? padded.attentionMask : padded.ids, at::kLong));
        }
        return at::stack(rows);
    };
    const std::vector<std::string> negatives(params.batch, params.negativePrompt);
    checker.compare("input_ids", idsOf(params.batchPrompts, false), fixture.io("input_ids"));
    checker.compare("attention_mask", idsOf(params.batchPrompts, true), fixture.io("attention_mask"));
    checker.compare("uncond_input_ids", idsOf(negatives, false), fixture.io("uncond_input_ids"));
    checker.compare("uncond_attention_mask", idsOf(negatives, true), fixture.io("uncond_attention_mask"));
}

TracedRun runTraced(const std::filesystem::path& modelDir, const GenerationParams& params,
                    std::vector<at::Tensor> noiseC, std::vector<at::Tensor> noiseB, const ImageTensors& pictures)
{
    CascadePipeline pipeline;
    ModelSpec spec;
    spec.directory = modelDir.string();
    spec.device = {DeviceKind::Cpu};
    spec.precision = Precision::Fp32;
    spec.residency = Residency::AllResident;
    pipeline.load(spec, {});

    RecordedNoise replayC(std::move(noiseC));
    RecordedNoise replayB(std::move(noiseB));
    TracedRun run;
    JobOverrides overrides;
    overrides.stageCNoise = &replayC;
    overrides.stageBNoise = &replayB;
    overrides.images = pictures;
    overrides.trace = [&](const std::string& name, const at::Tensor& value) {
        run.traced[name] = value.detach().clone();
    };
    run.result = pipeline.run(params, {}, overrides);
    return run;
}

} // namespace kaskade::parity
