#pragma once
// PreviewPane: the large image in the middle of the window. Shows Stage C previews while a job runs, then the
// final image, or the gallery's selected image; below it the progress bar with stage, step, it/s and ETA.

#include "app/core/generation_worker.h"

#include <QElapsedTimer>
#include <QImage>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace kaskade::ui {

// Paints an image scaled smoothly to fit, keeping its aspect ratio.
class ImageView final : public QWidget
{
    Q_OBJECT
public:
    explicit ImageView(QWidget* parent = nullptr);
    void setImage(const QImage& image);
    // A batch: the images in a grid of near-square cells (ceil(sqrt(n)) columns).
    void setImages(const QList<QImage>& images);
    const QImage& image() const { return image_; } // the first one
    qsizetype imageCount() const { return images_.size(); }
    void setPlaceholder(const QString& text);
    QSize sizeHint() const override { return {512, 512}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage image_;
    QList<QImage> images_;
    QList<QImage> scaled_; // images_ at the cell size last painted
    QString placeholder_;
};

class PreviewPane final : public QWidget
{
    Q_OBJECT
public:
    explicit PreviewPane(QWidget* parent = nullptr);

    ImageView* view() const { return view_; }
    QPushButton* cancelButton() const { return cancel_; }
    QLabel* statusLabel() const { return status_; }

    void jobStarted(const QString& caption);
    void showProgress(const core::ProgressInfo& info);
    void showPreview(const QImage& image, int step, int steps);
    void jobEnded(const QString& message); // finished, cancelled or failed
    void showImage(const QImage& image, const QString& caption);
    void showImages(const QList<QImage>& images, const QString& caption); // a batch as a grid
    void setPlaceholder(const QString& text) { view_->setPlaceholder(text); }

Q_SIGNALS:
    void cancelRequested();

private:
    ImageView* view_;
    QLabel* caption_;
    QProgressBar* bar_;
    QLabel* status_;
    QPushButton* cancel_;
    Phase phase_ = Phase::Loading;
    Role network_ = Role::TextEncoder;
    int stageFirstStep_ = 0;
    double stageStart_ = 0;
};

QString formatDuration(double seconds); // "1:05", "12:00:03"

} // namespace kaskade::ui
