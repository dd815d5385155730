// ModelController with the FakeGenerator: a failed change (LoRA, Stage C, folder, device) reloads the last
// working model, queued jobs then run on it, and the settings keep only what loaded.
#include "tests/mocks/fake_generator.h"
#include "ui/generation_controller.h"
#include "ui/model_controller.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kaskade;
using namespace kaskade::ui;

class TestModelController : public QObject
{
    Q_OBJECT

    QTemporaryDir dir_;
    int run_ = 0;
    std::shared_ptr<test::FakeState> state_;
    std::unique_ptr<core::Settings> settings_;
    std::unique_ptr<GenerationController> generation_;
    std::unique_ptr<ModelController> model_;

    static GenerationParams small(const std::string& prompt)
    {
        GenerationParams p;
        p.prompt = prompt;
        p.width = p.height = 128;
        p.stageC.steps = 2;
        p.stageB.steps = 1;
        p.seed = 7;
        return p;
    }

    QString goodFolder() const { return dir_.filePath(QStringLiteral("good-model")); }

    void loadGood()
    {
        QSignalSpy loaded(model_.get(), &ModelController::loaded);
        model_->openFolder(goodFolder());
        QVERIFY(loaded.wait(5000));
        QVERIFY(generation_->modelReady());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(dir_.isValid());
        QDir().mkpath(goodFolder());
    }

    void init()
    {
        core::Settings::useFile(dir_.filePath(QStringLiteral("settings-%1.ini").arg(++run_)));
        state_ = std::make_shared<test::FakeState>();
        state_->script.failLoadIfContains = "bad";
        settings_ = std::make_unique<core::Settings>();
        generation_ = std::make_unique<GenerationController>(test::fakeHooks(state_));
        generation_->setOutputFolder(dir_.filePath(QStringLiteral("out")));
        model_ = std::make_unique<ModelController>(generation_.get(), *settings_);
    }

    void cleanup()
    {
        model_.reset();
        generation_.reset();
        settings_.reset();
    }

    void successIsSaved()
    {
        loadGood();
        QCOMPARE(settings_->value(core::keys::modelFolder), goodFolder());
        QCOMPARE(settings_->recentModels().value(0), goodFolder());
    }

    // Issue 13, problem 2: a LoRA that does not fit must not cost the model, and the job queued behind the
    // load runs on the previous model.
    void failedLoraKeepsModelAndRunsQueue()
    {
        loadGood();
        QSignalSpy failed(model_.get(), &ModelController::failed);
        QSignalSpy restored(model_.get(), &ModelController::restored);
        QSignalSpy finished(generation_.get(), &GenerationController::jobFinished);
        model_->addLora(QStringLiteral("/loras/bad_lora.safetensors"), 0.8);
        QCOMPARE(model_->loras().size(), 1);
        generation_->enqueue(small("after a bad LoRA"));
        QVERIFY(failed.wait(5000));
        QCOMPARE(failed.first().at(3).toBool(), true); // the previous model is loaded again
        QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("bad_lora.safetensors")));
        QVERIFY(!failed.first().at(1).toString().contains(QStringLiteral("does not match")));
        QCOMPARE(restored.count(), 1);
        QVERIFY(model_->loras().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
        QVERIFY(generation_->modelReady());
        QVERIFY(generation_->modelInfo().loras.empty());
    }

    void failedStageCIsNotSaved()
    {
        loadGood();
        QSignalSpy loaded(model_.get(), &ModelController::loaded);
        QSignalSpy failed(model_.get(), &ModelController::failed);
        model_->setCheckpoint(true, QStringLiteral("/checkpoints/bad_stage_c.safetensors"));
        QVERIFY(failed.wait(5000));
        QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("Stage C")));
        QVERIFY(loaded.wait(5000)); // the restore
        QCOMPARE(settings_->value(core::keys::stageCFile), QString());
        QCOMPARE(settings_->value(core::keys::modelFolder), goodFolder());
        QCOMPARE(QString::fromStdString(model_->spec().stageCFile), QString());
        // The next start opens the working model.
        ModelController again(generation_.get(), *settings_);
        QSignalSpy loadedAgain(&again, &ModelController::loaded);
        again.loadInitial();
        QVERIFY(loadedAgain.wait(5000));
        QCOMPARE(QString::fromStdString(again.spec().directory), goodFolder());
    }

    void failedFolderKeepsModel()
    {
        loadGood();
        QSignalSpy failed(model_.get(), &ModelController::failed);
        QSignalSpy loaded(model_.get(), &ModelController::loaded);
        model_->openFolder(dir_.filePath(QStringLiteral("bad-empty-folder")));
        QVERIFY(failed.wait(5000));
        QVERIFY(loaded.wait(5000));
        QCOMPARE(QString::fromStdString(model_->spec().directory), goodFolder());
        QCOMPARE(settings_->value(core::keys::modelFolder), goodFolder());
        QCOMPARE(settings_->recentModels().size(), 1);
    }

    // Issue 13, problem 3: CUDA on a CPU build says so (not "out of memory"), and the model stays.
    void deviceFailureSaysCuda()
    {
        loadGood();
        state_->script.failLoadIfContains = "cuda";
        state_->script.failLoadCode = ErrorCode::DeviceError;
        state_->script.failLoadMessage = "device 'cuda' requested, but this build or machine has no CUDA";
        QSignalSpy failed(model_.get(), &ModelController::failed);
        QSignalSpy loaded(model_.get(), &ModelController::loaded);
        model_->setDevice({DeviceKind::Cuda}, Precision::Auto);
        QVERIFY(failed.wait(5000));
        const QString advice = failed.first().at(1).toString();
        QVERIFY2(advice.contains(QStringLiteral("CUDA")), qPrintable(advice));
        QVERIFY2(!advice.contains(QStringLiteral("memory")), qPrintable(advice));
        QVERIFY(loaded.wait(5000));
        QVERIFY(model_->spec().device == DeviceChoice{});
    }

    void loraListEditsReachTheEngine()
    {
        loadGood();
        QSignalSpy loaded(model_.get(), &ModelController::loaded);
        model_->addLora(QStringLiteral("/loras/a.safetensors"), 0.5);
        model_->addLora(QStringLiteral("/loras/b.safetensors"), 1.0);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 5000);
        QCOMPARE(generation_->modelInfo().loras.size(), std::size_t(2));
        model_->setLoraEnabled(QStringLiteral("/loras/a.safetensors"), false);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 3, 5000);
        QCOMPARE(generation_->modelInfo().loras.size(), std::size_t(1));
        QCOMPARE(model_->loras().size(), 2); // still listed
        model_->setLoraStrength(QStringLiteral("/loras/b.safetensors"), -0.5);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 4, 5000);
        QCOMPARE(generation_->modelInfo().loras.at(0).strength, -0.5);
        model_->removeLora(QStringLiteral("/loras/b.safetensors"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 5, 5000);
        QVERIFY(generation_->modelInfo().loras.empty());
        QCOMPARE(model_->loras().size(), 1);
    }
};

QTEST_MAIN(TestModelController)
#include "test_model_controller.moc"
