// The `lora` fixture: official-format LoRA on a tiny Stage C at strengths 1, 0.5 and 0 (removed), the
// merged weights, and the text-side token re-embedding.
#include "pipeline/errors.h"
#include "pipeline/loading/lora.h"
#include "pipeline/models/stage_c.h"
#include "pipeline/tools/parity/runners.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace kaskade::parity {
namespace {

// Every input the fixture lists must reach the model: the five positional ones, the text side, and the
// t_conds (sca, crp ...) named in forward_kwargs or in the config's t_conds. Anything else is reported
// rather than silently left out (a fixture with explicit sca/crp would otherwise compare wrong outputs).
models::TConds loraTConds(Fixture& fixture, Checker& checker)
{
    const auto& json = fixture.json();
    std::vector<std::string> names;
    for (const auto& n : json.value("forward_kwargs", nlohmann::json::array()))
        if (n.is_string())
            names.push_back(n.get<std::string>());
    std::vector<std::string> declared;
    if (auto config = json.find("config"); config != json.end() && config->is_object())
        for (const auto& n : config->value("t_conds", nlohmann::json::array()))
            if (n.is_string())
                declared.push_back(n.get<std::string>());
    for (const auto& input : json.value("inputs", nlohmann::json::array())) {
        if (!input.is_string())
            continue;
        const std::string name = input.get<std::string>();
        const bool positional = name == "x" || name == "r" || name == "clip_text" || name == "clip_text_pooled" ||
                                name == "clip_img" || name.rfind("text.", 0) == 0;
        const bool tCond = std::find(declared.begin(), declared.end(), name) != declared.end();
        if (tCond && std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(name);
        else if (!positional && !tCond)
            checker.fail("input '" + name + "' is listed but the LoRA runner does not pass it to the model");
    }
    models::TConds tConds;
    for (const auto& name : names)
        tConds.emplace_back(name, fixture.io(name));
    return tConds;
}

} // namespace

void runLoraFixture(Fixture& fixture, Checker& checker)
{
    c10::InferenceMode guard;
    const auto& json = fixture.json();
    models::StageC model = models::loadStageC(fixture.dir() / "weights.safetensors",
                                              at::TensorOptions().dtype(at::kFloat), &json.at("config"));
    std::map<std::string, at::Tensor> base;
    for (const auto& p : model->named_parameters(true))
        base[p.key()] = p.value().clone();

    const LoraFile lora = readLora(fixture.dir() / "lora.safetensors", *model);
    if (lora.deltas.size() != json.at("lora_map").size())
        checker.fail("mapped " + std::to_string(lora.deltas.size()) + " LoRA weights, the fixture lists " +
                     std::to_string(json.at("lora_map").size()));
    for (const auto& entry : json.at("lora_map")) {
        const auto& d = lora.deltas.at(entry.at("index").get<std::size_t>());
        if (d.target != entry.at("official_key").get<std::string>())
            checker.fail("weights." + std::to_string(entry.at("index").get<int>()) + " mapped to " + d.target +
                         ", expected " + entry.at("official_key").get<std::string>());
    }

    const models::TConds tConds = loraTConds(fixture, checker);
    auto run = [&] {
        return model->forward(fixture.io("x"), fixture.io("r"), fixture.io("clip_text"), fixture.io("clip_text_pooled"),
                              fixture.io("clip_img"), tConds);
    };
    LoraMerger merger;
    for (const auto& [name, strength] : json.at("strengths").items()) {
        if (strength.get<double>() == 0.0)
            merger.clear(*model);
        else
            merger.apply(*model, {{&lora, strength.get<double>()}});
        checker.compare(name, run(), fixture.io(name));
        if (strength.get<double>() == 1.0)
            for (const auto& p : model->named_parameters(true))
                if (fixture.hasIo("merged." + p.key()))
                    checker.compare("merged." + p.key(), p.value(), fixture.io("merged." + p.key()));
    }
    merger.clear(*model);
    for (const auto& p : model->named_parameters(true))
        if (!at::equal(p.value(), base.at(p.key())))
            checker.fail("after removing the LoRA, " + p.key() + " differs from the base weight");

    if (json.contains("text_side") && lora.tokenEmbeddings.defined()) {
        const auto& side = json.at("text_side");
        std::vector<std::pair<std::string, std::string>> added;
        for (const auto& t : side.at("added_tokens"))
            added.emplace_back(t.at("token").get<std::string>(), t.at("aggregation_regex").get<std::string>());
        const at::Tensor table =
            applyLoraTokens(fixture.io("text.token_embedding"), side.at("vocab").get<std::vector<std::string>>(), added,
                            lora.tokenIndices, lora.tokenEmbeddings);
        checker.compare("text.token_embedding_lora", table, fixture.io("text.token_embedding_lora"));
    }
}

} // namespace kaskade::parity
