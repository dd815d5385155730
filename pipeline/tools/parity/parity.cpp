#include "pipeline/tools/parity/parity.h"

#include "pipeline/errors.h"
#include "pipeline/tools/parity/runners.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace kaskade::parity {
namespace fs = std::filesystem;

Fixture::Fixture(fs::path dir) : dir_(std::move(dir))
{
    const fs::path file = dir_ / "fixture.json";
    std::ifstream in(file);
    if (!in)
        throw Error(ErrorCode::FileNotFound, file.string() + ": cannot open");
    try {
        json_ = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::BadFormat, file.string() + ": not valid JSON: " + e.what());
    }
}

std::string Fixture::module() const
{
    return json_.value("module", std::string{});
}

Tolerance Fixture::tolerance() const
{
    Tolerance tolerance;
    if (auto it = json_.find("tolerance"); it != json_.end() && it->is_object()) {
        tolerance.relL2 = it->value("rel_l2", tolerance.relL2);
        tolerance.maxAbsScale = it->value("max_abs_scale", tolerance.maxAbsScale);
    }
    return tolerance;
}

const TensorMap& Fixture::io()
{
    if (!ioLoaded_) {
        io_ = st::Reader::open(dir_ / "io.safetensors")->loadAll();
        ioLoaded_ = true;
    }
    return io_;
}

at::Tensor Fixture::io(const std::string& name)
{
    const auto& tensors = io();
    auto it = tensors.find(name);
    if (it == tensors.end())
        throw Error(ErrorCode::BadFormat, (dir_ / "io.safetensors").string() + ": no tensor '" + name + "'");
    return it->second;
}

bool Fixture::hasIo(const std::string& name)
{
    return io().count(name) != 0;
}

std::vector<fs::path> Fixture::weightFiles() const
{
    std::vector<fs::path> files;
    for (const char* name : {"weights.safetensors", "weights.bf16.safetensors"})
        if (fs::exists(dir_ / name))
            files.push_back(dir_ / name);
    return files;
}

void Checker::compare(const std::string& label, const at::Tensor& actualIn, const at::Tensor& expectedIn)
{
    ++compared_;
    if (actualIn.sizes() != expectedIn.sizes()) {
        std::ostringstream out;
        out << label << ": shape " << actualIn.sizes() << ", expected " << expectedIn.sizes();
        fail(out.str());
        return;
    }
    const at::Tensor actual = actualIn.detach().to(at::kCPU);
    const at::Tensor expected = expectedIn.detach().to(at::kCPU);
    if (!at::isFloatingType(expected.scalar_type())) {
        if (!at::equal(actual.to(expected.scalar_type()), expected)) {
            const auto wrong = actual.to(expected.scalar_type()).ne(expected).sum().item<std::int64_t>();
            fail(label + ": " + std::to_string(wrong) + " integer values differ");
        }
        return;
    }
    const at::Tensor a = actual.to(at::kDouble);
    const at::Tensor e = expected.to(at::kDouble);
    if (!at::isfinite(a).all().item<bool>()) {
        fail(label + ": non-finite values");
        return;
    }
    const double diffNorm = (a - e).norm().item<double>();
    const double refNorm = e.norm().item<double>();
    const double maxAbs = a.numel() ? (a - e).abs().max().item<double>() : 0.0;
    const double refMax = e.numel() ? e.abs().max().item<double>() : 0.0;
    const double relL2 = refNorm > 0 ? diffNorm / refNorm : (a.numel() ? a.abs().max().item<double>() : 0.0);
    const double bound = tolerance_.maxAbsScale * std::max(1.0, refMax);
    worstRelL2_ = std::max(worstRelL2_, relL2);
    worstMaxAbs_ = std::max(worstMaxAbs_, maxAbs);
    const bool relOk = refNorm > 0 ? relL2 <= tolerance_.relL2 : relL2 <= tolerance_.maxAbsScale;
    if (!relOk || maxAbs > bound) {
        char text[256];
        std::snprintf(text, sizeof text, ": rel_l2 %.3g (limit %.3g), max_abs %.3g (limit %.3g)", relL2,
                      tolerance_.relL2, maxAbs, bound);
        fail(label + text);
    }
}

namespace {

using Runner = void (*)(Fixture&, Checker&);

Runner runnerFor(const std::string& module)
{
    static const std::map<std::string, Runner> runners = {
        {"tokenizer", runTokenizerFixture},
        {"clip_text", runClipTextFixture},
        {"stage_a_decode", runStageAFixture},
        {"stage_a_encode", runStageAFixture},
        {"previewer", runPreviewerFixture},
        {"stage_b", runStageBFixture},
        {"stage_c", runStageCFixture},
        {"sampler", runSamplerFixture},
        {"pipeline", runPipelineFixture},
        {"lora", runLoraFixture},
        {"format", runFormatFixture},
        {"effnet_encoder", runEffnetEncoderFixture},
        {"clip_vision", runClipVisionFixture},
        {"controlnet", runControlNetFixture},
        {"stage_c_cnet", runStageCControlNetFixture},
        {"image_pipeline", runImagePipelineFixture},
        {"train_lora", runTrainLoraFixture},
        {"train_lora_save", runTrainLoraSaveFixture},
    };
    auto it = runners.find(module);
    return it == runners.end() ? nullptr : it->second;
}

FixtureResult runOne(const fs::path& dir)
{
    FixtureResult result;
    result.name = dir.filename().string();
    const auto start = std::chrono::steady_clock::now();
    try {
        Fixture fixture(dir);
        result.module = fixture.module();
        Checker checker(fixture.tolerance());
        Runner runner = runnerFor(result.module);
        if (!runner)
            throw Error(ErrorCode::Unsupported, "no runner for module '" + result.module + "'");
        runner(fixture, checker);
        result.compared = checker.compared();
        result.worstRelL2 = checker.worstRelL2();
        result.worstMaxAbs = checker.worstMaxAbs();
        result.passed = checker.passed();
        if (checker.compared() == 0)
            result.message = "nothing was compared";
        for (std::size_t i = 0; i < checker.failures().size() && i < 5; ++i)
            result.message += (result.message.empty() ? "" : "; ") + checker.failures()[i];
        if (checker.failures().size() > 5)
            result.message += "; ... " + std::to_string(checker.failures().size() - 5) + " more";
        for (const auto& note : checker.notes())
            result.message += (result.message.empty() ? "" : "; ") + note;
    } catch (const Error& e) {
        result.passed = false;
        result.unsupported = e.code() == ErrorCode::Unsupported;
        result.message = e.what();
    } catch (const std::exception& e) {
        result.passed = false;
        result.message = std::string("error: ") + e.what();
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace

std::vector<FixtureResult> runAll(const fs::path& dir, const std::string& filter,
                                  const std::function<void(const FixtureResult&)>& onResult)
{
    if (!fs::is_directory(dir))
        throw Error(ErrorCode::FileNotFound, dir.string() + ": no such fixture directory");
    // Fixture sets are often assembled from symlinked folders: follow them, each real folder once.
    std::vector<fs::path> dirs;
    std::set<fs::path> visited;
    std::error_code ec;
    visited.insert(fs::weakly_canonical(dir, ec));
    fs::recursive_directory_iterator it(
        dir, fs::directory_options::follow_directory_symlink | fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code entryEc;
        if (it->is_directory(entryEc)) {
            const auto real = fs::canonical(it->path(), entryEc);
            if (entryEc || it.depth() > 16 || !visited.insert(real).second)
                it.disable_recursion_pending();
        } else if (it->path().filename() == "fixture.json" && it->is_regular_file(entryEc)) {
            dirs.push_back(it->path().parent_path());
        }
    }
    if (ec)
        throw Error(ErrorCode::FileIo, dir.string() + ": cannot list the fixture directory (" + ec.message() + ")");
    if (dirs.empty())
        throw Error(ErrorCode::FileNotFound, dir.string() + ": no fixtures here (no */fixture.json)");
    std::sort(dirs.begin(), dirs.end());
    std::vector<FixtureResult> results;
    for (const auto& d : dirs) {
        if (!filter.empty() && d.filename().string().find(filter) == std::string::npos)
            continue;
        results.push_back(runOne(d));
        if (onResult)
            onResult(results.back());
    }
    if (results.empty())
        throw Error(ErrorCode::InvalidArgument, dir.string() + ": no fixture name contains '" + filter + "'");
    return results;
}

std::string formatResult(const FixtureResult& r)
{
    char text[512];
    std::snprintf(text, sizeof text, "%s %-28s rel_l2 %.2e  max_abs %.2e  (%.1f s)", r.passed ? "PASS" : "FAIL",
                  r.name.c_str(), r.worstRelL2, r.worstMaxAbs, r.seconds);
    std::string line = text;
    if (!r.message.empty())
        line += "\n     " + r.message;
    return line;
}

std::string formatSummary(const std::vector<FixtureResult>& results)
{
    const auto passed = std::count_if(results.begin(), results.end(), [](const auto& r) { return r.passed; });
    return std::to_string(passed) + " passed, " + std::to_string(results.size() - passed) + " failed";
}

at::Tensor indexedOutput(const std::string& name, const std::string& prefix, const std::vector<at::Tensor>& list)
{
    if (!name.starts_with(prefix))
        return {};
    const std::string index = name.substr(prefix.size());
    if (index.empty() || index.size() > 6 || index.find_first_not_of("0123456789") != std::string::npos)
        return {};
    const std::size_t i = std::stoul(index);
    return i < list.size() ? list[i] : at::Tensor();
}

} // namespace kaskade::parity
