#pragma once
// GenerationParams: the single source of defaults for the GUI, the CLI and the tests.
// Defaults are the official notebook's (inference/text_to_image.ipynb): 1024², Stage C 20 steps /
// CFG 4 / shift 2, Stage B 10 steps / CFG 1.1 / shift 1, DDPM, cfg rescale rho 0.7.
// Torch-free: front ends include this.

#include "pipeline/choices.h"
#include "pipeline/models/control_kind.h"
#include "pipeline/rgb_image.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kaskade {

struct StageSampling
{
    int steps = 20;
    double cfg = 4.0;   // classifier-free guidance scale; <= 0 switches guidance off (one model call per step)
    double shift = 2.0; // logSNR shift of the cosine schedule
};

// How prompts reach the text encoder.
struct PromptOptions
{
    // (word:1.2), (word) = ×1.1, [word] = ÷1.1, escapes \( \) \[ \]; weights the token rows relative to
    // the empty-prompt encoding as ComfyUI does. On by default: users coming from ComfyUI/A1111 type it.
    bool emphasis = true;
    // More than 75 tokens: encode 75-token windows (each wrapped in BOS/EOS) and concatenate them along
    // the sequence axis (ComfyUI); off = truncate to 77 like the official code. On by default so that
    // nothing the user typed is silently dropped.
    bool chunkLongPrompts = true;
};

// A picture given to a job. `source` and `sha256` describe where it came from (a file path and the
// SHA-256 of that file's bytes, hex); the PNG metadata records them. Parameters read back from a PNG
// name their pictures without pixels: the front end loads them (and says which are missing) before a
// job runs; the engine refuses a named picture that is not loaded.
struct InputImage
{
    RgbImage pixels;
    std::string source;
    std::string sha256;
    bool empty() const { return pixels.empty() && source.empty(); } // not given at all
    bool loaded() const { return !pixels.empty(); }
};

// Canvas extension for outpainting, in pixels of the init image: the image is placed on a larger canvas and
// the new border is inpainted.
struct Outpaint
{
    int left = 0, top = 0, right = 0, bottom = 0;
    bool any() const { return left > 0 || top > 0 || right > 0 || bottom > 0; }
    bool operator==(const Outpaint&) const = default;
};

// Image inputs (spec §9.2, §9.9, §11; ../shared/parity README "Image-input fixtures"). They combine:
//   init          image-to-image: Stage C starts from its EfficientNet latents noised to `strength`
//                 and runs int(steps·strength) steps from t = strength;
//   imagePrompt   variation: Stage C's clip_img is the image's CLIP embedding (uncond: zeros);
//   control       a ControlNet feed, scaled by controlStrength and given to cond and uncond alike:
//                   canny   edges of controlImage (or of init when controlImage is empty);
//                   inpaint repaints the white part of `mask` of init (and the outpaint border);
//                           Stage C starts from init's latents at `strength` (official: 1);
//                   sr      ×2 super-resolution of controlImage (output ≈ 2.67× its size, as the
//                           official notebook sizes it);
//   reconstruct   init → EfficientNet latents → Stage B → Stage A (no Stage C): what the
//                 Stage B/A compression keeps of a picture.
// Output size: with fitToSize the pictures are resized so that the result is width × height (snapped to
// whole Stage C latents, ×42.67 px); without it, the official relation to the input size is used (Stage C
// grid = ⌈H/32⌉ × ⌈W/32⌉ of the picture, output = grid × 32·4/3) — the parity fixtures run that way.
// SR and reconstruct always take their size from the picture.
struct ImageInputs
{
    InputImage init;
    std::optional<double> strength; // noise level of init in (0,1]; unset: 0.8 (img2img), 1 (inpaint)
    InputImage imagePrompt;
    std::optional<ControlKind> control; // none: no ControlNet
    InputImage controlImage;
    InputImage mask; // white (> 127 in any channel) = repaint; resized (nearest) to init's size
    double controlStrength = 1.0;
    Outpaint outpaint;
    bool reconstruct = false;
    bool fitToSize = true;

    bool any() const { return !init.empty() || !imagePrompt.empty() || control || reconstruct; }
    double effectiveStrength() const;
    // "text", "img2img", "variation", "canny", "inpaint", "outpaint", "sr", "reconstruct"; combinations are
    // joined with '+' ("img2img+variation").
    std::string modeName() const;
};

struct GenerationParams
{
    std::string prompt;
    std::string negativePrompt;            // encoded like any prompt ("" by default), never zeros
    std::vector<std::string> batchPrompts; // optional: one prompt per image (overrides prompt when non-empty)
    int width = 1024;
    int height = 1024;
    int batch = 1;
    std::optional<std::uint64_t> seed; // random when unset; the seed used is reported per image
    StageSampling stageC{20, 4.0, 2.0};
    StageSampling stageB{10, 1.1, 1.0};
    SamplerKind sampler = SamplerKind::Ddpm;
    double cfgRho = 0.7; // official cfg rescale; 0 = off
    // Stage C latent size: 0 = the official rule, ceil(px / 42.67) (24×24 at 1024²); otherwise ComfyUI's
    // `compression`, floor(px / compression) (its default 42 matches the official rule at common sizes; 32
    // gives a 32×32 latent at 1024², more detail and more time). 16…64.
    int compression = 0;
    PromptOptions promptOptions;
    ImageInputs images; // empty: text-to-image

    // Where and in which precision the models run is the model's business (ModelSpec), not the job's.

    // Throws Error(InvalidArgument) naming the first bad field; the ranges are pipeline/limits.h's.
    void validate() const;
};

// Official latent sizes (inference/utils.py calculate_latent_sizes).
int stageCLatentSize(int pixels);                  // ceil(pixels / 42.67)
int stageCLatentSize(int pixels, int compression); // compression 0: the official rule; else pixels / compression
int stageBLatentSize(int pixels);                  // ceil(pixels / 4)

} // namespace kaskade
