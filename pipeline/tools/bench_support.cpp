#include "pipeline/tools/bench_support.h"

#include <cstdio>
#include <fstream>

namespace kaskade::bench {

double peakRssGiB()
{
    std::ifstream in("/proc/self/status");
    std::string key;
    double kib = 0;
    while (in >> key) {
        if (key == "VmHWM:") {
            in >> kib;
            return kib / 1048576.0;
        }
        in.ignore(1 << 20, '\n');
    }
    return 0;
}

bool resetPeakRss()
{
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    out.flush();
    return static_cast<bool>(out);
}

std::string formatNumbers(const char* fmt, double a, double b, double c)
{
    char text[256];
    std::snprintf(text, sizeof text, fmt, a, b, c);
    return text;
}

} // namespace kaskade::bench
