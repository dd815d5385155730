#pragma once
// Turning tensors into 8-bit RGB images: cheap linear previews of sampler latents, the previewer's
// output and Stage A's final image. One RgbImage per batch item.

#include "pipeline/generator.h"

#include <ATen/core/Tensor.h>

#include <vector>

namespace kaskade::preview {

// ComfyUI's Latent2RGB (stable-cascade.md §14): rgb = latent(HWC) · F with a fixed 16×3 (Stage C) or
// 4×3 (Stage B, in the sampler's "x/0.43" space) factor matrix, clamp to [-1,1], round((v+1)·127.5).
// The image has the latent's size (24×24 for a 1024² Stage C latent). latent: (B,16|4,h,w), any dtype/device.
std::vector<RgbImage> stageCLatentToRgb(const at::Tensor& latent);
std::vector<RgbImage> stageBLatentToRgb(const at::Tensor& latent);

// An image tensor (B,3,H,W) with values meant in [0,1] — the previewer's output or Stage A's decode —
// to round(clamp(x,0,1)·255) (§9.6; the notebook's to_pil_image truncates instead, 1 LSB lower at most).
std::vector<RgbImage> imageToRgb(const at::Tensor& image);

// Aliases that say which tensor they take.
inline std::vector<RgbImage> previewerToRgb(const at::Tensor& previewerOutput)
{
    return imageToRgb(previewerOutput);
}
inline std::vector<RgbImage> stageAToRgb(const at::Tensor& decoded)
{
    return imageToRgb(decoded);
}

} // namespace kaskade::preview
