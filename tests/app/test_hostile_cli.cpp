// Hostile inputs at the application level (issue 12): PNG metadata graphs with cycles, parameter files
// that are FIFOs, and kaskade-cli given odd arguments. Each ends within seconds with a clear message or a
// correct result.
#include "app/core/image_metadata.h"
#include "app/core/params_cli.h"
#include "cli_runner.h"
#include "pipeline/errors.h"

#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using kaskade::Error;
using kaskade::ErrorCode;

class TestHostileCli : public QObject
{
    Q_OBJECT

    QTemporaryDir dir_;

    static QString cli() { return kaskade::test::cliPath(); }

    using Run = kaskade::test::CliRun;
    Run run(const QStringList& args, int timeoutMs = 60000) const
    {
        return kaskade::test::runCli(args, timeoutMs, dir_.path());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void comfyGraphWithCyclesEndsQuickly()
    {
        // 40 combine nodes, each linking to the next four (mod 40) on every conditioning input: full of
        // cycles, and without memoisation 4^16 paths deep. No text anywhere but the last real encoder.
        QJsonObject graph;
        const int n = 40;
        for (int i = 0; i < n; ++i) {
            QJsonObject inputs;
            const char* keys[] = {"conditioning", "conditioning_to", "conditioning_1", "positive"};
            for (int k = 0; k < 4; ++k)
                inputs.insert(keys[k], QJsonArray{QString::number(100 + (i + k + 1) % n), 0});
            graph.insert(QString::number(100 + i),
                         QJsonObject{{"class_type", "ConditioningCombine"}, {"inputs", inputs}});
        }
        graph.insert("3", QJsonObject{{"class_type", "KSampler"},
                                      {"inputs", QJsonObject{{"seed", 5},
                                                             {"steps", 20},
                                                             {"cfg", 4.0},
                                                             {"positive", QJsonArray{"100", 0}},
                                                             {"negative", QJsonArray{"101", 0}},
                                                             {"model", QJsonArray{"3", 0}}}}});
        QElapsedTimer timer;
        timer.start();
        const auto record = kaskade::core::fromComfyUiPrompt(graph);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString("took %1 ms").arg(timer.elapsed())));
        if (record)
            QVERIFY(record->params.prompt.empty());
        // Through PNG text as `info`, --from-image and the gallery read it.
        const QByteArray json = QJsonDocument(graph).toJson(QJsonDocument::Compact);
        timer.restart();
        try {
            (void)kaskade::core::recordFromTexts({{QStringLiteral("prompt"), QString::fromUtf8(json)}}, "x.png");
        } catch (const Error&) {
        }
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString("took %1 ms").arg(timer.elapsed())));
    }

    void paramsFileThatIsAFifoIsRefused()
    {
        const QString fifo = dir_.filePath("params.json");
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        try {
            (void)kaskade::core::loadParamsFile(fifo);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileIo);
            QVERIFY2(QString(e.what()).contains("not a regular file"), e.what());
        }
        const Run r = run({"generate", "--model", dir_.path(), "--params", fifo}, 20000);
        QVERIFY2(r.exitCode == 3, qPrintable(r.err));
    }

    void threadsAreBounded()
    {
        for (const char* value : {"999999999", "0", "-3", "many"}) {
            const Run r = run({"--threads", value, "devices"}, 20000);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("--threads"), qPrintable(r.err));
        }
        QCOMPARE(run({"--threads", "1", "devices"}).exitCode, 0);
    }

    void makeDemoModelHelpMakesNoFolder()
    {
        const Run r = run({"make-demo-model", "--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("usage"));
        QVERIFY(!QFileInfo::exists(dir_.filePath("--help")));
        const Run bad = run({"make-demo-model", "--sizes"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(!QFileInfo::exists(dir_.filePath("--sizes")));
    }

    void outIntoAFolder()
    {
        const QString model = dir_.filePath("demo");
        QCOMPARE(run({"make-demo-model", model}).exitCode, 0);
        QDir(dir_.path()).mkdir("outdir");
        const QStringList job = {"generate", "--model",   model, "--prompt",  "x", "--width", "64", "--height",
                                 "96",       "--steps-c", "1",   "--steps-b", "1", "--seed",  "3",  "--out"};
        const Run r = run(job + QStringList{"outdir/"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList written = QDir(dir_.filePath("outdir")).entryList(QDir::Files | QDir::Hidden);
        QCOMPARE(written.size(), 1);
        QVERIFY2(written.first().startsWith("kaskade_") && written.first().endsWith("_3.png"),
                 qPrintable(written.first()));
        QCOMPARE(QImage(dir_.filePath("outdir/" + written.first())).size(), QSize(64, 96)); // small, non-square
        // A prompt weight that would make the conditioning infinite: a clear error, no black image.
        const Run inf = run({"generate", "--model", model, "--prompt", "(cat:1e308)", "--steps-c", "1", "--steps-b",
                             "1", "--width", "64", "--height", "64", "--out", "inf.png"});
        QVERIFY(inf.exitCode != 0);
        QVERIFY2(inf.err.contains("out of range"), qPrintable(inf.err));
        QVERIFY(!QFileInfo::exists(dir_.filePath("inf.png")));
    }

    void hostileFilesInTheModelFolder()
    {
        // A deeply nested header next to the model: inspect names it, and does not crash.
        const QString deep = dir_.filePath("deep.safetensors");
        QByteArray header(100000, '[');
        header += QByteArray(100000, ']');
        QByteArray bytes(8, '\0');
        const quint64 length = static_cast<quint64>(header.size());
        std::memcpy(bytes.data(), &length, sizeof length);
        QFile file(deep);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes + header);
        file.close();
        const Run r = run({"inspect", deep});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("nested deeper"), qPrintable(r.err));
        const Run scan = run({"inspect", dir_.path()});
        QVERIFY2(scan.exitCode == 0 || scan.exitCode == 1 || scan.exitCode == 3 || scan.exitCode == 4,
                 qPrintable(scan.err));
    }

    void nonUtf8FileNameIsNamed()
    {
        // A file whose name is not UTF-8 exists; the CLI must not call it "not found".
        const QByteArray name = QFile::encodeName(dir_.path()) + "/bad\xff.safetensors";
        FILE* f = std::fopen(name.constData(), "wb");
        QVERIFY(f);
        std::fclose(f);
        // Through the shell: QProcess would re-encode the argument and lose the byte itself.
        QProcess p;
        p.setProgram("/bin/sh");
        p.setArguments({"-c", "exec \"$0\" inspect \"$1/$(printf 'bad\\377.safetensors')\"", cli(), dir_.path()});
        p.start();
        QVERIFY(p.waitForFinished(20000));
        const QString err = QString::fromLocal8Bit(p.readAllStandardError());
        QVERIFY(p.exitCode() != 0);
        QVERIFY2(!err.contains("not found") && err.contains("UTF-8"), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestHostileCli)
#include "test_hostile_cli.moc"
