// libFuzzer harness: checkpoint and LoRA recognition from tensor names and shapes (inspect.cpp: which
// model, layout, variant; LoRA formats) and the model-folder scan (model_set.cpp) over such a file.
// Input: lines "name<TAB>d0,d1,..." (BF16 tensors). Recognition runs in memory on every input, from the
// header those lines describe, so the fuzzer explores names and shapes rather than the byte layout (which
// fuzz_safetensors_header covers). For one input in 32 (chosen by a hash of its bytes, so a saved input
// reproduces) the header is also written as a sparse safetensors file, read back through the file path
// (which must describe it the same way) and its folder scanned: a file write and a directory walk run
// ~100 times slower than recognition, which would otherwise set the pace.
#include "pipeline/errors.h"
#include "pipeline/io/safetensors_header.h"
#include "pipeline/loading/inspect.h"
#include "pipeline/loading/model_set.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using kaskade::st::Header;

// The tensors the lines describe, packed one after another in a data area that is only claimed. Repeated
// names and "__metadata__" are skipped (a file cannot hold them), as are tensors above 64 MiB (checked
// before multiplying, so shapes cannot overflow) to keep the sparse file small.
Header headerFromLines(std::string_view input)
{
    Header header;
    std::set<std::string> names;
    std::uint64_t offset = 0;
    std::istringstream lines{std::string(input)};
    std::string line;
    while (std::getline(lines, line) && names.size() < 4096) {
        const auto tab = line.find('\t');
        const std::string name = line.substr(0, tab);
        if (name.empty() || name == "__metadata__" || !names.insert(name).second)
            continue;
        std::vector<std::int64_t> shape;
        std::uint64_t bytes = 2;
        bool small = true;
        std::istringstream dims(tab == std::string::npos ? std::string() : line.substr(tab + 1));
        std::string dim;
        while (std::getline(dims, dim, ',') && shape.size() < 6) {
            const auto d = std::strtoll(dim.c_str(), nullptr, 10) % 100000;
            shape.push_back(d < 0 ? -d : d);
            const auto extent = static_cast<std::uint64_t>(shape.back());
            small = small && (extent == 0 || bytes <= (std::uint64_t{64} << 20) / extent);
            bytes = small ? bytes * extent : 0;
        }
        if (!small)
            continue;
        header.tensors.push_back({name, kaskade::st::DType::BF16, shape, offset, offset + bytes});
        offset += bytes;
    }
    return header;
}

// Writes `header` as a safetensors file; false when a name cannot be written (not UTF-8).
bool writeSparseFile(const fs::path& file, Header& header)
{
    nlohmann::json json = nlohmann::json::object();
    std::string text;
    try {
        for (const auto& t : header.tensors)
            json[t.name] = {{"dtype", "BF16"}, {"shape", t.shape}, {"data_offsets", {t.begin, t.end}}};
        text = json.dump();
    } catch (const nlohmann::json::exception&) {
        return false;
    }
    const std::uint64_t length = text.size();
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(&length), sizeof length);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
    const std::uint64_t data = header.tensors.empty() ? 0 : header.tensors.back().end;
    header.dataStart = 8 + length;
    header.fileSize = header.dataStart + data;
    fs::resize_file(file, header.fileSize); // the data area as a hole
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const fs::path dir = [] {
        auto d = fs::temp_directory_path() / ("kaskade_fuzz_names_" + std::to_string(::getpid()));
        fs::create_directories(d);
        return d;
    }();
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    Header header = headerFromLines(input);
    const fs::path file = dir / "model.safetensors";
    std::string inMemory;
    try {
        inMemory = kaskade::inspectHeader(file, header).description;
    } catch (const kaskade::Error&) {
    }
    if (std::hash<std::string_view>{}(input) % 32 != 0 || !writeSparseFile(file, header))
        return 0;
    try {
        const auto report = kaskade::inspectFile(file);
        if (report.description != inMemory) // the file path must see what the lines described
            __builtin_trap();
    } catch (const kaskade::Error&) {
    }
    try {
        (void)kaskade::findModelSet(dir);
    } catch (const kaskade::Error&) {
    }
    return 0;
}
