#include "pipeline/tools/commands.h"

#include "pipeline/device.h"
#include "pipeline/errors.h"
#include "pipeline/limits.h"
#include "pipeline/tools/bench.h"
#include "pipeline/tools/demo_model.h"
#include "pipeline/tools/parity/parity.h"

#include <ATen/Context.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>

namespace kaskade::tools {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void usageError(const std::string& message)
{
    throw Error(ErrorCode::InvalidArgument, message);
}

// "--name" or "-h"; a lone "-" or "-1 day" (a prompt) are values.
bool isOption(const std::string& arg)
{
    return (arg.size() > 2 && arg.starts_with("--")) || arg == "-h";
}

void printLine(const std::string& line)
{
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
}

int runParity(Args& args)
{
    // The fixtures' tolerances assume fp32 arithmetic: no TF32 matmuls/convolutions on Ampere and later.
    at::globalContext().setAllowTF32CuBLAS(false);
    at::globalContext().setAllowTF32CuDNN(false);
    const bool skipMissing = args.takeFlag("--skip-missing");
    std::string filter = args.take("--filter", "");
    const auto values = args.positionals(1, 2, "parity DIR [FILTER] [--filter TEXT] [--skip-missing]");
    if (values.size() == 2)
        filter = values[1];
    const fs::path dir = fs::absolute(values[0]);
    if (skipMissing && !fs::is_directory(dir)) {
        std::printf("SKIP: fixture directory %s is absent (set KASKADE_PARITY_DIR)\n", dir.c_str());
        return 77; // CTest's SKIP_RETURN_CODE
    }
    const auto results =
        parity::runAll(dir, filter, [](const parity::FixtureResult& r) { printLine(parity::formatResult(r)); });
    printLine(parity::formatSummary(results));
    const bool passed =
        !results.empty() && std::all_of(results.begin(), results.end(), [](const auto& r) { return r.passed; });
    return passed ? 0 : 1;
}

int runDevices(Args& args)
{
    args.positionals(0, 0, "devices");
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

int runBench(Args& args)
{
    if (const auto network = args.take("--load")) {
        LoadBenchOptions load;
        load.network = *network;
        load.dtype = args.take("--dtype", load.dtype);
        load.repeats = static_cast<int>(args.takeInteger("--repeats", load.repeats, 1, 1000));
        args.positionals(0, 0, "bench --load NAME [--dtype bf16|fp32] [--repeats N]");
        return runLoadBench(load, printLine);
    }
    if (args.takeFlag("--full")) {
        FullBenchOptions full;
        full.device = args.take("--device", full.device);
        full.dtype = args.take("--dtype", full.dtype);
        full.variant = args.take("--model", full.variant);
        full.size = static_cast<int>(args.takeInteger("--size", full.size, 256, 4096));
        full.stepsC =
            static_cast<int>(args.takeInteger("--steps-c", full.stepsC, limits::steps.min, limits::steps.max));
        full.stepsB =
            static_cast<int>(args.takeInteger("--steps-b", full.stepsB, limits::steps.min, limits::steps.max));
        full.dir = args.take("--dir", "");
        args.positionals(0, 0,
                         "bench --full [--model lite|full] [--size PX] [--steps-c N] [--steps-b N] "
                         "[--device D] [--dtype T] [--dir FOLDER]");
        if (full.variant != "lite" && full.variant != "full")
            usageError("bench --full: --model is lite or full");
        return runFullBench(full, printLine);
    }
    StepBenchOptions step;
    step.device = args.take("--device", step.device);
    step.dtype = args.take("--dtype", step.dtype);
    step.repeats = static_cast<int>(args.takeInteger("--repeats", step.repeats, 1, 1000));
    step.warmup = static_cast<int>(args.takeInteger("--warmup", step.warmup, 0, 1000));
    step.profile = args.take("--profile", "");
    step.only = args.takeAll("--only");
    args.positionals(0, 0,
                     "bench [--device auto|cpu|cuda:N] [--dtype auto|fp32|bf16|fp16] [--repeats N] [--warmup N] "
                     "[--profile TRACE.json] [--only " +
                         stepBenchNames() + "]...");
    return runStepBench(step, printLine);
}

int runMakeDemoModel(Args& args)
{
    const std::string size = args.take("--size", "tiny");
    const auto seed = static_cast<std::uint64_t>(args.takeInteger("--seed", 1, 0, INT64_MAX));
    // Anything else that looks like an option is a mistake, not a folder name ("--sizes" must not make one).
    const auto dir = args.positionals(1, 1, "make-demo-model DIR [--size tiny|small] [--seed N]");
    writeDemoModel(dir[0], size, seed);
    std::printf("demo model (%s, random weights) written to %s\n", size.c_str(), dir[0].c_str());
    return 0;
}

int printHelp(std::string_view program, std::string_view title, std::span<const Command> commands)
{
    std::printf("%.*s\n\nusage: %.*s COMMAND [options]   (global: --threads N)\n\ncommands:\n",
                static_cast<int>(title.size()), title.data(), static_cast<int>(program.size()), program.data());
    for (const Command& command : commands)
        std::printf("  %-16s %s\n", command.name.c_str(), command.summary.c_str());
    return 0;
}

} // namespace

std::optional<std::string> Args::take(std::string_view option)
{
    const std::string prefix = std::string(option) + "=";
    for (auto it = args_.begin(); it != args_.end(); ++it) {
        if (*it == option) {
            if (std::next(it) == args_.end())
                usageError(std::string(option) + " needs a value");
            std::string value = *std::next(it);
            args_.erase(it, it + 2);
            return value;
        }
        if (it->starts_with(prefix)) {
            std::string value = it->substr(prefix.size());
            args_.erase(it);
            return value;
        }
    }
    return std::nullopt;
}

std::string Args::take(std::string_view option, std::string fallback)
{
    return take(option).value_or(std::move(fallback));
}

std::vector<std::string> Args::takeAll(std::string_view option)
{
    std::vector<std::string> values;
    while (auto value = take(option))
        values.push_back(std::move(*value));
    return values;
}

bool Args::takeFlag(std::string_view option)
{
    const auto it = std::find(args_.begin(), args_.end(), option);
    if (it == args_.end())
        return false;
    args_.erase(it);
    return true;
}

std::int64_t Args::takeInteger(std::string_view option, std::int64_t fallback, std::int64_t min, std::int64_t max)
{
    const auto text = take(option);
    if (!text)
        return fallback;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error != std::errc() || end != text->data() + text->size() || value < min || value > max)
        usageError(std::string(option) + " needs a whole number from " + std::to_string(min) + " to " +
                   std::to_string(max) + " (got '" + *text + "')");
    return value;
}

double Args::takeNumber(std::string_view option, double fallback)
{
    const auto text = take(option);
    if (!text)
        return fallback;
    try {
        std::size_t used = 0;
        const double value = std::stod(*text, &used);
        if (used == text->size())
            return value;
    } catch (const std::exception&) {
    }
    usageError(std::string(option) + ": '" + *text + "' is not a number");
}

bool Args::wantsHelp() const
{
    return std::any_of(args_.begin(), args_.end(), [](const std::string& a) { return a == "--help" || a == "-h"; });
}

std::vector<std::string> Args::positionals(std::size_t min, std::size_t max, std::string_view usage)
{
    for (const auto& arg : args_)
        if (isOption(arg))
            usageError("unknown option '" + arg + "'; usage: " + std::string(usage));
    if (args_.size() < min || args_.size() > max)
        usageError("usage: " + std::string(usage));
    return std::exchange(args_, {});
}

std::vector<Command> engineCommands()
{
    return {
        {"parity", "DIR [FILTER] [--filter TEXT] [--skip-missing]",
         "check the engine against reference fixtures: one line each, then \"N passed, M failed\"", runParity},
        {"bench", "[--only NAME]... [--device D] [--dtype T] [--repeats N] | --full ... | --load NAME",
         "time one sampler step of the real-size networks (--full: a whole generation; --load: opening a file)",
         runBench},
        {"devices", "", "list CPU and CUDA devices", runDevices},
        {"make-demo-model", "DIR [--size tiny|small] [--seed N]",
         "write a random-weight demo model set (official layout; draws noise)", runMakeDemoModel},
    };
}

int runCommandLine(std::string_view program, std::string_view title, std::span<const Command> commands,
                   std::vector<std::string> arguments)
{
    const std::string name(program);
    try {
        Args global(std::move(arguments));
        const int threads = static_cast<int>(global.takeInteger("--threads", 0, 1, kMaxThreads));
        std::vector<std::string> args = global.rest();
        if (args.empty() || args.front() == "help" || args.front() == "--help" || args.front() == "-h")
            return printHelp(program, title, commands);
        const auto command =
            std::find_if(commands.begin(), commands.end(), [&](const Command& c) { return c.name == args.front(); });
        if (command == commands.end())
            usageError("unknown command '" + args.front() + "' (try " + name + " help)");
        Args commandArgs(std::vector<std::string>(args.begin() + 1, args.end()));
        if (!command->ownHelp && commandArgs.wantsHelp()) {
            std::printf("usage: %s %s %s\n%s\n", name.c_str(), command->name.c_str(), command->usage.c_str(),
                        command->summary.c_str());
            return 0;
        }
        setThreads(threads);
        return command->run(commandArgs);
    } catch (const Error& e) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
        return exitStatusFor(e.code());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
        return 70;
    }
}

} // namespace kaskade::tools
