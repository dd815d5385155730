#include "ui/mask_painter.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace kaskade::ui {

namespace {

constexpr int kMaxUndo = 40; // full-size snapshots: a 2048² mask is 4 MB

} // namespace

// ---- canvas ---------------------------------------------------------------------------------------------

MaskCanvas::MaskCanvas(const QImage& picture, const QImage& mask, QWidget* parent)
    : QWidget(parent), picture_(picture.convertToFormat(QImage::Format_RGB32))
{
    setObjectName(QStringLiteral("maskCanvas"));
    if (!mask.isNull() && mask.size() == picture.size())
        mask_ = mask.convertToFormat(QImage::Format_Grayscale8);
    else {
        mask_ = QImage(picture.size(), QImage::Format_Grayscale8);
        mask_.fill(0);
    }
    setMinimumSize(240, 180);
    setCursor(Qt::CrossCursor);
    setMouseTracking(true);
}

QRectF MaskCanvas::pictureRect() const
{
    // The picture plus the outpaint border, scaled to fit the widget.
    const double fullW = picture_.width() + border.left + border.right;
    const double fullH = picture_.height() + border.top + border.bottom;
    if (fullW <= 0 || fullH <= 0)
        return {};
    const double scale = std::min((width() - 8) / fullW, (height() - 8) / fullH);
    const double x0 = (width() - fullW * scale) / 2, y0 = (height() - fullH * scale) / 2;
    return {x0 + border.left * scale, y0 + border.top * scale, picture_.width() * scale, picture_.height() * scale};
}

QPointF MaskCanvas::toPicture(QPointF widgetPos) const
{
    const QRectF r = pictureRect();
    if (r.isEmpty())
        return {};
    return {(widgetPos.x() - r.x()) * picture_.width() / r.width(),
            (widgetPos.y() - r.y()) * picture_.height() / r.height()};
}

QPointF MaskCanvas::toWidget(QPointF picturePos) const
{
    const QRectF r = pictureRect();
    return {r.x() + picturePos.x() * r.width() / picture_.width(),
            r.y() + picturePos.y() * r.height() / picture_.height()};
}

void MaskCanvas::pushUndo()
{
    undo_.append(mask_);
    if (undo_.size() > kMaxUndo)
        undo_.removeFirst();
}

bool MaskCanvas::undo()
{
    if (undo_.isEmpty())
        return false;
    mask_ = undo_.takeLast();
    update();
    Q_EMIT edited();
    return true;
}

void MaskCanvas::paintLine(QPointF from, QPointF to)
{
    QPainter painter(&mask_);
    // No antialiasing: the engine thresholds the mask at 127, so what is shown is what is repainted.
    painter.setRenderHint(QPainter::Antialiasing, false);
    const QColor colour = erase ? Qt::black : Qt::white;
    painter.setPen(QPen(colour, brush, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    if (from == to) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        painter.drawEllipse(from, brush / 2.0, brush / 2.0);
    } else {
        painter.drawLine(from, to);
    }
    painter.end();
    update();
    Q_EMIT edited();
}

void MaskCanvas::invert()
{
    pushUndo();
    mask_.invertPixels();
    update();
    Q_EMIT edited();
}

void MaskCanvas::clear()
{
    pushUndo();
    mask_.fill(0);
    update();
    Q_EMIT edited();
}

void MaskCanvas::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const QRectF r = pictureRect();
    if (r.isEmpty())
        return;
    const double scale = r.width() / picture_.width();
    const QRectF full(r.x() - border.left * scale, r.y() - border.top * scale,
                      r.width() + (border.left + border.right) * scale,
                      r.height() + (border.top + border.bottom) * scale);
    if (full != r) // the new canvas around the picture: all of it is painted by the model
        painter.fillRect(full, QBrush(QColor(230, 60, 60, 140), Qt::BDiagPattern));
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(r, picture_);
    // The mask as a translucent red layer: alpha from the mask.
    QImage overlay(mask_.size(), QImage::Format_ARGB32_Premultiplied);
    overlay.fill(QColor(230, 40, 40));
    overlay.setAlphaChannel(mask_);
    painter.setOpacity(0.55);
    painter.drawImage(r, overlay);
    painter.setOpacity(1);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(full);
    // Brush outline under the mouse.
    if (underMouse()) {
        const QPointF pos = mapFromGlobal(QCursor::pos());
        painter.setPen(QPen(erase ? Qt::black : Qt::white, 1, Qt::DashLine));
        painter.drawEllipse(pos, brush * scale / 2, brush * scale / 2);
    }
}

void MaskCanvas::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    pushUndo(); // one stroke = one undo step
    drawing_ = true;
    last_ = toPicture(event->position());
    paintLine(last_, last_);
}

void MaskCanvas::mouseMoveEvent(QMouseEvent* event)
{
    if (drawing_) {
        const QPointF here = toPicture(event->position());
        paintLine(last_, here);
        last_ = here;
    } else {
        update(); // brush outline
    }
}

void MaskCanvas::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        drawing_ = false;
}

// ---- dialog ---------------------------------------------------------------------------------------------

MaskPainter::MaskPainter(const QImage& picture, const QImage& mask, Outpaint outpaint, QWidget* parent)
    : QDialog(parent), canvas_(new MaskCanvas(picture, mask, this)), brush_(new QSpinBox(this)),
      eraser_(new QToolButton(this)), undo_(new QToolButton(this)), left_(new QSpinBox(this)), top_(new QSpinBox(this)),
      right_(new QSpinBox(this)), bottom_(new QSpinBox(this)), sizeInfo_(new QLabel(this))
{
    setObjectName(QStringLiteral("maskPainter"));
    setWindowTitle(tr("Inpainting mask"));
    canvas_->border = outpaint;

    brush_->setObjectName(QStringLiteral("maskBrushSize"));
    brush_->setRange(1, 1024);
    brush_->setSuffix(tr(" px"));
    brush_->setValue(std::max(8, std::min(picture.width(), picture.height()) / 16));
    brush_->setToolTip(tr("Brush diameter in pixels of the picture ([ and ] change it)"));
    canvas_->brush = brush_->value();
    connect(brush_, &QSpinBox::valueChanged, this, [this](int value) { canvas_->brush = value; });

    eraser_->setObjectName(QStringLiteral("maskEraser"));
    eraser_->setText(tr("&Eraser"));
    eraser_->setCheckable(true);
    eraser_->setToolTip(tr("Paint with the eraser: the picture is kept there (E)"));
    eraser_->setShortcut(QKeySequence(Qt::Key_E));
    connect(eraser_, &QToolButton::toggled, this, [this](bool on) { canvas_->erase = on; });

    auto* invertButton = new QToolButton(this);
    invertButton->setObjectName(QStringLiteral("maskInvert"));
    invertButton->setText(tr("&Invert"));
    invertButton->setToolTip(tr("Repaint everything except what is painted now (I)"));
    invertButton->setShortcut(QKeySequence(Qt::Key_I));
    connect(invertButton, &QToolButton::clicked, this, &MaskPainter::invert);
    auto* clearButton = new QToolButton(this);
    clearButton->setObjectName(QStringLiteral("maskClear"));
    clearButton->setText(tr("C&lear"));
    clearButton->setToolTip(tr("Remove the whole mask"));
    connect(clearButton, &QToolButton::clicked, this, &MaskPainter::clear);
    undo_->setObjectName(QStringLiteral("maskUndo"));
    undo_->setText(tr("&Undo"));
    undo_->setToolTip(tr("Take back the last stroke, invert or clear (Ctrl+Z)"));
    undo_->setShortcut(QKeySequence::Undo);
    connect(undo_, &QToolButton::clicked, this, &MaskPainter::undo);
    auto* smaller = new QShortcut(QKeySequence(Qt::Key_BracketLeft), this);
    connect(smaller, &QShortcut::activated, this, [this] { brush_->setValue(brush_->value() * 4 / 5); });
    auto* larger = new QShortcut(QKeySequence(Qt::Key_BracketRight), this);
    connect(larger, &QShortcut::activated, this, [this] { brush_->setValue(brush_->value() * 5 / 4 + 1); });

    auto* tools = new QHBoxLayout;
    tools->addWidget(new QLabel(tr("Brush:"), this));
    tools->addWidget(brush_);
    tools->addWidget(eraser_);
    tools->addWidget(invertButton);
    tools->addWidget(clearButton);
    tools->addWidget(undo_);
    tools->addStretch(1);

    // Outpainting: pixels of new canvas on each side (the engine repaints all of it).
    auto* extend = new QGroupBox(tr("Extend the canvas (outpainting)"), this);
    auto* extendLayout = new QHBoxLayout(extend);
    const QList<std::pair<QSpinBox*, QString>> sides = {
        {left_, tr("Left")}, {top_, tr("Top")}, {right_, tr("Right")}, {bottom_, tr("Bottom")}};
    const int sideValues[] = {outpaint.left, outpaint.top, outpaint.right, outpaint.bottom};
    const char* names[] = {"outpaintLeft", "outpaintTop", "outpaintRight", "outpaintBottom"};
    for (int i = 0; i < 4; ++i) {
        QSpinBox* box = sides[i].first;
        box->setObjectName(QLatin1String(names[i]));
        box->setRange(0, 4096);
        box->setSingleStep(64);
        box->setSuffix(tr(" px"));
        box->setValue(sideValues[i]);
        extendLayout->addWidget(new QLabel(sides[i].second, extend));
        extendLayout->addWidget(box);
        connect(box, &QSpinBox::valueChanged, this, [this] {
            canvas_->border = this->outpaint();
            canvas_->update();
            updateButtons();
        });
    }
    extendLayout->addWidget(sizeInfo_, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* hint = new QLabel(tr("Paint over what should be repainted (shown in red); the rest of the picture is "
                               "kept. Extended canvas is always painted."),
                            this);
    hint->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(hint);
    layout->addLayout(tools);
    layout->addWidget(canvas_, 1);
    layout->addWidget(extend);
    layout->addWidget(buttons);
    connect(canvas_, &MaskCanvas::edited, this, &MaskPainter::updateButtons);
    updateButtons();
    resize(820, 720);
}

QImage MaskPainter::mask() const
{
    return canvas_->mask();
}

Outpaint MaskPainter::outpaint() const
{
    return {left_->value(), top_->value(), right_->value(), bottom_->value()};
}

bool MaskPainter::maskEmpty() const
{
    const QImage& m = canvas_->mask();
    for (int y = 0; y < m.height(); ++y) {
        const uchar* row = m.constScanLine(y);
        for (int x = 0; x < m.width(); ++x)
            if (row[x] > 127)
                return false;
    }
    return true;
}

void MaskPainter::setBrushSize(int pixels)
{
    brush_->setValue(pixels);
}

int MaskPainter::brushSize() const
{
    return brush_->value();
}

void MaskPainter::setEraser(bool erase)
{
    eraser_->setChecked(erase);
}

void MaskPainter::stroke(QPointF from, QPointF to)
{
    canvas_->pushUndo();
    canvas_->paintLine(from, to);
}

void MaskPainter::invert()
{
    canvas_->invert();
}

void MaskPainter::clear()
{
    canvas_->clear();
}

bool MaskPainter::undo()
{
    return canvas_->undo();
}

void MaskPainter::updateButtons()
{
    undo_->setEnabled(canvas_->undoDepth() > 0);
    const QImage& m = canvas_->mask();
    const Outpaint o = outpaint();
    sizeInfo_->setText(
        o.any() ? tr("New size: %1 × %2").arg(m.width() + o.left + o.right).arg(m.height() + o.top + o.bottom)
                : QString());
}

} // namespace kaskade::ui
