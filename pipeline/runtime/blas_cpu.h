#pragma once
// OpenBLAS picks its matrix kernels from the CPU model when the library loads. A CPU newer than the
// installed OpenBLAS (e.g. Debian 12's 0.3.21 on a 2024 Xeon) is not recognised and gets the generic
// SSE3 "Prescott" kernels: fp32 GEMMs — the fp32 path and LoRA training — run ~5× slower (12 vs 66
// GFLOP/s per core measured). The only cure is OPENBLAS_CORETYPE in the environment before the library
// loads, so the entry points call this first: on such a misdetection it sets the variable for the
// instruction set the CPU has and re-executes the program (once; an explicit OPENBLAS_CORETYPE wins).

namespace kaskade::runtime {

// Returns only when nothing needs to change or the re-execution failed (the program then runs as before).
void reexecWithMatchingBlasCore(char** argv);

} // namespace kaskade::runtime
