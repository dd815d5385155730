#include "tests/mocks/fake_generator.h"

#include <QThread>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace kaskade::test {

RgbImage FakeGenerator::drawImage(int width, int height, std::uint64_t seed, int step)
{
    RgbImage image;
    image.width = width;
    image.height = height;
    image.rgb.resize(std::size_t(width) * height * 3);
    const int r0 = int(seed * 37 % 200), g0 = int(seed * 91 % 200), b0 = int(seed * 53 % 200);
    const int blur = step < 0 ? 0 : 40 - std::min(step, 40);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            std::uint8_t* px = &image.rgb[(std::size_t(y) * width + x) * 3];
            const int cx = x - width / 2, cy = y - height / 2;
            const bool disc = cx * cx + cy * cy < (std::min(width, height) * std::min(width, height)) / 9;
            px[0] = std::uint8_t(std::min(255, r0 + 55 * x / width + (disc ? 60 - blur : 0)));
            px[1] = std::uint8_t(std::min(255, g0 + 55 * y / height));
            px[2] = std::uint8_t(std::min(255, b0 + (disc ? 0 : 55 - blur)));
        }
    }
    return image;
}

void FakeGenerator::load(const ModelSpec& spec, const GenerationCallbacks& callbacks)
{
    ++state_->loads;
    if (callbacks.progress)
        callbacks.progress(Progress{.phase = Phase::Loading, .steps = 1, .message = spec.directory});
    if (state_->script.failLoad)
        throw Error(*state_->script.failLoad, "fake load failure: " + spec.directory + " has no stage_c.safetensors");
    if (const std::string& marker = state_->script.failLoadIfContains; !marker.empty()) {
        std::vector<std::string> names{spec.directory, spec.stageCFile, spec.stageBFile, deviceId(spec.device)};
        for (const LoraSpec& lora : spec.loras)
            names.push_back(lora.path);
        for (const std::string& name : names)
            if (name.find(marker) != std::string::npos)
                throw Error(state_->script.failLoadCode, name + ": " + state_->script.failLoadMessage);
    }
    info_ = ModelInfo{};
    info_.loaded = true;
    info_.demo = state_->script.demo;
    info_.summary = "Stage C fake · Stage B fake · fp32 · CPU";
    info_.device = "cpu";
    info_.dtype = "fp32";
    info_.memoryBytes = 12u << 20;
    info_.files = {{Role::StageC, spec.directory + "/stage_c.safetensors", 1234}};
    info_.loras = spec.loras;
}

GenerationResult FakeGenerator::generate(const GenerationParams& params, const GenerationCallbacks& callbacks)
{
    ++state_->generates;
    state_->recordParams(params);
    params.validate();
    if (!info_.loaded)
        throw Error(ErrorCode::InvalidArgument, "no model loaded");
    const auto started = std::chrono::steady_clock::now();
    const auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    // Unset seeds are drawn like the pipeline does, but predictably: 4242, 4243, ...
    const std::uint64_t seed = params.seed.value_or(4241 + std::uint64_t(state_->generates.load()));
    const auto runStage = [&](Role stage, int steps) {
        for (int step = 1; step <= steps; ++step) {
            ++state_->cancelChecks;
            if (callbacks.shouldCancel && callbacks.shouldCancel())
                throw Error(ErrorCode::Cancelled, "cancelled");
            if (state_->script.stepDelayMs > 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(state_->script.stepDelayMs));
            if (state_->script.failGenerate && stage == Role::StageC && step == 2)
                throw Error(*state_->script.failGenerate, "fake failure at Stage C step 2");
            if (callbacks.progress)
                callbacks.progress(Progress{Phase::Running, stage, step, steps, elapsed(), {}});
            if (callbacks.preview && stage == Role::StageC)
                callbacks.preview(
                    PreviewFrame{stage, step, steps, 0,
                                 drawImage(state_->script.previewSize, state_->script.previewSize, seed, step)});
        }
    };
    runStage(Role::StageC, params.stageC.steps);
    runStage(Role::StageB, params.stageB.steps);
    GenerationResult result;
    result.params = params;
    result.params.seed = seed;
    for (int i = 0; i < params.batch; ++i) {
        GeneratedImage image;
        image.image = drawImage(params.width, params.height, seed + i);
        image.seed = seed + i;
        image.index = i;
        image.prompt = params.prompt;
        result.images.push_back(std::move(image));
    }
    result.seconds = elapsed();
    return result;
}

core::EngineHooks fakeHooks(std::shared_ptr<FakeState> state)
{
    return {[state] { return std::make_unique<FakeGenerator>(state); }, [](const std::string&) {}};
}

} // namespace kaskade::test
