#pragma once
// The safetensors header, parsed and validated without LibTorch (the fuzz harness builds it alone).
// Format: 8-byte little-endian header length N, N bytes of JSON
//   {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
// then the data area; offsets are relative to the start of the data area.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kaskade::st {

enum class DType : std::uint8_t { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

const char* dtypeName(DType dtype) noexcept; // "F32"
std::size_t dtypeSize(DType dtype) noexcept; // bytes per element

struct TensorInfo
{
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0; // byte offsets inside the data area
    std::uint64_t end = 0;
    std::int64_t numel() const;
};

struct Header
{
    std::vector<TensorInfo> tensors; // in data-offset order
    std::map<std::string, std::string> metadata;
    std::uint64_t dataStart = 0; // 8 + N
    std::uint64_t fileSize = 0;
};

// Validates a whole file's layout from its first bytes: `bytes` holds at least min(size, 8 + N) bytes of a
// file of `size` bytes. Every problem (bad length, JSON nested too deep or invalid, duplicate names, bad
// dtype/shape/offsets, gaps, overlaps, truncation) throws Error(BadFormat) naming `path`. Linear in the
// header size apart from one sort.
Header parseHeader(const std::filesystem::path& path, const std::uint8_t* bytes, std::uint64_t size);

// Reads and validates only the header of a file (8 + N bytes, not the data): what inspection and folder
// scans need. Refuses non-regular files before opening them; throws Error like parseHeader.
Header readHeader(const std::filesystem::path& path);

} // namespace kaskade::st
