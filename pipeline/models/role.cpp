#include "pipeline/models/role.h"

#include <array>

namespace kaskade {
namespace {

constexpr std::array kRoles{
    RoleInfo{Role::StageA, "stage_a", "Stage A"},
    RoleInfo{Role::StageB, "stage_b", "Stage B"},
    RoleInfo{Role::StageC, "stage_c", "Stage C"},
    RoleInfo{Role::Previewer, "previewer", "Previewer"},
    RoleInfo{Role::EffNet, "effnet", "EfficientNet encoder"},
    RoleInfo{Role::TextEncoder, "text_encoder", "Text encoder"},
    RoleInfo{Role::ClipVision, "image_encoder", "Image encoder"},
    RoleInfo{Role::ControlNet, "controlnet", "ControlNet"},
    RoleInfo{Role::Lora, "lora", "LoRA"},
    RoleInfo{Role::Tokenizer, "tokenizer", "Tokenizer"},
};

// The table is indexed by the enum: a row out of place would name the wrong network.
constexpr bool inEnumOrder()
{
    for (std::size_t i = 0; i < kRoles.size(); ++i)
        if (static_cast<std::size_t>(kRoles[i].role) != i)
            return false;
    return true;
}
static_assert(inEnumOrder(), "kRoles must list the roles in enum order");

} // namespace

std::span<const RoleInfo> roles()
{
    return kRoles;
}

const char* roleName(Role role) noexcept
{
    return kRoles[static_cast<std::size_t>(role)].name;
}

const char* roleLabel(Role role) noexcept
{
    return kRoles[static_cast<std::size_t>(role)].label;
}

std::optional<Role> roleFromName(std::string_view name)
{
    for (const auto& info : kRoles)
        if (name == info.name)
            return info.role;
    return std::nullopt;
}

} // namespace kaskade
