#pragma once
// Shared by the tests that drive the whole main window offscreen (test_desktop, test_image_inputs,
// test_main_window): each test function gets its own settings file, an empty output folder and a fresh fake
// generator, and the same few ways to make a job small and to find an action.

#include "app/core/settings.h"
#include "tests/mocks/fake_generator.h"
#include "ui/main_window.h"

#include <QAction>
#include <QDir>
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace kaskade::test {

// Base of those test classes (the derived class has Q_OBJECT and the slots). Its initTestCase() calls
// prepareTestCase() and its init() calls prepareTest().
class MainWindowTest : public QObject
{
protected:
    QTemporaryDir dir_;
    std::shared_ptr<FakeState> state_;

    QString outDir() const { return dir_.filePath(QStringLiteral("out")); }

    // QStandardPaths in test mode: nothing of the user's real configuration is read or written.
    void prepareTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(dir_.isValid());
    }

    // A fresh settings file and output folder per test, so no test sees another's parameters or images.
    void prepareTest()
    {
        core::Settings::useFile(dir_.filePath(QStringLiteral("settings-%1.ini").arg(++run_)));
        QDir(outDir()).removeRecursively();
        core::Settings settings;
        settings.setValue(core::keys::outputFolder, outDir());
        state_ = std::make_shared<FakeState>();
    }

    // A job small enough that the fake generator finishes it in milliseconds.
    static void setSmall(ui::MainWindow& window, int size, int stepsC = 3, int stepsB = 2)
    {
        window.findChild<QSpinBox*>(QStringLiteral("widthSpin"))->setValue(size);
        window.findChild<QSpinBox*>(QStringLiteral("heightSpin"))->setValue(size);
        window.findChild<QWidget*>(QStringLiteral("stageCSteps"))->findChild<QDoubleSpinBox*>()->setValue(stepsC);
        window.findChild<QWidget*>(QStringLiteral("stageBSteps"))->findChild<QDoubleSpinBox*>()->setValue(stepsB);
    }

    // By object name; a renamed action stops the test with its name rather than a null dereference.
    static QAction* action(ui::MainWindow& window, const char* name)
    {
        auto* a = window.findChild<QAction*>(QLatin1String(name));
        if (!a)
            qFatal("no action %s", name);
        return a;
    }

private:
    int run_ = 0;
};

} // namespace kaskade::test
