#pragma once
// PreferencesDialog: output folder, model folder, device, precision, language and threads, bound to Settings.

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace kaskade::core {
class Settings;
}

namespace kaskade::ui {

class PreferencesDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit PreferencesDialog(core::Settings& settings, QWidget* parent = nullptr);
    void apply(); // writes the fields to the settings (called on accept)

private:
    QLineEdit* folderRow(QLineEdit* edit, const QString& title, QWidget*& row);

    core::Settings& settings_;
    QLineEdit* output_;
    QLineEdit* models_;
    QComboBox* device_;
    QComboBox* precision_;
    QComboBox* language_;
    QComboBox* theme_;
    QSpinBox* threads_;
};

} // namespace kaskade::ui
