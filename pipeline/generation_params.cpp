#include "pipeline/generation_params.h"

#include "pipeline/errors.h"
#include "pipeline/generator.h"
#include "pipeline/limits.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace kaskade {

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

const char* progressLabel(const Progress& progress) noexcept
{
    return progress.phase == Phase::Loading ? "Loading" : roleLabel(progress.network);
}

std::string ModelFileInfo::roleText() const
{
    if (role == Role::ControlNet && control)
        return std::string(roleName(role)) + "_" + controlKindName(*control);
    return roleName(role);
}

bool ModelFileInfo::setRoleText(std::string_view text)
{
    const std::string_view controlPrefix = "controlnet_";
    if (text.starts_with(controlPrefix)) {
        const auto kind = controlKindFromName(text.substr(controlPrefix.size()));
        if (!kind)
            return false;
        role = Role::ControlNet;
        control = kind;
        return true;
    }
    const auto named = roleFromName(text);
    if (!named)
        return false;
    role = *named;
    control.reset();
    return true;
}

namespace {

void require(bool ok, const std::string& message)
{
    if (!ok)
        throw Error(ErrorCode::InvalidArgument, message);
}

// "Stage C steps must be between 1 and 200 (got 0)"
void requireIn(const IntLimit& limit, int value, const std::string& what)
{
    require(limit.contains(value), what + " must be between " + std::to_string(limit.min) + " and " +
                                       std::to_string(limit.max) + " (got " + std::to_string(value) + ")");
}

std::string shortNumber(double value)
{
    std::ostringstream out;
    out << value;
    return out.str();
}

void requireIn(const RealLimit& limit, double value, const std::string& what)
{
    require(limit.contains(value), what + " must be between " + shortNumber(limit.min) + " and " +
                                       shortNumber(limit.max) + " (got " + shortNumber(value) + ")");
}

void validateStage(const StageSampling& s, const std::string& stage)
{
    requireIn(limits::steps, s.steps, stage + " " + limits::steps.what);
    requireIn(limits::cfg, s.cfg, stage + " " + limits::cfg.what);
    requireIn(limits::shift, s.shift, stage + " " + limits::shift.what);
}

void validateImage(const InputImage& image, const char* what)
{
    const auto& p = image.pixels;
    const IntLimit& side = limits::inputImageSide;
    require(side.contains(p.width) && side.contains(p.height),
            std::string(what) + " must be between " + std::to_string(side.min) + " and " + std::to_string(side.max) +
                " pixels on each side (got " + std::to_string(p.width) + "x" + std::to_string(p.height) + ")");
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
        requireIn(limits::strength, *in.strength, limits::strength.what);
    requireIn(limits::controlStrength, in.controlStrength, limits::controlStrength.what);
    const Outpaint& o = in.outpaint;
    for (const int border : {o.left, o.top, o.right, o.bottom})
        requireIn(limits::outpaint, border, limits::outpaint.what);
    if (in.reconstruct) {
        require(!in.init.empty(), "reconstruction needs an image");
        require(in.imagePrompt.empty() && !in.control && !o.any() && in.mask.empty(),
                "reconstruction takes one image and nothing else (no image prompt, ControlNet, mask or outpaint)");
        return;
    }
    if (!in.control) {
        require(!hasControlImage, "a control image needs a ControlNet type (" + choiceIdList<ControlKind>() + ")");
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
    requireIn(limits::width, width, limits::width.what);
    requireIn(limits::height, height, limits::height.what);
    requireIn(limits::batch, batch, limits::batch.what);
    require(batchPrompts.empty() || static_cast<int>(batchPrompts.size()) == batch,
            "batch prompts: " + std::to_string(batchPrompts.size()) + " prompts for a batch of " +
                std::to_string(batch));
    validateStage(stageC, "Stage C");
    validateStage(stageB, "Stage B");
    requireIn(limits::cfgRho, cfgRho, limits::cfgRho.what);
    if (compression != 0) // 0 = the official rule
        requireIn(limits::compression, compression, "compression (0 = official)");
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
