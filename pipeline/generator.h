#pragma once
// The seam between front ends and the engine. The GUI's worker owns one Generator (the real
// Pipeline, or a fake in UI tests). Torch-free: ui/ and app/ include this.

#include "pipeline/generation_params.h"
#include "pipeline/rgb_image.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kaskade {

enum class Stage { Loading, TextEncoder, StageC, StageB, StageA };
const char* stageName(Stage stage) noexcept; // "Stage C"

struct Progress
{
    Stage stage = Stage::Loading;
    int step = 0; // steps done (0..steps)
    int steps = 0;
    double elapsedSeconds = 0; // since the job started
    std::string message;       // for Loading: which file
};

struct PreviewFrame
{
    Stage stage = Stage::StageC;
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

// What to load: a model folder in any supported layout, plus optional overrides.
struct ModelSpec
{
    std::string directory;       // official release files, diffusers snapshot or ComfyUI tree
    std::string stageCFile;      // fine-tuned Stage C (overrides the folder's)
    std::string stageBFile;      // fine-tuned Stage B
    std::vector<LoraSpec> loras; // merged into Stage C; changing only strengths re-merges without reading files
    std::string device = "auto";
    std::string dtype = "auto";
    Residency residency = Residency::Auto;
};

struct ModelFileInfo
{
    std::string role; // "stage_c", "stage_b", "stage_a", "previewer", "text_encoder", "tokenizer"
    std::string path;
    std::uint64_t bytes = 0;
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
    // Loads (or swaps to) a model set. Progress is reported with Stage::Loading.
    virtual void load(const ModelSpec& spec, const GenerationCallbacks& callbacks) = 0;
    virtual ModelInfo modelInfo() const = 0;
    // Runs one job. Throws Error(Cancelled) when shouldCancel() returned true; the generator stays usable.
    virtual GenerationResult generate(const GenerationParams& params, const GenerationCallbacks& callbacks) = 0;
};

} // namespace kaskade
