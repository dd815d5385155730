#include "ui/preview_pane.h"
#include "ui/theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace kaskade::ui {

ImageView::ImageView(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMinimumSize(200, 200);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void ImageView::setImage(const QImage& image)
{
    setImages(image.isNull() ? QList<QImage>{} : QList<QImage>{image});
}

void ImageView::setImages(const QList<QImage>& images)
{
    images_ = images;
    image_ = images.isEmpty() ? QImage() : images.first();
    scaled_.clear();
    update();
}

void ImageView::setPlaceholder(const QString& text)
{
    placeholder_ = text;
    update();
}

void ImageView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base).darker(image_.isNull() ? 103 : 115));
    if (images_.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
        return;
    }
    const int n = int(images_.size());
    const int columns = int(std::ceil(std::sqrt(double(n))));
    const int rows = (n + columns - 1) / columns;
    const QRect area = rect().adjusted(8, 8, -8, -8);
    const int gap = n > 1 ? 6 : 0;
    const QSize cell((area.width() - gap * (columns - 1)) / columns, (area.height() - gap * (rows - 1)) / rows);
    if (cell.width() < 8 || cell.height() < 8)
        return;
    if (scaled_.size() != images_.size())
        scaled_ = QList<QImage>(images_.size());
    for (int i = 0; i < n; ++i) {
        const QImage& image = images_[i];
        // Fit, keep the aspect ratio, and scale smoothly once per image and size, not on every repaint.
        const QSize fitted = image.size().scaled(cell, Qt::KeepAspectRatio);
        if (scaled_[i].size() != fitted)
            scaled_[i] = image.scaled(fitted, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        const QPoint cellOrigin(area.left() + (i % columns) * (cell.width() + gap),
                                area.top() + (i / columns) * (cell.height() + gap));
        const QPoint offset((cell.width() - fitted.width()) / 2, (cell.height() - fitted.height()) / 2);
        painter.drawImage(cellOrigin + offset, scaled_[i]);
    }
}

QString formatDuration(double seconds)
{
    const long total = std::lround(std::max(0.0, seconds));
    const long h = total / 3600, m = total / 60 % 60, s = total % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

PreviewPane::PreviewPane(QWidget* parent)
    : QWidget(parent), view_(new ImageView(this)), caption_(new QLabel(this)), bar_(new QProgressBar(this)),
      status_(new QLabel(this)), cancel_(new QPushButton(this))
{
    view_->setObjectName(QStringLiteral("imageView"));
    bar_->setObjectName(QStringLiteral("progressBar"));
    status_->setObjectName(QStringLiteral("progressStatus"));
    cancel_->setObjectName(QStringLiteral("cancelButton"));
    caption_->setWordWrap(true);
    caption_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    caption_->setAlignment(Qt::AlignCenter);
    cancel_->setText(tr("Cancel"));
    setThemedIcon(cancel_, QStringLiteral("cancel"), palette());
    cancel_->setToolTip(tr("Stop the running job after the current step (Esc)"));
    cancel_->setEnabled(false);
    bar_->setRange(0, 1);
    bar_->setValue(0);
    bar_->setTextVisible(true);
    bar_->setFormat(QString());
    connect(cancel_, &QPushButton::clicked, this, &PreviewPane::cancelRequested);

    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(bar_, 1);
    progressRow->addWidget(cancel_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_, 1);
    layout->addWidget(caption_);
    layout->addLayout(progressRow);
    layout->addWidget(status_);
    status_->setText(tr("Ready"));
}

void PreviewPane::jobStarted(const QString& caption)
{
    caption_->setText(caption);
    phase_ = Phase::Loading;
    stageStart_ = 0;
    stageFirstStep_ = 0;
    bar_->setRange(0, 0); // busy until the first step arrives
    status_->setText(tr("Starting…"));
    cancel_->setEnabled(true);
}

static QString stageText(const core::ProgressInfo& info)
{
    if (info.phase == Phase::Loading)
        return PreviewPane::tr("Loading");
    switch (info.network) {
    case Role::TextEncoder: return PreviewPane::tr("Text encoder");
    case Role::StageC: return PreviewPane::tr("Stage C");
    case Role::StageB: return PreviewPane::tr("Stage B");
    case Role::StageA: return PreviewPane::tr("Stage A");
    default: return QString::fromUtf8(roleLabel(info.network)); // no other network reports progress
    }
}

void PreviewPane::showProgress(const core::ProgressInfo& info)
{
    if (info.phase != phase_ || info.network != network_ || info.step < stageFirstStep_) {
        phase_ = info.phase;
        network_ = info.network;
        stageFirstStep_ = info.step;
        stageStart_ = info.elapsedSeconds;
    }
    const QString stage = stageText(info);
    if (info.steps <= 0) {
        bar_->setRange(0, 0);
        bar_->setFormat(stage);
        status_->setText(info.message.isEmpty() ? stage : stage + QStringLiteral(": ") + info.message);
        return;
    }
    bar_->setRange(0, info.steps);
    bar_->setValue(info.step);
    bar_->setFormat(tr("%1: step %2 of %3").arg(stage).arg(info.step).arg(info.steps));
    // Rate over this stage only: stages run at very different speeds.
    const double seconds = info.elapsedSeconds - stageStart_;
    const int done = info.step - stageFirstStep_;
    QString text = tr("%1 · step %2/%3").arg(stage).arg(info.step).arg(info.steps);
    // Only the samplers have steps worth a rate: "4,680 it/s" for the one-step text encoder says nothing.
    const bool sampling = info.network == Role::StageC || info.network == Role::StageB;
    if (sampling && done > 0 && seconds > 0) {
        const double rate = done / seconds;
        const QLocale locale;
        text += rate >= 1 ? tr(" · %1 it/s").arg(locale.toString(rate, 'f', 2))
                          : tr(" · %1 s/it").arg(locale.toString(1 / rate, 'f', 2));
        text += tr(" · ETA %1").arg(formatDuration((info.steps - info.step) / rate));
    }
    text += tr(" · elapsed %1").arg(formatDuration(info.elapsedSeconds));
    status_->setText(text);
}

void PreviewPane::showPreview(const QImage& image, int, int)
{
    view_->setImage(image);
}

void PreviewPane::jobEnded(const QString& message)
{
    bar_->setRange(0, 1);
    bar_->setValue(0);
    bar_->setFormat(QString());
    status_->setText(message);
    cancel_->setEnabled(false);
}

void PreviewPane::showImage(const QImage& image, const QString& caption)
{
    view_->setImage(image);
    caption_->setText(caption);
}

void PreviewPane::showImages(const QList<QImage>& images, const QString& caption)
{
    view_->setImages(images);
    caption_->setText(caption);
}

} // namespace kaskade::ui
