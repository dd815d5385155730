#pragma once
// QueuePanel: the running job and the jobs waiting behind it, in order; queued jobs can be removed.

#include "pipeline/generation_params.h"

#include <QWidget>

class QListWidget;
class QToolButton;
class QLabel;

namespace kaskade::ui {

class GenerationController;

// "a lighthouse … — image to image + canny edges, 1024×1024, 1 image" (no mode words for text to image)
QString describeJob(const GenerationParams& params);
QString describeMode(const ImageInputs& images); // empty for text to image

class QueuePanel final : public QWidget
{
    Q_OBJECT
public:
    explicit QueuePanel(GenerationController* controller, QWidget* parent = nullptr);
    QListWidget* list() const { return list_; }
    void removeSelected();
    void setRunningCaption(const QString& caption); // empty when nothing runs

private:
    void refresh();

    GenerationController* controller_;
    QListWidget* list_;
    QLabel* title_;
    QToolButton* remove_;
    QToolButton* clear_;
    QString running_;
};

} // namespace kaskade::ui
