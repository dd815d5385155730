// STUB: replaced by the benchmark implementation.
#include "pipeline/bench.h"
namespace kaskade {
int runBenchCommand(const std::vector<std::string>&, const std::function<void(const std::string&)>& out) { out("bench: not implemented yet"); return 1; }
} // namespace kaskade
