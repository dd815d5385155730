// Image-input procedures of a job: see image_procedures.h and the parity README "Image-input fixtures".
#include "pipeline/generation/image_procedures.h"

#include "pipeline/errors.h"
#include "pipeline/image/control_filters.h"
#include "pipeline/sampling/gdf.h"

#include <ATen/ATen.h>

#include <array>
#include <cmath>
#include <cstdio>

namespace kaskade::procedures {
namespace {

std::string procSize(std::int64_t w, std::int64_t h)
{
    return std::to_string(w) + "x" + std::to_string(h);
}

[[noreturn]] void procRefuse(const std::string& message)
{
    throw Error(ErrorCode::InvalidArgument, message);
}

// A picture as a (B,C,H,W) float tensor on the device: the caller's exact tensor when given, else the
// 8-bit image converted and repeated over the batch.
at::Tensor procPicture(const at::Tensor& given, const InputImage& image, const char* what, int batch,
                       const at::Device& device)
{
    if (given.defined())
        return given.to(device, at::kFloat);
    if (image.empty())
        return {};
    if (!image.loaded())
        throw Error(ErrorCode::FileNotFound, std::string("the ") + what + " " + image.source + " is not loaded");
    const bool isMask = std::string(what) == "mask";
    const at::Tensor one = isMask ? image::maskFromRgb(image.pixels) : image::rgbToTensor(image.pixels);
    return one.repeat({batch, 1, 1, 1}).to(device);
}

// resize_image's bilinear with antialias (inference/utils.py), used to fit pictures to the Stage C grid.
at::Tensor procResize(const at::Tensor& x, std::int64_t h, std::int64_t w)
{
    if (x.size(2) == h && x.size(3) == w)
        return x;
    return at::_upsample_bilinear2d_aa(x, {h, w}, false);
}

// effnet(Normalize(images)) with the fixture's trace names.
at::Tensor procEncodeEffnet(LoadedModels& models, const GenerationCallbacks& callbacks, const at::Tensor& images,
                            const TraceFn& trace)
{
    auto encoder = models.effnet(callbacks);
    const at::Tensor normalized = models::effnetNormalize(images);
    const at::Tensor latents = encoder->forward(normalized).to(at::kFloat);
    if (trace) {
        trace("effnet.images_normalized", normalized);
        trace("effnet_latents", latents);
    }
    return latents;
}

// Stage B's PixelUnshuffle(2) needs an even ⌈side/4⌉ (the official code crashes otherwise): snap the side
// down to the previous multiple of 8, which keeps the Stage C grid.
int procEvenStageB(int side, std::int64_t grid, const char* what, std::vector<std::string>& notes)
{
    if (stageBLatentSize(side) % 2 == 0)
        return side;
    const int snapped = 4 * (stageBLatentSize(side) - 1);
    if (stageCLatentSize(snapped) != grid)
        procRefuse(std::string(what) + " " + std::to_string(side) +
                   " gives an odd Stage B latent that cannot be snapped; use another image size");
    notes.push_back(std::string(what) + " " + std::to_string(side) + " snapped to " + std::to_string(snapped) +
                    " (Stage B needs an even latent size)");
    return snapped;
}

} // namespace

int outputSideForGrid(std::int64_t grid)
{
    return static_cast<int>(static_cast<double>(grid * 32 * 4) / 3.0);
}

ImageJob prepareImageJob(const GenerationParams& params, LoadedModels& models, const GenerationCallbacks& callbacks,
                         const ImageTensors& given, NoiseSource& noiseC, const TraceFn& trace,
                         std::vector<std::string>& notes)
{
    const ImageInputs& in = params.images;
    const int batch = params.batch;
    const at::Device device = models.device();
    auto traceAs = [&](const std::string& name, const at::Tensor& value) {
        if (trace)
            trace(name, value);
    };

    at::Tensor init = procPicture(given.init, in.init, "init image", batch, device);
    at::Tensor mask = procPicture(given.mask, in.mask, "mask", batch, device);
    at::Tensor control = procPicture(given.control, in.controlImage, "control image", batch, device);
    const at::Tensor prompt = procPicture(given.imagePrompt, in.imagePrompt, "image prompt", batch, device);
    for (const at::Tensor* t : std::initializer_list<const at::Tensor*>{&init, &mask, &control, &prompt})
        if (t->defined() && t->size(0) != batch)
            procRefuse("image inputs hold " + std::to_string(t->size(0)) + " pictures for a batch of " +
                       std::to_string(batch));

    ImageJob job;
    job.stepsC = params.stageC.steps;

    // Reconstruction: effnet latents of the picture downscaled by 3/4 (to a multiple of 32, nearest;
    // inference/utils.py downscale_images) condition Stage B at the picture's own size.
    if (in.reconstruct) {
        job.stageC = false;
        std::int64_t h = init.size(2) / 8 * 8, w = init.size(3) / 8 * 8;
        if (h != init.size(2) || w != init.size(3)) {
            notes.push_back("image " + procSize(init.size(3), init.size(2)) + " cropped to " + procSize(w, h) +
                            " (Stage B needs an even latent size)");
            init = init.slice(2, 0, h).slice(3, 0, w);
        }
        if (h < 48 || w < 48)
            procRefuse("reconstruction needs an image of at least 48x48 pixels (got " + procSize(w, h) + ")");
        if (h > 4096 || w > 4096)
            procRefuse("reconstruction works on images up to 4096 pixels per side (got " + procSize(w, h) + ")");
        const auto scaledH = static_cast<std::int64_t>(std::floor(static_cast<double>(h) * 0.75 / 32) * 32);
        const auto scaledW = static_cast<std::int64_t>(std::floor(static_cast<double>(w) * 0.75 / 32) * 32);
        const at::Tensor scaled = at::upsample_nearest2d(init, {scaledH, scaledW});
        traceAs("reconstruct.scaled_image", scaled);
        job.stageBEffnet = procEncodeEffnet(models, callbacks, scaled, trace);
        job.height = static_cast<int>(h);
        job.width = static_cast<int>(w);
        return job;
    }

    // Outpainting: the picture on a larger canvas (edges replicated, so a partial strength keeps sensible
    // colours), the new border masked for the inpainting ControlNet.
    if (in.outpaint.any()) {
        const Outpaint& o = in.outpaint;
        if (!mask.defined())
            mask = at::zeros({init.size(0), 1, init.size(2), init.size(3)}, init.options());
        else if (mask.size(2) != init.size(2) || mask.size(3) != init.size(3))
            mask = at::upsample_nearest2d(mask, {init.size(2), init.size(3)});
        const std::array<std::int64_t, 4> pad{o.left, o.right, o.top, o.bottom};
        init = at::replication_pad2d(init, pad);
        mask = at::constant_pad_nd(mask, pad, 1.0);
    }

    // The Stage C grid.
    const bool sr = in.control == ControlKind::SuperResolution;
    auto effnetGrid = [](std::int64_t side) { return (side + 31) / 32; };
    if (sr) {
        job.gridH = 2 * effnetGrid(control.size(2));
        job.gridW = 2 * effnetGrid(control.size(3));
    } else if (in.fitToSize) {
        job.gridH = stageCLatentSize(params.height);
        job.gridW = stageCLatentSize(params.width);
        const std::int64_t h = job.gridH * 32, w = job.gridW * 32;
        if (init.defined())
            init = procResize(init, h, w);
        if (control.defined())
            control = procResize(control, h, w);
    } else {
        const at::Tensor& defining = init.defined() ? init : control.defined() ? control : prompt;
        job.gridH = effnetGrid(defining.size(2));
        job.gridW = effnetGrid(defining.size(3));
    }
    if (mask.defined() && init.defined() && (mask.size(2) != init.size(2) || mask.size(3) != init.size(3)))
        mask = at::upsample_nearest2d(mask, {init.size(2), init.size(3)});
    job.height = outputSideForGrid(job.gridH);
    job.width = outputSideForGrid(job.gridW);
    if (job.height > 4096 || job.width > 4096)
        procRefuse("the result would be " + procSize(job.width, job.height) +
                   " pixels; the limit is 4096 per side (use a smaller picture)");
    job.height = procEvenStageB(job.height, job.gridH, "height", notes);
    job.width = procEvenStageB(job.width, job.gridW, "width", notes);

    // Image-to-image and inpainting: Stage C starts from the picture's latents noised to the strength
    // (gdf.diffuse at shift 1, whatever Stage C's sampling shift) and runs int(steps·strength) steps.
    if (init.defined()) {
        const at::Tensor latents = procEncodeEffnet(models, callbacks, init, trace);
        const double strength = in.effectiveStrength();
        job.stepsC = static_cast<int>(params.stageC.steps * strength);
        if (job.stepsC < 1)
            procRefuse("strength " + std::to_string(strength) + " with " + std::to_string(params.stageC.steps) +
                       " Stage C steps leaves no step to run; raise the strength or the steps");
        const at::Tensor epsilon = noiseC.draw(latents.sizes(), device);
        job.xInit = gdf::Gdf().diffuse(latents, strength, epsilon, 1.0);
        job.tStart = strength;
        traceAs("stage_c.x_init", job.xInit);
    }

    // Variation: the picture's CLIP image embedding conditions Stage C (uncond keeps zeros).
    if (prompt.defined()) {
        auto clip = models.clipVision(callbacks);
        const at::Tensor pixels = models::clipPreprocess(prompt, static_cast<int>(clip->config.imageSize));
        traceAs("clip_image.pixel_values", pixels);
        job.clipImg = clip->forward(pixels).imageEmbeds.to(at::kFloat).unsqueeze(1);
    }

    // ControlNet feeds.
    if (in.control) {
        auto net = models.controlNet(*in.control, callbacks);
        at::Tensor controlInput;
        switch (*in.control) {
        case ControlKind::Canny:
            controlInput = image::cannyFilter(control.defined() ? control : init);
            traceAs("control_image", controlInput);
            break;
        case ControlKind::Inpaint:
            controlInput = image::inpaintFilter(init, mask);
            traceAs("control_image", controlInput);
            break;
        case ControlKind::SuperResolution: {
            const at::Tensor filterInput = image::srFilterInput(control);
            traceAs("sr.filter_input", filterInput);
            controlInput = image::srEffnetEmbedding(models.effnet(callbacks), filterInput);
            traceAs("sr.effnet_embedding", controlInput);
            traceAs("sr.upscaled_image",
                    image::interpolateNearestScale(image::interpolateNearestScale(filterInput, 0.5), 2.0));
            break;
        }
        }
        job.cnet = net->forward(controlInput);
        for (std::size_t i = 0; i < job.cnet.size(); ++i) {
            if (!job.cnet[i].defined())
                continue;
            job.cnet[i] = job.cnet[i].to(at::kFloat) * in.controlStrength;
            char name[32];
            std::snprintf(name, sizeof name, "cnet.%03zu", i);
            traceAs(name, job.cnet[i]);
        }
    }
    return job;
}

} // namespace kaskade::procedures
