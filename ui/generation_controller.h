#pragma once
// GenerationController: the GUI-thread facade over the worker. Owns the named worker thread, keeps the job
// queue (one job on the worker at a time, the rest visible and removable here), and tracks the state the
// window enables its actions by.

#include "app/core/generation_worker.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QThread>

namespace kaskade::ui {

struct QueuedJob
{
    quint64 id = 0;
    GenerationParams params;
};

class GenerationController final : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Loading, Generating, Cancelling };
    Q_ENUM(State)

    explicit GenerationController(core::EngineHooks hooks, QObject* parent = nullptr);
    ~GenerationController() override; // cancels, quits and waits

    State state() const { return state_; }
    bool busy() const { return state_ != State::Idle; }
    bool modelReady() const { return modelInfo_.loaded; }
    const ModelInfo& modelInfo() const { return modelInfo_; }
    quint64 currentJob() const { return current_; }
    const QList<QueuedJob>& queue() const { return queue_; }
    QThread* workerThread() { return &thread_; }

    void setOutputFolder(const QString& folder) { outputFolder_ = folder; }
    const QString& outputFolder() const { return outputFolder_; }
    void setThreads(int threads);

    // Loads a model; queued jobs wait for it. Returns the request id.
    quint64 loadModel(const ModelSpec& spec, bool demo = false);
    // Runs now when idle, else queues. Returns the job id.
    quint64 enqueue(const GenerationParams& params);
    bool removeQueued(quint64 id);
    void clearQueue();
    // Cancels the running job (it stops within one step); the queue goes on.
    void cancel();
    void shutdown();

Q_SIGNALS:
    void stateChanged(kaskade::ui::GenerationController::State state);
    void queueChanged();
    void jobStarted(quint64 id, const kaskade::GenerationParams& params);
    void progress(quint64 id, const kaskade::core::ProgressInfo& info);
    void preview(quint64 id, const QImage& image, int step, int steps);
    void jobFinished(quint64 id, const kaskade::core::JobResult& result);
    void jobCancelled(quint64 id);
    void jobFailed(quint64 id, const kaskade::core::ErrorReport& error);
    void modelLoading(quint64 id);
    void modelLoaded(const kaskade::ModelInfo& info);
    void modelLoadFailed(const kaskade::core::ErrorReport& error);

private:
    void startNext();
    void setState(State state);
    void onStarted(quint64 id);
    void onDone(quint64 id);

    QThread thread_;
    core::GenerationWorker* worker_ = nullptr; // lives on thread_, deleted when it finishes
    QList<QueuedJob> queue_;
    State state_ = State::Idle;
    quint64 nextId_ = 1;
    quint64 current_ = 0;
    QList<quint64> pendingLoads_;
    GenerationParams currentParams_;
    ModelInfo modelInfo_;
    QString outputFolder_;
};

} // namespace kaskade::ui
