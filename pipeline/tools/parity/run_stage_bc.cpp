// Parity runners of the Stage B / Stage C networks: build the model from fixture.json "config" (official
// argument names), load every weight file (fp32 and bf16, both upcast to fp32), run the io inputs and
// compare "output". Each file is checked twice: through the plain forward, and with the conditioning
// encoded per batch half and concatenated (the classifier-free-guidance path of the sampler).
#include "pipeline/errors.h"
#include "pipeline/models/stage_b.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/tools/parity/runners.h"

#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

namespace kaskade::parity {
namespace {

std::string labelOf(const std::filesystem::path& file)
{
    std::string name = file.filename().string();
    const std::string suffix = ".safetensors";
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        name.resize(name.size() - suffix.size());
    return name;
}

const nlohmann::json& configOf(Fixture& fixture)
{
    auto it = fixture.json().find("config");
    if (it == fixture.json().end() || !it->is_object())
        throw Error(ErrorCode::BadFormat, (fixture.dir() / "fixture.json").string() + ": no \"config\" object");
    return *it;
}

models::TConds tCondsOf(Fixture& fixture)
{
    models::TConds tConds;
    for (const auto& name : fixture.json().value("forward_kwargs", nlohmann::json::array()))
        tConds.emplace_back(name.get<std::string>(), fixture.io(name.get<std::string>()));
    return tConds;
}

// The batch rows [begin, end) of every t_cond.
models::TConds sliceTConds(const models::TConds& tConds, std::int64_t begin, std::int64_t end)
{
    models::TConds out;
    for (const auto& [name, t] : tConds)
        out.emplace_back(name, t.slice(0, begin, end));
    return out;
}

// $KASKADE_PARITY_DEVICE (e.g. "cuda:0", set by packaging/gpu-check.sh): where the networks run; the
// inputs stay on the CPU (the modules move them) and the checker compares on the CPU.
at::TensorOptions parityOptions()
{
    const char* device = std::getenv("KASKADE_PARITY_DEVICE");
    return at::TensorOptions().dtype(at::kFloat).device(device && *device ? at::Device(device) : at::Device(at::kCPU));
}

} // namespace

void runStageCFixture(Fixture& fixture, Checker& checker)
{
    c10::InferenceMode inference;
    const auto& config = configOf(fixture);
    const auto x = fixture.io("x"), r = fixture.io("r");
    const auto text = fixture.io("clip_text"), pooled = fixture.io("clip_text_pooled"), img = fixture.io("clip_img");
    const auto tConds = tCondsOf(fixture);
    const auto expected = fixture.io("output");
    for (const auto& file : fixture.weightFiles()) {
        const std::string label = labelOf(file);
        models::StageC model = models::loadStageC(file, parityOptions(), &config);
        checker.compare(label + "/output", model->forward(x, r, text, pooled, img, tConds), expected);
        const auto b = x.size(0);
        if (b < 2)
            continue;
        auto half = [&](std::int64_t begin, std::int64_t end) {
            return model->encodeConditioning(text.slice(0, begin, end), pooled.slice(0, begin, end),
                                             img.slice(0, begin, end), sliceTConds(tConds, begin, end));
        };
        const auto cond = models::StageCConditioning::cat(half(0, 1), half(1, b));
        checker.compare(label + "/output (conditioning encoded per half, concatenated)", model->forward(x, r, cond),
                        expected);
    }
}

void runStageBFixture(Fixture& fixture, Checker& checker)
{
    c10::InferenceMode inference;
    const auto& config = configOf(fixture);
    const auto x = fixture.io("x"), r = fixture.io("r");
    const auto effnet = fixture.io("effnet"), clip = fixture.io("clip");
    const at::Tensor pixels = fixture.json().value("pixels_passed", false) ? fixture.io("pixels") : at::Tensor();
    const auto tConds = tCondsOf(fixture);
    const auto expected = fixture.io("output");
    for (const auto& file : fixture.weightFiles()) {
        const std::string label = labelOf(file);
        models::StageB model = models::loadStageB(file, parityOptions(), &config);
        checker.compare(label + "/output", model->forward(x, r, effnet, clip, pixels, tConds), expected);
        const auto b = x.size(0);
        if (b < 2)
            continue;
        auto half = [&](std::int64_t begin, std::int64_t end) {
            return model->encodeConditioning(effnet.slice(0, begin, end), clip.slice(0, begin, end),
                                             pixels.defined() ? pixels.slice(0, begin, end) : at::Tensor(),
                                             sliceTConds(tConds, begin, end), x.size(2), x.size(3));
        };
        const auto cond = models::StageBConditioning::cat(half(0, 1), half(1, b));
        checker.compare(label + "/output (conditioning encoded per half, concatenated)", model->forward(x, r, cond),
                        expected);
    }
}

} // namespace kaskade::parity
