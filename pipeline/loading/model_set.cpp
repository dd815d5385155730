#include "pipeline/loading/model_set.h"

#include "pipeline/errors.h"
#include "pipeline/io/safe_files.h"
#include "pipeline/loading/inspect.h"

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
constexpr std::uint64_t kMaxIndexBytes = 64ull << 20; // real indexes are well under 1 MB

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

// A small text file (refs/main), or "" when it is absent or not a regular file (a FIFO would block).
std::string readText(const fs::path& p)
{
    try {
        return io::readRegularFile(p, 4096);
    } catch (const Error&) {
        return {};
    }
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

// The shard file an index names, or empty when the name leaves the index's folder: an index is data
// from the internet, and "../../etc/passwd" or "/home/me/.ssh/id_rsa" must never be opened.
fs::path confinedShard(const fs::path& dir, const std::string& name)
{
    const fs::path relative(name);
    if (name.empty() || relative.is_absolute() || relative.has_root_name() || relative.has_root_directory())
        return {};
    for (const auto& part : relative)
        if (part == "..")
            return {};
    // A Hugging Face cache links snapshot files to ../../blobs: there the repository folder is the bound.
    fs::path root = dir;
    for (fs::path p = dir; !p.empty() && p != p.parent_path(); p = p.parent_path())
        if (p.filename().string().rfind("models--", 0) == 0) {
            root = p;
            break;
        }
    std::error_code ec;
    const auto base = fs::weakly_canonical(root, ec);
    const auto target = fs::weakly_canonical(dir / relative, ec);
    if (ec)
        return {};
    // A symlinked shard may point elsewhere; its resolved path must still lie inside the folder.
    const auto rel = target.lexically_relative(base);
    if (rel.empty() || *rel.begin() == "..")
        return {};
    return dir / relative;
}

void scan(const fs::path& dir, int depth, std::vector<Unit>& units, std::set<fs::path>& sharded,
          std::vector<fs::path>& dirs, std::vector<std::string>& notes, std::set<fs::path>& visited)
{
    std::error_code ec;
    // Each real folder once: symlinks to an ancestor would otherwise repeat the tree k^depth times.
    if (!visited.insert(fs::weakly_canonical(dir, ec)).second)
        return;
    dirs.push_back(dir);
    if (fs::is_directory(dir / "snapshots", ec) && dir.filename().string().rfind("models--", 0) == 0) {
        if (const auto snapshot = chooseSnapshot(dir, notes); !snapshot.empty())
            scan(snapshot, depth + 1, units, sharded, dirs, notes, visited);
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
            const auto index = io::readJsonFile(e.path(), kMaxIndexBytes);
            const auto map = index.is_object() ? index.find("weight_map") : index.end();
            if (!index.is_object() || map == index.end() || !map->is_object()) {
                notes.push_back("skipped " + e.path().string() + ": not a safetensors index (no weight_map)");
                continue;
            }
            std::set<std::string> names;
            std::string problem;
            for (const auto& [key, file] : map->items())
                if (file.is_string())
                    names.insert(file.get<std::string>());
                else
                    problem = "weight_map values are not file names";
            Unit unit;
            for (const auto& name : names) {
                const fs::path shard = confinedShard(dir, name);
                if (shard.empty())
                    problem = "shard '" + name.substr(0, 80) + "' is outside the index's folder";
                unit.files.push_back(shard);
            }
            if (!problem.empty()) {
                notes.push_back("skipped " + e.path().string() + ": " + problem);
                continue;
            }
            for (const auto& f : unit.files)
                sharded.insert(f);
            units.push_back(unit);
        } catch (const Error& error) {
            notes.push_back("skipped " + e.path().string() + ": " + error.what());
        }
    }
    for (const auto& e : entries) {
        const auto& p = e.path();
        if (e.is_directory(ec)) {
            if (depth < kMaxDepth && !kSkippedDirs.count(p.filename().string()))
                scan(p, depth + 1, units, sharded, dirs, notes, visited);
        } else if (isWeightFile(p) && e.is_regular_file(ec) && !sharded.count(p) && units.size() < kMaxFiles) {
            units.push_back({{p}});
        }
    }
}

bool isConventional(const fs::path& file, Role role)
{
    const auto name = file.filename().string();
    const auto parent = file.parent_path().filename().string();
    for (const char* start : {"stage_a", "stage_b", "stage_c", "stable_cascade_", "previewer", "effnet_encoder",
                              "model.", "model-", "diffusion_pytorch_model"})
        if (name.rfind(start, 0) == 0)
            return role != Role::TextEncoder || parent == "text_encoder" || parent == "clip" ||
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

// A file's ControlNet / CLIP-vision part, or nullptr (unreadable files are noted, not fatal).
const FilePart* imageInputPart(const fs::path& file, Role role, FileReport& report, std::vector<std::string>& notes)
{
    try {
        report = inspectFile(file);
    } catch (const Error& e) {
        notes.push_back(std::string("skipped: ") + e.what());
        return nullptr;
    }
    return report.part(role);
}

// The optional image-input networks. Their folders (controlnet/, image_encoder/, clip_vision/) are not
// scanned for base weights, so they are looked up by their conventional names beside each scanned folder.
void findImageInputs(ModelSet& set, const std::vector<fs::path>& dirs)
{
    std::error_code ec;
    struct Slot
    {
        ControlKind kind;
        WeightSource* source;
        const char* bottleneck;
    };
    const Slot slots[] = {{ControlKind::Canny, &set.controlCanny, "effnet"},
                          {ControlKind::Inpaint, &set.controlInpaint, "effnet"},
                          {ControlKind::SuperResolution, &set.controlSuperResolution, "large"}};
    for (const auto& slot : slots) {
        const std::string name = controlKindFileName(slot.kind);
        for (const auto& d : dirs) {
            if (!slot.source->empty())
                break;
            for (const auto& candidate : {d / "controlnet" / name, d / "controlnet" / ("stable_cascade_" + name),
                                          d / ("stable_cascade_" + name)}) {
                if (!fs::is_regular_file(candidate, ec))
                    continue;
                FileReport report;
                const auto* part = imageInputPart(candidate, Role::ControlNet, report, set.notes);
                if (!part || part->variant != slot.bottleneck) {
                    set.notes.push_back("not used: " + candidate.string() + " is not a " + controlKindName(slot.kind) +
                                        " ControlNet (" + report.description + ")");
                    continue;
                }
                *slot.source = WeightSource{{candidate}, "official", part->prefix, ""};
                break;
            }
        }
    }
    // The image encoder: image_encoder/ (diffusers prior repo), ComfyUI clip_vision/ (only a ViT-L/14 fits
    // Stage C's 768-wide clip_img), or the CLIP-L vision tower bundled in an all-in-one Stage C file.
    for (const auto& d : dirs) {
        std::vector<fs::path> candidates;
        for (const char* name : {"model.safetensors", "model.bf16.safetensors", "model.fp16.safetensors"})
            candidates.push_back(d / "image_encoder" / name);
        const std::size_t official = candidates.size();
        std::vector<fs::path> comfy;
        for (const auto& e : fs::directory_iterator(d / "clip_vision", ec))
            if (isWeightFile(e.path()))
                comfy.push_back(e.path());
        std::sort(comfy.begin(), comfy.end());
        candidates.insert(candidates.end(), comfy.begin(), comfy.end());
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            const auto& candidate = candidates[i];
            if (!set.clipVision.empty() || !fs::is_regular_file(candidate, ec))
                continue;
            FileReport report;
            const auto* part = imageInputPart(candidate, Role::ClipVision, report, set.notes);
            // ComfyUI's clip_vision/ also holds the ViT-H/bigG encoders of other models.
            if (!part || (i >= official && part->variant != "L/14")) {
                set.notes.push_back("not used: " + candidate.string() + " is not a CLIP ViT-L/14 image encoder (" +
                                    report.description + ")");
                continue;
            }
            set.clipVision = WeightSource{{candidate}, "hf", part->prefix, part->variant};
        }
    }
    if (set.clipVision.empty() && set.stageC.files.size() == 1) {
        FileReport report;
        if (const auto* part = imageInputPart(set.stageC.files.front(), Role::ClipVision, report, set.notes))
            set.clipVision = WeightSource{set.stageC.files, "hf", part->prefix, part->variant};
    }
    if (!set.clipVision.empty()) {
        const auto config = set.clipVision.files.front().parent_path() / "config.json";
        if (set.clipVision.files.front().parent_path().filename() == "image_encoder" && fs::is_regular_file(config, ec))
            set.clipVisionConfig = config;
    }
}

} // namespace

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

const WeightSource& ModelSet::controlNet(ControlKind kind) const
{
    switch (kind) {
    case ControlKind::Canny: return controlCanny;
    case ControlKind::Inpaint: return controlInpaint;
    case ControlKind::SuperResolution: return controlSuperResolution;
    }
    return controlCanny;
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
    case Role::ClipVision: return clipVision;
    case Role::ControlNet: // one per ControlKind: controlNet()
    case Role::Lora:
    case Role::Tokenizer: break;
    }
    static const WeightSource none;
    return none;
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
    set.layout = detectFolderLayout(folder);

    if (fs::is_regular_file(folder / "cascade.json", ec))
        set.cascadeJson = folder / "cascade.json";

    std::vector<Unit> units;
    std::set<fs::path> sharded;
    std::vector<fs::path> dirs;
    std::set<fs::path> visited;
    scan(folder, 0, units, sharded, dirs, set.notes, visited);
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
            const Role role = part.role;
            switch (role) {
            case Role::StageA:
            case Role::StageB:
            case Role::StageC:
            case Role::Previewer:
            case Role::EffNet: break;
            case Role::TextEncoder:
                // Demo and parity sets (cascade.json) have small text encoders; real sets need bigG.
                if (part.variant != "bigG" && set.cascadeJson.empty()) {
                    set.notes.push_back("not used: " + joinNames(unit.files) + " is a " + part.variant +
                                        " text encoder, Stable Cascade needs CLIP-bigG");
                    continue;
                }
                break;
            default: continue; // image-input networks and LoRAs are looked up apart (findImageInputs)
            }
            const bool lite = part.variant == "1B" || part.variant == "700M";
            const bool custom = part.variant.rfind("custom", 0) == 0;
            const int size = custom ? 0 : (lite == options.preferLite ? 2 : 1);
            // Stage A: the official stage_a (scale 0.43) beats diffusers' vqgan (a Wuerstchen VQGAN, scale 0.3764).
            const int names = part.layout == "official" || part.layout == "hf" ? 1 : 0;
            candidates.push_back({role,
                                  WeightSource{unit.files, part.layout, part.prefix, part.variant},
                                  {size, isConventional(unit.files.front(), part.role) ? 1 : 0, bf16 ? 1 : 0, names}});
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
    findImageInputs(set, dirs);

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
