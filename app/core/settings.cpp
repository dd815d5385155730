#include "app/core/settings.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>
#include <cmath>

namespace kaskade::core {

namespace {

const GenerationParams kDefaults{};

QString& testFile()
{
    static QString path;
    return path;
}

} // namespace

QStringList samplerChoices()
{
    return {"ddpm", "ddim", "lcm"};
}
QStringList precisionChoices()
{
    return {"auto", "fp32", "bf16", "fp16"};
}
QStringList languageChoices()
{
    return {"system", "en", "de", "fr"};
}
QStringList themeChoices()
{
    return {"system", "light", "dark"};
}
QStringList deviceChoices()
{
    QStringList choices{"auto", "cpu", "cuda"};
    for (int i = 0; i < 8; ++i)
        choices << QStringLiteral("cuda:%1").arg(i);
    return choices;
}

namespace keys {
const IntKey width{"generation/width", kDefaults.width, 128, 4096};
const IntKey height{"generation/height", kDefaults.height, 128, 4096};
const IntKey batch{"generation/batch", kDefaults.batch, 1, 16};
const IntKey stageCSteps{"generation/stageC/steps", kDefaults.stageC.steps, 1, 150};
const IntKey stageBSteps{"generation/stageB/steps", kDefaults.stageB.steps, 1, 150};
const DoubleKey stageCCfg{"generation/stageC/cfg", kDefaults.stageC.cfg, 0.0, 20.0, 1};
const DoubleKey stageBCfg{"generation/stageB/cfg", kDefaults.stageB.cfg, 0.0, 20.0, 1};
const DoubleKey stageCShift{"generation/stageC/shift", kDefaults.stageC.shift, 0.1, 10.0, 1};
const DoubleKey stageBShift{"generation/stageB/shift", kDefaults.stageB.shift, 0.1, 10.0, 1};
const DoubleKey cfgRho{"generation/cfgRho", kDefaults.cfgRho, 0.0, 1.0, 2};
const IntKey compression{"generation/compression", kDefaults.compression, 0, 64};
const StringKey prompt{"generation/prompt", "", nullptr};
const StringKey negativePrompt{"generation/negativePrompt", "", nullptr};
const StringKey sampler{"generation/sampler", "ddpm", &samplerChoices};
const StringKey device{"generation/device", "auto", &deviceChoices};
const StringKey precision{"generation/precision", "auto", &precisionChoices};
const StringKey seed{"generation/seed", "", nullptr};
const IntKey seedLocked{"generation/seedLocked", 0, 0, 1};
const StringKey outputFolder{"app/outputFolder", "", nullptr};
const StringKey modelFolder{"model/folder", "", nullptr};
const StringKey stageCFile{"model/stageCFile", "", nullptr};
const StringKey stageBFile{"model/stageBFile", "", nullptr};
const StringKey language{"app/language", "system", &languageChoices};
const StringKey theme{"app/theme", "system", &themeChoices};
const StringKey galleryView{"app/galleryView", "grid", [] { return QStringList{"grid", "list"}; }};
const IntKey threads{"app/threads", 0, 0, 256};
const IntKey historySize{"app/historySize", 50, 0, 1000};
const IntKey recentModelsSize{"app/recentModelsSize", 8, 0, 32};
} // namespace keys

int snapToSizeStep(int pixels, const IntKey& bounds)
{
    const int snapped = static_cast<int>(std::lround(pixels / double(kSizeStep))) * kSizeStep;
    return std::clamp(snapped, bounds.minimum, bounds.maximum);
}

Settings::Settings()
{
    if (testFile().isEmpty())
        settings_ = std::make_unique<QSettings>();
    else
        settings_ = std::make_unique<QSettings>(testFile(), QSettings::IniFormat);
}

Settings::~Settings() = default;

void Settings::useFile(const QString& iniPath)
{
    testFile() = iniPath;
}

int Settings::value(const IntKey& key) const
{
    bool ok = false;
    const int v = settings_->value(key.key, key.defaultValue).toInt(&ok);
    return ok ? std::clamp(v, key.minimum, key.maximum) : key.defaultValue;
}

void Settings::setValue(const IntKey& key, int value)
{
    settings_->setValue(key.key, std::clamp(value, key.minimum, key.maximum));
}

double Settings::value(const DoubleKey& key) const
{
    bool ok = false;
    const double v = settings_->value(key.key, key.defaultValue).toDouble(&ok);
    return ok && std::isfinite(v) ? std::clamp(v, key.minimum, key.maximum) : key.defaultValue;
}

void Settings::setValue(const DoubleKey& key, double value)
{
    settings_->setValue(key.key, std::isfinite(value) ? std::clamp(value, key.minimum, key.maximum) : key.defaultValue);
}

QString Settings::value(const StringKey& key) const
{
    const QString v = settings_->value(key.key, QString::fromUtf8(key.defaultValue)).toString();
    if (key.choices && !key.choices().contains(v))
        return QString::fromUtf8(key.defaultValue);
    return v;
}

void Settings::setValue(const StringKey& key, const QString& value)
{
    if (key.choices && !key.choices().contains(value)) {
        settings_->setValue(key.key, QString::fromUtf8(key.defaultValue));
        return;
    }
    settings_->setValue(key.key, value);
}

bool Settings::contains(const char* key) const
{
    return settings_->contains(key);
}
void Settings::reset(const char* key)
{
    settings_->remove(key);
}

QByteArray Settings::bytes(const QString& key) const
{
    return settings_->value(key).toByteArray();
}
void Settings::setBytes(const QString& key, const QByteArray& value)
{
    settings_->setValue(key, value);
}
QStringList Settings::list(const QString& key) const
{
    return settings_->value(key).toStringList();
}
void Settings::setList(const QString& key, const QStringList& value)
{
    settings_->setValue(key, value);
}

QString Settings::defaultOutputFolder()
{
    QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (pictures.isEmpty())
        pictures = QDir::homePath();
    return QDir(pictures).filePath(QStringLiteral("Kaskade"));
}

QString Settings::outputFolder() const
{
    const QString folder = value(keys::outputFolder);
    return folder.isEmpty() ? defaultOutputFolder() : folder;
}

QString Settings::demoModelFolder()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("demo-model"));
}

QStringList Settings::promptHistory() const
{
    return list(QStringLiteral("history/prompts"));
}

void Settings::addPromptHistory(const QString& prompt)
{
    if (prompt.trimmed().isEmpty())
        return;
    QStringList history = promptHistory();
    history.removeAll(prompt);
    history.prepend(prompt);
    while (history.size() > value(keys::historySize))
        history.removeLast();
    setList(QStringLiteral("history/prompts"), history);
}

QStringList Settings::recentModels() const
{
    return list(QStringLiteral("model/recent"));
}

void Settings::addRecentModel(const QString& folder)
{
    QStringList recent = recentModels();
    recent.removeAll(folder);
    recent.prepend(folder);
    while (recent.size() > value(keys::recentModelsSize))
        recent.removeLast();
    setList(QStringLiteral("model/recent"), recent);
}

GenerationParams Settings::params() const
{
    GenerationParams p;
    p.prompt = value(keys::prompt).toStdString();
    p.negativePrompt = value(keys::negativePrompt).toStdString();
    p.width = snapToSizeStep(value(keys::width), keys::width);
    p.height = snapToSizeStep(value(keys::height), keys::height);
    p.batch = value(keys::batch);
    p.stageC = {value(keys::stageCSteps), value(keys::stageCCfg), value(keys::stageCShift)};
    p.stageB = {value(keys::stageBSteps), value(keys::stageBCfg), value(keys::stageBShift)};
    p.sampler = samplerFromName(value(keys::sampler).toStdString()).value_or(kDefaults.sampler);
    p.cfgRho = value(keys::cfgRho);
    p.compression = value(keys::compression) < 16 ? 0 : value(keys::compression);
    p.device = value(keys::device).toStdString();
    p.dtype = value(keys::precision).toStdString();
    bool ok = false;
    const quint64 seed = value(keys::seed).toULongLong(&ok);
    if (ok && value(keys::seedLocked))
        p.seed = seed;
    return p;
}

void Settings::setParams(const GenerationParams& p)
{
    setValue(keys::prompt, QString::fromStdString(p.prompt));
    setValue(keys::negativePrompt, QString::fromStdString(p.negativePrompt));
    setValue(keys::width, p.width);
    setValue(keys::height, p.height);
    setValue(keys::batch, p.batch);
    setValue(keys::stageCSteps, p.stageC.steps);
    setValue(keys::stageCCfg, p.stageC.cfg);
    setValue(keys::stageCShift, p.stageC.shift);
    setValue(keys::stageBSteps, p.stageB.steps);
    setValue(keys::stageBCfg, p.stageB.cfg);
    setValue(keys::stageBShift, p.stageB.shift);
    setValue(keys::sampler, QString::fromUtf8(samplerName(p.sampler)));
    setValue(keys::cfgRho, p.cfgRho);
    setValue(keys::compression, p.compression);
    setValue(keys::device, QString::fromStdString(p.device));
    setValue(keys::precision, QString::fromStdString(p.dtype));
    if (p.seed)
        setValue(keys::seed, QString::number(*p.seed));
}

void Settings::sync()
{
    settings_->sync();
}

} // namespace kaskade::core
