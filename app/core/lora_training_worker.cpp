#include "app/core/lora_training_worker.h"

#include "app/core/image_metadata.h"
#include "pipeline/errors.h"
#include "pipeline/pipeline.h"

#include <QMetaObject>

namespace kaskade::core {

LoraTrainingWorker::LoraTrainingWorker()
{
    thread_.setObjectName(QStringLiteral("lora-training"));
    moveToThread(&thread_);
    thread_.start();
}

LoraTrainingWorker::~LoraTrainingWorker()
{
    requestStop();
    thread_.quit();
    thread_.wait();
}

void LoraTrainingWorker::start(const LoraTrainingParams& params, const QString& samplePrompt)
{
    stop_.store(false);
    running_.store(true);
    QMetaObject::invokeMethod(
        this, [this, params, samplePrompt] { run(params, samplePrompt); }, Qt::QueuedConnection);
}

void LoraTrainingWorker::run(LoraTrainingParams params, QString samplePrompt)
{
    LoraTrainingCallbacks callbacks;
    callbacks.shouldStop = [this] { return stop_.load(); };
    callbacks.progress = [this](const LoraTrainingProgress& p) {
        Q_EMIT progress(p.update, p.updates, p.loss, p.lr, p.eta, QString::fromStdString(p.message));
    };
    if (!samplePrompt.isEmpty() && params.sampleEvery > 0)
        callbacks.sample = [this, &params, samplePrompt](int update, const std::filesystem::path& lora) {
            // A fixed prompt and seed with the LoRA so far, so the user sees the concept arrive.
            auto pipeline = createPipeline();
            ModelSpec spec;
            spec.directory = params.modelDir.string();
            spec.device = parseDevice(params.device).value_or(DeviceChoice{}); // checked when the run started
            spec.loras.push_back({lora.string(), 1.0});
            GenerationCallbacks none;
            none.shouldCancel = [this] { return stop_.load(); };
            try {
                pipeline->load(spec, none);
                GenerationParams g;
                g.prompt = samplePrompt.toStdString();
                g.width = params.resolution;
                g.height = params.resolution;
                g.seed = params.seed;
                const auto result = pipeline->generate(g, none);
                if (!result.images.empty())
                    Q_EMIT sampleReady(update, toQImage(result.images.front().image));
            } catch (const Error& e) {
                if (e.code() != ErrorCode::Cancelled)
                    Q_EMIT progress(update, params.updates, 0, 0, 0, QStringLiteral("sample failed: %1").arg(e.what()));
            }
        };
    try {
        const LoraTrainingResult result = trainLora(params, callbacks);
        running_.store(false);
        Q_EMIT finished(QString::fromStdString(result.lora.string()), result.stopped,
                        QString::fromStdString(result.checkpoint.string()), result.heldLossBefore,
                        result.heldLossAfter);
    } catch (const std::exception& e) {
        running_.store(false);
        Q_EMIT failed(QString::fromUtf8(e.what()));
    }
}

} // namespace kaskade::core
