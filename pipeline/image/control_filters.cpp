#include "pipeline/image/control_filters.h"

#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/sampling/preview.h"

#include <ATen/ATen.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstring>

namespace kaskade::image {
namespace {

void filterCheckImages(const at::Tensor& images, std::int64_t channels, const char* what)
{
    if (!images.defined() || images.dim() != 4 || images.size(1) != channels || images.size(2) < 1 ||
        images.size(3) < 1)
        throw Error(ErrorCode::InvalidArgument, std::string(what) + ": expected (B," + std::to_string(channels) +
                                                    ",H,W) images, got " +
                                                    (images.defined() ? shapeString(images.sizes()) : "nothing"));
}

at::Tensor filterBilinear(const at::Tensor& x, std::int64_t h, std::int64_t w)
{
    return at::upsample_bilinear2d(x, {h, w}, /*align_corners=*/false);
}

} // namespace

at::Tensor rgbToTensor(const RgbImage& image)
{
    const auto w = static_cast<std::int64_t>(image.width), h = static_cast<std::int64_t>(image.height);
    if (w <= 0 || h <= 0 || image.rgb.size() != static_cast<std::size_t>(w * h * 3))
        throw Error(ErrorCode::InvalidArgument, "image of " + std::to_string(image.width) + "×" +
                                                    std::to_string(image.height) + " pixels with " +
                                                    std::to_string(image.rgb.size()) + " bytes is empty or damaged");
    auto hwc = at::empty({h, w, 3}, at::TensorOptions().dtype(at::kByte));
    std::memcpy(hwc.data_ptr<std::uint8_t>(), image.rgb.data(), image.rgb.size());
    return hwc.permute({2, 0, 1}).unsqueeze(0).to(at::kFloat).div_(255.0).contiguous(); // (1,3,H,W)
}

at::Tensor rgbToTensor(const std::vector<RgbImage>& images)
{
    if (images.empty())
        throw Error(ErrorCode::InvalidArgument, "no images");
    std::vector<at::Tensor> parts;
    for (const auto& image : images) {
        if (image.width != images.front().width || image.height != images.front().height)
            throw Error(ErrorCode::InvalidArgument, "images of a batch must have the same size");
        parts.push_back(rgbToTensor(image));
    }
    return at::cat(parts, 0); // (B,3,H,W)
}

std::vector<RgbImage> tensorToRgb(const at::Tensor& images01)
{
    const auto x = images01.dim() == 3 ? images01.unsqueeze(0) : images01;
    filterCheckImages(x, 3, "tensorToRgb");
    return preview::imageToRgb(x);
}

std::vector<RgbImage> maskToRgb(const at::Tensor& map01)
{
    filterCheckImages(map01, 1, "maskToRgb");
    return preview::imageToRgb(map01.expand({map01.size(0), 3, map01.size(2), map01.size(3)}));
}

at::Tensor maskFromRgb(const RgbImage& mask)
{
    const auto rgb = rgbToTensor(mask);                                    // (1,3,H,W)
    return rgb.mean(1, /*keepdim=*/true).gt(127.0 / 255.0).to(at::kFloat); // (1,1,H,W)
}

at::Tensor cannyEdgesU8(const at::Tensor& images01, int resize, double lowThreshold, double highThreshold)
{
    filterCheckImages(images01, 3, "Canny filter");
    if (resize < 8)
        throw Error(ErrorCode::InvalidArgument, "Canny filter: resize must be at least 8");
    // As CannyFilter: bilinear to resize², then x·255 truncated to uint8 (numpy astype), RGB HWC per image.
    auto x = filterBilinear(images01.to(at::kCPU, at::kFloat), resize, resize);  // (B,3,r,r)
    const auto u8 = x.mul(255).permute({0, 2, 3, 1}).to(at::kByte).contiguous(); // (B,r,r,3)
    const auto b = u8.size(0);
    auto edges = at::empty({b, 1, resize, resize}, at::TensorOptions().dtype(at::kByte));
    for (std::int64_t i = 0; i < b; ++i) {
        const cv::Mat in(resize, resize, CV_8UC3, u8[i].data_ptr<std::uint8_t>());
        cv::Mat out(resize, resize, CV_8UC1, edges[i][0].data_ptr<std::uint8_t>());
        // 3 channels: OpenCV takes, per pixel, the channel with the largest gradient (as cv2 does for the
        // official code). aperture 3, L1 gradient: cv2.Canny's defaults.
        cv::Canny(in, out, lowThreshold, highThreshold, kCannyAperture, kCannyL2Gradient);
        if (out.data != edges[i][0].data_ptr<std::uint8_t>()) // never expected: Canny writes in place
            std::memcpy(edges[i][0].data_ptr<std::uint8_t>(), out.data, static_cast<std::size_t>(resize * resize));
    }
    return edges; // (B,1,r,r) 0/255
}

at::Tensor cannyFilter(const at::Tensor& images01, int resize, double lowThreshold, double highThreshold)
{
    const auto edges = cannyEdgesU8(images01, resize, lowThreshold, highThreshold).to(at::kFloat).div_(255.0);
    return filterBilinear(edges, images01.size(2), images01.size(3)).to(images01.device()); // (B,1,H,W)
}

at::Tensor inpaintFilter(const at::Tensor& images01, const at::Tensor& mask)
{
    filterCheckImages(images01, 3, "Inpaint filter");
    filterCheckImages(mask, 1, "Inpaint filter mask");
    if (mask.size(2) != images01.size(2) || mask.size(3) != images01.size(3) ||
        (mask.size(0) != images01.size(0) && mask.size(0) != 1))
        throw Error(ErrorCode::InvalidArgument, "Inpaint filter: the mask " + shapeString(mask.sizes()) +
                                                    " does not match the image " + shapeString(images01.sizes()));
    const auto images = images01.to(at::kFloat);
    const auto m = mask.to(images.device()).ne(0).expand({images.size(0), 1, images.size(2), images.size(3)});
    const auto masked = at::where(m, at::ones_like(images), images); // (B,3,H,W): the hole is white
    return at::cat({masked, m.to(at::kFloat)}, 1);                   // (B,4,H,W)
}

at::Tensor interpolateNearestScale(const at::Tensor& x, double scale)
{
    const auto h = static_cast<std::int64_t>(std::floor(static_cast<double>(x.size(2)) * scale));
    const auto w = static_cast<std::int64_t>(std::floor(static_cast<double>(x.size(3)) * scale));
    if (h < 1 || w < 1)
        throw Error(ErrorCode::InvalidArgument, "image too small to scale by " + std::to_string(scale));
    return at::upsample_nearest2d(x, {h, w}, scale, scale);
}

at::Tensor srFilterInput(const at::Tensor& images01)
{
    filterCheckImages(images01, 3, "Super-resolution input");
    return interpolateNearestScale(images01.to(at::kFloat), 2.0); // (B,3,2H,2W)
}

at::Tensor srEffnetEmbedding(const models::EfficientNetEncoder& encoder, const at::Tensor& filterInput)
{
    filterCheckImages(filterInput, 3, "Super-resolution effnet filter");
    const auto half = interpolateNearestScale(filterInput.to(at::kFloat), 0.5); // (B,3,H,W)
    const auto latents = models::effnetEncodeImages(encoder, half);             // (B,16,h,w)
    return interpolateNearestScale(latents, 2.0);                               // (B,16,2h,2w)
}

} // namespace kaskade::image
