#pragma once
// LoraTrainingWorker: runs trainLora() (pipeline/training/lora_job.h) on its own named QThread for the
// Train LoRA dialog. start() is a queued call; progress, loss points, sample renders and the end leave as
// value signals. requestStop() is the only member another thread may call: the run stops after the current
// micro-step and writes its resumable checkpoint (pause = stop; resume = start with `resume` set).
// Every exception stops at this boundary and becomes failed(). Torch-free header.

#include "pipeline/training/lora_job.h"

#include <QImage>
#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>

namespace kaskade::core {

class LoraTrainingWorker : public QObject
{
    Q_OBJECT

public:
    // Owned by its creator (no QObject parent: the object lives on its own thread).
    LoraTrainingWorker();
    ~LoraTrainingWorker() override;

    // Queued onto the worker thread; `samplePrompt` empty = no sample renders.
    void start(const LoraTrainingParams& params, const QString& samplePrompt);
    void requestStop() { stop_.store(true); }
    bool isRunning() const { return running_.load(); }

Q_SIGNALS:
    void progress(int update, int updates, double loss, double lr, double etaSeconds, const QString& message);
    void sampleReady(int update, const QImage& image);
    // lora: the written file; stopped: ended early (checkpoint holds the state to resume from).
    void finished(const QString& lora, bool stopped, const QString& checkpoint, double heldLossBefore,
                  double heldLossAfter);
    void failed(const QString& message);

private:
    void run(LoraTrainingParams params, QString samplePrompt);

    QThread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> running_{false};
};

} // namespace kaskade::core
