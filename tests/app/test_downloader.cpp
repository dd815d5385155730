// Downloader against the loopback hub of fake_hub.h: plans for each model set, complete transfers with their
// checksums (SHA-256 for LFS files, git blob ids for small ones), tokens, range requests, resuming after a
// drop or a restart, pause/resume/cancel, and files already on disk verified once by hash.
#include "fake_hub.h"

#include <QFileInfo>
#include <QSignalSpy>

#include <chrono>
#include <filesystem>

using namespace kaskade::test;

class TestDownloader : public DownloaderTest
{
    Q_OBJECT

private Q_SLOTS:
    void init() { startHub(); }
    void cleanup() { stopHub(); }

    void modelSetNames()
    {
        for (ModelSet set : {ModelSet::Full, ModelSet::Lite, ModelSet::Mixed}) {
            ModelSet parsed = ModelSet::Full;
            QVERIFY(kaskade::parseModelSet(kaskade::modelSetName(set), &parsed));
            QCOMPARE(parsed, set);
        }
        ModelSet parsed = ModelSet::Lite;
        QVERIFY(!kaskade::parseModelSet("huge", &parsed));
        QCOMPARE(kaskade::formatBytes(1390000000), QStringLiteral("1.39 GB"));
        QCOMPARE(kaskade::formatDuration(125), QStringLiteral("2m05s"));
    }

    void plan_data()
    {
        QTest::addColumn<ModelSet>("set");
        QTest::addColumn<QString>("stageB");
        QTest::addColumn<QString>("stageC");
        QTest::newRow("full") << ModelSet::Full << "stage_b_bf16.safetensors"
                              << "stage_c_bf16.safetensors";
        QTest::newRow("lite") << ModelSet::Lite << "stage_b_lite_bf16.safetensors"
                              << "stage_c_lite_bf16.safetensors";
        QTest::newRow("mixed") << ModelSet::Mixed << "stage_b_lite_bf16.safetensors"
                               << "stage_c_bf16.safetensors";
    }

    void plan()
    {
        QFETCH(ModelSet, set);
        QFETCH(QString, stageB);
        QFETCH(QString, stageC);
        Downloader d(options());
        d.fetchPlan(set);
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(d), kTimeoutMs);
        QCOMPARE(d.state(), Downloader::State::Ready);
        QStringList expected = litePaths().mid(0, 8);
        expected << stageB << stageC;
        QStringList paths;
        qint64 total = 0;
        for (const auto& file : d.files()) {
            paths << file.path;
            QCOMPARE(file.size, qint64(hub_->files[file.path].size()));
            QCOMPARE(file.presentBytes, 0);
            total += file.size;
        }
        QCOMPARE(paths, expected);
        QCOMPARE(d.totalBytes(), total);
        QVERIFY(d.freeBytes() > 0);
    }

    void planFallsBackToFp32TextEncoder()
    {
        hub_->unlisted << "text_encoder/model.bf16.safetensors"
                       << "tokenizer/special_tokens_map.json";
        Downloader d(options());
        d.fetchPlan(ModelSet::Lite);
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(d), kTimeoutMs);
        QCOMPARE(d.state(), Downloader::State::Ready);
        QStringList paths;
        for (const auto& file : d.files())
            paths << file.path;
        QVERIFY(paths.contains("text_encoder/model.safetensors"));
        QVERIFY(!paths.contains("tokenizer/special_tokens_map.json")); // optional
    }

    void planFailsOnMissingFile()
    {
        hub_->unlisted << "stage_c_lite_bf16.safetensors";
        Downloader d(options());
        d.fetchPlan(ModelSet::Lite);
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(d), kTimeoutMs);
        QCOMPARE(d.error(), DownloadError::NotFound);
        QVERIFY(d.errorString().contains("stage_c_lite_bf16.safetensors"));
    }

    void downloadsAndVerifies()
    {
        Downloader d(options());
        QSignalSpy finished(&d, &Downloader::finished);
        QSignalSpy progress(&d, &Downloader::progress);
        QCOMPARE(run(d), Downloader::State::Finished);
        QCOMPARE(finished.count(), 1);
        for (const QString& path : litePaths())
            verifyFile(path);
        const auto last = progress.last().first().value<kaskade::DownloadProgress>();
        QCOMPARE(last.done, d.totalBytes());
        QCOMPARE(last.total, d.totalBytes());
        for (const RequestLog& request : hub_->log)
            QVERIFY2(request.range.isEmpty(), qPrintable(request.path + " asked for a range"));
        QCOMPARE(hub_->requestsFor("stage_a.safetensors").size(), 2); // resolve + CDN redirect
    }

    void resumesDroppedConnection()
    {
        hub_->dropAfter["stage_c_lite_bf16.safetensors"] = 300000;
        Downloader d(options());
        QSignalSpy notices(&d, &Downloader::notice);
        QCOMPARE(run(d), Downloader::State::Finished);
        for (const QString& path : litePaths())
            verifyFile(path);
        bool resumed = false;
        for (const RequestLog& request : hub_->requestsFor("stage_c_lite_bf16.safetensors"))
            resumed = resumed || request.range == "bytes=300000-";
        QVERIFY2(resumed, "no range request after the dropped connection");
        QVERIFY(!notices.isEmpty());
    }

    void rejectsWrongChecksum()
    {
        QByteArray corrupt = hub_->files["stage_b_lite_bf16.safetensors"];
        corrupt[1234] = static_cast<char>(corrupt[1234] ^ 0x5a);
        hub_->served["stage_b_lite_bf16.safetensors"] = corrupt;
        Downloader d(options());
        QCOMPARE(run(d), Downloader::State::Failed);
        QCOMPARE(d.error(), DownloadError::ChecksumMismatch);
        QVERIFY(d.errorString().contains("stage_b_lite_bf16.safetensors"));
        const QString final = tmp_->filePath("models/stage_b_lite_bf16.safetensors");
        QVERIFY(!QFile::exists(final));
        QVERIFY(!QFile::exists(final + ".part"));
        // Files completed before the bad one stay.
        verifyFile("stage_a.safetensors");
        verifyFile("text_encoder/model.bf16.safetensors");
    }

    void checksGitBlobIdOfSmallFiles()
    {
        hub_->served["tokenizer/merges.txt"] = "#version: 0.2\na c\n";
        Downloader d(options());
        QCOMPARE(run(d), Downloader::State::Failed);
        QCOMPARE(d.error(), DownloadError::ChecksumMismatch);
        QVERIFY(!QFile::exists(tmp_->filePath("models/tokenizer/merges.txt")));
    }

    void unauthorizedWithoutToken()
    {
        hub_->token = "hf_secretTokenForTests";
        Downloader d(options());
        QCOMPARE(run(d), Downloader::State::Failed);
        QCOMPARE(d.error(), DownloadError::Unauthorized);
        QVERIFY(d.errorString().contains("401"));
        QVERIFY(d.errorString().contains("token"));
    }

    void tokenIsSentAndNeverShown()
    {
        hub_->token = "hf_secretTokenForTests";
        Downloader::Options o = options();
        o.token = hub_->token;
        Downloader d(o);
        QStringList messages;
        connect(&d, &Downloader::notice, this, [&](const QString& m) { messages << m; });
        hub_->dropAfter["stage_a.safetensors"] = 1000; // a notice on the way
        QCOMPARE(run(d), Downloader::State::Finished);
        verifyFile("stage_c_lite_bf16.safetensors");
        QVERIFY(!hub_->log.isEmpty());
        for (const RequestLog& request : hub_->log)
            QCOMPARE(request.authorization, QByteArray("Bearer hf_secretTokenForTests"));
        QVERIFY(!messages.isEmpty());
        for (const QString& m : messages)
            QVERIFY2(!m.contains("secretToken"), qPrintable(m));

        Downloader::Options wrong = options(tmp_->filePath("other"));
        wrong.token = "hf_wrongTokenValue";
        Downloader refused(wrong);
        QCOMPARE(run(refused), Downloader::State::Failed);
        QCOMPARE(refused.error(), DownloadError::Unauthorized);
        QVERIFY(!refused.errorString().contains("wrongToken"));
    }

    void notFound()
    {
        hub_->missing << "previewer.safetensors";
        Downloader d(options());
        QCOMPARE(run(d), Downloader::State::Failed);
        QCOMPARE(d.error(), DownloadError::NotFound);
        QVERIFY(d.errorString().contains("404"));
        QVERIFY(d.errorString().contains("previewer.safetensors"));
        verifyFile("tokenizer/vocab.json");
    }

    void restartsWhenServerIgnoresRange()
    {
        hub_->rangeSupport = false;
        hub_->dropAfter["stage_b_lite_bf16.safetensors"] = 250000;
        // And a .part from an earlier run.
        QDir().mkpath(tmp_->filePath("models"));
        QFile part(tmp_->filePath("models/stage_a.safetensors.part"));
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write(hub_->files["stage_a.safetensors"].left(5000));
        part.close();

        Downloader d(options());
        QStringList messages;
        connect(&d, &Downloader::notice, this, [&](const QString& m) { messages << m; });
        QCOMPARE(run(d), Downloader::State::Finished);
        for (const QString& path : litePaths())
            verifyFile(path);
        QCOMPARE(messages.filter("does not support resuming").size(), 2); // stage_a and the dropped stage_b
        QCOMPARE(hub_->requestsFor("stage_b_lite_bf16.safetensors").last().range, QByteArray("bytes=250000-"));
    }

    void resumesAfterRestart()
    {
        const QString path = "stage_c_lite_bf16.safetensors";
        hub_->dropAfter[path] = 400000;
        {
            Downloader::Options o = options();
            o.maxRetries = 0; // the "crash": the first program run ends here
            Downloader first(o);
            QCOMPARE(run(first), Downloader::State::Failed);
            QCOMPARE(first.error(), DownloadError::Network);
        }
        const QString final = tmp_->filePath("models/" + path);
        QVERIFY(!QFile::exists(final));
        QCOMPARE(QFileInfo(final + ".part").size(), 400000);

        hub_->log.clear();
        Downloader second(options());
        second.fetchPlan(ModelSet::Lite);
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(second), kTimeoutMs);
        QCOMPARE(second.presentBytes(), second.totalBytes() - hub_->files[path].size() + 400000);
        second.start();
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(second), kTimeoutMs);
        QCOMPARE(second.state(), Downloader::State::Finished);
        verifyFile(path);
        const auto requests = hub_->requestsFor(path);
        QVERIFY(!requests.isEmpty());
        QCOMPARE(requests.first().range, QByteArray("bytes=400000-"));
        QVERIFY(hub_->requestsFor("stage_a.safetensors").isEmpty()); // completed files are left alone
    }

    void pauseAndResume()
    {
        hub_->sliceBytes = 4096;
        hub_->sliceIntervalMs = 2;
        Downloader d(options());
        d.fetchPlan(ModelSet::Lite);
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(d), kTimeoutMs);
        d.start();
        const int last = int(d.files().size()) - 1;
        QTRY_VERIFY_WITH_TIMEOUT(d.files()[last].presentBytes > 0, kTimeoutMs);
        d.pause();
        QCOMPARE(d.state(), Downloader::State::Paused);
        const qint64 pausedAt = d.files()[last].presentBytes;
        QTest::qWait(100);
        QCOMPARE(d.files()[last].presentBytes, pausedAt);
        d.resume();
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(d), kTimeoutMs);
        QCOMPARE(d.state(), Downloader::State::Finished);
        verifyFile(d.files()[last].path);
        QCOMPARE(hub_->requestsFor(d.files()[last].path).last().range, "bytes=" + QByteArray::number(pausedAt) + "-");
    }

    void cancelKeepsPart()
    {
        hub_->sliceBytes = 4096;
        hub_->sliceIntervalMs = 2;
        Downloader d(options());
        d.fetchPlan(ModelSet::Lite);
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(d), kTimeoutMs);
        d.start();
        const auto& file = d.files().last();
        QTRY_VERIFY_WITH_TIMEOUT(file.presentBytes > 0, kTimeoutMs);
        d.cancel();
        QCOMPARE(d.state(), Downloader::State::Cancelled);
        QCOMPARE(d.error(), DownloadError::Cancelled);
        const QString final = tmp_->filePath("models/" + file.path);
        QVERIFY(!QFile::exists(final));
        QVERIFY(QFileInfo(final + ".part").size() > 0);
    }

    // A file already at its final name with the listed size is hashed once before it counts: a damaged or
    // foreign one is downloaded again (and replaced only when the new one checks out), a good one is kept.
    void existingFilesAreVerifiedByHash()
    {
        const QString models = tmp_->filePath("models");
        QVERIFY(QDir().mkpath(models));
        QByteArray damaged = hub_->files["stage_a.safetensors"];
        damaged[777] = static_cast<char>(damaged[777] ^ 0x01);
        writeFile(models + "/stage_a.safetensors", damaged);
        writeFile(models + "/previewer.safetensors", hub_->files["previewer.safetensors"]);
        Downloader d(options());
        QStringList messages;
        connect(&d, &Downloader::notice, this, [&](const QString& m) { messages << m; });
        QCOMPARE(run(d), Downloader::State::Finished);
        for (const QString& path : litePaths())
            verifyFile(path);
        QVERIFY2(!messages.filter("stage_a.safetensors on disk does not match its SHA-256").isEmpty(),
                 qPrintable(messages.join('\n')));
        QVERIFY(!hub_->requestsFor("stage_a.safetensors").isEmpty());
        QVERIFY(hub_->requestsFor("previewer.safetensors").isEmpty()); // checked, good, kept
        QVERIFY(!messages.filter("checking the checksum of previewer.safetensors").isEmpty());
    }

    // The verdict is remembered by size and modification time: a later run reads nothing again, and a file
    // changed since (new mtime) is checked again.
    void verifiedFilesAreNotRehashed()
    {
        Downloader first(options());
        QCOMPARE(run(first), Downloader::State::Finished);

        const QString path = "stage_b_lite_bf16.safetensors";
        const QString final = tmp_->filePath("models/" + path);
        const auto mtime = std::filesystem::last_write_time(final.toStdString());
        QByteArray damaged = hub_->files[path];
        damaged[4321] = static_cast<char>(damaged[4321] ^ 0x10);
        writeFile(final, damaged);
        std::filesystem::last_write_time(final.toStdString(), mtime); // same size, same mtime: trusted
        hub_->log.clear();
        Downloader second(options());
        QStringList messages;
        connect(&second, &Downloader::notice, this, [&](const QString& m) { messages << m; });
        QCOMPARE(run(second), Downloader::State::Finished);
        QVERIFY2(messages.filter("checking the checksum").isEmpty(), qPrintable(messages.join('\n')));
        QCOMPARE(hub_->log.size(), 1); // the plan only
        QCOMPARE(readFile(final), damaged);

        std::filesystem::last_write_time(final.toStdString(), mtime + std::chrono::seconds(1)); // "changed"
        hub_->log.clear();
        Downloader third(options());
        QCOMPARE(run(third), Downloader::State::Finished);
        verifyFile(path);
        QVERIFY(!hub_->requestsFor(path).isEmpty());
        QVERIFY(hub_->requestsFor("stage_a.safetensors").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDownloader)
#include "test_downloader.moc"
