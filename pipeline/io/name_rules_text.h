#pragma once
// Name rules for the text encoder's weights: every layout we accept, converted to the HF
// CLIPTextModelWithProjection names that pipeline/models/clip_text.h registers.
//
//   HF / diffusers   text_encoder/model.safetensors: native names, nothing to do.
//   ComfyUI          all-in-one Stable Cascade checkpoints: 'text_encoder.clip_g.transformer.' + HF name,
//                    and the projection either there (HF layout) or as 'text_encoder.clip_g.text_projection'
//                    [hidden, proj] = HF weight TRANSPOSED (ComfyUI applies it as pooled @ P).
//   OpenCLIP / SGM   text tower of an OpenCLIP model ('transformer.resblocks.N.attn.in_proj_weight', ...),
//                    at the root or under 'conditioner.embedders.1.model.' (SDXL-style checkpoints).
// Spec: shared/spec/text-encoder.md §1.7; ComfyUI: comfy/utils.py clip_text_transformers_convert,
// comfy/supported_models.py Stable_Cascade_C.

#include "pipeline/io/safetensors.h"

#include <optional>
#include <string>

namespace kaskade {

enum class TextLayout { HuggingFace, OpenClip };

// Where a text encoder sits inside a state dict.
struct TextEncoderLocation
{
    TextLayout layout = TextLayout::HuggingFace;
    std::string prefix;           // prepended to every layout name ("" for a plain text_encoder file)
    std::string outer;            // ComfyUI: the prefix of the transposed 'text_projection' and 'logit_scale'; else ""
    std::string describe() const; // "OpenCLIP names under 'conditioner.embedders.1.model.'"
};

// The first known location whose token embedding is present; nullopt when the file holds no text encoder.
std::optional<TextEncoderLocation> findTextEncoder(const TensorMap& tensors);

// The text encoder's tensors under HF names (views, no copies where the layout allows). Tensors of other
// parts of the file (UNet, VAE, vision tower, CLIP-L) are left out, and file-format leftovers are dropped
// by name (logit_scale, attn_mask). Keys under the encoder's prefix that no rule knows are passed on, so
// that loading reports them. Throws Error(BadCheckpoint) starting with `what` when there is no text
// encoder or a packed tensor has an impossible shape.
TensorMap textEncoderToHf(const TensorMap& tensors, const std::string& what);

// HF names -> OpenCLIP text tower names (in_proj packed, text_projection transposed, contiguous), under
// `prefix`. The inverse of the OpenCLIP rule, for tests and export.
TensorMap hfToOpenClip(const TensorMap& hf, const std::string& prefix = "");

// HF names -> ComfyUI all-in-one names ('text_encoder.clip_g.transformer.' + HF name; with
// transposedProjection the projection goes to 'text_encoder.clip_g.text_projection' as [hidden, proj]).
TensorMap hfToComfyUi(const TensorMap& hf, bool transposedProjection = true);

} // namespace kaskade
