#pragma once
// The real generator: text encoder → Stage C → Stage B → Stage A, on LibTorch (CascadePipeline,
// pipeline/generation/cascade_pipeline.{h,cpp}). Torch-free header. The demo model: pipeline/tools/demo_model.h.

#include "pipeline/generator.h"

#include <memory>

namespace kaskade {

std::unique_ptr<Generator> createPipeline();

} // namespace kaskade
