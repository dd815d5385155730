#include "ui/image_viewer.h"

#include "ui/gallery_model.h"
#include "ui/theme.h"

#include <QAction>
#include <QComboBox>
#include <QFileInfo>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QStackedWidget>
#include <QToolBar>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace kaskade::ui {

namespace {
constexpr double kMinZoom = 0.02, kMaxZoom = 32.0;
}

// ---- ZoomView ---------------------------------------------------------------------------------------------

ZoomView::ZoomView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("zoomView"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::OpenHandCursor);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void ZoomView::setImage(const QImage& image)
{
    image_ = image;
    if (!fit_)
        offset_ = {};
    update();
    Q_EMIT zoomChanged(zoom());
}

double ZoomView::fitZoom() const
{
    if (image_.isNull())
        return 1.0;
    const QSizeF area = QSizeF(size()) - QSizeF(16, 16);
    return std::max(kMinZoom, std::min(area.width() / image_.width(), area.height() / image_.height()));
}

double ZoomView::zoom() const
{
    return fit_ ? fitZoom() : zoom_;
}

void ZoomView::fit()
{
    fit_ = true;
    offset_ = {};
    update();
    Q_EMIT zoomChanged(zoom());
}

void ZoomView::actualSize()
{
    fit_ = false;
    zoom_ = 1.0;
    offset_ = {};
    update();
    Q_EMIT zoomChanged(zoom());
}

void ZoomView::zoomBy(double factor, const QPointF& anchor)
{
    const double before = zoom();
    const double after = std::clamp(before * factor, kMinZoom, kMaxZoom);
    // Keep the image point under the anchor where it is.
    const QPointF centre = QPointF(width(), height()) / 2.0 + offset_;
    offset_ = anchor - (anchor - centre) * (after / before) - QPointF(width(), height()) / 2.0;
    fit_ = false;
    zoom_ = after;
    update();
    Q_EMIT zoomChanged(zoom_);
}

QRectF ZoomView::imageRect() const
{
    const double z = zoom();
    const QSizeF shown(image_.width() * z, image_.height() * z);
    const QPointF centre = QPointF(width(), height()) / 2.0 + (fit_ ? QPointF() : offset_);
    return {centre - QPointF(shown.width(), shown.height()) / 2.0, shown};
}

void ZoomView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base).darker(115));
    if (image_.isNull())
        return;
    painter.setRenderHint(QPainter::SmoothPixmapTransform, zoom() < 2.0); // pixels stay crisp when magnified
    painter.drawImage(imageRect(), image_);
}

void ZoomView::wheelEvent(QWheelEvent* event)
{
    zoomBy(std::pow(1.0015, event->angleDelta().y()), event->position());
    event->accept();
}

void ZoomView::mousePressEvent(QMouseEvent* event)
{
    if (fit_) { // panning starts from the fitted view
        zoom_ = fitZoom();
        offset_ = {};
        fit_ = false;
    }
    dragStart_ = event->position();
    offsetAtDrag_ = offset_;
    setCursor(Qt::ClosedHandCursor);
}

void ZoomView::mouseMoveEvent(QMouseEvent* event)
{
    if (!(event->buttons() & Qt::LeftButton))
        return;
    offset_ = offsetAtDrag_ + (event->position() - dragStart_);
    update();
}

void ZoomView::mouseDoubleClickEvent(QMouseEvent*)
{
    if (fit_)
        actualSize();
    else
        fit();
}

// ---- CompareView ------------------------------------------------------------------------------------------

CompareView::CompareView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("compareView"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void CompareView::setImages(const QImage& left, const QImage& right)
{
    left_ = left;
    right_ = right;
    update();
}

void CompareView::setMode(Mode mode)
{
    mode_ = mode;
    setCursor(mode == Mode::Swipe ? Qt::SplitHCursor : Qt::ArrowCursor);
    update();
}

void CompareView::setSplit(double split)
{
    split_ = std::clamp(split, 0.0, 1.0);
    update();
}

QRectF CompareView::fitted(const QSize& size, const QRectF& area) const
{
    if (size.isEmpty())
        return {};
    const QSizeF shown = QSizeF(size).scaled(area.size(), Qt::KeepAspectRatio);
    return {area.center() - QPointF(shown.width(), shown.height()) / 2.0, shown};
}

void CompareView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base).darker(115));
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    const QRectF area = QRectF(rect()).adjusted(8, 8, -8, -8);
    if (mode_ == Mode::SideBySide) {
        const double half = (area.width() - 8) / 2;
        painter.drawImage(fitted(left_.size(), QRectF(area.left(), area.top(), half, area.height())), left_);
        painter.drawImage(fitted(right_.size(), QRectF(area.left() + half + 8, area.top(), half, area.height())),
                          right_);
        return;
    }
    // Swipe: both fitted to the same rectangle (the left image's); the left image up to the divider.
    const QRectF target = fitted(left_.size(), area);
    if (target.isEmpty())
        return;
    painter.drawImage(target, right_);
    const double x = target.left() + split_ * target.width();
    painter.save();
    painter.setClipRect(QRectF(target.left(), target.top(), x - target.left(), target.height()));
    painter.drawImage(target, left_);
    painter.restore();
    painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
    painter.drawLine(QPointF(x, target.top()), QPointF(x, target.bottom()));
}

void CompareView::dragTo(double x)
{
    const QRectF target = fitted(left_.size(), QRectF(rect()).adjusted(8, 8, -8, -8));
    if (target.width() > 0)
        setSplit((x - target.left()) / target.width());
}

void CompareView::mousePressEvent(QMouseEvent* event)
{
    if (mode_ == Mode::Swipe)
        dragTo(event->position().x());
}

void CompareView::mouseMoveEvent(QMouseEvent* event)
{
    if (mode_ == Mode::Swipe && (event->buttons() & Qt::LeftButton))
        dragTo(event->position().x());
}

// ---- ImageViewer ------------------------------------------------------------------------------------------

ImageViewer::ImageViewer(GalleryModel* model, QWidget* parent)
    : QDialog(parent), model_(model), stack_(new QStackedWidget(this)), zoom_(new ZoomView(this)),
      compare_(new CompareView(this)), caption_(new QLabel(this)), zoomLabel_(new QLabel(this)),
      compareMode_(new QComboBox(this))
{
    setObjectName(QStringLiteral("imageViewer"));
    setWindowFlag(Qt::WindowMaximizeButtonHint);
    setWindowTitle(tr("Image viewer"));
    auto* toolbar = new QToolBar(this);
    previous_ = toolbar->addAction(tr("Previous"), this, &ImageViewer::previous);
    previous_->setObjectName(QStringLiteral("viewerPrevious"));
    previous_->setToolTip(tr("Previous image (Left)"));
    next_ = toolbar->addAction(tr("Next"), this, &ImageViewer::next);
    next_->setObjectName(QStringLiteral("viewerNext"));
    next_->setToolTip(tr("Next image (Right)"));
    toolbar->addSeparator();
    QAction* fit = toolbar->addAction(tr("Fit"), zoom_, &ZoomView::fit);
    fit->setObjectName(QStringLiteral("viewerFit"));
    fit->setToolTip(tr("Fit the window (F)"));
    QAction* actual = toolbar->addAction(tr("100 %"), zoom_, &ZoomView::actualSize);
    actual->setObjectName(QStringLiteral("viewerActualSize"));
    actual->setToolTip(tr("One image pixel per screen pixel (1)"));
    toolbar->addSeparator();
    compareMode_->setObjectName(QStringLiteral("compareModeCombo"));
    compareMode_->addItem(tr("Side by side"));
    compareMode_->addItem(tr("Swipe"));
    compareMode_->setToolTip(tr("How two selected images are compared"));
    connect(compareMode_, &QComboBox::currentIndexChanged, this, [this](int index) {
        compare_->setMode(index == 1 ? CompareView::Mode::Swipe : CompareView::Mode::SideBySide);
    });
    toolbar->addWidget(compareMode_);
    auto* reuse = new QPushButton(tr("Reuse parameters"), this);
    reuse->setObjectName(QStringLiteral("viewerReuse"));
    setThemedIcon(reuse, QStringLiteral("reuse"), palette());
    connect(reuse, &QPushButton::clicked, this, [this] { Q_EMIT reuseRequested(row_); });
    zoomLabel_->setObjectName(QStringLiteral("viewerZoom"));
    connect(zoom_, &ZoomView::zoomChanged, this, [this](double zoom) {
        zoomLabel_->setText(QLocale().toString(zoom * 100, 'f', 0) + QStringLiteral(" %"));
    });
    caption_->setObjectName(QStringLiteral("viewerCaption"));
    caption_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    caption_->setWordWrap(true);
    stack_->addWidget(zoom_);
    stack_->addWidget(compare_);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(caption_, 1);
    bottom->addWidget(zoomLabel_);
    bottom->addWidget(reuse);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(toolbar);
    layout->addWidget(stack_, 1);
    layout->addLayout(bottom);
    resize(1000, 800);
}

void ImageViewer::showRow(int row)
{
    if (row < 0 || row >= model_->rowCount())
        return;
    row_ = row;
    otherRow_ = -1;
    zoom_->setImage(QImage(model_->index(row).data(GalleryModel::PathRole).toString()));
    stack_->setCurrentWidget(zoom_);
    compareMode_->setEnabled(false);
    updateCaption();
    Q_EMIT rowShown(row);
}

void ImageViewer::compare(int leftRow, int rightRow)
{
    if (leftRow < 0 || rightRow < 0 || leftRow >= model_->rowCount() || rightRow >= model_->rowCount())
        return;
    row_ = leftRow;
    otherRow_ = rightRow;
    compare_->setImages(QImage(model_->index(leftRow).data(GalleryModel::PathRole).toString()),
                        QImage(model_->index(rightRow).data(GalleryModel::PathRole).toString()));
    stack_->setCurrentWidget(compare_);
    compareMode_->setEnabled(true);
    updateCaption();
}

bool ImageViewer::comparing() const
{
    return stack_->currentWidget() == compare_;
}

void ImageViewer::step(int direction)
{
    if (model_->rowCount() == 0)
        return;
    const int count = model_->rowCount();
    showRow(((row_ < 0 ? 0 : row_ + direction) % count + count) % count);
}

void ImageViewer::updateCaption()
{
    const auto describe = [this](int row) {
        const QModelIndex index = model_->index(row);
        const QString prompt = index.data(GalleryModel::PromptRole).toString();
        return prompt.isEmpty() ? QFileInfo(index.data(GalleryModel::PathRole).toString()).fileName() : prompt;
    };
    if (otherRow_ >= 0) {
        caption_->setText(tr("Left: %1\nRight: %2").arg(describe(row_), describe(otherRow_)));
        setWindowTitle(tr("Compare images"));
    } else {
        caption_->setText(describe(row_));
        setWindowTitle(tr("Image %1 of %2").arg(row_ + 1).arg(model_->rowCount()));
    }
    previous_->setEnabled(model_->rowCount() > 1);
    next_->setEnabled(model_->rowCount() > 1);
}

void ImageViewer::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_PageUp: previous(); return;
    case Qt::Key_Right:
    case Qt::Key_PageDown: next(); return;
    case Qt::Key_F: zoom_->fit(); return;
    case Qt::Key_1: zoom_->actualSize(); return;
    case Qt::Key_Plus: zoom_->zoomBy(1.25, QPointF(zoom_->width(), zoom_->height()) / 2.0); return;
    case Qt::Key_Minus: zoom_->zoomBy(0.8, QPointF(zoom_->width(), zoom_->height()) / 2.0); return;
    default: QDialog::keyPressEvent(event);
    }
}

} // namespace kaskade::ui
