#pragma once
// Which network (or other piece of a model set) something is: one vocabulary for the model folder scan
// (loading/model_set.h), the checkpoint inspector (loading/inspect.h), the loaders, progress reports
// (generator.h) and the model information the front ends show. Torch-free.

#include <optional>
#include <span>
#include <string_view>

namespace kaskade {

enum class Role {
    StageA,      // VQGAN decoder/encoder (modules/stage_a.py)
    StageB,      // decoder UNet (modules/stage_b.py)
    StageC,      // prior UNet (modules/stage_c.py)
    Previewer,   // Stage C latent -> RGB preview (modules/previewer.py)
    EffNet,      // EfficientNet encoder, image -> Stage C latent (modules/effnet.py)
    TextEncoder, // CLIP-bigG text tower
    ClipVision,  // CLIP image encoder (image variations)
    ControlNet,  // Stage C ControlNet (modules/controlnet.py)
    Lora,        // Stage C LoRA (modules/lora.py)
    Tokenizer,   // CLIP BPE vocabulary (not a network; a model set needs it)
};

struct RoleInfo
{
    Role role;
    const char* name;  // stable identifier in files, CLI output and tests: "stage_c"
    const char* label; // for people: "Stage C"
};

std::span<const RoleInfo> roles(); // every Role once, in enum order
const char* roleName(Role role) noexcept;
const char* roleLabel(Role role) noexcept;
std::optional<Role> roleFromName(std::string_view name);

} // namespace kaskade
