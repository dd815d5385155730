#include "app/core/canny_preview.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace kaskade::core {

QImage cannyEdgesPreview(const QImage& image, QSize outputSize, int resize)
{
    if (image.isNull() || resize < 8)
        return {};
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    if (!outputSize.isValid() || outputSize.isEmpty())
        outputSize = rgb.size();
    // QImage rows are padded to 4 bytes: pass the stride.
    const cv::Mat source(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar*>(rgb.constBits()),
                         std::size_t(rgb.bytesPerLine()));
    cv::Mat small;
    cv::resize(source, small, cv::Size(resize, resize), 0, 0, cv::INTER_LINEAR);
    cv::Mat edges;
    cv::Canny(small, edges, image::kCannyLowThreshold, image::kCannyHighThreshold, image::kCannyAperture,
              image::kCannyL2Gradient);
    cv::Mat back;
    cv::resize(edges, back, cv::Size(outputSize.width(), outputSize.height()), 0, 0, cv::INTER_LINEAR);
    const QImage view(back.data, back.cols, back.rows, int(back.step), QImage::Format_Grayscale8);
    return view.copy(); // the cv::Mat's buffer goes away with it
}

} // namespace kaskade::core
