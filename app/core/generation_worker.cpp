#include "app/core/generation_worker.h"

#include "app/core/gallery_store.h"
#include "app/core/model_hash.h"
#include "app/core/prompt_loras.h"
#include "pipeline/device.h"
#include "pipeline/pipeline.h"
#include "pipeline/tools/demo_model.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <exception>

namespace kaskade::core {

EngineHooks EngineHooks::real()
{
    return {[] { return createPipeline(); },
            [](const std::string& directory) { kaskade::writeDemoModel(directory, "tiny"); }};
}

GenerationWorker::GenerationWorker(EngineHooks hooks, QObject* parent) : QObject(parent), hooks_(std::move(hooks))
{
    static const bool registered = [] {
        qRegisterMetaType<ProgressInfo>();
        qRegisterMetaType<ErrorReport>();
        qRegisterMetaType<JobResult>();
        qRegisterMetaType<ModelInfo>();
        return true;
    }();
    Q_UNUSED(registered);
}

GenerationWorker::~GenerationWorker() = default;

void GenerationWorker::cancel(quint64 jobId)
{
    cancelled_.store(jobId);
}
void GenerationWorker::cancelAll()
{
    stopping_.store(true);
}

Generator& GenerationWorker::generator()
{
    if (!generator_) {
        if (!hooks_.createGenerator)
            throw Error(ErrorCode::Internal, "no generator factory");
        generator_ = hooks_.createGenerator();
    }
    return *generator_;
}

namespace {
constexpr int kMaxPreviewSide = 512;
constexpr int kMaxDisplaySide = 768; // the finished image in the preview pane; the gallery keeps the file
} // namespace

GenerationCallbacks GenerationWorker::callbacksFor(quint64 jobId)
{
    GenerationCallbacks callbacks;
    callbacks.progress = [this, jobId](const Progress& p) {
        Q_EMIT progress(jobId, ProgressInfo{p.phase, p.network, p.step, p.steps, p.elapsedSeconds,
                                            QString::fromStdString(p.message)});
    };
    callbacks.preview = [this, jobId](const PreviewFrame& frame) {
        if (frame.index != 0 || frame.image.width <= 0) // the first image of a batch stands for all of them
            return;
        QImage image = toQImage(frame.image);
        // Large previews (Stage B at 1024²) are scaled here, so the GUI thread never scales megapixels per step.
        if (std::max(image.width(), image.height()) > kMaxPreviewSide)
            image = image.scaled(kMaxPreviewSide, kMaxPreviewSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        Q_EMIT preview(jobId, image, frame.step, frame.steps);
    };
    callbacks.shouldCancel = [this, jobId] { return stopping_.load() || cancelled_.load() == jobId; };
    return callbacks;
}

// The worker boundary: no exception goes further than this.
template <typename Body> void GenerationWorker::guarded(quint64 jobId, Body&& body)
{
    running_.store(jobId);
    Q_EMIT started(jobId);
    try {
        if (stopping_.load() || cancelled_.load() == jobId)
            throw Error(ErrorCode::Cancelled, "cancelled before it started");
        body();
    } catch (const Error& e) {
        if (e.code() == ErrorCode::Cancelled)
            Q_EMIT cancelled(jobId);
        else
            Q_EMIT failed(jobId, ErrorReport{e.code(), QString::fromStdString(e.what())});
    } catch (const std::bad_alloc&) {
        Q_EMIT failed(jobId, ErrorReport{ErrorCode::DeviceError, QStringLiteral("out of memory")});
    } catch (const std::exception& e) {
        Q_EMIT failed(jobId, ErrorReport{ErrorCode::Internal, QString::fromStdString(e.what())});
    } catch (...) {
        Q_EMIT failed(jobId, ErrorReport{ErrorCode::Internal, QStringLiteral("unknown exception")});
    }
    running_.store(0);
}

void GenerationWorker::loadModel(quint64 jobId, const ModelSpec& spec, bool demo)
{
    guarded(jobId, [&] {
        const GenerationCallbacks callbacks = callbacksFor(jobId);
        if (demo && !QFileInfo::exists(QDir(QString::fromStdString(spec.directory)).filePath("cascade.json"))) {
            if (!hooks_.writeDemoModel)
                throw Error(ErrorCode::Unsupported, "no demo model available");
            if (callbacks.progress)
                callbacks.progress(Progress{.phase = Phase::Loading, .message = "writing the demo model"});
            hooks_.writeDemoModel(spec.directory);
        }
        Generator& engine = generator();
        engine.load(spec, callbacks);
        modelInfo_ = engine.modelInfo();
        Q_EMIT modelLoaded(jobId, modelInfo_);
    });
}

void GenerationWorker::generate(quint64 jobId, const GenerationParams& params, const QString& outputFolder)
{
    guarded(jobId, [&] {
        Generator& engine = generator();
        // <lora:name:w> tags chose the merged LoRAs (the GUI resolved them); the text encoder never sees them.
        GenerationParams engineParams = params;
        const auto untagged = [](const std::string& prompt) {
            return stripLoraTags(QString::fromStdString(prompt)).toStdString();
        };
        engineParams.prompt = untagged(params.prompt);
        for (std::string& prompt : engineParams.batchPrompts)
            prompt = untagged(prompt);
        GenerationResult result = engine.generate(engineParams, callbacksFor(jobId));
        JobResult job;
        job.params = result.params;
        job.seconds = result.seconds;
        for (const std::string& note : result.notes)
            job.notes << QString::fromStdString(note);
        const GalleryStore store(outputFolder);
        for (GeneratedImage& generated : result.images) {
            FinishedImage image;
            image.image = toQImage(generated.image);
            generated.image.rgb = {}; // free the copy early: batches of large images add up
            image.thumbnail = GalleryStore::makeThumbnail(image.image);
            if (std::max(image.image.width(), image.image.height()) > kMaxDisplaySide)
                image.display =
                    image.image.scaled(kMaxDisplaySide, kMaxDisplaySide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            image.record.params = result.params;
            image.record.params.seed = generated.seed;
            image.record.params.batch = 1;
            image.record.params.batchPrompts.clear();
            // The saved prompt names every merged LoRA as a tag, as A1111 writes it: reuse brings them back.
            const std::size_t index = std::size_t(std::max(0, generated.index));
            const std::string& asTyped =
                index < params.batchPrompts.size() ? params.batchPrompts[index] : params.prompt;
            image.record.params.prompt = withLoraTags(QString::fromStdString(asTyped), modelInfo_.loras).toStdString();
            image.record.seed = generated.seed;
            image.record.modelSummary = QString::fromStdString(modelInfo_.summary);
            image.record.device = QString::fromStdString(modelInfo_.device);
            image.record.precision = QString::fromStdString(modelInfo_.dtype);
            image.record.modelFiles = modelInfo_.files;
            // Only when already known: hashing a checkpoint takes long and runs elsewhere (MainWindow).
            for (const ModelFileInfo& file : modelInfo_.files)
                if (file.role == Role::StageC)
                    image.record.modelHash = ModelHashes::cached(QString::fromStdString(file.path)).value_or(QString());
            image.record.source = QStringLiteral("kaskade");
            // Saving here keeps PNG encoding off the GUI thread.
            if (!outputFolder.isEmpty()) {
                try {
                    image.path = store.save(image.image, image.record);
                } catch (const std::exception& e) {
                    image.saveError = QString::fromStdString(e.what());
                }
            }
            job.images << image;
        }
        Q_EMIT finished(jobId, job);
    });
}

void GenerationWorker::setThreads(int threads)
{
    kaskade::setThreads(threads);
}

} // namespace kaskade::core
