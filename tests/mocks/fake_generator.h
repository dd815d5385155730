#pragma once
// FakeGenerator: a scripted kaskade::Generator for UI tests. No LibTorch: it reports progress and previews
// for the requested steps, draws a gradient that depends on the seed, honours shouldCancel at every step,
// and fails on request.

#include "app/core/generation_worker.h"
#include "pipeline/errors.h"
#include "pipeline/generator.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

namespace kaskade::test {

struct FakeScript
{
    int stepDelayMs = 0;                   // sleep per sampler step (lets tests cancel mid-job)
    std::optional<ErrorCode> failGenerate; // throw this from generate()
    std::optional<ErrorCode> failLoad;     // throw this from load()
    // Throw failLoadCode/failLoadMessage from load() when the folder, a Stage B/C file, a LoRA path or the
    // device of the spec contains this text (e.g. "bad" or "cuda"): other loads succeed.
    std::string failLoadIfContains;
    ErrorCode failLoadCode = ErrorCode::BadCheckpoint;
    std::string failLoadMessage = "fake: not a checkpoint of this model";
    int previewSize = 192; // preview images are previewSize² (the previewer's size)
    bool demo = true;
};

// Shared between the test and the generator living on the worker thread.
struct FakeState
{
    FakeScript script;
    std::atomic<int> loads{0};
    std::atomic<int> generates{0};
    std::atomic<int> cancelChecks{0};
    // The params of the last generate() call as they reached the generator (image inputs included).
    GenerationParams lastParams() const
    {
        std::lock_guard lock(paramsMutex);
        return lastParams_;
    }
    void recordParams(const GenerationParams& params)
    {
        std::lock_guard lock(paramsMutex);
        lastParams_ = params;
    }

private:
    mutable std::mutex paramsMutex;
    GenerationParams lastParams_;
};

class FakeGenerator final : public Generator
{
public:
    explicit FakeGenerator(std::shared_ptr<FakeState> state) : state_(std::move(state)) {}

    void load(const ModelSpec& spec, const GenerationCallbacks& callbacks) override;
    ModelInfo modelInfo() const override { return info_; }
    GenerationResult generate(const GenerationParams& params, const GenerationCallbacks& callbacks) override;

    static RgbImage drawImage(int width, int height, std::uint64_t seed, int step = -1);

private:
    std::shared_ptr<FakeState> state_;
    ModelInfo info_;
};

// Hooks for MainWindow / GenerationController with a fake generator and a no-op demo writer.
core::EngineHooks fakeHooks(std::shared_ptr<FakeState> state);

} // namespace kaskade::test
