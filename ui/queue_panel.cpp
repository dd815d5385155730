#include "ui/queue_panel.h"
#include "ui/theme.h"

#include "ui/generation_controller.h"

#include <QAction>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace kaskade::ui {

QString describeMode(const ImageInputs& images)
{
    if (!images.any())
        return {};
    // modeName() joins the parts with '+' ("img2img+canny"); each part gets the words the image panel uses.
    QStringList parts;
    for (const QString& part : QString::fromStdString(images.modeName()).split(QLatin1Char('+'))) {
        if (part == QLatin1String("img2img"))
            parts << QueuePanel::tr("image to image");
        else if (part == QLatin1String("variation"))
            parts << QueuePanel::tr("variation");
        else if (part == QLatin1String("canny"))
            parts << QueuePanel::tr("canny edges");
        else if (part == QLatin1String("inpaint"))
            parts << QueuePanel::tr("inpainting");
        else if (part == QLatin1String("outpaint"))
            parts << QueuePanel::tr("outpainting");
        else if (part == QLatin1String("sr"))
            parts << QueuePanel::tr("upscaling");
        else if (part == QLatin1String("reconstruct"))
            parts << QueuePanel::tr("reconstruction");
        else
            parts << part; // a mode added later still shows, in the engine's word
    }
    return parts.join(QStringLiteral(" + "));
}

QString describeJob(const GenerationParams& p)
{
    QString prompt = QString::fromStdString(p.prompt).simplified();
    if (prompt.size() > 60)
        prompt = prompt.left(57) + QStringLiteral("…");
    if (prompt.isEmpty())
        prompt = QueuePanel::tr("(empty prompt)");
    const QString size =
        QueuePanel::tr("%1×%2, %3").arg(p.width).arg(p.height).arg(QueuePanel::tr("%n image(s)", "", p.batch));
    const QString mode = describeMode(p.images);
    if (mode.isEmpty())
        return QueuePanel::tr("%1 — %2").arg(prompt, size);
    return QueuePanel::tr("%1 — %2, %3").arg(prompt, mode, size);
}

QueuePanel::QueuePanel(GenerationController* controller, QWidget* parent)
    : QWidget(parent), controller_(controller), list_(new QListWidget(this)), title_(new QLabel(this)),
      remove_(new QToolButton(this)), clear_(new QToolButton(this))
{
    list_->setObjectName(QStringLiteral("queueList"));
    list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    list_->setToolTip(tr("Jobs run from top to bottom. Select queued jobs and press Delete to remove them."));
    remove_->setObjectName(QStringLiteral("removeQueuedButton"));
    setThemedIcon(remove_, QStringLiteral("remove"), palette());
    remove_->setToolTip(tr("Remove the selected queued jobs (Delete)"));
    clear_->setObjectName(QStringLiteral("clearQueueButton"));
    setThemedIcon(clear_, QStringLiteral("clear"), palette());
    clear_->setToolTip(tr("Remove all queued jobs"));
    connect(remove_, &QToolButton::clicked, this, &QueuePanel::removeSelected);
    connect(clear_, &QToolButton::clicked, controller_, &GenerationController::clearQueue);
    connect(controller_, &GenerationController::queueChanged, this, &QueuePanel::refresh);
    connect(list_, &QListWidget::itemSelectionChanged, this, &QueuePanel::refresh);
    auto* deleteKey = new QAction(this);
    deleteKey->setShortcut(QKeySequence::Delete);
    deleteKey->setShortcutContext(Qt::WidgetShortcut);
    list_->addAction(deleteKey);
    connect(deleteKey, &QAction::triggered, this, &QueuePanel::removeSelected);

    auto* header = new QHBoxLayout;
    header->addWidget(title_, 1);
    header->addWidget(remove_);
    header->addWidget(clear_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(list_);
    refresh();
}

void QueuePanel::setRunningCaption(const QString& caption)
{
    running_ = caption;
    refresh();
}

void QueuePanel::refresh()
{
    const QList<QueuedJob>& queue = controller_->queue();
    // Rebuild only when the set of rows changed, so a selection survives progress updates.
    const int wanted = int(queue.size()) + (running_.isEmpty() ? 0 : 1);
    bool same = list_->count() == wanted;
    for (int i = 0; same && i < queue.size(); ++i) {
        const QListWidgetItem* item = list_->item(i + (running_.isEmpty() ? 0 : 1));
        same = item->data(Qt::UserRole).toULongLong() == queue[i].id;
    }
    if (!same) {
        list_->clear();
        if (!running_.isEmpty()) {
            auto* item =
                new QListWidgetItem(themedIcon(QStringLiteral("generate"), palette()), tr("Running: %1").arg(running_));
            item->setFlags(Qt::ItemIsEnabled);
            item->setData(Qt::UserRole, quint64(0));
            list_->addItem(item);
        }
        for (const QueuedJob& job : queue) {
            auto* item = new QListWidgetItem(describeJob(job.params));
            item->setData(Qt::UserRole, job.id);
            list_->addItem(item);
        }
    } else if (!running_.isEmpty()) {
        list_->item(0)->setText(tr("Running: %1").arg(running_));
    }
    title_->setText(tr("Queue: %n job(s) waiting", nullptr, int(queue.size())));
    remove_->setEnabled(!list_->selectedItems().isEmpty());
    clear_->setEnabled(!queue.isEmpty());
}

void QueuePanel::removeSelected()
{
    const auto selected = list_->selectedItems();
    QList<quint64> ids;
    for (const QListWidgetItem* item : selected)
        if (const quint64 id = item->data(Qt::UserRole).toULongLong())
            ids << id;
    for (quint64 id : ids)
        controller_->removeQueued(id);
}

} // namespace kaskade::ui
