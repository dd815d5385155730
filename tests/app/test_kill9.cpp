// kill -9 at random moments while kaskade-cli writes model files (make-demo-model: safetensors writes, as
// LoRA/model saving does) and gallery images (generate --out): whatever exists under a final name afterwards
// is complete. Writes go to a temporary name and are renamed when whole (issue 12). The download case is in
// test_downloader.cpp.
#include "pipeline/errors.h"
#include "pipeline/io/safetensors.h"

#include <QDir>
#include <QDirIterator>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <random>

class TestKill9 : public QObject
{
    Q_OBJECT

    QTemporaryDir dir_;
    std::mt19937 random_{20261202};

    static QString cli() { return QStringLiteral(KASKADE_BIN_DIR "/kaskade-cli"); }

    // Starts the CLI, kills it with SIGKILL after a random delay (it may also finish first).
    void runAndKill(const QStringList& args, int maxDelayMs)
    {
        QProcess child;
        child.start(cli(), args);
        QVERIFY(child.waitForStarted());
        const int delayMs = static_cast<int>(random_() % static_cast<unsigned>(maxDelayMs));
        if (!child.waitForFinished(delayMs)) { // still running: kill it where it is
            ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished(60000));
        }
    }

    // Every file with a final name under `folder` is complete: safetensors parse and images decode.
    static void verifyFinalFiles(const QString& folder, int& checked)
    {
        QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.endsWith(".safetensors")) {
                try {
                    (void)kaskade::st::Reader::open(path.toStdString());
                } catch (const kaskade::Error& e) {
                    QFAIL(qPrintable("truncated under its final name: " + path + ": " + e.what()));
                }
                ++checked;
            } else if (path.endsWith(".png")) {
                QVERIFY2(!QImage(path).isNull(), qPrintable("unreadable image under its final name: " + path));
                ++checked;
            }
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        if (!QFileInfo(cli()).isExecutable())
            QSKIP("kaskade-cli is not built");
    }

    void modelFileWrites()
    {
        int checked = 0;
        for (int round = 0; round < 8; ++round) {
            const QString folder = dir_.filePath(QStringLiteral("demo%1").arg(round));
            runAndKill({"make-demo-model", folder, "--size", "tiny"}, 4000);
            verifyFinalFiles(folder, checked);
        }
        qInfo("%d model files checked", checked);
    }

    void gallerySaves()
    {
        const QString model = dir_.filePath("model");
        QProcess make;
        make.start(cli(), {"make-demo-model", model, "--size", "tiny"});
        QVERIFY(make.waitForFinished(120000));
        QCOMPARE(make.exitCode(), 0);
        const QString out = dir_.filePath("gallery");
        QDir().mkpath(out);
        int checked = 0;
        for (int round = 0; round < 8; ++round) {
            runAndKill({"generate", "--model", model, "--prompt", "x", "--width", "256", "--height", "256", "--steps-c",
                        "2", "--steps-b", "2", "--batch", "2", "--seed", QString::number(round), "--out",
                        out + "/img_{seed}_{index}.png"},
                       6000);
            verifyFinalFiles(out, checked);
        }
        qInfo("%d images checked", checked);
    }
};

QTEST_GUILESS_MAIN(TestKill9)
#include "test_kill9.moc"
