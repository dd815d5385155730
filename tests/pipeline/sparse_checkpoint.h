#pragma once
// Test helper: real-size safetensors files that cost no disk. The header carries the real keys and shapes
// (tests/data/stable-cascade-keys.tsv, the 517 HF text-encoder keys of text-encoder.md §1.7), the data area
// is a hole made by truncating the file to its full length.

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kaskade::test {

struct KeyShape
{
    std::string name;
    std::vector<std::int64_t> shape;
    std::string dtype = "F32";
};
using KeyList = std::vector<KeyShape>;

inline std::filesystem::path testDataDir()
{
    const char* env = std::getenv("KASKADE_TEST_DATA");
    return env && *env ? std::filesystem::path(env) : std::filesystem::path(KASKADE_TEST_DATA);
}

// Keys of one model of the TSV ("stage_a", "stage_b_3B", "stage_b_700M", "stage_c_3.6B", "stage_c_1B",
// "previewer"), as stored in the F32 release files (num_batches_tracked: I64 scalars).
inline KeyList tsvKeys(const std::string& model)
{
    std::ifstream in(testDataDir() / "stable-cascade-keys.tsv");
    if (!in)
        throw std::runtime_error("stable-cascade-keys.tsv not found in " + testDataDir().string());
    KeyList keys;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream fields(line);
        std::string m, name, shape;
        std::getline(fields, m, '\t');
        std::getline(fields, name, '\t');
        std::getline(fields, shape);
        if (m != model)
            continue;
        KeyShape k{name, nlohmann::json::parse(shape).get<std::vector<std::int64_t>>()};
        if (name.ends_with("num_batches_tracked"))
            k.dtype = "I64";
        keys.push_back(k);
    }
    if (keys.empty())
        throw std::runtime_error("no keys for " + model + " in stable-cascade-keys.tsv");
    return keys;
}

// CLIP-bigG text encoder under HF names (text-encoder.md §1.7): 517 tensors.
inline KeyList textEncoderKeys(int hidden = 1280, int layers = 32, int vocab = 49408)
{
    const std::int64_t h = hidden, m = 4 * hidden;
    KeyList keys = {{"text_model.embeddings.token_embedding.weight", {vocab, h}},
                    {"text_model.embeddings.position_embedding.weight", {77, h}},
                    {"text_model.final_layer_norm.weight", {h}},
                    {"text_model.final_layer_norm.bias", {h}},
                    {"text_projection.weight", {h, h}}};
    for (int l = 0; l < layers; ++l) {
        const std::string p = "text_model.encoder.layers." + std::to_string(l) + ".";
        for (const char* proj : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
            keys.push_back({p + "self_attn." + proj + ".weight", {h, h}});
            keys.push_back({p + "self_attn." + proj + ".bias", {h}});
        }
        for (const char* ln : {"layer_norm1", "layer_norm2"}) {
            keys.push_back({p + ln + ".weight", {h}});
            keys.push_back({p + ln + ".bias", {h}});
        }
        keys.push_back({p + "mlp.fc1.weight", {m, h}});
        keys.push_back({p + "mlp.fc1.bias", {m}});
        keys.push_back({p + "mlp.fc2.weight", {h, m}});
        keys.push_back({p + "mlp.fc2.bias", {h}});
    }
    return keys;
}

// The EfficientNet encoder's identifying keys (the full file has 784; these are the ones detection reads).
inline KeyList effnetKeys()
{
    return {{"backbone.0.0.weight", {24, 3, 3, 3}},
            {"backbone.0.1.weight", {24}},
            {"backbone.1.0.block.0.0.weight", {24, 24, 3, 3}},
            {"backbone.1.0.block.0.1.num_batches_tracked", {}, "I64"},
            {"mapper.0.weight", {16, 1280, 1, 1}},
            {"mapper.1.running_mean", {16}},
            {"mapper.1.running_var", {16}},
            {"mapper.1.num_batches_tracked", {}, "I64"}};
}

// `keys` with float tensors stored as `dtype` ("BF16" for the _bf16 files).
inline KeyList withDtype(KeyList keys, const std::string& dtype)
{
    for (auto& k : keys)
        if (k.dtype == "F32")
            k.dtype = dtype;
    return keys;
}

inline KeyList withPrefix(KeyList keys, const std::string& prefix)
{
    for (auto& k : keys)
        k.name = prefix + k.name;
    return keys;
}

inline KeyList concat(KeyList a, const KeyList& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

inline std::uint64_t bytesOf(const KeyShape& k)
{
    std::uint64_t n = k.dtype == "F32" || k.dtype == "I32" ? 4 : k.dtype == "I64" || k.dtype == "F64" ? 8 : 2;
    for (auto d : k.shape)
        n *= static_cast<std::uint64_t>(d);
    return n;
}

// Writes the header and truncates the file to its full size (a hole). Returns the file size.
inline std::uint64_t writeSparse(const std::filesystem::path& path, const KeyList& keys)
{
    nlohmann::json header = nlohmann::json::object();
    std::uint64_t offset = 0;
    for (const auto& k : keys) {
        const auto bytes = bytesOf(k);
        header[k.name] = {{"dtype", k.dtype}, {"shape", k.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    const std::uint64_t length = text.size();
    std::filesystem::create_directories(path.parent_path());
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(&length), 8);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
    const std::uint64_t size = 8 + length + offset;
    std::filesystem::resize_file(path, size);
    return size;
}

inline std::uint64_t parameterCount(const KeyList& keys)
{
    std::uint64_t n = 0;
    for (const auto& k : keys) {
        std::uint64_t e = 1;
        for (auto d : k.shape)
            e *= static_cast<std::uint64_t>(d);
        n += e;
    }
    return n;
}

// A raw safetensors file written by hand (for malformed-file tests): 8-byte length (the header's own unless
// `length` is given), header, data.
inline std::string rawFile(const std::string& header, const std::string& data = {}, std::int64_t length = -1)
{
    const std::uint64_t n = length >= 0 ? static_cast<std::uint64_t>(length) : header.size();
    std::string bytes(8, '\0');
    std::memcpy(bytes.data(), &n, 8);
    return bytes + header + data;
}

// One header entry: "name":{"dtype":..,"shape":..,"data_offsets":[begin,end]}.
inline std::string entry(const std::string& name, const std::string& dtype, const std::string& shape, int begin,
                         int end)
{
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" +
           std::to_string(begin) + "," + std::to_string(end) + "]}";
}

// A header object of the given entries.
inline std::string object(std::initializer_list<std::string> entries)
{
    std::string text = "{";
    for (const auto& e : entries)
        text += (text.size() > 1 ? "," : "") + e;
    return text + "}";
}

} // namespace kaskade::test
