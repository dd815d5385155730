#pragma once
// GenerationParams: the single source of defaults for the GUI, the CLI and the tests.
// Defaults are the official notebook's (inference/text_to_image.ipynb): 1024², Stage C 20 steps /
// CFG 4 / shift 2, Stage B 10 steps / CFG 1.1 / shift 1, DDPM, cfg rescale rho 0.7.
// Torch-free: front ends include this.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kaskade {

enum class SamplerKind { Ddpm, Ddim, Lcm };
enum class Residency { Auto, AllResident, OneStageAtATime };

const char* samplerName(SamplerKind kind) noexcept;          // "ddpm"
std::optional<SamplerKind> samplerFromName(const std::string& name);
const char* residencyName(Residency residency) noexcept;      // "auto", "all", "sequential"
std::optional<Residency> residencyFromName(const std::string& name);

struct StageSampling {
    int steps = 20;
    double cfg = 4.0;   // classifier-free guidance scale; <= 0 switches guidance off (one model call per step)
    double shift = 2.0; // logSNR shift of the cosine schedule
};

// How prompts reach the text encoder.
struct PromptOptions {
    // (word:1.2), (word) = ×1.1, [word] = ÷1.1, escapes \( \) \[ \]; weights the token rows relative to
    // the empty-prompt encoding as ComfyUI does. On by default: users coming from ComfyUI/A1111 type it.
    bool emphasis = true;
    // More than 75 tokens: encode 75-token windows (each wrapped in BOS/EOS) and concatenate them along
    // the sequence axis (ComfyUI); off = truncate to 77 like the official code. On by default so that
    // nothing the user typed is silently dropped.
    bool chunkLongPrompts = true;
};

struct GenerationParams {
    std::string prompt;
    std::string negativePrompt;          // encoded like any prompt ("" by default), never zeros
    std::vector<std::string> batchPrompts; // optional: one prompt per image (overrides prompt when non-empty)
    int width = 1024;
    int height = 1024;
    int batch = 1;
    std::optional<std::uint64_t> seed;   // random when unset; the seed used is reported per image
    StageSampling stageC{20, 4.0, 2.0};
    StageSampling stageB{10, 1.1, 1.0};
    SamplerKind sampler = SamplerKind::Ddpm;
    double cfgRho = 0.7;                 // official cfg rescale; 0 = off
    std::string device = "auto";        // "auto", "cpu", "cuda", "cuda:N"
    std::string dtype = "auto";         // "auto" (fp32 on CPU, bf16 on CUDA), "fp32", "bf16", "fp16"
    Residency residency = Residency::Auto;
    PromptOptions promptOptions;

    // Throws Error(InvalidArgument) naming the first bad field (width 0, steps < 1, batch < 1 ...).
    void validate() const;
};

// Official latent sizes (inference/utils.py calculate_latent_sizes).
int stageCLatentSize(int pixels); // ceil(pixels / 42.67)
int stageBLatentSize(int pixels); // ceil(pixels / 4)

} // namespace kaskade
