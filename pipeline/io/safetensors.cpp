#include "pipeline/io/safetensors.h"

#include "pipeline/errors.h"
#include "pipeline/io/safe_files.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static_assert(std::endian::native == std::endian::little, "safetensors data is little endian");

namespace kaskade::st {

namespace {

struct ScalarRow
{
    DType dtype;
    at::ScalarType scalar;
};

constexpr ScalarRow kScalarTypes[] = {
    {DType::F64, at::kDouble}, {DType::F32, at::kFloat}, {DType::F16, at::kHalf},  {DType::BF16, at::kBFloat16},
    {DType::I64, at::kLong},   {DType::I32, at::kInt},   {DType::I16, at::kShort}, {DType::I8, at::kChar},
    {DType::U8, at::kByte},    {DType::BOOL, at::kBool},
};

std::string sysError()
{
    return std::strerror(errno);
}

} // namespace

at::ScalarType toScalarType(DType dtype) noexcept
{
    return kScalarTypes[static_cast<std::size_t>(dtype)].scalar;
}

DType fromScalarType(at::ScalarType type)
{
    for (const auto& r : kScalarTypes)
        if (r.scalar == type)
            return r.dtype;
    throw Error(ErrorCode::Unsupported, std::string("safetensors: unsupported tensor dtype ") + c10::toString(type));
}

std::shared_ptr<Reader> Reader::open(const std::filesystem::path& path)
{
    std::shared_ptr<Reader> reader(new Reader());
    reader->path_ = path;

    // Refuses folders, FIFOs and devices before opening (a FIFO would block open() forever).
    const int fd = io::openRegularFile(path);
    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0) {
        const auto why = sysError();
        ::close(fd);
        throw Error(ErrorCode::FileIo, path.string() + ": cannot stat (" + why + ")");
    }
    const auto size = static_cast<std::uint64_t>(info.st_size);
    if (size == 0) {
        ::close(fd);
        throw Error(ErrorCode::BadFormat, path.string() + ": empty file (size 0; /proc-style virtual files report 0 "
                                                          "too): not a safetensors file");
    }
    // Writable private mapping: tensors viewing it may become module weights (zero-copy loading) that a
    // LoRA merge later changes in place; such writes go to private copy-on-write pages, never to the file.
    void* map = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    const auto why = sysError();
    ::close(fd); // the mapping stays valid
    if (map == MAP_FAILED)
        throw Error(ErrorCode::FileIo, path.string() + ": cannot memory-map (" + why + ")");
    reader->map_ = static_cast<const std::uint8_t*>(map);
    reader->fileSize_ = size; // from here on the destructor unmaps

    Header header = parseHeader(path, reader->map_, size);
    reader->dataStart_ = header.dataStart;
    reader->tensors_ = std::move(header.tensors);
    reader->metadata_ = std::move(header.metadata);
    const auto& tensors = reader->tensors_;
    for (std::size_t i = 0; i < tensors.size(); ++i)
        reader->index_.emplace(tensors[i].name, i);
    return reader;
}

Reader::~Reader()
{
    if (map_)
        ::munmap(const_cast<std::uint8_t*>(map_), fileSize_);
}

const TensorInfo* Reader::find(std::string_view name) const
{
    const auto it = index_.find(std::string(name));
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

at::Tensor Reader::tensor(std::string_view name) const
{
    const auto* info = find(name);
    if (!info)
        throw Error(ErrorCode::BadCheckpoint, path_.string() + ": no tensor named '" + std::string(name) + "'");
    const auto options = at::TensorOptions().dtype(toScalarType(info->dtype)).device(at::kCPU);
    if (info->begin == info->end)
        return at::empty(info->shape, options);
    const std::uint8_t* data = map_ + dataStart_ + info->begin;
    if (reinterpret_cast<std::uintptr_t>(data) % dtypeSize(info->dtype) == 0) {
        auto self = shared_from_this();
        return at::from_blob(
            const_cast<std::uint8_t*>(data), info->shape, [self](void*) {}, options);
    }
    auto copy = at::empty(info->shape, options);
    std::memcpy(copy.data_ptr(), data, info->end - info->begin);
    return copy;
}

TensorMap Reader::loadAll() const
{
    TensorMap all;
    for (const auto& t : tensors_)
        all.emplace(t.name, tensor(t.name));
    return all;
}

namespace {

// Writes all of `size` bytes, retrying short writes; false with errno set on failure.
bool writeAll(int fd, const void* data, std::size_t size)
{
    const auto* p = static_cast<const std::uint8_t*>(data);
    while (size > 0) {
        const auto n = ::write(fd, p, std::min<std::size_t>(size, 1u << 30));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

} // namespace

void write(const std::filesystem::path& path, const TensorMap& tensors,
           const std::map<std::string, std::string>& metadata)
{
    std::vector<at::Tensor> data;
    data.reserve(tensors.size());
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (const auto& [name, tensor] : tensors) {
        if (name == "__metadata__")
            throw Error(ErrorCode::InvalidArgument, path.string() + ": '__metadata__' cannot be a tensor name");
        if (!tensor.defined())
            throw Error(ErrorCode::InvalidArgument, path.string() + ": tensor '" + name + "' is undefined");
        if (tensor.is_meta())
            throw Error(ErrorCode::InvalidArgument, path.string() + ": tensor '" + name + "' has no data (meta)");
        const auto dtype = fromScalarType(tensor.scalar_type());
        auto cpu = tensor.to(at::kCPU).contiguous();
        const auto bytes = static_cast<std::uint64_t>(cpu.numel()) * dtypeSize(dtype);
        header[name] = {
            {"dtype", dtypeName(dtype)}, {"shape", cpu.sizes().vec()}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
        data.push_back(std::move(cpu));
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' '); // keeps the data area 8-byte aligned
    const std::uint64_t length = text.size();

    auto temp = path;
    temp += ".tmp" + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(ErrorCode::FileIo, path.string() + ": cannot create (" + sysError() + ")");
    bool ok = writeAll(fd, &length, sizeof length) && writeAll(fd, text.data(), text.size());
    for (std::size_t i = 0; ok && i < data.size(); ++i)
        if (data[i].numel() > 0)
            ok = writeAll(fd, data[i].data_ptr(), data[i].numel() * data[i].element_size());
    ok = ok && ::fsync(fd) == 0;
    const auto why = sysError();
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
        const auto reason = ok ? sysError() : why;
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
        throw Error(ErrorCode::FileIo, path.string() + ": cannot write (" + reason + ")");
    }
}

} // namespace kaskade::st
