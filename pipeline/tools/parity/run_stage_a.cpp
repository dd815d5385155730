// Parity runners for Stage A (decode and encode) and the previewer: build the module from the
// fixture's "config", load every weight file (fp32, then bf16 when present; both upcast to fp32) and
// compare the module's output with the recorded one.

#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/models/previewer.h"
#include "pipeline/models/stage_a.h"
#include "pipeline/tools/parity/runners.h"

#include <c10/core/InferenceMode.h>

namespace kaskade::parity {
namespace {

const nlohmann::json& configOf(const Fixture& fixture)
{
    static const nlohmann::json empty = nlohmann::json::object();
    auto it = fixture.json().find("config");
    return it == fixture.json().end() ? empty : *it;
}

// "weights" / "weights.bf16": prefixes the compared tensor's name in failure messages.
std::string weightLabel(const std::filesystem::path& file)
{
    return file.stem().string();
}

const at::TensorOptions kFloatCpu = at::TensorOptions().dtype(at::kFloat);

} // namespace

void runStageAFixture(Fixture& fixture, Checker& checker)
{
    const bool encode = fixture.module() == "stage_a_encode";
    const auto config = models::StageAConfig::fromJson(configOf(fixture));
    const auto input = fixture.io(encode ? "image" : "latent");
    const auto expected = fixture.io(encode ? "latent" : "image");
    const auto files = fixture.weightFiles();
    if (files.empty())
        throw Error(ErrorCode::FileNotFound, fixture.dir().string() + ": no weights.safetensors");

    c10::InferenceMode guard;
    for (const auto& file : files) {
        models::StageA model(config, kFloatCpu);
        loadStateDict(*model, st::Reader::open(file)->loadAll(), file.string() + " (Stage A)");
        const auto output = encode ? model->encode(input) : model->decode(input);
        checker.compare(weightLabel(file) + "/" + (encode ? "latent" : "image"), output, expected);
    }
}

void runPreviewerFixture(Fixture& fixture, Checker& checker)
{
    const auto config = models::PreviewerConfig::fromJson(configOf(fixture));
    const auto input = fixture.io("latent");
    const auto expected = fixture.io("image");
    const auto files = fixture.weightFiles();
    if (files.empty())
        throw Error(ErrorCode::FileNotFound, fixture.dir().string() + ": no weights.safetensors");

    c10::InferenceMode guard;
    for (const auto& file : files) {
        models::Previewer model(config, kFloatCpu);
        loadStateDict(*model, st::Reader::open(file)->loadAll(), file.string() + " (previewer)");
        checker.compare(weightLabel(file) + "/image", model->forward(input), expected);
    }
}

} // namespace kaskade::parity
