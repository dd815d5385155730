#pragma once
// MaskPainter: paints the inpainting mask over a picture (white = repaint, as the engine's `mask` input)
// and sets the canvas extension for outpainting. Brush size, eraser, invert, clear and undo; the picture
// is shown with the painted area tinted and the outpaint border as a hatched frame around it.

#include "pipeline/generation_params.h"

#include <QDialog>
#include <QImage>
#include <QList>

class QCheckBox;
class QLabel;
class QSpinBox;
class QToolButton;

namespace kaskade::ui {

class MaskCanvas;

class MaskPainter final : public QDialog
{
    Q_OBJECT
public:
    // mask: an earlier mask of the same size (or null: nothing masked).
    explicit MaskPainter(const QImage& picture, const QImage& mask = {}, Outpaint outpaint = {},
                         QWidget* parent = nullptr);

    // Grayscale8 of the picture's size: 255 = repaint, 0 = keep.
    QImage mask() const;
    Outpaint outpaint() const;
    bool maskEmpty() const; // nothing painted

    // The editing operations behind the buttons (points in picture pixels), for shortcuts and tests.
    void setBrushSize(int pixels);
    int brushSize() const;
    void setEraser(bool erase);
    void stroke(QPointF from, QPointF to); // one undo step
    void invert();
    void clear();
    bool undo(); // false when there is nothing to undo
    MaskCanvas* canvas() const { return canvas_; }

private:
    void updateButtons();

    MaskCanvas* canvas_;
    QSpinBox* brush_;
    QToolButton* eraser_;
    QToolButton* undo_;
    QSpinBox* left_;
    QSpinBox* top_;
    QSpinBox* right_;
    QSpinBox* bottom_;
    QLabel* sizeInfo_;
};

// The painting surface (in the .h for the test's mouse events): the picture scaled to fit, the mask on top.
class MaskCanvas final : public QWidget
{
    Q_OBJECT
public:
    MaskCanvas(const QImage& picture, const QImage& mask, QWidget* parent = nullptr);

    const QImage& mask() const { return mask_; }
    int brush = 48; // diameter in picture pixels
    bool erase = false;
    Outpaint border; // drawn around the picture

    void pushUndo();
    bool undo();
    int undoDepth() const { return int(undo_.size()); }
    void paintLine(QPointF from, QPointF to); // picture pixels
    void invert();
    void clear();
    // Widget position ↔ picture pixels under the current fit.
    QPointF toPicture(QPointF widgetPos) const;
    QPointF toWidget(QPointF picturePos) const;

Q_SIGNALS:
    void edited();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    QSize sizeHint() const override { return {720, 540}; }

private:
    QRectF pictureRect() const; // where the picture is drawn, leaving room for the outpaint border

    QImage picture_;
    QImage mask_; // Grayscale8
    QList<QImage> undo_;
    bool drawing_ = false;
    QPointF last_;
};

} // namespace kaskade::ui
