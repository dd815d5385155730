#pragma once
// Safetensors reading (memory-mapped, zero-copy where possible) and writing. The format and the header
// parser (DType, TensorInfo) are in safetensors_header.h.

#include "pipeline/io/safetensors_header.h"

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

at::ScalarType toScalarType(DType dtype) noexcept; // at::kFloat ...
DType fromScalarType(at::ScalarType type);         // throws Unsupported for other types

// An open, validated, memory-mapped file. Every structural problem is found in open() and
// reported as Error(BadFormat) with the file name and the problem.
class Reader : public std::enable_shared_from_this<Reader>
{
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
    // for its dtype (the view keeps this Reader alive; the mapping is private copy-on-write: writes never reach the
    // file), otherwise a copy. Throws Error(BadCheckpoint) naming the file when the tensor is absent.
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
