#pragma once
// The canny ControlNet's control image for display: the same OpenCV edge detector the engine feeds the
// network (pipeline/image/control_filters.h cannyFilter), computed from a QImage without LibTorch so that
// the GUI can show the user the edges before a job runs.

#include "pipeline/image/canny_settings.h"

#include <QImage>

namespace kaskade::core {

// As the official CannyFilter: bilinear resize to resize×resize, cv::Canny(100, 200) on the 8-bit RGB
// picture, bilinear resize back — here to outputSize (the picture's own size when invalid), Grayscale8,
// white edges on black. A null image for a null input. The engine converts through float and truncates
// where this rounds once; it is a preview, the job computes its own.
QImage cannyEdgesPreview(const QImage& image, QSize outputSize = {}, int resize = image::kCannyResize);

} // namespace kaskade::core
