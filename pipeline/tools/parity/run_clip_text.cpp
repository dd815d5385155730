// clip_text fixtures: HF CLIPTextModelWithProjection on a tiny config, every weight file of the fixture
// loaded into an fp32 model, every listed output compared (README "clip_text").

#include "pipeline/errors.h"
#include "pipeline/io/name_rules_text.h"
#include "pipeline/models/clip_text.h"
#include "pipeline/tools/parity/runners.h"

#include <c10/core/InferenceMode.h>

namespace kaskade::parity {
namespace {

// The model output a fixture output name refers to; undefined when the name is unknown.
at::Tensor outputByName(const models::ClipTextOutput& out, const std::string& name)
{
    using O = models::ClipTextOutput;
    return namedOutput(out, name,
                       {{"hidden_states_last", &O::hiddenLast},
                        {"last_hidden_state", &O::lastHiddenState},
                        {"pooler_output", &O::poolerOutput},
                        {"text_embeds", &O::textEmbeds},
                        {"pooled_index", &O::pooledIndex}});
}

} // namespace

void runClipTextFixture(Fixture& fixture, Checker& checker)
{
    c10::InferenceMode inference;
    const auto& json = fixture.json();
    const char* configKey = json.contains("hf_config_json") ? "hf_config_json" : "config";
    const auto config = models::ClipTextConfig::fromJson(json.at(configKey), fixture.name() + " " + configKey);
    const at::Tensor inputIds = fixture.io("input_ids");
    const at::Tensor attentionMask = fixture.io("attention_mask");
    const auto files = fixture.weightFiles();
    if (files.empty())
        throw Error(ErrorCode::FileNotFound, fixture.dir().string() + ": no weights file");
    for (const auto& file : files) {
        // The text-encoder name rules accept HF names as they are (and drop position_ids).
        const auto tensors = textEncoderToHf(st::Reader::open(file)->loadAll(), file.string());
        const auto model = models::loadClipText(config, tensors, file.string()); // fp32 CPU, whatever the file
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
