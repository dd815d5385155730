#include "pipeline/models/unet_config.h"

#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace kaskade::models {
namespace {

using json = nlohmann::json;

[[noreturn]] void badArg(const std::string& source, const std::string& key, const std::string& what)
{
    throw Error(ErrorCode::BadFormat, source + ": argument '" + key + "' " + what);
}

std::int64_t toInt(const json& value, const std::string& source, const std::string& key)
{
    if (!value.is_number_integer())
        badArg(source, key, "must be an integer, got " + value.dump());
    return value.get<std::int64_t>();
}

IntList toIntList(const json& value, const std::string& source, const std::string& key)
{
    if (!value.is_array())
        badArg(source, key, "must be a list of integers, got " + value.dump());
    IntList out;
    for (const auto& item : value)
        out.push_back(toInt(item, source, key));
    return out;
}

std::vector<IntList> toIntListPair(const json& value, const std::string& source, const std::string& key)
{
    if (!value.is_array() || value.size() != 2)
        badArg(source, key, "must be two lists [down, up], got " + value.dump());
    return {toIntList(value[0], source, key), toIntList(value[1], source, key)};
}

std::vector<std::string> toStringList(const json& value, const std::string& source, const std::string& key)
{
    if (!value.is_array())
        badArg(source, key, "must be a list of strings, got " + value.dump());
    std::vector<std::string> out;
    for (const auto& item : value) {
        if (!item.is_string())
            badArg(source, key, "must be a list of strings, got " + value.dump());
        out.push_back(item.get<std::string>());
    }
    return out;
}

// bool or list of bools (the official code broadcasts a scalar to every level).
std::vector<bool> toBoolList(const json& value, const std::string& source, const std::string& key, bool* scalar)
{
    *scalar = value.is_boolean();
    if (value.is_boolean())
        return {value.get<bool>()};
    if (!value.is_array())
        badArg(source, key, "must be a bool or a list of bools, got " + value.dump());
    std::vector<bool> out;
    for (const auto& item : value) {
        if (!item.is_boolean())
            badArg(source, key, "must be a bool or a list of bools, got " + value.dump());
        out.push_back(item.get<bool>());
    }
    return out;
}

std::vector<double> toDoubleList(const json& value, const std::string& source, const std::string& key, bool* scalar)
{
    *scalar = value.is_number();
    if (value.is_number())
        return {value.get<double>()};
    if (!value.is_array())
        badArg(source, key, "must be a number or a list of numbers, got " + value.dump());
    std::vector<double> out;
    for (const auto& item : value) {
        if (!item.is_number())
            badArg(source, key, "must be a number or a list of numbers, got " + value.dump());
        out.push_back(item.get<double>());
    }
    return out;
}

// Per-level lists that were not given (or given as a scalar) follow the number of levels, as the
// official constructor's broadcast does.
template <typename T> void fitToLevels(std::vector<T>& list, std::size_t levels, T fill)
{
    if (list.empty())
        list.push_back(fill);
    list.resize(levels, list.back());
}

// Parses the keys shared by StageB and StageC; returns false for a key it does not know.
bool applyLevelArg(UNetLevels& levels, const std::string& key, const json& value, const std::string& source,
                   bool* dropoutGiven, bool* selfAttnGiven)
{
    bool scalar = false;
    if (key == "c_hidden")
        levels.cHidden = toIntList(value, source, key);
    else if (key == "nhead")
        levels.nhead = toIntList(value, source, key);
    else if (key == "blocks")
        levels.blocks = toIntListPair(value, source, key);
    else if (key == "block_repeat") {
        // None in Python disables repeat mappers (and, through zip(), the whole level loop): treat as all 1.
        levels.blockRepeat = value.is_null() ? std::vector<IntList>{} : toIntListPair(value, source, key);
    } else if (key == "level_config")
        levels.levelConfig = toStringList(value, source, key);
    else if (key == "dropout") {
        levels.dropout = toDoubleList(value, source, key, &scalar);
        *dropoutGiven = !scalar;
    } else if (key == "self_attn") {
        levels.selfAttn = toBoolList(value, source, key, &scalar);
        *selfAttnGiven = !scalar;
    } else
        return false;
    return true;
}

void finishLevels(UNetLevels& levels, bool dropoutGiven, bool selfAttnGiven)
{
    const std::size_t n = levels.cHidden.size();
    if (!dropoutGiven)
        fitToLevels(levels.dropout, n, 0.0);
    if (!selfAttnGiven)
        fitToLevels(levels.selfAttn, n, true);
    if (levels.blockRepeat.empty())
        levels.blockRepeat = {IntList(n, 1), IntList(n, 1)};
}

void checkLevels(const UNetLevels& levels, std::int64_t kernelSize, std::int64_t cR, const std::string& what)
{
    auto fail = [&](const std::string& message) { throw Error(ErrorCode::InvalidArgument, what + ": " + message); };
    const std::size_t n = levels.cHidden.size();
    if (n == 0)
        fail("c_hidden is empty");
    auto atLeast = [&](std::size_t size, const char* name) {
        if (size < n)
            fail(std::string(name) + " has fewer entries than c_hidden (" + std::to_string(n) + ")");
    };
    atLeast(levels.nhead.size(), "nhead");
    atLeast(levels.levelConfig.size(), "level_config");
    atLeast(levels.dropout.size(), "dropout");
    atLeast(levels.selfAttn.size(), "self_attn");
    if (levels.blocks.size() != 2 || levels.blockRepeat.size() != 2)
        fail("blocks and block_repeat must be [down, up] pairs");
    for (int side = 0; side < 2; ++side) {
        atLeast(levels.blocks[side].size(), "blocks");
        atLeast(levels.blockRepeat[side].size(), "block_repeat");
        for (std::size_t i = 0; i < n; ++i) {
            if (levels.blocks[side][i] < 0)
                fail("blocks must not be negative");
            if (levels.blockRepeat[side][i] < 1)
                fail("block_repeat entries must be >= 1");
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (levels.cHidden[i] <= 0)
            fail("c_hidden entries must be positive");
        for (char letter : levels.levelConfig[i])
            if (std::string("CTAF").find(letter) == std::string::npos)
                fail(std::string("level_config has the unknown block type '") + letter + "'");
        const bool hasAttn = levels.levelConfig[i].find('A') != std::string::npos;
        if (hasAttn && (levels.nhead[i] <= 0 || levels.cHidden[i] % levels.nhead[i] != 0))
            fail("level " + std::to_string(i) + ": nhead " + std::to_string(levels.nhead[i]) +
                 " does not divide c_hidden " + std::to_string(levels.cHidden[i]));
    }
    if (kernelSize < 1 || kernelSize % 2 == 0)
        fail("kernel_size must be odd");
    if (cR < 4)
        fail("c_r must be at least 4");
}

void checkTConds(const std::vector<std::string>& tConds, const std::string& what)
{
    std::set<std::string> seen;
    for (const auto& name : tConds)
        if (name.empty() || name.find('.') != std::string::npos || !seen.insert(name).second)
            throw Error(ErrorCode::InvalidArgument, what + ": bad or repeated t_conds name '" + name + "'");
}

void levelsToJson(json& out, const UNetLevels& levels)
{
    out["c_hidden"] = levels.cHidden;
    out["nhead"] = levels.nhead;
    out["blocks"] = levels.blocks;
    out["block_repeat"] = levels.blockRepeat;
    out["level_config"] = levels.levelConfig;
    out["dropout"] = levels.dropout;
    out["self_attn"] = levels.selfAttn;
}

template <typename Config> bool sameArchitecture(const Config& a, const Config& b)
{
    json ja = toJson(a), jb = toJson(b);
    ja.erase("dropout"); // training only
    jb.erase("dropout");
    return ja == jb;
}

const at::Tensor* findTensor(const TensorMap& weights, const std::string& name)
{
    auto it = weights.find(name);
    return it == weights.end() ? nullptr : &it->second;
}

// The integer constructor arguments, one row each: fromJson reads and toJson writes them from these tables.
template <typename Config> struct IntArg
{
    const char* name; // the official Python argument name
    std::int64_t Config::*field;
};

constexpr IntArg<StageCConfig> kStageCInts[] = {
    {"c_in", &StageCConfig::cIn},
    {"c_out", &StageCConfig::cOut},
    {"c_r", &StageCConfig::cR},
    {"patch_size", &StageCConfig::patchSize},
    {"c_cond", &StageCConfig::cCond},
    {"c_clip_text", &StageCConfig::cClipText},
    {"c_clip_text_pooled", &StageCConfig::cClipTextPooled},
    {"c_clip_img", &StageCConfig::cClipImg},
    {"c_clip_seq", &StageCConfig::cClipSeq},
    {"kernel_size", &StageCConfig::kernelSize},
};

constexpr IntArg<StageBConfig> kStageBInts[] = {
    {"c_in", &StageBConfig::cIn},
    {"c_out", &StageBConfig::cOut},
    {"c_r", &StageBConfig::cR},
    {"patch_size", &StageBConfig::patchSize},
    {"c_cond", &StageBConfig::cCond},
    {"c_clip", &StageBConfig::cClip},
    {"c_clip_seq", &StageBConfig::cClipSeq},
    {"c_effnet", &StageBConfig::cEffnet},
    {"c_pixels", &StageBConfig::cPixels},
    {"kernel_size", &StageBConfig::kernelSize},
};

// Sets `key` when the table has it; false for other keys.
template <typename Config, std::size_t N>
bool readIntArg(const IntArg<Config> (&table)[N], Config& config, const std::string& key, const json& value,
                const std::string& source)
{
    for (const auto& arg : table)
        if (key == arg.name) {
            config.*arg.field = toInt(value, source, key);
            return true;
        }
    return false;
}

template <typename Config, std::size_t N> json intArgsToJson(const IntArg<Config> (&table)[N], const Config& config)
{
    json out = json::object();
    for (const auto& arg : table)
        out[arg.name] = config.*arg.field;
    return out;
}

} // namespace

StageCConfig StageCConfig::full()
{
    return {};
}

StageCConfig StageCConfig::lite()
{
    StageCConfig config;
    config.cCond = 1536;
    config.levels.cHidden = {1536, 1536};
    config.levels.nhead = {24, 24};
    config.levels.blocks = {{4, 12}, {12, 4}};
    return config;
}

StageBConfig StageBConfig::large()
{
    return {};
}

StageBConfig StageBConfig::lite()
{
    StageBConfig config;
    config.levels.cHidden = {320, 576, 1152, 1152};
    config.levels.nhead = {-1, 9, 18, 18};
    config.levels.blocks = {{2, 4, 14, 4}, {4, 14, 4, 2}};
    config.levels.blockRepeat = {{1, 1, 1, 1}, {2, 2, 2, 2}};
    return config;
}

std::string variantName(const StageCConfig& config)
{
    if (sameArchitecture(config, StageCConfig::full()))
        return "3.6B";
    if (sameArchitecture(config, StageCConfig::lite()))
        return "1B";
    return "custom";
}

std::string variantName(const StageBConfig& config)
{
    if (sameArchitecture(config, StageBConfig::large()))
        return "3B";
    if (sameArchitecture(config, StageBConfig::lite()))
        return "700M";
    return "custom";
}

StageCConfig stageCConfigFromJson(const json& args, const std::string& source, const StageCConfig& base)
{
    if (!args.is_object())
        throw Error(ErrorCode::BadFormat, source + ": Stage C arguments must be a JSON object");
    StageCConfig config = base;
    bool dropoutGiven = false, selfAttnGiven = false, switchGiven = false;
    for (const auto& [key, value] : args.items()) {
        bool scalar = false;
        if (readIntArg(kStageCInts, config, key, value, source))
            continue;
        if (key == "t_conds")
            config.tConds = toStringList(value, source, key);
        else if (key == "switch_level") {
            config.switchLevel = toBoolList(value, source, key, &scalar);
            switchGiven = !scalar;
        } else if (!applyLevelArg(config.levels, key, value, source, &dropoutGiven, &selfAttnGiven))
            badArg(source, key, "is not a StageC constructor argument");
    }
    finishLevels(config.levels, dropoutGiven, selfAttnGiven);
    if (!switchGiven)
        fitToLevels(config.switchLevel, std::max<std::size_t>(1, config.levels.cHidden.size()) - 1, false);
    return config;
}

StageBConfig stageBConfigFromJson(const json& args, const std::string& source, const StageBConfig& base)
{
    if (!args.is_object())
        throw Error(ErrorCode::BadFormat, source + ": Stage B arguments must be a JSON object");
    StageBConfig config = base;
    bool dropoutGiven = false, selfAttnGiven = false;
    for (const auto& [key, value] : args.items()) {
        if (readIntArg(kStageBInts, config, key, value, source))
            continue;
        if (key == "t_conds")
            config.tConds = toStringList(value, source, key);
        else if (!applyLevelArg(config.levels, key, value, source, &dropoutGiven, &selfAttnGiven))
            badArg(source, key, "is not a StageB constructor argument");
    }
    finishLevels(config.levels, dropoutGiven, selfAttnGiven);
    return config;
}

json toJson(const StageCConfig& config)
{
    json out = intArgsToJson(kStageCInts, config);
    out["t_conds"] = config.tConds;
    out["switch_level"] = config.switchLevel;
    levelsToJson(out, config.levels);
    return out;
}

json toJson(const StageBConfig& config)
{
    json out = intArgsToJson(kStageBInts, config);
    out["t_conds"] = config.tConds;
    levelsToJson(out, config.levels);
    return out;
}

StageCConfig detectStageCConfig(const TensorMap& weights, const std::string& source)
{
    const at::Tensor* mapper = findTensor(weights, "clip_txt_mapper.weight");
    if (!mapper || mapper->dim() != 2)
        throw Error(ErrorCode::BadCheckpoint,
                    source + ": not a Stage C checkpoint (no 2-D clip_txt_mapper.weight; a Stage B file has "
                             "clip_mapper.weight)");
    switch (mapper->size(0)) {
    case 2048: return StageCConfig::full();
    case 1536: return StageCConfig::lite();
    default:
        throw Error(ErrorCode::BadCheckpoint,
                    source + ": unknown Stage C variant (clip_txt_mapper.weight " + shapeString(mapper->sizes()) +
                        "; released: 2048 = 3.6B, 1536 = 1B); describe it with cascade.json \"stage_c\" \"args\"");
    }
}

StageBConfig detectStageBConfig(const TensorMap& weights, const std::string& source)
{
    if (!findTensor(weights, "clip_mapper.weight"))
        throw Error(ErrorCode::BadCheckpoint,
                    source + ": not a Stage B checkpoint (no clip_mapper.weight; a Stage C file has "
                             "clip_txt_mapper.weight)");
    const at::Tensor* probe = findTensor(weights, "down_blocks.1.0.channelwise.0.weight");
    const std::int64_t width = probe && probe->dim() == 2 ? probe->size(1) : -1;
    if (width == 640)
        return StageBConfig::large();
    if (width == 576)
        return StageBConfig::lite();
    throw Error(ErrorCode::BadCheckpoint,
                source + ": unknown Stage B variant (down_blocks.1.0.channelwise.0.weight " +
                    (probe ? shapeString(probe->sizes()) : std::string("absent")) +
                    "; released: 640 = 3B, 576 = 700M); describe it with cascade.json \"stage_b\" \"args\"");
}

void validate(const StageCConfig& config)
{
    const std::string what = "Stage C config";
    checkLevels(config.levels, config.kernelSize, config.cR, what);
    checkTConds(config.tConds, what);
    if (config.switchLevel.size() + 1 < config.levels.cHidden.size())
        throw Error(ErrorCode::InvalidArgument, what + ": switch_level needs one entry per level transition");
    for (std::int64_t v : {config.cIn, config.cOut, config.patchSize, config.cCond, config.cClipText,
                           config.cClipTextPooled, config.cClipImg, config.cClipSeq})
        if (v <= 0)
            throw Error(ErrorCode::InvalidArgument, what + ": channel counts and patch_size must be positive");
}

void validate(const StageBConfig& config)
{
    const std::string what = "Stage B config";
    checkLevels(config.levels, config.kernelSize, config.cR, what);
    checkTConds(config.tConds, what);
    for (std::int64_t v : {config.cIn, config.cOut, config.patchSize, config.cCond, config.cClip, config.cClipSeq,
                           config.cEffnet, config.cPixels})
        if (v <= 0)
            throw Error(ErrorCode::InvalidArgument, what + ": channel counts and patch_size must be positive");
}

void checkStageCDtype(at::ScalarType dtype)
{
    if (dtype == at::kHalf)
        throw Error(ErrorCode::Unsupported, "fp16 overflows in Stage C: NaN/black images; use bf16 or fp32");
    checkStageBDtype(dtype);
}

void checkStageBDtype(at::ScalarType dtype)
{
    if (dtype != at::kFloat && dtype != at::kBFloat16 && dtype != at::kHalf)
        throw Error(ErrorCode::Unsupported,
                    std::string("unsupported compute dtype ") + c10::toString(dtype) + " (use fp32 or bf16)");
}

} // namespace kaskade::models
