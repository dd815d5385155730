// libFuzzer harness: the safetensors header parser (length prefix, depth-checked JSON, entries, layout).
// Any input must end in a parsed header or kaskade::Error; crashes, hangs and other exceptions are bugs.
#include "pipeline/errors.h"
#include "pipeline/io/safetensors_header.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const auto header = kaskade::st::parseHeader("fuzz.safetensors", data, size);
        // What callers do with a valid header: sizes must agree with the data area.
        std::uint64_t bytes = 0;
        for (const auto& t : header.tensors)
            bytes += t.end - t.begin;
        if (header.dataStart + bytes != size)
            __builtin_trap();
    } catch (const kaskade::Error&) {
    }
    return 0;
}
