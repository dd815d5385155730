#pragma once
// What the benchmarks share (bench.cpp, bench_full.cpp, lora_bench.cpp): memory readings and number
// formatting for their report lines.

#include <string>

namespace kaskade::bench {

double peakRssGiB(); // this process's peak resident set (VmHWM), in GiB
bool resetPeakRss(); // restarts the peak (/proc/self/clear_refs); false where the kernel refuses
// printf-style formatting of up to three numbers: formatNumbers("%.1f s (%.2f s/step)", total, perStep).
std::string formatNumbers(const char* fmt, double a, double b = 0, double c = 0);

} // namespace kaskade::bench
