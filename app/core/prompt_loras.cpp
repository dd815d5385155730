#include "app/core/prompt_loras.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>

namespace kaskade::core {

namespace {

const QRegularExpression& loraTagPattern()
{
    // <lora:name> or <lora:name:strength>; the name may hold colons of a Windows path ("C:\x"), so the strength
    // is the part after the last colon when that part is a number.
    static const QRegularExpression pattern(QStringLiteral(R"(<lora:([^<>]+?)(?::\s*([-+]?\d*\.?\d+)\s*)?>)"),
                                            QRegularExpression::CaseInsensitiveOption);
    return pattern;
}

} // namespace

QList<PromptLora> promptLoras(const QString& prompt)
{
    QList<PromptLora> loras;
    for (auto it = loraTagPattern().globalMatch(prompt); it.hasNext();) {
        const auto match = it.next();
        PromptLora lora;
        lora.name = match.captured(1).trimmed();
        if (match.hasCaptured(2) && !match.captured(2).isEmpty())
            lora.strength = std::clamp(match.captured(2).toDouble(), -2.0, 2.0);
        if (!lora.name.isEmpty())
            loras << lora;
    }
    return loras;
}

QString stripLoraTags(const QString& prompt)
{
    QString text = prompt;
    text.replace(loraTagPattern(), QString());
    // "a cat, <lora:x:1>, night" → "a cat, , night" → "a cat, night"
    static const QRegularExpression doubleComma(QStringLiteral(R"(\s*,\s*(,\s*)+)"));
    text.replace(doubleComma, QStringLiteral(", "));
    static const QRegularExpression spaces(QStringLiteral(R"([ \t]{2,})"));
    text.replace(spaces, QStringLiteral(" "));
    text = text.trimmed();
    while (text.endsWith(QLatin1Char(',')))
        text = text.chopped(1).trimmed();
    while (text.startsWith(QLatin1Char(',')))
        text = text.mid(1).trimmed();
    return text;
}

QString loraTag(const QString& path, double strength)
{
    // C locale: the tag is syntax, not prose ("0.8" in every language).
    return QStringLiteral("<lora:%1:%2>").arg(QFileInfo(path).completeBaseName(), QString::number(strength, 'g', 3));
}

QString withLoraTags(const QString& prompt, const std::vector<LoraSpec>& loras)
{
    const QList<PromptLora> tagged = promptLoras(prompt);
    QString text = prompt;
    for (const LoraSpec& lora : loras) {
        const QString path = QString::fromStdString(lora.path);
        const QString stem = QFileInfo(path).completeBaseName();
        const bool named = std::any_of(tagged.begin(), tagged.end(), [&](const PromptLora& t) {
            return t.name.compare(stem, Qt::CaseInsensitive) == 0 || t.name == path;
        });
        if (!named)
            text += (text.isEmpty() ? QString() : QStringLiteral(" ")) + loraTag(path, lora.strength);
    }
    return text;
}

QString findPromptLora(const QString& name, const QString& modelFolder, const std::vector<CheckpointEntry>& scanned)
{
    const QFileInfo asWritten(name);
    if (asWritten.isAbsolute() && asWritten.isFile())
        return name;
    for (const CheckpointEntry& entry : scanned)
        if (entry.holds(Role::Lora) &&
            QString::fromStdString(entry.path.stem().string()).compare(name, Qt::CaseInsensitive) == 0)
            return QString::fromStdString(entry.path.string());
    if (modelFolder.isEmpty()) // QDir("") would be the working directory
        return {};
    const QDir folder(modelFolder);
    const QString file = name + QStringLiteral(".safetensors");
    for (const QString& candidate : {file, QStringLiteral("loras/") + file, QStringLiteral("lora/") + file})
        if (QFileInfo(folder.filePath(candidate)).isFile())
            return folder.filePath(candidate);
    return {};
}

ResolvedLoras resolvePromptLoras(const QStringList& prompts, const QString& modelFolder,
                                 const std::vector<CheckpointEntry>& scanned)
{
    ResolvedLoras resolved;
    for (const QString& prompt : prompts) {
        for (const PromptLora& tag : promptLoras(prompt)) {
            const QString path = findPromptLora(tag.name, modelFolder, scanned);
            if (path.isEmpty()) {
                if (!resolved.unknown.contains(tag.name))
                    resolved.unknown << tag.name;
                continue;
            }
            auto it = std::find_if(resolved.loras.begin(), resolved.loras.end(),
                                   [&](const LoraSpec& l) { return l.path == path.toStdString(); });
            if (it != resolved.loras.end())
                it->strength = tag.strength;
            else
                resolved.loras.push_back(LoraSpec{path.toStdString(), tag.strength});
        }
    }
    return resolved;
}

} // namespace kaskade::core
