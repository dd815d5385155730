// clip_text fixtures: HF CLIPTextModelWithProjection on a tiny config, every weight file of the fixture
// loaded into an fp32 model, every listed output compared (README "clip_text").

#include "pipeline/errors.h"
#include "pipeline/io/name_rules_text.h"
#include "pipeline/models/clip_text.h"
#include "pipeline/parity/runners.h"

#include <c10/core/InferenceMode.h>

namespace kaskade::parity {
namespace {

// The model output a fixture output name refers to; undefined when the name is unknown.
at::Tensor outputByName(const clip::ClipTextOutput& out, const std::string& name)
{
    if (name == "hidden_states_last")
        return out.hiddenLast;
    if (name == "last_hidden_state")
        return out.lastHiddenState;
    if (name == "pooler_output")
        return out.poolerOutput;
    if (name == "text_embeds")
        return out.textEmbeds;
    if (name == "pooled_index")
        return out.pooledIndex;
    const std::string hidden = "hidden_states.";
    if (name.starts_with(hidden)) {
        const std::string index = name.substr(hidden.size());
        if (!index.empty() && index.find_first_not_of("0123456789") == std::string::npos &&
            std::stoul(index) < out.hiddenStates.size())
            return out.hiddenStates[std::stoul(index)];
    }
    return {};
}

} // namespace

void runClipTextFixture(Fixture& fixture, Checker& checker)
{
    c10::InferenceMode inference;
    const auto& json = fixture.json();
    const char* configKey = json.contains("hf_config_json") ? "hf_config_json" : "config";
    const auto config = clip::ClipTextConfig::fromJson(json.at(configKey), fixture.name() + " " + configKey);
    const at::Tensor inputIds = fixture.io("input_ids");
    const at::Tensor attentionMask = fixture.io("attention_mask");
    const auto files = fixture.weightFiles();
    if (files.empty())
        throw Error(ErrorCode::FileNotFound, fixture.dir().string() + ": no weights file");
    for (const auto& file : files) {
        // The text-encoder name rules accept HF names as they are (and drop position_ids).
        const auto tensors = clip::textEncoderToHf(st::Reader::open(file)->loadAll(), file.string());
        const auto model = clip::loadClipText(config, tensors, file.string()); // fp32 CPU, whatever the file
        const auto out = model->forward(inputIds, attentionMask, /*keepHiddenStates=*/true);
        const std::string label = file.stem().string(); // "weights" / "weights.bf16"
        for (const auto& name : json.at("outputs")) {
            const std::string output = name.get<std::string>();
            const at::Tensor actual = outputByName(out, output);
            if (!actual.defined())
                checker.fail(label + "/" + output + ": the text model has no such output");
            else
                checker.compare(label + "/" + output, actual, fixture.io(output));
        }
    }
}

} // namespace kaskade::parity
