// The `pipeline` fixture: prompt → tokens → text model → Stage C → Stage B → Stage A on a tiny model
// folder in the release layout, with the recorded noise injected; every intermediate is compared.
#include "pipeline/tools/parity/pipeline_replay.h"
#include "pipeline/tools/parity/runners.h"

namespace kaskade::parity {

void runPipelineFixture(Fixture& fixture, Checker& checker)
{
    const auto& json = fixture.json();
    const std::filesystem::path modelDir = fixture.dir() / json.at("config").value("model_dir", std::string("model"));

    GenerationParams params = referenceParams(json);
    params.width = json.at("width").get<int>();
    params.height = json.at("height").get<int>();
    params.cfgRho = json.at("sampling_c").value("cfg_rho", 0.7);
    checkPromptTokens(fixture, checker, modelDir, params);

    const TracedRun run =
        runTraced(modelDir, params, recordedNoise(fixture, "stage_c", "stage_c.x_init", params.stageC.steps),
                  recordedNoise(fixture, "stage_b", "stage_b.x_init", params.stageB.steps));
    int compared = 0;
    for (const auto& [name, value] : run.traced) {
        if (!fixture.hasIo(name))
            continue;
        checker.compare(name, value, fixture.io(name));
        ++compared;
    }
    for (const char* required : {"cond.clip_text", "stage_c.sampled", "stage_b.sampled", "image"})
        if (!run.traced.count(required))
            checker.fail(std::string("the pipeline did not produce ") + required);
    if (compared < 10)
        checker.fail("only " + std::to_string(compared) + " intermediate tensors matched fixture names");
}

} // namespace kaskade::parity
