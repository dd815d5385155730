#include "ui/slider_spin_box.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QSlider>

#include <cmath>

namespace kaskade::ui {

SliderSpinBox::SliderSpinBox(const core::IntKey& key, QWidget* parent)
    : QWidget(parent), slider_(new QSlider(Qt::Horizontal, this)), spin_(new QDoubleSpinBox(this))
{
    default_ = key.defaultValue;
    init(key.minimum, key.maximum, 0, 1);
}

SliderSpinBox::SliderSpinBox(const core::DoubleKey& key, QWidget* parent)
    : QWidget(parent), slider_(new QSlider(Qt::Horizontal, this)), spin_(new QDoubleSpinBox(this))
{
    default_ = key.defaultValue;
    init(key.minimum, key.maximum, key.decimals, std::pow(10.0, -key.decimals));
}

void SliderSpinBox::init(double minimum, double maximum, int decimals, double step)
{
    scale_ = std::pow(10.0, decimals);
    spin_->setRange(minimum, maximum);
    spin_->setDecimals(decimals);
    spin_->setSingleStep(step);
    spin_->setAccelerated(true);
    spin_->setMinimumWidth(70);
    slider_->setRange(int(std::lround(minimum * scale_)), int(std::lround(maximum * scale_)));
    slider_->setPageStep(int(std::lround(scale_)));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(slider_, 1);
    layout->addWidget(spin_);
    connect(slider_, &QSlider::valueChanged, this, [this](int v) {
        const QSignalBlocker block(spin_);
        spin_->setValue(v / scale_);
        Q_EMIT valueChanged(spin_->value());
    });
    connect(spin_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        const QSignalBlocker block(slider_);
        slider_->setValue(int(std::lround(v * scale_)));
        Q_EMIT valueChanged(v);
    });
    setValue(default_);
}

double SliderSpinBox::value() const
{
    return spin_->value();
}
void SliderSpinBox::setValue(double value)
{
    spin_->setValue(value);
}

void SliderSpinBox::setToolTip(const QString& text)
{
    QWidget::setToolTip(text);
    slider_->setToolTip(text);
    spin_->setToolTip(text);
}

} // namespace kaskade::ui
