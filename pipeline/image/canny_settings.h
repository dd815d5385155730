#pragma once
// The official CannyFilter's settings (modules/controlnet.py: bilinear resize to 224², then
// cv2.Canny(img, 100, 200) with OpenCV's defaults, aperture 3 and the L1 gradient). One definition for the
// engine's filter (control_filters.h) and the GUI's preview (app/core/canny_preview.h), so the edges the user
// is shown are computed like the ones the network gets. Torch-free and Qt-free: both sides include it.

namespace kaskade::image {

inline constexpr int kCannyResize = 224;
inline constexpr double kCannyLowThreshold = 100;
inline constexpr double kCannyHighThreshold = 200;
inline constexpr int kCannyAperture = 3;
inline constexpr bool kCannyL2Gradient = false;

} // namespace kaskade::image
