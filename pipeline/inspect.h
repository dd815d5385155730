#pragma once
// What a checkpoint file (or a model folder) is, decided from its safetensors header alone: key names
// and shapes (spec: stable-cascade.md §12-§16, ecosystem.md §5). Torch-free: used by the CLI and GUI.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kaskade {

enum class ModelKind {
    Unknown,
    StageA,      // VQGAN decoder/encoder (official or diffusers PaellaVQModel names)
    StageB,      // decoder UNet
    StageC,      // prior UNet
    Previewer,   // Stage C latent -> RGB preview
    EffNet,      // EfficientNet encoder (img2img)
    TextEncoder, // CLIP text tower (HF or OpenCLIP names)
    ControlNet,  // Stage C ControlNet
    ClipVision,  // CLIP image encoder (HF CLIPVisionModelWithProjection; image variations)
    Lora,        // any LoRA format
    ComfyAioC,   // ComfyUI all-in-one: Stage C + text encoder (+ effnet, previewer, CLIP vision)
    ComfyAioB,   // ComfyUI all-in-one: Stage B + Stage A
    OtherModel,  // a checkpoint of another model family (SD 1.x, SDXL, Flux ...)
};

const char* kindName(ModelKind kind) noexcept; // "stage_c", "comfyui_aio_c" ...

// One network inside a file (a plain checkpoint has one; an all-in-one file several).
struct FilePart
{
    ModelKind kind = ModelKind::Unknown;
    std::string variant; // "3.6B", "1B" (Stage C), "3B", "700M" (Stage B), "bigG" (text), "" when fixed
    std::string layout;  // key names: "official", "diffusers", "comfy_internal"; text: "hf", "openclip", "comfyui";
                         // LoRA: "official", "onetrainer", "comfyui", "peft"
    std::string prefix;  // prepended to the part's layout names in this file ("" or "model.diffusion_model." ...)
};

struct FileReport
{
    std::vector<std::filesystem::path> files; // one file, or the shards of an index
    std::uint64_t fileSize = 0;               // all files together
    std::uint64_t tensorCount = 0;
    std::uint64_t parameterCount = 0;            // elements of every tensor (buffers included)
    std::map<std::string, std::uint64_t> dtypes; // "BF16" -> tensor count
    ModelKind kind = ModelKind::Unknown;
    FilePart main;               // the part that decides `kind` (the UNet of an all-in-one file)
    std::vector<FilePart> parts; // every recognised part, `main` first
    std::string description;     // one line: "Stable Cascade Stage C 3.6B (full), official names, BF16"

    const FilePart* part(ModelKind kind) const; // nullptr when absent
};

// Reads the header (Error(BadFormat/FileNotFound) for a broken or missing file) and identifies the model.
FileReport inspectFile(const std::filesystem::path& path);
// The same for a sharded checkpoint (all shards together).
FileReport inspectFiles(const std::vector<std::filesystem::path>& shards);

// A model folder: its layout and which pieces of a full model set it holds.
struct LayoutReport
{
    std::filesystem::path path;
    std::string layout;      // "official", "diffusers", "hf_cache", "comfyui", "unknown"
    std::string description; // one line about the layout
    struct Piece
    {
        std::string role; // "stage_a", "stage_b", "stage_c", "previewer", "text_encoder", "tokenizer", "effnet",
                          // "image_encoder", "controlnet_canny", "controlnet_inpaint", "controlnet_sr"
        bool required = true;
        bool present = false;
        std::string source; // file(s), prefix and variant; "" when absent
    };
    std::vector<Piece> pieces;
    std::vector<std::string> missing; // required roles that are absent
    std::vector<std::string> notes;   // choices made (which of several variants), files skipped
};

LayoutReport inspectDirectory(const std::filesystem::path& path);

} // namespace kaskade
