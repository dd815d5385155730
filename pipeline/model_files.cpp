#include "pipeline/model_files.h"

#include "pipeline/errors.h"
#include "pipeline/io/name_rules_text.h"
#include "pipeline/io/safetensors.h"
#include "pipeline/io/state_dict.h"

#include <fstream>

namespace kaskade {
namespace fs = std::filesystem;
namespace {

// Tensors of a WeightRef under the names its layout uses (prefix stripped).
TensorMap readTensors(const WeightRef& ref)
{
    TensorMap all;
    for (const auto& file : ref.files) {
        auto reader = st::Reader::open(file);
        for (const auto& info : reader->tensors()) {
            if (!ref.prefix.empty() && info.name.rfind(ref.prefix, 0) != 0)
                continue;
            all[info.name.substr(ref.prefix.size())] = reader->tensor(info.name);
        }
    }
    return all;
}

const nlohmann::json* argsOf(const ModelFiles& files, const char* role)
{
    if (!files.cascade.is_object())
        return nullptr;
    auto it = files.cascade.find(role);
    if (it == files.cascade.end() || !it->is_object())
        return nullptr;
    auto args = it->find("args");
    return args == it->end() ? nullptr : &*args;
}

fs::path firstExisting(const fs::path& dir, std::initializer_list<const char*> names)
{
    for (const char* name : names)
        if (fs::is_regular_file(dir / name))
            return dir / name;
    return {};
}

} // namespace

std::string WeightRef::describe() const
{
    std::string text;
    for (const auto& f : files)
        text += (text.empty() ? "" : ", ") + f.filename().string();
    return text;
}

std::vector<ModelFileInfo> ModelFiles::fileList() const
{
    std::vector<ModelFileInfo> list;
    auto add = [&](const char* role, const WeightRef& ref) {
        for (const auto& f : ref.files) {
            std::error_code ec;
            list.push_back({role, f.string(), static_cast<std::uint64_t>(fs::file_size(f, ec))});
        }
    };
    add("stage_c", stageC);
    add("stage_b", stageB);
    add("stage_a", stageA);
    add("previewer", previewer);
    add("text_encoder", textEncoder);
    if (!tokenizer.empty())
        list.push_back({"tokenizer", tokenizer.string(), 0});
    return list;
}

ModelFiles resolveModelFiles(const ModelSpec& spec)
{
    // Official release layout (+ cascade.json). Other layouts are resolved by model_set.
    const fs::path dir(spec.directory);
    if (!fs::is_directory(dir))
        throw Error(ErrorCode::FileNotFound, dir.string() + ": no such model folder");
    ModelFiles files;
    files.directory = dir;
    if (fs::is_regular_file(dir / "cascade.json")) {
        std::ifstream in(dir / "cascade.json");
        try {
            files.cascade = nlohmann::json::parse(in);
        } catch (const nlohmann::json::exception& e) {
            throw Error(ErrorCode::BadFormat, (dir / "cascade.json").string() + ": not valid JSON: " + e.what());
        }
        files.demo = files.cascade.value("demo", false);
    }
    auto pick = [&](const std::string& override, std::initializer_list<const char*> names) {
        WeightRef ref;
        const fs::path path = override.empty() ? firstExisting(dir, names) : fs::path(override);
        if (!path.empty())
            ref.files.push_back(path);
        return ref;
    };
    files.stageC = pick(spec.stageCFile, {"stage_c_bf16.safetensors", "stage_c.safetensors",
                                          "stage_c_lite_bf16.safetensors", "stage_c_lite.safetensors"});
    files.stageB = pick(spec.stageBFile, {"stage_b_bf16.safetensors", "stage_b.safetensors",
                                          "stage_b_lite_bf16.safetensors", "stage_b_lite.safetensors"});
    files.stageA = pick({}, {"stage_a.safetensors"});
    files.previewer = pick({}, {"previewer.safetensors"});
    files.textEncoder.layout = "hf";
    if (auto te = firstExisting(dir / "text_encoder", {"model.bf16.safetensors", "model.safetensors"}); !te.empty())
        files.textEncoder.files.push_back(te);
    if (fs::is_regular_file(dir / "text_encoder" / "config.json"))
        files.textEncoderConfig = dir / "text_encoder" / "config.json";
    if (fs::is_regular_file(dir / "tokenizer" / "vocab.json"))
        files.tokenizer = dir / "tokenizer";
    std::vector<std::string> missing;
    if (files.stageC.empty())
        missing.push_back("Stage C (stage_c*.safetensors)");
    if (files.stageB.empty())
        missing.push_back("Stage B (stage_b*.safetensors)");
    if (files.stageA.empty())
        missing.push_back("Stage A (stage_a.safetensors)");
    if (files.textEncoder.empty())
        missing.push_back("text encoder (text_encoder/model.safetensors)");
    if (files.tokenizer.empty())
        missing.push_back("tokenizer (tokenizer/vocab.json and tokenizer/merges.txt)");
    if (!missing.empty()) {
        std::string text = dir.string() + ": incomplete model folder; missing:";
        for (const auto& m : missing)
            text += "\n  " + m;
        throw Error(ErrorCode::FileNotFound, text);
    }
    return files;
}

std::uint64_t estimatedBytes(const ModelFiles& files, std::size_t elementSize)
{
    std::uint64_t total = 0;
    for (const WeightRef* ref : {&files.stageA, &files.stageB, &files.stageC, &files.previewer, &files.textEncoder})
        for (const auto& f : ref->files) {
            auto reader = st::Reader::open(f);
            for (const auto& t : reader->tensors())
                total += static_cast<std::uint64_t>(t.numel()) * elementSize;
        }
    return total;
}

clip::ClipTextModel loadTextEncoder(const ModelFiles& files, const at::TensorOptions& options)
{
    const clip::ClipTextConfig config =
        files.textEncoderConfig.empty() ? clip::ClipTextConfig{} : clip::ClipTextConfig::fromFile(files.textEncoderConfig);
    const std::string what = files.textEncoder.describe() + " (CLIP text encoder)";
    TensorMap tensors = readTensors(files.textEncoder);
    if (files.textEncoder.layout != "hf")
        tensors = clip::textEncoderToHf(tensors, what);
    return clip::loadClipText(config, tensors, what, options);
}

StageC loadStageCFrom(const ModelFiles& files, const at::TensorOptions& options)
{
    return loadStageC(readTensors(files.stageC), files.stageC.describe(), options, argsOf(files, "stage_c"));
}

StageB loadStageBFrom(const ModelFiles& files, const at::TensorOptions& options)
{
    return loadStageB(readTensors(files.stageB), files.stageB.describe(), options, argsOf(files, "stage_b"));
}

models::StageA loadStageAFrom(const ModelFiles& files, const at::TensorOptions& options)
{
    const nlohmann::json* args = argsOf(files, "stage_a");
    const models::StageAConfig config = args ? models::StageAConfig::fromJson(*args) : models::StageAConfig{};
    models::StageA model(config, options);
    loadStateDict(*model, readTensors(files.stageA), files.stageA.describe() + " (Stage A)");
    return model;
}

models::Previewer loadPreviewerFrom(const ModelFiles& files, const at::TensorOptions& options)
{
    const nlohmann::json* args = argsOf(files, "previewer");
    const models::PreviewerConfig config = args ? models::PreviewerConfig::fromJson(*args) : models::PreviewerConfig{};
    models::Previewer model(config, options);
    loadStateDict(*model, readTensors(files.previewer), files.previewer.describe() + " (previewer)");
    return model;
}

} // namespace kaskade
