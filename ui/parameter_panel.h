#pragma once
// ParameterPanel: edits everything in GenerationParams except the prompts, and the model's device and
// precision (ModelSpec). Ranges and defaults come from the settings registry (whose defaults are
// GenerationParams{}'s, the official ones, and whose bounds are pipeline/limits.h's); the combo boxes are
// filled from the choice tables.

#include "app/core/settings.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace kaskade::ui {

class SliderSpinBox;

struct SizePreset
{
    const char* ratio; // "16:9"
    int width;
    int height;
};
// Cascade-safe sizes (multiples of 128): about one megapixel, landscape and portrait, then the 512 class
// (a quarter of the pixels: about four times faster, useful on the CPU).
const QList<SizePreset>& sizePresets();

class ParameterPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit ParameterPanel(QWidget* parent = nullptr);

    // Prompts are left empty; seed is set only when locked.
    GenerationParams params() const;
    // Fills every field; a seed in params is shown and locked (so "reuse" reproduces the image).
    void setParams(const GenerationParams& params);
    void resetToDefaults();          // the official defaults for steps, CFG, shift and sampler
    void showUsedSeed(quint64 seed); // after a run with an unlocked seed
    void randomizeSeed();
    bool seedLocked() const;
    // The model's placement: Preferences, or a failed device change undone. Not part of params().
    void setPlacement(const DeviceChoice& device, Precision precision);
    DeviceChoice device() const;
    Precision precision() const;

    void load(const core::Settings& settings);
    void save(core::Settings& settings) const;

Q_SIGNALS:
    void changed();

private:
    void buildUi();
    void applyPreset(int index);
    void syncPresetToSize();
    QGroupBox* stageGroup(SliderSpinBox*& steps, SliderSpinBox*& cfg, SliderSpinBox*& shift,
                          const core::IntKey& stepsKey, const core::DoubleKey& cfgKey, const core::DoubleKey& shiftKey);

    QComboBox* preset_;
    QSpinBox* width_;
    QSpinBox* height_;
    QToolButton* swap_;
    QSpinBox* batch_;
    QLineEdit* seed_;
    QToolButton* randomSeed_;
    QCheckBox* lockSeed_;
    SliderSpinBox* cSteps_;
    SliderSpinBox* cCfg_;
    SliderSpinBox* cShift_;
    SliderSpinBox* bSteps_;
    SliderSpinBox* bCfg_;
    SliderSpinBox* bShift_;
    SliderSpinBox* cfgRho_;
    QSpinBox* compression_;
    QComboBox* sampler_;
    QComboBox* device_;
    QComboBox* precision_;
    QPushButton* reset_;
    QGroupBox* sizeGroup_;
    QGroupBox* stageCGroup_;
    QGroupBox* stageBGroup_;
    QGroupBox* engineGroup_;
};

} // namespace kaskade::ui
