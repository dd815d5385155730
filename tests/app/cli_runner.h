#pragma once
// Shared by the app tests that run kaskade-cli as a user does: where the binary is, and one bounded run with
// its exit code and both output streams.

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>

namespace kaskade::test {

// $KASKADE_BIN_DIR/kaskade-cli (CTest sets it), else the build folder given at configure time.
inline QString cliPath()
{
    const char* env = std::getenv("KASKADE_BIN_DIR");
    return QString::fromLocal8Bit(env && *env ? env : KASKADE_BIN_DIR) + QStringLiteral("/kaskade-cli");
}

struct CliRun
{
    int exitCode = -1; // -1: killed by a signal, or by us after timeoutMs
    QString out, err;
};

// Runs kaskade-cli with `args` (in `workingDir` when given). A run that outlives `timeoutMs` is killed, so a
// hang fails the test instead of blocking the suite.
inline CliRun runCli(const QStringList& args, int timeoutMs = 120000, const QString& workingDir = {})
{
    QProcess p;
    if (!workingDir.isEmpty())
        p.setWorkingDirectory(workingDir);
    p.start(cliPath(), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    CliRun r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
    r.err = QString::fromLocal8Bit(p.readAllStandardError());
    return r;
}

// `make-demo-model DIR/demo --size tiny`: random weights in the official layout, what the CLI tests generate
// with. Returns the model folder, or "" after recording a test failure with the CLI's message.
inline QString makeTinyDemoModel(const QTemporaryDir& dir)
{
    if (!dir.isValid()) {
        QTest::qFail("no temporary folder", __FILE__, __LINE__);
        return {};
    }
    const QString folder = dir.filePath(QStringLiteral("demo"));
    const CliRun r = runCli({"make-demo-model", folder, "--size", "tiny"}, 300000);
    if (r.exitCode != 0) {
        QTest::qFail(qPrintable("make-demo-model failed: " + r.err), __FILE__, __LINE__);
        return {};
    }
    return folder;
}

} // namespace kaskade::test
