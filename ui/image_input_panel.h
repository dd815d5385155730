#pragma once
// ImageInputPanel: the picture a job starts from and what to do with it (GenerationParams::images): image to
// image at a strength, variations (the picture as image prompt), a ControlNet (canny edges, inpainting with
// a painted mask and canvas extension, ×2 super-resolution) at a control strength, or a reconstruction
// through Stage B/A. Pictures come from a file dialog, a drop, or the gallery's context actions; the
// derived control image (the canny edges, the masked picture) is shown beside the picture.

#include "pipeline/generation_params.h"

#include <QImage>
#include <QWidget>

#include <functional>

class QAction;
class QComboBox;
class QLabel;
class QPushButton;
class QToolButton;

namespace kaskade::ui {

class SliderSpinBox;

class ImageInputPanel final : public QWidget
{
    Q_OBJECT
public:
    // The order of the mode box.
    enum class Mode { ImageToImage, Variation, ControlNet, Reconstruct };
    Q_ENUM(Mode)

    explicit ImageInputPanel(QWidget* parent = nullptr);

    // Loads a picture file (any format Qt reads) and selects the mode; false (with a message box unless
    // quiet) when it cannot be read.
    bool setImageFile(const QString& path, bool quiet = false);
    void setMode(Mode mode);
    Mode mode() const;
    void setControlKind(ControlKind kind);
    ControlKind controlKind() const;
    void setStrength(double strength);
    double strength() const;
    void setControlStrength(double strength);
    double controlStrength() const;
    // The inpainting mask (white = repaint, the picture's size) and the canvas extension.
    void setMask(const QImage& mask, Outpaint outpaint = {});
    const QImage& mask() const { return maskImage_; }
    Outpaint outpaint() const { return outpaint_; }
    void clear();

    bool hasImage() const { return image_.loaded(); }
    const InputImage& image() const { return image_; }
    // What the panel adds to a job; returns an empty string, or why the job cannot run as set up (e.g.
    // inpainting with nothing painted), in which case inputs are left alone.
    QString applyTo(ImageInputs& inputs) const;
    // Shows the inputs of a restored record (pictures that were not found leave the panel empty).
    void setInputs(const ImageInputs& inputs);
    // "Image", "Image · image to image" … for the side tab.
    QString tabTitle() const;
    // The derived control image (canny edges, the masked picture, …) as shown; null while computing.
    const QImage& controlPreview() const { return controlPreview_; }
    // An error of the last job that concerns the image inputs (e.g. a missing effnet_encoder.safetensors):
    // shown in the panel until the next change.
    void showProblem(const QString& message);

    // Gallery context actions: "Use as init image", "Variations", "Upscale ×2", "Edit (inpaint)". Each asks
    // source() for the picture's path.
    QList<QAction*> galleryActions() const { return galleryActions_; }
    void setImageSource(std::function<QString()> source) { source_ = std::move(source); }

    void openImage(); // file dialog
    void editMask();  // opens the mask painter (switches to inpainting)

Q_SIGNALS:
    void changed();
    void controlPreviewReady(); // the derived control image was computed
    void activated();           // a gallery action filled the panel: show it
    void downloadRequested();   // the problem line's "Download…" link

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void updateUi();
    void refreshControlPreview();
    void useFromGallery(Mode mode, std::optional<ControlKind> kind);

    InputImage image_;
    QImage picture_; // image_ as a QImage, for thumbnails and the painter
    QImage maskImage_;
    InputImage maskInput_; // the painted mask, saved as a PNG so that the metadata can name it
    Outpaint outpaint_;
    QImage controlPreview_;
    quint64 previewTicket_ = 0; // the newest canny request; older results are dropped
    std::function<QString()> source_;

    QLabel* thumbnail_;
    QLabel* controlThumb_;
    QLabel* controlCaption_;
    QLabel* info_;
    QLabel* problem_;
    QPushButton* open_;
    QPushButton* clear_;
    QComboBox* mode_;
    QComboBox* controlKind_;
    QLabel* controlKindLabel_;
    QLabel* strengthLabel_;
    SliderSpinBox* strength_;
    QLabel* controlStrengthLabel_;
    SliderSpinBox* controlStrength_;
    QPushButton* paintMask_;
    QList<QAction*> galleryActions_;
};

} // namespace kaskade::ui
