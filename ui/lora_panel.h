#pragma once
// LoraPanel: the LoRAs merged into Stage C, one row each: on/off, name, strength slider, remove. Edits go to
// the ModelController (strength changes are debounced: one re-merge after the slider rests).

#include <QWidget>

class QLabel;
class QPushButton;
class QTimer;
class QVBoxLayout;

namespace kaskade::ui {

class ModelController;

class LoraPanel final : public QWidget
{
    Q_OBJECT
public:
    LoraPanel(ModelController* model, QWidget* parent = nullptr);
    QPushButton* addButton() const { return add_; }
    int rowCount() const;
    // Test hooks: the row widgets are found by object name "loraRow<N>" too.
    void setStrength(int row, double strength); // as if the user moved the slider (debounced)

Q_SIGNALS:
    void addRequested();

private:
    void rebuild();

    ModelController* model_;
    QVBoxLayout* rows_;
    QLabel* empty_;
    QPushButton* add_;
    QPushButton* clear_;
    QTimer* debounce_;
    QString pendingPath_;
    double pendingStrength_ = 1.0;
};

} // namespace kaskade::ui
