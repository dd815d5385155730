#pragma once
// Control inputs of the released ControlNets, as the official filters (modules/controlnet.py CannyFilter,
// InpaintFilter, SREffnetFilter) compute them, and conversions between RgbImage and image tensors.
// Image tensors are (B,C,H,W) float32 with values in [0,1] unless stated.

#include "pipeline/generator.h"
#include "pipeline/image/canny_settings.h"
#include "pipeline/models/effnet_encoder.h"

#include <ATen/core/Tensor.h>

#include <vector>

namespace kaskade::image {

// RgbImage (8-bit RGB) → (1,3,H,W) float32 in [0,1] (v/255), on the CPU. Throws Error(InvalidArgument)
// for an empty image or a buffer that does not hold width·height·3 bytes.
at::Tensor rgbToTensor(const RgbImage& image);
// Several images of the same size → (B,3,H,W).
at::Tensor rgbToTensor(const std::vector<RgbImage>& images);
// (B,3,H,W) or (3,H,W) in [0,1] → RgbImage per batch item: round(clamp(x,0,1)·255) (as preview::imageToRgb).
std::vector<RgbImage> tensorToRgb(const at::Tensor& images01);
// A one-channel map (B,1,H,W) in [0,1] (e.g. canny edges, a mask) → grey RgbImages, for thumbnails.
std::vector<RgbImage> maskToRgb(const at::Tensor& map01);
// A mask image → (1,1,H,W) float32 0/1: a pixel is masked (1) where its mean RGB value is > 127
// (white = area to repaint, as the official notebook's mask).
at::Tensor maskFromRgb(const RgbImage& mask);

// CannyFilter(resize=224): images (B,3,H,W) in [0,1] → edges (B,1,H,W) in [0,1]:
// bilinear resize to 224×224 (align_corners False), per image uint8 = truncate(x·255) as RGB HWC,
// cv::Canny(u8, 100, 200) (aperture 3, L1 gradient; per pixel the channel with the largest gradient),
// /255, bilinear resize back to (H,W) (align_corners False). Runs on the CPU; result on images' device.
at::Tensor cannyFilter(const at::Tensor& images01, int resize = kCannyResize, double lowThreshold = kCannyLowThreshold,
                       double highThreshold = kCannyHighThreshold);
// The raw cv::Canny output (B,1,resize,resize) uint8 0/255 (the parity fixture's canny.edges_u8).
at::Tensor cannyEdgesU8(const at::Tensor& images01, int resize = kCannyResize, double lowThreshold = kCannyLowThreshold,
                        double highThreshold = kCannyHighThreshold);

// InpaintFilter: cat([where(mask, 1, images), mask], dim 1) → (B,4,H,W). mask (B,1,H,W), nonzero =
// area to inpaint (broadcast over the batch when B = 1).
at::Tensor inpaintFilter(const at::Tensor& images01, const at::Tensor& mask);

// Super-resolution input (the controlnet notebook's SR cell): the image upscaled ×2 nearest (cnet_input).
at::Tensor srFilterInput(const at::Tensor& images01);
// SREffnetFilter(scale_factor 0.5) on srFilterInput(images): nearest ×0.5 (= the original image),
// effnet(ImageNet-normalised), nearest ×2 → (B,16,2·ceil(H/32),2·ceil(W/32)) float32: the SR ControlNet's input.
at::Tensor srEffnetEmbedding(const models::EfficientNetEncoder& encoder, const at::Tensor& filterInput);

// torch.nn.functional.interpolate(x, scale_factor=s, mode='nearest') with the scale passed to the kernel
// as PyTorch does (output floor(n·s); source index floor(i/s)).
at::Tensor interpolateNearestScale(const at::Tensor& x, double scale);

} // namespace kaskade::image
