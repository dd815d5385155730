#pragma once
// The one place where tensor names of other layouts become official Stable Cascade names (and back).
// Table-driven (name_rules.cpp, kRules); spec: stable-cascade.md §13.1-13.2, §14, §16 and the format_*
// fixtures. The text encoder's names are handled by pipeline/io/name_rules_text.h (official = HF names).
//
//   layout          role          layout names                                   official names
//   diffusers       Stage B/C     {P}.attention.to_q|to_k|to_v.{weight,bias} {P}.attention.attn.in_proj_{weight,bias}
//                                 {P}.attention.to_out.0.*                       {P}.attention.attn.out_proj.*
//                   Stage B       clip_txt_pooled_mapper.*                       clip_mapper.*
//                   Stage A       vquantizer.embedding.weight                    vquantizer.codebook.weight
//   comfy_internal  Stage B/C     {P}.attention.attn.to_q|to_k|to_v.*            {P}.attention.attn.in_proj_*
//   official        any           unchanged
// q, k and v are the row thirds of in_proj, in that order.

#include "pipeline/io/safetensors.h"
#include "pipeline/loading/model_set.h"

#include <string>

namespace kaskade {

// Keeps the tensors whose names start with `prefix` (others belong to other networks of an all-in-one
// file and are dropped), strips the prefix and renames `layout` names to official ones for `role`.
// layout "auto" detects it from the names. Tensors no rule covers pass unchanged (loading then reports
// them), including the parts of an incomplete q/k/v triple. Role::TextEncoder delegates to
// textEncoderToHf, which finds the encoder's prefix itself.
TensorMap toOfficialNames(const TensorMap& in, Role role, const std::string& layout = "auto",
                          const std::string& prefix = "");

// The inverse (for tests and export): official names -> `layout` names, with `prefix` prepended.
// Text encoder layouts: "hf", "openclip", "comfyui".
TensorMap fromOfficialNames(const TensorMap& in, Role role, const std::string& layout, const std::string& prefix = "");

// "official", "diffusers" or "comfy_internal", from the names alone (after the prefix).
std::string detectLayout(const TensorMap& in, Role role, const std::string& prefix = "");

// Reads every file of `source` (shards merged; zero-copy where aligned) and returns official names.
// Throws Error(BadCheckpoint) when nothing in the files belongs to the role.
TensorMap loadOfficial(const WeightSource& source, Role role);

} // namespace kaskade
