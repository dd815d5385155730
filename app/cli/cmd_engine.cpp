// Commands shared with the Qt-free kaskade-engine: devices, parity, bench.
#include "app/cli/commands.h"
#include "pipeline/bench.h"
#include "pipeline/device.h"
#include "pipeline/parity/parity.h"

#include <QDir>

#include <algorithm>
#include <cstdio>

namespace kaskade::cli {

int runDevices(const QStringList&)
{
    for (const auto& d : listDevices()) {
        std::printf("%-8s %s\n         memory %.1f GiB total, %.1f GiB free; bf16 %s; default precision %s",
                    d.id.c_str(), d.name.c_str(), d.totalMemory / 1073741824.0, d.freeMemory / 1073741824.0,
                    d.bf16 ? "native" : "no", d.defaultDtype.c_str());
        if (d.id == "cpu")
            std::printf("; threads %d", d.threads);
        std::printf("\n");
    }
    return 0;
}

int runParity(const QStringList& args)
{
    QString dir, filter;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == "--filter" && i + 1 < args.size())
            filter = args[++i];
        else if (dir.isEmpty())
            dir = args[i];
        else if (filter.isEmpty()) // "parity DIR FILTER" as well as "--filter FILTER"
            filter = args[i];
        else {
            printError(QStringLiteral("usage: kaskade-cli parity DIR [--filter TEXT]"));
            return 2;
        }
    }
    if (dir.isEmpty()) {
        printError(QStringLiteral("usage: kaskade-cli parity DIR [--filter TEXT]"));
        return 2;
    }
    const auto results = parity::runAll(QDir(dir).absolutePath().toStdString(), filter.toStdString(),
                                        [](const parity::FixtureResult& r) {
                                            std::printf("%s\n", parity::formatResult(r).c_str());
                                            std::fflush(stdout);
                                        });
    std::printf("%s\n", parity::formatSummary(results).c_str());
    const bool ok =
        !results.empty() && std::all_of(results.begin(), results.end(), [](const auto& r) { return r.passed; });
    return ok ? 0 : 1;
}

int runBench(const QStringList& args)
{
    std::vector<std::string> list;
    for (const auto& a : args)
        list.push_back(a.toStdString());
    return runBenchCommand(list, [](const std::string& line) {
        std::printf("%s\n", line.c_str());
        std::fflush(stdout);
    });
}

} // namespace kaskade::cli
