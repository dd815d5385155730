// The argument reader every command of kaskade-cli and kaskade-engine uses (pipeline/tools/commands.h), and
// the shared command table: each engine command exists once and answers --help.

#include "pipeline/errors.h"
#include "pipeline/tools/commands.h"

#include <QTest>

#include <set>

using kaskade::Error;
using kaskade::ErrorCode;
using kaskade::tools::Args;

namespace {

// The message of the InvalidArgument error `call` throws; empty when it throws nothing.
template <typename Call> QString usageErrorOf(Call call)
{
    try {
        call();
    } catch (const Error& e) {
        return e.code() == ErrorCode::InvalidArgument ? QString::fromStdString(e.what()) : QStringLiteral("?");
    }
    return {};
}

} // namespace

class CommandsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void optionsInAnyOrderAndBothSpellings()
    {
        Args args({"DIR", "--seed=7", "--size", "small", "--flag", "--only", "a", "--only=b"});
        QCOMPARE(args.takeInteger("--seed", 1, 0, 100), std::int64_t(7));
        QCOMPARE(args.take("--size", "tiny"), std::string("small"));
        QCOMPARE(args.take("--absent", "fallback"), std::string("fallback"));
        QVERIFY(args.takeFlag("--flag"));
        QVERIFY(!args.takeFlag("--flag"));
        QCOMPARE(args.takeAll("--only"), (std::vector<std::string>{"a", "b"}));
        QCOMPARE(args.positionals(1, 1, "x DIR"), std::vector<std::string>{"DIR"});
    }

    void mistakesAreUsageErrors()
    {
        QVERIFY(usageErrorOf([] { Args({"--seed"}).take("--seed"); }).contains("--seed needs a value"));
        QVERIFY(usageErrorOf([] { Args({"--seed", "x"}).takeInteger("--seed", 1, 0, 9); }).contains("--seed"));
        QVERIFY(usageErrorOf([] { Args({"--seed", "10"}).takeInteger("--seed", 1, 0, 9); }).contains("0 to 9"));
        QVERIFY(usageErrorOf([] { Args({"--lr", "1e-4x"}).takeNumber("--lr", 0); }).contains("not a number"));
        // An option nobody took is refused, not taken for a folder name ("--sizes" must not become a folder).
        QVERIFY(
            usageErrorOf([] { Args({"--sizes"}).positionals(0, 1, "x DIR"); }).contains("unknown option '--sizes'"));
        QVERIFY(usageErrorOf([] { Args({"a", "b"}).positionals(1, 1, "x DIR"); }).contains("usage: x DIR"));
        QVERIFY(usageErrorOf([] { Args({}).positionals(1, 1, "x DIR"); }).contains("usage: x DIR"));
        // Values that start with a single '-' (a prompt, stdin) are positionals.
        QCOMPARE(Args({"-1 day"}).positionals(1, 1, "x TEXT"), std::vector<std::string>{"-1 day"});
        QVERIFY(usageErrorOf([] { Args({"-h"}).positionals(0, 1, "x"); }).contains("unknown option"));
    }

    void engineCommandsAreOneTable()
    {
        std::set<std::string> names;
        for (const auto& command : kaskade::tools::engineCommands()) {
            QVERIFY2(names.insert(command.name).second, command.name.c_str());
            QVERIFY(!command.summary.empty());
            QVERIFY(command.run);
        }
        for (const char* name : {"parity", "bench", "devices", "make-demo-model"})
            QVERIFY2(names.count(name), name);
    }

    void unknownCommandsAndOptionsExitWithUsageStatus()
    {
        const auto table = kaskade::tools::engineCommands();
        QCOMPARE(kaskade::tools::runCommandLine("t", "t", table, {"frobnicate"}), 2);
        QCOMPARE(kaskade::tools::runCommandLine("t", "t", table, {"devices", "--verbose"}), 2);
        QCOMPARE(kaskade::tools::runCommandLine("t", "t", table, {"--threads", "0", "devices"}), 2);
        QCOMPARE(kaskade::tools::runCommandLine("t", "t", table, {"make-demo-model", "--help"}), 0);
        QCOMPARE(kaskade::tools::runCommandLine("t", "t", table, {"help"}), 0);
    }
};

QTEST_GUILESS_MAIN(CommandsTest)
#include "test_commands.moc"
