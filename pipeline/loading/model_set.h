#pragma once
// A model folder in any supported layout resolved into one weight source per network.
// Torch-free: the GUI and CLI list and check model folders with it; pipeline/io/name_rules.h turns a
// WeightSource into official tensor names.
//
// Layouts (ecosystem.md §5.1-5.3): official release files (stage_c_bf16.safetensors ... + cascade.json for
// the parity/demo sets), Hugging Face diffusers snapshots (prior/, decoder/, vqgan/, text_encoder/, tokenizer/;
// also inside the HF cache models--org--name/snapshots/<hash>/), ComfyUI models/ trees (unet | diffusion_models,
// clip, vae, checkpoints with the all-in-one files). Files are identified by their headers, not their names.
//
// When several files can play a role: the full model beats lite; then files under a conventional name
// (stage_c*.safetensors, prior/, ...) beat others (fine-tunes lying around); then BF16 beats F32, because
// the official inference configs load the _bf16 files (configs/inference/stage_c_3b.yaml), so the outputs
// match the official ones, and the file is half the size (values are upcast on load anyway); then official
// names beat converted ones; then the path in alphabetical order. Every such choice is listed in `notes`.

#include "pipeline/loading/folder_layout.h"
#include "pipeline/models/control_kind.h"
#include "pipeline/models/role.h"

#include <filesystem>
#include <string>
#include <vector>

namespace kaskade {

// The weights of one network: one file or shards; `layout` names the key layout ("official", "diffusers",
// "comfy_internal"; text encoder: "hf", "openclip", "comfyui"), `prefix` what precedes the keys in the file.
struct WeightSource
{
    std::vector<std::filesystem::path> files;
    std::string layout = "official";
    std::string prefix;
    std::string variant; // "3.6B", "1B", "3B", "700M", "bigG", ""
    bool empty() const { return files.empty(); }
    std::string describe() const; // "stage_c_bf16.safetensors (3.6B)" or "x.safetensors under 'model.diffusion_model.'"
    bool operator==(const WeightSource&) const = default;
};

struct ModelSet
{
    std::filesystem::path directory;
    FolderLayout layout = FolderLayout::Unknown;
    WeightSource stageA, stageB, stageC, previewer, effnet, textEncoder;
    std::filesystem::path textEncoderConfig; // HF config.json beside the text encoder; empty: the released bigG
    std::filesystem::path tokenizerDir;      // holds vocab.json + merges.txt (empty when not found)
    std::filesystem::path bpeVocabGz;        // or bpe_simple_vocab_16e6.txt.gz (empty when not found)
    std::filesystem::path cascadeJson;       // constructor arguments of a non-released (demo/parity) set
    // Optional image-input pieces (never in `missing`: text-to-image does not need them). The image encoder
    // is a file (image_encoder/model.safetensors, a ComfyUI clip_vision file, an all-in-one Stage C under
    // 'clip_l_vision.'); ControlNets are controlnet/{canny,inpainting,super_resolution}.safetensors or
    // ComfyUI's stable_cascade_{canny,inpainting,super_resolution}.safetensors.
    WeightSource clipVision;
    std::filesystem::path clipVisionConfig; // config.json beside the image encoder, when present
    WeightSource controlCanny, controlInpaint, controlSuperResolution;
    std::vector<std::string> missing; // required pieces not found: "stage_a", ..., "tokenizer"
    std::vector<std::string> notes;   // choices between variants, files that are not usable

    const WeightSource& source(Role role) const; // empty for roles a set holds no single file of
    const WeightSource& controlNet(ControlKind kind) const;
    bool complete() const { return missing.empty(); }
};

struct ModelSetOptions
{
    std::filesystem::path tokenizerDir; // looked at when the folder and its parent have no tokenizer
    bool preferLite = false;            // pick lite Stage B/C when both sizes are present
};

// Scans `folder` (and sub-folders, a few levels deep). Never throws for missing pieces: they are listed in
// `missing`. Throws Error(FileNotFound) when the folder does not exist.
ModelSet findModelSet(const std::filesystem::path& folder, const ModelSetOptions& options = {});

// Throws Error(FileNotFound) naming the folder and every missing piece (for the tokenizer: the files that
// would do: vocab.json and merges.txt, or bpe_simple_vocab_16e6.txt.gz).
void requireComplete(const ModelSet& set);

} // namespace kaskade
