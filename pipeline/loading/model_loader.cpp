#include "pipeline/loading/model_loader.h"

#include "pipeline/device.h"
#include "pipeline/errors.h"
#include "pipeline/io/safetensors.h"
#include "pipeline/limits.h"
#include "pipeline/loading/lora.h"
#include "pipeline/loading/model_files.h"
#include "pipeline/runtime/cpu_allocator.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

namespace kaskade {
namespace fs = std::filesystem;
namespace {

at::ScalarType scalarTypeFor(const std::string& dtype)
{
    if (dtype == "bf16")
        return at::kBFloat16;
    if (dtype == "fp16")
        return at::kHalf;
    return at::kFloat;
}

std::uint64_t moduleBytes(const torch::nn::Module& module)
{
    std::uint64_t bytes = 0;
    for (const auto& p : module.parameters(true))
        bytes += p.numel() * p.element_size();
    for (const auto& b : module.buffers(true))
        bytes += b.numel() * b.element_size();
    return bytes;
}

std::string gib(std::uint64_t bytes)
{
    std::ostringstream out;
    out.precision(1);
    out << std::fixed << bytes / 1073741824.0 << " GiB";
    return out.str();
}

} // namespace

struct LoadedModels::Impl
{
    ModelSpec spec;
    ModelFiles files;
    bool open = false;
    std::string deviceName = "cpu";
    std::string dtypeName = "fp32";
    at::Device device = at::kCPU;
    at::ScalarType dtype = at::kFloat;
    bool sequential = false;

    std::shared_ptr<const text::ClipTokenizer> tokenizer;
    // shared_ptr, not unique_ptr: open() builds a candidate state as a copy that shares what stays loaded.
    std::shared_ptr<text::PromptEncoder> encoder;
    models::StageC stageC{nullptr};
    models::StageB stageB{nullptr};
    models::StageA stageA{nullptr};
    std::shared_ptr<models::Previewer> previewer;
    bool previewerLoaded = false;
    models::EfficientNetEncoder effnet{nullptr};
    models::ClipVisionModel clipVision{nullptr};
    std::map<ControlKind, models::ControlNet> controlNets;
    std::string stageCVariant, stageBVariant;
    std::map<std::string, LoraFile> loraFiles; // by path: read once, re-merged when strengths change
    LoraMerger loraMerger;

    // Merges spec.loras into the loaded Stage C (replacing the previous merge).
    void applyLoras()
    {
        if (!stageC)
            return;
        std::vector<std::pair<const LoraFile*, double>> list;
        for (const auto& l : spec.loras) {
            auto it = loraFiles.find(l.path);
            if (it == loraFiles.end())
                it = loraFiles.emplace(l.path, readLora(l.path, *stageC)).first;
            list.emplace_back(&it->second, l.strength);
        }
        if (list.empty())
            loraMerger.clear(*stageC);
        else
            loraMerger.apply(*stageC, list);
    }
    int textRunsBefore = 0; // text model runs of encoders released earlier

    at::TensorOptions options(at::ScalarType type) const { return at::TensorOptions().dtype(type).device(device); }

    void loading(const GenerationCallbacks& callbacks, const std::string& what) const
    {
        if (callbacks.progress)
            callbacks.progress(Progress{.phase = Phase::Loading, .steps = 1, .message = what});
    }

    // The lazy loaders' one shape: on first use, report which file loads, then load it into `slot`.
    // Returns true when it loaded now (the caller then does what follows a load).
    template <typename Module, typename Load>
    bool loadOnce(Module& slot, Role role, const GenerationCallbacks& callbacks, Load load)
    {
        if (slot)
            return false;
        loading(callbacks, std::string(roleLabel(role)) + ": " + files.source(role).describe());
        slot = load();
        releaseCpuCache(); // a loader's freed temporaries (conversions, checks) are not activations to reuse
        return true;
    }
};

LoadedModels::LoadedModels() : impl_(std::make_unique<Impl>()) {}
LoadedModels::~LoadedModels() = default;

void LoadedModels::open(const ModelSpec& spec, const GenerationCallbacks& callbacks)
{
    // Resolve everything first: a bad folder or file leaves the loaded set as it was.
    ModelFiles files = resolveModelFiles(spec);
    const std::string deviceName = resolveDevice(spec.device);
    const std::string dtypeName = resolveDtype(spec.precision, deviceName);
    const at::ScalarType dtype = scalarTypeFor(dtypeName);
    models::checkStageCDtype(dtype); // fp16 → clear refusal before anything is loaded

    for (const auto& l : spec.loras) {
        if (!limits::loraStrength.contains(l.strength))
            throw Error(ErrorCode::InvalidArgument, l.path + ": LoRA strength must be between -2 and 2");
        if (!fs::is_regular_file(l.path))
            throw Error(ErrorCode::FileNotFound, l.path + ": no such LoRA file");
    }
    // Transactional: the new state starts as a copy of the current one (sharing the loaded networks) and
    // stays only when everything it needs has loaded; on any failure the previous state comes back as it
    // was, so a corrupt Stage B or LoRA never leaves the app without its working model.
    auto previous = std::make_unique<Impl>(*impl_);
    std::swap(impl_, previous);
    auto& d = *impl_;
    bool sharedStageCMerged = false; // LoRAs were merged into the Stage C both states share
    try {
        const bool sameBase =
            d.open && d.files.directory == files.directory && d.deviceName == deviceName && d.dtypeName == dtypeName;
        if (!sameBase || d.files.textEncoder != files.textEncoder || d.files.tokenizer != files.tokenizer) {
            if (d.encoder)
                d.textRunsBefore += d.encoder->stats().modelRuns;
            d.encoder.reset();
            d.tokenizer.reset();
        }
        if (!sameBase || d.files.stageC != files.stageC) {
            d.stageC = nullptr;
            d.loraFiles.clear(); // LoRA targets are mapped onto one Stage C
            d.loraMerger = LoraMerger{};
        }
        const bool lorasChanged = d.spec.loras != spec.loras;
        if (!sameBase || d.files.stageB != files.stageB)
            d.stageB = nullptr;
        if (!sameBase || d.files.stageA != files.stageA)
            d.stageA = nullptr;
        if (!sameBase || d.files.effnet != files.effnet)
            d.effnet = nullptr;
        if (!sameBase || d.files.clipVision != files.clipVision)
            d.clipVision = nullptr;
        if (!sameBase || d.files.stageC != files.stageC || d.files.controlCanny != files.controlCanny ||
            d.files.controlInpaint != files.controlInpaint ||
            d.files.controlSuperResolution != files.controlSuperResolution)
            d.controlNets.clear();
        if (!sameBase || d.files.previewer != files.previewer) {
            d.previewer.reset();
            d.previewerLoaded = false;
        }
        d.spec = spec;
        d.files = std::move(files);
        d.deviceName = deviceName;
        d.dtypeName = dtypeName;
        d.dtype = dtype;
        d.device = at::Device(deviceName);
        d.open = true;
        if (lorasChanged && d.stageC) {
            d.applyLoras(); // refuses bad files and non-finite merges before changing any weight
            sharedStageCMerged = d.stageC.ptr() == previous->stageC.ptr();
        }

        Residency residency = spec.residency;
        if (residency == Residency::Auto) {
            std::uint64_t freeBytes = 0;
            for (const auto& dev : listDevices())
                if (dev.id == deviceName)
                    freeBytes = dev.freeMemory;
            const std::uint64_t need = estimatedBytes(d.files, at::elementSize(dtype));
            residency =
                (freeBytes == 0 || need < freeBytes * 8 / 10) ? Residency::AllResident : Residency::OneStageAtATime;
        }
        d.sequential = residency == Residency::OneStageAtATime;
        if (!d.sequential) {
            promptEncoder(callbacks);
            stageC(callbacks);
            stageB(callbacks);
            stageA(callbacks);
            previewer(callbacks);
        }
    } catch (...) {
        if (sharedStageCMerged) { // take the new merge off the shared weights and put the old one back
            try {
                d.loraMerger.clear(*d.stageC);
                previous->loraMerger = LoraMerger{};
                previous->applyLoras();
            } catch (...) {
            }
        }
        std::swap(impl_, previous);
        throw;
    }
}

bool LoadedModels::isOpen() const
{
    return impl_->open;
}
at::Device LoadedModels::device() const
{
    return impl_->device;
}

ModelInfo LoadedModels::info() const
{
    const auto& d = *impl_;
    ModelInfo info;
    info.loaded = d.open;
    if (!d.open)
        return info;
    info.demo = d.files.demo;
    info.device = d.deviceName;
    info.dtype = d.dtypeName;
    info.stageCVariant = d.stageCVariant.empty() ? d.files.stageC.variant : d.stageCVariant;
    info.stageBVariant = d.stageBVariant.empty() ? d.files.stageB.variant : d.stageBVariant;
    info.files = d.files.fileList();
    info.loras = d.spec.loras;
    if (d.encoder)
        info.memoryBytes += moduleBytes(*d.encoder->model());
    if (d.stageC)
        info.memoryBytes += moduleBytes(*d.stageC);
    if (d.stageB)
        info.memoryBytes += moduleBytes(*d.stageB);
    if (d.stageA)
        info.memoryBytes += moduleBytes(*d.stageA);
    std::string device = d.deviceName == "cpu" ? "CPU" : "CUDA " + d.deviceName.substr(5);
    info.summary = (info.demo ? "Demo model (random weights) · " : "") + std::string("Stage C ") + info.stageCVariant +
                   " · Stage B " + info.stageBVariant + " · " + d.dtypeName +
                   (d.spec.precision == Precision::Auto ? " (auto)" : "") + " · " + device +
                   (d.sequential ? " · one stage at a time" : "");
    (void)gib;
    return info;
}

text::PromptEncoder& LoadedModels::promptEncoder(const GenerationCallbacks& callbacks)
{
    auto& d = *impl_;
    if (!d.encoder) {
        d.loading(callbacks, "text encoder: " + d.files.textEncoder.describe());
        if (!d.tokenizer)
            d.tokenizer = std::make_shared<const text::ClipTokenizer>(text::ClipTokenizer::load(d.files.tokenizer));
        auto model = loadTextEncoder(d.files, d.options(d.dtype));
        d.encoder = std::make_unique<text::PromptEncoder>(d.tokenizer, model);
        releaseCpuCache();
    }
    return *d.encoder;
}

models::StageC LoadedModels::stageC(const GenerationCallbacks& callbacks)
{
    auto& d = *impl_;
    if (d.loadOnce(d.stageC, Role::StageC, callbacks, [&] { return loadStageCFrom(d.files, d.options(d.dtype)); })) {
        d.stageCVariant = models::variantName(d.stageC->config());
        d.loraMerger = LoraMerger{};
        d.applyLoras();
    }
    return d.stageC;
}

models::StageB LoadedModels::stageB(const GenerationCallbacks& callbacks)
{
    auto& d = *impl_;
    if (d.loadOnce(d.stageB, Role::StageB, callbacks, [&] { return loadStageBFrom(d.files, d.options(d.dtype)); }))
        d.stageBVariant = models::variantName(d.stageB->config());
    return d.stageB;
}

models::StageA LoadedModels::stageA(const GenerationCallbacks& callbacks)
{
    auto& d = *impl_;
    // Stage A is small (18M parameters) and runs in fp32, as the official code keeps its weights.
    d.loadOnce(d.stageA, Role::StageA, callbacks, [&] { return loadStageAFrom(d.files, d.options(at::kFloat)); });
    return d.stageA;
}

const models::Previewer* LoadedModels::previewer(const GenerationCallbacks& callbacks)
{
    auto& d = *impl_;
    if (!d.previewerLoaded) {
        d.previewerLoaded = true;
        if (!d.files.previewer.empty()) {
            d.loading(callbacks, "previewer: " + d.files.previewer.describe());
            d.previewer = std::make_unique<models::Previewer>(loadPreviewerFrom(d.files, d.options(at::kFloat)));
            releaseCpuCache();
        }
    }
    return d.previewer.get();
}

models::EfficientNetEncoder LoadedModels::effnet(const GenerationCallbacks& callbacks)
{
    auto& d = *impl_;
    d.loadOnce(d.effnet, Role::EffNet, callbacks, [&] { return loadEffnetFrom(d.files, d.options(d.dtype)); });
    return d.effnet;
}

models::ClipVisionModel LoadedModels::clipVision(const GenerationCallbacks& callbacks)
{
    auto& d = *impl_;
    d.loadOnce(d.clipVision, Role::ClipVision, callbacks,
               [&] { return loadClipVisionFrom(d.files, d.options(d.dtype)); });
    return d.clipVision;
}

models::ControlNet LoadedModels::controlNet(ControlKind kind, const GenerationCallbacks& callbacks)
{
    auto& d = *impl_;
    auto it = d.controlNets.find(kind);
    if (it != d.controlNets.end())
        return it->second;
    const auto& source = d.files.controlNet(kind);
    d.loading(callbacks, std::string(controlKindName(kind)) + " ControlNet: " + source.describe());
    auto model = loadControlNetFrom(d.files, kind, d.options(d.dtype));
    // The projections are added to Stage C's activations: the widths must agree (released: 3.6B only).
    models::checkControlNetFitsStageC(model->config, stageC(callbacks)->config(), source.describe());
    d.controlNets.emplace(kind, model);
    releaseCpuCache();
    return model;
}

void LoadedModels::releaseTextEncoderIfSequential()
{
    auto& d = *impl_;
    releaseCpuCache(); // the encoder's cached blocks do not fit Stage C's shapes
    if (d.sequential && d.encoder) {
        // Keep the encoder's cache semantics simple: a released encoder is rebuilt (and re-runs) next job.
        d.textRunsBefore += d.encoder->stats().modelRuns;
        d.encoder.reset();
    }
}

void LoadedModels::releaseStageCIfSequential()
{
    releaseCpuCache(); // Stage C's cached activation blocks do not fit Stage B's shapes
    if (impl_->sequential)
        impl_->stageC = nullptr;
}

void LoadedModels::releaseStageBIfSequential()
{
    releaseCpuCache(); // the largest activations of a job (Stage B at full latent size) are done
    if (impl_->sequential)
        impl_->stageB = nullptr;
}

int LoadedModels::textEncoderRuns() const
{
    return impl_->textRunsBefore + (impl_->encoder ? impl_->encoder->stats().modelRuns : 0);
}

} // namespace kaskade
