#pragma once
// The real generator: text encoder → Stage C → Stage B → Stage A, on LibTorch. Torch-free header.

#include "pipeline/generator.h"

#include <memory>

namespace kaskade {

std::unique_ptr<Generator> createPipeline();

// Writes a random-weight model set in the official release layout (Stage A/B/C, previewer, text
// encoder + config.json, tokenizer vocab.json/merges.txt, cascade.json). size: "tiny" or "small".
// Images it draws are noise: it exists so that the app and tests run without the real weights.
void writeDemoModel(const std::string& directory, const std::string& size, std::uint64_t seed = 1);

} // namespace kaskade
