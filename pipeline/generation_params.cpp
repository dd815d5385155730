#include "pipeline/generation_params.h"

#include "pipeline/errors.h"
#include "pipeline/generator.h"

#include <cmath>

namespace kaskade {

const char* samplerName(SamplerKind kind) noexcept
{
    switch (kind) {
    case SamplerKind::Ddpm: return "ddpm";
    case SamplerKind::Ddim: return "ddim";
    case SamplerKind::Lcm: return "lcm";
    }
    return "ddpm";
}

std::optional<SamplerKind> samplerFromName(const std::string& name)
{
    for (auto kind : {SamplerKind::Ddpm, SamplerKind::Ddim, SamplerKind::Lcm})
        if (name == samplerName(kind))
            return kind;
    return std::nullopt;
}

const char* residencyName(Residency residency) noexcept
{
    switch (residency) {
    case Residency::Auto: return "auto";
    case Residency::AllResident: return "all";
    case Residency::OneStageAtATime: return "sequential";
    }
    return "auto";
}

std::optional<Residency> residencyFromName(const std::string& name)
{
    for (auto r : {Residency::Auto, Residency::AllResident, Residency::OneStageAtATime})
        if (name == residencyName(r))
            return r;
    return std::nullopt;
}

const char* stageName(Stage stage) noexcept
{
    switch (stage) {
    case Stage::Loading: return "Loading";
    case Stage::TextEncoder: return "Text encoder";
    case Stage::StageC: return "Stage C";
    case Stage::StageB: return "Stage B";
    case Stage::StageA: return "Stage A";
    }
    return "";
}

namespace {

void require(bool ok, const std::string& message)
{
    if (!ok)
        throw Error(ErrorCode::InvalidArgument, message);
}

void validateStage(const StageSampling& s, const char* name)
{
    const std::string n = name;
    require(s.steps >= 1 && s.steps <= 1000, n + " steps must be between 1 and 1000 (got " + std::to_string(s.steps) + ")");
    require(std::isfinite(s.cfg) && s.cfg <= 100, n + " CFG scale must be a finite number up to 100");
    require(std::isfinite(s.shift) && s.shift > 0 && s.shift <= 100, n + " shift must be greater than 0");
}

} // namespace

void GenerationParams::validate() const
{
    require(width >= 128 && width <= 4096, "width must be between 128 and 4096 pixels (got " + std::to_string(width) + ")");
    require(height >= 128 && height <= 4096, "height must be between 128 and 4096 pixels (got " + std::to_string(height) + ")");
    require(batch >= 1 && batch <= 64, "batch size must be between 1 and 64 (got " + std::to_string(batch) + ")");
    require(batchPrompts.empty() || static_cast<int>(batchPrompts.size()) == batch,
            "batch prompts: " + std::to_string(batchPrompts.size()) + " prompts for a batch of " + std::to_string(batch));
    validateStage(stageC, "Stage C");
    validateStage(stageB, "Stage B");
    require(std::isfinite(cfgRho) && cfgRho >= 0 && cfgRho <= 1, "cfg rescale (rho) must be between 0 and 1");
}

int stageCLatentSize(int pixels) { return static_cast<int>(std::ceil(pixels / 42.67)); }
int stageBLatentSize(int pixels) { return static_cast<int>(std::ceil(pixels / 4.0)); }

} // namespace kaskade
