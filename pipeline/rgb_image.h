#pragma once
// The engine's plain picture type, shared by inputs (GenerationParams::images) and outputs. Torch-free.

#include <cstdint>
#include <vector>

namespace kaskade {

// 8-bit RGB, row-major, no padding.
struct RgbImage
{
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb; // width * height * 3

    bool empty() const { return width <= 0 || height <= 0; }
};

} // namespace kaskade
