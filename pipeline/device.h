#pragma once
// Devices and threads, decided in one place. Torch-free header.

#include "pipeline/choices.h"
#include "pipeline/limits.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kaskade {

// A device as the user names it: "auto", "cpu", "cuda" or "cuda:N" ("cuda" is "cuda:0").
struct DeviceChoice
{
    DeviceKind kind = DeviceKind::Auto;
    int index = 0; // CUDA only
    bool operator==(const DeviceChoice&) const = default;
};
// The one parser of device names (CLI, settings, metadata, bench): nullopt for anything else.
std::optional<DeviceChoice> parseDevice(std::string_view name);
// parseDevice that throws Error(InvalidArgument) naming the accepted forms.
DeviceChoice parseDeviceOrThrow(std::string_view name);
std::string deviceId(const DeviceChoice& device); // "auto", "cpu", "cuda:1"
std::string deviceIdList();                       // "auto, cpu, cuda or cuda:N" for help and messages

struct DeviceInfo
{
    std::string id;   // "cpu", "cuda:0"
    std::string name; // "AMD EPYC ...", "NVIDIA H100 80GB HBM3"
    std::uint64_t totalMemory = 0;
    std::uint64_t freeMemory = 0;
    bool bf16 = false;        // bf16 compute in hardware (CPU: avx512_bf16/amx_bf16; CUDA: sm80+)
    std::string defaultDtype; // what precision "auto" picks here: "bf16" or "fp32"
    int threads = 0;          // CPU: intra-op threads in use
};

std::vector<DeviceInfo> listDevices();
bool cudaAvailable();

// Intra-op threads for LibTorch (its default here is 1). n <= 0 = $KASKADE_THREADS, else the physical cores.
// Throws Error(InvalidArgument) above kMaxThreads.
constexpr int kMaxThreads = limits::threads.max;
void setThreads(int n);
int threadCount();
int physicalCoreCount(); // cores (not hyper-threads) this process may use

// auto → "cuda:0" when CUDA is available, else "cpu". Throws DeviceError for CUDA where there is none.
std::string resolveDevice(const DeviceChoice& device);
// The same for a name; throws InvalidArgument for a bad one.
std::string resolveDevice(const std::string& device);
// True when this CPU executes bf16 arithmetic in hardware (AVX512-BF16 or AMX-BF16), where oneDNN's
// bf16 kernels are 2-5x faster than fp32; elsewhere bf16 is emulated and slower than fp32.
// KASKADE_CPU_BF16=0/1 overrides the detection.
bool cpuHasNativeBf16();
// The precision "auto" picks on a resolved device: "bf16" on CUDA and on CPUs with native bf16, else "fp32".
std::string defaultDtype(const std::string& resolvedDevice);
// Auto → defaultDtype(). Returns "fp32", "bf16" or "fp16".
std::string resolveDtype(Precision precision, const std::string& resolvedDevice);
// The same for a name ("bfloat16" too); throws InvalidArgument for a bad one.
std::string resolveDtype(const std::string& dtype, const std::string& resolvedDevice);

// One-line LibTorch description: "LibTorch 1.13.0 (CPU)".
std::string torchVersionString();

} // namespace kaskade
