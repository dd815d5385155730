// The `pipeline` fixture: prompt → tokens → text model → Stage C → Stage B → Stage A on a tiny model
// folder in the release layout, with the recorded noise injected; every intermediate is compared.
#include "pipeline/cascade_pipeline.h"
#include "pipeline/errors.h"
#include "pipeline/parity/runners.h"
#include "pipeline/text/clip_tokenizer.h"

#include <ATen/ATen.h>

#include <cstdio>
#include <map>

namespace kaskade::parity {
namespace {

std::vector<at::Tensor> recordedNoise(Fixture& fixture, const std::string& stage, int steps)
{
    std::vector<at::Tensor> tensors{fixture.io(stage + ".x_init")};
    for (int i = 0; i < steps; ++i) {
        char name[64];
        std::snprintf(name, sizeof name, "%s.step.%03d.noise", stage.c_str(), i);
        tensors.push_back(fixture.io(name));
    }
    return tensors;
}

StageSampling sampling(const nlohmann::json& s)
{
    StageSampling out;
    out.steps = s.at("timesteps").get<int>();
    out.cfg = s.at("cfg").is_null() ? 0.0 : s.at("cfg").get<double>();
    out.shift = s.value("shift", 1.0);
    return out;
}

} // namespace

void runPipelineFixture(Fixture& fixture, Checker& checker)
{
    const auto& json = fixture.json();
    const std::filesystem::path modelDir = fixture.dir() / json.at("config").value("model_dir", std::string("model"));

    GenerationParams params;
    params.batchPrompts = json.at("prompts").get<std::vector<std::string>>();
    params.batch = static_cast<int>(params.batchPrompts.size());
    params.prompt = params.batchPrompts.front();
    params.negativePrompt = json.value("negative_prompt", std::string());
    params.width = json.at("width").get<int>();
    params.height = json.at("height").get<int>();
    params.stageC = sampling(json.at("sampling_c"));
    params.stageB = sampling(json.at("sampling_b"));
    params.cfgRho = json.at("sampling_c").value("cfg_rho", 0.7);
    params.seed = 0;
    params.device = "cpu";
    params.dtype = "fp32";
    params.promptOptions.emphasis = false; // the reference tokenizes literally and truncates
    params.promptOptions.chunkLongPrompts = false;

    // Tokenization as the reference did it (the pipeline tokenizes internally; check the same tokenizer here).
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

    CascadePipeline pipeline;
    ModelSpec spec;
    spec.directory = modelDir.string();
    spec.device = "cpu";
    spec.dtype = "fp32";
    spec.residency = Residency::AllResident;
    pipeline.load(spec, {});

    RecordedNoise noiseC(recordedNoise(fixture, "stage_c", params.stageC.steps));
    RecordedNoise noiseB(recordedNoise(fixture, "stage_b", params.stageB.steps));
    std::map<std::string, at::Tensor> traced;
    JobOverrides overrides;
    overrides.stageCNoise = &noiseC;
    overrides.stageBNoise = &noiseB;
    overrides.trace = [&](const std::string& name, const at::Tensor& value) { traced[name] = value.detach().clone(); };
    pipeline.run(params, {}, overrides);

    int compared = 0;
    for (const auto& [name, value] : traced) {
        if (!fixture.hasIo(name))
            continue;
        checker.compare(name, value, fixture.io(name));
        ++compared;
    }
    for (const char* required : {"cond.clip_text", "stage_c.sampled", "stage_b.sampled", "image"})
        if (!traced.count(required))
            checker.fail(std::string("the pipeline did not produce ") + required);
    if (compared < 10)
        checker.fail("only " + std::to_string(compared) + " intermediate tensors matched fixture names");
}

} // namespace kaskade::parity
