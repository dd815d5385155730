#include "pipeline/device.h"

#include "pipeline/errors.h"
#include "pipeline/runtime/cpu_allocator.h"

#include <ATen/ATen.h>
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/version.h>

#ifdef KASKADE_HAVE_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAFunctions.h>
#include <cuda_runtime_api.h>
#endif

#include <sched.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <thread>

namespace kaskade {
namespace {

std::string cpuModelName()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) {
            auto pos = line.find(':');
            if (pos != std::string::npos)
                return line.substr(line.find_first_not_of(' ', pos + 1));
        }
    return "CPU";
}

bool cpuHasFlag(const std::string& flag)
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("flags", 0) == 0)
            return (line + " ").find(" " + flag + " ") != std::string::npos; // whole words only
    return false;
}

// Distinct (physical id, core id) pairs of /proc/cpuinfo, capped by the CPUs this process may run on:
// a second hyper-thread per core only competes for the same vector units in GEMM/conv kernels.
int devicePhysicalCores()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    std::set<std::pair<int, int>> cores;
    int package = 0;
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        if (line.rfind("physical id", 0) == 0)
            package = std::atoi(line.c_str() + colon + 1);
        else if (line.rfind("core id", 0) == 0)
            cores.emplace(package, std::atoi(line.c_str() + colon + 1));
    }
    const int logical = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    cpu_set_t allowed;
    const int usable = sched_getaffinity(0, sizeof allowed, &allowed) == 0 ? CPU_COUNT(&allowed) : logical;
    const int physical = cores.empty() ? logical : static_cast<int>(cores.size());
    return std::max(1, std::min(physical, usable));
}

std::uint64_t physicalMemory(std::uint64_t* available)
{
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t value = 0, total = 0;
    std::string unit;
    while (in >> key >> value >> unit) {
        if (key == "MemTotal:")
            total = value * 1024;
        else if (key == "MemAvailable:" && available)
            *available = value * 1024;
    }
    return total;
}

} // namespace

bool cudaAvailable()
{
#ifdef KASKADE_HAVE_CUDA
    return at::hasCUDA() && at::cuda::device_count() > 0;
#else
    return false;
#endif
}

std::vector<DeviceInfo> listDevices()
{
    std::vector<DeviceInfo> devices;
    DeviceInfo cpu;
    cpu.id = "cpu";
    cpu.name = cpuModelName();
    cpu.totalMemory = physicalMemory(&cpu.freeMemory);
    cpu.bf16 = cpuHasNativeBf16();
    cpu.defaultDtype = defaultDtype(cpu.id);
    cpu.threads = at::get_num_threads();
    devices.push_back(cpu);
#ifdef KASKADE_HAVE_CUDA
    if (cudaAvailable()) {
        for (int i = 0; i < at::cuda::device_count(); ++i) {
            const cudaDeviceProp* prop = at::cuda::getDeviceProperties(i);
            DeviceInfo d;
            d.id = "cuda:" + std::to_string(i);
            d.name = prop->name;
            d.totalMemory = prop->totalGlobalMem;
            size_t freeBytes = 0, totalBytes = 0;
            c10::cuda::CUDAGuard guard(static_cast<c10::DeviceIndex>(i));
            if (cudaMemGetInfo(&freeBytes, &totalBytes) == cudaSuccess)
                d.freeMemory = freeBytes;
            d.bf16 = prop->major >= 8;
            d.defaultDtype = defaultDtype(d.id);
            devices.push_back(d);
        }
    }
#endif
    return devices;
}

void setThreads(int n)
{
    installCpuCachingAllocator(); // every entry point sets threads first
    if (n <= 0) {
        if (const char* env = std::getenv("KASKADE_THREADS"))
            n = std::atoi(env);
    }
    if (n <= 0)
        n = physicalCoreCount();
    // Each thread is created up front; an unbounded count (--threads 999999999) would never return.
    if (n > kMaxThreads)
        throw Error(ErrorCode::InvalidArgument,
                    "thread count " + std::to_string(n) + " is above the limit of " + std::to_string(kMaxThreads));
    at::set_num_threads(n);
}

int threadCount()
{
    return at::get_num_threads();
}

int physicalCoreCount()
{
    static const int cores = devicePhysicalCores();
    return cores;
}

std::string resolveDevice(const DeviceChoice& device)
{
    switch (device.kind) {
    case DeviceKind::Auto: return cudaAvailable() ? "cuda:0" : "cpu";
    case DeviceKind::Cpu: return "cpu";
    case DeviceKind::Cuda: break;
    }
    if (!cudaAvailable())
        throw Error(ErrorCode::DeviceError, "device '" + deviceId(device) +
                                                "' requested, but this build or machine has no CUDA (" +
                                                torchVersionString() + ")");
    return deviceId(device);
}

std::string resolveDevice(const std::string& device)
{
    return resolveDevice(device.empty() ? DeviceChoice{} : parseDeviceOrThrow(device));
}

bool cpuHasNativeBf16()
{
    if (const char* env = std::getenv("KASKADE_CPU_BF16"); env && *env)
        return std::string(env) != "0";
    // oneDNN runs bf16 convolutions and matmuls natively with avx512_bf16 / AMX; elsewhere it emulates them.
    static const bool native = cpuHasFlag("avx512_bf16") || cpuHasFlag("amx_bf16");
    return native;
}

std::string defaultDtype(const std::string& resolvedDevice)
{
    return resolvedDevice != "cpu" || cpuHasNativeBf16() ? "bf16" : "fp32";
}

std::string resolveDtype(Precision precision, const std::string& resolvedDevice)
{
    if (precision == Precision::Auto)
        return defaultDtype(resolvedDevice);
    return precisionName(precision);
}

std::string resolveDtype(const std::string& dtype, const std::string& resolvedDevice)
{
    return resolveDtype(dtype.empty() ? Precision::Auto : parseChoice<Precision>(dtype), resolvedDevice);
}

std::string torchVersionString()
{
    std::string s = "LibTorch " TORCH_VERSION;
#ifdef KASKADE_HAVE_CUDA
    s += " (CUDA)";
#else
    s += " (CPU)";
#endif
    return s;
}

} // namespace kaskade
