#pragma once
// Safetensors reading (memory-mapped, zero-copy where possible) and writing.
// Format: 8-byte little-endian header length N, N bytes of JSON
//   {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
// then the data area; offsets are relative to the start of the data area.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kaskade {

// Ordered by name so that reports and writers are deterministic.
using TensorMap = std::map<std::string, at::Tensor>;

namespace st {

enum class DType : std::uint8_t { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL };

const char* dtypeName(DType dtype) noexcept;       // "F32"
std::size_t dtypeSize(DType dtype) noexcept;       // bytes per element
at::ScalarType toScalarType(DType dtype) noexcept; // at::kFloat ...
DType fromScalarType(at::ScalarType type);         // throws Unsupported for other types

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0; // byte offsets inside the data area
    std::uint64_t end = 0;
    std::int64_t numel() const;
};

// An open, validated, memory-mapped file. Every structural problem is found in open() and
// reported as Error(BadFormat) with the file name and the problem.
class Reader : public std::enable_shared_from_this<Reader> {
public:
    static std::shared_ptr<Reader> open(const std::filesystem::path& path);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::uint64_t fileSize() const { return fileSize_; }
    const std::vector<TensorInfo>& tensors() const { return tensors_; } // in data-offset order
    const TensorInfo* find(std::string_view name) const;                // nullptr when absent
    const std::map<std::string, std::string>& metadata() const { return metadata_; }

    // A CPU tensor of the stored dtype. Zero-copy view into the mapping when the data is aligned
    // for its dtype (the view keeps this Reader alive; the memory is read-only: never write to it),
    // otherwise a copy. Throws Error(BadCheckpoint) naming the file when the tensor is absent.
    at::Tensor tensor(std::string_view name) const;
    TensorMap loadAll() const;

private:
    Reader() = default;
    std::filesystem::path path_;
    std::uint64_t fileSize_ = 0;
    std::uint64_t dataStart_ = 0;
    const std::uint8_t* map_ = nullptr;
    std::vector<TensorInfo> tensors_;
    std::map<std::string, std::size_t> index_;
    std::map<std::string, std::string> metadata_;
};

// Writes tensors (any CPU/GPU tensor; stored contiguous, little endian) atomically: a temporary file
// next to `path` is renamed over it on success, so a failure (disk full) leaves no partial file.
void write(const std::filesystem::path& path, const TensorMap& tensors,
           const std::map<std::string, std::string>& metadata = {});

} // namespace st
} // namespace kaskade
