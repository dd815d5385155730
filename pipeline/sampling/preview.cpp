#include "pipeline/sampling/preview.h"

#include "pipeline/errors.h"

#include <ATen/ATen.h>

#include <cstring>

namespace kaskade::preview {
namespace {

// ComfyUI latent_formats.py SC_Prior / SC_B latent_rgb_factors: rows = latent channels, columns = R, G, B.
constexpr float kStageCFactors[16][3] = {
    {-0.0326f, -0.0204f, -0.0127f}, {-0.1592f, -0.0427f, 0.0216f},  {0.0873f, 0.0638f, -0.0020f},
    {-0.0602f, 0.0442f, 0.1304f},   {0.0800f, -0.0313f, -0.1796f},  {-0.0810f, -0.0638f, -0.1581f},
    {0.1791f, 0.1180f, 0.0967f},    {0.0740f, 0.1416f, 0.0432f},    {-0.1745f, -0.1888f, -0.1373f},
    {0.2412f, 0.1577f, 0.0928f},    {0.1908f, 0.0998f, 0.0682f},    {0.0209f, 0.0365f, -0.0092f},
    {0.0448f, -0.0650f, -0.1728f},  {-0.1658f, -0.1045f, -0.1308f}, {0.0542f, 0.1545f, 0.1325f},
    {-0.0352f, -0.1672f, -0.2541f},
};
constexpr float kStageBFactors[4][3] = {
    {0.1121f, 0.2006f, 0.1023f},
    {-0.2093f, -0.0222f, -0.0195f},
    {-0.3087f, -0.1535f, 0.0366f},
    {0.0290f, -0.1574f, -0.4078f},
};

// (B,H,W,3) uint8 CPU → one RgbImage per batch item.
std::vector<RgbImage> split(const at::Tensor& hwc)
{
    const auto bytes = hwc.contiguous();
    const auto batch = bytes.size(0), height = bytes.size(1), width = bytes.size(2);
    std::vector<RgbImage> images(static_cast<std::size_t>(batch));
    const std::size_t size = static_cast<std::size_t>(height * width * 3);
    for (std::int64_t i = 0; i < batch; ++i) {
        auto& image = images[static_cast<std::size_t>(i)];
        image.width = static_cast<int>(width);
        image.height = static_cast<int>(height);
        image.rgb.resize(size);
        std::memcpy(image.rgb.data(), bytes[i].data_ptr<std::uint8_t>(), size);
    }
    return images;
}

std::vector<RgbImage> latentToRgb(const at::Tensor& latent, const float* factors, std::int64_t channels,
                                  const char* what)
{
    if (latent.dim() != 4 || latent.size(1) != channels)
        throw Error(ErrorCode::InvalidArgument,
                    std::string(what) + " preview: expected a (B," + std::to_string(channels) + ",h,w) latent");
    const auto f = at::from_blob(const_cast<float*>(factors), {channels, 3}, at::kFloat);          // (C,3)
    const auto hwc = latent.detach().to(at::kCPU, at::kFloat).nan_to_num(0).permute({0, 2, 3, 1}); // (B,h,w,C)
    const auto rgb = at::matmul(hwc, f).clamp(-1, 1);                                              // (B,h,w,3)
    return split(((rgb + 1) * 127.5).round().to(at::kByte));
}

} // namespace

std::vector<RgbImage> stageCLatentToRgb(const at::Tensor& latent)
{
    return latentToRgb(latent, &kStageCFactors[0][0], 16, "Stage C");
}

std::vector<RgbImage> stageBLatentToRgb(const at::Tensor& latent)
{
    return latentToRgb(latent, &kStageBFactors[0][0], 4, "Stage B");
}

std::vector<RgbImage> imageToRgb(const at::Tensor& image)
{
    if (image.dim() != 4 || image.size(1) != 3)
        throw Error(ErrorCode::InvalidArgument, "image to RGB: expected a (B,3,H,W) tensor");
    const auto x = image.detach().to(at::kCPU, at::kFloat).nan_to_num(0).clamp(0, 1); // (B,3,H,W)
    const auto bytes = (x * 255).round().to(at::kByte).permute({0, 2, 3, 1});         // (B,H,W,3)
    return split(bytes);
}

} // namespace kaskade::preview
