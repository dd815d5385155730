// kaskade-cli train-lora: LoRA training of Stage C on a folder of pictures (pipeline/training/lora_job.h);
// kaskade-cli convert-lora: an official-layout LoRA under ComfyUI's lora_prior_unet_* names.
#include "app/cli/commands.h"
#include "app/core/image_metadata.h"
#include "app/core/lora_training_data.h"
#include "pipeline/errors.h"
#include "pipeline/pipeline.h"
#include "pipeline/training/lora_job.h"

#include <QFileInfo>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace kaskade::cli {
namespace {

std::atomic<bool> trainInterrupted{false};

void onTrainSigint(int)
{
    trainInterrupted.store(true);
}

const char* kTrainUsage =
    "usage: kaskade-cli train-lora --images DIR --out FILE --model DIR [options]\n"
    "\n"
    "Trains a LoRA of Stage C (rank-r deltas on every attention, plus an optional learned token) the way the\n"
    "official train_c_lora.py does, on the pictures of DIR (same-name .txt files are their captions).\n"
    "\n"
    "  --token \"[name]\"        add a token to learn (written [..] or <..>); use it in the captions\n"
    "  --init-from REGEX       start the token from the mean embedding of the matching vocabulary (\"^dog</w>\")\n"
    "  --caption TEXT          caption for pictures without a .txt (default: \"a photo of TOKEN\")\n"
    "  --rank N                LoRA rank (4)\n"
    "  --steps N               optimizer updates (500)\n"
    "  --lr X                  learning rate (1e-4); --warmup N updates of warmup (1: the first update has lr 0)\n"
    "  --batch B --accum K     pictures per micro-step (1) and micro-steps per update (1)\n"
    "  --resolution PX         training size, multiple of 32 (512)\n"
    "  --buckets               aspect buckets of about PX² pixels instead of square centre crops\n"
    "  --seed S                seed of every random draw (42): a run is repeatable on one device\n"
    "  --sample-every N --sample-prompt P   render P with the LoRA so far every N updates (FILE.sample_N.png)\n"
    "  --checkpoint-every N    write the resumable checkpoint every N updates (FILE.ckpt.safetensors)\n"
    "  --resume CKPT           continue a stopped run (Ctrl+C writes the checkpoint)\n"
    "  --no-dropout            train without Stage C's dropout (its config's 0.1; the official script drops\n"
    "                          only in its first micro-batch)\n"
    "  --comfyui FILE          also write the LoRA under ComfyUI's names\n"
    "  --device auto|cpu|cuda  (auto)\n";

// A number option in the parameter's own type (Args reads it as a double, as the official argparse does).
template <typename T> void takeNumber(Args& args, std::string_view name, T& target)
{
    target = static_cast<T>(args.takeNumber(name, static_cast<double>(target)));
}

QString formatDuration(double seconds)
{
    const auto s = static_cast<long long>(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar('0'));
    return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

} // namespace

int runTrainLora(Args& args)
{
    if (args.rest().empty() || args.wantsHelp()) {
        std::printf("%s", kTrainUsage);
        return args.rest().empty() ? 2 : 0;
    }
    LoraTrainingParams p;
    const QString imagesDir = takeText(args, "--images");
    const QString out = takeText(args, "--out");
    const QString model = takeText(args, "--model");
    p.token = takeText(args, "--token").toStdString();
    p.initFrom = takeText(args, "--init-from").toStdString();
    const QString caption = takeText(args, "--caption");
    takeNumber(args, "--rank", p.rank);
    takeNumber(args, "--steps", p.updates);
    takeNumber(args, "--lr", p.lr);
    takeNumber(args, "--warmup", p.warmupUpdates);
    takeNumber(args, "--batch", p.batch);
    takeNumber(args, "--accum", p.gradAccum);
    takeNumber(args, "--resolution", p.resolution);
    takeNumber(args, "--sample-every", p.sampleEvery);
    takeNumber(args, "--checkpoint-every", p.checkpointEvery);
    if (const QString seed = takeText(args, "--seed"); !seed.isEmpty()) {
        bool ok = false;
        p.seed = seed.toULongLong(&ok);
        if (!ok)
            throw Error(ErrorCode::InvalidArgument, "--seed: '" + seed.toStdString() + "' is not a number");
    }
    const QString samplePrompt = takeText(args, "--sample-prompt");
    p.resume = takeText(args, "--resume").toStdString();
    const QString comfy = takeText(args, "--comfyui");
    if (const QString device = takeText(args, "--device"); !device.isEmpty())
        p.device = device.toStdString();
    if (args.takeFlag("--no-dropout"))
        p.dropout = false;
    if (args.takeFlag("--buckets"))
        p.buckets = true;
    if (!args.rest().empty())
        throw Error(ErrorCode::InvalidArgument,
                    "train-lora: unknown argument '" + args.rest().front() + "' (see kaskade-cli train-lora --help)");
    if (imagesDir.isEmpty() || out.isEmpty() || model.isEmpty())
        throw Error(ErrorCode::InvalidArgument, "train-lora needs --images DIR, --out FILE and --model DIR");
    p.modelDir = model.toStdString();
    p.output = out.toStdString();
    p.defaultCaption = !caption.isEmpty() ? caption.toStdString()
                                          : (p.token.empty() ? std::string("a photo") : "a photo of " + p.token);

    const auto entries = core::scanTrainingFolder(imagesDir);
    if (entries.isEmpty())
        throw Error(ErrorCode::FileNotFound, imagesDir.toStdString() + ": no pictures (png, jpg, webp, bmp)");
    p.images = core::loadTrainingImages(entries);
    int captioned = 0;
    for (const auto& e : entries)
        captioned += e.caption.isEmpty() ? 0 : 1;
    std::fprintf(stderr, "%lld pictures (%d with a caption file), %d updates of batch %d x %d at %d px, rank %d\n",
                 static_cast<long long>(entries.size()), captioned, p.updates, p.batch, p.gradAccum, p.resolution,
                 p.rank);

    trainInterrupted.store(false);
    std::signal(SIGINT, onTrainSigint);
    std::signal(SIGTERM, onTrainSigint);
    LoraTrainingCallbacks callbacks;
    callbacks.shouldStop = [] { return trainInterrupted.load(); };
    callbacks.progress = [](const LoraTrainingProgress& progress) {
        if (!progress.message.empty()) {
            std::fprintf(stderr, "%s\n", progress.message.c_str());
            return;
        }
        std::fprintf(stderr, "update %d/%d  loss %.5f  lr %.2e  elapsed %s  ETA %s\n", progress.update,
                     progress.updates, progress.loss, progress.lr, qPrintable(formatDuration(progress.elapsed)),
                     qPrintable(formatDuration(progress.eta)));
        std::fflush(stderr);
    };
    if (p.sampleEvery > 0 && !samplePrompt.isEmpty())
        callbacks.sample = [&](int update, const std::filesystem::path& lora) {
            // A fresh pipeline with the LoRA so far (its file changes between calls).
            auto pipeline = createPipeline();
            ModelSpec spec;
            spec.directory = p.modelDir.string();
            spec.device = parseDevice(p.device).value_or(DeviceChoice{}); // checked when the run started
            spec.loras.push_back({lora.string(), 1.0});
            pipeline->load(spec, {});
            GenerationParams params;
            params.prompt = samplePrompt.toStdString();
            params.width = p.resolution;
            params.height = p.resolution;
            params.seed = p.seed;
            const auto result = pipeline->generate(params, {});
            const QString path = QStringLiteral("%1/%2.sample_%3.png")
                                     .arg(QFileInfo(out).absolutePath(), QFileInfo(out).completeBaseName())
                                     .arg(update, 5, 10, QChar('0'));
            if (!result.images.empty() && core::toQImage(result.images.front().image).save(path))
                std::fprintf(stderr, "sample: %s\n", qPrintable(path));
        };

    const LoraTrainingResult result = trainLora(p, callbacks);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    for (const auto& note : result.notes)
        std::fprintf(stderr, "note: %s\n", note.c_str());
    std::fprintf(stderr, "held-out loss (fixed draws): %.5f before, %.5f after\n", result.heldLossBefore,
                 result.heldLossAfter);
    std::printf("%s\n", result.lora.string().c_str());
    std::fprintf(stderr, "settings: %s\ncheckpoint: %s\n", result.settings.string().c_str(),
                 result.checkpoint.string().c_str());
    if (!comfy.isEmpty()) {
        for (const auto& note : convertLoraToComfyUi(result.lora, comfy.toStdString(), p.modelDir))
            std::fprintf(stderr, "note: %s\n", note.c_str());
        std::fprintf(stderr, "ComfyUI: %s\n", qPrintable(comfy));
    }
    if (result.stopped) {
        std::fprintf(stderr, "stopped at update %d: continue with --resume %s\n", result.updates,
                     result.checkpoint.string().c_str());
        return 130;
    }
    return 0;
}

int runConvertLora(Args& args)
{
    const QString model = takeText(args, "--model");
    const QString out = takeText(args, "--out");
    const std::string usage = "kaskade-cli convert-lora LORA --model DIR --out FILE "
                              "(official layout → ComfyUI lora_prior_unet_* names)";
    const std::string lora = args.positionals(1, 1, usage)[0];
    if (model.isEmpty() || out.isEmpty())
        throw Error(ErrorCode::InvalidArgument, "usage: " + usage);
    for (const auto& note : convertLoraToComfyUi(lora, out.toStdString(), model.toStdString()))
        std::fprintf(stderr, "note: %s\n", note.c_str());
    std::printf("%s\n", qPrintable(out));
    return 0;
}

} // namespace kaskade::cli
