#include "pipeline/model_set.h"

#include "pipeline/errors.h"
#include "pipeline/inspect.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <tuple>
#include <utility>

namespace kaskade {
namespace fs = std::filesystem;
namespace {

constexpr int kMaxDepth = 6;
constexpr std::size_t kMaxFiles = 400;

// Folders that never hold base model weights; skipping them keeps a scan of a ComfyUI tree short.
const std::set<std::string> kSkippedDirs = {"loras",
                                            "lora",
                                            "Lora",
                                            "LoRA",
                                            "controlnet",
                                            "embeddings",
                                            "upscale_models",
                                            "blobs",
                                            ".git",
                                            "custom_nodes",
                                            "output",
                                            "input",
                                            "temp",
                                            "__pycache__",
                                            "node_modules",
                                            "venv",
                                            ".venv",
                                            "clip_vision",
                                            "feature_extractor",
                                            "image_encoder",
                                            "scheduler",
                                            "hypernetworks",
                                            "style_models",
                                            "gligen",
                                            "photomaker",
                                            "refs"};

bool isWeightFile(const fs::path& p)
{
    const auto ext = p.extension().string();
    return ext == ".safetensors" || ext == ".sft";
}

bool isIndexFile(const fs::path& p)
{
    const auto name = p.filename().string();
    return p.extension() == ".json" && name.find(".safetensors.index") != std::string::npos;
}

std::string readText(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The snapshot an HF cache repository folder points at: refs/main, else the newest one.
fs::path chooseSnapshot(const fs::path& repo, std::vector<std::string>& notes)
{
    std::error_code ec;
    const auto snapshots = repo / "snapshots";
    auto ref = readText(repo / "refs" / "main");
    ref.erase(
        std::remove_if(ref.begin(), ref.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }),
        ref.end());
    if (!ref.empty() && fs::is_directory(snapshots / ref, ec))
        return snapshots / ref;
    fs::path newest;
    fs::file_time_type newestTime{};
    for (const auto& e : fs::directory_iterator(snapshots, ec)) {
        if (!e.is_directory(ec))
            continue;
        const auto t = e.last_write_time(ec);
        if (newest.empty() || t > newestTime) {
            newest = e.path();
            newestTime = t;
        }
    }
    if (!newest.empty())
        notes.push_back("HF cache " + repo.filename().string() + ": using snapshot " + newest.filename().string() +
                        " (no refs/main)");
    return newest;
}

struct Unit
{
    std::vector<fs::path> files;
};

void scan(const fs::path& dir, int depth, std::vector<Unit>& units, std::set<fs::path>& sharded,
          std::vector<fs::path>& dirs, std::vector<std::string>& notes)
{
    std::error_code ec;
    dirs.push_back(dir);
    if (fs::is_directory(dir / "snapshots", ec) && dir.filename().string().rfind("models--", 0) == 0) {
        if (const auto snapshot = chooseSnapshot(dir, notes); !snapshot.empty())
            scan(snapshot, depth + 1, units, sharded, dirs, notes);
        return;
    }
    std::vector<fs::directory_entry> entries;
    for (const auto& e : fs::directory_iterator(dir, fs::directory_options::skip_permission_denied, ec))
        entries.push_back(e);
    std::sort(entries.begin(), entries.end());
    for (const auto& e : entries) { // indexes first, so that their shards are not taken as whole files
        if (!isIndexFile(e.path()) || !e.is_regular_file(ec))
            continue;
        try {
            const auto index = nlohmann::json::parse(readText(e.path()));
            std::set<std::string> names;
            for (const auto& [key, file] : index.at("weight_map").items())
                names.insert(file.get<std::string>());
            Unit unit;
            for (const auto& name : names) {
                unit.files.push_back(dir / name);
                sharded.insert(dir / name);
            }
            units.push_back(unit);
        } catch (const std::exception&) {
            notes.push_back("skipped " + e.path().string() + ": not a safetensors index (no weight_map)");
        }
    }
    for (const auto& e : entries) {
        const auto& p = e.path();
        if (e.is_directory(ec)) {
            if (depth < kMaxDepth && !kSkippedDirs.count(p.filename().string()))
                scan(p, depth + 1, units, sharded, dirs, notes);
        } else if (isWeightFile(p) && e.is_regular_file(ec) && !sharded.count(p) && units.size() < kMaxFiles) {
            units.push_back({{p}});
        }
    }
}

bool isConventional(const fs::path& file, ModelKind kind)
{
    const auto name = file.filename().string();
    const auto parent = file.parent_path().filename().string();
    for (const char* start : {"stage_a", "stage_b", "stage_c", "stable_cascade_", "previewer", "effnet_encoder",
                              "model.", "model-", "diffusion_pytorch_model"})
        if (name.rfind(start, 0) == 0)
            return kind != ModelKind::TextEncoder || parent == "text_encoder" || parent == "clip" ||
                   name.rfind("stable_cascade_", 0) == 0;
    return false;
}

struct Candidate
{
    Role role;
    WeightSource source;
    std::tuple<int, int, int, int> rank; // bigger is better; ties: path order
};

std::string joinNames(const std::vector<fs::path>& files)
{
    std::string text;
    for (const auto& f : files)
        text += (text.empty() ? "" : ", ") + f.filename().string();
    return text;
}

std::string detectLayout(const fs::path& folder)
{
    std::error_code ec;
    const auto text = folder.lexically_normal().string();
    const auto name = folder.filename().string();
    if (text.find("/snapshots/") != std::string::npos || name.rfind("models--", 0) == 0)
        return "hf_cache";
    for (const auto& e : fs::directory_iterator(folder, ec))
        if (e.is_directory(ec) && e.path().filename().string().rfind("models--", 0) == 0)
            return "hf_cache";
    for (const auto& base : {folder / "models", folder})
        for (const char* sub : {"unet", "diffusion_models", "checkpoints", "clip"})
            if (fs::is_directory(base / sub, ec))
                return "comfyui";
    if (fs::exists(folder / "model_index.json", ec))
        return "diffusers";
    for (const char* sub : {"prior", "prior_lite", "decoder", "decoder_lite", "vqgan"})
        if (fs::is_directory(folder / sub, ec))
            return "diffusers";
    if (fs::exists(folder / "cascade.json", ec))
        return "official";
    for (const auto& e : fs::directory_iterator(folder, ec))
        if (e.path().filename().string().rfind("stage_", 0) == 0 && isWeightFile(e.path()))
            return "official";
    return "unknown";
}

bool hasTokenizer(const fs::path& dir)
{
    std::error_code ec;
    return fs::is_regular_file(dir / "vocab.json", ec) && fs::is_regular_file(dir / "merges.txt", ec);
}

void findTokenizer(ModelSet& set, const std::vector<fs::path>& dirs, const ModelSetOptions& options)
{
    std::error_code ec;
    // In the folder tree (a "tokenizer" folder first), then beside the folder, then the caller's folder.
    std::vector<fs::path> places;
    for (const auto& d : dirs)
        if (d.filename() == "tokenizer")
            places.push_back(d);
    places.insert(places.end(), dirs.begin(), dirs.end());
    const auto parent = set.directory.parent_path();
    places.push_back(parent / "tokenizer");
    places.push_back(parent);
    if (!options.tokenizerDir.empty()) {
        places.push_back(options.tokenizerDir);
        places.push_back(options.tokenizerDir / "tokenizer");
    }
    for (const auto& p : places) {
        if (hasTokenizer(p)) {
            set.tokenizerDir = p;
            return;
        }
        if (fs::is_regular_file(p / "bpe_simple_vocab_16e6.txt.gz", ec)) {
            set.bpeVocabGz = p / "bpe_simple_vocab_16e6.txt.gz";
            return;
        }
    }
}

WeightSource& slotOf(ModelSet& set, Role role)
{
    return const_cast<WeightSource&>(std::as_const(set).source(role));
}

} // namespace

const char* roleName(Role role) noexcept
{
    switch (role) {
    case Role::StageA: return "stage_a";
    case Role::StageB: return "stage_b";
    case Role::StageC: return "stage_c";
    case Role::Previewer: return "previewer";
    case Role::EffNet: return "effnet";
    case Role::TextEncoder: return "text_encoder";
    }
    return "unknown";
}

std::string WeightSource::describe() const
{
    if (files.empty())
        return "(none)";
    std::string text = files.size() == 1 ? files.front().string()
                                         : files.front().parent_path().string() + "/{" + joinNames(files) + "}";
    if (!variant.empty())
        text += " (" + variant + ")";
    if (!prefix.empty())
        text += " under '" + prefix + "'";
    if (layout != "official" && layout != "hf")
        text += ", " + layout + " names";
    return text;
}

const WeightSource& ModelSet::source(Role role) const
{
    switch (role) {
    case Role::StageA: return stageA;
    case Role::StageB: return stageB;
    case Role::StageC: return stageC;
    case Role::Previewer: return previewer;
    case Role::EffNet: return effnet;
    case Role::TextEncoder: return textEncoder;
    }
    return stageC;
}

ModelSet findModelSet(const fs::path& folder, const ModelSetOptions& options)
{
    std::error_code ec;
    if (!fs::exists(folder, ec))
        throw Error(ErrorCode::FileNotFound, folder.string() + ": folder not found");
    if (!fs::is_directory(folder, ec))
        throw Error(ErrorCode::InvalidArgument, folder.string() + ": not a folder");
    ModelSet set;
    set.directory = folder;
    set.layout = detectLayout(folder);

    if (fs::is_regular_file(folder / "cascade.json", ec))
        set.cascadeJson = folder / "cascade.json";

    std::vector<Unit> units;
    std::set<fs::path> sharded;
    std::vector<fs::path> dirs;
    scan(folder, 0, units, sharded, dirs, set.notes);
    if (units.size() >= kMaxFiles)
        set.notes.push_back("stopped after " + std::to_string(kMaxFiles) + " weight files");

    std::vector<Candidate> candidates;
    for (const auto& unit : units) {
        FileReport report;
        try {
            report = inspectFiles(unit.files);
        } catch (const Error& e) {
            set.notes.push_back(std::string("skipped: ") + e.what());
            continue;
        }
        const bool bf16 = report.dtypes.count("BF16") && report.dtypes.at("BF16") * 2 > report.tensorCount;
        for (const auto& part : report.parts) {
            Role role;
            switch (part.kind) {
            case ModelKind::StageA: role = Role::StageA; break;
            case ModelKind::StageB: role = Role::StageB; break;
            case ModelKind::StageC: role = Role::StageC; break;
            case ModelKind::Previewer: role = Role::Previewer; break;
            case ModelKind::EffNet: role = Role::EffNet; break;
            case ModelKind::TextEncoder:
                // Demo and parity sets (cascade.json) have small text encoders; real sets need bigG.
                if (part.variant != "bigG" && set.cascadeJson.empty()) {
                    set.notes.push_back("not used: " + joinNames(unit.files) + " is a " + part.variant +
                                        " text encoder, Stable Cascade needs CLIP-bigG");
                    continue;
                }
                role = Role::TextEncoder;
                break;
            default: continue;
            }
            const bool lite = part.variant == "1B" || part.variant == "700M";
            const bool custom = part.variant.rfind("custom", 0) == 0;
            const int size = custom ? 0 : (lite == options.preferLite ? 2 : 1);
            // Stage A: the official stage_a (scale 0.43) beats diffusers' vqgan (a Wuerstchen VQGAN, scale 0.3764).
            const int names = part.layout == "official" || part.layout == "hf" ? 1 : 0;
            candidates.push_back({role,
                                  WeightSource{unit.files, part.layout, part.prefix, part.variant},
                                  {size, isConventional(unit.files.front(), part.kind) ? 1 : 0, bf16 ? 1 : 0, names}});
        }
    }
    for (Role role : {Role::StageA, Role::StageB, Role::StageC, Role::Previewer, Role::EffNet, Role::TextEncoder}) {
        std::vector<const Candidate*> mine;
        for (const auto& c : candidates)
            if (c.role == role)
                mine.push_back(&c);
        if (mine.empty())
            continue;
        std::stable_sort(mine.begin(), mine.end(), [](const Candidate* a, const Candidate* b) {
            if (a->rank != b->rank)
                return a->rank > b->rank;
            return a->source.files.front() < b->source.files.front();
        });
        slotOf(set, role) = mine.front()->source;
        if (mine.size() > 1) {
            std::string others;
            for (std::size_t i = 1; i < mine.size(); ++i)
                others += (i > 1 ? "; " : "") + mine[i]->source.describe();
            set.notes.push_back(std::string(roleName(role)) + ": chose " + mine.front()->source.describe() + " over " +
                                others);
        }
    }

    if (!set.textEncoder.empty()) {
        const auto config = set.textEncoder.files.front().parent_path() / "config.json";
        if (fs::is_regular_file(config, ec))
            set.textEncoderConfig = config;
    }
    findTokenizer(set, dirs, options);

    for (Role role : {Role::StageC, Role::StageB, Role::StageA, Role::TextEncoder})
        if (set.source(role).empty())
            set.missing.push_back(roleName(role));
    if (set.tokenizerDir.empty() && set.bpeVocabGz.empty())
        set.missing.push_back("tokenizer");
    return set;
}

void requireComplete(const ModelSet& set)
{
    if (set.complete())
        return;
    std::string text = set.directory.string() + ": incomplete model set, missing ";
    for (std::size_t i = 0; i < set.missing.size(); ++i) {
        const auto& m = set.missing[i];
        text += i ? "; " : "";
        if (m == "tokenizer")
            text += "the tokenizer (vocab.json and merges.txt, or bpe_simple_vocab_16e6.txt.gz; put them in a "
                    "'tokenizer' folder beside the model or choose a tokenizer folder)";
        else if (m == "text_encoder")
            text += "the CLIP-bigG text encoder (text_encoder/model.safetensors)";
        else
            text += m + " (" + m + "*.safetensors)";
    }
    throw Error(ErrorCode::FileNotFound, text);
}

} // namespace kaskade
