// Benchmark of one sampler step of the real-size Stage C / Stage B: the networks are built at their
// released configurations with random weights (N(0, 0.02) in the compute dtype; the time does not
// depend on the values), the conditioning of a cond+uncond batch of 2 is encoded once (as during
// sampling), then forward() runs on the 1024×1024 latents: Stage C (2,16,24,24), Stage B (2,4,256,256).
// One model at a time, freed before the next (fp32 Stage C 3.6B alone is 14.4 GB).
#include "pipeline/tools/bench.h"
#include "pipeline/tools/bench_support.h"

#include "pipeline/device.h"
#include "pipeline/errors.h"
#include "pipeline/models/controlnet.h"
#include "pipeline/models/effnet_encoder.h"
#include "pipeline/models/stage_b.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/tools/lora_bench.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/profiler_legacy.h>

#ifdef KASKADE_HAVE_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace kaskade {
namespace {

struct BenchModel
{
    const char* name;
    const char* alias;
    bool stageC;
    bool lite;
    const char* image = nullptr; // "effnet" / "controlnet": an image-input network, run once per image
};

constexpr BenchModel kModels[] = {
    {"stage_c_1b", "stage_c_lite", true, true},
    {"stage_c_3.6b", "stage_c", true, false},
    {"stage_b_700m", "stage_b_lite", false, true},
    {"stage_b_1.5b", "stage_b_3b", false, false},
    {"effnet_encoder", "effnet", false, false, "effnet"},
    {"controlnet_canny", "controlnet", false, false, "controlnet"},
    {"lora_train_1b", "lora_train", true, true, "lora"}, // one LoRA training update; only when asked for (--only)
};

void synchronize(const at::Tensor& t)
{
    if (t.is_cuda())
        (void)t.sum().item<float>(); // waits for the stream
}

double seconds(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// N(0, 0.02) values: one random pool copied cyclically into every parameter (drawing billions of
// normals takes minutes on a small CPU; the step time does not depend on the values).
void randomize(torch::nn::Module& module)
{
    at::NoGradGuard noGrad;
    const std::int64_t poolSize = 1 << 22;
    at::Tensor pool;
    for (auto& p : module.parameters(true)) {
        if (!pool.defined())
            pool = (at::randn({poolSize}, at::TensorOptions().dtype(at::kFloat)) * 0.02).to(p.options());
        auto flat = p.view(-1);
        for (std::int64_t begin = 0; begin < flat.numel(); begin += poolSize) {
            const std::int64_t n = std::min(poolSize, flat.numel() - begin);
            flat.slice(0, begin, begin + n).copy_(pool.slice(0, 0, n));
        }
    }
}

// BatchNorms as identities (statistics 0/1, weight 1, bias 0): with N(0, 0.02) scales the activations of a
// 60-layer EfficientNet would decay into denormals, which are 100× slower on a CPU and distort the time.
void randomizeBatchNormStats(torch::nn::Module& module)
{
    std::vector<std::string> norms; // "backbone.1.0.block.0.1." ...
    for (auto& item : module.named_buffers(true)) {
        const auto& name = item.key();
        const auto at = name.rfind("running_var");
        if (at != std::string::npos) {
            item.value().fill_(1.0);
            norms.push_back(name.substr(0, at));
        } else if (name.find("running_mean") != std::string::npos) {
            item.value().zero_();
        }
    }
    for (auto& item : module.named_parameters(true))
        for (const auto& prefix : norms) {
            if (item.key() == prefix + "weight")
                item.value().fill_(1.0);
            else if (item.key() == prefix + "bias")
                item.value().zero_();
        }
}

std::int64_t parameterCount(torch::nn::Module& module)
{
    std::int64_t n = 0;
    for (const auto& p : module.parameters(true))
        n += p.numel();
    return n;
}

// Builds, fills and times one model; returns the report line.
std::string benchOne(const BenchModel& which, const at::TensorOptions& options, const StepBenchOptions& opts,
                     const std::function<void(const std::string&)>& out)
{
    c10::InferenceMode inference;
    const bool rssReset = bench::resetPeakRss();
#ifdef KASKADE_HAVE_CUDA
    if (options.device().is_cuda())
        c10::cuda::CUDACachingAllocator::resetPeakStats(options.device().index());
#endif
    const auto start = std::chrono::steady_clock::now();
    const auto f32 = at::TensorOptions().device(options.device()).dtype(at::kFloat);
    std::function<at::Tensor()> step;
    std::int64_t params = 0;
    double encodeSeconds = 0;

    if (which.image && std::string(which.image) == "effnet") {
        // EfficientNetV2-S encoder of a 1024×1024 image (img2img, inpainting, super-resolution inputs).
        models::EfficientNetEncoder model(models::EffnetFeaturesConfig::efficientNetV2S(3), 16, options);
        randomize(*model);
        randomizeBatchNormStats(*model);
        params = parameterCount(*model);
        out(std::string("  built ") + which.name + bench::formatNumbers(" in %.1f s", seconds(start)));
        const auto images = at::rand({1, 3, 1024, 1024}, f32);
        step = [model, images] { return models::effnetEncodeImages(model, images); };
    } else if (which.image) {
        // The released canny ControlNet (effnet bottleneck, c_in 1, 8 projections to 2048) on a 1024² edge map.
        models::ControlNetConfig config;
        config.cIn = 1;
        config.effnet = models::EffnetFeaturesConfig::efficientNetV2S(1);
        models::ControlNet model(config, options);
        randomize(*model);
        randomizeBatchNormStats(*model);
        params = parameterCount(*model);
        out(std::string("  built ") + which.name + bench::formatNumbers(" in %.1f s", seconds(start)));
        const auto edges = at::rand({1, 1, 1024, 1024}, f32).gt(0.9).to(at::kFloat);
        step = [model, edges] { return model->forward(edges).front(); };
    } else if (which.stageC) {
        models::checkStageCDtype(options.dtype().toScalarType());
        models::StageC model(which.lite ? models::StageCConfig::lite() : models::StageCConfig::full(), options);
        randomize(*model);
        params = parameterCount(*model);
        out(std::string("  built ") + which.name + bench::formatNumbers(" in %.1f s", seconds(start)));
        const auto x = at::randn({2, 16, 24, 24}, f32), r = at::full({2}, 0.7f, f32);
        const auto t0 = std::chrono::steady_clock::now();
        auto cond = std::make_shared<models::StageCConditioning>(model->encodeConditioning(
            at::randn({2, 77, 1280}, f32), at::randn({2, 1, 1280}, f32), at::zeros({2, 1, 768}, f32)));
        synchronize(cond->attention.front().k);
        encodeSeconds = seconds(t0);
        step = [model, cond, x, r] { return model->forward(x, r, *cond); };
    } else {
        models::checkStageBDtype(options.dtype().toScalarType());
        models::StageB model(which.lite ? models::StageBConfig::lite() : models::StageBConfig::large(), options);
        randomize(*model);
        params = parameterCount(*model);
        out(std::string("  built ") + which.name + bench::formatNumbers(" in %.1f s", seconds(start)));
        const auto x = at::randn({2, 4, 256, 256}, f32), r = at::full({2}, 0.7f, f32);
        const auto t0 = std::chrono::steady_clock::now();
        auto cond = std::make_shared<models::StageBConditioning>(
            model->encodeConditioning(at::randn({2, 16, 24, 24}, f32), at::randn({2, 1, 1280}, f32), {}, {}, 256, 256));
        synchronize(cond->effnetMapped);
        encodeSeconds = seconds(t0);
        step = [model, cond, x, r] { return model->forward(x, r, *cond); };
    }

    for (int i = 0; i < opts.warmup; ++i)
        synchronize(step());
    if (!opts.profile.empty()) { // one step under LibTorch's profiler: where do the seconds go
        torch::autograd::profiler::RecordProfile guard(opts.profile);
        synchronize(step());
    }
    std::vector<double> times;
    for (int i = 0; i < opts.repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto eps = step();
        synchronize(eps);
        times.push_back(seconds(t0));
        out(std::string("  ") + which.name + " step " + std::to_string(i + 1) +
            bench::formatNumbers(": %.2f s", times.back()));
    }
    std::sort(times.begin(), times.end());
    const double median = times[times.size() / 2]; // repeats >= 1
    std::string memory =
        bench::formatNumbers("peak RSS %.2f GiB", bench::peakRssGiB()) + (rssReset ? "" : " (process)");
#ifdef KASKADE_HAVE_CUDA
    if (options.device().is_cuda()) {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(options.device().index());
        memory += bench::formatNumbers(", peak CUDA allocated %.2f GiB", stats.allocated_bytes[0].peak / 1073741824.0);
    }
#endif
    char line[256];
    std::snprintf(line, sizeof line,
                  "%s: %.3fB params, step median %.2f s (min %.2f, max %.2f, %zu runs), conditioning encode %.3f s, ",
                  which.name, params / 1e9, median, times.front(), times.back(), times.size(), encodeSeconds);
    return line + memory;
}

} // namespace

std::string stepBenchNames()
{
    std::string names;
    for (const auto& model : kModels) {
        if (!names.empty())
            names += '|';
        names += model.name;
    }
    return names;
}

int runStepBench(const StepBenchOptions& opts, const BenchOutput& out)
{
    try {
        const std::string device = resolveDevice(opts.device);
        const std::string dtype = resolveDtype(opts.dtype, device);
        const auto scalar = dtype == "bf16" ? at::kBFloat16 : dtype == "fp16" ? at::kHalf : at::kFloat;
        const auto options = at::TensorOptions().device(at::Device(device)).dtype(scalar);
        std::string where = device;
        for (const auto& d : listDevices())
            if (d.id == device)
                where +=
                    " (" + d.name + (device == "cpu" ? ", " + std::to_string(threadCount()) + " threads" : "") + ")";
        out("bench: one sampler step (cond+uncond batch 2, 1024x1024) on " + where + ", " + dtype + ", " +
            torchVersionString() + ", repeats " + std::to_string(opts.repeats) + ", warmup " +
            std::to_string(opts.warmup));
        int ran = 0;
        for (const auto& model : kModels) {
            const bool training = model.image && std::string(model.image) == "lora";
            const bool selected = (opts.only.empty() && !training) ||
                                  std::any_of(opts.only.begin(), opts.only.end(), [&](const std::string& name) {
                                      return name == model.name || name == model.alias;
                                  });
            if (!selected)
                continue;
            ++ran;
            try {
                out(training ? training::benchLoraTraining(device, opts.repeats, opts.warmup, out)
                             : benchOne(model, options, opts, out));
            } catch (const Error& e) {
                out(std::string(model.name) + ": skipped: " + e.what());
            } catch (const std::exception& e) { // c10::Error (out of memory ...)
                out(std::string(model.name) + ": failed: " + e.what());
            }
            malloc_trim(0); // give the freed weights back before the next model
        }
        if (ran == 0) {
            out("bench: --only matched no model (" + stepBenchNames() + ")");
            return 2;
        }
        return 0;
    } catch (const Error& e) {
        out(std::string("bench: ") + e.what());
        return exitStatusFor(e.code());
    }
}

} // namespace kaskade
