// bench --full: one whole generation at real size with random weights — text encoder, 20 Stage C and
// 10 Stage B steps with classifier-free guidance, Stage A — through the same Pipeline the app uses.
// The model folder is written once in the official release layout (bf16 Stage B/C and text encoder,
// fp32 Stage A and previewer) and reused; the tokenizer is the demo model's (token ids only matter for
// their count). Reports total time, time to the first preview, per-stage times, peak RSS (and the peak
// CUDA allocation on a GPU).
#include "pipeline/tools/bench.h"
#include "pipeline/tools/bench_support.h"

#include "pipeline/device.h"
#include "pipeline/errors.h"
#include "pipeline/io/safetensors.h"
#include "pipeline/models/clip_text.h"
#include "pipeline/models/previewer.h"
#include "pipeline/models/stage_a.h"
#include "pipeline/models/stage_b.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/pipeline.h"
#include "pipeline/runtime/cpu_allocator.h"
#include "pipeline/tools/demo_model.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#ifdef KASKADE_HAVE_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

namespace kaskade {
namespace fs = std::filesystem;
namespace {

// N(0, 0.02) values from one cyclic pool (drawing billions of normals would take minutes), in `dtype`.
TensorMap fullRandomState(torch::nn::Module& module, at::ScalarType dtype)
{
    const std::int64_t poolSize = (1 << 22) + 7; // odd length: neighbouring rows do not repeat exactly
    const auto pool = at::randn({poolSize}, at::TensorOptions().dtype(at::kFloat)) * 0.02;
    TensorMap state;
    auto fill = [&](const std::string& name, const at::Tensor& like) {
        if (!at::isFloatingType(like.scalar_type())) {
            state[name] = at::zeros(like.sizes(), at::TensorOptions().dtype(like.scalar_type()));
            return;
        }
        auto t = at::empty(like.sizes(), at::TensorOptions().dtype(dtype));
        auto flat = t.view(-1);
        for (std::int64_t begin = 0; begin < flat.numel(); begin += poolSize) {
            const std::int64_t n = std::min(poolSize, flat.numel() - begin);
            flat.slice(0, begin, begin + n).copy_(pool.slice(0, 0, n));
        }
        if (name.find("running_var") != std::string::npos)
            t.fill_(1.0);
        state[name] = t;
    };
    for (const auto& p : module.named_parameters(true))
        fill(p.key(), p.value());
    for (const auto& b : module.named_buffers(true))
        fill(b.key(), b.value());
    return state;
}

void fullWriteText(const fs::path& path, const std::string& text)
{
    std::ofstream out(path);
    out << text;
    if (!out)
        throw Error(ErrorCode::FileIo, path.string() + ": cannot write");
}

// Writes the random real-size model set once; "complete" marks a finished folder.
void fullWriteModel(const fs::path& dir, bool lite, const std::function<void(const std::string&)>& out)
{
    if (fs::exists(dir / "complete"))
        return;
    out("bench --full: writing a random-weight " + std::string(lite ? "lite" : "full") + " model set to " +
        dir.string() + " (once)");
    fs::create_directories(dir / "text_encoder");
    c10::InferenceMode inference;
    const auto meta = at::TensorOptions().device(at::kMeta);
    const std::map<std::string, std::string> tag{{"format", "pt"}, {"kaskade_bench", "random weights"}};

    // Tokenizer and its special ids from a tiny demo set.
    const fs::path demo = dir / "demo";
    writeDemoModel(demo.string(), "tiny");
    fs::remove_all(dir / "tokenizer");
    fs::copy(demo / "tokenizer", dir / "tokenizer", fs::copy_options::recursive);
    nlohmann::json cascade;
    std::ifstream(demo / "cascade.json") >> cascade;
    fs::remove_all(demo);

    models::ClipTextConfig text; // CLIP-bigG
    text.bosTokenId = cascade["tokenizer"]["bos_token_id"].get<std::int64_t>();
    text.eosTokenId = cascade["tokenizer"]["eos_token_id"].get<std::int64_t>();
    const nlohmann::json textConfig = text.toJson("bfloat16");
    fullWriteText(dir / "text_encoder" / "config.json", textConfig.dump(2));
    {
        models::ClipTextModel m(text, meta);
        st::write(dir / "text_encoder" / "model.safetensors", fullRandomState(*m, at::kBFloat16), tag);
    }
    {
        models::StageC m(lite ? models::StageCConfig::lite() : models::StageCConfig::full(), meta);
        st::write(dir / (lite ? "stage_c_lite_bf16.safetensors" : "stage_c_bf16.safetensors"),
                  fullRandomState(*m, at::kBFloat16), tag);
    }
    {
        models::StageB m(lite ? models::StageBConfig::lite() : models::StageBConfig::large(), meta);
        st::write(dir / (lite ? "stage_b_lite_bf16.safetensors" : "stage_b_bf16.safetensors"),
                  fullRandomState(*m, at::kBFloat16), tag);
    }
    {
        models::StageA m(models::StageAConfig{}, meta);
        st::write(dir / "stage_a.safetensors", fullRandomState(*m, at::kFloat), tag);
    }
    {
        models::Previewer m(models::PreviewerConfig{}, meta);
        st::write(dir / "previewer.safetensors", fullRandomState(*m, at::kFloat), tag);
    }
    fullWriteText(dir / "complete", "random weights for kaskade bench --full\n");
}

// A safetensors file of the module's parameters in `dtype` whose data area is a hole (ftruncate): the
// header is real, the values are zeros, and writing it takes no time or disk.
void fullWriteSparse(const fs::path& path, torch::nn::Module& module, at::ScalarType dtype)
{
    nlohmann::json header = nlohmann::json::object();
    header["__metadata__"] = {{"format", "pt"}, {"kaskade_bench", "sparse zeros"}};
    std::uint64_t offset = 0;
    auto add = [&](const std::string& name, const at::Tensor& t) {
        const auto type = at::isFloatingType(t.scalar_type()) ? dtype : t.scalar_type();
        const auto bytes = static_cast<std::uint64_t>(t.numel()) * c10::elementSize(type);
        header[name] = {{"dtype", st::dtypeName(st::fromScalarType(type))},
                        {"shape", t.sizes().vec()},
                        {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    };
    for (const auto& p : module.named_parameters(true))
        add(p.key(), p.value());
    for (const auto& b : module.named_buffers(true))
        add(b.key(), b.value());
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    const std::uint64_t length = text.size();
    {
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(&length), sizeof length);
        file.write(text.data(), static_cast<std::streamsize>(text.size()));
        if (!file)
            throw Error(ErrorCode::FileIo, path.string() + ": cannot write");
    }
    fs::resize_file(path, sizeof length + length + offset);
}

} // namespace

int runLoadBench(const LoadBenchOptions& settings, const BenchOutput& out)
{
    const std::string& which = settings.network;
    const std::string& dtype = settings.dtype;
    const int repeats = std::max(1, settings.repeats);
    const bool stageC = which.rfind("stage_c", 0) == 0, lite = which == "stage_c_1b" || which == "stage_b_700m";
    if (!stageC && which.rfind("stage_b", 0) != 0) {
        out("bench --load: unknown network '" + which + "'");
        return 2;
    }
    try {
        const auto computeType = resolveDtype(dtype, "cpu") == "bf16" ? at::kBFloat16 : at::kFloat;
        const char* tmp = std::getenv("TMPDIR");
        const fs::path dir = fs::path(tmp && *tmp ? tmp : "/tmp") / "kaskade-bench-load";
        fs::create_directories(dir);
        const fs::path file = dir / (which + "_bf16.safetensors");
        const auto meta = at::TensorOptions().device(at::kMeta);
        if (stageC) {
            models::StageC m(lite ? models::StageCConfig::lite() : models::StageCConfig::full(), meta);
            fullWriteSparse(file, *m, at::kBFloat16);
        } else {
            models::StageB m(lite ? models::StageBConfig::lite() : models::StageBConfig::large(), meta);
            fullWriteSparse(file, *m, at::kBFloat16);
        }
        out("bench --load: " + which +
            bench::formatNumbers(", a %.2f GiB bf16 file (sparse zeros, page cache warm after the first open), ",
                                 fs::file_size(file) / 1073741824.0) +
            "compute dtype " + std::string(computeType == at::kBFloat16 ? "bf16" : "fp32"));
        const auto options = at::TensorOptions().dtype(computeType);
        for (int i = 0; i < repeats; ++i) {
            c10::InferenceMode inference;
            bench::resetPeakRss();
            const auto t0 = std::chrono::steady_clock::now();
            std::shared_ptr<torch::nn::Module> model;
            if (stageC)
                model = models::loadStageC(file, options).ptr();
            else
                model = models::loadStageB(file, options).ptr();
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            out(bench::formatNumbers("  open %.0f: %.2f s, peak RSS %.2f GiB", i + 1, seconds, bench::peakRssGiB()));
        }
        fs::remove(file);
        return 0;
    } catch (const Error& e) {
        out(std::string("bench --load: ") + e.what());
        return exitStatusFor(e.code());
    }
}

int runFullBench(const FullBenchOptions& settings, const BenchOutput& out)
{
    const std::string &device = settings.device, &dtype = settings.dtype, &variant = settings.variant,
                      &dirArg = settings.dir;
    const int size = settings.size, stepsC = settings.stepsC, stepsB = settings.stepsB;
    if ((variant != "lite" && variant != "full") || size < 256 || size > 4096 || stepsC < 1 || stepsB < 1) {
        out("bench --full: --model is lite or full, --size 256..4096, steps >= 1");
        return 2;
    }
    try {
        const char* tmp = std::getenv("TMPDIR");
        const fs::path dir =
            dirArg.empty() ? fs::path(tmp && *tmp ? tmp : "/tmp") / ("kaskade-bench-" + variant) : fs::path(dirArg);
        const bool lite = variant == "lite";
        const auto writeStart = std::chrono::steady_clock::now();
        fullWriteModel(dir, lite, out);
        releaseCpuCache();
        const double writeSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - writeStart).count();

        const std::string resolvedDevice = resolveDevice(device);
        const std::string resolvedDtype = resolveDtype(dtype, resolvedDevice);
        out("bench --full: " + variant + " model, " + std::to_string(size) + "x" + std::to_string(size) + ", " +
            std::to_string(stepsC) + " Stage C + " + std::to_string(stepsB) + " Stage B steps with CFG, " +
            resolvedDevice + " " + resolvedDtype + ", " + std::to_string(threadCount()) + " threads, " +
            torchVersionString() + bench::formatNumbers(" (model folder ready in %.1f s)", writeSeconds));
#ifdef KASKADE_HAVE_CUDA
        if (resolvedDevice != "cpu")
            c10::cuda::CUDACachingAllocator::resetPeakStats(at::Device(resolvedDevice).index());
#endif
        bench::resetPeakRss(); // the folder writing above does not count
        auto pipeline = createPipeline();
        const auto start = std::chrono::steady_clock::now();
        auto since = [&start] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        };
        std::map<Role, double> stageStart, stageEnd; // of the networks that run (loading is timed apart)
        // Peak RSS while each network runs: the high-water mark is read and reset when the next one starts,
        // so a peak is charged to the stage that caused it (weights of resident stages included).
        std::map<Role, double> stagePeak;
        std::optional<Role> running;
        auto closePeak = [&] {
            if (running)
                stagePeak[*running] = bench::peakRssGiB();
            bench::resetPeakRss();
        };
        double firstPreview = -1;
        GenerationCallbacks callbacks;
        callbacks.progress = [&](const Progress& p) {
            if (p.phase != Phase::Running)
                return;
            const double now = since();
            if (!stageStart.count(p.network)) {
                stageStart[p.network] = now;
                closePeak();
                running = p.network;
            }
            stageEnd[p.network] = now;
        };
        callbacks.preview = [&](const PreviewFrame&) {
            if (firstPreview < 0)
                firstPreview = since();
        };
        ModelSpec spec;
        spec.directory = dir.string();
        spec.device = parseDeviceOrThrow(resolvedDevice);
        spec.precision = parseChoice<Precision>(resolvedDtype);
        pipeline->load(spec, callbacks);
        const double loadSeconds = since();
        GenerationParams params;
        params.prompt = "a lighthouse at dusk";
        params.width = params.height = size;
        params.seed = 42;
        params.stageC.steps = stepsC;
        params.stageB.steps = stepsB;
        const double loadPeak = bench::peakRssGiB();
        const auto result = pipeline->generate(params, callbacks);
        const double total = since();
        closePeak();
        double peak = loadPeak;
        for (const auto& [role, gib] : stagePeak)
            peak = std::max(peak, gib);
        auto span = [&](Role s) { return stageStart.count(s) ? stageEnd[s] - stageStart[s] : 0.0; };
        out(bench::formatNumbers("bench --full: total %.1f s (load %.1f s, generate %.1f s)", total, loadSeconds,
                                 total - loadSeconds));
        out(bench::formatNumbers("  time to first preview %.1f s", firstPreview));
        out(bench::formatNumbers("  Stage C %.1f s (%.2f s/step), ", span(Role::StageC), span(Role::StageC) / stepsC) +
            bench::formatNumbers("Stage B %.1f s (%.2f s/step), ", span(Role::StageB), span(Role::StageB) / stepsB) +
            bench::formatNumbers("Stage A %.1f s", span(Role::StageA)));
        std::string memory = bench::formatNumbers("  peak RSS %.2f GiB (load %.2f", peak, loadPeak);
        for (const auto& [role, gib] : stagePeak)
            memory += ", " + std::string(roleName(role)) + bench::formatNumbers(" %.2f", gib);
        memory += ")";
#ifdef KASKADE_HAVE_CUDA
        if (resolvedDevice != "cpu") {
            const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(at::Device(resolvedDevice).index());
            memory +=
                bench::formatNumbers(", peak CUDA allocated %.2f GiB", stats.allocated_bytes[0].peak / 1073741824.0);
        }
#endif
        std::uint64_t fileBytes = 0;
        for (const auto& f : pipeline->modelInfo().files)
            fileBytes += f.bytes;
        out(memory + bench::formatNumbers(", model files %.2f GiB; ", fileBytes / 1073741824.0) +
            pipeline->modelInfo().summary + (result.images.empty() ? "; NO IMAGE" : ""));
        return result.images.empty() ? 1 : 0;
    } catch (const Error& e) {
        out(std::string("bench --full: ") + e.what());
        return exitStatusFor(e.code());
    }
}

} // namespace kaskade
