// The desktop app closes cleanly on SIGTERM (a logout, `kill`): it saves the prompt it was showing and
// exits with status 0, instead of dying with the text typed since the last generation. The app runs as a
// child process (offscreen) with its own configuration folder; it is opened on a PNG whose parameters
// fill the prompt box, a prompt that was never generated and so was not saved before the signal.
#include "app/core/image_metadata.h"
#include "app_info.h"

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

class TestGuiSignals : public QObject
{
    Q_OBJECT

    // True once `pid` has a handler for `signal` (/proc/PID/status SigCgt), i.e. the app is past start-up.
    static bool catches(qint64 pid, int signal)
    {
        QFile status(QStringLiteral("/proc/%1/status").arg(pid));
        if (!status.open(QIODevice::ReadOnly))
            return false;
        for (const QByteArray& line : status.readAll().split('\n'))
            if (line.startsWith("SigCgt:"))
                return (line.mid(7).trimmed().toULongLong(nullptr, 16) >> (signal - 1)) & 1;
        return false;
    }

private Q_SLOTS:
    void sigtermSavesThePromptAndExits()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString prompt = QStringLiteral("a lighthouse at dusk, never generated");
        kaskade::core::ImageRecord record;
        record.params.prompt = prompt.toStdString();
        record.params.negativePrompt = "blurry";
        record.seed = 7;
        const QString png = home.filePath(QStringLiteral("restore.png"));
        QImage image(64, 64, QImage::Format_RGB888);
        image.fill(Qt::gray);
        kaskade::core::saveImage(png, image, record);

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
            env.insert(QString::fromLatin1(name), home.filePath(QString::fromLatin1(name)));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        QProcess app;
        app.setProcessEnvironment(env);
        app.setProcessChannelMode(QProcess::ForwardedChannels);
        app.start(QStringLiteral(KASKADE_BIN_DIR "/kaskade"), {png});
        QVERIFY(app.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(catches(app.processId(), SIGTERM), 30000);
        QTest::qWait(500); // let the event loop start (a signal before that waits for it, but the test says so)
        ::kill(static_cast<pid_t>(app.processId()), SIGTERM);
        QVERIFY2(app.waitForFinished(30000), "the app did not exit within 30 s of SIGTERM");
        QCOMPARE(app.exitStatus(), QProcess::NormalExit); // not killed by the signal
        QCOMPARE(app.exitCode(), 0);

        QSettings saved(home.filePath(QStringLiteral("XDG_CONFIG_HOME/" KASKADE_ORG_NAME "/" KASKADE_APP_NAME ".conf")),
                        QSettings::IniFormat);
        QCOMPARE(saved.value(QStringLiteral("generation/prompt")).toString(), prompt);
    }
};

QTEST_GUILESS_MAIN(TestGuiSignals)
#include "test_gui_signals.moc"
