#include "pipeline/loading/folder_layout.h"

namespace kaskade {
namespace fs = std::filesystem;
namespace {

bool startsWith(const std::string& text, std::string_view start)
{
    return text.rfind(start, 0) == 0;
}

bool isHfCache(const fs::path& folder)
{
    std::error_code ec;
    if (folder.lexically_normal().string().find("/snapshots/") != std::string::npos ||
        startsWith(folder.filename().string(), "models--"))
        return true;
    for (const auto& e : fs::directory_iterator(folder, ec))
        if (e.is_directory(ec) && startsWith(e.path().filename().string(), "models--"))
            return true;
    return false;
}

bool isComfyUi(const fs::path& folder)
{
    std::error_code ec;
    for (const auto& base : {folder / "models", folder})
        for (const char* sub : {"unet", "diffusion_models", "checkpoints", "clip"})
            if (fs::is_directory(base / sub, ec))
                return true;
    return false;
}

bool isDiffusers(const fs::path& folder)
{
    std::error_code ec;
    if (fs::exists(folder / "model_index.json", ec))
        return true;
    for (const char* sub : {"prior", "prior_lite", "decoder", "decoder_lite", "vqgan"})
        if (fs::is_directory(folder / sub, ec))
            return true;
    return false;
}

bool isOfficial(const fs::path& folder)
{
    std::error_code ec;
    if (fs::exists(folder / "cascade.json", ec))
        return true;
    for (const auto& e : fs::directory_iterator(folder, ec))
        if (startsWith(e.path().filename().string(), "stage_") &&
            (e.path().extension() == ".safetensors" || e.path().extension() == ".sft"))
            return true;
    return false;
}

bool isAnything(const fs::path&)
{
    return true;
}

// Tried in this order: a HF cache holds diffusers snapshots, and a ComfyUI tree may hold official files.
const std::vector<FolderLayoutInfo>& table()
{
    static const std::vector<FolderLayoutInfo> layouts = {
        {FolderLayout::HfCache,
         "hf_cache",
         "Hugging Face cache (models--org--name/snapshots/<hash>/)",
         isHfCache,
         {"models--stabilityai--stable-cascade/snapshots/0123abcd/prior/"}},
        {FolderLayout::ComfyUi,
         "comfyui",
         "ComfyUI models/ tree (unet|diffusion_models, clip, vae, checkpoints)",
         isComfyUi,
         {"models/unet/", "models/clip/"}},
        {FolderLayout::Diffusers,
         "diffusers",
         "Hugging Face diffusers snapshot (prior/, decoder/, vqgan/, text_encoder/, tokenizer/)",
         isDiffusers,
         {"model_index.json", "prior/", "decoder/"}},
        {FolderLayout::Official,
         "official",
         "official release files (stage_a/b/c*.safetensors)",
         isOfficial,
         {"stage_c_bf16.safetensors"}},
        {FolderLayout::Unknown,
         "unknown",
         "no known layout; files identified by their contents",
         isAnything,
         {"weights.safetensors"}},
    };
    return layouts;
}

} // namespace

std::span<const FolderLayoutInfo> folderLayouts()
{
    return table();
}

const FolderLayoutInfo& folderLayoutInfo(FolderLayout layout)
{
    for (const auto& info : table())
        if (info.layout == layout)
            return info;
    return table().back();
}

const char* folderLayoutName(FolderLayout layout) noexcept
{
    return folderLayoutInfo(layout).name;
}

FolderLayout detectFolderLayout(const fs::path& folder)
{
    for (const auto& info : table())
        if (info.matches(folder))
            return info.layout;
    return FolderLayout::Unknown;
}

} // namespace kaskade
