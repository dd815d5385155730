#pragma once
// How a model folder is organised. Files are identified by their headers wherever they lie
// (loading/inspect.h), so a layout only decides what `inspect` and the GUI call the folder; a new layout
// is a row in the table of folder_layout.cpp (and an enumerator here). Torch-free.

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kaskade {

enum class FolderLayout {
    HfCache,   // Hugging Face cache: models--org--name/snapshots/<hash>/
    ComfyUi,   // ComfyUI models/ tree: unet | diffusion_models, clip, vae, checkpoints
    Diffusers, // Hugging Face diffusers snapshot: prior/, decoder/, vqgan/, text_encoder/, tokenizer/
    Official,  // official release files: stage_a/b/c*.safetensors (+ cascade.json for demo/parity sets)
    Unknown,   // none of the above: files identified by their contents
};

struct FolderLayoutInfo
{
    FolderLayout layout;
    const char* name;        // "comfyui": inspect output and logs
    const char* description; // one line for `kaskade-cli inspect`
    bool (*matches)(const std::filesystem::path& folder);
    std::vector<std::string> example; // relative paths (a trailing '/' makes a folder) that a folder of this layout has
};

// Every layout once, in the order they are tried (Unknown, which matches anything, last).
std::span<const FolderLayoutInfo> folderLayouts();
const FolderLayoutInfo& folderLayoutInfo(FolderLayout layout);
const char* folderLayoutName(FolderLayout layout) noexcept;
FolderLayout detectFolderLayout(const std::filesystem::path& folder);

} // namespace kaskade
