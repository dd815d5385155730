// `format` fixtures: the same tiny weights under other on-disk layouts (diffusers prior/decoder/vqgan,
// ComfyUI all-in-one). Each file is identified by inspectFile(), mapped to official names by
// pipeline/io/name_rules.h exactly as the app loads user files, and must reproduce the outputs.
#include "pipeline/errors.h"
#include "pipeline/io/name_rules.h"
#include "pipeline/loading/inspect.h"
#include "pipeline/loading/model_files.h"
#include "pipeline/models/clip_text.h"
#include "pipeline/models/stage_a.h"
#include "pipeline/models/stage_b.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/tools/parity/runners.h"

#include "pipeline/io/state_dict.h"
#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>

namespace kaskade::parity {
namespace fs = std::filesystem;
namespace {

// Every weight file of a format fixture (the diffusers folder may also hold a *.bf16.safetensors variant).
std::vector<fs::path> formatFiles(Fixture& fixture)
{
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(fixture.dir())) {
        const auto name = entry.path().filename().string();
        if (entry.path().extension() == ".safetensors" && name != "io.safetensors")
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty())
        throw Error(ErrorCode::BadFormat, fixture.dir().string() + ": no weight file");
    return files;
}

models::TConds formatTConds(Fixture& fixture)
{
    models::TConds tConds;
    for (const auto& name : fixture.json().value("forward_kwargs", nlohmann::json::array()))
        tConds.emplace_back(name.get<std::string>(), fixture.io(name.get<std::string>()));
    return tConds;
}

void runUnet(Fixture& fixture, Checker& checker, const fs::path& file, const std::string& base)
{
    const auto& config = fixture.json().at("config");
    const auto options = at::TensorOptions().dtype(at::kFloat);
    const std::string label = file.filename().string() + "/output";
    if (base == "stage_c") {
        const auto tensors = loadOfficial(weightSourceOf(file, Role::StageC, "a Stage C"), Role::StageC);
        models::StageC model = models::loadStageC(tensors, file.string(), options, &config);
        checker.compare(label,
                        model->forward(fixture.io("x"), fixture.io("r"), fixture.io("clip_text"),
                                       fixture.io("clip_text_pooled"), fixture.io("clip_img"), formatTConds(fixture)),
                        fixture.io("output"));
    } else if (base == "stage_b") {
        const auto tensors = loadOfficial(weightSourceOf(file, Role::StageB, "a Stage B"), Role::StageB);
        models::StageB model = models::loadStageB(tensors, file.string(), options, &config);
        const at::Tensor pixels = fixture.json().value("pixels_passed", false) ? fixture.io("pixels") : at::Tensor();
        checker.compare(label,
                        model->forward(fixture.io("x"), fixture.io("r"), fixture.io("effnet"), fixture.io("clip"),
                                       pixels, formatTConds(fixture)),
                        fixture.io("output"));
    } else {
        throw Error(ErrorCode::Unsupported, "format fixture with base_module '" + base + "'");
    }
}

void runVqgan(Fixture& fixture, Checker& checker, const fs::path& file)
{
    const auto tensors = loadOfficial(weightSourceOf(file, Role::StageA, "a Stage A (VQGAN)"), Role::StageA);
    models::StageA model(models::StageAConfig::fromJson(fixture.json().at("config")),
                         at::TensorOptions().dtype(at::kFloat));
    loadStateDict(*model, tensors, file.string() + " (Stage A)");
    const std::string base = fixture.json().value("base_module", std::string("stage_a_decode"));
    if (base == "stage_a_encode")
        checker.compare(file.filename().string() + "/latent", model->encode(fixture.io("image")), fixture.io("latent"));
    else
        checker.compare(file.filename().string() + "/image", model->decode(fixture.io("latent")), fixture.io("image"));
}

void runComfyAio(Fixture& fixture, Checker& checker, const fs::path& file)
{
    const auto& json = fixture.json();
    const auto options = at::TensorOptions().dtype(at::kFloat);
    const std::string label = file.filename().string() + "/";

    const auto textTensors = loadOfficial(weightSourceOf(file, Role::TextEncoder, "a text encoder"), Role::TextEncoder);
    const auto textConfig = models::ClipTextConfig::fromJson(json.at("hf_text_config_json"), file.string());
    const auto text = models::loadClipText(textConfig, textTensors, file.string() + " (text encoder)", options);
    const auto out = text->forward(fixture.io("input_ids"), fixture.io("attention_mask"));
    const at::Tensor clipText = out.hiddenLast, pooled = out.textEmbeds.unsqueeze(1);
    checker.compare(label + "clip_text", clipText, fixture.io("clip_text"));
    checker.compare(label + "clip_text_pooled", pooled, fixture.io("clip_text_pooled"));

    const auto& stageCArgs = json.at("config").at("stage_c");
    const auto unet = loadOfficial(weightSourceOf(file, Role::StageC, "a Stage C"), Role::StageC);
    models::StageC model = models::loadStageC(unet, file.string(), options, &stageCArgs);
    const at::Tensor clipImg = at::zeros({clipText.size(0), 1, model->config().cClipImg});
    checker.compare(label + "clip_img", clipImg, fixture.io("clip_img"));
    checker.compare(label + "output", model->forward(fixture.io("x"), fixture.io("r"), clipText, pooled, clipImg),
                    fixture.io("output"));
}

} // namespace

void runFormatFixture(Fixture& fixture, Checker& checker)
{
    c10::InferenceMode inference;
    const std::string format = fixture.json().value("format", std::string());
    for (const auto& file : formatFiles(fixture)) {
        if (format == "diffusers_unet")
            runUnet(fixture, checker, file, fixture.json().value("base_module", std::string()));
        else if (format == "diffusers_vqgan")
            runVqgan(fixture, checker, file);
        else if (format == "comfyui_aio")
            runComfyAio(fixture, checker, file);
        else
            throw Error(ErrorCode::Unsupported, "format '" + format + "'");
    }
}

} // namespace kaskade::parity
