#include "ui/lora_panel.h"

#include "ui/model_controller.h"
#include "ui/theme.h"

#include "pipeline/limits.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace kaskade::ui {

namespace {
constexpr int kLoraSliderScale = 100; // slider ticks per unit of strength
}

LoraPanel::LoraPanel(ModelController* model, QWidget* parent)
    : QWidget(parent), model_(model), rows_(new QVBoxLayout), empty_(new QLabel(this)), add_(new QPushButton(this)),
      clear_(new QPushButton(this)), debounce_(new QTimer(this))
{
    setObjectName(QStringLiteral("loraPanel"));
    empty_->setText(tr("No LoRA loaded. Add one here, pick one in Model ▸ Checkpoints in the model folder, or "
                       "write <lora:name:0.8> in the prompt."));
    empty_->setWordWrap(true);
    empty_->setForegroundRole(QPalette::PlaceholderText);
    add_->setObjectName(QStringLiteral("addLoraButton"));
    add_->setText(tr("Add LoRA…"));
    add_->setToolTip(tr("Merge a Stage C LoRA (official, OneTrainer or kohya format)"));
    clear_->setObjectName(QStringLiteral("clearLorasButton"));
    clear_->setText(tr("Remove all"));
    clear_->setToolTip(tr("Take every LoRA off again: the base weights are restored exactly"));
    connect(add_, &QPushButton::clicked, this, &LoraPanel::addRequested);
    connect(clear_, &QPushButton::clicked, model_, &ModelController::clearLoras);
    debounce_->setSingleShot(true);
    debounce_->setInterval(350);
    connect(debounce_, &QTimer::timeout, this, [this] { model_->setLoraStrength(pendingPath_, pendingStrength_); });
    // Queued: a row's own toggle or remove button starts the change that rebuilds (and deletes) that row.
    connect(model_, &ModelController::lorasChanged, this, &LoraPanel::rebuild, Qt::QueuedConnection);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add_);
    buttons->addWidget(clear_);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(empty_);
    layout->addLayout(rows_);
    layout->addLayout(buttons);
    layout->addStretch(1);
    rebuild();
}

int LoraPanel::rowCount() const
{
    return int(model_->loras().size());
}

void LoraPanel::setStrength(int row, double strength)
{
    auto* spin = findChild<QDoubleSpinBox*>(QStringLiteral("loraStrength%1").arg(row));
    if (spin)
        spin->setValue(strength);
}

void LoraPanel::rebuild()
{
    while (QLayoutItem* item = rows_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QList<LoraEntry>& loras = model_->loras();
    empty_->setVisible(loras.isEmpty());
    clear_->setEnabled(!loras.isEmpty());
    for (int i = 0; i < loras.size(); ++i) {
        const LoraEntry& lora = loras[i];
        auto* row = new QWidget(this);
        row->setObjectName(QStringLiteral("loraRow%1").arg(i));
        auto* enabled = new QCheckBox(QFileInfo(lora.path).completeBaseName(), row);
        enabled->setObjectName(QStringLiteral("loraEnabled%1").arg(i));
        enabled->setChecked(lora.enabled);
        enabled->setToolTip(tr("%1\nUntick to take this LoRA off without forgetting it.").arg(lora.path));
        auto* slider = new QSlider(Qt::Horizontal, row);
        slider->setRange(int(limits::loraStrength.min * kLoraSliderScale),
                         int(limits::loraStrength.max * kLoraSliderScale));
        slider->setValue(int(std::lround(lora.strength * kLoraSliderScale)));
        slider->setEnabled(lora.enabled);
        auto* spin = new QDoubleSpinBox(row);
        spin->setObjectName(QStringLiteral("loraStrength%1").arg(i));
        spin->setRange(limits::loraStrength.min, limits::loraStrength.max);
        spin->setSingleStep(0.05);
        spin->setDecimals(2);
        spin->setValue(lora.strength);
        spin->setEnabled(lora.enabled);
        spin->setToolTip(tr("Strength: 1 = as trained, 0 = off, negative = the opposite"));
        auto* remove = new QToolButton(row);
        remove->setObjectName(QStringLiteral("loraRemove%1").arg(i));
        setThemedIcon(remove, QStringLiteral("remove"), palette());
        remove->setToolTip(tr("Remove this LoRA"));
        const QString path = lora.path;
        connect(slider, &QSlider::valueChanged, spin, [spin](int value) {
            const QSignalBlocker block(spin);
            spin->setValue(value / double(kLoraSliderScale));
        });
        connect(slider, &QSlider::valueChanged, this, [this, path](int value) {
            pendingPath_ = path;
            pendingStrength_ = value / double(kLoraSliderScale);
            debounce_->start();
        });
        connect(spin, &QDoubleSpinBox::valueChanged, slider,
                [slider](double value) { slider->setValue(int(std::lround(value * kLoraSliderScale))); });
        connect(enabled, &QCheckBox::toggled, this, [this, path](bool on) { model_->setLoraEnabled(path, on); });
        connect(remove, &QToolButton::clicked, this, [this, path] { model_->removeLora(path); });
        auto* top = new QHBoxLayout;
        top->addWidget(enabled, 1);
        top->addWidget(remove);
        auto* bottom = new QHBoxLayout;
        bottom->addWidget(slider, 1);
        bottom->addWidget(spin);
        auto* rowLayout = new QVBoxLayout(row);
        rowLayout->setContentsMargins(0, 0, 0, 4);
        rowLayout->addLayout(top);
        rowLayout->addLayout(bottom);
        rows_->addWidget(row);
    }
}

} // namespace kaskade::ui
