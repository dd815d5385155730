// Screenshots of the window in each state a user sees, for review: empty, generating with a preview,
// finished, gallery selected, German UI. Skipped unless KASKADE_SHOTS_DIR names an output folder; run under
// Xvfb with QT_QPA_PLATFORM=xcb to see the real window system (offscreen works too).
#include "tests/mocks/fake_generator.h"
#include "ui/gallery_model.h"
#include "ui/generation_controller.h"
#include "ui/main_window.h"
#include "ui/prompt_editor.h"

#include <QAction>
#include <QDir>
#include <QListView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace kaskade;
using namespace kaskade::ui;

class TestScreenshots : public QObject
{
    Q_OBJECT

    QString shots_;
    QTemporaryDir dir_;
    std::shared_ptr<test::FakeState> state_ = std::make_shared<test::FakeState>();

    void shoot(QWidget& window, const QString& name)
    {
        QTest::qWait(150); // let layouts and repaints settle
        QVERIFY(window.grab().save(QDir(shots_).filePath(name + QStringLiteral(".png"))));
    }

    void prepareSettings(const QString& name)
    {
        core::Settings::useFile(dir_.filePath(name + QStringLiteral(".ini")));
        core::Settings settings;
        settings.setValue(core::keys::outputFolder, dir_.filePath(QStringLiteral("out")));
        settings.setBytes(QStringLiteral("window/geometry"), {});
    }

    void run(const QString& prefix)
    {
        state_->script.stepDelayMs = 60;
        MainWindow window(test::fakeHooks(state_));
        window.resize(1560, 960);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->modelReady(), 10000);
        shoot(window, prefix + QStringLiteral("1-empty"));
        window.promptEditor()->setPrompt(
            QStringLiteral("a lighthouse on a cliff at dusk, (dramatic clouds:1.3), [people], oil painting"));
        window.promptEditor()->setNegativePrompt(QStringLiteral("blurry, text, watermark"));
        QSignalSpy previews(window.controller(), &GenerationController::preview);
        window.findChild<QAction*>(QStringLiteral("actionGenerate"))->trigger();
        window.findChild<QAction*>(QStringLiteral("actionGenerate"))->trigger(); // one queued behind it
        QTRY_VERIFY_WITH_TIMEOUT(previews.count() >= 12, 10000);
        shoot(window, prefix + QStringLiteral("2-generating"));
        QTRY_COMPARE_WITH_TIMEOUT(window.gallery()->rowCount(), 2, 30000);
        QTRY_VERIFY(!window.controller()->busy());
        shoot(window, prefix + QStringLiteral("3-finished"));
        window.findChild<QListView*>(QStringLiteral("galleryView"))->setCurrentIndex(window.gallery()->index(1));
        shoot(window, prefix + QStringLiteral("4-gallery-selected"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        shots_ = qEnvironmentVariable("KASKADE_SHOTS_DIR");
        if (shots_.isEmpty())
            QSKIP("set KASKADE_SHOTS_DIR to write screenshots");
        QDir().mkpath(shots_);
        QStandardPaths::setTestModeEnabled(true);
    }

    void english()
    {
        prepareSettings(QStringLiteral("en"));
        QTranslator translator; // English plural forms
        QVERIFY(translator.load(QStringLiteral("kaskade_en"), QStringLiteral(KASKADE_BIN_DIR)));
        QCoreApplication::installTranslator(&translator);
        run(QString());
        QCoreApplication::removeTranslator(&translator);
    }

    void german()
    {
        prepareSettings(QStringLiteral("de"));
        QTranslator translator;
        QVERIFY2(translator.load(QStringLiteral("kaskade_de"), QStringLiteral(KASKADE_BIN_DIR)), KASKADE_BIN_DIR);
        QCoreApplication::installTranslator(&translator);
        QDir(dir_.filePath(QStringLiteral("out"))).removeRecursively();
        run(QStringLiteral("5-german-"));
        QCoreApplication::removeTranslator(&translator);
    }
};

QTEST_MAIN(TestScreenshots)
#include "test_screenshots.moc"
