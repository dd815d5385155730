// Kaskade's own metadata: GenerationParams <-> JSON, the "kaskade" record chunk, and PNG save/read.
// Other apps' formats (A1111 text, ComfyUI graph) live in image_metadata_formats.cpp.
//
// Qt detail that shapes this file: QImageWriter::setText() and QImageReader::text() pass through Qt's
// "Description" option, which calls QString::simplified() and so folds the newlines of multi-line prompts.
// QImage::setText() on the image itself and QImage::text() after a full read keep the text exactly, and the
// PNG writer stores each one as tEXt/zTXt (Latin-1) or iTXt (UTF-8), the same choice PIL makes for A1111.
#include "app/core/image_metadata.h"

#include "app/core/exif_comment.h"
#include "app_info.h"
#include "pipeline/device.h"
#include "pipeline/errors.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace kaskade::core {

namespace {

constexpr int kParamsVersion = 1;                           // "version" of paramsToJson and recordToJson
constexpr double kMaxExactJsonInteger = 9007199254740991.0; // 2^53 - 1: every JSON reader keeps it exact

const QString kKaskadeKey = QStringLiteral("kaskade");
// EXIF sits before the pixels in JPEG; in WebP after them, so the whole file is read (images are megabytes).
constexpr qint64 kMaxExifScanBytes = qint64(256) << 20;
const QString kA1111Key = QStringLiteral("parameters");
const QString kComfyPromptKey = QStringLiteral("prompt");

std::string describe(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Bool: return value.toBool() ? "true" : "false";
    case QJsonValue::Double: return QString::number(value.toDouble(), 'g', 17).toStdString();
    case QJsonValue::String: {
        std::string quoted(1, '"'); // appended, not "lit" + string&&: GCC 12 warns falsely (-Wrestrict) on that
        quoted += value.toString().left(40).toStdString();
        return quoted += '"';
    }
    case QJsonValue::Array: return "an array";
    case QJsonValue::Object: return "an object";
    default: return "null";
    }
}

// Reads typed fields of one JSON object; absent or null fields keep the caller's value (the default).
// Every error names the full field path ("stage_c.steps") and what was found.
class FieldReader
{
public:
    FieldReader(const QJsonObject& object, std::string prefix) : object_(object), prefix_(std::move(prefix)) {}

    [[noreturn]] void fail(const char* key, const std::string& what) const
    {
        throw Error(ErrorCode::InvalidArgument, "parameters JSON: \"" + prefix_ + key + "\" " + what);
    }

    QJsonValue value(const char* key) const { return object_.value(QLatin1String(key)); }
    bool present(const char* key) const
    {
        const QJsonValue v = value(key);
        return !v.isUndefined() && !v.isNull();
    }

    void read(const char* key, int& out) const
    {
        if (!present(key))
            return;
        const QJsonValue v = value(key);
        const double d = v.toDouble();
        if (!v.isDouble() || d != std::floor(d) || std::abs(d) > std::numeric_limits<int>::max())
            fail(key, "must be a whole number (got " + describe(v) + ")");
        out = static_cast<int>(d);
    }
    void read(const char* key, double& out) const
    {
        if (!present(key))
            return;
        const QJsonValue v = value(key);
        if (!v.isDouble() || !std::isfinite(v.toDouble()))
            fail(key, "must be a number (got " + describe(v) + ")");
        out = v.toDouble();
    }
    void read(const char* key, bool& out) const
    {
        if (!present(key))
            return;
        if (!value(key).isBool())
            fail(key, "must be true or false (got " + describe(value(key)) + ")");
        out = value(key).toBool();
    }
    void read(const char* key, std::string& out) const
    {
        if (!present(key))
            return;
        if (!value(key).isString())
            fail(key, "must be a string (got " + describe(value(key)) + ")");
        out = value(key).toString().toStdString();
    }
    void read(const char* key, std::vector<std::string>& out) const
    {
        if (!present(key))
            return;
        if (!value(key).isArray())
            fail(key, "must be an array of strings (got " + describe(value(key)) + ")");
        std::vector<std::string> items;
        for (const QJsonValue& item : value(key).toArray()) {
            if (!item.isString())
                fail(key, "must hold only strings (found " + describe(item) + ")");
            items.push_back(item.toString().toStdString());
        }
        out = std::move(items);
    }
    // Seeds are 64-bit: a number when exact in every JSON reader (<= 2^53 - 1), else a decimal string.
    void read(const char* key, std::optional<std::uint64_t>& out) const
    {
        if (!present(key))
            return;
        const QJsonValue v = value(key);
        if (v.isString()) {
            bool ok = false;
            const QString text = v.toString();
            const qulonglong seed = text.toULongLong(&ok);
            if (!ok || text.isEmpty() || !text.front().isDigit())
                fail(key, "must be a whole number from 0 to 18446744073709551615 (got " + describe(v) + ")");
            out = seed;
            return;
        }
        const double d = v.toDouble();
        if (!v.isDouble() || d != std::floor(d) || d < 0 || d > kMaxExactJsonInteger)
            fail(key, "must be a whole number from 0 to 2^53 - 1, or a decimal string (got " + describe(v) + ")");
        out = static_cast<std::uint64_t>(v.toInteger());
    }
    FieldReader object(const char* key) const
    {
        if (present(key) && !value(key).isObject())
            fail(key, "must be an object (got " + describe(value(key)) + ")");
        return FieldReader(value(key).toObject(), prefix_ + key + ".");
    }

private:
    QJsonObject object_;
    std::string prefix_;
};

QJsonValue seedToJson(std::uint64_t seed)
{
    if (static_cast<double>(seed) <= kMaxExactJsonInteger)
        return QJsonValue(static_cast<qint64>(seed));
    return QJsonValue(QString::number(seed));
}

QJsonObject stageToJson(const StageSampling& stage)
{
    return {{"steps", stage.steps}, {"cfg", stage.cfg}, {"shift", stage.shift}};
}

void readStage(const FieldReader& reader, StageSampling& stage)
{
    reader.read("steps", stage.steps);
    reader.read("cfg", stage.cfg);
    reader.read("shift", stage.shift);
}

void checkVersion(const FieldReader& reader, const char* what)
{
    int version = kParamsVersion;
    reader.read("version", version);
    if (version < 1 || version > kParamsVersion)
        reader.fail("version", "is " + std::to_string(version) + ": this Kaskade reads " + what + " version 1 to " +
                                   std::to_string(kParamsVersion) + " (written by a newer Kaskade?)");
}

// Image inputs: the mode, strengths, ControlNet type and, per picture, its file and the SHA-256 of that
// file (pixels are never stored: --from-image reloads the files when they are at hand).
const char* const kInputImageKeys[] = {"init", "image_prompt", "control_image", "mask"};

std::array<InputImage*, 4> metaInputImages(ImageInputs& in)
{
    return {&in.init, &in.imagePrompt, &in.controlImage, &in.mask};
}

QJsonObject metaImageInputsToJson(const ImageInputs& in)
{
    QJsonObject json{
        {"mode", QString::fromStdString(in.modeName())},
        {"strength", in.strength ? QJsonValue(*in.strength) : QJsonValue(QJsonValue::Null)},
        {"control",
         in.control ? QJsonValue(QString::fromLatin1(controlKindName(*in.control))) : QJsonValue(QJsonValue::Null)},
        {"control_strength", in.controlStrength},
        {"fit_to_size", in.fitToSize},
        {"reconstruct", in.reconstruct},
    };
    if (in.outpaint.any())
        json.insert("outpaint", QJsonArray{in.outpaint.left, in.outpaint.top, in.outpaint.right, in.outpaint.bottom});
    const std::array<const InputImage*, 4> images{&in.init, &in.imagePrompt, &in.controlImage, &in.mask};
    for (std::size_t i = 0; i < images.size(); ++i) {
        const InputImage& image = *images[i];
        if (image.empty())
            continue;
        json.insert(QLatin1String(kInputImageKeys[i]), QJsonObject{{"file", QString::fromStdString(image.source)},
                                                                   {"sha256", QString::fromStdString(image.sha256)},
                                                                   {"width", image.pixels.width},
                                                                   {"height", image.pixels.height}});
    }
    return json;
}

void metaReadImageInputs(const FieldReader& reader, ImageInputs& in)
{
    if (reader.present("strength")) {
        double strength = 0;
        reader.read("strength", strength);
        in.strength = strength;
    }
    if (reader.present("control")) {
        std::string name;
        reader.read("control", name);
        const auto kind = controlKindFromName(name);
        if (!kind)
            reader.fail("control", "is \"" + name + "\"; expected canny, inpaint or sr");
        in.control = *kind;
    }
    reader.read("control_strength", in.controlStrength);
    reader.read("fit_to_size", in.fitToSize);
    reader.read("reconstruct", in.reconstruct);
    if (reader.present("outpaint")) {
        const QJsonArray array = reader.value("outpaint").toArray();
        if (array.size() != 4)
            reader.fail("outpaint", "must be [left, top, right, bottom]");
        int* fields[] = {&in.outpaint.left, &in.outpaint.top, &in.outpaint.right, &in.outpaint.bottom};
        for (int i = 0; i < 4; ++i) {
            if (!array[i].isDouble() || array[i].toDouble() != std::floor(array[i].toDouble()))
                reader.fail("outpaint", "must hold whole numbers");
            *fields[i] = array[i].toInt();
        }
    }
    const auto images = metaInputImages(in);
    for (std::size_t i = 0; i < images.size(); ++i) {
        if (!reader.present(kInputImageKeys[i]))
            continue;
        const FieldReader image = reader.object(kInputImageKeys[i]);
        image.read("file", images[i]->source);
        image.read("sha256", images[i]->sha256);
        if (images[i]->source.empty())
            reader.fail(kInputImageKeys[i], "names no file");
    }
}

[[noreturn]] void throwFor(const QString& path, ErrorCode code, const QString& what)
{
    throw Error(code, QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), what).toStdString());
}

} // namespace

QJsonObject paramsToJson(const GenerationParams& params)
{
    QJsonArray batchPrompts;
    for (const std::string& prompt : params.batchPrompts)
        batchPrompts.append(QString::fromStdString(prompt));
    QJsonObject json{
        {"version", kParamsVersion},
        {"prompt", QString::fromStdString(params.prompt)},
        {"negative_prompt", QString::fromStdString(params.negativePrompt)},
        {"batch_prompts", batchPrompts},
        {"width", params.width},
        {"height", params.height},
        {"batch", params.batch},
        {"seed", params.seed ? seedToJson(*params.seed) : QJsonValue(QJsonValue::Null)},
        {"stage_c", stageToJson(params.stageC)},
        {"stage_b", stageToJson(params.stageB)},
        {"sampler", QString::fromLatin1(samplerName(params.sampler))},
        {"cfg_rho", params.cfgRho},
        {"prompt_options", QJsonObject{{"emphasis", params.promptOptions.emphasis},
                                       {"chunk_long_prompts", params.promptOptions.chunkLongPrompts}}},
    };
    if (params.images.any())
        json.insert("images", metaImageInputsToJson(params.images));
    if (params.compression != 0) // absent = the official latent size
        json.insert("compression", params.compression);
    return json;
}

GenerationParams paramsFromJson(const QJsonObject& json)
{
    const FieldReader reader(json, "");
    checkVersion(reader, "parameters");
    GenerationParams params;
    reader.read("prompt", params.prompt);
    reader.read("negative_prompt", params.negativePrompt);
    reader.read("batch_prompts", params.batchPrompts);
    reader.read("width", params.width);
    reader.read("height", params.height);
    reader.read("batch", params.batch);
    reader.read("seed", params.seed);
    readStage(reader.object("stage_c"), params.stageC);
    readStage(reader.object("stage_b"), params.stageB);
    std::string name = samplerName(params.sampler);
    reader.read("sampler", name);
    if (const auto sampler = choiceFromId<SamplerKind>(name))
        params.sampler = *sampler;
    else
        reader.fail("sampler", "is \"" + name + "\"; known samplers are " + choiceIdList<SamplerKind>("and"));
    reader.read("cfg_rho", params.cfgRho);
    reader.read("compression", params.compression);
    if (params.compression != 0 && (params.compression < 16 || params.compression > 64))
        reader.fail("compression", "must be 0 (official) or between 16 and 64");
    // "device", "dtype" and "residency" of older files describe the model, not the job: recordFromJson reads
    // the first two into the record.
    const FieldReader options = reader.object("prompt_options");
    options.read("emphasis", params.promptOptions.emphasis);
    options.read("chunk_long_prompts", params.promptOptions.chunkLongPrompts);
    if (reader.present("images"))
        metaReadImageInputs(reader.object("images"), params.images);
    try {
        params.validate();
    } catch (const Error& e) {
        throw Error(ErrorCode::InvalidArgument, std::string("parameters JSON: ") + e.what());
    }
    return params;
}

namespace {
QJsonObject modelToJson(const ImageRecord& record, const QJsonArray& files)
{
    QJsonObject model{{"summary", record.modelSummary}, {"files", files}};
    if (!record.modelHash.isEmpty())
        model.insert("hash", record.modelHash);
    if (!record.device.isEmpty())
        model.insert("device", record.device);
    if (!record.precision.isEmpty())
        model.insert("dtype", record.precision);
    return model;
}
} // namespace

QJsonObject recordToJson(const ImageRecord& record)
{
    QJsonArray files;
    for (const ModelFileInfo& file : record.modelFiles)
        files.append(QJsonObject{{"role", QString::fromStdString(file.roleText())},
                                 {"name", QFileInfo(QString::fromStdString(file.path)).fileName()},
                                 {"bytes", seedToJson(file.bytes)}});
    return {
        {"version", kParamsVersion},
        {"app", QStringLiteral("Kaskade " KASKADE_VERSION)},
        {"params", paramsToJson(record.params)},
        // The image's seed; params.seed when a caller filled only that one (as toA1111Text does).
        {"seed", seedToJson(record.seed != 0 ? record.seed : record.params.seed.value_or(0))},
        {"model", modelToJson(record, files)},
    };
}

ImageRecord recordFromJson(const QJsonObject& json)
{
    const FieldReader reader(json, "");
    checkVersion(reader, "image records");
    if (!reader.present("params"))
        reader.fail("params", "is missing");
    ImageRecord record;
    record.source = QStringLiteral("kaskade");
    if (!json.value("params").isObject())
        reader.fail("params", "must be an object (got " + describe(json.value("params")) + ")");
    record.params = paramsFromJson(json.value("params").toObject());
    std::optional<std::uint64_t> seed = record.params.seed;
    reader.read("seed", seed);
    record.seed = seed.value_or(0);
    const FieldReader model = reader.object("model");
    std::string summary;
    model.read("summary", summary);
    record.modelSummary = QString::fromStdString(summary);
    std::string hash;
    model.read("hash", hash);
    record.modelHash = QString::fromStdString(hash);
    // Where it ran: "model" since the typed model settings, "params" before; only names the engine knows.
    const FieldReader oldParams(json.value("params").toObject(), "params.");
    std::string device, precision;
    oldParams.read("device", device);
    oldParams.read("dtype", precision);
    model.read("device", device);
    model.read("dtype", precision);
    if (!device.empty() && !parseDevice(device))
        model.fail("device", "is \"" + device + "\"; expected " + deviceIdList());
    if (!precision.empty() && !choiceFromId<Precision>(precision))
        model.fail("dtype", "is \"" + precision + "\"; expected " + choiceIdList<Precision>());
    record.device = QString::fromStdString(device);
    record.precision = QString::fromStdString(precision);
    if (model.present("files") && !model.value("files").isArray())
        model.fail("files", "must be an array");
    for (const QJsonValue& item : model.value("files").toArray()) {
        if (!item.isObject())
            model.fail("files", "must hold only objects (found " + describe(item) + ")");
        const FieldReader fileReader(item.toObject(), "model.files[].");
        ModelFileInfo file;
        std::string role;
        fileReader.read("role", role);
        if (!role.empty() && !file.setRoleText(role))
            model.fail("files", "names an unknown role '" + role + "'");
        fileReader.read("name", file.path);
        std::optional<std::uint64_t> bytes;
        fileReader.read("bytes", bytes);
        file.bytes = bytes.value_or(0);
        record.modelFiles.push_back(std::move(file));
    }
    return record;
}

void saveImage(const QString& path, const QImage& image, const ImageRecord& record)
{
    if (image.isNull())
        throwFor(path, ErrorCode::InvalidArgument, QStringLiteral("cannot save an empty image"));
    QImage tagged = image; // shares pixels; setText() detaches only the text map
    tagged.setText(kA1111Key, toA1111Text(record));
    tagged.setText(kKaskadeKey, QString::fromUtf8(QJsonDocument(recordToJson(record)).toJson(QJsonDocument::Compact)));

    // Encoded in memory, then written: a write the disk refuses (ENOSPC, EFBIG, EIO) is then reported with the
    // system's reason; an image writer given the file itself says only "Unknown error".
    const QByteArray suffix = QFileInfo(path).suffix().toLower().toLatin1();
    QByteArray bytes;
    if (suffix == "jpg" || suffix == "jpeg" || suffix == "webp") {
        // These formats keep the parameters in EXIF UserComment, as A1111 writes them (Qt writes no EXIF).
        QByteArray encoded;
        QBuffer buffer(&encoded);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, suffix);
        writer.setQuality(suffix == "webp" ? 90 : 95);
        if (!writer.write(image.convertToFormat(QImage::Format_RGB888)))
            throwFor(path, ErrorCode::FileIo, QStringLiteral("cannot encode the image: %1").arg(writer.errorString()));
        bytes = embedExif(encoded, suffix, exifUserCommentBlock(toA1111Text(record)));
    } else {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, suffix.isEmpty() ? QByteArray("png") : suffix);
        if (!writer.write(tagged))
            throwFor(path, ErrorCode::FileIo, QStringLiteral("cannot encode the image: %1").arg(writer.errorString()));
    }

    QSaveFile file(path); // temporary file + rename: a failed or cancelled write leaves nothing behind
    if (!file.open(QIODevice::WriteOnly))
        throwFor(path, ErrorCode::FileIo, QStringLiteral("cannot write: %1").arg(file.errorString()));
    // write() may stop short at the limit without an error; the call after it fails and says why.
    for (qint64 done = 0; done < bytes.size();) {
        const qint64 n = file.write(bytes.constData() + done, bytes.size() - done);
        if (n <= 0) {
            const QString why = file.errorString();
            file.cancelWriting();
            throwFor(path, ErrorCode::FileIo, QStringLiteral("cannot write the image: %1").arg(why));
        }
        done += n;
    }
    if (!file.commit())
        throwFor(path, ErrorCode::FileIo, QStringLiteral("cannot write: %1").arg(file.errorString()));
}

QMap<QString, QString> readImageTexts(const QString& path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throwFor(path, ErrorCode::FileNotFound, QStringLiteral("no such file"));
    if (!info.isFile())
        throwFor(path, ErrorCode::BadFormat, QStringLiteral("not a file"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throwFor(path, ErrorCode::FileIo, QStringLiteral("cannot open: %1").arg(file.errorString()));
    if (const auto problem = pngChunkProblem(file))
        throwFor(path, ErrorCode::BadFormat, *problem);
    file.close();
    QImageReader reader(path);
    reader.setAutoTransform(false);
    const QByteArray format = reader.format(); // empty after read()
    // A full read: only QImage::text() holds the chunks verbatim, including those stored after the pixels.
    const QImage image = reader.read();
    if (image.isNull())
        throwFor(path, ErrorCode::BadFormat, QStringLiteral("not a readable image (%1)").arg(reader.errorString()));
    QMap<QString, QString> texts;
    for (const QString& key : image.textKeys())
        texts.insert(key, image.text(key));
    if (format == "jpeg" || format == "jpg" || format == "webp") {
        // A1111's place for the parameters in these formats: EXIF UserComment (Qt's readers skip EXIF).
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            if (const auto comment = readExifUserComment(file.read(kMaxExifScanBytes)); comment && !comment->isEmpty())
                texts.insert(kA1111Key, *comment);
    }
    return texts;
}

std::optional<QString> pngChunkProblem(QIODevice& device)
{
    const qint64 start = device.pos();
    const qint64 size = device.size();
    const QByteArray signature = device.read(8);
    std::optional<QString> problem;
    if (signature == QByteArray("\x89PNG\r\n\x1a\n", 8)) {
        qint64 offset = 8;
        // Chunk: 4-byte big-endian length, 4-byte type, data, 4-byte CRC. Bounded by the file size.
        while (offset < size) {
            if (size - offset < 12) {
                problem = QStringLiteral("a corrupt PNG: %1 stray bytes after the last chunk").arg(size - offset);
                break;
            }
            if (!device.seek(offset))
                break;
            const QByteArray header = device.read(8);
            if (header.size() != 8)
                break;
            const auto* b = reinterpret_cast<const unsigned char*>(header.constData());
            const quint64 length = (quint64(b[0]) << 24) | (quint64(b[1]) << 16) | (quint64(b[2]) << 8) | b[3];
            if (length > quint64(size - offset - 12)) {
                problem = QStringLiteral("a corrupt PNG: chunk \"%1\" at byte %2 claims %3 bytes, only %4 follow")
                              .arg(QString::fromLatin1(header.mid(4, 4).toHex()))
                              .arg(offset)
                              .arg(length)
                              .arg(size - offset - 12);
                break;
            }
            offset += 12 + qint64(length);
            if (header.mid(4, 4) == "IEND")
                break;
        }
    }
    device.seek(start);
    return problem;
}

std::optional<ImageRecord> recordFromTexts(const QMap<QString, QString>& texts, const QString& path)
{
    const auto parseObject = [&](const QString& key) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(texts.value(key).toUtf8(), &error);
        if (error.error != QJsonParseError::NoError)
            throwFor(path, ErrorCode::BadFormat,
                     QStringLiteral("the \"%1\" metadata is not valid JSON (%2 at offset %3)")
                         .arg(key, error.errorString())
                         .arg(error.offset));
        if (!document.isObject())
            throwFor(path, ErrorCode::BadFormat, QStringLiteral("the \"%1\" metadata is not a JSON object").arg(key));
        return document.object();
    };
    if (texts.contains(kKaskadeKey)) {
        try {
            return recordFromJson(parseObject(kKaskadeKey));
        } catch (const Error& e) {
            if (e.code() != ErrorCode::InvalidArgument)
                throw;
            throwFor(path, ErrorCode::BadFormat, QStringLiteral("bad \"kaskade\" metadata: %1").arg(e.what()));
        }
    }
    if (texts.contains(kA1111Key))
        if (auto record = fromA1111Text(texts.value(kA1111Key)))
            return record;
    if (texts.contains(kComfyPromptKey))
        return fromComfyUiPrompt(parseObject(kComfyPromptKey));
    return std::nullopt;
}

std::optional<ImageRecord> readImageRecord(const QString& path)
{
    return recordFromTexts(readImageTexts(path), path);
}

QImage toQImage(const RgbImage& image)
{
    if (image.width <= 0 || image.height <= 0)
        return {};
    const std::size_t rowBytes = std::size_t(image.width) * 3;
    if (image.rgb.size() != rowBytes * std::size_t(image.height))
        throw Error(ErrorCode::Internal, "RGB image " + std::to_string(image.width) + "x" +
                                             std::to_string(image.height) + " holds " +
                                             std::to_string(image.rgb.size()) + " bytes, expected " +
                                             std::to_string(rowBytes * std::size_t(image.height)));
    QImage out(image.width, image.height, QImage::Format_RGB888);
    if (out.isNull())
        throw Error(ErrorCode::DeviceError, "out of memory for a " + std::to_string(image.width) + "x" +
                                                std::to_string(image.height) + " image");
    // Row by row: QImage pads scanlines to 4 bytes, RgbImage has no padding.
    for (int y = 0; y < image.height; ++y)
        std::copy_n(image.rgb.data() + rowBytes * std::size_t(y), rowBytes, out.scanLine(y));
    return out;
}

} // namespace kaskade::core
