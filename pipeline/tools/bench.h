#pragma once
// Benchmarks of the real-size networks with random weights. The `bench` command (tools/commands.cpp)
// reads the options; these functions only measure. Torch-free header.

#include <functional>
#include <string>
#include <vector>

namespace kaskade {

using BenchOutput = std::function<void(const std::string& line)>;

// One sampler step (cond+uncond batch) at 1024×1024: median time and peak resident memory (bench.cpp).
struct StepBenchOptions
{
    std::string device = "auto", dtype = "auto";
    std::vector<std::string> only; // network names (stage_c_1b ...); empty: all but the LoRA training step
    int repeats = 3;
    int warmup = 1;
    std::string profile; // chrome-trace file of one extra step
};
int runStepBench(const StepBenchOptions& options, const BenchOutput& out);
// The names `only` accepts, for help and messages: "stage_c_1b|stage_c_3.6b|...".
std::string stepBenchNames();

// One whole generation at real size with random weights (bench_full.cpp).
struct FullBenchOptions
{
    std::string device = "auto", dtype = "auto";
    std::string variant = "lite"; // lite | full
    int size = 1024;
    int stepsC = 20, stepsB = 10;
    std::string dir; // where the random-weight set is written (default: $TMPDIR/kaskade-bench-VARIANT)
};
int runFullBench(const FullBenchOptions& options, const BenchOutput& out);

// Time to open a real-size Stage B/C file (sparse zeros) (bench_full.cpp).
struct LoadBenchOptions
{
    std::string network = "stage_c_3.6b"; // stage_c_3.6b | stage_c_1b | stage_b_1.5b | stage_b_700m
    std::string dtype = "bf16";
    int repeats = 3;
};
int runLoadBench(const LoadBenchOptions& options, const BenchOutput& out);

} // namespace kaskade
