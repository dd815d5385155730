#include "pipeline/tools/lora_bench.h"

#include "pipeline/tools/bench_support.h"

#include "pipeline/training/lora_trainer.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace kaskade::training {
namespace {

// N(0, 0.02) from one pool copied cyclically (drawing 2 G normals would take minutes).
void loraBenchRandomize(torch::nn::Module& module)
{
    at::NoGradGuard noGrad;
    const std::int64_t poolSize = 1 << 22;
    const at::Tensor pool = at::randn({poolSize}, at::kFloat) * 0.02;
    for (auto& p : module.parameters(true)) {
        auto flat = p.view(-1);
        for (std::int64_t begin = 0; begin < flat.numel(); begin += poolSize) {
            const std::int64_t n = std::min(poolSize, flat.numel() - begin);
            flat.slice(0, begin, begin + n).copy_(pool.slice(0, 0, n).to(p.device()));
        }
    }
}

} // namespace

std::string benchLoraTraining(const std::string& device, int repeats, int warmup,
                              const std::function<void(const std::string&)>& out)
{
    bench::resetPeakRss();
    const auto opts = at::TensorOptions().dtype(at::kFloat).device(at::Device(device));
    const auto start = std::chrono::steady_clock::now();
    auto seconds = [](std::chrono::steady_clock::time_point t) {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    };
    models::StageC generator(models::StageCConfig::lite(), opts);
    loraBenchRandomize(*generator);
    models::ClipTextModel text(models::ClipTextConfig{}, opts);
    loraBenchRandomize(*text);
    std::vector<std::int64_t> ids{49408};
    const at::Tensor table =
        at::cat({text->text_model->embeddings->token_embedding->weight.detach(), at::zeros({1, 1280}, opts)});
    extendTokenTable(*text, table);
    LoraState lora = createLora(*generator, 4, ids, 1280, at::make_generator<at::CPUGeneratorImpl>(1));
    LoraTrainer trainer(generator, text, lora, TrainerSettings{});
    char line[256];
    std::snprintf(line, sizeof line, "  built Stage C 1B + text encoder bigG in %.1f s", seconds(start));
    out(line);

    MicroInputs in;
    // train-lora --resolution 512: a 512×512 picture → 16×16 EfficientNet latents (1/32, as the official
    // training encodes; 12×12 is what *generating* 512² samples from).
    in.latents = at::randn({1, 16, 16, 16}, at::kFloat);
    in.inputIds = at::full({1, 77}, 49407, at::kLong);
    in.inputIds[0][0].fill_(49406);
    in.inputIds[0][1].fill_(49408);
    in.attentionMask = at::zeros({1, 77}, at::kLong);
    in.attentionMask[0].narrow(0, 0, 3).fill_(1);
    in.clipImg = at::zeros({1, 768}, at::kFloat);
    in.noise = at::randn({1, 16, 16, 16}, at::kFloat);
    in.tRand = at::rand({1}, at::kFloat);
    in.dropout = at::make_generator<at::CPUGeneratorImpl>(2); // Stage C 1B's dropout 0.1, as a run has it
    std::vector<double> times;
    for (int i = 0; i < warmup + repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        trainer.microStep(in);
        trainer.update();
        trainer.optimizer().zeroGrad();
        if (i >= warmup) {
            times.push_back(seconds(t0));
            std::snprintf(line, sizeof line, "  lora_train_1b update %d: %.2f s", i - warmup + 1, times.back());
            out(line);
        }
    }
    std::sort(times.begin(), times.end());
    std::snprintf(line, sizeof line,
                  "lora_train_1b: Stage C 1B + bigG text encoder, 512x512, batch 1, rank 4, fp32: update median %.2f s "
                  "(min %.2f, max %.2f, %zu runs), peak RSS %.2f GiB",
                  times.empty() ? 0.0 : times[times.size() / 2], times.empty() ? 0.0 : times.front(),
                  times.empty() ? 0.0 : times.back(), times.size(), bench::peakRssGiB());
    return line;
}

} // namespace kaskade::training
