#pragma once
// The three released Stable Cascade ControlNets (HF stabilityai/stable-cascade controlnet/*.safetensors).
// Torch-free so that GenerationParams, the CLI and the GUI can name them.

#include <optional>
#include <string>
#include <string_view>

namespace kaskade {

enum class ControlKind {
    Canny,           // controlnet/canny.safetensors: effnet bottleneck, c_in 1 (edge map)
    Inpaint,         // controlnet/inpainting.safetensors: effnet bottleneck, c_in 4 (RGB with hole = 1, mask)
    SuperResolution, // controlnet/super_resolution.safetensors: 'large' bottleneck, c_in 16 (effnet latents)
};

// CLI / metadata names: "canny", "inpaint", "sr".
const char* controlKindName(ControlKind kind) noexcept;
// Accepts the names above and the file stems "inpainting", "super_resolution"; nullopt otherwise.
std::optional<ControlKind> controlKindFromName(std::string_view name) noexcept;
// The official file name inside controlnet/: "canny.safetensors", "inpainting.safetensors",
// "super_resolution.safetensors".
const char* controlKindFileName(ControlKind kind) noexcept;

} // namespace kaskade
