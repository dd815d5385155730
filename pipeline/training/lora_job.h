#pragma once
// A whole LoRA training of Stage C on a set of pictures, for the CLI and the GUI worker (Torch-free header).
//
//   LoraTrainingParams p;  p.modelDir = "models/cascade";  p.images = ...;  p.output = "me.safetensors";
//   p.token = "[me]";  p.initFrom = "^person</w>";  p.updates = 500;
//   LoraTrainingResult r = trainLora(p, callbacks);   // writes me.safetensors, me.json, me.ckpt.safetensors
//
// What it does, following train/train_c_lora.py (lora_trainer.h has the maths): load Stage C and the text
// encoder in float32 outside InferenceMode; add the token to the tokenizer and the embedding table; encode
// every picture once (resize of the shorter side + centre crop to `resolution` or its aspect bucket, see below,
// EfficientNet latents, and the
// CLIP image embedding when the folder has an image encoder) and keep them; then per micro-step draw a
// batch, caption dropout (5 %), image conditioning (10 %), noise and t from generators seeded by `seed` and
// the micro-step number (a resumed run draws what the uninterrupted one would have), and train.
// Dropout: the official script runs Stage C's dropout (0.1) only in its first micro-batch (its preview
// sampling switches the generator to eval and never back). Kaskade keeps it on for the whole run as the
// config intends (generator in train() mode, masks from a generator seeded by `seed` and the micro-step;
// the held-out losses run in eval mode). The parity fixtures use dropout 0, so they hold either way.
//
// Aspect buckets (`buckets`): every picture goes to the bucket (w, h) of ≈ resolution² pixels, sides multiples
// of kLoraBucketStep, whose aspect ratio is nearest its own (at most 2:1), and is resized to cover it and
// centre-cropped, so little of a portrait or landscape picture is lost. Latents are cached at the bucket's
// size; a micro-batch holds pictures of one bucket only (an epoch's last batch of a bucket may be smaller).
//
// Output: `output` in the official lora.safetensors layout; `<output stem>.json` with the settings; a
// resumable checkpoint `<output stem>.ckpt.safetensors` (LoRA + AdamW state + counters) written every
// `checkpointEvery` updates and whenever the run stops early (shouldStop → result.stopped).

#include "pipeline/rgb_image.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace kaskade {

struct TrainingImage
{
    std::string name; // file name, for messages
    RgbImage image;
    std::string caption; // "" = the default caption
};

struct LoraTrainingParams
{
    std::filesystem::path modelDir; // model set (any layout) with Stage C, text encoder, tokenizer, EfficientNet
    std::vector<TrainingImage> images;
    std::string defaultCaption; // for pictures without their own caption (e.g. "a photo of [me]")
    std::string token;          // "[name]" or "<name>" adds a token; "" trains no token
    std::string initFrom;       // regex over the vocabulary for the new token's initial row ("" = zeros)
    int rank = 4;
    int updates = 500; // optimizer updates
    double lr = 1e-4;
    int warmupUpdates = 1; // the official recipe: the first update has lr 0
    int batch = 1;
    int gradAccum = 1;
    int resolution = 512;
    bool buckets = false; // aspect buckets of ≈ resolution² pixels instead of square centre crops (see below)
    std::uint64_t seed = 42;
    double captionDropout = 0.05;
    double imageConditioned = 0.1; // needs an image encoder in the model set (else 0, reported)
    bool dropout = true;           // keep Stage C's dropout on for the whole run (see above)
    std::string device = "auto";
    std::filesystem::path output; // lora.safetensors
    std::filesystem::path resume; // a checkpoint written by an earlier run ("" = fresh)
    int checkpointEvery = 0;      // 0 = only at the end / on stop
    int sampleEvery = 0;          // 0 = never; else calls `sample` every N updates
};

struct LoraTrainingProgress
{
    int update = 0, updates = 0;
    double loss = 0; // mean per-sample loss of this update's micro-batches
    double lr = 0;
    double elapsed = 0;  // seconds in this session
    double eta = 0;      // seconds left, estimated
    std::string message; // setup phases ("encoding pictures 3/12")
};

struct LoraTrainingCallbacks
{
    std::function<void(const LoraTrainingProgress&)> progress; // after setup phases and every update
    std::function<bool()> shouldStop;                          // checked between micro-steps
    // Every sampleEvery updates: the LoRA so far, written to `lora` (official layout) for a preview render.
    std::function<void(int update, const std::filesystem::path& lora)> sample;
};

struct LoraTrainingResult
{
    int updates = 0; // total, including earlier sessions
    bool stopped = false;
    std::filesystem::path lora, settings, checkpoint;
    std::vector<double> losses;                   // per update of this session
    double heldLossBefore = 0, heldLossAfter = 0; // loss on fixed draws before and after this session
    std::vector<std::string> notes;
};

// Bucket sides are multiples of 64 px: EfficientNet latents are 1/32 of the picture, and two latent pixels
// per step (kohya's default bucket_reso_steps) keep the number of buckets small for a dozen pictures.
constexpr int kLoraBucketStep = 64;

struct LoraBucket
{
    int width = 0, height = 0;
    bool operator==(const LoraBucket&) const = default;
};
// The buckets for `resolution`: w·h ≤ resolution², both sides multiples of kLoraBucketStep, aspect ≤ 2:1.
std::vector<LoraBucket> loraBuckets(int resolution);
// The bucket of a width × height picture: nearest aspect ratio (log scale), the first of equals.
LoraBucket loraBucketFor(int width, int height, const std::vector<LoraBucket>& buckets);

std::filesystem::path loraSettingsPath(const std::filesystem::path& output);   // me.json
std::filesystem::path loraCheckpointPath(const std::filesystem::path& output); // me.ckpt.safetensors

// Runs the training. Throws kaskade::Error for bad parameters / files (naming them) and Error(Cancelled)
// never: a stop is a normal return with `stopped` set and a checkpoint written.
LoraTrainingResult trainLora(const LoraTrainingParams& params, const LoraTrainingCallbacks& callbacks = {});

// Writes `official` (an official-layout LoRA file) under ComfyUI's lora_prior_unet_* names for `modelDir`'s
// Stage C. A LoRA file has no place for learned tokens, so each added token ("[me]") is also written as a
// ComfyUI textual-inversion embedding `embeddings/me.safetensors` next to `out` ("clip_g": its whole row,
// rebuilt with the settings sidecar next to `official`). Returns notes: files written, parts left out.
std::vector<std::string> convertLoraToComfyUi(const std::filesystem::path& official, const std::filesystem::path& out,
                                              const std::filesystem::path& modelDir);

} // namespace kaskade
