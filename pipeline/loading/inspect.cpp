// Identification of checkpoint files from key names and shapes (stable-cascade.md §14 detection rules,
// plus shapes for the released variants). Only the safetensors header is read.
#include "pipeline/loading/inspect.h"

#include "pipeline/errors.h"
#include "pipeline/io/safetensors_header.h"
#include "pipeline/loading/model_set.h"

#include <algorithm>
#include <cstdio>
#include <regex>
#include <set>

namespace kaskade {
namespace {

struct Entry
{
    std::vector<std::int64_t> shape;
};
using Header = std::map<std::string, Entry>;

bool has(const Header& h, const std::string& key)
{
    return h.count(key) > 0;
}

std::vector<std::int64_t> shapeOf(const Header& h, const std::string& key)
{
    const auto it = h.find(key);
    return it == h.end() ? std::vector<std::int64_t>{} : it->second.shape;
}

// Every p such that p + suffix is a key, p being "" or ending in '.'.
std::vector<std::string> prefixesOf(const Header& h, const std::string& suffix)
{
    std::vector<std::string> found;
    for (const auto& [key, entry] : h) {
        if (key.size() < suffix.size() || key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        const auto prefix = key.substr(0, key.size() - suffix.size());
        if (prefix.empty() || prefix.back() == '.')
            found.push_back(prefix);
    }
    return found;
}

bool anyKeyContains(const Header& h, const std::string& prefix, const std::string& fragment)
{
    for (auto it = h.lower_bound(prefix); it != h.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
        if (it->first.find(fragment) != std::string::npos)
            return true;
    return false;
}

bool anyKeyStartsWith(const Header& h, const std::string& prefix)
{
    const auto it = h.lower_bound(prefix);
    return it != h.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

std::string unetLayout(const Header& h, const std::string& prefix)
{
    // Diffusers renames Stage B's clip_mapper; Stage C has a clip_txt_pooled_mapper of its own.
    const bool stageBRenamed =
        has(h, prefix + "clip_txt_pooled_mapper.weight") && !has(h, prefix + "clip_txt_mapper.weight");
    if (anyKeyContains(h, prefix, ".attention.to_q.") || stageBRenamed)
        return "diffusers";
    if (anyKeyContains(h, prefix, ".attention.attn.to_q."))
        return "comfy_internal";
    return "official";
}

std::string sizeVariant(std::int64_t value, std::int64_t full, const char* fullName, std::int64_t lite,
                        const char* liteName, const char* what)
{
    if (value == full)
        return fullName;
    if (value == lite)
        return liteName;
    return "custom (" + std::string(what) + " " + std::to_string(value) + ")";
}

void findUnets(const Header& h, std::vector<FilePart>& parts)
{
    for (const auto& p : prefixesOf(h, "clf.1.weight")) {
        FilePart part;
        part.prefix = p;
        part.layout = unetLayout(h, p);
        if (has(h, p + "clip_txt_mapper.weight")) {
            part.role = Role::StageC;
            const auto shape = shapeOf(h, p + "clip_txt_mapper.weight");
            part.variant = sizeVariant(shape.empty() ? 0 : shape[0], 2048, "3.6B", 1536, "1B", "c_cond");
        } else if (has(h, p + "clip_mapper.weight") || has(h, p + "effnet_mapper.0.weight")) {
            part.role = Role::StageB;
            const auto shape = shapeOf(h, p + "down_blocks.1.0.channelwise.0.weight");
            part.variant = sizeVariant(shape.empty() ? 0 : shape.back(), 640, "3B", 576, "700M", "c_hidden[1]");
        } else {
            continue;
        }
        parts.push_back(part);
    }
}

void findOthers(const Header& h, std::vector<FilePart>& parts)
{
    for (const char* codebook : {"vquantizer.codebook.weight", "vquantizer.embedding.weight"})
        for (const auto& p : prefixesOf(h, codebook))
            if (has(h, p + "out_block.0.weight"))
                parts.push_back({Role::StageA, "",
                                 std::string(codebook) == "vquantizer.codebook.weight" ? "official" : "diffusers", p});
    for (const auto& p : prefixesOf(h, "backbone.0.0.weight")) {
        if (has(h, p + "mapper.0.weight"))
            parts.push_back({Role::EffNet, "", "official", p});
        else if (has(h, p + "projections.0.0.weight"))
            parts.push_back({Role::ControlNet, "effnet", "official", p});
    }
    // ControlNets with the 'large' (super-resolution) or 'simple' bottleneck.
    for (const auto& p : prefixesOf(h, "projections.0.0.weight"))
        if (!has(h, p + "backbone.0.0.weight") && has(h, p + "backbone.0.weight"))
            parts.push_back(
                {Role::ControlNet, has(h, p + "backbone.3.blocks.0.weight") ? "large" : "simple", "official", p});
    for (const auto& p : prefixesOf(h, "vision_model.embeddings.class_embedding")) {
        const auto cls = shapeOf(h, p + "vision_model.embeddings.class_embedding");
        std::int64_t layers = 0;
        while (anyKeyStartsWith(h, p + "vision_model.encoder.layers." + std::to_string(layers) + "."))
            ++layers;
        const std::int64_t hidden = cls.empty() ? 0 : cls[0];
        parts.push_back({Role::ClipVision,
                         hidden == 1024 && layers == 24
                             ? "L/14"
                             : "hidden " + std::to_string(hidden) + ", " + std::to_string(layers) + " layers",
                         "hf", p});
    }
    for (const auto& p : prefixesOf(h, "blocks.24.weight")) {
        const auto first = shapeOf(h, p + "blocks.0.weight");
        if (has(h, p + "blocks.11.running_mean") && first.size() == 4 && first[1] == 16)
            parts.push_back({Role::Previewer, "", "official", p});
    }
}

FilePart textPart(const Header& h, const std::string& prefix, const std::string& layout, const std::string& tokenKey,
                  const std::string& layerPrefix)
{
    FilePart part{Role::TextEncoder, "", layout, prefix};
    const auto token = shapeOf(h, prefix + tokenKey);
    const std::int64_t hidden = token.size() == 2 ? token[1] : 0;
    std::int64_t layers = 0;
    while (anyKeyStartsWith(h, prefix + layerPrefix + std::to_string(layers) + "."))
        ++layers;
    if (hidden == 1280 && layers == 32)
        part.variant = "bigG";
    else if (hidden == 768 && layers == 12)
        part.variant = "L";
    else
        part.variant = "hidden " + std::to_string(hidden) + ", " + std::to_string(layers) + " layers";
    return part;
}

void findTextEncoders(const Header& h, std::vector<FilePart>& parts)
{
    for (const auto& p : prefixesOf(h, "text_model.embeddings.token_embedding.weight")) {
        const bool comfy = p.size() >= 19 && p.compare(p.size() - 19, 19, "clip_g.transformer.") == 0;
        parts.push_back(textPart(h, p, comfy ? "comfyui" : "hf", "text_model.embeddings.token_embedding.weight",
                                 "text_model.encoder.layers."));
    }
    for (const auto& p : prefixesOf(h, "transformer.resblocks.0.attn.in_proj_weight"))
        if (has(h, p + "token_embedding.weight"))
            parts.push_back(textPart(h, p, "openclip", "token_embedding.weight", "transformer.resblocks."));
}

// Checkpoints of other model families, recognised so that the message can say what the file is.
struct Marker
{
    const char* keyPrefix;
    const char* description;
};
constexpr Marker kOtherModels[] = {
    {"conditioner.embedders.", "an SDXL checkpoint, not Stable Cascade"},
    {"model.diffusion_model.label_emb.", "an SDXL UNet, not Stable Cascade"},
    {"cond_stage_model.", "a Stable Diffusion 1.x/2.x checkpoint, not Stable Cascade"},
    {"model.diffusion_model.input_blocks.", "a Stable Diffusion UNet, not Stable Cascade"},
    {"input_blocks.", "a Stable Diffusion UNet, not Stable Cascade"},
    {"down_blocks.0.attentions.0.", "a diffusers UNet of another model (SD/SDXL), not Stable Cascade"},
    {"double_blocks.", "a Flux model, not Stable Cascade"},
    {"model.diffusion_model.double_blocks.", "a Flux model, not Stable Cascade"},
    {"model.diffusion_model.joint_blocks.", "an SD3 model, not Stable Cascade"},
    {"joint_blocks.", "an SD3 model, not Stable Cascade"},
};

struct LoraInfo
{
    std::string layout;
    bool cascade = true;
    std::int64_t rank = 0;
    std::size_t modules = 0;
    std::size_t tokens = 0;
};

bool findLora(const Header& h, LoraInfo& info)
{
    static const std::regex official(R"(weights\.\d+\.lora_down)");
    std::size_t down = 0;
    bool sdNames = false;
    for (const auto& [key, entry] : h) {
        const bool isDown = key.find("lora_down") != std::string::npos || key.find("lora_A.") != std::string::npos ||
                            key.find("lora.down") != std::string::npos;
        if (!isDown)
            continue;
        ++down;
        if (info.rank == 0 && !entry.shape.empty())
            info.rank = entry.shape[0];
        if (info.layout.empty()) {
            if (std::regex_match(key, official))
                info.layout = "official";
            else if (key.rfind("lora_prior_", 0) == 0)
                info.layout = "onetrainer";
            else if (key.find("lora_A.") != std::string::npos)
                info.layout = "peft";
            else
                info.layout = "comfyui";
        }
        for (const char* sd : {"input_blocks", "output_blocks", "transformer_blocks", "attentions_", ".attentions."})
            sdNames = sdNames || key.find(sd) != std::string::npos;
    }
    if (down == 0)
        return false;
    info.modules = down;
    info.cascade = !sdNames;
    const auto tokens = shapeOf(h, "embeddings.embeddings");
    info.tokens = tokens.empty() ? 0 : static_cast<std::size_t>(tokens[0]);
    return true;
}

std::string layoutText(const FilePart& part)
{
    if (part.layout == "official")
        return "official names";
    if (part.layout == "diffusers")
        return part.role == Role::StageA ? "diffusers PaellaVQModel names (vquantizer.embedding)"
                                         : "diffusers names (split to_q/to_k/to_v)";
    if (part.layout == "comfy_internal")
        return "ComfyUI internal names (attn.to_q/to_k/to_v)";
    if (part.layout == "hf")
        return "Hugging Face names";
    if (part.layout == "openclip")
        return "OpenCLIP names";
    if (part.layout == "comfyui")
        return "ComfyUI clip_g names";
    return part.layout + " names";
}

std::string partText(const FilePart& part)
{
    std::string text;
    switch (part.role) {
    case Role::StageC:
        text = "Stage C " + part.variant + (part.variant == "3.6B" ? " (full)" : part.variant == "1B" ? " (lite)" : "");
        break;
    case Role::StageB:
        text = "Stage B " + part.variant + (part.variant == "3B" ? " (full)" : part.variant == "700M" ? " (lite)" : "");
        break;
    case Role::StageA: text = "Stage A (VQGAN)"; break;
    case Role::Previewer: text = "previewer"; break;
    case Role::EffNet: text = "EfficientNet encoder"; break;
    case Role::ControlNet: text = "ControlNet ('" + part.variant + "' bottleneck)"; break;
    case Role::ClipVision: text = "CLIP " + part.variant + " image encoder"; break;
    case Role::TextEncoder:
        text = part.variant == "bigG" ? "CLIP-bigG text encoder"
               : part.variant == "L"  ? "CLIP-L text encoder"
                                      : "CLIP text encoder (" + part.variant + ")";
        break;
    default: text = roleName(part.role);
    }
    text += ", " + layoutText(part);
    if (!part.prefix.empty())
        text += " under '" + part.prefix + "'";
    return text;
}

std::string dtypeText(const std::map<std::string, std::uint64_t>& dtypes)
{
    // The weights' dtypes ("BF16"); integer buffers (BatchNorm counters, LoRA token indices) only when alone.
    std::string floats, all;
    for (const auto& [name, count] : dtypes) {
        all += (all.empty() ? "" : "+") + name;
        if (name.front() == 'F' || name == "BF16")
            floats += (floats.empty() ? "" : "+") + name;
    }
    return floats.empty() ? all : floats;
}

void describe(FileReport& report, const Header& h)
{
    std::vector<FilePart> parts;
    findUnets(h, parts);
    findOthers(h, parts);
    findTextEncoders(h, parts);
    const auto find = [&](Role role) {
        return std::find_if(parts.begin(), parts.end(), [&](const FilePart& p) { return p.role == role; });
    };
    const auto dtypes = dtypeText(report.dtypes);

    // A Stable Cascade UNet decides the kind; all-in-one files pair it with the networks they bundle.
    auto unet = find(Role::StageC);
    if (unet == parts.end())
        unet = find(Role::StageB);
    if (unet != parts.end()) {
        std::rotate(parts.begin(), unet, unet + 1);
        report.main = parts.front();
        report.parts = parts;
        const bool aioC = report.main.role == Role::StageC && find(Role::TextEncoder) != parts.end();
        const bool aioB = report.main.role == Role::StageB && find(Role::StageA) != parts.end();
        report.content = aioC || aioB ? FileContent::AllInOne : FileContent::Network;
        report.role = report.main.role;
        std::string text = (aioC || aioB) ? "ComfyUI all-in-one checkpoint: " : "Stable Cascade ";
        text += partText(report.main);
        for (std::size_t i = 1; i < parts.size(); ++i)
            text += (i == 1 ? "; with " : " + ") + partText(parts[i]);
        report.description = text + "; " + dtypes;
        return;
    }
    for (const auto& marker : kOtherModels) {
        if (anyKeyStartsWith(h, marker.keyPrefix)) {
            report.content = FileContent::OtherModel;
            report.description = std::string("not Stable Cascade: ") + marker.description;
            return;
        }
    }
    LoraInfo lora;
    if (findLora(h, lora)) {
        report.content = FileContent::Network;
        report.role = Role::Lora;
        report.main = {Role::Lora, "", lora.layout, ""};
        report.parts = {report.main};
        const char* format = lora.layout == "official"     ? "official Stable Cascade format (weights.N)"
                             : lora.layout == "onetrainer" ? "OneTrainer/kohya format (lora_prior_unet_*)"
                             : lora.layout == "peft"       ? "PEFT/diffusers format (lora_A/lora_B)"
                                                           : "kohya/ComfyUI format";
        report.description = std::string(lora.cascade ? "LoRA, " : "LoRA for another model (not Stable Cascade), ") +
                             format + ", " + std::to_string(lora.modules) + " modules, rank " +
                             std::to_string(lora.rank);
        if (lora.tokens > 0)
            report.description += ", " + std::to_string(lora.tokens) + " added token embedding(s)";
        return;
    }
    if (!parts.empty()) {
        report.main = parts.front();
        report.parts = parts;
        report.content = FileContent::Network;
        report.role = report.main.role;
        std::string text = partText(report.main);
        for (std::size_t i = 1; i < parts.size(); ++i)
            text += (i == 1 ? "; with " : " + ") + partText(parts[i]);
        report.description = text + "; " + dtypes;
        return;
    }
    report.content = FileContent::Unknown;
    std::string sample;
    std::size_t shown = 0;
    for (auto it = h.begin(); it != h.end() && shown < 3; ++it, ++shown)
        sample += (shown ? ", " : "") + it->first;
    report.description = h.empty() ? "unknown: no tensors" : "unknown model (keys like " + sample + ")";
}

} // namespace

std::string fileKindName(FileContent content, Role role)
{
    switch (content) {
    case FileContent::Unknown: break;
    case FileContent::Network: return roleName(role);
    case FileContent::AllInOne: return role == Role::StageB ? "comfyui_aio_b" : "comfyui_aio_c";
    case FileContent::OtherModel: return "other_model";
    }
    return "unknown";
}

const FilePart* FileReport::part(Role wanted) const
{
    for (const auto& p : parts)
        if (p.role == wanted)
            return &p;
    return nullptr;
}

namespace {

// Adds one file's tensors to the report and to the name -> shape table that `describe` reads.
void addShard(FileReport& report, Header& header, const std::filesystem::path& file, const st::Header& fileHeader)
{
    report.fileSize += fileHeader.fileSize;
    for (const auto& t : fileHeader.tensors) {
        if (!header.emplace(t.name, Entry{t.shape}).second)
            throw Error(ErrorCode::BadFormat, file.string() + ": tensor '" + t.name + "' is also in another shard");
        ++report.tensorCount;
        report.parameterCount += static_cast<std::uint64_t>(t.numel());
        ++report.dtypes[st::dtypeName(t.dtype)];
    }
}

} // namespace

FileReport inspectFiles(const std::vector<std::filesystem::path>& shards)
{
    FileReport report;
    report.files = shards;
    Header header;
    for (const auto& file : shards)
        addShard(report, header, file, st::readHeader(file)); // the header only: no mapping of gigabytes
    describe(report, header);
    return report;
}

FileReport inspectFile(const std::filesystem::path& path)
{
    return inspectFiles({path});
}

FileReport inspectHeader(const std::filesystem::path& path, const st::Header& fileHeader)
{
    FileReport report;
    report.files = {path};
    Header header;
    addShard(report, header, path, fileHeader);
    describe(report, header);
    return report;
}

LayoutReport inspectDirectory(const std::filesystem::path& path)
{
    const ModelSet set = findModelSet(path);
    LayoutReport report;
    report.path = path;
    report.layout = set.layout;
    report.description = folderLayoutInfo(set.layout).description;
    for (Role role : {Role::StageC, Role::StageB, Role::StageA, Role::TextEncoder, Role::Previewer, Role::EffNet}) {
        const auto& source = set.source(role);
        const bool required = role != Role::Previewer && role != Role::EffNet;
        report.pieces.push_back({roleName(role), required, !source.empty(), source.empty() ? "" : source.describe()});
    }
    // Optional image-input networks (img2img uses effnet above; variations the image encoder).
    report.pieces.push_back({roleName(Role::ClipVision), false, !set.clipVision.empty(),
                             set.clipVision.empty() ? "" : set.clipVision.describe()});
    for (ControlKind kind : {ControlKind::Canny, ControlKind::Inpaint, ControlKind::SuperResolution}) {
        const auto& source = set.controlNet(kind);
        report.pieces.push_back({std::string("controlnet_") + controlKindName(kind), false, !source.empty(),
                                 source.empty() ? "" : source.describe()});
    }
    const auto tokenizer = !set.tokenizerDir.empty() ? set.tokenizerDir.string() : set.bpeVocabGz.string();
    report.pieces.push_back({"tokenizer", true, !tokenizer.empty(), tokenizer});
    report.missing = set.missing;
    report.notes = set.notes;
    return report;
}

} // namespace kaskade
