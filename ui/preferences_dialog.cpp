#include "ui/preferences_dialog.h"
#include "ui/choice_combo.h"

#include "app/core/settings.h"
#include "pipeline/device.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QThread>
#include <QToolButton>

namespace kaskade::ui {

namespace keys = core::keys;

QLineEdit* PreferencesDialog::folderRow(QLineEdit* edit, const QString& title, QWidget*& row)
{
    row = new QWidget(this);
    auto* browse = new QToolButton(row);
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose a folder"));
    connect(browse, &QToolButton::clicked, this, [this, edit, title] {
        const QString dir = QFileDialog::getExistingDirectory(this, title, edit->text());
        if (!dir.isEmpty())
            edit->setText(dir);
    });
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return edit;
}

PreferencesDialog::PreferencesDialog(core::Settings& settings, QWidget* parent)
    : QDialog(parent), settings_(settings), output_(new QLineEdit(this)), models_(new QLineEdit(this)),
      device_(new QComboBox(this)), precision_(new QComboBox(this)), language_(new QComboBox(this)),
      theme_(new QComboBox(this)), threads_(new QSpinBox(this))
{
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));
    output_->setObjectName(QStringLiteral("outputFolderEdit"));
    models_->setObjectName(QStringLiteral("modelFolderEdit"));
    device_->setObjectName(QStringLiteral("preferencesDeviceCombo"));
    output_->setText(settings_.outputFolder());
    output_->setToolTip(tr("Every finished image is saved here as PNG with its parameters."));
    models_->setText(settings_.value(keys::modelFolder));
    models_->setPlaceholderText(tr("demo model (draws noise)"));
    models_->setToolTip(tr("Folder with the Stable Cascade weights (official, diffusers or ComfyUI layout)."));

    ModelSpec placement;
    settings_.applyPlacement(placement);
    addDeviceItems(device_);
    device_->setCurrentIndex(std::max(0, device_->findData(QString::fromStdString(deviceId(placement.device)))));
    device_->setToolTip(tr("Where the models run."));
    precision_->setObjectName(QStringLiteral("preferencesPrecisionCombo"));
    addChoiceItems<Precision>(precision_);
    precision_->setCurrentIndex(std::max(0, precision_->findData(QLatin1String(precisionName(placement.precision)))));
    precision_->setToolTip(tr("Number format of the weights."));
    language_->addItem(tr("System language"), QStringLiteral("system"));
    language_->addItem(QStringLiteral("English"), QStringLiteral("en"));
    language_->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    language_->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
    language_->setCurrentIndex(std::max(0, language_->findData(settings_.value(keys::language))));
    language_->setToolTip(tr("Takes effect the next time Kaskade starts."));
    theme_->setObjectName(QStringLiteral("themeCombo"));
    theme_->addItem(tr("System"), QStringLiteral("system"));
    theme_->addItem(tr("Light"), QStringLiteral("light"));
    theme_->addItem(tr("Dark"), QStringLiteral("dark"));
    theme_->setCurrentIndex(std::max(0, theme_->findData(settings_.value(keys::theme))));
    theme_->setToolTip(tr("Colours of the window: follow the system, or always light or dark."));
    threads_->setRange(keys::threads.minimum, std::max(keys::threads.minimum, QThread::idealThreadCount()));
    threads_->setSpecialValueText(tr("All cores (%1)").arg(QThread::idealThreadCount()));
    threads_->setValue(settings_.value(keys::threads));
    threads_->setToolTip(tr("CPU threads used for inference on the CPU."));

    QWidget* outputRow = nullptr;
    QWidget* modelRow = nullptr;
    folderRow(output_, tr("Output folder"), outputRow);
    folderRow(models_, tr("Model folder"), modelRow);
    auto* form = new QFormLayout;
    form->addRow(tr("&Output folder"), outputRow);
    form->addRow(tr("&Model folder"), modelRow);
    form->addRow(tr("&Device"), device_);
    form->addRow(tr("&Precision"), precision_);
    form->addRow(tr("&Language"), language_);
    form->addRow(tr("T&heme"), theme_);
    form->addRow(tr("CPU &threads"), threads_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        apply();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

void PreferencesDialog::apply()
{
    settings_.setValue(keys::outputFolder, output_->text().trimmed());
    settings_.setValue(keys::modelFolder, models_->text().trimmed());
    settings_.setValue(keys::device, device_->currentData().toString());
    settings_.setValue(keys::precision, precision_->currentData().toString());
    settings_.setValue(keys::language, language_->currentData().toString());
    settings_.setValue(keys::theme, theme_->currentData().toString());
    settings_.setValue(keys::threads, threads_->value());
}

} // namespace kaskade::ui
