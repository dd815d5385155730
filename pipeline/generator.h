#pragma once
// The seam between front ends and the engine. The GUI's worker owns one Generator (the real
// Pipeline, or a fake in UI tests). Torch-free: ui/ and app/ include this.

#include "pipeline/device.h"
#include "pipeline/generation_params.h"
#include "pipeline/models/role.h"
#include "pipeline/rgb_image.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kaskade {

// What a job is doing: reading weight files, or running one network (Progress::network).
enum class Phase { Loading, Running };

struct Progress
{
    Phase phase = Phase::Loading;
    Role network = Role::TextEncoder; // with Running: TextEncoder, StageC, StageB or StageA
    int step = 0;                     // steps done (0..steps)
    int steps = 0;
    double elapsedSeconds = 0; // since the job started
    std::string message;       // for Loading: which file
};

// "Loading", "Stage C": for logs and the CLI (the GUI has its own translated texts).
const char* progressLabel(const Progress& progress) noexcept;

struct PreviewFrame
{
    Role network = Role::StageC; // StageC or StageB
    int step = 0;
    int steps = 0;
    int index = 0; // image of the batch
    RgbImage image;
};

// Called on the thread that runs generate()/load().
struct GenerationCallbacks
{
    std::function<void(const Progress&)> progress;
    std::function<void(const PreviewFrame&)> preview; // every Stage C step, then Stage B steps
    std::function<bool()> shouldCancel;               // checked at least once per sampler step
};

struct GeneratedImage
{
    RgbImage image;
    std::uint64_t seed = 0;
    int index = 0;
    std::string prompt;
};

struct GenerationResult
{
    std::vector<GeneratedImage> images;
    GenerationParams params; // as run: seed filled in, sizes snapped
    double seconds = 0;
    std::vector<std::string> notes; // e.g. "height 1000 snapped to 1024"
};

// A Stage C LoRA and its strength (-2…2; 1 = as trained, 0 = off).
struct LoraSpec
{
    std::string path;
    double strength = 1.0;
    bool operator==(const LoraSpec&) const = default;
};

// What to load: a model folder in any supported layout, plus optional overrides, and where and how the
// networks live. Only here: a job (GenerationParams) runs on whatever the loaded model uses.
struct ModelSpec
{
    std::string directory;       // official release files, diffusers snapshot or ComfyUI tree
    std::string stageCFile;      // fine-tuned Stage C (overrides the folder's)
    std::string stageBFile;      // fine-tuned Stage B
    std::vector<LoraSpec> loras; // merged into Stage C; changing only strengths re-merges without reading files
    DeviceChoice device;         // auto: the first CUDA GPU, else the CPU
    Precision precision = Precision::Auto; // auto: bf16 on CUDA and on CPUs with native bf16, else fp32
    Residency residency = Residency::Auto; // auto: all stages resident when they fit in 80 % of free memory
};

struct ModelFileInfo
{
    Role role = Role::StageC;
    std::string path;
    std::uint64_t bytes = 0;
    std::optional<ControlKind> control = std::nullopt; // which ControlNet, with Role::ControlNet

    // "stage_c", "controlnet_canny": the name image metadata and `kaskade-cli info` use.
    std::string roleText() const;
    // The inverse; false (file unchanged) for a name no role has.
    bool setRoleText(std::string_view text);
};

struct ModelInfo
{
    bool loaded = false;
    bool demo = false;   // random weights: draws noise
    std::string summary; // "Stage C 3.6B · Stage B lite · bf16 · CPU"
    std::string stageCVariant, stageBVariant, dtype, device;
    std::vector<ModelFileInfo> files;
    std::vector<LoraSpec> loras;   // applied now
    std::uint64_t memoryBytes = 0; // weights resident now
};

class Generator
{
public:
    virtual ~Generator() = default;
    // Loads (or swaps to) a model set. Progress is reported with Phase::Loading.
    virtual void load(const ModelSpec& spec, const GenerationCallbacks& callbacks) = 0;
    virtual ModelInfo modelInfo() const = 0;
    // Runs one job. Throws Error(Cancelled) when shouldCancel() returned true; the generator stays usable.
    virtual GenerationResult generate(const GenerationParams& params, const GenerationCallbacks& callbacks) = 0;
};

} // namespace kaskade
