// kaskade-cli make-demo-model + generate end to end, as a user runs them: determinism by seed,
// metadata readable back, one clear error line for bad input, and a clean interrupt.
#include "app/core/image_metadata.h"
#include "cli_runner.h"

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

class TestCliGenerate : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString model_;

    static QString cli() { return kaskade::test::cliPath(); }

    using Run = kaskade::test::CliRun;
    static Run run(const QStringList& args, int timeoutMs = 120000) { return kaskade::test::runCli(args, timeoutMs); }

    QStringList job(const QString& out, const QString& seed) const
    {
        return {"generate", "--model",   model_,     "--prompt", "a red chair, in the snow",
                "--width",  "128",       "--height", "128",      "--steps-c",
                "3",        "--steps-b", "2",        "--seed",   seed,
                "--out",    out};
    }

private Q_SLOTS:
    void initTestCase()
    {
        model_ = kaskade::test::makeTinyDemoModel(dir_);
        QVERIFY(!model_.isEmpty());
    }

    void sameSeedSameImageDifferentSeedDifferentImage()
    {
        const Run a = run(job(dir_.filePath("a_{seed}.png"), "7"));
        QVERIFY2(a.exitCode == 0, qPrintable(a.err));
        const Run b = run(job(dir_.filePath("b_{seed}.png"), "7"));
        QVERIFY2(b.exitCode == 0, qPrintable(b.err));
        const Run c = run(job(dir_.filePath("c_{seed}.png"), "8"));
        QVERIFY2(c.exitCode == 0, qPrintable(c.err));
        const QImage ia(dir_.filePath("a_7.png")), ib(dir_.filePath("b_7.png")), ic(dir_.filePath("c_8.png"));
        QVERIFY(!ia.isNull());
        QCOMPARE(ia.size(), QSize(128, 128));
        QVERIFY(ia.convertToFormat(QImage::Format_RGB888) == ib.convertToFormat(QImage::Format_RGB888));
        QVERIFY(ia.convertToFormat(QImage::Format_RGB888) != ic.convertToFormat(QImage::Format_RGB888));
    }

    void metadataReadsBack()
    {
        const QString path = dir_.filePath("meta.png");
        const Run r = run(job(path, "11"));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto record = kaskade::core::readImageRecord(path);
        QVERIFY(record.has_value());
        QCOMPARE(QString::fromStdString(record->params.prompt), QStringLiteral("a red chair, in the snow"));
        QCOMPARE(record->seed, std::uint64_t(11));
        QCOMPARE(record->params.stageC.steps, 3);
        QCOMPARE(record->params.stageB.steps, 2);
        // The A1111 text alone (what other apps read) carries the same essentials.
        QImage image;
        QVERIFY(image.load(path));
        const auto a1111 = kaskade::core::fromA1111Text(image.text(QStringLiteral("parameters")));
        QVERIFY(a1111.has_value());
        QCOMPARE(a1111->seed, std::uint64_t(11));
        QCOMPARE(a1111->params.width, 128);
        const Run info = run({"info", path});
        QCOMPARE(info.exitCode, 0);
        QVERIFY(info.out.contains(QStringLiteral("a red chair, in the snow")));
    }

    void badInputGivesOneClearLine_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("width 0") << QStringList{"--width", "0"} << "width";
        QTest::newRow("steps -1") << QStringList{"--steps-c", "-1"} << "steps";
        QTest::newRow("unknown sampler") << QStringList{"--sampler", "euler_z"} << "sampler";
        QTest::newRow("missing model") << QStringList{"--model", "/nonexistent/model"} << "/nonexistent/model";
    }
    void badInputGivesOneClearLine()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, mentions);
        QStringList args = job(dir_.filePath("bad.png"), "1");
        if (extra.first() == "--model") // replace, not repeat
            args[args.indexOf("--model") + 1] = extra.last();
        else
            args += extra;
        const Run r = run(args);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
        QVERIFY2(r.err.trimmed().count('\n') == 0, qPrintable(r.err));
        QVERIFY(!QFile::exists(dir_.filePath("bad.png")));
    }

    void interruptLeavesNoPartialFile()
    {
        QProcess p;
        QStringList args = job(dir_.filePath("interrupted.png"), "3");
        args << "--steps-c"
             << "200"; // the most allowed: long enough to be interrupted in Stage C
        args.removeAt(args.indexOf("--steps-c"));
        args.removeAt(args.indexOf("3", args.indexOf("--width")));
        p.start(cli(), args);
        QVERIFY(p.waitForStarted());
        QString err;
        QTRY_VERIFY_WITH_TIMEOUT((err += QString::fromLocal8Bit(p.readAllStandardError())).contains("Stage C"), 60000);
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(!QFile::exists(dir_.filePath("interrupted.png")));
    }
};

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "test_cli_generate.moc"
