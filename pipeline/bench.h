#pragma once
// Benchmark of the real-size networks with random weights: median time of one sampler step
// (cond+uncond batch) at 1024×1024 and peak resident memory. Torch-free header.

#include <functional>
#include <string>
#include <vector>

namespace kaskade {

// args: [--device D] [--dtype T] [--repeats N] [--warmup N] [--profile TRACE] [--only NAME]..., or
// --full ... / --load ... (below). Lines of the report go to `out`. Returns the exit status.
int runBenchCommand(const std::vector<std::string>& args, const std::function<void(const std::string&)>& out);

// bench --full [--model lite|full] [--size PX] [--steps-c N] [--steps-b N] [--device D] [--dtype T] [--dir F]:
// one whole generation at real size with random weights (bench_full.cpp). runBenchCommand forwards to it.
int runFullBench(const std::vector<std::string>& args, const std::function<void(const std::string&)>& out);
// bench --load NAME [--dtype T] [--repeats N]: time to open a real-size Stage B/C file (sparse zeros).
int runLoadBench(const std::vector<std::string>& args, const std::function<void(const std::string&)>& out);

} // namespace kaskade
