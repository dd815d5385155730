#pragma once
// Benchmark of the real-size networks with random weights: median time of one sampler step
// (cond+uncond batch) at 1024×1024 and peak resident memory. Torch-free header.

#include <functional>
#include <string>
#include <vector>

namespace kaskade {

// args: [--device D] [--dtype T] [--repeats N] [--only stage_c_1b|stage_c_3.6b|stage_b_700m|stage_b_1.5b|...]
// Lines of the report go to `out`. Returns the exit status.
int runBenchCommand(const std::vector<std::string>& args, const std::function<void(const std::string&)>& out);

} // namespace kaskade
