#include "pipeline/models/control_kind.h"

namespace kaskade {

const char* controlKindName(ControlKind kind) noexcept
{
    switch (kind) {
    case ControlKind::Canny: return "canny";
    case ControlKind::Inpaint: return "inpaint";
    case ControlKind::SuperResolution: return "sr";
    }
    return "canny";
}

std::optional<ControlKind> controlKindFromName(std::string_view name) noexcept
{
    if (name == "canny")
        return ControlKind::Canny;
    if (name == "inpaint" || name == "inpainting")
        return ControlKind::Inpaint;
    if (name == "sr" || name == "super_resolution" || name == "super-resolution")
        return ControlKind::SuperResolution;
    return std::nullopt;
}

const char* controlKindFileName(ControlKind kind) noexcept
{
    switch (kind) {
    case ControlKind::Canny: return "canny.safetensors";
    case ControlKind::Inpaint: return "inpainting.safetensors";
    case ControlKind::SuperResolution: return "super_resolution.safetensors";
    }
    return "canny.safetensors";
}

} // namespace kaskade
