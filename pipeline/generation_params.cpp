#include "pipeline/generation_params.h"

#include "pipeline/errors.h"
#include "pipeline/generator.h"

#include <algorithm>
#include <cmath>

namespace kaskade {

const char* samplerName(SamplerKind kind) noexcept
{
    switch (kind) {
    case SamplerKind::Ddpm: return "ddpm";
    case SamplerKind::Ddim: return "ddim";
    case SamplerKind::Lcm: return "lcm";
    }
    return "ddpm";
}

std::optional<SamplerKind> samplerFromName(const std::string& name)
{
    for (auto kind : {SamplerKind::Ddpm, SamplerKind::Ddim, SamplerKind::Lcm})
        if (name == samplerName(kind))
            return kind;
    return std::nullopt;
}

const char* residencyName(Residency residency) noexcept
{
    switch (residency) {
    case Residency::Auto: return "auto";
    case Residency::AllResident: return "all";
    case Residency::OneStageAtATime: return "sequential";
    }
    return "auto";
}

std::optional<Residency> residencyFromName(const std::string& name)
{
    for (auto r : {Residency::Auto, Residency::AllResident, Residency::OneStageAtATime})
        if (name == residencyName(r))
            return r;
    return std::nullopt;
}

double ImageInputs::effectiveStrength() const
{
    if (strength)
        return *strength;
    return control == ControlKind::Inpaint ? 1.0 : 0.8;
}

std::string ImageInputs::modeName() const
{
    if (reconstruct)
        return "reconstruct";
    std::string mode;
    auto add = [&mode](const char* part) {
        if (!mode.empty())
            mode += '+';
        mode += part;
    };
    if (!init.empty() && control != ControlKind::Inpaint)
        add("img2img");
    if (!imagePrompt.empty())
        add("variation");
    if (control == ControlKind::Inpaint)
        add(outpaint.any() ? "outpaint" : "inpaint");
    else if (control)
        add(controlKindName(*control));
    return mode.empty() ? "text" : mode;
}

const char* stageName(Stage stage) noexcept
{
    switch (stage) {
    case Stage::Loading: return "Loading";
    case Stage::TextEncoder: return "Text encoder";
    case Stage::StageC: return "Stage C";
    case Stage::StageB: return "Stage B";
    case Stage::StageA: return "Stage A";
    }
    return "";
}

namespace {

void require(bool ok, const std::string& message)
{
    if (!ok)
        throw Error(ErrorCode::InvalidArgument, message);
}

void validateStage(const StageSampling& s, const char* name)
{
    const std::string n = name;
    require(s.steps >= 1 && s.steps <= 1000,
            n + " steps must be between 1 and 1000 (got " + std::to_string(s.steps) + ")");
    require(std::isfinite(s.cfg) && s.cfg <= 100, n + " CFG scale must be a finite number up to 100");
    require(std::isfinite(s.shift) && s.shift > 0 && s.shift <= 100, n + " shift must be greater than 0");
}

void validateImage(const InputImage& image, const char* what)
{
    const auto& p = image.pixels;
    require(p.width >= 8 && p.height >= 8 && p.width <= 8192 && p.height <= 8192,
            std::string(what) + " must be between 8 and 8192 pixels on each side (got " + std::to_string(p.width) +
                "x" + std::to_string(p.height) + ")");
    require(p.rgb.size() == static_cast<std::size_t>(p.width) * p.height * 3,
            std::string(what) + ": pixel buffer does not match its size");
}

void validateImages(const ImageInputs& in)
{
    const std::string mode = in.modeName();
    const bool hasControlImage = !in.controlImage.empty();
    for (const auto& [image, what] : {std::pair{&in.init, "init image"}, std::pair{&in.imagePrompt, "image prompt"},
                                      std::pair{&in.controlImage, "control image"}, std::pair{&in.mask, "mask"}})
        if (image->loaded())
            validateImage(*image, what);
    if (in.strength)
        require(std::isfinite(*in.strength) && *in.strength > 0 && *in.strength <= 1,
                "strength must be greater than 0 and at most 1 (got " + std::to_string(*in.strength) + ")");
    require(std::isfinite(in.controlStrength) && in.controlStrength >= 0 && in.controlStrength <= 3,
            "control strength must be between 0 and 3 (got " + std::to_string(in.controlStrength) + ")");
    const Outpaint& o = in.outpaint;
    require(o.left >= 0 && o.top >= 0 && o.right >= 0 && o.bottom >= 0 && o.left <= 4096 && o.top <= 4096 &&
                o.right <= 4096 && o.bottom <= 4096,
            "outpaint borders must be between 0 and 4096 pixels");
    if (in.reconstruct) {
        require(!in.init.empty(), "reconstruction needs an image");
        require(in.imagePrompt.empty() && !in.control && !o.any() && in.mask.empty(),
                "reconstruction takes one image and nothing else (no image prompt, ControlNet, mask or outpaint)");
        return;
    }
    if (!in.control) {
        require(!hasControlImage, "a control image needs a ControlNet type (canny, inpaint or sr)");
        require(in.mask.empty() && !o.any(), "a mask or outpaint border needs the inpaint ControlNet");
        return;
    }
    switch (*in.control) {
    case ControlKind::Canny:
        require(hasControlImage || !in.init.empty(), "the canny ControlNet needs a control image (or an init image)");
        require(in.mask.empty() && !o.any(), "a mask or outpaint border needs the inpaint ControlNet, not canny");
        break;
    case ControlKind::Inpaint:
        require(!in.init.empty(), "inpainting needs the image to edit (init image)");
        require(!hasControlImage, "inpainting takes the init image and a mask, not a control image");
        require(!in.mask.empty() || o.any(), "inpainting needs a mask (white = repaint) or an outpaint border");
        break;
    case ControlKind::SuperResolution:
        require(hasControlImage, "super-resolution needs the image to upscale (control image)");
        require(in.init.empty(),
                "super-resolution takes its picture as the control image; an init image cannot be combined");
        require(in.mask.empty() && !o.any(), "a mask or outpaint border needs the inpaint ControlNet, not sr");
        break;
    }
}

} // namespace

void GenerationParams::validate() const
{
    // 64 px is the smallest size the official pipeline runs (Stage C latent 2x2).
    require(width >= 64 && width <= 4096,
            "width must be between 64 and 4096 pixels (got " + std::to_string(width) + ")");
    require(height >= 64 && height <= 4096,
            "height must be between 64 and 4096 pixels (got " + std::to_string(height) + ")");
    require(batch >= 1 && batch <= 64, "batch size must be between 1 and 64 (got " + std::to_string(batch) + ")");
    require(batchPrompts.empty() || static_cast<int>(batchPrompts.size()) == batch,
            "batch prompts: " + std::to_string(batchPrompts.size()) + " prompts for a batch of " +
                std::to_string(batch));
    validateStage(stageC, "Stage C");
    validateStage(stageB, "Stage B");
    require(std::isfinite(cfgRho) && cfgRho >= 0 && cfgRho <= 1, "cfg rescale (rho) must be between 0 and 1");
    require(compression == 0 || (compression >= 16 && compression <= 64),
            "compression must be 0 (official) or between 16 and 64 (got " + std::to_string(compression) + ")");
    validateImages(images);
}

int stageCLatentSize(int pixels)
{
    return static_cast<int>(std::ceil(pixels / 42.67));
}
int stageCLatentSize(int pixels, int compression)
{
    return compression == 0 ? stageCLatentSize(pixels) : std::max(1, pixels / compression);
}
int stageBLatentSize(int pixels)
{
    return static_cast<int>(std::ceil(pixels / 4.0));
}

} // namespace kaskade
