// kaskade-cli generate / make-demo-model.
#include "app/cli/commands.h"
#include "app/core/image_inputs.h"
#include "app/core/image_metadata.h"
#include "app/core/params_cli.h"
#include "app/core/prompt_loras.h"
#include "pipeline/errors.h"
#include "pipeline/pipeline.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace kaskade::cli {
namespace {

std::atomic<bool> interrupted{false};

void onSigint(int)
{
    interrupted.store(true);
}

QString expandPattern(QString pattern, const GeneratedImage& image, const QString& date, int batch)
{
    if (batch > 1 && !pattern.contains("{index}") && !pattern.contains("{seed}")) {
        const int dot = pattern.lastIndexOf('.');
        pattern.insert(dot > 0 ? dot : pattern.size(), "_{index}");
    }
    pattern.replace("{seed}", QString::number(image.seed));
    pattern.replace("{index}", QString::number(image.index));
    pattern.replace("{date}", date);
    if (!pattern.endsWith(".png", Qt::CaseInsensitive))
        pattern += ".png";
    return pattern;
}

// Progress on stderr: an updating bar on a terminal, one line per stage and every few steps otherwise.
class ProgressPrinter
{
public:
    ProgressPrinter() : tty_(isatty(fileno(stderr))) {}

    void update(const Progress& p)
    {
        if (p.phase == Phase::Loading) {
            std::fprintf(stderr, "%sloading %s\n", tty_ ? "\r\033[K" : "", p.message.c_str());
            return;
        }
        const bool sampling = p.network == Role::StageC || p.network == Role::StageB;
        if (p.step == 0) {
            stageStart_ = p.elapsedSeconds;
            if (!tty_)
                std::fprintf(stderr, "%s...\n", progressLabel(p));
            return;
        }
        const double spent = p.elapsedSeconds - stageStart_;
        const double rate = spent > 0 ? p.step / spent : 0;
        const double eta = rate > 0 ? (p.steps - p.step) / rate : 0;
        if (tty_) {
            const int width = 30;
            const int filled = p.steps ? width * p.step / p.steps : width;
            std::string bar(filled, '#');
            bar += std::string(width - filled, '-');
            std::fprintf(stderr, "\r\033[K%-8s [%s] %d/%d", progressLabel(p), bar.c_str(), p.step, p.steps);
            if (sampling)
                std::fprintf(stderr, "  %.2f it/s  ETA %.0fs", rate, eta);
            if (p.step == p.steps)
                std::fprintf(stderr, "\n");
        } else if (sampling && (p.step == p.steps || p.step % 5 == 0)) {
            std::fprintf(stderr, "%s step %d/%d  %.2f it/s  ETA %.0fs\n", progressLabel(p), p.step, p.steps, rate, eta);
        }
        std::fflush(stderr);
    }

private:
    bool tty_;
    double stageStart_ = 0;
};

// Without --width/--height an image job keeps its picture's aspect ratio, the shorter side at the default
// 1024 px (the notebooks: a photo resized to 768 on its shorter side gives 1024).
void sizeFromPicture(GenerationParams& params)
{
    const ImageInputs& in = params.images;
    const InputImage& picture = !in.init.empty() ? in.init : in.controlImage;
    if (!picture.loaded() || !in.fitToSize)
        return;
    const Outpaint& o = in.outpaint;
    const double w = picture.pixels.width + o.left + o.right, h = picture.pixels.height + o.top + o.bottom;
    const double scale = 1024.0 / std::min(w, h);
    params.width = std::clamp(static_cast<int>(std::lround(w * scale)), 128, 4096);
    params.height = std::clamp(static_cast<int>(std::lround(h * scale)), 128, 4096);
}

// <lora:name:0.8> in the prompts (A1111) loads that LoRA, found as the GUI finds it (prompt_loras.h); the text
// encoder never reads the tags. A name without a file fails before anything loads.
void takePromptLoras(GenerationParams& params, ModelSpec& spec)
{
    QStringList prompts{QString::fromStdString(params.prompt)};
    for (const std::string& prompt : params.batchPrompts)
        prompts << QString::fromStdString(prompt);
    if (core::promptLoras(prompts.join(QLatin1Char('\n'))).isEmpty())
        return;
    std::vector<CheckpointEntry> scanned;
    try {
        scanned = scanCheckpoints(spec.directory);
    } catch (const Error&) { // a missing folder is reported by the load, with the whole model in view
    }
    const QString folder = QString::fromStdString(spec.directory);
    const core::ResolvedLoras found = core::resolvePromptLoras(prompts, folder, scanned);
    if (!found.unknown.isEmpty())
        throw Error(ErrorCode::FileNotFound,
                    QStringLiteral("the prompt names the LoRA %1, but no such .safetensors file is in %2 or its loras "
                                   "folder; put it there, write its full path in the tag or remove the tag")
                        .arg(found.unknown.join(QStringLiteral(", ")), folder)
                        .toStdString());
    for (const LoraSpec& lora : found.loras) {
        auto it =
            std::find_if(spec.loras.begin(), spec.loras.end(), [&](const LoraSpec& l) { return l.path == lora.path; });
        if (it == spec.loras.end())
            spec.loras.push_back(lora);
        else
            it->strength = lora.strength;
        std::fprintf(stderr, "lora: %s (strength %g, from the prompt)\n", lora.path.c_str(), lora.strength);
    }
    params.prompt = core::stripLoraTags(prompts.first()).toStdString();
    for (std::string& prompt : params.batchPrompts)
        prompt = core::stripLoraTags(QString::fromStdString(prompt)).toStdString();
}

int generateHelp()
{
    std::printf(
        "usage: kaskade-cli generate --model DIR --prompt TEXT [options] [--out PATTERN]\n\n"
        "  --model DIR         model folder (official files, diffusers snapshot or ComfyUI models/ tree)\n"
        "  --stage-c FILE      fine-tuned Stage C checkpoint (replaces the folder's)\n"
        "  --stage-b FILE      fine-tuned Stage B checkpoint\n"
        "  --lora FILE[:S]     Stage C LoRA with strength S (-2..2, default 1); repeatable; or <lora:NAME:S> in\n"
        "                      the prompt for NAME.safetensors in the model folder (or its loras/ folder)\n"
        "  --out PATTERN       output file; {seed}, {index}, {date} are replaced (default kaskade_{date}_{seed}.png)\n"
        "  --previews DIR      also save every preview frame into DIR\n%s",
        core::generationOptionsHelp().toLocal8Bit().constData());
    return 0;
}

} // namespace

int runGenerate(Args& args)
{
    const QStringList argsIn = toQt(args.rest());
    if (argsIn.contains("--help") || argsIn.contains("-h"))
        return generateHelp();
    core::GenerationOptions options = core::parseGenerationOptions(argsIn);
    Args rest = toArgs(options.unconsumed);
    ModelSpec spec = options.model; // --device, --dtype, --residency
    spec.directory = rest.take("--model", "");
    spec.stageCFile = rest.take("--stage-c", "");
    spec.stageBFile = rest.take("--stage-b", "");
    for (const std::string& item : rest.takeAll("--lora")) {
        const QString lora = QString::fromStdString(item);
        LoraSpec l;
        const int colon = lora.lastIndexOf(':');
        bool ok = false;
        const double strength = colon > 0 ? lora.mid(colon + 1).toDouble(&ok) : 1.0;
        l.path = (ok ? lora.left(colon) : lora).toStdString();
        l.strength = ok ? strength : 1.0;
        spec.loras.push_back(l);
    }
    QString outPattern = takeText(rest, "--out");
    const QString previewDir = takeText(rest, "--previews");
    if (!rest.rest().empty())
        throw Error(ErrorCode::InvalidArgument, "unknown option '" + rest.rest().front() + "' (see generate --help)");
    if (spec.directory.empty())
        throw Error(ErrorCode::InvalidArgument, "--model DIR is required (see generate --help)");
    if (outPattern.isEmpty())
        outPattern = QStringLiteral("kaskade_{date}_{seed}.png");
    // "--out dir/" (or an existing folder) means "into that folder" with the default file name, not a
    // hidden "dir/.png".
    else if (outPattern.endsWith('/') || QFileInfo(outPattern).isDir())
        outPattern = QDir(outPattern).filePath(QStringLiteral("kaskade_{date}_{seed}.png"));
    if (!options.missingInputs.isEmpty())
        throw Error(ErrorCode::FileNotFound,
                    QStringLiteral("%1 was made from pictures that are not at hand (%2); give them again with "
                                   "--init-image, --image-prompt, --control-image or --mask")
                        .arg(options.sourceFile, options.missingInputs.join(QStringLiteral("; ")))
                        .toStdString());
    if (options.params.images.any() && options.sourceFile.isEmpty() && !argsIn.contains("--width") &&
        !argsIn.contains("--height") && !std::any_of(argsIn.begin(), argsIn.end(), [](const QString& a) {
            return a.startsWith("--width=") || a.startsWith("--height=");
        }))
        sizeFromPicture(options.params);
    const GenerationParams typed = options.params; // the saved prompts keep (and gain) their <lora:> tags
    takePromptLoras(options.params, spec);
    const GenerationParams& params = options.params;
    if (!previewDir.isEmpty() && !QDir().mkpath(previewDir))
        throw Error(ErrorCode::FileIo, previewDir.toStdString() + ": cannot create the preview folder");

    interrupted.store(false);
    std::signal(SIGINT, onSigint);
    std::signal(SIGTERM, onSigint);

    ProgressPrinter printer;
    GenerationCallbacks callbacks;
    callbacks.progress = [&](const Progress& p) { printer.update(p); };
    callbacks.shouldCancel = [] { return interrupted.load(); };
    if (!previewDir.isEmpty())
        callbacks.preview = [&](const PreviewFrame& f) {
            const QString name = QStringLiteral("%1/preview_%2_%3_%4.png")
                                     .arg(previewDir, f.network == Role::StageC ? "c" : "b")
                                     .arg(f.step, 3, 10, QChar('0'))
                                     .arg(f.index);
            core::toQImage(f.image).save(name);
        };

    auto pipeline = createPipeline();
    try {
        pipeline->load(spec, callbacks);
        const ModelInfo info = pipeline->modelInfo();
        std::fprintf(stderr, "model: %s\n", info.summary.c_str());
        if (params.images.any())
            std::fprintf(stderr, "mode: %s\n", params.images.modeName().c_str());
        if (info.demo)
            std::fprintf(stderr, "note: this is a demo model with random weights: it draws noise. Get the real "
                                 "Stable Cascade weights from stabilityai/stable-cascade on Hugging Face.\n");
        const GenerationResult result = pipeline->generate(params, callbacks);
        for (const auto& note : result.notes)
            std::fprintf(stderr, "note: %s\n", note.c_str());
        const QString date = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
        for (const auto& image : result.images) {
            const QString path = expandPattern(outPattern, image, date, params.batch);
            const QFileInfo fileInfo(path);
            if (!fileInfo.dir().exists() && !QDir().mkpath(fileInfo.absolutePath()))
                throw Error(ErrorCode::FileIo, path.toStdString() + ": cannot create the folder");
            core::ImageRecord record;
            record.params = result.params;
            record.params.seed = image.seed;
            record.params.batch = 1;
            record.params.batchPrompts.clear();
            const std::size_t index = std::size_t(std::max(0, image.index));
            record.params.prompt =
                core::withLoraTags(QString::fromStdString(index < typed.batchPrompts.size() ? typed.batchPrompts[index]
                                                                                            : typed.prompt),
                                   info.loras)
                    .toStdString();
            record.seed = image.seed;
            record.modelSummary = QString::fromStdString(info.summary);
            record.device = QString::fromStdString(info.device);
            record.precision = QString::fromStdString(info.dtype);
            record.modelFiles = info.files;
            core::saveImage(path, core::toQImage(image.image), record);
            std::printf("%s\tseed %llu\n", path.toLocal8Bit().constData(), static_cast<unsigned long long>(image.seed));
        }
        std::fprintf(stderr, "done in %.1f s\n", result.seconds);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::Cancelled) {
            std::fprintf(stderr, "\ncancelled: no image was written\n");
            return 130;
        }
        throw;
    }
    return 0;
}

// `reconstruct IMAGE` and `upscale IMAGE`: generate with the picture in the right slot.
namespace {

int runWithPicture(const QStringList& argsIn, const char* command, const char* summary, const QStringList& slot,
                   const QStringList& defaults)
{
    const std::string usage = std::string("usage: kaskade-cli ") + command +
                              " IMAGE --model DIR [--prompt TEXT] [--out PATTERN] [generate options]";
    if (argsIn.isEmpty() || argsIn.first() == "--help" || argsIn.first() == "-h") {
        std::printf("%s\n\n%s\n", usage.c_str(), summary);
        return 0;
    }
    if (argsIn.first().startsWith('-'))
        throw Error(ErrorCode::InvalidArgument, usage + " (the picture comes first)");
    QStringList args = slot;
    args.append(argsIn.first());
    for (int i = 0; i + 1 < defaults.size(); i += 2)
        if (!std::any_of(argsIn.begin(), argsIn.end(), [&](const QString& a) { return a.startsWith(defaults[i]); }))
            args << defaults[i] << defaults[i + 1];
    args.append(argsIn.mid(1));
    Args generateArgs = toArgs(args);
    return runGenerate(generateArgs);
}

} // namespace

int runReconstruct(Args& args)
{
    return runWithPicture(toQt(args.rest()), "reconstruct",
                          "Encodes the picture to EfficientNet latents (of the picture downscaled by 3/4) and decodes\n"
                          "them through Stage B and Stage A, as the official reconstruction notebook does: what the\n"
                          "Stage B/A compression keeps of it. Needs effnet_encoder.safetensors; the result has the\n"
                          "picture's size (rounded down to a multiple of 8).",
                          {"--reconstruct"}, {});
}

int runUpscale(Args& args)
{
    return runWithPicture(
        toQt(args.rest()), "upscale",
        "Super-resolution with the sr ControlNet (controlnet/super_resolution.safetensors, needs\n"
        "Stage C 3.6B for the released file): the result is about 2.67x the picture, as the official\n"
        "notebook sizes it. Stage C guidance defaults to 1 as in that notebook.",
        {"--control", "sr", "--control-image"}, {"--cfg-c", "1"});
}

} // namespace kaskade::cli
