// Downloader against misbehaving servers and processes (issue 12): kaskade-cli download interrupted with
// Ctrl+C and killed with SIGKILL, short bodies, overstated lengths, refusals, two downloads into one folder,
// stalls and trickles, no server at all. Each ends quickly in a result or a clear error.
#include "fake_hub.h"

#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>

#include <csignal>
#include <cstdlib>

using namespace kaskade::test;

class TestDownloaderFaults : public DownloaderTest
{
    Q_OBJECT

private Q_SLOTS:
    void init() { startHub(); }
    void cleanup() { stopHub(); }

    // kaskade-cli download end to end: plain progress lines when stdout is a pipe, Ctrl+C keeps the .part,
    // the second run resumes it.
    void cliDownloadAndInterrupt()
    {
        const QString cli = QDir(qEnvironmentVariable("KASKADE_BIN_DIR", KASKADE_BIN_DIR)).filePath("kaskade-cli");
        if (!QFileInfo(cli).isExecutable())
            QSKIP("kaskade-cli is not built");
        // The CLI downloads stabilityai/stable-cascade: serve the fake files under that name.
        hub_->repoName = QStringLiteral("stabilityai/stable-cascade");
        hub_->sliceBytes = 2048;
        hub_->sliceIntervalMs = 2;
        const QStringList args = {"download",
                                  "--set",
                                  "lite",
                                  "--to",
                                  tmp_->filePath("models"),
                                  "--endpoint",
                                  hub_->endpoint().toString(),
                                  "--token-env",
                                  "KASKADE_TEST_TOKEN"};
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("KASKADE_TEST_TOKEN", "hf_cliSecret");
        QProcess first;
        first.setProcessEnvironment(env);
        first.start(cli, args);
        QVERIFY(first.waitForStarted());
        const QString part = tmp_->filePath("models/stage_c_lite_bf16.safetensors.part");
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(part).size() > 0, kTimeoutMs);
        ::kill(static_cast<pid_t>(first.processId()), SIGINT);
        QTRY_VERIFY_WITH_TIMEOUT(first.state() == QProcess::NotRunning, kTimeoutMs);
        QCOMPARE(first.exitCode(), 130);
        QVERIFY(QFileInfo(part).size() > 0);
        const qint64 kept = QFileInfo(part).size();

        hub_->sliceBytes = 32 * 1024;
        QProcess second;
        second.setProcessEnvironment(env);
        second.start(cli, args);
        QVERIFY(second.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(second.state() == QProcess::NotRunning, kTimeoutMs);
        const QString out = QString::fromLocal8Bit(second.readAllStandardOutput());
        const QString err = QString::fromLocal8Bit(first.readAllStandardError() + second.readAllStandardError());
        QVERIFY2(second.exitCode() == 0, qPrintable(out + err));
        for (const QString& path : litePaths())
            verifyFile(path);
        QCOMPARE(hub_->requestsFor("stage_c_lite_bf16.safetensors").last().range,
                 "bytes=" + QByteArray::number(kept) + "-");
        QVERIFY(out.contains("ok  stage_c_lite_bf16.safetensors"));
        QVERIFY(!out.contains('\r')); // no bar redrawing into a pipe
        QVERIFY(!(out + err + QString::fromLocal8Bit(first.readAllStandardOutput())).contains("cliSecret"));
    }

    // kill -9 at random moments: a file under its final name is always complete (the .part is renamed only
    // after its checksum); a later run finishes the set.
    void killedDownloadNeverLeavesATruncatedFile()
    {
        const QString cli = QDir(qEnvironmentVariable("KASKADE_BIN_DIR", KASKADE_BIN_DIR)).filePath("kaskade-cli");
        if (!QFileInfo(cli).isExecutable())
            QSKIP("kaskade-cli is not built");
        hub_->repoName = QStringLiteral("stabilityai/stable-cascade");
        hub_->sliceBytes = 4096;
        hub_->sliceIntervalMs = 2;
        const QStringList args = {
            "download", "--set", "lite", "--to", tmp_->filePath("models"), "--endpoint", hub_->endpoint().toString()};
        std::srand(12);
        for (int round = 0; round < 6; ++round) {
            QProcess child;
            child.start(cli, args);
            QVERIFY(child.waitForStarted());
            const int delayMs = 50 + std::rand() % 700;
            QTest::qWait(delayMs); // the hub runs in this process: keep its event loop turning
            ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished(kTimeoutMs));
            for (const QString& path : litePaths()) {
                const QString final = QDir(tmp_->filePath("models")).filePath(path);
                if (QFile::exists(final))
                    QVERIFY2(readFile(final) == hub_->files[path], qPrintable(path + " is truncated or wrong"));
            }
        }
        QProcess last;
        last.start(cli, args);
        QVERIFY(last.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(last.state() == QProcess::NotRunning, kTimeoutMs * 3);
        QVERIFY2(last.exitCode() == 0, last.readAllStandardError().constData());
        for (const QString& path : litePaths())
            verifyFile(path);
    }

    // Issue 12: servers and proxies that misbehave must end, quickly, in a result or a clear error.
    void shortBodyEndsInsteadOfLooping()
    {
        const QString path = "stage_b_lite_bf16.safetensors";
        hub_->served[path] = hub_->files[path].left(hub_->files[path].size() - 5000);
        Downloader d(options());
        QCOMPARE(run(d), Downloader::State::Failed);
        QCOMPARE(d.error(), DownloadError::Server);
        QVERIFY2(d.errorString().contains("ends before"), qPrintable(d.errorString()));
        QVERIFY2(hub_->requestsFor(path).size() < 20, qPrintable(QString::number(hub_->requestsFor(path).size())));
    }

    void overstatedContentLengthIsVerifiedNotRefetched()
    {
        const QString path = "stage_c_lite_bf16.safetensors";
        hub_->overstate[path] = 4096; // every byte arrives, then the connection closes "early"
        Downloader d(options());
        QCOMPARE(run(d), Downloader::State::Finished);
        verifyFile(path);
        QCOMPARE(hub_->requestsFor(path).size(), 2); // resolve + CDN, no second round
        // A .part that already holds the whole file is only verified.
        QFile::rename(tmp_->filePath("models/" + path), tmp_->filePath("models/" + path + ".part"));
        hub_->log.clear();
        Downloader again(options());
        QCOMPARE(run(again), Downloader::State::Finished);
        verifyFile(path);
        QCOMPARE(hub_->requestsFor(path).size(), 0);
    }

    void refusalLeavesNoEmptyPart()
    {
        hub_->missing << "previewer.safetensors";
        Downloader d(options());
        QCOMPARE(run(d), Downloader::State::Failed);
        QCOMPARE(d.error(), DownloadError::NotFound);
        QVERIFY(!QFile::exists(tmp_->filePath("models/previewer.safetensors.part")));
    }

    void secondDownloadIntoTheSameFolderIsRefused()
    {
        hub_->sliceBytes = 4096;
        hub_->sliceIntervalMs = 5;
        Downloader first(options()), second(options());
        first.fetchPlan(ModelSet::Lite);
        QTRY_VERIFY_WITH_TIMEOUT(first.state() == Downloader::State::Ready, kTimeoutMs);
        second.fetchPlan(ModelSet::Lite);
        QTRY_VERIFY_WITH_TIMEOUT(second.state() == Downloader::State::Ready, kTimeoutMs);
        first.start();
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(tmp_->filePath("models/text_encoder/config.json.part")) ||
                                     first.state() != Downloader::State::Downloading,
                                 kTimeoutMs);
        second.start();
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(second), kTimeoutMs);
        QCOMPARE(second.state(), Downloader::State::Failed);
        QVERIFY2(second.errorString().contains("another download"), qPrintable(second.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(first), kTimeoutMs * 3);
        QCOMPARE(first.state(), Downloader::State::Finished);
        for (const QString& path : litePaths())
            verifyFile(path);
    }

    void stallAndTrickleGiveUpWithAClearMessage()
    {
        hub_->stallAfter["text_encoder/config.json"] = 10;
        Downloader::Options o = options();
        o.stallTimeoutMs = 800;
        o.maxRetries = 1;
        Downloader stalled(o);
        QCOMPARE(run(stalled), Downloader::State::Failed);
        QCOMPARE(stalled.error(), DownloadError::Network);
        QVERIFY2(stalled.errorString().contains("stalled") || stalled.errorString().contains("less than"),
                 qPrintable(stalled.errorString()));
        QVERIFY2(!stalled.errorString().contains("Operation canceled"), qPrintable(stalled.errorString()));

        hub_->stallAfter.clear();
        o.stallTimeoutMs = 1500;
        o.minBytesPerSecond = 100;
        Downloader trickle(o);
        trickle.fetchPlan(ModelSet::Lite); // the plan at full speed, then the files trickle
        QTRY_VERIFY_WITH_TIMEOUT(trickle.state() == Downloader::State::Ready, kTimeoutMs);
        hub_->sliceBytes = 1; // one byte every 300 ms: never silent for long, far too slow
        hub_->sliceIntervalMs = 300;
        trickle.start();
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(trickle), kTimeoutMs);
        QCOMPARE(trickle.state(), Downloader::State::Failed);
        QVERIFY2(trickle.errorString().contains("less than"), qPrintable(trickle.errorString()));
    }

    void offline()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        Downloader::Options o = options();
        o.endpoint = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        Downloader d(o);
        QCOMPARE(run(d), Downloader::State::Failed);
        QCOMPARE(d.error(), DownloadError::Network);
        QVERIFY2(d.errorString().contains("cannot reach"), qPrintable(d.errorString()));
    }
};

QTEST_GUILESS_MAIN(TestDownloaderFaults)
#include "test_downloader_faults.moc"
