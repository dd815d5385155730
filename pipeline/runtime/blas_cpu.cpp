#include "pipeline/runtime/blas_cpu.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace kaskade::runtime {
namespace {

// The "flags" line of /proc/cpuinfo, padded with spaces so that " avx2 " finds whole words.
std::string cpuFlags()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("flags", 0) == 0)
            return " " + line.substr(line.find(':') + 1) + " ";
    return {};
}

bool hasFlag(const std::string& flags, const char* flag)
{
    return flags.find(std::string(" ") + flag + " ") != std::string::npos;
}

// The core OpenBLAS chose, or empty when OpenBLAS is not the loaded BLAS.
std::string openBlasCore()
{
    using CoreName = char* (*)();
    const auto corename = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    const char* name = corename ? corename() : nullptr;
    return name ? name : "";
}

} // namespace

void reexecWithMatchingBlasCore(char** argv)
{
    if (std::getenv("OPENBLAS_CORETYPE") || !argv || !argv[0])
        return;
    const std::string core = openBlasCore();
    // The pre-AVX fallbacks OpenBLAS uses for CPUs it does not know.
    if (core != "Prescott" && core != "Core2" && core != "Nehalem" && core != "Atom")
        return;
    const std::string flags = cpuFlags();
    const char* better = nullptr;
    if (hasFlag(flags, "avx512f") && hasFlag(flags, "avx512bw") && hasFlag(flags, "avx512vl"))
        better = "SkylakeX";
    else if (hasFlag(flags, "avx2") && hasFlag(flags, "fma"))
        better = "Haswell";
    if (!better)
        return;
    setenv("OPENBLAS_CORETYPE", better, 1);
    execv("/proc/self/exe", argv);
    // execv failed (no /proc): keep running with the slower kernels.
}

} // namespace kaskade::runtime
