// Parity runner for `sampler` fixtures: gdf.GDF.sample with a tiny Stage C or Stage B. The recorded
// x_init and per-step noise are replayed, and every intermediate the fixture holds is compared:
// r_range, logSNR_range, noise_cond_range, per step model_r, pred_cond, pred_uncond, pred, x0, x, and
// final_x / final_x0. img2img fixtures also check diffuse(img2img.latents, t, img2img.epsilon) = x_init.

#include "pipeline/errors.h"
#include "pipeline/models/stage_b.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/sampling/gdf.h"
#include "pipeline/sampling/noise.h"
#include "pipeline/tools/parity/runners.h"

#include <c10/core/InferenceMode.h>

#include <cstdio>

namespace kaskade::parity {
namespace {

std::string stepName(int step, const char* what)
{
    char name[64];
    std::snprintf(name, sizeof name, "step.%03d.%s", step, what);
    return name;
}

// The fixture's `sampling` object → sampler options (x_init and shape are filled in by the caller).
gdf::SampleOptions samplingOptions(const Fixture& fixture)
{
    const std::string where = fixture.dir().string() + "/fixture.json: sampling";
    auto it = fixture.json().find("sampling");
    if (it == fixture.json().end() || !it->is_object())
        throw Error(ErrorCode::BadFormat, where + " is missing");
    const auto& s = *it;
    gdf::SampleOptions o;
    o.steps = s.at("timesteps").get<int>();
    o.shift = s.value("shift", 1.0);
    o.tStart = s.value("t_start", 1.0);
    o.tEnd = s.value("t_end", 0.0);
    o.rho = s.value("cfg_rho", 0.7);
    const auto& cfg = s.at("cfg");
    if (cfg.is_null())
        o.cfg = c10::nullopt;
    else if (cfg.is_number())
        o.cfg = cfg.get<double>();
    else
        throw Error(ErrorCode::Unsupported, where + ".cfg: only a number or null is supported");
    for (const char* key : {"cfg_t_stop", "cfg_t_start"})
        if (s.contains(key) && !s.at(key).is_null())
            throw Error(ErrorCode::Unsupported, where + "." + key + " is not supported");

    const std::string sampler = s.value("sampler", std::string("DDPMSampler"));
    if (sampler == "DDPMSampler")
        o.sampler = gdf::SamplerKind::Ddpm;
    else if (sampler == "DDIMSampler")
        o.sampler = gdf::SamplerKind::Ddim;
    else if (sampler == "LCMSampler")
        o.sampler = gdf::SamplerKind::Lcm;
    else
        throw Error(ErrorCode::Unsupported, where + ".sampler '" + sampler + "' is not supported");
    if (auto p = s.find("sampler_params"); p != s.end() && p->is_object() && p->contains("eta")) {
        const double eta = p->at("eta").get<double>();
        if (o.sampler == gdf::SamplerKind::Lcm || (eta != 0 && eta != 1))
            throw Error(ErrorCode::Unsupported, where + ".sampler_params.eta must be 0 or 1");
        o.sampler = eta == 1 ? gdf::SamplerKind::Ddpm : gdf::SamplerKind::Ddim;
    }
    return o;
}

// io tensors "<prefix><name>" by name, e.g. cond.clip_text → {"clip_text", tensor}.
std::map<std::string, at::Tensor> inputsWithPrefix(Fixture& fixture, const std::string& prefix)
{
    std::map<std::string, at::Tensor> inputs;
    for (const auto& [name, tensor] : fixture.io())
        if (name.rfind(prefix, 0) == 0)
            inputs[name.substr(prefix.size())] = tensor;
    return inputs;
}

// The named model input of one side, concatenated with the other side when guiding ([cond; uncond]).
class Inputs
{
public:
    Inputs(Fixture& fixture, bool guided)
        : cond_(inputsWithPrefix(fixture, "cond.")), uncond_(inputsWithPrefix(fixture, "uncond.")), guided_(guided),
          where_(fixture.dir().string() + "/io.safetensors")
    {}
    at::Tensor get(const std::string& name) const
    {
        auto c = cond_.find(name);
        if (c == cond_.end())
            throw Error(ErrorCode::BadFormat, where_ + ": no tensor 'cond." + name + "'");
        if (!guided_)
            return c->second;
        auto u = uncond_.find(name);
        // gdf.sample uses zeros_like for a missing unconditional input.
        return at::cat({c->second, u == uncond_.end() ? at::zeros_like(c->second) : u->second});
    }
    at::Tensor optional(const std::string& name) const { return cond_.count(name) ? get(name) : at::Tensor(); }
    // Every remaining input is a named t_cond (sca, crp).
    models::TConds tConds(std::initializer_list<const char*> known) const
    {
        models::TConds out;
        for (const auto& [name, tensor] : cond_) {
            bool isKnown = false;
            for (const char* k : known)
                isKnown = isKnown || name == k;
            if (!isKnown)
                out.emplace_back(name, get(name));
        }
        return out;
    }

private:
    std::map<std::string, at::Tensor> cond_, uncond_;
    bool guided_;
    std::string where_;
};

} // namespace

void runSamplerFixture(Fixture& fixture, Checker& checker)
{
    const auto& json = fixture.json();
    const std::string stage = json.value("stage", std::string());
    if (stage != "c" && stage != "b")
        throw Error(ErrorCode::BadFormat, fixture.dir().string() + "/fixture.json: 'stage' must be \"c\" or \"b\"");
    const auto config = json.at("config");
    auto options = samplingOptions(fixture);
    const bool guided = options.cfg.has_value();
    const Inputs inputs(fixture, guided);
    const auto files = fixture.weightFiles();
    if (files.empty())
        throw Error(ErrorCode::FileNotFound, fixture.dir().string() + ": no weights.safetensors");

    c10::InferenceMode guard;
    const gdf::Gdf g;
    const auto xInit = fixture.io("x_init");
    options.xInit = xInit;

    // img2img: x_init = diffuse(latents, t = noise level, epsilon) at shift 1 (notebook, spec §9.9).
    if (auto level = json.find("img2img_noise_level"); level != json.end() && level->is_number() &&
                                                       fixture.hasIo("img2img.latents") &&
                                                       fixture.hasIo("img2img.epsilon"))
        checker.compare("img2img/x_init",
                        g.diffuse(fixture.io("img2img.latents"), level->get<double>(), fixture.io("img2img.epsilon")),
                        xInit);

    for (const auto& file : files) {
        const std::string label = file.stem().string() + "/";
        const auto fp32 = at::TensorOptions().dtype(at::kFloat);
        gdf::Model model;
        if (stage == "c") {
            models::StageC stageC = models::loadStageC(file, fp32, &config);
            auto cond = std::make_shared<models::StageCConditioning>(stageC->encodeConditioning(
                inputs.get("clip_text"), inputs.get("clip_text_pooled"), inputs.get("clip_img"),
                inputs.tConds({"clip_text", "clip_text_pooled", "clip_img"})));
            model = [stageC, cond](const at::Tensor& x, const at::Tensor& r) { return stageC->forward(x, r, *cond); };
        } else {
            models::StageB stageB = models::loadStageB(file, fp32, &config);
            auto cond = std::make_shared<models::StageBConditioning>(stageB->encodeConditioning(
                inputs.get("effnet"), inputs.get("clip"), inputs.optional("pixels"),
                inputs.tConds({"effnet", "clip", "pixels"}), xInit.size(-2), xInit.size(-1)));
            model = [stageB, cond](const at::Tensor& x, const at::Tensor& r) { return stageB->forward(x, r, *cond); };
        }

        std::vector<at::Tensor> recorded;
        for (int i = 0; i < options.steps; ++i)
            recorded.push_back(fixture.io(stepName(i, "noise")));
        RecordedNoise noise(std::move(recorded));

        const auto result = g.sample(model, options, noise, [&](const gdf::StepView& s) {
            checker.compare(label + stepName(s.step, "model_r"), s.r, fixture.io(stepName(s.step, "model_r")));
            checker.compare(label + stepName(s.step, "pred_cond"), s.predCond,
                            fixture.io(stepName(s.step, "pred_cond")));
            if (guided)
                checker.compare(label + stepName(s.step, "pred_uncond"), s.predUncond,
                                fixture.io(stepName(s.step, "pred_uncond")));
            checker.compare(label + stepName(s.step, "pred"), s.pred, fixture.io(stepName(s.step, "pred")));
            checker.compare(label + stepName(s.step, "x0"), s.x0, fixture.io(stepName(s.step, "x0")));
            checker.compare(label + stepName(s.step, "x"), s.x, fixture.io(stepName(s.step, "x")));
            return true;
        });
        checker.compare(label + "r_range", result.rRange, fixture.io("r_range"));
        checker.compare(label + "logSNR_range", result.logSNRRange, fixture.io("logSNR_range"));
        checker.compare(label + "noise_cond_range", g.noiseCond(result.logSNRRange), fixture.io("noise_cond_range"));
        checker.compare(label + "final_x", result.x, fixture.io("final_x"));
        checker.compare(label + "final_x0", result.x0, fixture.io("final_x0"));
    }
}

} // namespace kaskade::parity
