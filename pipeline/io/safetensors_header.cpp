#include "pipeline/io/safetensors_header.h"

#include "pipeline/errors.h"
#include "pipeline/io/safe_files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include <sys/stat.h>
#include <unistd.h>

namespace kaskade::st {
namespace {

constexpr std::uint64_t kHeaderMaxLength = 100ull * 1000 * 1000; // the official format's limit (100 MB)

struct HeaderDTypeRow
{
    DType dtype;
    const char* name;
    std::size_t size;
};

constexpr HeaderDTypeRow kHeaderDTypes[] = {
    {DType::F64, "F64", 8}, {DType::F32, "F32", 4},   {DType::F16, "F16", 2}, {DType::BF16, "BF16", 2},
    {DType::I64, "I64", 8}, {DType::I32, "I32", 4},   {DType::I16, "I16", 2}, {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},   {DType::BOOL, "BOOL", 1},
};

[[noreturn]] void headerFail(const std::filesystem::path& path, const std::string& what)
{
    throw Error(ErrorCode::BadFormat, path.string() + ": " + what);
}

// A SAX pass that only looks for duplicate names at any depth (nlohmann's DOM keeps one silently). Not
// nlohmann's parse callback: its end_object() scans the whole parent object after every member, which
// makes a header of n tensors O(n^2) (200,000 tensors took minutes).
struct HeaderDuplicateScan final : nlohmann::json_sax<nlohmann::json>
{
    std::vector<std::set<std::string>> objects;
    std::string duplicate;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override
    {
        objects.emplace_back();
        return true;
    }
    bool key(string_t& name) override
    {
        if (!objects.back().insert(name).second && duplicate.empty())
            duplicate = name;
        return true;
    }
    bool end_object() override
    {
        objects.pop_back();
        return true;
    }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override
    {
        return false; // the DOM parse below reports it with its message
    }
};

// Parses the header JSON: depth bounded first, duplicate names refused, then the (linear) DOM parse.
nlohmann::json headerJson(const std::filesystem::path& path, const char* begin, const char* end)
{
    // nlohmann's DOM and dump() recurse per nesting level: bound the depth first (a linear scan).
    if (io::jsonDepth(std::string_view(begin, static_cast<std::size_t>(end - begin))) > io::kMaxJsonDepth)
        headerFail(path, "header JSON is nested deeper than " + std::to_string(io::kMaxJsonDepth) +
                             " levels (not a safetensors file)");
    HeaderDuplicateScan scan;
    const bool wellFormed = nlohmann::json::sax_parse(begin, end, &scan, nlohmann::json::input_format_t::json, false);
    if (wellFormed && !scan.duplicate.empty())
        headerFail(path, "duplicate name '" + scan.duplicate.substr(0, 200) + "' in the header");
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(begin, end);
    } catch (const nlohmann::json::exception& e) {
        headerFail(path, std::string("header is not valid JSON (") + e.what() + ")");
    }
    if (!header.is_object())
        headerFail(path, "header is not a JSON object");
    return header;
}

DType headerDType(const std::filesystem::path& path, const std::string& name, const nlohmann::json& value)
{
    if (!value.is_string())
        headerFail(path, "tensor '" + name + "': dtype is not a string");
    const auto text = value.get<std::string>();
    for (const auto& r : kHeaderDTypes)
        if (text == r.name)
            return r.dtype;
    headerFail(path, "tensor '" + name + "': unknown dtype '" + text.substr(0, 40) + "'");
}

std::uint64_t headerUnsigned(const nlohmann::json& value, bool& ok)
{
    ok = value.is_number_unsigned() || (value.is_number_integer() && value.get<std::int64_t>() >= 0);
    return ok ? value.get<std::uint64_t>() : 0;
}

// Short JSON text for messages: a hostile header may hold megabytes in one field.
std::string headerExcerpt(const nlohmann::json& value)
{
    std::string text = value.dump();
    return text.size() > 80 ? text.substr(0, 77) + "..." : text;
}

TensorInfo headerEntry(const std::filesystem::path& path, const std::string& name, const nlohmann::json& entry)
{
    if (!entry.is_object())
        headerFail(path, "tensor '" + name + "': entry is not an object");
    for (const char* field : {"dtype", "shape", "data_offsets"})
        if (!entry.contains(field))
            headerFail(path, "tensor '" + name + "': '" + field + "' is missing");
    TensorInfo info;
    info.name = name;
    info.dtype = headerDType(path, name, entry["dtype"]);

    const auto& shape = entry["shape"];
    if (!shape.is_array())
        headerFail(path, "tensor '" + name + "': shape is not an array");
    std::uint64_t bytes = dtypeSize(info.dtype);
    bool overflow = false;
    for (const auto& dim : shape) {
        bool ok = false;
        const auto d = headerUnsigned(dim, ok);
        if (!ok || d > static_cast<std::uint64_t>(INT64_MAX))
            headerFail(path, "tensor '" + name + "': shape " + headerExcerpt(shape) +
                                 " is not a list of non-negative integers");
        info.shape.push_back(static_cast<std::int64_t>(d));
        if (d != 0 && bytes > UINT64_MAX / d)
            overflow = true;
        else
            bytes *= d;
    }

    const auto& offsets = entry["data_offsets"];
    bool okBegin = false, okEnd = false;
    if (offsets.is_array() && offsets.size() == 2) {
        info.begin = headerUnsigned(offsets[0], okBegin);
        info.end = headerUnsigned(offsets[1], okEnd);
    }
    if (!okBegin || !okEnd)
        headerFail(path, "tensor '" + name + "': data_offsets " + headerExcerpt(offsets) +
                             " is not two non-negative integers");
    if (info.end < info.begin)
        headerFail(path, "tensor '" + name + "': data_offsets end < begin " + headerExcerpt(offsets));
    const bool empty = std::find(info.shape.begin(), info.shape.end(), 0) != info.shape.end();
    if (empty) { // any overflow above is moot: the tensor holds nothing
        bytes = 0;
        overflow = false;
    }
    if (overflow || bytes != info.end - info.begin)
        headerFail(path, "tensor '" + name + "': shape " + headerExcerpt(shape) + " x " + dtypeName(info.dtype) +
                             " needs " + (overflow ? std::string("too many") : std::to_string(bytes)) +
                             " bytes but data_offsets " + headerExcerpt(offsets) + " hold " +
                             std::to_string(info.end - info.begin));
    return info;
}

std::map<std::string, std::string> headerMetadata(const std::filesystem::path& path, const nlohmann::json& value)
{
    if (!value.is_object())
        headerFail(path, "__metadata__ is not an object");
    std::map<std::string, std::string> metadata;
    for (const auto& [key, v] : value.items()) {
        if (!v.is_string())
            headerFail(path, "__metadata__ value of '" + key + "' is not a string");
        metadata[key] = v.get<std::string>();
    }
    return metadata;
}

} // namespace

const char* dtypeName(DType dtype) noexcept
{
    return kHeaderDTypes[static_cast<std::size_t>(dtype)].name;
}

std::size_t dtypeSize(DType dtype) noexcept
{
    return kHeaderDTypes[static_cast<std::size_t>(dtype)].size;
}

std::int64_t TensorInfo::numel() const
{
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

Header parseHeader(const std::filesystem::path& path, const std::uint8_t* bytes, std::uint64_t size)
{
    if (size < 8)
        headerFail(path, "file too short (" + std::to_string(size) + " bytes) for the 8-byte header length");
    std::uint64_t headerLength = 0;
    std::memcpy(&headerLength, bytes, sizeof headerLength); // little endian host (static_assert in safetensors.cpp)
    if (headerLength > kHeaderMaxLength)
        headerFail(path, "header length " + std::to_string(headerLength) +
                             " is over the 100 MB limit (not a safetensors file?)");
    if (headerLength > size - 8)
        headerFail(path, "header length " + std::to_string(headerLength) + " is larger than the file (" +
                             std::to_string(size) + " bytes)");
    Header out;
    out.dataStart = 8 + headerLength;
    out.fileSize = size;

    const auto* text = reinterpret_cast<const char*>(bytes + 8);
    const auto json = headerJson(path, text, text + headerLength);
    out.tensors.reserve(json.size());
    for (const auto& [name, value] : json.items()) {
        if (name == "__metadata__")
            out.metadata = headerMetadata(path, value);
        else
            out.tensors.push_back(headerEntry(path, name, value));
    }

    // The data area must be covered exactly: sorted ranges that touch, ending at the end of the file.
    auto& tensors = out.tensors;
    std::sort(tensors.begin(), tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    const std::uint64_t dataSize = size - out.dataStart;
    std::uint64_t covered = 0;
    const TensorInfo* previous = nullptr;
    for (const auto& t : tensors) {
        if (t.end > dataSize)
            headerFail(path, "tensor '" + t.name + "': data range [" + std::to_string(t.begin) + ", " +
                                 std::to_string(t.end) + ") is out of bounds of the " + std::to_string(dataSize) +
                                 "-byte data area (truncated file?)");
        if (t.begin < covered)
            headerFail(path, "tensor '" + t.name + "' overlaps tensor '" + previous->name + "'");
        if (t.begin > covered)
            headerFail(path, "gap of " + std::to_string(t.begin - covered) + " bytes before tensor '" + t.name + "'");
        covered = t.end;
        previous = &t;
    }
    if (covered < dataSize)
        headerFail(path, std::to_string(dataSize - covered) + " unused bytes after the last tensor");
    return out;
}

Header readHeader(const std::filesystem::path& path)
{
    const int fd = io::openRegularFile(path);
    struct HeaderFd
    {
        int fd;
        ~HeaderFd() { ::close(fd); }
    } closer{fd};
    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0)
        throw Error(ErrorCode::FileIo, path.string() + ": cannot stat (" + std::strerror(errno) + ")");
    const auto size = static_cast<std::uint64_t>(info.st_size);
    if (size == 0)
        headerFail(path, "empty file (size 0; /proc-style virtual files report 0 too): not a safetensors file");
    auto readAt = [&](std::uint8_t* into, std::uint64_t count, std::uint64_t offset) {
        while (count > 0) {
            const ssize_t n = ::pread(fd, into, count, static_cast<off_t>(offset));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw Error(ErrorCode::FileIo, path.string() + ": read error" +
                                                   (n < 0 ? std::string(" (") + std::strerror(errno) + ")" : ""));
            into += n;
            offset += static_cast<std::uint64_t>(n);
            count -= static_cast<std::uint64_t>(n);
        }
    };
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(std::min<std::uint64_t>(size, 8)));
    readAt(bytes.data(), bytes.size(), 0);
    if (size >= 8) {
        std::uint64_t length = 0;
        std::memcpy(&length, bytes.data(), sizeof length);
        if (length <= kHeaderMaxLength && length <= size - 8) { // else parseHeader reports it
            bytes.resize(static_cast<std::size_t>(8 + length));
            readAt(bytes.data() + 8, length, 8);
        }
    }
    return parseHeader(path, bytes.data(), size);
}

} // namespace kaskade::st
