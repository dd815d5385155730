// kaskade-engine: the Qt-free command-line front end of the pipeline, for machines without Qt
// (a GPU box with only a CUDA LibTorch). Commands: parity, bench, devices.
#include "pipeline/bench.h"
#include "pipeline/device.h"
#include "pipeline/errors.h"
#include "pipeline/parity/parity.h"

#include <ATen/Context.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace {

int usage()
{
    std::fprintf(stderr,
                 "usage: kaskade-engine parity DIR [--filter TEXT] [--skip-missing] [--threads N]\n"
                 "       kaskade-engine bench [--device D] [--dtype T] [--repeats N] [--only NAME] [--threads N]\n"
                 "       kaskade-engine devices\n");
    return 2;
}

int runParity(const std::vector<std::string>& args)
{
    std::string dir, filter;
    bool skipMissing = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--filter" && i + 1 < args.size())
            filter = args[++i];
        else if (args[i] == "--skip-missing")
            skipMissing = true;
        else if (dir.empty())
            dir = args[i];
        else
            return usage();
    }
    if (dir.empty())
        return usage();
    // The fixtures' tolerances assume fp32 arithmetic: no TF32 matmuls/convolutions on Ampere and later.
    at::globalContext().setAllowTF32CuBLAS(false);
    at::globalContext().setAllowTF32CuDNN(false);
    if (skipMissing && !std::filesystem::is_directory(dir)) {
        std::printf("SKIP: fixture directory %s is absent (set KASKADE_PARITY_DIR)\n", dir.c_str());
        return 77;
    }
    const auto results = kaskade::parity::runAll(dir, filter, [](const kaskade::parity::FixtureResult& r) {
        std::printf("%s\n", kaskade::parity::formatResult(r).c_str());
        std::fflush(stdout);
    });
    std::printf("%s\n", kaskade::parity::formatSummary(results).c_str());
    const bool allPassed =
        !results.empty() && std::all_of(results.begin(), results.end(), [](const auto& r) { return r.passed; });
    return allPassed ? 0 : 1;
}

int runDevices()
{
    for (const auto& d : kaskade::listDevices())
        std::printf("%-8s %s  memory %.1f GiB (free %.1f GiB)  bf16 %s  default precision %s%s\n", d.id.c_str(),
                    d.name.c_str(), d.totalMemory / 1073741824.0, d.freeMemory / 1073741824.0, d.bf16 ? "native" : "no",
                    d.defaultDtype.c_str(), d.threads ? (", threads " + std::to_string(d.threads)).c_str() : "");
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2)
        return usage();
    std::vector<std::string> args(argv + 2, argv + argc);
    int threads = 0;
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "--threads") {
            threads = std::atoi(args[i + 1].c_str());
            args.erase(args.begin() + i, args.begin() + i + 2);
            break;
        }
    try {
        kaskade::setThreads(threads);
        const std::string command = argv[1];
        if (command == "parity")
            return runParity(args);
        if (command == "devices")
            return runDevices();
        if (command == "bench")
            return kaskade::runBenchCommand(args, [](const std::string& line) {
                std::printf("%s\n", line.c_str());
                std::fflush(stdout);
            });
        return usage();
    } catch (const kaskade::Error& e) {
        std::fprintf(stderr, "kaskade-engine: %s\n", e.what());
        return kaskade::exitStatusFor(e.code());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kaskade-engine: %s\n", e.what());
        return 70;
    }
}
