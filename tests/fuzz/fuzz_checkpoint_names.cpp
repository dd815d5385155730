// libFuzzer harness: checkpoint and LoRA recognition from tensor names and shapes (inspect.cpp: which
// model, layout, variant; LoRA formats) and the model-folder scan (model_set.cpp) over the file.
// Input: lines "name<TAB>d0,d1,..." (BF16 tensors); the harness writes a valid, sparse safetensors file
// with that header, so the fuzzer explores names and shapes rather than the byte layout (which
// fuzz_safetensors_header covers).
#include "pipeline/errors.h"
#include "pipeline/loading/inspect.h"
#include "pipeline/loading/model_set.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <unistd.h>

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const fs::path dir = [] {
        auto d = fs::temp_directory_path() / ("kaskade_fuzz_names_" + std::to_string(::getpid()));
        fs::create_directories(d);
        return d;
    }();
    nlohmann::json header = nlohmann::json::object();
    std::set<std::string> names;
    std::uint64_t offset = 0;
    std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
    std::string line;
    while (std::getline(lines, line) && names.size() < 4096) {
        const auto tab = line.find('\t');
        const std::string name = line.substr(0, tab);
        if (name.empty() || name == "__metadata__" || !names.insert(name).second)
            continue;
        std::vector<std::int64_t> shape;
        std::uint64_t bytes = 2;
        std::istringstream dims(tab == std::string::npos ? std::string() : line.substr(tab + 1));
        std::string dim;
        while (std::getline(dims, dim, ',') && shape.size() < 6) {
            const auto d = std::strtoll(dim.c_str(), nullptr, 10) % 100000;
            shape.push_back(d < 0 ? -d : d);
            bytes *= static_cast<std::uint64_t>(shape.back());
        }
        if (bytes > (64u << 20))
            continue; // keep the sparse file small
        try {
            header[name] = {{"dtype", "BF16"}, {"shape", shape}, {"data_offsets", {offset, offset + bytes}}};
        } catch (const nlohmann::json::exception&) {
            continue; // a name that is not UTF-8
        }
        offset += bytes;
    }
    std::string text;
    try {
        text = header.dump();
    } catch (const nlohmann::json::exception&) {
        return 0;
    }
    const fs::path file = dir / "model.safetensors";
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        const std::uint64_t length = text.size();
        out.write(reinterpret_cast<const char*>(&length), sizeof length);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
    fs::resize_file(file, 8 + text.size() + offset); // the data area as a hole
    try {
        (void)kaskade::inspectFile(file);
    } catch (const kaskade::Error&) {
    }
    try {
        (void)kaskade::findModelSet(dir);
    } catch (const kaskade::Error&) {
    }
    return 0;
}
