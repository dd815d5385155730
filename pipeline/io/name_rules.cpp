#include "pipeline/io/name_rules.h"

#include "pipeline/errors.h"
#include "pipeline/io/name_rules_text.h"

#include <ATen/ATen.h>

#include <array>
#include <string_view>

namespace kaskade {
namespace {

constexpr unsigned bit(Role role)
{
    return 1u << static_cast<unsigned>(role);
}
constexpr unsigned kUnet = bit(Role::StageB) | bit(Role::StageC);

// One rename: `official` <-> `parts` (1 part: a plain rename; 3 parts: the row thirds q, k, v of `official`).
// `whole`: the names are whole keys; otherwise key suffixes that follow a '.' (the block path {P}).
struct Rule
{
    unsigned roles;
    std::string_view layout;
    bool whole;
    std::string_view official;
    std::array<std::string_view, 3> parts;
    std::size_t count;
};

constexpr Rule kRules[] = {
    {kUnet,
     "diffusers",
     false,
     "attention.attn.in_proj_weight",
     {"attention.to_q.weight", "attention.to_k.weight", "attention.to_v.weight"},
     3},
    {kUnet,
     "diffusers",
     false,
     "attention.attn.in_proj_bias",
     {"attention.to_q.bias", "attention.to_k.bias", "attention.to_v.bias"},
     3},
    {kUnet, "diffusers", false, "attention.attn.out_proj.weight", {"attention.to_out.0.weight"}, 1},
    {kUnet, "diffusers", false, "attention.attn.out_proj.bias", {"attention.to_out.0.bias"}, 1},
    {bit(Role::StageB), "diffusers", true, "clip_mapper.weight", {"clip_txt_pooled_mapper.weight"}, 1},
    {bit(Role::StageB), "diffusers", true, "clip_mapper.bias", {"clip_txt_pooled_mapper.bias"}, 1},
    {bit(Role::StageA), "diffusers", true, "vquantizer.codebook.weight", {"vquantizer.embedding.weight"}, 1},
    {kUnet,
     "comfy_internal",
     false,
     "attention.attn.in_proj_weight",
     {"attention.attn.to_q.weight", "attention.attn.to_k.weight", "attention.attn.to_v.weight"},
     3},
    {kUnet,
     "comfy_internal",
     false,
     "attention.attn.in_proj_bias",
     {"attention.attn.to_q.bias", "attention.attn.to_k.bias", "attention.attn.to_v.bias"},
     3},
};

// The block path before `name` when `key` is {P}.name (or exactly name for whole-key rules); npos otherwise.
std::size_t matchBase(std::string_view key, std::string_view name, bool whole)
{
    if (whole)
        return key == name ? 0 : std::string_view::npos;
    if (key.size() <= name.size() + 1 || !key.ends_with(name) || key[key.size() - name.size() - 1] != '.')
        return std::string_view::npos;
    return key.size() - name.size(); // base includes the dot
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

void put(TensorMap& out, const std::string& name, const at::Tensor& t, const std::string& from)
{
    if (!out.emplace(name, t).second)
        throw Error(ErrorCode::BadCheckpoint, "tensor '" + from + "' maps to '" + name + "', which is already present");
}

struct Group
{
    std::array<at::Tensor, 3> parts;
    std::array<std::string, 3> names;
};

} // namespace

std::string detectLayout(const TensorMap& in, Role role, const std::string& prefix)
{
    if (role == Role::TextEncoder) {
        const auto location = findTextEncoder(in);
        if (!location)
            return "hf";
        if (location->layout == TextLayout::OpenClip)
            return "openclip";
        return location->outer.empty() ? "hf" : "comfyui";
    }
    for (auto it = in.lower_bound(prefix); it != in.end() && startsWith(it->first, prefix); ++it) {
        const std::string_view key = std::string_view(it->first).substr(prefix.size());
        for (const auto& rule : kRules)
            if (rule.roles & bit(role))
                for (std::size_t i = 0; i < rule.count; ++i)
                    if (matchBase(key, rule.parts[i], rule.whole) != std::string_view::npos)
                        return std::string(rule.layout);
    }
    return "official";
}

TensorMap toOfficialNames(const TensorMap& in, Role role, const std::string& layoutIn, const std::string& prefix)
{
    if (role == Role::TextEncoder)
        return textEncoderToHf(in, "text encoder");
    const std::string layout = layoutIn == "auto" || layoutIn.empty() ? detectLayout(in, role, prefix) : layoutIn;
    TensorMap out;
    std::map<std::string, Group> groups;
    for (auto it = in.lower_bound(prefix); it != in.end() && startsWith(it->first, prefix); ++it) {
        const std::string key = it->first.substr(prefix.size());
        bool done = false;
        for (const auto& rule : kRules) {
            if (!(rule.roles & bit(role)) || rule.layout != layout)
                continue;
            for (std::size_t i = 0; i < rule.count && !done; ++i) {
                const auto base = matchBase(key, rule.parts[i], rule.whole);
                if (base == std::string_view::npos)
                    continue;
                const std::string official = key.substr(0, base) + std::string(rule.official);
                if (rule.count == 1) {
                    put(out, official, it->second, it->first);
                } else {
                    auto& group = groups[official];
                    group.parts[i] = it->second;
                    group.names[i] = key;
                }
                done = true;
            }
            if (done)
                break;
        }
        if (!done)
            put(out, key, it->second, it->first);
    }
    for (auto& [official, group] : groups) {
        const bool complete = group.parts[0].defined() && group.parts[1].defined() && group.parts[2].defined();
        if (complete) {
            put(out, official, at::cat({group.parts[0], group.parts[1], group.parts[2]}, 0), group.names[0]);
            continue;
        }
        for (std::size_t i = 0; i < 3; ++i) // an incomplete triple stays as it is: loading names what is missing
            if (group.parts[i].defined())
                put(out, group.names[i], group.parts[i], group.names[i]);
    }
    return out;
}

TensorMap fromOfficialNames(const TensorMap& in, Role role, const std::string& layout, const std::string& prefix)
{
    if (role == Role::TextEncoder) {
        if (layout == "openclip")
            return hfToOpenClip(in, prefix);
        if (layout == "comfyui")
            return hfToComfyUi(in, true);
    }
    TensorMap out;
    for (const auto& [key, tensor] : in) {
        bool done = false;
        for (const auto& rule : kRules) {
            if (!(rule.roles & bit(role)) || rule.layout != layout)
                continue;
            const auto base = matchBase(key, rule.official, rule.whole);
            if (base == std::string_view::npos)
                continue;
            const std::string path = prefix + key.substr(0, base);
            if (rule.count == 1) {
                put(out, path + std::string(rule.parts[0]), tensor, key);
            } else {
                if (tensor.dim() < 1 || tensor.size(0) % 3 != 0)
                    throw Error(ErrorCode::BadCheckpoint, "tensor '" + key + "' has " +
                                                              std::to_string(tensor.dim() ? tensor.size(0) : 0) +
                                                              " rows, not a multiple of 3 (q, k, v)");
                const auto thirds = tensor.chunk(3, 0);
                for (std::size_t i = 0; i < 3; ++i)
                    put(out, path + std::string(rule.parts[i]), thirds[i], key);
            }
            done = true;
            break;
        }
        if (!done)
            put(out, prefix + key, tensor, key);
    }
    return out;
}

TensorMap loadOfficial(const WeightSource& source, Role role)
{
    // Only the tensors of this network are read (an all-in-one file holds several). The text encoder's
    // projection may sit outside its prefix (ComfyUI: 'text_encoder.clip_g.text_projection'), so it keeps
    // the first name segment of the prefix.
    std::string keep = source.prefix;
    if (role == Role::TextEncoder)
        keep = keep.substr(0, keep.find('.') == std::string::npos ? 0 : keep.find('.') + 1);
    TensorMap all;
    std::string names;
    for (const auto& file : source.files) {
        const auto reader = st::Reader::open(file);
        names += (names.empty() ? "" : ", ") + file.string();
        for (const auto& info : reader->tensors())
            if (startsWith(info.name, keep) && !all.emplace(info.name, reader->tensor(info.name)).second)
                throw Error(ErrorCode::BadFormat,
                            file.string() + ": tensor '" + info.name + "' is also in another shard");
    }
    if (all.empty())
        throw Error(ErrorCode::BadCheckpoint, names + ": no " + roleName(role) + " tensors" +
                                                  (keep.empty() ? std::string() : " under '" + keep + "'"));
    try {
        return toOfficialNames(all, role, source.layout, role == Role::TextEncoder ? "" : source.prefix);
    } catch (const Error& e) {
        throw Error(e.code(), names + ": " + e.what());
    }
}

} // namespace kaskade
