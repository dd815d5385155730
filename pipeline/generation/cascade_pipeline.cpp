// CascadePipeline: one job = text encoder → Stage C → Stage B → Stage A (stable-cascade.md §9).
#include "pipeline/generation/cascade_pipeline.h"

#include "pipeline/device.h"
#include "pipeline/errors.h"
#include "pipeline/generation/image_procedures.h"
#include "pipeline/loading/model_loader.h"
#include "pipeline/models/common_blocks.h"
#include "pipeline/models/previewer.h"
#include "pipeline/models/stage_a.h"
#include "pipeline/models/stage_b.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/pipeline.h"
#include "pipeline/runtime/cpu_allocator.h"
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
class PerImageNoise final : public NoiseSource
{
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

// What one job reports to its caller: progress, previews, cancellation and the parity trace.
struct Job
{
    const GenerationCallbacks& callbacks;
    const JobOverrides& overrides;
    Clock::time_point start = Clock::now();

    double elapsed() const { return std::chrono::duration<double>(Clock::now() - start).count(); }
    bool cancelled() const { return callbacks.shouldCancel && callbacks.shouldCancel(); }
    void checkCancel() const
    {
        if (cancelled())
            throw Error(ErrorCode::Cancelled, "generation cancelled");
    }
    void report(Role network, int step, int steps) const
    {
        if (callbacks.progress)
            callbacks.progress(Progress{Phase::Running, network, step, steps, elapsed(), {}});
    }
    void trace(const std::string& name, const at::Tensor& value) const
    {
        if (overrides.trace)
            overrides.trace(name, value);
    }
};

// NaN/inf anywhere becomes a black (or noise) image that looks like success: stop with the cause instead.
void pipelineRequireFinite(const at::Tensor& value, const char* what, const char* likelyCause)
{
    if (value.defined() && value.numel() > 0 && !at::isfinite(value).all().item<bool>())
        throw Error(ErrorCode::BadCheckpoint,
                    std::string(what) + " holds NaN or infinite values (" + likelyCause + ")");
}

std::string stepName(const std::string& prefix, int step, const char* what)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s.step.%03d.%s", prefix.c_str(), step, what);
    return buffer;
}

// One stage's GDF sampling with its progress, per-step previews of x0 and trace ("stage_c.step.NNN.x0" ...).
gdf::SampleResult sampleStage(const Job& job, Role network, const gdf::Model& model, const gdf::SampleOptions& options,
                              NoiseSource& noise,
                              const std::function<std::vector<RgbImage>(const at::Tensor&)>& preview)
{
    const gdf::Gdf gdf;
    const std::string prefix = roleName(network);
    auto onStep = [&](const gdf::StepView& s) {
        job.trace(stepName(prefix, s.step, "model_r"), s.r);
        job.trace(stepName(prefix, s.step, "pred_cond"), s.predCond);
        if (s.predUncond.defined())
            job.trace(stepName(prefix, s.step, "pred_uncond"), s.predUncond);
        job.trace(stepName(prefix, s.step, "pred"), s.pred);
        job.trace(stepName(prefix, s.step, "x0"), s.x0);
        job.trace(stepName(prefix, s.step, "x"), s.x);
        job.report(network, s.step + 1, s.steps);
        if (job.callbacks.preview) {
            const auto images = preview(s.x0);
            for (std::size_t i = 0; i < images.size(); ++i)
                job.callbacks.preview(PreviewFrame{network, s.step + 1, s.steps, static_cast<int>(i), images[i]});
        }
        return !job.cancelled();
    };
    job.report(network, 0, options.steps);
    auto sampled = gdf.sample(model, options, noise, onStep);
    job.trace(prefix + ".r_range", sampled.rRange);
    job.trace(prefix + ".logSNR_range", sampled.logSNRRange);
    job.trace(prefix + ".noise_cond_range", gdf.noiseCond(sampled.logSNRRange));
    job.trace(prefix + ".final_x", sampled.x);
    job.trace(prefix + ".final_x0", sampled.x0);
    job.trace(prefix + ".sampled", sampled.x0);
    return sampled;
}

gdf::SampleOptions samplingOptions(const GenerationParams& params, const StageSampling& stage,
                                   std::vector<std::int64_t> shape, const at::Device& device)
{
    gdf::SampleOptions options;
    options.shape = std::move(shape);
    options.steps = stage.steps;
    options.cfg = stage.cfg > 0 ? c10::optional<double>(stage.cfg) : c10::nullopt;
    options.rho = params.cfgRho;
    options.shift = stage.shift;
    options.sampler = params.sampler;
    options.device = device;
    return options;
}

} // namespace

struct CascadePipeline::State
{
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

ModelInfo CascadePipeline::modelInfo() const
{
    return state_->models.info();
}

int CascadePipeline::textEncoderRuns() const
{
    return state_->models.textEncoderRuns();
}

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
    const Job job{callbacks, overrides};
    const models::ForwardCancelScope cancelInsideNetworks(callbacks.shouldCancel); // Ctrl+C within a big step

    GenerationResult result;
    GenerationParams params = requested;
    const bool imageJob = params.images.any();
    if (!imageJob) { // image jobs take their size from the Stage C grid (image_procedures.h)
        params.width = snapSize(params.width, "width", result.notes);
        params.height = snapSize(params.height, "height", result.notes);
    }
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
    const text::PromptEncodeOptions promptOptions{params.promptOptions.emphasis, params.promptOptions.chunkLongPrompts};

    // 1. Text conditioning (cached per prompt: a new seed does not run the text model again).
    job.report(Role::TextEncoder, 0, 1);
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
    for (const auto* c : {&cond, &uncond}) {
        static const char* const cause = "prompt weights too large, or a broken text encoder";
        pipelineRequireFinite(c->clipText, "the text conditioning", cause);
        pipelineRequireFinite(c->clipTextPooled, "the pooled text conditioning", cause);
    }
    for (bool truncated : cond.truncated)
        if (truncated) {
            result.notes.push_back(
                "prompt longer than 75 tokens was truncated (enable long-prompt chunking to keep it)");
            break;
        }
    models.releaseTextEncoderIfSequential();
    job.report(Role::TextEncoder, 1, 1);
    job.checkCancel();

    PerImageNoise seededC(seeds);
    NoiseSource& noiseC = overrides.stageCNoise ? *overrides.stageCNoise : seededC;

    // Image inputs: init latents, image embedding, ControlNet feeds, and the output size they imply.
    procedures::ImageJob imageInputs;
    if (imageJob) {
        imageInputs = procedures::prepareImageJob(params, models, callbacks, overrides.images, noiseC, overrides.trace,
                                                  result.notes);
        params.height = imageInputs.height;
        params.width = imageInputs.width;
        job.checkCancel();
    }

    // 2. Stage C: 16 × ⌈H/42.67⌉ × ⌈W/42.67⌉ EfficientNet latents (skipped by reconstruction, whose
    // Stage B condition is the picture's own latents).
    at::Tensor sampledC;
    if (imageInputs.stageC) {
        models::StageC stageC = models.stageC(callbacks);
        const auto& cfg = stageC->config();
        const auto floatOpts = at::TensorOptions().dtype(at::kFloat).device(device);
        const at::Tensor clipText = cond.clipText.to(floatOpts), clipPooled = cond.clipTextPooled.to(floatOpts);
        const at::Tensor zeroClipImg = at::zeros({batch, 1, cfg.cClipImg}, floatOpts);
        const at::Tensor& clipImg = imageInputs.clipImg.defined() ? imageInputs.clipImg : zeroClipImg;
        if (clipImg.size(2) != cfg.cClipImg)
            throw Error(ErrorCode::Unsupported, "the image encoder's embedding has " + std::to_string(clipImg.size(2)) +
                                                    " values; Stage C expects " + std::to_string(cfg.cClipImg));
        const at::Tensor uClipText = uncond.clipText.to(floatOpts), uClipPooled = uncond.clipTextPooled.to(floatOpts);
        job.trace("cond.clip_text", clipText);
        job.trace("cond.clip_text_pooled", clipPooled);
        job.trace("cond.clip_img", clipImg);
        job.trace("uncond.clip_text", uClipText);
        job.trace("uncond.clip_text_pooled", uClipPooled);
        job.trace("uncond.clip_img", zeroClipImg);

        const bool guided = params.stageC.cfg > 0;
        models::StageCConditioning conditioning =
            guided ? stageC->encodeConditioning(at::cat({clipText, uClipText}), at::cat({clipPooled, uClipPooled}),
                                                at::cat({clipImg, zeroClipImg}))
                   : stageC->encodeConditioning(clipText, clipPooled, clipImg);
        // The same ControlNet feeds for cond and uncond (gdf.sample concatenates each list entry).
        for (const auto& feed : imageInputs.cnet)
            conditioning.cnet.push_back(feed.defined() && guided ? at::cat({feed, feed}) : feed);
        auto options =
            samplingOptions(params, params.stageC,
                            {batch, cfg.cIn, stageCLatentSize(params.height, imageJob ? 0 : params.compression),
                             stageCLatentSize(params.width, imageJob ? 0 : params.compression)},
                            device);
        if (imageJob) {
            options.steps = imageInputs.stepsC;
            options.tStart = imageInputs.tStart;
            options.xInit = imageInputs.xInit;
        }
        auto previewer = models.previewer(callbacks);
        auto model = [&](const at::Tensor& x, const at::Tensor& r) { return stageC->forward(x, r, conditioning); };
        auto preview = [&](const at::Tensor& x0) {
            return previewer ? previewerToRgb((*previewer)->forward(x0.to(at::kFloat))) : stageCLatentToRgb(x0);
        };
        sampledC = sampleStage(job, Role::StageC, model, options, noiseC, preview).x0;
        pipelineRequireFinite(sampledC, "the Stage C result",
                              "Stage C overflowed: check its weights, the LoRAs and their strengths, or use bf16/fp32");
        if (previewer)
            job.trace("preview", (*previewer)->forward(sampledC));
        models.releaseStageCIfSequential();
    } else {
        sampledC = imageInputs.stageBEffnet;
    }
    job.checkCancel();

    // 3. Stage B: 4 × ⌈H/4⌉ × ⌈W/4⌉ Stage A latents, conditioned on the Stage C result and the pooled text.
    NoiseSource& noiseB = overrides.stageBNoise ? *overrides.stageBNoise : noiseC;
    at::Tensor sampledB;
    {
        models::StageB stageB = models.stageB(callbacks);
        const auto& cfg = stageB->config();
        const auto floatOpts = at::TensorOptions().dtype(at::kFloat).device(device);
        const at::Tensor clip = cond.clipTextPooled.to(floatOpts), uClip = uncond.clipTextPooled.to(floatOpts);
        job.trace("cond_b.clip", clip);
        job.trace("uncond_b.clip", uClip);
        const std::int64_t h = stageBLatentSize(params.height), w = stageBLatentSize(params.width);
        const bool guided = params.stageB.cfg > 0;
        const models::StageBConditioning conditioning =
            guided ? stageB->encodeConditioning(at::cat({sampledC, at::zeros_like(sampledC)}), at::cat({clip, uClip}),
                                                {}, {}, h, w)
                   : stageB->encodeConditioning(sampledC, clip, {}, {}, h, w);
        const auto options = samplingOptions(params, params.stageB, {batch, cfg.cIn, h, w}, device);
        auto model = [&](const at::Tensor& x, const at::Tensor& r) { return stageB->forward(x, r, conditioning); };
        sampledB = sampleStage(job, Role::StageB, model, options, noiseB, stageBLatentToRgb).x0;
        pipelineRequireFinite(sampledB, "the Stage B result", "Stage B overflowed: check its weights or use bf16/fp32");
    }
    models.releaseStageBIfSequential();
    job.checkCancel();

    // 4. Stage A: latents × 0.43 → RGB, clamped to [0,1].
    job.report(Role::StageA, 0, 1);
    at::Tensor image;
    {
        auto stageA = models.stageA(callbacks);
        // One image at a time: the 512² level of a 1024² decode holds ~0.6 GB per image in fp32.
        std::vector<at::Tensor> decoded;
        for (std::int64_t i = 0; i < sampledB.size(0); ++i)
            decoded.push_back(stageA->decode(sampledB.slice(0, i, i + 1).to(at::kFloat)).to(at::kFloat));
        const at::Tensor raw = at::cat(decoded);
        job.trace("image_raw", raw);
        pipelineRequireFinite(raw, "the decoded image", "Stage A overflowed: check its weights");
        image = raw.clamp(0, 1);
        job.trace("image", image);
    }
    releaseCpuCache(); // the decoder's full-resolution blocks: nothing reuses them before the next job
    job.report(Role::StageA, 1, 1);

    const auto rgb = imageToRgb(image);
    for (int i = 0; i < batch; ++i)
        result.images.push_back(GeneratedImage{rgb[i], seeds[i], i, prompts[i]});
    result.params = params;
    result.seconds = job.elapsed();
    return result;
}

std::unique_ptr<Generator> createPipeline()
{
    return std::make_unique<CascadePipeline>();
}

} // namespace kaskade
