#pragma once
// A slider and a spin box editing one number together, with bounds from a settings key.

#include "app/core/settings.h"

#include <QWidget>

class QDoubleSpinBox;
class QSlider;

namespace kaskade::ui {

class SliderSpinBox final : public QWidget
{
    Q_OBJECT
public:
    explicit SliderSpinBox(const core::IntKey& key, QWidget* parent = nullptr);
    explicit SliderSpinBox(const core::DoubleKey& key, QWidget* parent = nullptr);

    double value() const;
    void setValue(double value);
    void resetToDefault() { setValue(default_); }
    QDoubleSpinBox* spinBox() const { return spin_; }
    QSlider* slider() const { return slider_; }
    void setToolTip(const QString& text); // both halves

Q_SIGNALS:
    void valueChanged(double value);

private:
    void init(double minimum, double maximum, int decimals, double step);

    QSlider* slider_;
    QDoubleSpinBox* spin_;
    double scale_ = 1;
    double default_ = 0;
};

} // namespace kaskade::ui
