// `kaskade-cli inspect` end to end: every corrupted file gives a non-zero exit status and one stderr line
// naming the file; real-size (sparse) checkpoints and folders are identified.

#include "cli_runner.h"
#include "pipeline/sparse_checkpoint.h"

#include <QFile>
#include <QLocale>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace kaskade::test;
namespace fs = std::filesystem;

namespace {

// A hang counts as a failure (exit code -1) after a minute.
CliRun inspect(const fs::path& path)
{
    return runCli({"inspect", QString::fromStdString(path.string())}, 60000);
}

QString grouped(std::uint64_t n) // "7,180,000,000"
{
    QLocale locale = QLocale::c();
    locale.setNumberOptions(QLocale::DefaultNumberOptions);
    return locale.toString(qulonglong(n));
}

} // namespace

class TestCliInspect : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir_;
    fs::path root() const { return dir_.path().toStdString(); }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(cliPath()), qPrintable(cliPath() + " not built")); }

    void corrupted_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        auto add = [](const char* tag, const std::string& bytes, const char* problem) {
            QTest::newRow(tag) << QByteArray(bytes.data(), qsizetype(bytes.size())) << QString(problem);
        };
        const std::string a4 = entry("a", "U8", "[4]", 0, 4);
        add("empty file", "", "empty file");
        add("header length larger than the file", rawFile("{}", "", 4096), "larger than the file");
        add("header over 100 MB", rawFile("{}", "", 300'000'000), "100 MB");
        add("header not JSON", rawFile("{\"a\":"), "not valid JSON");
        add("header not an object", rawFile("\"text\""), "not a JSON object");
        add("unknown dtype", rawFile(object({entry("a", "Q4", "[4]", 0, 4)}), "abcd"), "unknown dtype");
        add("shape x dtype != range", rawFile(object({entry("a", "F32", "[4]", 0, 4)}), "abcd"), "needs 16 bytes");
        add("range out of bounds", rawFile(object({entry("a", "U8", "[16]", 0, 16)}), "abcd"), "out of bounds");
        add("overlapping ranges",
            rawFile(object({entry("a", "U8", "[4]", 0, 4), entry("b", "U8", "[4]", 1, 5)}), "abcde"), "overlaps");
        add("gap between ranges",
            rawFile(object({entry("a", "U8", "[2]", 0, 2), entry("b", "U8", "[2]", 3, 5)}), "abcde"), "gap");
        add("duplicate names", rawFile(object({a4, a4}), "abcd"), "duplicate name");
        add("truncated data",
            rawFile(object({entry("a", "F32", "[4]", 0, 16), entry("b", "F32", "[4]", 16, 32)}), std::string(20, 'x')),
            "truncated");
    }

    void corrupted()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        const auto path = root() / "corrupt model.safetensors";
        QFile file(QString::fromStdString(path.string()));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(bytes);
        file.close();
        const auto result = inspect(path);
        QCOMPARE(result.exitCode, 3); // files: kaskade::exitStatusFor(BadFormat)
        QVERIFY2(result.err.contains(QString::fromStdString(path.string())), qPrintable(result.err));
        QVERIFY2(result.err.contains(problem), qPrintable(result.err));
        QCOMPARE(result.err.trimmed().count('\n'), 0); // one line
        QVERIFY(result.out.isEmpty());
    }

    void missingPath()
    {
        const auto result = inspect(root() / "no such file.safetensors");
        QCOMPARE(result.exitCode, 3);
        QVERIFY(result.err.contains("no such file.safetensors"));
    }

    void realSizeStageC_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QString>("says");
        QTest::newRow("stage_c_bf16") << "stage_c_3.6B"
                                      << "BF16"
                                      << "Stage C 3.6B (full)";
        QTest::newRow("stage_c_lite") << "stage_c_1B"
                                      << "F32"
                                      << "Stage C 1B (lite)";
        QTest::newRow("stage_b_lite_bf16") << "stage_b_700M"
                                           << "BF16"
                                           << "Stage B 700M (lite)";
    }

    void realSizeStageC()
    {
        QFETCH(QString, model);
        QFETCH(QString, dtype);
        QFETCH(QString, says);
        const auto keys = withDtype(tsvKeys(model.toStdString()), dtype.toStdString());
        const auto path = root() / (model.toStdString() + ".safetensors");
        const auto size = writeSparse(path, keys);
        const auto result = inspect(path);
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains(says), qPrintable(result.out));
        QVERIFY2(result.out.contains(QString::number(keys.size())), qPrintable(result.out));
        QVERIFY2(result.out.contains(grouped(parameterCount(keys))), qPrintable(result.out));
        QVERIFY2(result.out.contains(grouped(size) + " bytes"), qPrintable(result.out));
        QVERIFY2(result.out.contains(dtype + " x"), qPrintable(result.out));
    }

    void folder()
    {
        const auto dir = root() / "models";
        writeSparse(dir / "stage_c_bf16.safetensors", withDtype(tsvKeys("stage_c_3.6B"), "BF16"));
        writeSparse(dir / "stage_b_bf16.safetensors", withDtype(tsvKeys("stage_b_3B"), "BF16"));
        writeSparse(dir / "previewer.safetensors", tsvKeys("previewer"));
        const auto result = inspect(dir);
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains("layout:  official"), qPrintable(result.out));
        QVERIFY2(result.out.contains("missing: stage_a text_encoder tokenizer"), qPrintable(result.out));
        QVERIFY2(result.out.contains("stage_c_bf16.safetensors (3.6B)"), qPrintable(result.out));
    }
};

QTEST_APPLESS_MAIN(TestCliInspect)
#include "test_cli_inspect.moc"
