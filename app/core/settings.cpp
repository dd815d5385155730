#include "app/core/settings.h"

#include "pipeline/limits.h"

#include <QDir>
#include <QLoggingCategory>
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

template <class E> bool isChoiceId(const QString& value)
{
    return choiceFromId<E>(value.toStdString()).has_value();
}

bool isDeviceName(const QString& value)
{
    return parseDevice(value.toStdString()).has_value();
}

// Why a stored value reads as its default, for Settings::problems().
QString rejection(const StringKey& key, const QString& value)
{
    QString expected;
    if (key.accepts == &isChoiceId<SamplerKind>)
        expected = QString::fromStdString(choiceIdList<SamplerKind>());
    else if (key.accepts == &isChoiceId<Precision>)
        expected = QString::fromStdString(choiceIdList<Precision>());
    else if (key.accepts == &isDeviceName)
        expected = QString::fromStdString(deviceIdList());
    return QStringLiteral("%1: unknown value \"%2\"%3; using %4")
        .arg(QLatin1String(key.key), value,
             expected.isEmpty() ? QString() : QStringLiteral(" (expected %1)").arg(expected),
             QLatin1String(key.defaultValue));
}

Q_LOGGING_CATEGORY(lcSettings, "kaskade.settings")

} // namespace

QStringList languageChoices()
{
    return {"system", "en", "de", "fr"};
}
QStringList themeChoices()
{
    return {"system", "light", "dark"};
}
namespace keys {
namespace lim = limits;
const IntKey width{"generation/width", kDefaults.width, lim::width.min, lim::width.max};
const IntKey height{"generation/height", kDefaults.height, lim::height.min, lim::height.max};
const IntKey batch{"generation/batch", kDefaults.batch, lim::batch.min, lim::batch.max};
const IntKey stageCSteps{"generation/stageC/steps", kDefaults.stageC.steps, lim::steps.min, lim::steps.max};
const IntKey stageBSteps{"generation/stageB/steps", kDefaults.stageB.steps, lim::steps.min, lim::steps.max};
const DoubleKey stageCCfg{"generation/stageC/cfg", kDefaults.stageC.cfg, lim::cfg.min, lim::cfg.max, 1};
const DoubleKey stageBCfg{"generation/stageB/cfg", kDefaults.stageB.cfg, lim::cfg.min, lim::cfg.max, 1};
const DoubleKey stageCShift{"generation/stageC/shift", kDefaults.stageC.shift, lim::shift.min, lim::shift.max, 1};
const DoubleKey stageBShift{"generation/stageB/shift", kDefaults.stageB.shift, lim::shift.min, lim::shift.max, 1};
const DoubleKey cfgRho{"generation/cfgRho", kDefaults.cfgRho, lim::cfgRho.min, lim::cfgRho.max, 2};
// 0 (the official rule) below the range: the panel shows it as the spin box's special value.
const IntKey compression{"generation/compression", kDefaults.compression, 0, lim::compression.max};
const StringKey prompt{"generation/prompt", "", nullptr};
const StringKey negativePrompt{"generation/negativePrompt", "", nullptr};
const StringKey sampler{"generation/sampler", choiceId(kDefaults.sampler), &isChoiceId<SamplerKind>};
const StringKey device{"generation/device", "auto", &isDeviceName};
const StringKey precision{"generation/precision", "auto", &isChoiceId<Precision>};
const StringKey seed{"generation/seed", "", nullptr};
const IntKey seedLocked{"generation/seedLocked", 0, 0, 1};
const StringKey outputFolder{"app/outputFolder", "", nullptr};
const StringKey modelFolder{"model/folder", "", nullptr};
const StringKey stageCFile{"model/stageCFile", "", nullptr};
const StringKey stageBFile{"model/stageBFile", "", nullptr};
const StringKey language{"app/language", "system", [](const QString& v) { return languageChoices().contains(v); }};
const StringKey theme{"app/theme", "system", [](const QString& v) { return themeChoices().contains(v); }};
const StringKey galleryView{"app/galleryView", "grid", [](const QString& v) { return v == u"grid" || v == u"list"; }};
const IntKey threads{"app/threads", 0, limits::threads.min, limits::threads.max};
const IntKey historySize{"app/historySize", 50, 0, 1000};
const IntKey recentModelsSize{"app/recentModelsSize", 8, 0, 32};
} // namespace keys

int snapToSizeStep(int pixels, const IntKey& bounds)
{
    const int snapped = static_cast<int>(std::lround(pixels / double(kSizeStep))) * kSizeStep;
    const int lowest = (bounds.minimum + kSizeStep - 1) / kSizeStep * kSizeStep; // whole steps inside the bounds
    const int highest = bounds.maximum / kSizeStep * kSizeStep;
    return std::clamp(snapped, lowest, highest);
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
    if (key.accepts && !key.accepts(v))
        return QString::fromUtf8(key.defaultValue);
    return v;
}

void Settings::setValue(const StringKey& key, const QString& value)
{
    if (key.accepts && !key.accepts(value)) {
        qCWarning(lcSettings).noquote() << "not stored:" << rejection(key, value);
        return;
    }
    settings_->setValue(key.key, value);
}

QStringList Settings::problems() const
{
    QStringList lines;
    for (const StringKey* key :
         {&keys::sampler, &keys::device, &keys::precision, &keys::language, &keys::theme, &keys::galleryView}) {
        const QVariant stored = settings_->value(key->key);
        if (stored.isValid() && key->accepts && !key->accepts(stored.toString()))
            lines << rejection(*key, stored.toString());
    }
    return lines;
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
    p.sampler = choiceFromId<SamplerKind>(value(keys::sampler).toStdString()).value_or(kDefaults.sampler);
    p.cfgRho = value(keys::cfgRho);
    p.compression = value(keys::compression) < limits::compression.min ? 0 : value(keys::compression);
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
    const bool keepUnknownSampler = p.sampler == choiceFromId<SamplerKind>(keys::sampler.defaultValue) &&
                                    settings_->contains(keys::sampler.key) &&
                                    !keys::sampler.accepts(settings_->value(keys::sampler.key).toString());
    if (!keepUnknownSampler)
        setValue(keys::sampler, QString::fromUtf8(samplerName(p.sampler)));
    setValue(keys::cfgRho, p.cfgRho);
    setValue(keys::compression, p.compression);
    if (p.seed)
        setValue(keys::seed, QString::number(*p.seed));
}

void Settings::applyPlacement(ModelSpec& spec) const
{
    spec.device = parseDevice(value(keys::device).toStdString()).value_or(DeviceChoice{});
    spec.precision = choiceFromId<Precision>(value(keys::precision).toStdString()).value_or(Precision::Auto);
}

void Settings::setPlacement(const ModelSpec& spec)
{
    setValue(keys::device, QString::fromStdString(deviceId(spec.device)));
    setValue(keys::precision, QString::fromLatin1(precisionName(spec.precision)));
}

void Settings::sync()
{
    settings_->sync();
}

} // namespace kaskade::core
