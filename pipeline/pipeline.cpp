// CascadePipeline: one job = text encoder → Stage C → Stage B → Stage A (stable-cascade.md §9).
#include "pipeline/cascade_pipeline.h"

#include "pipeline/device.h"
#include "pipeline/errors.h"
#include "pipeline/model_loader.h"
#include "pipeline/models/previewer.h"
#include "pipeline/models/stage_a.h"
#include "pipeline/models/stage_b.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/pipeline.h"
#include "pipeline/sampling/gdf.h"
#include "pipeline/sampling/preview.h"
#include "pipeline/text/prompt_encoder.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>

#include <chrono>
#include <cstdio>
#include <random>

using kaskade::preview::imageToRgb;
using kaskade::preview::previewerToRgb;
using kaskade::preview::stageBLatentToRgb;
using kaskade::preview::stageCLatentToRgb;

namespace kaskade {
namespace {

using Clock = std::chrono::steady_clock;

// One CPU generator per image (seed, seed+1, ...): image i of a batch equals a single image made with
// its own seed, and a seed gives the same image on every device (noise is drawn on the CPU).
class PerImageNoise final : public NoiseSource {
public:
    explicit PerImageNoise(const std::vector<std::uint64_t>& seeds)
    {
        for (auto seed : seeds)
            generators_.push_back(at::make_generator<at::CPUGeneratorImpl>(seed));
    }
    at::Tensor draw(at::IntArrayRef shape, const at::Device& device) override
    {
        if (shape.empty() || shape[0] != static_cast<std::int64_t>(generators_.size()))
            throw Error(ErrorCode::Internal, "noise: batch size does not match the number of seeds");
        std::vector<at::Tensor> rows;
        for (auto& gen : generators_)
            rows.push_back(at::randn(shape.slice(1), gen, at::TensorOptions().dtype(at::kFloat)));
        return at::stack(rows).to(device);
    }

private:
    std::vector<at::Generator> generators_;
};

std::uint64_t randomSeed()
{
    std::random_device rd;
    // 32 bits keep seeds short to type and compatible with other apps' fields.
    return rd();
}

std::string stepName(const std::string& prefix, int step, const char* what)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s.step.%03d.%s", prefix.c_str(), step, what);
    return buffer;
}

// Any multiple of 8 runs as the official code runs it (Stage B's PixelUnshuffle(2) needs an even
// ⌈H/4⌉; other odd sizes are resized inside the networks). Other sizes are snapped to the nearest
// multiple of 128, with a note for the user.
int snapSize(int pixels, const char* what, std::vector<std::string>& notes)
{
    if (pixels % 8 == 0)
        return pixels;
    const int snapped = std::max(128, (pixels + 64) / 128 * 128);
    notes.push_back(std::string(what) + " " + std::to_string(pixels) + " snapped to " + std::to_string(snapped));
    return snapped;
}

} // namespace

struct CascadePipeline::State {
    LoadedModels models;
    // The last job's text conditioning: a job that changes only the seed (or sampling settings) skips the
    // text encoder, even when one-stage-at-a-time residency released it.
    std::string textKey;
    text::TextConditioning cond, uncond;
};

CascadePipeline::CascadePipeline() : state_(std::make_unique<State>()) {}
CascadePipeline::~CascadePipeline() = default;

void CascadePipeline::load(const ModelSpec& spec, const GenerationCallbacks& callbacks)
{
    state_->models.open(spec, callbacks);
}

ModelInfo CascadePipeline::modelInfo() const { return state_->models.info(); }

int CascadePipeline::textEncoderRuns() const { return state_->models.textEncoderRuns(); }

GenerationResult CascadePipeline::generate(const GenerationParams& params, const GenerationCallbacks& callbacks)
{
    return run(params, callbacks, {});
}

GenerationResult CascadePipeline::run(const GenerationParams& requested, const GenerationCallbacks& callbacks,
                                      const JobOverrides& overrides)
{
    requested.validate();
    LoadedModels& models = state_->models;
    if (!models.isOpen())
        throw Error(ErrorCode::InvalidArgument, "no model is loaded");
    c10::InferenceMode inference;
    const auto start = Clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    auto cancelled = [&] { return callbacks.shouldCancel && callbacks.shouldCancel(); };
    auto checkCancel = [&] {
        if (cancelled())
            throw Error(ErrorCode::Cancelled, "generation cancelled");
    };
    auto report = [&](Stage stage, int step, int steps) {
        if (callbacks.progress)
            callbacks.progress(Progress{stage, step, steps, elapsed(), {}});
    };
    auto trace = [&](const std::string& name, const at::Tensor& value) {
        if (overrides.trace)
            overrides.trace(name, value);
    };

    GenerationResult result;
    GenerationParams params = requested;
    params.width = snapSize(params.width, "width", result.notes);
    params.height = snapSize(params.height, "height", result.notes);
    if (!params.seed)
        params.seed = randomSeed();
    const int batch = params.batch;
    std::vector<std::string> prompts = params.batchPrompts;
    if (prompts.empty())
        prompts.assign(batch, params.prompt);
    std::vector<std::uint64_t> seeds;
    for (int i = 0; i < batch; ++i)
        seeds.push_back(*params.seed + static_cast<std::uint64_t>(i));

    const at::Device device = models.device();
    const text::PromptEncodeOptions promptOptions{params.promptOptions.emphasis,
                                                  params.promptOptions.chunkLongPrompts};

    // 1. Text conditioning (cached per prompt: a new seed does not run the text model again).
    report(Stage::TextEncoder, 0, 1);
    std::string textKey = params.negativePrompt + '\x1f' + std::to_string(promptOptions.emphasis) +
                          std::to_string(promptOptions.chunkLongPrompts);
    for (const auto& p : prompts)
        textKey += '\x1e' + p;
    if (textKey != state_->textKey || !state_->cond.clipText.defined()) {
        state_->textKey.clear();
        auto& encoder = models.promptEncoder(callbacks);
        auto cond = encoder.encode(prompts, promptOptions);
        auto uncond = encoder.encode(std::vector<std::string>(batch, params.negativePrompt), promptOptions);
        const auto windows = std::max(cond.windowCount(), uncond.windowCount());
        if (cond.windowCount() != uncond.windowCount()) {
            cond = text::padWindows(cond, encoder.emptyWindow(), windows);
            uncond = text::padWindows(uncond, encoder.emptyWindow(), windows);
        }
        state_->cond = std::move(cond);
        state_->uncond = std::move(uncond);
        state_->textKey = textKey;
    }
    const text::TextConditioning& cond = state_->cond;
    const text::TextConditioning& uncond = state_->uncond;
    for (bool truncated : cond.truncated)
        if (truncated) {
            result.notes.push_back("prompt longer than 75 tokens was truncated (enable long-prompt chunking to keep it)");
            break;
        }
    models.releaseTextEncoderIfSequential();
    report(Stage::TextEncoder, 1, 1);
    checkCancel();

    const gdf::Gdf gdf;
    PerImageNoise seededC(seeds);
    NoiseSource& noiseC = overrides.stageCNoise ? *overrides.stageCNoise : seededC;

    // 2. Stage C: 16 × ⌈H/42.67⌉ × ⌈W/42.67⌉ EfficientNet latents.
    at::Tensor sampledC;
    {
        StageC stageC = models.stageC(callbacks);
        const auto& cfg = stageC->config();
        const auto floatOpts = at::TensorOptions().dtype(at::kFloat).device(device);
        const at::Tensor clipText = cond.clipText.to(floatOpts), clipPooled = cond.clipTextPooled.to(floatOpts);
        const at::Tensor clipImg = at::zeros({batch, 1, cfg.cClipImg}, floatOpts);
        const at::Tensor uClipText = uncond.clipText.to(floatOpts), uClipPooled = uncond.clipTextPooled.to(floatOpts);
        trace("cond.clip_text", clipText);
        trace("cond.clip_text_pooled", clipPooled);
        trace("cond.clip_img", clipImg);
        trace("uncond.clip_text", uClipText);
        trace("uncond.clip_text_pooled", uClipPooled);
        trace("uncond.clip_img", clipImg);

        const bool guided = params.stageC.cfg > 0;
        const StageCConditioning conditioning =
            guided ? stageC->encodeConditioning(at::cat({clipText, uClipText}), at::cat({clipPooled, uClipPooled}),
                                                at::cat({clipImg, clipImg}))
                   : stageC->encodeConditioning(clipText, clipPooled, clipImg);
        gdf::SampleOptions options;
        options.shape = {batch, cfg.cIn, stageCLatentSize(params.height), stageCLatentSize(params.width)};
        options.steps = params.stageC.steps;
        options.cfg = guided ? c10::optional<double>(params.stageC.cfg) : c10::nullopt;
        options.rho = params.cfgRho;
        options.shift = params.stageC.shift;
        options.sampler = params.sampler;
        options.device = device;

        auto previewer = models.previewer(callbacks);
        auto model = [&](const at::Tensor& x, const at::Tensor& r) { return stageC->forward(x, r, conditioning); };
        auto onStep = [&](const gdf::StepView& s) {
            trace(stepName("stage_c", s.step, "model_r"), s.r);
            trace(stepName("stage_c", s.step, "pred_cond"), s.predCond);
            if (s.predUncond.defined())
                trace(stepName("stage_c", s.step, "pred_uncond"), s.predUncond);
            trace(stepName("stage_c", s.step, "pred"), s.pred);
            trace(stepName("stage_c", s.step, "x0"), s.x0);
            trace(stepName("stage_c", s.step, "x"), s.x);
            report(Stage::StageC, s.step + 1, s.steps);
            if (callbacks.preview) {
                const auto images = previewer ? previewerToRgb((*previewer)->forward(s.x0.to(at::kFloat)))
                                              : stageCLatentToRgb(s.x0);
                for (std::size_t i = 0; i < images.size(); ++i)
                    callbacks.preview(PreviewFrame{Stage::StageC, s.step + 1, s.steps, static_cast<int>(i), images[i]});
            }
            return !cancelled();
        };
        report(Stage::StageC, 0, params.stageC.steps);
        const auto sampled = gdf.sample(model, options, noiseC, onStep);
        sampledC = sampled.x0;
        trace("stage_c.r_range", sampled.rRange);
        trace("stage_c.logSNR_range", sampled.logSNRRange);
        trace("stage_c.noise_cond_range", gdf.noiseCond(sampled.logSNRRange));
        trace("stage_c.final_x", sampled.x);
        trace("stage_c.final_x0", sampled.x0);
        trace("stage_c.sampled", sampledC);
        if (previewer)
            trace("preview", (*previewer)->forward(sampledC));
    }
    models.releaseStageCIfSequential();
    checkCancel();

    // 3. Stage B: 4 × ⌈H/4⌉ × ⌈W/4⌉ Stage A latents, conditioned on the Stage C result and the pooled text.
    NoiseSource& noiseB = overrides.stageBNoise ? *overrides.stageBNoise : noiseC;
    at::Tensor sampledB;
    {
        StageB stageB = models.stageB(callbacks);
        const auto& cfg = stageB->config();
        const auto floatOpts = at::TensorOptions().dtype(at::kFloat).device(device);
        const at::Tensor clip = cond.clipTextPooled.to(floatOpts), uClip = uncond.clipTextPooled.to(floatOpts);
        trace("cond_b.clip", clip);
        trace("uncond_b.clip", uClip);
        const std::int64_t h = stageBLatentSize(params.height), w = stageBLatentSize(params.width);
        const bool guided = params.stageB.cfg > 0;
        const StageBConditioning conditioning =
            guided ? stageB->encodeConditioning(at::cat({sampledC, at::zeros_like(sampledC)}), at::cat({clip, uClip}),
                                                {}, {}, h, w)
                   : stageB->encodeConditioning(sampledC, clip, {}, {}, h, w);
        gdf::SampleOptions options;
        options.shape = {batch, cfg.cIn, h, w};
        options.steps = params.stageB.steps;
        options.cfg = guided ? c10::optional<double>(params.stageB.cfg) : c10::nullopt;
        options.rho = params.cfgRho;
        options.shift = params.stageB.shift;
        options.sampler = params.sampler;
        options.device = device;

        auto model = [&](const at::Tensor& x, const at::Tensor& r) { return stageB->forward(x, r, conditioning); };
        auto onStep = [&](const gdf::StepView& s) {
            trace(stepName("stage_b", s.step, "model_r"), s.r);
            trace(stepName("stage_b", s.step, "pred_cond"), s.predCond);
            if (s.predUncond.defined())
                trace(stepName("stage_b", s.step, "pred_uncond"), s.predUncond);
            trace(stepName("stage_b", s.step, "pred"), s.pred);
            trace(stepName("stage_b", s.step, "x0"), s.x0);
            trace(stepName("stage_b", s.step, "x"), s.x);
            report(Stage::StageB, s.step + 1, s.steps);
            if (callbacks.preview) {
                const auto images = stageBLatentToRgb(s.x0);
                for (std::size_t i = 0; i < images.size(); ++i)
                    callbacks.preview(PreviewFrame{Stage::StageB, s.step + 1, s.steps, static_cast<int>(i), images[i]});
            }
            return !cancelled();
        };
        report(Stage::StageB, 0, params.stageB.steps);
        const auto sampled = gdf.sample(model, options, noiseB, onStep);
        sampledB = sampled.x0;
        trace("stage_b.r_range", sampled.rRange);
        trace("stage_b.logSNR_range", sampled.logSNRRange);
        trace("stage_b.noise_cond_range", gdf.noiseCond(sampled.logSNRRange));
        trace("stage_b.final_x", sampled.x);
        trace("stage_b.final_x0", sampled.x0);
        trace("stage_b.sampled", sampledB);
    }
    models.releaseStageBIfSequential();
    checkCancel();

    // 4. Stage A: latents × 0.43 → RGB, clamped to [0,1].
    report(Stage::StageA, 0, 1);
    at::Tensor image;
    {
        auto stageA = models.stageA(callbacks);
        // One image at a time: at 1024² Stage A's last ResBlock needs ~0.8 GB per image in fp32.
        std::vector<at::Tensor> decoded;
        for (std::int64_t i = 0; i < sampledB.size(0); ++i)
            decoded.push_back(stageA->decode(sampledB.slice(0, i, i + 1).to(at::kFloat)).to(at::kFloat));
        const at::Tensor raw = at::cat(decoded);
        trace("image_raw", raw);
        image = raw.clamp(0, 1);
        trace("image", image);
    }
    report(Stage::StageA, 1, 1);

    const auto rgb = imageToRgb(image);
    for (int i = 0; i < batch; ++i)
        result.images.push_back(GeneratedImage{rgb[i], seeds[i], i, prompts[i]});
    result.params = params;
    result.seconds = elapsed();
    return result;
}

std::unique_ptr<Generator> createPipeline() { return std::make_unique<CascadePipeline>(); }

} // namespace kaskade
