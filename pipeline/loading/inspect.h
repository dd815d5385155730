#pragma once
// What a checkpoint file (or a model folder) is, decided from its safetensors header alone: key names
// and shapes (spec: stable-cascade.md §12-§16, ecosystem.md §5). Torch-free: used by the CLI and GUI.

#include "pipeline/io/safetensors_header.h"
#include "pipeline/loading/folder_layout.h"
#include "pipeline/models/role.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kaskade {

// What a whole file holds, beyond the network itself (FileReport::role).
enum class FileContent {
    Unknown,    // no tensor names Kaskade knows
    Network,    // one network (the usual release file, a fine-tune, a LoRA)
    AllInOne,   // a ComfyUI all-in-one file: Stage C + text encoder (+ effnet, previewer, CLIP vision), or
                // Stage B + Stage A; `role` is its UNet's
    OtherModel, // a checkpoint of another model family (SD 1.x, SDXL, Flux ...)
};

// "stage_c", "comfyui_aio_c", "other_model", "unknown": what `kaskade-cli inspect` and `scan` print.
std::string fileKindName(FileContent content, Role role);

// One network inside a file (a plain checkpoint has one; an all-in-one file several).
struct FilePart
{
    Role role = Role::StageC;
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
    FileContent content = FileContent::Unknown;
    Role role = Role::StageC;    // with Network or AllInOne: the network that decides what the file is
    FilePart main;               // that network's part (the UNet of an all-in-one file)
    std::vector<FilePart> parts; // every recognised part, `main` first
    std::string description;     // one line: "Stable Cascade Stage C 3.6B (full), official names, BF16"

    const FilePart* part(Role role) const; // nullptr when absent
    bool holds(Role network) const { return content == FileContent::Network && role == network; }
    std::string kindName() const { return fileKindName(content, role); }
};

// Reads the header (Error(BadFormat/FileNotFound) for a broken or missing file) and identifies the model.
FileReport inspectFile(const std::filesystem::path& path);
// The same for a sharded checkpoint (all shards together).
FileReport inspectFiles(const std::vector<std::filesystem::path>& shards);
// The same for a header already read and validated (st::parseHeader): no file access, so the fuzz harness
// explores names and shapes at memory speed.
FileReport inspectHeader(const std::filesystem::path& path, const st::Header& header);

// A model folder: its layout and which pieces of a full model set it holds.
struct LayoutReport
{
    std::filesystem::path path;
    FolderLayout layout = FolderLayout::Unknown;
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
