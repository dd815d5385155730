// The `image_pipeline` fixtures (kinds img2img, variation, canny, inpaint, sr, reconstruct): the whole job
// through CascadePipeline::run with the fixture's pictures as exact float tensors and its recorded noise
// injected; every io tensor that is not an input must be produced and match.
#include "pipeline/errors.h"
#include "pipeline/image/control_filters.h"
#include "pipeline/tools/parity/pipeline_replay.h"
#include "pipeline/tools/parity/runners.h"

#include <ATen/ATen.h>

#include <cstdio>
#include <map>
#include <set>

namespace kaskade::parity {
namespace {

// The fixture records the steps run, int(T·noise_level); the engine takes T. The smallest T that gives the
// recorded count reproduces the run.
int imgPipeTotalSteps(int effective, double noiseLevel)
{
    for (int total = effective; total <= 100000; ++total)
        if (static_cast<int>(total * noiseLevel) == effective)
            return total;
    throw Error(ErrorCode::BadFormat,
                "no step count T gives int(T*" + std::to_string(noiseLevel) + ") = " + std::to_string(effective));
}

// The params say which pictures a job has; their values come from the tensors (ImageTensors), so a
// named placeholder without pixels is enough here.
InputImage imgPipePlaceholder(const std::string& name)
{
    InputImage image;
    image.source = "fixture:" + name;
    return image;
}

} // namespace

void runImagePipelineFixture(Fixture& fixture, Checker& checker)
{
    const auto& json = fixture.json();
    const std::string kind = json.at("kind").get<std::string>();
    const std::filesystem::path modelDir = fixture.dir() / json.at("config").value("model_dir", std::string("model"));

    GenerationParams params = referenceParams(json);
    params.cfgRho = json.at("sampling_b").value("cfg_rho", 0.7);
    params.images.fitToSize = false; // official sizes from the pictures

    const at::Tensor init = fixture.io("init_image");
    ImageInputs& in = params.images;
    ImageTensors pictures;
    const int stepsC = json.at("sampling_c").is_null() ? 0 : params.stageC.steps;
    std::string firstNoiseC = "stage_c.x_init";
    std::set<std::string> inputs{
        "init_image",     "input_ids",     "attention_mask", "uncond_input_ids", "uncond_attention_mask",
        "stage_b.x_init", "canny.edges_u8"};
    const double multiplier =
        json.value("cnet_multiplier", nlohmann::json()).is_null() ? 1.0 : json.at("cnet_multiplier").get<double>();
    auto startFromInit = [&] {
        const double level = json.at("noise_level").get<double>();
        in.strength = level;
        params.stageC.steps = imgPipeTotalSteps(params.stageC.steps, level);
        firstNoiseC = "img2img.epsilon";
        inputs.insert("img2img.epsilon");
    };
    if (kind == "img2img") {
        in.init = imgPipePlaceholder("init_image");
        pictures.init = init;
        startFromInit();
    } else if (kind == "variation") {
        in.imagePrompt = imgPipePlaceholder("init_image");
        pictures.imagePrompt = init;
        inputs.insert("stage_c.x_init");
    } else if (kind == "canny") {
        in.control = ControlKind::Canny;
        in.controlImage = imgPipePlaceholder("init_image");
        in.controlStrength = multiplier;
        pictures.control = init;
        inputs.insert("stage_c.x_init");
    } else if (kind == "inpaint") {
        in.control = ControlKind::Inpaint;
        in.init = imgPipePlaceholder("init_image");
        in.mask = imgPipePlaceholder("mask");
        in.controlStrength = multiplier;
        pictures.init = init;
        pictures.mask = fixture.io("mask");
        inputs.insert("mask");
        startFromInit();
    } else if (kind == "sr") {
        in.control = ControlKind::SuperResolution;
        in.controlImage = imgPipePlaceholder("init_image");
        in.controlStrength = multiplier;
        pictures.control = init;
        inputs.insert("stage_c.x_init");
    } else if (kind == "reconstruct") {
        in.reconstruct = true;
        in.init = imgPipePlaceholder("init_image");
        pictures.init = init;
    } else {
        throw Error(ErrorCode::Unsupported, "image_pipeline kind '" + kind + "' is not known");
    }

    checkPromptTokens(fixture, checker, modelDir, params);
    if (fixture.hasIo("canny.edges_u8"))
        checker.compare("canny.edges_u8", image::cannyEdgesU8(init).to(at::kFloat), fixture.io("canny.edges_u8"));

    const TracedRun run =
        runTraced(modelDir, params,
                  stepsC > 0 ? recordedNoise(fixture, "stage_c", firstNoiseC, stepsC) : std::vector<at::Tensor>{},
                  recordedNoise(fixture, "stage_b", "stage_b.x_init", params.stageB.steps), pictures);
    const auto& traced = run.traced;
    const GenerationResult& result = run.result;
    for (const auto& [name, expected] : fixture.io()) {
        if (inputs.count(name) || (name.size() > 6 && name.compare(name.size() - 6, 6, ".noise") == 0))
            continue;
        auto it = traced.find(name);
        if (it == traced.end()) {
            checker.fail("the pipeline did not produce " + name);
            continue;
        }
        checker.compare(name, it->second, expected);
    }
    if (json.contains("height") && result.params.height != json.at("height").get<int>())
        checker.fail("output height " + std::to_string(result.params.height) + ", expected " +
                     std::to_string(json.at("height").get<int>()));
    if (json.contains("width") && result.params.width != json.at("width").get<int>())
        checker.fail("output width " + std::to_string(result.params.width) + ", expected " +
                     std::to_string(json.at("width").get<int>()));
}

} // namespace kaskade::parity
