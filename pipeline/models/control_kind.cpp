#include "pipeline/models/control_kind.h"

#include "pipeline/choices.h"

namespace kaskade {

// The names are the ControlNet table's (pipeline/choices.cpp).
const char* controlKindName(ControlKind kind) noexcept
{
    return choiceId(kind);
}

std::optional<ControlKind> controlKindFromName(std::string_view name) noexcept
{
    return choiceFromId<ControlKind>(name);
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
