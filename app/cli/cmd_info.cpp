// kaskade-cli info IMAGE.png [--json]: the generation parameters stored in an image by Kaskade, by an
// A1111-style app ("parameters" text) or by ComfyUI ("prompt" graph), then the raw metadata as stored.
#include "app/cli/commands.h"
#include "app/core/image_metadata.h"
#include "pipeline/errors.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QTextStream>

namespace kaskade::cli {

namespace {

QString fileSize(std::uint64_t bytes)
{
    return bytes == 0 ? QString() : QLocale::c().formattedDataSize(qint64(bytes), 2, QLocale::DataSizeSIFormat);
}

QString number(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

// Continuation lines of a multi-line value line up under the first.
QString indented(const QString& text, int indent)
{
    QString out = text;
    return out.replace(u'\n', u'\n' + QString(indent, u' '));
}

QString sourceName(const core::ImageRecord& record, const QMap<QString, QString>& texts)
{
    if (record.source == u"kaskade") {
        const QString app = QJsonDocument::fromJson(texts.value("kaskade").toUtf8()).object().value("app").toString();
        return app.isEmpty() ? QStringLiteral("Kaskade") : app;
    }
    if (record.source == u"a1111")
        return QStringLiteral("A1111-style \"parameters\" text (AUTOMATIC1111, Forge, SD.Next, Fooocus, ...)");
    if (record.source == u"comfyui")
        return QStringLiteral("ComfyUI workflow (\"prompt\" graph)");
    return record.source;
}

void printRecord(QTextStream& out, const core::ImageRecord& record, const QMap<QString, QString>& texts)
{
    const GenerationParams& p = record.params;
    const bool ours = record.source == u"kaskade";
    const auto row = [&out](const char* label, const QString& value) {
        out << "  " << QString::fromLatin1(label).leftJustified(12) << indented(value, 14) << "\n";
    };
    row("Source:", sourceName(record, texts));
    row("Prompt:", QString::fromStdString(p.prompt));
    row("Negative:", p.negativePrompt.empty() ? QStringLiteral("(none)") : QString::fromStdString(p.negativePrompt));
    for (std::size_t i = 0; i < p.batchPrompts.size(); ++i)
        row(i == 0 ? "Batch:" : "", QStringLiteral("%1. %2").arg(i + 1).arg(QString::fromStdString(p.batchPrompts[i])));
    row("Size:", QStringLiteral("%1 x %2").arg(p.width).arg(p.height) +
                     (p.batch != 1 ? QStringLiteral(", batch of %1").arg(p.batch) : QString()));
    row("Seed:", p.seed ? QString::number(*p.seed) : QStringLiteral("(not stored)"));
    row("Stage C:", QStringLiteral("%1 steps, CFG %2, shift %3")
                        .arg(p.stageC.steps)
                        .arg(number(p.stageC.cfg), number(p.stageC.shift)));
    row("Stage B:", QStringLiteral("%1 steps, CFG %2, shift %3")
                        .arg(p.stageB.steps)
                        .arg(number(p.stageB.cfg), number(p.stageB.shift)));
    // Another app's sampler ("DPM++ 2M Karras") has no Kaskade equivalent: show the name it stored.
    static const QRegularExpression storedSampler(QStringLiteral("(?:^|, )Sampler: ([^,\n]+)"));
    const QString a1111 = texts.value("parameters");
    const QString sampler =
        !ours && record.source == u"a1111" && storedSampler.match(a1111.section(u'\n', -1)).hasMatch()
            ? storedSampler.match(a1111.section(u'\n', -1)).captured(1)
            : QString::fromLatin1(samplerName(p.sampler));
    row("Sampler:", QStringLiteral("%1, CFG rescale %2").arg(sampler, number(p.cfgRho)));
    row("Prompts:", QStringLiteral("emphasis %1, long prompts %2")
                        .arg(p.promptOptions.emphasis ? "on" : "off",
                             p.promptOptions.chunkLongPrompts ? "chunked" : "truncated to 77 tokens"));
    if (ours && !record.device.isEmpty())
        row("Run on:", QStringLiteral("device %1, dtype %2").arg(record.device, record.precision));
    if (!record.modelSummary.isEmpty())
        row("Model:", record.modelSummary);
    for (const ModelFileInfo& file : record.modelFiles)
        row("", QStringLiteral("%1  %2  %3")
                    .arg(QString::fromStdString(file.roleText()).leftJustified(12), QString::fromStdString(file.path),
                         fileSize(file.bytes))
                    .trimmed());
    if (!ours)
        out << "  (read from another app's metadata: fields it does not store show Kaskade's defaults)\n";
}

void printRaw(QTextStream& out, const QMap<QString, QString>& texts)
{
    for (const QString& key : {QStringLiteral("parameters"), QStringLiteral("kaskade"), QStringLiteral("prompt")}) {
        if (!texts.contains(key))
            continue;
        out << "\n\"" << key << "\" chunk:\n";
        const QJsonDocument json = QJsonDocument::fromJson(texts.value(key).toUtf8());
        out << (json.isObject() ? QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed() : texts.value(key))
            << "\n";
    }
    if (texts.contains("workflow"))
        out << "\n\"workflow\" chunk: ComfyUI editor graph (" << texts.value("workflow").size()
            << " characters, not shown)\n";
}

} // namespace

int runInfo(Args& args)
{
    if (args.wantsHelp()) {
        QTextStream(stdout) << "usage: kaskade-cli info IMAGE.png [--json]\n"
                            << "  Shows the generation parameters stored in an image (Kaskade, A1111-style or\n"
                            << "  ComfyUI metadata). --json prints them as Kaskade parameters JSON, usable with\n"
                            << "  generate --params.\n";
        return 0;
    }
    const bool json = args.takeFlag("--json");
    const QString path = QString::fromStdString(args.positionals(1, 1, "kaskade-cli info IMAGE.png [--json]")[0]);

    const QMap<QString, QString> texts = core::readImageTexts(path);
    const std::optional<core::ImageRecord> record = core::recordFromTexts(texts, path);
    if (!record) {
        printError(QStringLiteral("%1: no generation parameters stored in this image").arg(path));
        return 1;
    }
    QTextStream out(stdout);
    if (json) {
        out << QString::fromUtf8(QJsonDocument(core::paramsToJson(record->params)).toJson(QJsonDocument::Indented));
        return 0;
    }
    out << QFileInfo(path).fileName() << "\n";
    printRecord(out, *record, texts);
    printRaw(out, texts);
    return 0;
}

} // namespace kaskade::cli
