#include "app/core/params_cli.h"

#include "app/core/image_inputs.h"
#include "app/core/image_metadata.h"
#include "pipeline/device.h"
#include "pipeline/errors.h"
#include "pipeline/limits.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <functional>

namespace kaskade::core {

namespace {

[[noreturn]] void invalid(const QString& message)
{
    throw Error(ErrorCode::InvalidArgument, message.toStdString());
}

// Value parsers: they throw a bare "expected ..." that the option loop prefixes with the option and value.
int toInt(const QString& value)
{
    bool ok = false;
    const int n = value.toInt(&ok);
    if (!ok)
        invalid(QStringLiteral("expected a whole number"));
    return n;
}

double toDouble(const QString& value)
{
    bool ok = false;
    const double d = value.toDouble(&ok);
    if (!ok || !std::isfinite(d))
        invalid(QStringLiteral("expected a number"));
    return d;
}

std::optional<std::uint64_t> toSeed(const QString& value)
{
    if (value == u"random" || value == u"-1")
        return std::nullopt;
    bool ok = false;
    const qulonglong seed = value.toULongLong(&ok);
    if (!ok || value.isEmpty() || !value.front().isDigit())
        invalid(QStringLiteral("expected a whole number from 0 to 18446744073709551615, or \"random\""));
    return seed;
}

struct OptionSpec
{
    const char* name;  // "--width"
    const char* value; // "N"; nullptr for a flag
    std::string help;
    std::function<void(GenerationParams&, const QString&)> apply; // a job option, or
    // Checked on its own against the defaults (so a range error names this option); false for options
    // that only make sense with others (--control canny needs an image) or that read a file.
    bool checkAlone = true;
    std::function<void(ModelSpec&, const QString&)> applyToModel = {}; // a model option
};

// "expected ddpm, ddim, lcm or dpmpp_2m"
template <class E> E toChoice(const QString& value)
{
    const auto choice = choiceFromId<E>(value.toStdString());
    if (!choice)
        invalid(QStringLiteral("expected %1").arg(QString::fromStdString(choiceIdList<E>())));
    return *choice;
}

// Help text pieces from the limits and the defaults: "64-4096", "default 1024".
std::string range(const IntLimit& limit)
{
    return std::to_string(limit.min) + "-" + std::to_string(limit.max);
}
std::string range(const RealLimit& limit)
{
    return QStringLiteral("%1-%2").arg(limit.min).arg(limit.max).toStdString();
}
std::string number(double value)
{
    return QString::number(value).toStdString();
}

const std::vector<OptionSpec>& optionSpecs()
{
    using P = GenerationParams;
    using M = ModelSpec;
    using S = const QString&;
    namespace lim = limits;
    const GenerationParams d; // the defaults the help names
    static const std::vector<OptionSpec> specs = {
        {"--prompt", "TEXT", "what to draw (weights like (word:1.2) unless --no-emphasis)",
         [](P& p, S v) {
             p.prompt = v.toStdString();
             p.batchPrompts.clear(); // a prompt given here replaces a file's per-image prompts
         }},
        {"--negative", "TEXT", "what to avoid (default: empty)", [](P& p, S v) { p.negativePrompt = v.toStdString(); }},
        {"--width", "N", "image width in pixels, " + range(lim::width) + " (default " + number(d.width) + ")",
         [](P& p, S v) { p.width = toInt(v); }},
        {"--height", "N", "image height in pixels, " + range(lim::height) + " (default " + number(d.height) + ")",
         [](P& p, S v) { p.height = toInt(v); }},
        {"--batch", "N", "images per run, " + range(lim::batch) + " (default " + number(d.batch) + ")",
         [](P& p, S v) { p.batch = toInt(v); }},
        {"--seed", "N", "random seed; \"random\" for a new one each run (default random)",
         [](P& p, S v) { p.seed = toSeed(v); }},
        {"--steps-c", "N", "Stage C sampler steps, " + range(lim::steps) + " (default " + number(d.stageC.steps) + ")",
         [](P& p, S v) { p.stageC.steps = toInt(v); }},
        {"--cfg-c", "X", "Stage C guidance scale, " + range(lim::cfg) + " (default " + number(d.stageC.cfg) + ")",
         [](P& p, S v) { p.stageC.cfg = toDouble(v); }},
        {"--shift-c", "X", "Stage C schedule shift, " + range(lim::shift) + " (default " + number(d.stageC.shift) + ")",
         [](P& p, S v) { p.stageC.shift = toDouble(v); }},
        {"--steps-b", "N", "Stage B sampler steps, " + range(lim::steps) + " (default " + number(d.stageB.steps) + ")",
         [](P& p, S v) { p.stageB.steps = toInt(v); }},
        {"--cfg-b", "X", "Stage B guidance scale, " + range(lim::cfg) + " (default " + number(d.stageB.cfg) + ")",
         [](P& p, S v) { p.stageB.cfg = toDouble(v); }},
        {"--shift-b", "X", "Stage B schedule shift, " + range(lim::shift) + " (default " + number(d.stageB.shift) + ")",
         [](P& p, S v) { p.stageB.shift = toDouble(v); }},
        {"--sampler", "NAME",
         choiceIdList<SamplerKind>() + " (default " + samplerName(d.sampler) +
             "; A1111/ComfyUI names such as \"DPM++ 2M\" work too)",
         [](P& p, S v) {
             const auto sampler = samplerFromForeignName(v.toStdString());
             if (!sampler)
                 invalid(QStringLiteral("expected %1").arg(QString::fromStdString(choiceIdList<SamplerKind>())));
             p.sampler = *sampler;
         }},
        {"--rho", "X", "CFG rescale, " + range(lim::cfgRho) + "; 0 = off (default " + number(d.cfgRho) + ")",
         [](P& p, S v) { p.cfgRho = toDouble(v); }},
        {"--compression", "N",
         "Stage C latent = size / N, as ComfyUI's compression (" + range(lim::compression) +
             "; e.g. 32 for more detail); default: the official ceil(size / 42.67)",
         [](P& p, S v) { p.compression = toInt(v); }},
        {"--device", "DEV", deviceIdList() + " (default auto)", nullptr, true,
         [](M& m, S v) {
             const auto device = parseDevice(v.toStdString());
             if (!device)
                 invalid(QStringLiteral("expected %1").arg(QString::fromStdString(deviceIdList())));
             m.device = *device;
         }},
        {"--dtype", "TYPE",
         choiceIdList<Precision>() + " (default auto: bf16 on CUDA and on CPUs with AVX512-BF16/AMX, else fp32)",
         nullptr, true, [](M& m, S v) { m.precision = toChoice<Precision>(v); }},
        {"--residency", "MODE",
         choiceIdList<Residency>() + " (default auto; all keeps every stage loaded, sequential one at a time)", nullptr,
         true, [](M& m, S v) { m.residency = toChoice<Residency>(v); }},
        {"--no-emphasis", nullptr, "take ( ) [ ] in prompts literally",
         [](P& p, S) { p.promptOptions.emphasis = false; }},
        {"--truncate", nullptr, "cut prompts at 77 tokens like the official code (default: encode all in chunks)",
         [](P& p, S) { p.promptOptions.chunkLongPrompts = false; }},
        {"--init-image", "FILE", "image-to-image: start from this picture (any format Qt reads)",
         [](P& p, S v) { p.images.init = loadInputImage(v, QStringLiteral("init image")); }, false},
        {"--strength", "S",
         "how much of the init picture is redrawn, " + range(lim::strength) + " (default 0.8; inpainting 1)",
         [](P& p, S v) { p.images.strength = toDouble(v); }},
        {"--image-prompt", "FILE", "variation: condition on this picture's CLIP embedding (a prompt is optional)",
         [](P& p, S v) { p.images.imagePrompt = loadInputImage(v, QStringLiteral("image prompt")); }, false},
        {"--control", "KIND", "ControlNet: " + choiceIdList<ControlKind>() + " (needs the controlnet/ files)",
         [](P& p, S v) { p.images.control = toChoice<ControlKind>(v); }, false},
        {"--control-image", "FILE", "picture for canny edges or sr (canny default: the init image)",
         [](P& p, S v) { p.images.controlImage = loadInputImage(v, QStringLiteral("control image")); }, false},
        {"--mask", "FILE", "inpainting mask, white = repaint (implies --control inpaint with --init-image)",
         [](P& p, S v) {
             p.images.mask = loadInputImage(v, QStringLiteral("mask"));
             if (!p.images.control)
                 p.images.control = ControlKind::Inpaint;
         },
         false},
        {"--control-strength", "S",
         "ControlNet strength multiplier, " + range(lim::controlStrength) + " (default " +
             number(d.images.controlStrength) + ")",
         [](P& p, S v) { p.images.controlStrength = toDouble(v); }},
        {"--outpaint", "L,T,R,B", "extend the init picture's canvas by these pixels and fill them (inpaint ControlNet)",
         [](P& p, S v) {
             p.images.outpaint = parseOutpaint(v);
             if (!p.images.control)
                 p.images.control = ControlKind::Inpaint;
         },
         false},
        {"--reconstruct", "FILE", "encode this picture and decode it through Stage B and A (no Stage C)",
         [](P& p, S v) {
             p.images.init = loadInputImage(v, QStringLiteral("image"));
             p.images.reconstruct = true;
         },
         false},
        {"--keep-image-size", nullptr,
         "size the result from the input picture as the official notebooks do (4/3 of it; sr: 8/3) instead of "
         "--width/--height",
         [](P& p, S) { p.images.fitToSize = false; }},
    };
    return specs;
}

const OptionSpec* findSpec(const QString& name)
{
    for (const OptionSpec& spec : optionSpecs())
        if (name == QLatin1String(spec.name))
            return &spec;
    return nullptr;
}

bool isFileOption(const QString& name)
{
    return name == u"--params" || name == u"--from-image";
}

QString shown(const QString& value)
{
    return value.contains(u' ') || value.isEmpty() ? u'"' + value + u'"' : value;
}

ImageRecord loadFromImage(const QString& path)
{
    std::optional<ImageRecord> record = readImageRecord(path);
    if (!record)
        throw Error(ErrorCode::BadFormat,
                    QStringLiteral("%1: the image carries no generation parameters").arg(path).toStdString());
    GenerationParams& params = record->params;
    if (!params.seed && record->seed != 0) // a record's seed is the image's own
        params.seed = record->seed;
    return *record;
}

} // namespace

constexpr qint64 kMaxParamsFileBytes = 16 << 20; // a parameters file is a few kB

GenerationParams loadParamsFile(const QString& path)
{
    QFile file(path);
    const QFileInfo info(path);
    if (!info.exists())
        throw Error(ErrorCode::FileNotFound, QStringLiteral("%1: no such file").arg(path).toStdString());
    // Opening a FIFO or device would block or never end: only regular files, checked before opening.
    if (!info.isFile())
        throw Error(ErrorCode::FileIo, QStringLiteral("%1: not a regular file").arg(path).toStdString());
    if (info.size() > kMaxParamsFileBytes)
        throw Error(
            ErrorCode::BadFormat,
            QStringLiteral("%1: %2 bytes is too large for a parameters file").arg(path).arg(info.size()).toStdString());
    if (!file.open(QIODevice::ReadOnly))
        throw Error(ErrorCode::FileIo,
                    QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()).toStdString());
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        throw Error(ErrorCode::BadFormat, QStringLiteral("%1: not valid JSON (%2 at offset %3)")
                                              .arg(path, error.errorString())
                                              .arg(error.offset)
                                              .toStdString());
    if (!document.isObject())
        throw Error(ErrorCode::BadFormat, QStringLiteral("%1: expected a JSON object").arg(path).toStdString());
    const QJsonObject json = document.object();
    try {
        // A whole "kaskade" image record (saved from an image's metadata) carries the parameters in "params".
        if (json.value("params").isObject())
            return recordFromJson(json).params;
        return paramsFromJson(json);
    } catch (const Error& e) {
        throw Error(e.code(), QStringLiteral("%1: %2").arg(path, QString::fromStdString(e.what())).toStdString());
    }
}

GenerationOptions parseGenerationOptions(const QStringList& args)
{
    struct Given
    {
        const OptionSpec* spec;
        QString value;
    };
    GenerationOptions result;
    QString fileOption;
    std::vector<Given> given;
    QStringList seen;
    for (int i = 0; i < args.size(); ++i) {
        QString name = args.at(i);
        std::optional<QString> value;
        if (const int eq = name.indexOf(u'='); name.startsWith(QLatin1String("--")) && eq > 2) {
            value = name.mid(eq + 1);
            name = name.left(eq);
        }
        const OptionSpec* spec = findSpec(name);
        if (!spec && !isFileOption(name)) {
            result.unconsumed.append(args.at(i));
            continue;
        }
        if (seen.contains(name))
            invalid(QStringLiteral("%1: given more than once").arg(name));
        seen.append(name);
        const bool takesValue = !spec || spec->value;
        if (!takesValue) {
            if (value)
                invalid(QStringLiteral("%1: takes no value").arg(name));
            given.push_back({spec, QString()});
            continue;
        }
        if (!value) {
            const bool missing = i + 1 >= args.size() || findSpec(args.at(i + 1)) || isFileOption(args.at(i + 1));
            if (missing)
                invalid(QStringLiteral("%1: needs a value (%2)").arg(name, spec ? spec->value : "FILE"));
            value = args.at(++i);
        }
        if (spec) {
            given.push_back({spec, *value});
        } else {
            if (!fileOption.isEmpty())
                invalid(QStringLiteral("%1 and %2: give only one of them").arg(fileOption, name));
            fileOption = name;
            result.sourceFile = *value;
        }
    }

    if (fileOption == u"--params")
        result.params = loadParamsFile(result.sourceFile);
    else if (fileOption == u"--from-image") {
        const ImageRecord record = loadFromImage(result.sourceFile);
        result.params = record.params;
        // The precision changes the pixels, so it is kept; the device and residency describe the machine that
        // made the image, and this machine decides them.
        if (const auto precision = choiceFromId<Precision>(record.precision.toStdString()))
            result.model.precision = *precision;
    }

    for (const Given& option : given) {
        const QString label = option.spec->value
                                  ? QStringLiteral("%1 %2").arg(QLatin1String(option.spec->name), shown(option.value))
                                  : QString::fromLatin1(option.spec->name);
        try {
            if (option.spec->applyToModel) { // parsing is its whole check
                option.spec->applyToModel(result.model, option.value);
                continue;
            }
            if (!option.spec->checkAlone) { // reads a file or needs other options: apply once, errors named
                option.spec->apply(result.params, option.value);
                continue;
            }
            // The value alone on top of the defaults, so a range error is this option's, not a file's.
            GenerationParams probe;
            option.spec->apply(probe, option.value);
            probe.validate();
        } catch (const Error& e) {
            throw Error(option.spec->checkAlone ? ErrorCode::InvalidArgument : e.code(),
                        QStringLiteral("%1: %2").arg(label, QString::fromStdString(e.what())).toStdString());
        }
        option.spec->apply(result.params, option.value);
    }
    // Pictures named by --from-image / --params that no option replaced: load them from their recorded files.
    result.missingInputs = restoreInputImages(result.params.images);
    try {
        result.params.validate(); // what is left: a file's own values, or a file and an option that disagree
    } catch (const Error& e) {
        const QString from = fileOption.isEmpty()
                                 ? QString()
                                 : QStringLiteral(" (with the values of %1 %2; an option overrides them)")
                                       .arg(fileOption, result.sourceFile);
        invalid(QStringLiteral("invalid parameters: %1%2").arg(QString::fromStdString(e.what()), from));
    }
    return result;
}

QString generationOptionsHelp()
{
    QString help;
    const auto line = [&help](const QString& left, const QString& text) {
        help += QStringLiteral("  %1 %2\n").arg(left.leftJustified(20), text);
    };
    for (const OptionSpec& spec : optionSpecs())
        line(spec.value ? QStringLiteral("%1 %2").arg(QLatin1String(spec.name), QLatin1String(spec.value))
                        : QString::fromLatin1(spec.name),
             QString::fromStdString(spec.help));
    line(QStringLiteral("--params FILE.json"), QStringLiteral("start from saved parameters (options override them)"));
    line(QStringLiteral("--from-image IMAGE"), QStringLiteral("start from the parameters stored in an image"));
    return help;
}

} // namespace kaskade::core
