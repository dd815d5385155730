// GenerationController + GenerationWorker with the FakeGenerator: load, start, previews, cancel, failure and
// queue order, observed through QSignalSpy.
#include "tests/mocks/fake_generator.h"
#include "ui/generation_controller.h"
#include "ui/queue_panel.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kaskade;
using namespace kaskade::ui;
using State = GenerationController::State;

class TestGenerationController : public QObject
{
    Q_OBJECT

    std::shared_ptr<test::FakeState> state_;
    std::unique_ptr<GenerationController> controller_;
    QTemporaryDir out_;

    static GenerationParams small(const std::string& prompt, int cSteps = 3)
    {
        GenerationParams p;
        p.prompt = prompt;
        p.width = p.height = 128;
        p.stageC.steps = cSteps;
        p.stageB.steps = 2;
        p.seed = 5;
        return p;
    }

    static ModelSpec spec(const std::string& directory)
    {
        ModelSpec s;
        s.directory = directory;
        return s;
    }

    void loadModel()
    {
        QSignalSpy loaded(controller_.get(), &GenerationController::modelLoaded);
        controller_->loadModel(spec("/models/fake"), true);
        QVERIFY(loaded.wait(5000));
        QVERIFY(controller_->modelReady());
    }

private Q_SLOTS:
    void init()
    {
        state_ = std::make_shared<test::FakeState>();
        controller_ = std::make_unique<GenerationController>(test::fakeHooks(state_));
        controller_->setOutputFolder(out_.path());
    }
    void cleanup() { controller_.reset(); }

    void workerRunsOnNamedThread()
    {
        QCOMPARE(controller_->workerThread()->objectName(), QStringLiteral("kaskade-generation"));
        QVERIFY(controller_->workerThread()->isRunning());
        QVERIFY(controller_->workerThread() != QThread::currentThread());
    }

    void loadThenGenerateWithPreviews()
    {
        QSignalSpy states(controller_.get(), &GenerationController::stateChanged);
        loadModel();
        QSignalSpy started(controller_.get(), &GenerationController::jobStarted);
        QSignalSpy previews(controller_.get(), &GenerationController::preview);
        QSignalSpy progress(controller_.get(), &GenerationController::progress);
        QSignalSpy finished(controller_.get(), &GenerationController::jobFinished);
        const quint64 id = controller_->enqueue(small("one", 4));
        QCOMPARE(controller_->state(), State::Generating);
        QVERIFY(finished.wait(5000));
        QCOMPARE(started.count(), 1);
        QCOMPARE(started[0][0].value<quint64>(), id);
        QCOMPARE(previews.count(), 4); // every Stage C step
        QCOMPARE(previews[0][1].value<QImage>().size(), QSize(192, 192));
        QCOMPARE(progress.count(), 4 + 2);
        const auto result = finished[0][1].value<core::JobResult>();
        QCOMPARE(result.images.size(), 1);
        QCOMPARE(result.images[0].image.size(), QSize(128, 128));
        QVERIFY(QFile::exists(result.images[0].path)); // saved on the worker thread
        QCOMPARE(result.images[0].record.seed, quint64(5));
        QCOMPARE(result.images[0].record.modelSummary, QStringLiteral("Stage C fake · Stage B fake · fp32 · CPU"));
        QCOMPARE(controller_->state(), State::Idle);
        // Loading → Idle, then Generating → Idle.
        QList<State> seen;
        for (const auto& args : states)
            seen << args[0].value<State>();
        QCOMPARE(seen, (QList<State>{State::Loading, State::Idle, State::Generating, State::Idle}));
    }

    void cancelStopsWithinOneStep()
    {
        state_->script.stepDelayMs = 30;
        loadModel();
        QSignalSpy previews(controller_.get(), &GenerationController::preview);
        QSignalSpy cancelled(controller_.get(), &GenerationController::jobCancelled);
        QSignalSpy finished(controller_.get(), &GenerationController::jobFinished);
        controller_->enqueue(small("long", 100));
        QVERIFY(previews.wait(5000));
        controller_->cancel();
        QCOMPARE(controller_->state(), State::Cancelling);
        QVERIFY(cancelled.wait(5000));
        QCOMPARE(finished.count(), 0);
        QVERIFY2(state_->cancelChecks.load() < 20, "the job should stop within a step of the request");
        QCOMPARE(controller_->state(), State::Idle);
        // The generator stays usable.
        state_->script.stepDelayMs = 0;
        controller_->enqueue(small("after"));
        QVERIFY(finished.wait(5000));
    }

    void failureIsReportedAndNextJobRuns()
    {
        state_->script.failGenerate = ErrorCode::DeviceError;
        loadModel();
        QSignalSpy failed(controller_.get(), &GenerationController::jobFailed);
        QSignalSpy finished(controller_.get(), &GenerationController::jobFinished);
        const quint64 bad = controller_->enqueue(small("fails"));
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed[0][0].value<quint64>(), bad);
        const auto error = failed[0][1].value<core::ErrorReport>();
        QCOMPARE(error.code, ErrorCode::DeviceError);
        QVERIFY(error.message.contains(QStringLiteral("Stage C step 2")));
        QCOMPARE(controller_->state(), State::Idle);
        state_->script.failGenerate.reset();
        controller_->enqueue(small("works"));
        QVERIFY(finished.wait(5000));
    }

    void invalidParamsFailAtTheBoundary()
    {
        loadModel();
        QSignalSpy failed(controller_.get(), &GenerationController::jobFailed);
        GenerationParams p = small("bad");
        p.width = 0;
        controller_->enqueue(p);
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed[0][1].value<core::ErrorReport>().code, ErrorCode::InvalidArgument);
    }

    void loadFailureLeavesNoModel()
    {
        state_->script.failLoad = ErrorCode::BadCheckpoint;
        QSignalSpy failed(controller_.get(), &GenerationController::modelLoadFailed);
        controller_->loadModel(spec("/models/broken"));
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed[0][0].value<core::ErrorReport>().code, ErrorCode::BadCheckpoint);
        QVERIFY(!controller_->modelReady());
        QCOMPARE(controller_->state(), State::Idle);
        // A job waits in the queue until a model loads.
        QSignalSpy finished(controller_.get(), &GenerationController::jobFinished);
        controller_->enqueue(small("waits"));
        QCOMPARE(controller_->queue().size(), 1);
        state_->script.failLoad.reset();
        controller_->loadModel(spec("/models/good"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(controller_->queue().size(), 0);
    }

    void queueRunsInOrderAndRemovesJobs()
    {
        state_->script.stepDelayMs = 5;
        loadModel();
        QSignalSpy started(controller_.get(), &GenerationController::jobStarted);
        QSignalSpy finished(controller_.get(), &GenerationController::jobFinished);
        QSignalSpy queueChanged(controller_.get(), &GenerationController::queueChanged);
        const quint64 a = controller_->enqueue(small("a"));
        const quint64 b = controller_->enqueue(small("b"));
        const quint64 c = controller_->enqueue(small("c"));
        const quint64 d = controller_->enqueue(small("d"));
        QCOMPARE(controller_->queue().size(), 3); // a runs, b c d wait
        QVERIFY(controller_->removeQueued(c));
        QVERIFY(!controller_->removeQueued(a)); // running: not in the queue
        QVERIFY(queueChanged.count() >= 5);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 10000);
        QList<quint64> order;
        for (const auto& args : started)
            order << args[0].value<quint64>();
        QCOMPARE(order, (QList<quint64>{a, b, d}));
        QList<std::string> prompts;
        for (const auto& args : finished)
            prompts << args[1].value<core::JobResult>().params.prompt;
        QCOMPARE(prompts, (QList<std::string>{"a", "b", "d"}));
    }

    void shutdownCancelsAndJoins()
    {
        state_->script.stepDelayMs = 50;
        loadModel();
        QSignalSpy previews(controller_.get(), &GenerationController::preview);
        controller_->enqueue(small("long", 200)); // the most steps a job may have (pipeline/limits.h)
        controller_->enqueue(small("never"));
        QVERIFY(previews.wait(5000));
        QElapsedTimer timer;
        timer.start();
        QThread* thread = controller_->workerThread();
        controller_->shutdown();
        QVERIFY(thread->isFinished());
        QVERIFY2(timer.elapsed() < 2000, "shutdown must not wait for the job to finish");
        QCOMPARE(state_->generates.load(), 1);
    }

    // The queue and preview captions name the image mode: two queued jobs with one prompt were told apart
    // only by the image panel's state, which the queue does not show.
    void jobCaptionNamesTheImageMode()
    {
        GenerationParams text;
        text.prompt = "a castle";
        const QString plain = describeJob(text);
        QVERIFY2(plain.contains(QStringLiteral("a castle")) && plain.contains(QStringLiteral("1024×1024")),
                 qPrintable(plain));
        QVERIFY(!plain.contains(QStringLiteral("image to image")));

        GenerationParams img2imgCanny = text;
        img2imgCanny.images.init.source = "/pictures/room.jpg";
        img2imgCanny.images.control = ControlKind::Canny;
        const QString both = describeJob(img2imgCanny);
        QVERIFY2(both.contains(QStringLiteral("image to image + canny edges")), qPrintable(both));

        GenerationParams outpaint = img2imgCanny;
        outpaint.images.control = ControlKind::Inpaint;
        outpaint.images.outpaint.left = 256;
        QVERIFY2(describeJob(outpaint).contains(QStringLiteral("outpainting")), qPrintable(describeJob(outpaint)));
        GenerationParams variation = text;
        variation.images.imagePrompt.source = "/pictures/cat.png";
        QVERIFY(describeJob(variation).contains(QStringLiteral("variation")));
        GenerationParams reconstruct = text;
        reconstruct.images.init.source = "/pictures/cat.png";
        reconstruct.images.reconstruct = true;
        QVERIFY(describeJob(reconstruct).contains(QStringLiteral("reconstruction")));
    }
};

QTEST_MAIN(TestGenerationController)
#include "test_generation_controller.moc"
