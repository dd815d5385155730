#pragma once
// GenerationWorker: lives on one long-lived named QThread and owns the Generator. Requests arrive as queued
// calls (QMetaObject::invokeMethod); results and previews leave as QImage value signals; cancel() is the only
// member that may be called from another thread. Every exception stops at this boundary and becomes failed().

#include "app/core/image_metadata.h"
#include "pipeline/errors.h"
#include "pipeline/generator.h"

#include <QImage>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace kaskade::core {

// How the worker reaches the engine; tests swap in a fake generator and a no-op demo writer.
struct EngineHooks
{
    std::function<std::unique_ptr<Generator>()> createGenerator;
    std::function<void(const std::string& directory)> writeDemoModel; // empty: no demo model available
    static EngineHooks real();                                        // createPipeline / writeDemoModel
};

struct ProgressInfo
{
    Phase phase = Phase::Loading;
    Role network = Role::TextEncoder; // with Running
    int step = 0;
    int steps = 0;
    double elapsedSeconds = 0;
    QString message;
};

struct ErrorReport
{
    ErrorCode code = ErrorCode::Internal;
    QString message; // technical, English: goes into the dialog's details
};

struct FinishedImage
{
    QImage image;
    QImage thumbnail;
    QImage display;    // scaled here for the preview pane (null when image is small enough)
    QString path;      // empty when not saved
    QString saveError; // why saving failed
    ImageRecord record;
};

struct JobResult
{
    QList<FinishedImage> images;
    GenerationParams params; // as run
    double seconds = 0;
    QStringList notes;
};

class GenerationWorker final : public QObject
{
    Q_OBJECT
public:
    explicit GenerationWorker(EngineHooks hooks, QObject* parent = nullptr);
    ~GenerationWorker() override;

    // Thread-safe: the job with this id stops at its next cancel check.
    void cancel(quint64 jobId);
    // Thread-safe: everything stops (shutdown); later jobs are refused as cancelled.
    void cancelAll();

    // Worker thread only (queued calls).
    void loadModel(quint64 jobId, const kaskade::ModelSpec& spec, bool demo);
    void generate(quint64 jobId, const kaskade::GenerationParams& params, const QString& outputFolder);
    void setThreads(int threads);

Q_SIGNALS:
    void started(quint64 jobId);
    void progress(quint64 jobId, const kaskade::core::ProgressInfo& info);
    void preview(quint64 jobId, const QImage& image, int step, int steps);
    void modelLoaded(quint64 jobId, const kaskade::ModelInfo& info);
    void finished(quint64 jobId, const kaskade::core::JobResult& result);
    void cancelled(quint64 jobId);
    void failed(quint64 jobId, const kaskade::core::ErrorReport& error);

private:
    GenerationCallbacks callbacksFor(quint64 jobId);
    Generator& generator();
    template <typename Body> void guarded(quint64 jobId, Body&& body);

    EngineHooks hooks_;
    std::unique_ptr<Generator> generator_;
    ModelInfo modelInfo_;
    std::atomic<quint64> running_{0};
    std::atomic<quint64> cancelled_{0};
    std::atomic<bool> stopping_{false};
};

} // namespace kaskade::core

Q_DECLARE_METATYPE(kaskade::core::ProgressInfo)
Q_DECLARE_METATYPE(kaskade::core::ErrorReport)
Q_DECLARE_METATYPE(kaskade::core::JobResult)
Q_DECLARE_METATYPE(kaskade::ModelInfo)
