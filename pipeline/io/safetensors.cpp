#include "pipeline/io/safetensors.h"

#include "pipeline/errors.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <set>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static_assert(std::endian::native == std::endian::little, "safetensors data is little endian");

namespace kaskade::st {

namespace {

constexpr std::uint64_t kMaxHeader = 100ull * 1000 * 1000; // the official format's limit (100 MB)

struct DTypeRow
{
    DType dtype;
    const char* name;
    std::size_t size;
    at::ScalarType scalar;
};

constexpr DTypeRow kDTypes[] = {
    {DType::F64, "F64", 8, at::kDouble},     {DType::F32, "F32", 4, at::kFloat}, {DType::F16, "F16", 2, at::kHalf},
    {DType::BF16, "BF16", 2, at::kBFloat16}, {DType::I64, "I64", 8, at::kLong},  {DType::I32, "I32", 4, at::kInt},
    {DType::I16, "I16", 2, at::kShort},      {DType::I8, "I8", 1, at::kChar},    {DType::U8, "U8", 1, at::kByte},
    {DType::BOOL, "BOOL", 1, at::kBool},
};

const DTypeRow& row(DType dtype) noexcept
{
    return kDTypes[static_cast<std::size_t>(dtype)];
}

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what)
{
    throw Error(ErrorCode::BadFormat, path.string() + ": " + what);
}

std::string sysError()
{
    return std::strerror(errno);
}

std::uint64_t readLength(const std::uint8_t* p)
{
    std::uint64_t n = 0;
    std::memcpy(&n, p, sizeof n); // little endian host (static_assert above)
    return n;
}

// Parses the header JSON, refusing duplicate keys at any depth (nlohmann would silently keep one).
nlohmann::json parseHeader(const std::filesystem::path& path, const char* begin, const char* end)
{
    std::vector<std::set<std::string>> open;
    std::string duplicate;
    auto callback = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using E = nlohmann::json::parse_event_t;
        if (event == E::object_start) {
            open.emplace_back();
        } else if (event == E::object_end) {
            if (!open.empty())
                open.pop_back();
        } else if (event == E::key && !open.empty() && parsed.is_string()) {
            if (!open.back().insert(parsed.get<std::string>()).second && duplicate.empty())
                duplicate = parsed.get<std::string>();
        }
        return true;
    };
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(begin, end, callback);
    } catch (const nlohmann::json::exception& e) {
        fail(path, std::string("header is not valid JSON (") + e.what() + ")");
    }
    if (!duplicate.empty())
        fail(path, "duplicate name '" + duplicate + "' in the header");
    if (!header.is_object())
        fail(path, "header is not a JSON object");
    return header;
}

DType parseDType(const std::filesystem::path& path, const std::string& name, const nlohmann::json& value)
{
    if (!value.is_string())
        fail(path, "tensor '" + name + "': dtype is not a string");
    const auto text = value.get<std::string>();
    for (const auto& r : kDTypes)
        if (text == r.name)
            return r.dtype;
    fail(path, "tensor '" + name + "': unknown dtype '" + text + "'");
}

std::uint64_t asUnsigned(const nlohmann::json& value, bool& ok)
{
    ok = value.is_number_unsigned() || (value.is_number_integer() && value.get<std::int64_t>() >= 0);
    return ok ? value.get<std::uint64_t>() : 0;
}

TensorInfo parseEntry(const std::filesystem::path& path, const std::string& name, const nlohmann::json& entry)
{
    if (!entry.is_object())
        fail(path, "tensor '" + name + "': entry is not an object");
    for (const char* field : {"dtype", "shape", "data_offsets"})
        if (!entry.contains(field))
            fail(path, "tensor '" + name + "': '" + field + "' is missing");
    TensorInfo info;
    info.name = name;
    info.dtype = parseDType(path, name, entry["dtype"]);

    const auto& shape = entry["shape"];
    if (!shape.is_array())
        fail(path, "tensor '" + name + "': shape is not an array");
    std::uint64_t bytes = dtypeSize(info.dtype);
    bool overflow = false;
    for (const auto& dim : shape) {
        bool ok = false;
        const auto d = asUnsigned(dim, ok);
        if (!ok || d > static_cast<std::uint64_t>(INT64_MAX))
            fail(path, "tensor '" + name + "': shape " + shape.dump() + " is not a list of non-negative integers");
        info.shape.push_back(static_cast<std::int64_t>(d));
        if (d != 0 && bytes > UINT64_MAX / d)
            overflow = true;
        else
            bytes *= d;
    }

    const auto& offsets = entry["data_offsets"];
    bool okBegin = false, okEnd = false;
    if (offsets.is_array() && offsets.size() == 2) {
        info.begin = asUnsigned(offsets[0], okBegin);
        info.end = asUnsigned(offsets[1], okEnd);
    }
    if (!okBegin || !okEnd)
        fail(path, "tensor '" + name + "': data_offsets " + offsets.dump() + " is not two non-negative integers");
    if (info.end < info.begin)
        fail(path, "tensor '" + name + "': data_offsets end < begin " + offsets.dump());
    const bool empty = std::find(info.shape.begin(), info.shape.end(), 0) != info.shape.end();
    if (empty) { // any overflow above is moot: the tensor holds nothing
        bytes = 0;
        overflow = false;
    }
    if (overflow || bytes != info.end - info.begin)
        fail(path, "tensor '" + name + "': shape " + shape.dump() + " x " + dtypeName(info.dtype) + " needs " +
                       (overflow ? std::string("too many") : std::to_string(bytes)) + " bytes but data_offsets " +
                       offsets.dump() + " hold " + std::to_string(info.end - info.begin));
    return info;
}

std::map<std::string, std::string> parseMetadata(const std::filesystem::path& path, const nlohmann::json& value)
{
    if (!value.is_object())
        fail(path, "__metadata__ is not an object");
    std::map<std::string, std::string> metadata;
    for (const auto& [key, v] : value.items()) {
        if (!v.is_string())
            fail(path, "__metadata__ value of '" + key + "' is not a string");
        metadata[key] = v.get<std::string>();
    }
    return metadata;
}

} // namespace

const char* dtypeName(DType dtype) noexcept
{
    return row(dtype).name;
}

std::size_t dtypeSize(DType dtype) noexcept
{
    return row(dtype).size;
}

at::ScalarType toScalarType(DType dtype) noexcept
{
    return row(dtype).scalar;
}

DType fromScalarType(at::ScalarType type)
{
    for (const auto& r : kDTypes)
        if (r.scalar == type)
            return r.dtype;
    throw Error(ErrorCode::Unsupported, std::string("safetensors: unsupported tensor dtype ") + c10::toString(type));
}

std::int64_t TensorInfo::numel() const
{
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

std::shared_ptr<Reader> Reader::open(const std::filesystem::path& path)
{
    std::shared_ptr<Reader> reader(new Reader());
    reader->path_ = path;

    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            throw Error(ErrorCode::FileNotFound, path.string() + ": file not found");
        throw Error(ErrorCode::FileIo, path.string() + ": cannot open (" + sysError() + ")");
    }
    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0) {
        const auto why = sysError();
        ::close(fd);
        throw Error(ErrorCode::FileIo, path.string() + ": cannot stat (" + why + ")");
    }
    if (S_ISDIR(info.st_mode)) {
        ::close(fd);
        throw Error(ErrorCode::FileIo, path.string() + ": is a directory, not a safetensors file");
    }
    const auto size = static_cast<std::uint64_t>(info.st_size);
    if (size == 0) {
        ::close(fd);
        fail(path, "empty file");
    }
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    const auto why = sysError();
    ::close(fd); // the mapping stays valid
    if (map == MAP_FAILED)
        throw Error(ErrorCode::FileIo, path.string() + ": cannot memory-map (" + why + ")");
    reader->map_ = static_cast<const std::uint8_t*>(map);
    reader->fileSize_ = size; // from here on the destructor unmaps

    if (size < 8)
        fail(path, "file too short (" + std::to_string(size) + " bytes) for the 8-byte header length");
    const auto headerLength = readLength(reader->map_);
    if (headerLength > kMaxHeader)
        fail(path,
             "header length " + std::to_string(headerLength) + " is over the 100 MB limit (not a safetensors file?)");
    if (headerLength > size - 8)
        fail(path, "header length " + std::to_string(headerLength) + " is larger than the file (" +
                       std::to_string(size) + " bytes)");
    reader->dataStart_ = 8 + headerLength;

    const auto* text = reinterpret_cast<const char*>(reader->map_ + 8);
    const auto header = parseHeader(path, text, text + headerLength);
    for (const auto& [name, value] : header.items()) {
        if (name == "__metadata__")
            reader->metadata_ = parseMetadata(path, value);
        else
            reader->tensors_.push_back(parseEntry(path, name, value));
    }

    // The data area must be covered exactly: sorted ranges that touch, ending at the end of the file.
    auto& tensors = reader->tensors_;
    std::sort(tensors.begin(), tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    const std::uint64_t dataSize = size - reader->dataStart_;
    std::uint64_t covered = 0;
    const TensorInfo* previous = nullptr;
    for (const auto& t : tensors) {
        if (t.end > dataSize)
            fail(path, "tensor '" + t.name + "': data range [" + std::to_string(t.begin) + ", " +
                           std::to_string(t.end) + ") is out of bounds of the " + std::to_string(dataSize) +
                           "-byte data area (truncated file?)");
        if (t.begin < covered)
            fail(path, "tensor '" + t.name + "' overlaps tensor '" + previous->name + "'");
        if (t.begin > covered)
            fail(path, "gap of " + std::to_string(t.begin - covered) + " bytes before tensor '" + t.name + "'");
        covered = t.end;
        previous = &t;
    }
    if (covered < dataSize)
        fail(path, std::to_string(dataSize - covered) + " unused bytes after the last tensor");

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
