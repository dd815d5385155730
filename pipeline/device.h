#pragma once
// Devices and threads, decided in one place. Torch-free header.

#include <cstdint>
#include <string>
#include <vector>

namespace kaskade {

struct DeviceInfo {
    std::string id;            // "cpu", "cuda:0"
    std::string name;          // "AMD EPYC ...", "NVIDIA H100 80GB HBM3"
    std::uint64_t totalMemory = 0;
    std::uint64_t freeMemory = 0;
    bool bf16 = false;         // bf16 compute supported (CPU: avx512_bf16/amx or slow emulation; CUDA: sm80+)
    int threads = 0;           // CPU: intra-op threads in use
};

std::vector<DeviceInfo> listDevices();
bool cudaAvailable();

// Intra-op threads for LibTorch (its default here is 1). n <= 0 = all cores (or $KASKADE_THREADS).
void setThreads(int n);
int threadCount();

// "auto" → "cuda:0" when CUDA is available, else "cpu". Throws InvalidArgument/DeviceError for bad names.
std::string resolveDevice(const std::string& device);
// "auto" → "bf16" on CUDA, "fp32" on CPU. Returns "fp32", "bf16" or "fp16".
std::string resolveDtype(const std::string& dtype, const std::string& resolvedDevice);

// One-line LibTorch description: "LibTorch 1.13.0 (CPU)".
std::string torchVersionString();

} // namespace kaskade
