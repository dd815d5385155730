#pragma once
// The command table of the two command-line programs. kaskade-engine (Qt-free, app/engine/main.cpp) runs
// engineCommands() as is; kaskade-cli (app/cli/main.cpp) adds its Qt commands (generate, inspect, train-lora
// ...) to the same table, so `parity`, `bench`, `devices` and `make-demo-model` exist once. Every command
// reads its arguments through Args: one parsing style for all of them. Torch-free header.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kaskade::tools {

// The arguments after a command's name. Options are taken by name, as "--seed 4" or "--seed=4", in any
// order; what is left must be positional values (positionals() refuses options nobody took). Errors
// are thrown as Error(InvalidArgument) naming the option.
class Args
{
public:
    explicit Args(std::vector<std::string> args) : args_(std::move(args)) {}

    std::optional<std::string> take(std::string_view option); // "--x" without a value throws
    std::string take(std::string_view option, std::string fallback);
    std::vector<std::string> takeAll(std::string_view option); // a repeatable option, in order
    bool takeFlag(std::string_view option);
    std::int64_t takeInteger(std::string_view option, std::int64_t fallback, std::int64_t min, std::int64_t max);
    double takeNumber(std::string_view option, double fallback);
    bool wantsHelp() const; // --help or -h anywhere

    // The positional values, when there are min..max of them and no option is left; else throws with `usage`.
    std::vector<std::string> positionals(std::size_t min, std::size_t max, std::string_view usage);
    // Everything not taken yet (for a command that hands its arguments on).
    const std::vector<std::string>& rest() const { return args_; }

private:
    std::vector<std::string> args_;
};

struct Command
{
    std::string name;
    std::string usage;             // the arguments: "DIR [--filter TEXT] [--skip-missing]"
    std::string summary;           // one line for `help`
    std::function<int(Args&)> run; // the exit status; problems are thrown as kaskade::Error
    bool ownHelp = false;          // the command answers --help itself (else: its usage and summary)
};

// parity, bench, devices, make-demo-model.
std::vector<Command> engineCommands();

// `program COMMAND [args]` against `commands`: `help` (or nothing) lists them; a global `--threads N`
// (anywhere) sets the CPU threads first; errors become one line "program: message" on stderr and the
// exit status of their ErrorCode (2 for usage errors, 70 for anything unexpected).
int runCommandLine(std::string_view program, std::string_view title, std::span<const Command> commands,
                   std::vector<std::string> args);

} // namespace kaskade::tools
