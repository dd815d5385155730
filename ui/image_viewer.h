#pragma once
// ImageViewer: a gallery image at full size. Fit or 100 %, wheel zoom around the mouse, drag to pan,
// previous/next through the gallery (arrow keys), and a compare mode for two images: side by side or a swipe
// divider dragged across both.

#include <QDialog>
#include <QImage>
#include <QPointF>

class QAction;
class QComboBox;
class QLabel;
class QStackedWidget;

namespace kaskade::ui {

class GalleryModel;

// One image, zoomable and pannable.
class ZoomView final : public QWidget
{
    Q_OBJECT
public:
    explicit ZoomView(QWidget* parent = nullptr);
    void setImage(const QImage& image); // keeps the zoom mode (fit stays fit)
    const QImage& image() const { return image_; }
    void fit();
    void actualSize(); // 100 %: one image pixel per device-independent pixel
    void zoomBy(double factor, const QPointF& anchor);
    double zoom() const; // displayed size / image size
    bool fitted() const { return fit_; }
    QPointF offset() const { return offset_; }
    QSize sizeHint() const override { return {900, 700}; }

Q_SIGNALS:
    void zoomChanged(double zoom);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    double fitZoom() const;
    QRectF imageRect() const;

    QImage image_;
    bool fit_ = true;
    double zoom_ = 1.0;
    QPointF offset_; // image centre relative to the widget centre, in widget pixels
    QPointF dragStart_;
    QPointF offsetAtDrag_;
};

// Two images at the same scale: side by side, or on top of each other with a divider (swipe).
class CompareView final : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { SideBySide, Swipe };
    explicit CompareView(QWidget* parent = nullptr);
    void setImages(const QImage& left, const QImage& right);
    void setMode(Mode mode);
    Mode mode() const { return mode_; }
    double split() const { return split_; } // swipe divider, 0…1 of the image width
    void setSplit(double split);
    QSize sizeHint() const override { return {900, 700}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    QRectF fitted(const QSize& size, const QRectF& area) const;
    void dragTo(double x);

    QImage left_, right_;
    Mode mode_ = Mode::SideBySide;
    double split_ = 0.5;
};

class ImageViewer final : public QDialog
{
    Q_OBJECT
public:
    ImageViewer(GalleryModel* model, QWidget* parent = nullptr);
    void showRow(int row);
    void compare(int leftRow, int rightRow);
    int row() const { return row_; }
    bool comparing() const;
    ZoomView* zoomView() const { return zoom_; }
    CompareView* compareView() const { return compare_; }
    void next() { step(1); }
    void previous() { step(-1); }

Q_SIGNALS:
    void reuseRequested(int row);
    void rowShown(int row);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void step(int direction);
    void updateCaption();

    GalleryModel* model_;
    int row_ = -1;
    int otherRow_ = -1;
    QStackedWidget* stack_;
    ZoomView* zoom_;
    CompareView* compare_;
    QLabel* caption_;
    QLabel* zoomLabel_;
    QComboBox* compareMode_;
    QAction* previous_;
    QAction* next_;
};

} // namespace kaskade::ui
