#include "ui/parameter_panel.h"
#include "ui/choice_combo.h"
#include "ui/theme.h"

#include "ui/slider_spin_box.h"

#include "pipeline/device.h"
#include "pipeline/limits.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace kaskade::ui {

namespace keys = core::keys;

namespace {
// The compression spin box's lowest value stands for "official" (0 in GenerationParams); real values are the
// limits' 16…64.
constexpr int kOfficialCompression = limits::compression.min - 1;
} // namespace

const QList<SizePreset>& sizePresets()
{
    static const QList<SizePreset> presets{
        {"1:1", 1024, 1024}, {"4:3", 1152, 896}, {"3:2", 1152, 768}, {"16:9", 1408, 768},
        {"21:9", 1536, 640}, {"3:4", 896, 1152}, {"2:3", 768, 1152}, {"9:16", 768, 1408},
        {"9:21", 640, 1536}, {"1:1", 512, 512},  {"5:4", 640, 512},  {"3:2", 768, 512},
        {"7:4", 896, 512},   {"4:5", 512, 640},  {"2:3", 512, 768},  {"4:7", 512, 896},
    };
    return presets;
}

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent)
{
    buildUi();
}

QGroupBox* ParameterPanel::stageGroup(SliderSpinBox*& steps, SliderSpinBox*& cfg, SliderSpinBox*& shift,
                                      const core::IntKey& stepsKey, const core::DoubleKey& cfgKey,
                                      const core::DoubleKey& shiftKey)
{
    auto* group = new QGroupBox(this);
    auto* form = new QFormLayout(group);
    steps = new SliderSpinBox(stepsKey, group);
    cfg = new SliderSpinBox(cfgKey, group);
    shift = new SliderSpinBox(shiftKey, group);
    form->addRow(tr("Steps"), steps);
    form->addRow(tr("CFG scale"), cfg);
    form->addRow(tr("Shift"), shift);
    for (SliderSpinBox* box : {steps, cfg, shift})
        connect(box, &SliderSpinBox::valueChanged, this, &ParameterPanel::changed);
    return group;
}

void ParameterPanel::buildUi()
{
    // Size.
    sizeGroup_ = new QGroupBox(tr("Size"), this);
    preset_ = new QComboBox(sizeGroup_);
    preset_->setObjectName(QStringLiteral("presetCombo"));
    for (const SizePreset& p : sizePresets()) {
        if (p.width * p.height < 512 * 1024) // the 512 class
            preset_->addItem(tr("%1  (%2 × %3, fast)").arg(QLatin1String(p.ratio)).arg(p.width).arg(p.height));
        else
            preset_->addItem(tr("%1  (%2 × %3)").arg(QLatin1String(p.ratio)).arg(p.width).arg(p.height));
    }
    preset_->addItem(tr("Custom"));
    preset_->setToolTip(tr("Aspect-ratio presets at sizes Stable Cascade handles well (multiples of 128 px, about "
                           "one megapixel; the \"fast\" ones have a quarter of the pixels, for trying prompts on "
                           "the CPU)."));
    width_ = new QSpinBox(sizeGroup_);
    height_ = new QSpinBox(sizeGroup_);
    width_->setObjectName(QStringLiteral("widthSpin"));
    height_->setObjectName(QStringLiteral("heightSpin"));
    for (auto [spin, key] : {std::pair{width_, &keys::width}, std::pair{height_, &keys::height}}) {
        spin->setRange(key->minimum, key->maximum);
        spin->setSingleStep(core::kSizeStep);
        spin->setSuffix(tr(" px"));
        spin->setValue(key->defaultValue);
        spin->setToolTip(tr("Image size in pixels; snapped to a multiple of 128 when you leave the field."));
        connect(spin, &QSpinBox::editingFinished, this,
                [this, spin, key] { spin->setValue(core::snapToSizeStep(spin->value(), *key)); });
        connect(spin, &QSpinBox::valueChanged, this, [this] {
            syncPresetToSize();
            Q_EMIT changed();
        });
    }
    swap_ = new QToolButton(sizeGroup_);
    swap_->setObjectName(QStringLiteral("swapSizeButton"));
    setThemedIcon(swap_, QStringLiteral("swap"), palette());
    swap_->setToolTip(tr("Swap width and height"));
    connect(swap_, &QToolButton::clicked, this, [this] {
        const int w = width_->value();
        width_->setValue(height_->value());
        height_->setValue(w);
    });
    connect(preset_, &QComboBox::activated, this, &ParameterPanel::applyPreset);
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(width_, 1);
    sizeRow->addWidget(new QLabel(QStringLiteral("×"), sizeGroup_));
    sizeRow->addWidget(height_, 1);
    sizeRow->addWidget(swap_);
    batch_ = new QSpinBox(sizeGroup_);
    batch_->setObjectName(QStringLiteral("batchSpin"));
    batch_->setRange(keys::batch.minimum, keys::batch.maximum);
    batch_->setValue(keys::batch.defaultValue);
    batch_->setToolTip(tr("Images per job, generated together (more memory, same seed sequence)."));
    connect(batch_, &QSpinBox::valueChanged, this, &ParameterPanel::changed);

    // Seed.
    seed_ = new QLineEdit(sizeGroup_);
    seed_->setObjectName(QStringLiteral("seedEdit"));
    seed_->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{0,19}")), seed_));
    seed_->setPlaceholderText(tr("random"));
    seed_->setToolTip(tr("Start noise. The same seed and parameters give the same image. Unlocked, every job "
                         "draws a new seed and shows it here."));
    randomSeed_ = new QToolButton(sizeGroup_);
    randomSeed_->setObjectName(QStringLiteral("randomSeedButton"));
    setThemedIcon(randomSeed_, QStringLiteral("dice"), palette());
    randomSeed_->setToolTip(tr("New random seed"));
    lockSeed_ = new QCheckBox(tr("Lock"), sizeGroup_);
    lockSeed_->setObjectName(QStringLiteral("lockSeedCheck"));
    lockSeed_->setToolTip(tr("Keep this seed for every job instead of drawing a new one."));
    connect(randomSeed_, &QToolButton::clicked, this, &ParameterPanel::randomizeSeed);
    connect(lockSeed_, &QCheckBox::toggled, this, &ParameterPanel::changed);
    connect(seed_, &QLineEdit::textEdited, this, [this] {
        lockSeed_->setChecked(!seed_->text().isEmpty()); // typing a seed means "use this one"
        Q_EMIT changed();
    });
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(seed_, 1);
    seedRow->addWidget(randomSeed_);
    seedRow->addWidget(lockSeed_);

    auto* sizeForm = new QFormLayout(sizeGroup_);
    sizeForm->addRow(tr("Aspect"), preset_);
    sizeForm->addRow(tr("Width × height"), sizeRow);
    sizeForm->addRow(tr("Batch"), batch_);
    sizeForm->addRow(tr("Seed"), seedRow);

    // Stages.
    stageCGroup_ = stageGroup(cSteps_, cCfg_, cShift_, keys::stageCSteps, keys::stageCCfg, keys::stageCShift);
    stageCGroup_->setTitle(tr("Stage C (composition)"));
    stageBGroup_ = stageGroup(bSteps_, bCfg_, bShift_, keys::stageBSteps, keys::stageBCfg, keys::stageBShift);
    stageBGroup_->setTitle(tr("Stage B (detail)"));
    cSteps_->setObjectName(QStringLiteral("stageCSteps"));
    cCfg_->setObjectName(QStringLiteral("stageCCfg"));
    cShift_->setObjectName(QStringLiteral("stageCShift"));
    bSteps_->setObjectName(QStringLiteral("stageBSteps"));
    bCfg_->setObjectName(QStringLiteral("stageBCfg"));
    bShift_->setObjectName(QStringLiteral("stageBShift"));
    cSteps_->setToolTip(tr("Stage C sampling steps: the 24×24 latent that fixes the composition (official: 20)."));
    cCfg_->setToolTip(tr("How strongly Stage C follows the prompt (official: 4). 0 switches guidance off."));
    cShift_->setToolTip(tr("Noise schedule shift for Stage C (official: 2). Higher spends more steps on coarse "
                           "structure."));
    bSteps_->setToolTip(tr("Stage B sampling steps: turns the composition into detailed latents (official: 10)."));
    bCfg_->setToolTip(tr("How strongly Stage B follows the prompt (official: 1.1)."));
    bShift_->setToolTip(tr("Noise schedule shift for Stage B (official: 1)."));

    // Sampler and engine.
    engineGroup_ = new QGroupBox(tr("Sampler and device"), this);
    sampler_ = new QComboBox(engineGroup_);
    sampler_->setObjectName(QStringLiteral("samplerCombo"));
    addChoiceItems<SamplerKind>(sampler_);
    sampler_->setToolTip(tr("Sampler for both stages. DDPM is what the official code uses."));
    device_ = new QComboBox(engineGroup_);
    device_->setObjectName(QStringLiteral("deviceCombo"));
    addDeviceItems(device_);
    device_->setToolTip(tr("Where the models run. Changing it reloads the model before the next job."));
    precision_ = new QComboBox(engineGroup_);
    precision_->setObjectName(QStringLiteral("precisionCombo"));
    addChoiceItems<Precision>(precision_);
    precision_->setToolTip(tr("Number format of the weights. fp16 can produce black images with Stage C; bf16 "
                              "is the safe choice on recent GPUs."));
    cfgRho_ = new SliderSpinBox(keys::cfgRho, engineGroup_);
    cfgRho_->setObjectName(QStringLiteral("cfgRescale"));
    cfgRho_->setToolTip(tr("CFG rescale (rho): pulls the guided prediction's spread back towards the unguided "
                           "one, against over-saturation at high CFG (official: 0.7; 0 = off)."));
    connect(cfgRho_, &SliderSpinBox::valueChanged, this, &ParameterPanel::changed);
    compression_ = new QSpinBox(engineGroup_);
    compression_->setObjectName(QStringLiteral("compressionSpin"));
    compression_->setRange(kOfficialCompression, limits::compression.max);
    compression_->setSpecialValueText(tr("Official (size ÷ 42.67)"));
    compression_->setValue(kOfficialCompression);
    compression_->setToolTip(tr("Stage C latent size, as ComfyUI's \"compression\": the image size divided by this "
                                "number. Lower values (about 32) give more detail and take longer; the official "
                                "rule gives 24 × 24 at 1024²."));
    connect(compression_, &QSpinBox::valueChanged, this, &ParameterPanel::changed);
    for (QComboBox* box : {sampler_, device_, precision_})
        connect(box, &QComboBox::currentIndexChanged, this, &ParameterPanel::changed);
    reset_ = new QPushButton(tr("Reset to defaults"), this);
    reset_->setObjectName(QStringLiteral("resetDefaultsButton"));
    setThemedIcon(reset_, QStringLiteral("reset"), palette());
    reset_->setToolTip(tr("Official defaults: 1024 × 1024, Stage C 20 steps / CFG 4 / shift 2, Stage B 10 steps / "
                          "CFG 1.1 / shift 1, DDPM."));
    connect(reset_, &QPushButton::clicked, this, &ParameterPanel::resetToDefaults);
    auto* engineForm = new QFormLayout(engineGroup_);
    engineForm->addRow(tr("Sampler"), sampler_);
    engineForm->addRow(tr("CFG rescale"), cfgRho_);
    engineForm->addRow(tr("Compression"), compression_);
    engineForm->addRow(tr("Device"), device_);
    engineForm->addRow(tr("Precision"), precision_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(sizeGroup_);
    layout->addWidget(stageCGroup_);
    layout->addWidget(stageBGroup_);
    layout->addWidget(engineGroup_);
    layout->addWidget(reset_, 0, Qt::AlignRight);
    layout->addStretch(1);
    syncPresetToSize();
}

void ParameterPanel::applyPreset(int index)
{
    if (index < 0 || index >= sizePresets().size())
        return;
    const SizePreset& p = sizePresets().at(index);
    width_->setValue(p.width);
    height_->setValue(p.height);
}

void ParameterPanel::syncPresetToSize()
{
    const QSignalBlocker block(preset_);
    for (qsizetype i = 0; i < sizePresets().size(); ++i) {
        if (sizePresets()[i].width == width_->value() && sizePresets()[i].height == height_->value()) {
            preset_->setCurrentIndex(int(i));
            return;
        }
    }
    preset_->setCurrentIndex(preset_->count() - 1); // Custom
}

GenerationParams ParameterPanel::params() const
{
    GenerationParams p;
    p.width = core::snapToSizeStep(width_->value(), keys::width);
    p.height = core::snapToSizeStep(height_->value(), keys::height);
    p.batch = batch_->value();
    p.stageC = {int(cSteps_->value()), cCfg_->value(), cShift_->value()};
    p.stageB = {int(bSteps_->value()), bCfg_->value(), bShift_->value()};
    p.sampler = choiceFromId<SamplerKind>(sampler_->currentData().toString().toStdString()).value_or(p.sampler);
    p.cfgRho = cfgRho_->value();
    p.compression = compression_->value() == kOfficialCompression ? 0 : compression_->value();
    bool ok = false;
    const quint64 seed = seed_->text().toULongLong(&ok);
    if (ok && lockSeed_->isChecked())
        p.seed = seed;
    return p;
}

void ParameterPanel::setParams(const GenerationParams& p)
{
    width_->setValue(core::snapToSizeStep(p.width, keys::width));
    height_->setValue(core::snapToSizeStep(p.height, keys::height));
    batch_->setValue(p.batch);
    cSteps_->setValue(p.stageC.steps);
    cCfg_->setValue(p.stageC.cfg);
    cShift_->setValue(p.stageC.shift);
    bSteps_->setValue(p.stageB.steps);
    bCfg_->setValue(p.stageB.cfg);
    bShift_->setValue(p.stageB.shift);
    selectChoice(sampler_, QString::fromLatin1(samplerName(p.sampler)));
    cfgRho_->setValue(p.cfgRho);
    compression_->setValue(p.compression < limits::compression.min ? kOfficialCompression : p.compression);
    if (p.seed) {
        seed_->setText(QString::number(*p.seed));
        lockSeed_->setChecked(true);
    }
    Q_EMIT changed();
}

void ParameterPanel::resetToDefaults()
{
    const GenerationParams defaults;
    GenerationParams p = params();
    p.width = defaults.width;
    p.height = defaults.height;
    p.batch = defaults.batch;
    p.stageC = defaults.stageC;
    p.stageB = defaults.stageB;
    p.sampler = defaults.sampler;
    p.cfgRho = defaults.cfgRho;
    p.compression = defaults.compression;
    p.seed.reset();
    setParams(p);
}

void ParameterPanel::showUsedSeed(quint64 seed)
{
    if (!lockSeed_->isChecked())
        seed_->setText(QString::number(seed));
}

void ParameterPanel::randomizeSeed()
{
    // 53 bits: survives a round trip through JSON numbers in other tools' metadata.
    seed_->setText(QString::number(QRandomGenerator::global()->generate64() & ((quint64(1) << 53) - 1)));
    Q_EMIT changed();
}

void ParameterPanel::setPlacement(const DeviceChoice& device, Precision precision)
{
    // A GPU of another machine or build: the device then stays as it is.
    if (device.kind != DeviceKind::Cuda || cudaAvailable())
        selectChoice(device_, QString::fromStdString(deviceId(device)));
    selectChoice(precision_, QString::fromLatin1(precisionName(precision)));
}

DeviceChoice ParameterPanel::device() const
{
    return parseDevice(device_->currentData().toString().toStdString()).value_or(DeviceChoice{});
}

Precision ParameterPanel::precision() const
{
    return choiceFromId<Precision>(precision_->currentData().toString().toStdString()).value_or(Precision::Auto);
}

bool ParameterPanel::seedLocked() const
{
    return lockSeed_->isChecked();
}

void ParameterPanel::load(const core::Settings& settings)
{
    GenerationParams p = settings.params();
    setParams(p);
    ModelSpec placement;
    settings.applyPlacement(placement);
    setPlacement(placement.device, placement.precision);
    seed_->setText(settings.value(keys::seed));
    lockSeed_->setChecked(settings.value(keys::seedLocked) != 0);
}

void ParameterPanel::save(core::Settings& settings) const
{
    GenerationParams p = params();
    GenerationParams stored = settings.params();
    p.prompt = stored.prompt;
    p.negativePrompt = stored.negativePrompt;
    settings.setParams(p);
    ModelSpec placement;
    placement.device = device();
    placement.precision = precision();
    settings.setPlacement(placement);
    settings.setValue(keys::seed, seed_->text());
    settings.setValue(keys::seedLocked, lockSeed_->isChecked() ? 1 : 0);
}

} // namespace kaskade::ui
