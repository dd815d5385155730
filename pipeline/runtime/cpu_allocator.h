#pragma once
// A caching allocator for large CPU tensors. Torch-free header.
//
// LibTorch's default CPU allocator hands every block back to the kernel when a tensor dies, so each
// large temporary of a sampler step (hundreds of MB at 1024²) is page-faulted in, zeroed by the kernel
// and unmapped again, step after step. On a VM with page-table isolation that costs more than the
// arithmetic: adding 1 to a fresh 150 MB tensor took 270 ms here, 4.6 ms into a reused buffer. This
// allocator keeps freed large blocks (≥ 1 MiB, rounded to 2 MiB) and hands them out again for requests of
// at least half their size (best fit); small blocks go to the default allocator. Callers release the
// cache where the shapes change (after loading, between stages, between the decoder's levels).

#include <cstdint>

namespace kaskade {

struct CpuCacheStats
{
    std::uint64_t cachedBytes = 0; // free blocks held for reuse
    std::uint64_t liveBytes = 0;   // blocks in use by tensors
    std::uint64_t hits = 0, misses = 0;
};

// Installs the allocator as LibTorch's CPU allocator (once; later calls do nothing). Off when
// $KASKADE_CPU_CACHE is "0". Returns whether it is active.
bool installCpuCachingAllocator();
// Unmaps every cached free block (call after releasing a model, before loading the next).
void releaseCpuCache();
CpuCacheStats cpuCacheStats();

} // namespace kaskade
