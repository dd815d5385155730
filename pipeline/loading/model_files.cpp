#include "pipeline/loading/model_files.h"

#include "pipeline/errors.h"
#include "pipeline/io/name_rules.h"
#include "pipeline/io/safe_files.h"
#include "pipeline/io/safetensors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/loading/inspect.h"

namespace kaskade {
namespace fs = std::filesystem;
namespace {

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

} // namespace

WeightSource weightSourceOf(const std::filesystem::path& file, Role expected, const std::string& expectedText)
{
    const FileReport report = inspectFile(file);
    const FilePart* part = report.part(expected);
    if (!part)
        throw Error(ErrorCode::BadCheckpoint,
                    file.string() + " is " + report.description + "; expected " + expectedText);
    WeightSource source;
    source.files = report.files;
    source.layout = part->layout;
    source.prefix = part->prefix;
    source.variant = part->variant;
    return source;
}

std::vector<ModelFileInfo> ModelFiles::fileList() const
{
    std::vector<ModelFileInfo> list;
    auto add = [&](Role role, const WeightSource& ref, std::optional<ControlKind> control = std::nullopt) {
        for (const auto& f : ref.files) {
            std::error_code ec;
            list.push_back({role, f.string(), static_cast<std::uint64_t>(fs::file_size(f, ec)), control});
        }
    };
    for (Role role : {Role::StageC, Role::StageB, Role::StageA, Role::Previewer, Role::TextEncoder, Role::EffNet})
        add(role, source(role));
    add(Role::ClipVision, clipVision);
    for (ControlKind kind : {ControlKind::Canny, ControlKind::Inpaint, ControlKind::SuperResolution})
        add(Role::ControlNet, controlNet(kind), kind);
    if (!tokenizer.empty())
        list.push_back({Role::Tokenizer, tokenizer.string(), 0});
    return list;
}

ModelFiles resolveModelFiles(const ModelSpec& spec)
{
    ModelFiles files;
    static_cast<ModelSet&>(files) = findModelSet(spec.directory);
    ModelSet check = files; // what the folder alone lacks
    if (!spec.stageBFile.empty())
        files.stageB =
            weightSourceOf(spec.stageBFile, Role::StageB, "a Stage B checkpoint (the loaded model is unchanged)");
    // A fine-tuned Stage C may come with its text encoder: <name>_text_encoder.safetensors (OneTrainer)
    // or <name>_text_model.safetensors (kohya), as SD.Next loads them.
    if (!spec.stageCFile.empty()) {
        files.stageC =
            weightSourceOf(spec.stageCFile, Role::StageC, "a Stage C checkpoint (the loaded model is unchanged)");
        const fs::path stageC(spec.stageCFile);
        for (const char* suffix : {"_text_encoder.safetensors", "_text_model.safetensors"}) {
            const fs::path companion = stageC.parent_path() / (stageC.stem().string() + suffix);
            if (fs::is_regular_file(companion)) {
                files.textEncoder =
                    weightSourceOf(companion, Role::TextEncoder, "a CLIP text encoder (the loaded model is unchanged)");
                files.textEncoderConfig.clear(); // the released CLIP-bigG configuration
                files.notes.push_back("text encoder from " + companion.filename().string());
                break;
            }
        }
    }
    files.tokenizer = !files.tokenizerDir.empty() ? files.tokenizerDir : files.bpeVocabGz;
    // Overrides can fill pieces the folder lacks.
    for (Role role : {Role::StageB, Role::StageC})
        if (!files.source(role).empty())
            std::erase(check.missing, std::string(roleName(role)));
    requireComplete(check);
    if (!files.cascadeJson.empty()) {
        files.cascade = io::readJsonFile(files.cascadeJson, 16 << 20); // regular file, bounded size and depth
        const auto demo = files.cascade.is_object() ? files.cascade.find("demo") : files.cascade.end();
        files.demo = demo != files.cascade.end() && demo->is_boolean() && demo->get<bool>();
    }
    return files;
}

std::uint64_t estimatedBytes(const ModelFiles& files, std::size_t elementSize)
{
    std::uint64_t total = 0;
    for (const WeightSource* ref : {&files.stageA, &files.stageB, &files.stageC, &files.previewer, &files.textEncoder})
        for (const auto& f : ref->files) {
            auto reader = st::Reader::open(f);
            for (const auto& t : reader->tensors())
                total += static_cast<std::uint64_t>(t.numel()) * elementSize;
        }
    return total;
}

models::ClipTextModel loadTextEncoder(const ModelFiles& files, const at::TensorOptions& options)
{
    const models::ClipTextConfig config = files.textEncoderConfig.empty()
                                              ? models::ClipTextConfig{}
                                              : models::ClipTextConfig::fromFile(files.textEncoderConfig);
    const std::string what = files.textEncoder.describe() + " (CLIP text encoder)";
    return models::loadClipText(config, loadOfficial(files.textEncoder, Role::TextEncoder), what, options);
}

models::StageC loadStageCFrom(const ModelFiles& files, const at::TensorOptions& options)
{
    return models::loadStageC(loadOfficial(files.stageC, Role::StageC), files.stageC.describe(), options,
                              argsOf(files, "stage_c"));
}

models::StageB loadStageBFrom(const ModelFiles& files, const at::TensorOptions& options)
{
    return models::loadStageB(loadOfficial(files.stageB, Role::StageB), files.stageB.describe(), options,
                              argsOf(files, "stage_b"));
}

models::StageA loadStageAFrom(const ModelFiles& files, const at::TensorOptions& options)
{
    const nlohmann::json* args = argsOf(files, "stage_a");
    const models::StageAConfig config = args ? models::StageAConfig::fromJson(*args) : models::StageAConfig{};
    models::StageA model(config, options);
    loadStateDict(*model, loadOfficial(files.stageA, Role::StageA), files.stageA.describe() + " (Stage A)");
    return model;
}

models::Previewer loadPreviewerFrom(const ModelFiles& files, const at::TensorOptions& options)
{
    const nlohmann::json* args = argsOf(files, "previewer");
    const models::PreviewerConfig config = args ? models::PreviewerConfig::fromJson(*args) : models::PreviewerConfig{};
    models::Previewer model(config, options);
    loadStateDict(*model, loadOfficial(files.previewer, Role::Previewer), files.previewer.describe() + " (previewer)");
    return model;
}

models::EfficientNetEncoder loadEffnetFrom(const ModelFiles& files, const at::TensorOptions& options)
{
    if (files.effnet.empty())
        throw Error(ErrorCode::FileNotFound, files.directory.string() +
                                                 ": no EfficientNet encoder (effnet_encoder.safetensors); image inputs "
                                                 "need it: download effnet_encoder.safetensors from the Hugging Face "
                                                 "repository stabilityai/stable-cascade into the model folder");
    return models::loadEffnetEncoder(loadOfficial(files.effnet, Role::EffNet), files.effnet.describe(), options);
}

models::ClipVisionModel loadClipVisionFrom(const ModelFiles& files, const at::TensorOptions& options)
{
    if (files.clipVision.empty())
        throw Error(ErrorCode::FileNotFound,
                    files.directory.string() + ": no CLIP image encoder; image variations need it: download "
                                               "image_encoder/ (config.json, model.safetensors) from the Hugging Face "
                                               "repository stabilityai/stable-cascade-prior into the model folder");
    const auto& file = files.clipVision.files.front();
    nlohmann::json config;
    if (!files.clipVisionConfig.empty()) {
        config = io::readJsonFile(files.clipVisionConfig, 16 << 20); // regular file, bounded size and depth
    }
    const auto tensors = models::clipVisionTensors(st::Reader::open(file)->loadAll(), file.string());
    return models::loadClipVision(tensors, config.is_object() ? &config : nullptr, files.clipVision.describe(),
                                  options);
}

models::ControlNet loadControlNetFrom(const ModelFiles& files, ControlKind kind, const at::TensorOptions& options)
{
    const auto& source = files.controlNet(kind);
    if (source.empty())
        throw Error(ErrorCode::FileNotFound,
                    files.directory.string() + ": no " + controlKindName(kind) + " ControlNet (controlnet/" +
                        controlKindFileName(kind) +
                        "); download it from the Hugging Face repository "
                        "stabilityai/stable-cascade (folder controlnet/) into the model folder");
    const nlohmann::json* args = argsOf(files, (std::string("controlnet_") + controlKindName(kind)).c_str());
    if (!args)
        args = argsOf(files, "controlnet");
    TensorMap tensors;
    for (auto& [name, tensor] : st::Reader::open(source.files.front())->loadAll())
        if (name.compare(0, source.prefix.size(), source.prefix) == 0)
            tensors.emplace(name.substr(source.prefix.size()), tensor);
    auto model = models::loadControlNet(tensors, source.describe(), options, args);
    models::checkControlNetKind(model->config, kind, source.describe());
    return model;
}

} // namespace kaskade
