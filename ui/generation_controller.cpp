#include "ui/generation_controller.h"

namespace kaskade::ui {

using core::GenerationWorker;

GenerationController::GenerationController(core::EngineHooks hooks, QObject* parent) : QObject(parent)
{
    thread_.setObjectName(QStringLiteral("kaskade-generation"));
    worker_ = new GenerationWorker(std::move(hooks));
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

    // Worker → GUI: queued (different threads); ids filter out anything stale.
    connect(worker_, &GenerationWorker::started, this, &GenerationController::onStarted);
    connect(worker_, &GenerationWorker::progress, this, [this](quint64 id, const core::ProgressInfo& info) {
        if (id == current_)
            Q_EMIT progress(id, info);
    });
    connect(worker_, &GenerationWorker::preview, this, [this](quint64 id, const QImage& image, int step, int steps) {
        if (id == current_)
            Q_EMIT preview(id, image, step, steps);
    });
    connect(worker_, &GenerationWorker::modelLoaded, this, [this](quint64 id, const ModelInfo& info) {
        modelInfo_ = info;
        Q_EMIT modelLoaded(info);
        onDone(id);
    });
    connect(worker_, &GenerationWorker::finished, this, [this](quint64 id, const core::JobResult& result) {
        Q_EMIT jobFinished(id, result);
        onDone(id);
    });
    connect(worker_, &GenerationWorker::cancelled, this, [this](quint64 id) {
        if (pendingLoads_.contains(id))
            Q_EMIT modelLoadFailed(core::ErrorReport{ErrorCode::Cancelled, QStringLiteral("loading cancelled")});
        else
            Q_EMIT jobCancelled(id);
        onDone(id);
    });
    connect(worker_, &GenerationWorker::failed, this, [this](quint64 id, const core::ErrorReport& error) {
        if (pendingLoads_.contains(id)) {
            modelInfo_ = ModelInfo{}; // the engine may be half-loaded: a new load is needed before generating
            Q_EMIT modelLoadFailed(error);
        } else {
            Q_EMIT jobFailed(id, error);
        }
        onDone(id);
    });
    thread_.start();
}

GenerationController::~GenerationController()
{
    shutdown();
}

void GenerationController::shutdown()
{
    if (!thread_.isRunning())
        return;
    worker_->cancelAll(); // the running job stops at its next step
    queue_.clear();
    thread_.quit();
    thread_.wait();
    worker_ = nullptr; // deleted on its thread after finished()
}

void GenerationController::setThreads(int threads)
{
    QMetaObject::invokeMethod(
        worker_, [w = worker_, threads] { w->setThreads(threads); }, Qt::QueuedConnection);
}

void GenerationController::setState(State state)
{
    if (state_ == state)
        return;
    state_ = state;
    Q_EMIT stateChanged(state);
}

quint64 GenerationController::loadModel(const ModelSpec& spec, bool demo)
{
    const quint64 id = nextId_++;
    modelInfo_ = ModelInfo{};
    pendingLoads_ << id;
    // Sent at once: the worker runs it after the job in hand; queued jobs wait for it (startNext).
    QMetaObject::invokeMethod(
        worker_, [w = worker_, id, spec, demo] { w->loadModel(id, spec, demo); }, Qt::QueuedConnection);
    if (current_ == 0)
        setState(State::Loading);
    Q_EMIT modelLoading(id);
    return id;
}

quint64 GenerationController::enqueue(const GenerationParams& params)
{
    const quint64 id = nextId_++;
    queue_.append(QueuedJob{id, params});
    Q_EMIT queueChanged();
    startNext();
    return id;
}

bool GenerationController::removeQueued(quint64 id)
{
    for (qsizetype i = 0; i < queue_.size(); ++i) {
        if (queue_[i].id == id) {
            queue_.removeAt(i);
            Q_EMIT queueChanged();
            return true;
        }
    }
    return false;
}

void GenerationController::clearQueue()
{
    if (queue_.isEmpty())
        return;
    queue_.clear();
    Q_EMIT queueChanged();
}

void GenerationController::cancel()
{
    if (current_ == 0 || state_ == State::Cancelling)
        return;
    worker_->cancel(current_);
    if (state_ == State::Generating)
        setState(State::Cancelling);
}

void GenerationController::startNext()
{
    if (current_ != 0)
        return;
    if (!pendingLoads_.isEmpty()) {
        setState(State::Loading);
        return;
    }
    if (queue_.isEmpty() || !modelInfo_.loaded || !worker_) {
        setState(State::Idle); // jobs queued without a model wait for the next load
        return;
    }
    const QueuedJob job = queue_.takeFirst();
    current_ = job.id;
    currentParams_ = job.params;
    Q_EMIT queueChanged();
    setState(State::Generating);
    QMetaObject::invokeMethod(
        worker_, [w = worker_, job, folder = outputFolder_] { w->generate(job.id, job.params, folder); },
        Qt::QueuedConnection);
}

void GenerationController::onStarted(quint64 id)
{
    if (pendingLoads_.contains(id)) {
        current_ = id;
        setState(State::Loading);
        return;
    }
    if (id == current_)
        Q_EMIT jobStarted(id, currentParams_);
}

void GenerationController::onDone(quint64 id)
{
    pendingLoads_.removeAll(id);
    if (id == current_)
        current_ = 0;
    startNext();
}

} // namespace kaskade::ui
