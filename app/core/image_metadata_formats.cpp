// Other apps' metadata formats (ecosystem.md §5.5): the A1111 "parameters" text, which Kaskade also writes so
// that A1111-style readers show its images' settings, and ComfyUI's "prompt" API graph, read only.
#include "app/core/image_metadata.h"

#include "app_info.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

namespace kaskade::core {

namespace {

// ---------------------------------------------------------------- A1111 "parameters" text

// modules/infotext_utils.py quote(): values holding ',', ':' or a newline become json.dumps(v, ensure_ascii=False).
QString quoteA1111(const QString& value)
{
    if (!value.contains(u',') && !value.contains(u':') && !value.contains(u'\n'))
        return value;
    QString quoted = QStringLiteral("\"");
    for (const QChar c : value) {
        switch (c.unicode()) {
        case '"': quoted += QLatin1String("\\\""); break;
        case '\\': quoted += QLatin1String("\\\\"); break;
        case '\n': quoted += QLatin1String("\\n"); break;
        case '\r': quoted += QLatin1String("\\r"); break;
        case '\t': quoted += QLatin1String("\\t"); break;
        case '\b': quoted += QLatin1String("\\b"); break;
        case '\f': quoted += QLatin1String("\\f"); break;
        default:
            if (c.unicode() < 0x20)
                quoted += QStringLiteral("\\u%1").arg(int(c.unicode()), 4, 16, QLatin1Char('0'));
            else
                quoted += c;
        }
    }
    return quoted += u'"';
}

// unquote(): json.loads of a "..." value; anything that does not decode stays as written.
QString unquoteA1111(const QString& value)
{
    if (value.size() < 2 || !value.startsWith(u'"') || !value.endsWith(u'"'))
        return value;
    const QJsonDocument document = QJsonDocument::fromJson(QStringLiteral("[%1]").arg(value).toUtf8());
    const QJsonValue decoded = document.array().at(0);
    return decoded.isString() ? decoded.toString() : value;
}

// Python's str() of a float the way A1111 infotexts show it: "4", "1.1" (shortest exact form).
QString number(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

// The model name A1111 writes: the checkpoint's file name without extension.
QString modelName(const std::string& path)
{
    return QFileInfo(QString::fromStdString(path)).completeBaseName();
}

const ModelFileInfo* findFile(const ImageRecord& record, Role role)
{
    for (const ModelFileInfo& file : record.modelFiles)
        if (file.role == role)
            return &file;
    return nullptr;
}

std::uint64_t recordSeed(const ImageRecord& record)
{
    // The record's own seed; params.seed when a caller filled only that one.
    return record.seed != 0 ? record.seed : record.params.seed.value_or(0);
}

// infotext_utils.re_param_code, verbatim; Python's \w is Unicode-aware, hence UseUnicodePropertiesOption.
const QRegularExpression& paramPattern()
{
    static const QRegularExpression pattern(
        QStringLiteral(R"re(\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$))re"),
        QRegularExpression::UseUnicodePropertiesOption);
    return pattern;
}

QList<std::pair<QString, QString>> parseParamLine(const QString& line)
{
    QList<std::pair<QString, QString>> fields;
    auto it = paramPattern().globalMatch(line);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        fields.append({match.captured(1), unquoteA1111(match.captured(2))});
    }
    return fields;
}

template <typename T> void setIf(bool ok, T& target, T value)
{
    if (ok)
        target = value;
}

// Fills the fields A1111 keys map to. Values other apps write that do not parse (a sampler named "Euler a")
// leave Kaskade's default in place: the raw text stays available to `info`.
void applyA1111Field(ImageRecord& record, const QString& key, const QString& value)
{
    GenerationParams& p = record.params;
    bool ok = false;
    if (key == u"Steps") {
        setIf(ok, p.stageC.steps, value.toInt(&ok));
    } else if (key == u"Sampler") {
        if (const auto sampler = samplerFromForeignName(value.trimmed().toStdString()))
            p.sampler = *sampler;
        else
            record.unknownSampler = value.trimmed();
    } else if (key == u"CFG scale") {
        setIf(ok, p.stageC.cfg, value.toDouble(&ok));
    } else if (key == u"Seed") {
        const std::uint64_t seed = value.toULongLong(&ok);
        if (ok) {
            record.seed = seed;
            p.seed = seed;
        }
    } else if (key == u"Size") {
        static const QRegularExpression size(QStringLiteral(R"(^(\d+)x(\d+)$)"));
        if (const auto match = size.match(value); match.hasMatch()) {
            p.width = match.captured(1).toInt();
            p.height = match.captured(2).toInt();
        }
    } else if (key == u"Model hash") {
        record.modelHash = value.trimmed();
    } else if (key == u"Model" || key == u"Stage C model") {
        record.modelFiles.push_back({Role::StageC, value.toStdString(), 0});
    } else if (key == u"Stage B model") {
        record.modelFiles.push_back({Role::StageB, value.toStdString(), 0});
    } else if (key == u"Stage B steps") {
        setIf(ok, p.stageB.steps, value.toInt(&ok));
    } else if (key == u"Stage B CFG scale") {
        setIf(ok, p.stageB.cfg, value.toDouble(&ok));
    } else if (key == u"Shift") {
        setIf(ok, p.stageC.shift, value.toDouble(&ok));
    } else if (key == u"Stage B shift") {
        setIf(ok, p.stageB.shift, value.toDouble(&ok));
    } else if (key == u"CFG rescale") {
        setIf(ok, p.cfgRho, value.toDouble(&ok));
    } else if (key == u"Compression") {
        setIf(ok, p.compression, value.toInt(&ok));
    } else if (key == u"Emphasis") {
        p.promptOptions.emphasis = value.compare(u"off", Qt::CaseInsensitive) != 0;
    } else if (key == u"Long prompts") {
        p.promptOptions.chunkLongPrompts = value.compare(u"truncate", Qt::CaseInsensitive) != 0;
    } else if (key == u"Batch size") {
        setIf(ok, p.batch, value.toInt(&ok));
    } else if (key == u"Batch prompts") {
        const QJsonArray prompts = QJsonDocument::fromJson(value.toUtf8()).array();
        p.batchPrompts.clear();
        for (const QJsonValue& prompt : prompts)
            p.batchPrompts.push_back(prompt.toString().toStdString());
    }
}

// ---------------------------------------------------------------- ComfyUI "prompt" graph

// The API graph: {"<id>": {"class_type": "KSampler", "inputs": {"steps": 20, "model": ["30", 0], ...}}}.
// An input is a literal or a link [source id, output index].
class ComfyGraph
{
public:
    explicit ComfyGraph(QJsonObject nodes) : nodes_(std::move(nodes)) {}

    static bool isLink(const QJsonValue& v)
    {
        const QJsonArray a = v.toArray();
        return v.isArray() && a.size() == 2 && (a[0].isString() || a[0].isDouble()) && a[1].isDouble();
    }
    static QString linkId(const QJsonValue& v)
    {
        const QJsonValue id = v.toArray().at(0);
        return id.isString() ? id.toString() : QString::number(id.toInteger());
    }
    static int linkOutput(const QJsonValue& v) { return v.toArray().at(1).toInt(); }

    QStringList ids() const
    {
        QStringList ids = nodes_.keys();
        // Numeric order ("3" before "10"): the first sampler ComfyUI's editor made comes first.
        std::sort(ids.begin(), ids.end(), [](const QString& a, const QString& b) {
            return a.size() != b.size() ? a.size() < b.size() : a < b;
        });
        return ids;
    }
    QString classOf(const QString& id) const { return nodes_.value(id).toObject().value("class_type").toString(); }
    QJsonObject inputs(const QString& id) const { return nodes_.value(id).toObject().value("inputs").toObject(); }

    // A literal input, following links through value nodes (seed / string / primitive helper nodes).
    QJsonValue literal(QJsonValue value, int depth = 0) const
    {
        static const char* const valueKeys[] = {"value",  "seed", "noise_seed", "int",   "float",
                                                "number", "text", "string",     "text_g"};
        while (isLink(value) && depth++ < 16) {
            const QJsonObject in = inputs(linkId(value));
            QJsonValue next;
            for (const char* key : valueKeys)
                if (in.contains(QLatin1String(key))) {
                    next = in.value(QLatin1String(key));
                    break;
                }
            if (next.isUndefined())
                return {};
            value = next;
        }
        return isLink(value) ? QJsonValue() : value;
    }

    // The prompt text behind a conditioning input: CLIPTextEncode's "text" (SDXL's "text_g"), through
    // conditioning-combining nodes. ConditioningZeroOut means "no text".
    std::optional<QString> text(const QJsonValue& conditioning) const
    {
        QSet<QString> visited;
        return text(conditioning, 0, visited);
    }

private:
    // Each node is expanded once per search: a node's answer does not depend on the path to it, so a
    // node seen before (a cycle, or a diamond already searched) adds nothing. Without this a graph with
    // cycles is walked 4^depth times.
    std::optional<QString> text(const QJsonValue& conditioning, int depth, QSet<QString>& visited) const
    {
        if (!isLink(conditioning) || depth > 16)
            return std::nullopt;
        const QString id = linkId(conditioning);
        if (visited.contains(id))
            return std::nullopt;
        visited.insert(id);
        if (classOf(id) == u"ConditioningZeroOut")
            return QString();
        const QJsonObject in = inputs(id);
        for (const char* key : {"text", "text_g"})
            if (in.contains(QLatin1String(key)))
                if (const QJsonValue v = literal(in.value(QLatin1String(key))); v.isString())
                    return v.toString();
        for (const char* key : {"conditioning", "conditioning_to", "conditioning_1", "positive"})
            if (auto found = text(in.value(QLatin1String(key)), depth + 1, visited))
                return found;
        return std::nullopt;
    }

public:
    // Walks "model" links upstream from a sampler: the shift of ModelSamplingStableCascade, the checkpoint name.
    void modelChain(const QJsonValue& model, std::optional<double>& shift, QString& checkpoint) const
    {
        QJsonValue link = model;
        for (int depth = 0; isLink(link) && depth < 16; ++depth) {
            const QString id = linkId(link);
            const QJsonObject in = inputs(id);
            if (classOf(id) == u"ModelSamplingStableCascade" && !shift && literal(in.value("shift")).isDouble())
                shift = literal(in.value("shift")).toDouble();
            for (const char* key : {"ckpt_name", "unet_name"})
                if (checkpoint.isEmpty() && literal(in.value(QLatin1String(key))).isString())
                    checkpoint = literal(in.value(QLatin1String(key))).toString();
            link = in.value("model");
        }
    }

private:
    QJsonObject nodes_;
};

bool isSampler(const QString& classType)
{
    return classType == u"KSampler" || classType == u"KSamplerAdvanced" || classType == u"SamplerCustom";
}

// A whole number that fits an int; anything else (2.5, 1e17 steps from a crafted graph: casting those to int
// is undefined) is treated as absent.
std::optional<int> toInt(const QJsonValue& v)
{
    const double d = v.toDouble();
    if (!v.isDouble() || d != std::floor(d) || d < std::numeric_limits<int>::min() ||
        d > std::numeric_limits<int>::max())
        return std::nullopt;
    return static_cast<int>(d);
}

} // namespace

QString toA1111Text(const ImageRecord& record)
{
    const GenerationParams& p = record.params;
    QStringList fields;
    const auto add = [&fields](const QString& key, const QString& value) {
        fields.append(key == value ? key : key + QLatin1String(": ") + quoteA1111(value));
    };
    add(QStringLiteral("Steps"), QString::number(p.stageC.steps));
    add(QStringLiteral("Sampler"), QString::fromLatin1(choiceOf(p.sampler).a1111));
    add(QStringLiteral("CFG scale"), number(p.stageC.cfg));
    add(QStringLiteral("Seed"), QString::number(recordSeed(record)));
    add(QStringLiteral("Size"), QStringLiteral("%1x%2").arg(p.width).arg(p.height));
    if (const ModelFileInfo* stageC = findFile(record, Role::StageC))
        add(QStringLiteral("Model"), modelName(stageC->path));
    if (!record.modelHash.isEmpty()) // A1111's AutoV2 form, which other tools match models by
        add(QStringLiteral("Model hash"), record.modelHash);
    if (const ModelFileInfo* stageB = findFile(record, Role::StageB))
        add(QStringLiteral("Stage B model"), modelName(stageB->path));
    add(QStringLiteral("Stage B steps"), QString::number(p.stageB.steps));
    add(QStringLiteral("Stage B CFG scale"), number(p.stageB.cfg));
    add(QStringLiteral("Shift"), number(p.stageC.shift));
    add(QStringLiteral("Stage B shift"), number(p.stageB.shift));
    add(QStringLiteral("CFG rescale"), number(p.cfgRho));
    if (p.compression != 0) // ComfyUI's StableCascade_EmptyLatentImage "compression"
        add(QStringLiteral("Compression"), QString::number(p.compression));
    if (!p.promptOptions.emphasis)
        add(QStringLiteral("Emphasis"), QStringLiteral("off"));
    if (!p.promptOptions.chunkLongPrompts)
        add(QStringLiteral("Long prompts"), QStringLiteral("truncate"));
    if (p.batch != 1)
        add(QStringLiteral("Batch size"), QString::number(p.batch));
    if (!p.batchPrompts.empty()) {
        QJsonArray prompts;
        for (const std::string& prompt : p.batchPrompts)
            prompts.append(QString::fromStdString(prompt));
        add(QStringLiteral("Batch prompts"), QString::fromUtf8(QJsonDocument(prompts).toJson(QJsonDocument::Compact)));
    }
    if (p.images.any()) { // informational for other apps; the "kaskade" chunk holds the inputs and their hashes
        add(QStringLiteral("Image mode"), QString::fromStdString(p.images.modeName()));
        if (!p.images.init.empty() && !p.images.reconstruct)
            add(QStringLiteral("Denoising strength"), number(p.images.effectiveStrength())); // A1111's img2img name
        if (p.images.control) {
            add(QStringLiteral("ControlNet"), QString::fromLatin1(controlKindName(*p.images.control)));
            add(QStringLiteral("ControlNet strength"), number(p.images.controlStrength));
        }
    }
    add(QStringLiteral("Version"), QStringLiteral("Kaskade " KASKADE_VERSION));

    // processing.py create_infotext: f"{prompt}{negative}\n{params}".strip(), the negative line only when set.
    QString text = QString::fromStdString(p.prompt);
    if (!p.negativePrompt.empty())
        text += QLatin1String("\nNegative prompt: ") + QString::fromStdString(p.negativePrompt);
    return (text + u'\n' + fields.join(QLatin1String(", "))).trimmed();
}

std::optional<ImageRecord> fromA1111Text(const QString& text)
{
    // infotext_utils.parse_generation_parameters: the last line holds the parameters when >= 3 fields match.
    QStringList lines = text.trimmed().split(u'\n');
    const QString lastLine = lines.takeLast();
    const auto fields = parseParamLine(lastLine);
    if (fields.size() < 3)
        return std::nullopt;

    ImageRecord record;
    record.source = QStringLiteral("a1111");
    QString prompt, negative;
    bool inNegative = false;
    for (QString line : lines) {
        line = line.trimmed();
        if (line.startsWith(QLatin1String("Negative prompt:"))) {
            inNegative = true;
            line = line.mid(16).trimmed();
        }
        QString& target = inNegative ? negative : prompt;
        target += (target.isEmpty() ? QString() : QStringLiteral("\n")) + line;
    }
    record.params.prompt = prompt.toStdString();
    record.params.negativePrompt = negative.toStdString();
    for (const auto& [key, value] : fields)
        applyA1111Field(record, key, value);
    const bool hasBatchSize =
        std::any_of(fields.begin(), fields.end(), [](const auto& f) { return f.first == u"Batch size"; });
    if (!record.params.batchPrompts.empty() && !hasBatchSize)
        record.params.batch = static_cast<int>(record.params.batchPrompts.size());

    QStringList models;
    for (const ModelFileInfo& file : record.modelFiles)
        models.append(QString::fromStdString(file.path));
    record.modelSummary = models.join(QLatin1String(" + "));
    return record;
}

std::optional<ImageRecord> fromComfyUiPrompt(const QJsonObject& prompt)
{
    const ComfyGraph graph(prompt);
    // Stage C's sampler takes StableCascade_EmptyLatentImage output 0 (the prior latent); Stage B's takes
    // output 1 or is conditioned by StableCascade_StageB_Conditioning. A single sampler (any other model) is "C".
    QString stageC, stageB, unclassified;
    for (const QString& id : graph.ids()) {
        if (!isSampler(graph.classOf(id)))
            continue;
        const QJsonObject in = graph.inputs(id);
        const QJsonValue latent = in.value("latent_image");
        const bool cascadeLatent = ComfyGraph::isLink(latent) &&
                                   graph.classOf(ComfyGraph::linkId(latent)) == u"StableCascade_EmptyLatentImage";
        const QJsonValue positive = in.value("positive");
        const bool stageBConditioned = ComfyGraph::isLink(positive) && graph.classOf(ComfyGraph::linkId(positive)) ==
                                                                           u"StableCascade_StageB_Conditioning";
        if (stageBConditioned || (cascadeLatent && ComfyGraph::linkOutput(latent) == 1)) {
            if (stageB.isEmpty())
                stageB = id;
        } else if (cascadeLatent) {
            if (stageC.isEmpty())
                stageC = id;
        } else if (unclassified.isEmpty()) {
            unclassified = id;
        }
    }
    if (stageC.isEmpty())
        stageC = !unclassified.isEmpty() ? unclassified : stageB;
    if (stageC.isEmpty())
        return std::nullopt;
    if (stageB == stageC)
        stageB.clear();

    ImageRecord record;
    record.source = QStringLiteral("comfyui");
    GenerationParams& p = record.params;
    const QJsonObject c = graph.inputs(stageC);
    p.prompt = graph.text(c.value("positive")).value_or(QString()).toStdString();
    p.negativePrompt = graph.text(c.value("negative")).value_or(QString()).toStdString();
    const QJsonValue seed = graph.literal(c.contains("seed") ? c.value("seed") : c.value("noise_seed"));
    constexpr double kTwoTo64 = 18446744073709551616.0; // above ComfyUI's largest seed: not a seed
    if (seed.isDouble() && seed.toDouble() >= 0 && seed.toDouble() < kTwoTo64) {
        // Qt keeps integers up to 2^63 exact; ComfyUI's seeds reach 2^64 - 1, beyond that only a double.
        record.seed = seed.toInteger(-1) >= 0 ? std::uint64_t(seed.toInteger()) : std::uint64_t(seed.toDouble());
        p.seed = record.seed;
    }
    const auto readStage = [&graph](const QJsonObject& in, StageSampling& stage) {
        if (const auto steps = toInt(graph.literal(in.value("steps"))))
            stage.steps = *steps;
        if (const QJsonValue cfg = graph.literal(in.value("cfg")); cfg.isDouble())
            stage.cfg = cfg.toDouble();
    };
    readStage(c, p.stageC);
    const QString samplerText = graph.literal(c.value("sampler_name")).toString();
    if (const auto sampler = samplerFromForeignName(samplerText.toStdString()))
        p.sampler = *sampler;
    else if (!samplerText.isEmpty())
        record.unknownSampler = samplerText;

    QString checkpointC, checkpointB;
    std::optional<double> shiftC, shiftB;
    graph.modelChain(c.value("model"), shiftC, checkpointC);
    if (shiftC)
        p.stageC.shift = *shiftC;
    if (!stageB.isEmpty()) {
        const QJsonObject b = graph.inputs(stageB);
        readStage(b, p.stageB);
        graph.modelChain(b.value("model"), shiftB, checkpointB);
        if (shiftB)
            p.stageB.shift = *shiftB;
    }

    // Size: the latent node feeding Stage C's sampler, else the first empty-latent node of the graph.
    QJsonObject latent;
    if (const QJsonValue link = c.value("latent_image"); ComfyGraph::isLink(link))
        latent = graph.inputs(ComfyGraph::linkId(link));
    if (!latent.contains("width"))
        for (const QString& id : graph.ids())
            if (graph.classOf(id).contains(QLatin1String("EmptyLatentImage"))) {
                latent = graph.inputs(id);
                break;
            }
    if (const auto width = toInt(graph.literal(latent.value("width"))))
        p.width = *width;
    if (const auto height = toInt(graph.literal(latent.value("height"))))
        p.height = *height;

    QStringList models;
    for (const auto& [role, name] : {std::pair{Role::StageC, checkpointC}, std::pair{Role::StageB, checkpointB}})
        if (!name.isEmpty()) {
            record.modelFiles.push_back({role, name.toStdString(), 0});
            models.append(name);
        }
    record.modelSummary = models.join(QLatin1String(" + "));
    return record;
}

} // namespace kaskade::core
