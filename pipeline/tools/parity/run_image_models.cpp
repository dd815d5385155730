// Parity runners of the image-input networks (README "Image-input fixtures"): the EfficientNet encoder,
// the CLIP vision model with its preprocessing, the ControlNet (every bottleneck) and Stage C with a
// ControlNet feed. Every weight file of a fixture (fp32, bf16) is loaded into an fp32 model, and the
// structure always comes from the checkpoint (plus the fixture's constructor args where the official
// class takes them).
#include "pipeline/errors.h"
#include "pipeline/models/clip_vision.h"
#include "pipeline/models/controlnet.h"
#include "pipeline/models/effnet_encoder.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/tools/parity/runners.h"

#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include <cstdio>

namespace kaskade::parity {
namespace {

std::vector<std::filesystem::path> imageModelWeightFiles(Fixture& fixture)
{
    auto files = fixture.weightFiles();
    if (files.empty())
        throw Error(ErrorCode::FileNotFound, fixture.dir().string() + ": no weights file");
    return files;
}

// "weights" / "weights.bf16"
std::string imageModelLabel(const std::filesystem::path& file)
{
    return file.stem().string();
}

// "output.005"
std::string imageModelIndexName(const std::string& prefix, std::size_t index)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%03zu", index);
    return prefix + buffer;
}

at::Tensor clipVisionOutputByName(const models::ClipVisionOutput& out, const std::string& name)
{
    using O = models::ClipVisionOutput;
    return namedOutput(out, name,
                       {{"image_embeds", &O::imageEmbeds},
                        {"last_hidden_state", &O::lastHiddenState},
                        {"pooler_output", &O::poolerOutput}});
}

} // namespace

void runEffnetEncoderFixture(Fixture& fixture, Checker& checker)
{
    c10::InferenceMode inference;
    const auto images = fixture.io("images");
    const auto normalized = fixture.io("images_normalized");
    checker.compare("images_normalized", models::effnetNormalize(images), normalized);
    for (const auto& file : imageModelWeightFiles(fixture)) {
        const auto label = imageModelLabel(file);
        const auto encoder = models::loadEffnetEncoder(file, at::TensorOptions().dtype(at::kFloat));
        checker.compare(label + "/backbone_output", encoder->backboneForward(normalized),
                        fixture.io("backbone_output"));
        checker.compare(label + "/output", encoder->forward(normalized), fixture.io("output"));
        checker.compare(label + "/output (from images)", models::effnetEncodeImages(encoder, images),
                        fixture.io("output"));
    }
}

void runClipVisionFixture(Fixture& fixture, Checker& checker)
{
    c10::InferenceMode inference;
    const auto& json = fixture.json();
    const nlohmann::json* hfConfig = json.contains("hf_config_json") ? &json.at("hf_config_json") : nullptr;
    const bool fromImages = fixture.hasIo("images");
    for (const auto& file : imageModelWeightFiles(fixture)) {
        const auto label = imageModelLabel(file);
        const auto tensors = models::clipVisionTensors(st::Reader::open(file)->loadAll(), file.string());
        const auto model =
            models::loadClipVision(tensors, hfConfig, file.string(), at::TensorOptions().dtype(at::kFloat));
        const auto out = model->forward(fixture.io("pixel_values"), /*keepHiddenStates=*/true);
        models::ClipVisionOutput fromImagesOut;
        if (fromImages) {
            const auto pixels = models::clipPreprocess(fixture.io("images"), static_cast<int>(model->config.imageSize));
            if (fixture.hasIo("pixel_values_expected"))
                checker.compare(label + "/pixel_values_expected", pixels, fixture.io("pixel_values_expected"));
            fromImagesOut = model->forward(pixels);
        }
        for (const auto& entry : json.at("outputs")) {
            const std::string pattern = entry.get<std::string>();
            if (pattern == "pixel_values_expected")
                continue; // compared above
            const std::string prefix = "from_images.";
            std::vector<std::string> names;
            if (pattern == "hidden_states.N") {
                for (std::size_t i = 0; fixture.hasIo("hidden_states." + std::to_string(i)); ++i)
                    names.push_back("hidden_states." + std::to_string(i));
            } else {
                names.push_back(pattern);
            }
            for (const auto& name : names) {
                const bool image = name.starts_with(prefix);
                if (image && !fromImages) {
                    checker.fail(name + ": the fixture has no 'images' input");
                    continue;
                }
                const auto actual =
                    clipVisionOutputByName(image ? fromImagesOut : out, image ? name.substr(prefix.size()) : name);
                if (!actual.defined())
                    checker.fail(label + "/" + name + ": the vision model has no such output");
                else
                    checker.compare(label + "/" + name, actual, fixture.io(name));
            }
        }
    }
}

void runControlNetFixture(Fixture& fixture, Checker& checker)
{
    c10::InferenceMode inference;
    const auto& config = fixture.json().at("config");
    const nlohmann::json* args = config.contains("args") ? &config.at("args") : nullptr;
    const auto x = fixture.io("x");
    const auto entries = fixture.json().value("output_entries", nlohmann::json::array());
    for (const auto& file : imageModelWeightFiles(fixture)) {
        const auto label = imageModelLabel(file);
        const auto model = models::loadControlNet(file, at::TensorOptions().dtype(at::kFloat), args);
        checker.compare(label + "/backbone_output", model->backboneForward(x), fixture.io("backbone_output"));
        const auto outputs = model->forward(x);
        if (!entries.empty() && entries.size() != outputs.size())
            checker.fail(label + ": list of " + std::to_string(outputs.size()) + " entries, expected " +
                         std::to_string(entries.size()));
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            const auto name = imageModelIndexName("output.", i);
            const bool expectNone = i < entries.size() ? entries[i].is_null() : !fixture.hasIo(name);
            if (expectNone != !outputs[i].defined())
                checker.fail(label + "/" + name + (expectNone ? ": expected None" : ": expected a tensor, got None"));
            else if (!expectNone)
                checker.compare(label + "/" + name, outputs[i], fixture.io(name));
        }
    }
}

void runStageCControlNetFixture(Fixture& fixture, Checker& checker)
{
    c10::InferenceMode inference;
    const auto& json = fixture.json();
    const auto& config = json.at("config");
    const auto x = fixture.io("x"), r = fixture.io("r");
    const auto text = fixture.io("clip_text"), pooled = fixture.io("clip_text_pooled"), img = fixture.io("clip_img");
    std::vector<at::Tensor> cnet;
    for (const auto& entry : json.at("cnet_list"))
        cnet.push_back(entry.is_null() ? at::Tensor() : fixture.io(entry.get<std::string>()));
    for (const auto& file : imageModelWeightFiles(fixture)) {
        const auto label = imageModelLabel(file);
        models::StageC model = models::loadStageC(file, at::TensorOptions().dtype(at::kFloat), &config);
        auto cond = model->encodeConditioning(text, pooled, img);
        checker.compare(label + "/output_no_cnet", model->forward(x, r, cond), fixture.io("output_no_cnet"));
        cond.cnet = cnet;
        checker.compare(label + "/output", model->forward(x, r, cond), fixture.io("output"));
        const auto b = x.size(0);
        if (b < 2)
            continue;
        // The sampler's path: conditionings (with their cnet rows) encoded per half and concatenated.
        auto half = [&](std::int64_t begin, std::int64_t end) {
            auto c = model->encodeConditioning(text.slice(0, begin, end), pooled.slice(0, begin, end),
                                               img.slice(0, begin, end));
            for (const auto& t : cnet)
                c.cnet.push_back(t.defined() ? t.slice(0, begin, end) : at::Tensor());
            return c;
        };
        checker.compare(label + "/output (halves concatenated)",
                        model->forward(x, r, models::StageCConditioning::cat(half(0, 1), half(1, b))),
                        fixture.io("output"));
    }
}

} // namespace kaskade::parity
