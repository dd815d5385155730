// STUB until the generation pipeline lands.
#include "pipeline/pipeline.h"
#include "pipeline/errors.h"

namespace kaskade {
namespace {
class StubPipeline final : public Generator {
public:
    void load(const ModelSpec&, const GenerationCallbacks&) override { throw Error(ErrorCode::Unsupported, "pipeline not implemented yet"); }
    ModelInfo modelInfo() const override { return {}; }
    GenerationResult generate(const GenerationParams&, const GenerationCallbacks&) override { throw Error(ErrorCode::Unsupported, "pipeline not implemented yet"); }
};
} // namespace
std::unique_ptr<Generator> createPipeline() { return std::make_unique<StubPipeline>(); }
void writeDemoModel(const std::string&, const std::string&, std::uint64_t) { throw Error(ErrorCode::Unsupported, "demo model not implemented yet"); }
} // namespace kaskade
