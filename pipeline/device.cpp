#include "pipeline/device.h"

#include "pipeline/errors.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/Context.h>
#include <torch/version.h>

#ifdef KASKADE_HAVE_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAFunctions.h>
#include <cuda_runtime_api.h>
#endif

#include <cstdlib>
#include <fstream>
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
            return line.find(" " + flag) != std::string::npos;
    return false;
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
    // oneDNN runs bf16 natively with avx512_bf16 / AMX; elsewhere it works but emulated (slow).
    cpu.bf16 = cpuHasFlag("avx512_bf16") || cpuHasFlag("amx_bf16");
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
            devices.push_back(d);
        }
    }
#endif
    return devices;
}

void setThreads(int n)
{
    if (n <= 0) {
        if (const char* env = std::getenv("KASKADE_THREADS"))
            n = std::atoi(env);
    }
    if (n <= 0)
        n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(n);
}

int threadCount() { return at::get_num_threads(); }

std::string resolveDevice(const std::string& device)
{
    if (device.empty() || device == "auto")
        return cudaAvailable() ? "cuda:0" : "cpu";
    if (device == "cpu")
        return device;
    if (device == "cuda" || device.rfind("cuda:", 0) == 0) {
        if (!cudaAvailable())
            throw Error(ErrorCode::DeviceError, "device '" + device + "' requested, but this build or machine has no CUDA "
                                                "(" + torchVersionString() + ")");
        return device == "cuda" ? "cuda:0" : device;
    }
    throw Error(ErrorCode::InvalidArgument, "unknown device '" + device + "' (use auto, cpu, cuda or cuda:N)");
}

std::string resolveDtype(const std::string& dtype, const std::string& resolvedDevice)
{
    if (dtype.empty() || dtype == "auto")
        return resolvedDevice == "cpu" ? "fp32" : "bf16";
    if (dtype == "fp32" || dtype == "float32")
        return "fp32";
    if (dtype == "bf16" || dtype == "bfloat16")
        return "bf16";
    if (dtype == "fp16" || dtype == "float16")
        return "fp16";
    throw Error(ErrorCode::InvalidArgument, "unknown precision '" + dtype + "' (use auto, fp32, bf16 or fp16)");
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
