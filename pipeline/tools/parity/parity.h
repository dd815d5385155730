#pragma once
// Parity runner: checks the engine against reference fixtures (format: ../shared/parity/README.md).
// Every folder below DIR holding a fixture.json is one fixture; its "module" picks a runner.
// Nothing here prints: results go to a callback and the front end formats them with formatResult().

#include "pipeline/io/safetensors.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace kaskade::parity {

// The README's rule: rel-L2 <= relL2 and max|A-E| <= maxAbsScale * max(1, max|E|).
struct Tolerance
{
    double relL2 = 1e-5;
    double maxAbsScale = 5e-5;
};

class Fixture
{
public:
    explicit Fixture(std::filesystem::path dir);
    const std::filesystem::path& dir() const { return dir_; }
    std::string name() const { return dir_.filename().string(); }
    const nlohmann::json& json() const { return json_; }
    std::string module() const;
    Tolerance tolerance() const;

    // io.safetensors (loaded on first use). Throws BadFormat naming the tensor when absent.
    const TensorMap& io();
    at::Tensor io(const std::string& name);
    bool hasIo(const std::string& name);

    // weights.safetensors, then weights.bf16.safetensors when present: runners check every file.
    std::vector<std::filesystem::path> weightFiles() const;

private:
    std::filesystem::path dir_;
    nlohmann::json json_;
    TensorMap io_;
    bool ioLoaded_ = false;
};

class Checker
{
public:
    explicit Checker(Tolerance tolerance) : tolerance_(tolerance) {}
    // Float tensors by the tolerance rule (computed in double); integer tensors must match exactly.
    // `label` names the compared tensor in failure messages (e.g. "weights.bf16/output").
    void compare(const std::string& label, const at::Tensor& actual, const at::Tensor& expected);
    void fail(const std::string& message) { failures_.push_back(message); }
    // Informational text reported even when the fixture passes (e.g. skipped cases).
    void note(const std::string& message) { notes_.push_back(message); }
    const std::vector<std::string>& notes() const { return notes_; }
    void setTolerance(Tolerance tolerance) { tolerance_ = tolerance; }

    bool passed() const { return failures_.empty() && compared_ > 0; }
    int compared() const { return compared_; }
    double worstRelL2() const { return worstRelL2_; }
    double worstMaxAbs() const { return worstMaxAbs_; }
    const std::vector<std::string>& failures() const { return failures_; }

private:
    Tolerance tolerance_;
    int compared_ = 0;
    double worstRelL2_ = 0;
    double worstMaxAbs_ = 0;
    std::vector<std::string> failures_;
    std::vector<std::string> notes_;
};

struct FixtureResult
{
    std::string name;
    std::string module;
    bool passed = false;
    bool unsupported = false; // module without a runner (counts as failed)
    int compared = 0;
    double worstRelL2 = 0;
    double worstMaxAbs = 0;
    std::string message; // first failures / error text
    double seconds = 0;
};

// Runs every fixture under `dir` (sorted by name) whose name contains `filter` (empty = all).
// Throws Error(FileNotFound) when `dir` does not exist.
std::vector<FixtureResult> runAll(const std::filesystem::path& dir, const std::string& filter,
                                  const std::function<void(const FixtureResult&)>& onResult);

// One of a model's per-layer outputs named as the fixtures name them ("hidden_states.3"): the tensor at
// that index, or an undefined tensor when `name` is not `prefix` + an index below the list's size.
at::Tensor indexedOutput(const std::string& name, const std::string& prefix, const std::vector<at::Tensor>& list);

// A model output as a fixture names it: one of `fields` ("text_embeds" → &ClipTextOutput::textEmbeds), or
// "hidden_states.N" of out.hiddenStates; undefined for any other name.
template <typename Output>
at::Tensor namedOutput(const Output& out, const std::string& name,
                       std::initializer_list<std::pair<const char*, at::Tensor Output::*>> fields)
{
    for (const auto& [key, field] : fields)
        if (name == key)
            return out.*field;
    return indexedOutput(name, "hidden_states.", out.hiddenStates);
}

// "PASS stage_c  rel_l2 3.1e-07  max_abs 2.4e-06  (0.8 s)"
std::string formatResult(const FixtureResult& result);
// "N passed, M failed"
std::string formatSummary(const std::vector<FixtureResult>& results);

} // namespace kaskade::parity
