#pragma once
// A random-weight model set, so that the app, the CLI and the tests run without the real weights.
// Torch-free header: the GUI writes one on its first start.

#include <cstdint>
#include <string>

namespace kaskade {

// Writes a random-weight model set in the official release layout (Stage A/B/C, previewer, text
// encoder + config.json, tokenizer vocab.json/merges.txt, cascade.json). size: "tiny" or "small".
// Images it draws are noise.
void writeDemoModel(const std::string& directory, const std::string& size, std::uint64_t seed = 1);

} // namespace kaskade
