#include "app/core/exif_comment.h"

#include "pipeline/errors.h"

#include <QtEndian>

#include <cstdint>
#include <cstring>

namespace kaskade::core {

namespace {

constexpr std::uint16_t kExifIfdPointerTag = 0x8769;
constexpr std::uint16_t kUserCommentTag = 0x9286;
constexpr std::uint16_t kTypeLong = 4;
constexpr std::uint16_t kTypeUndefined = 7;
const QByteArray kUnicodePrefix("UNICODE\0", 8);
const QByteArray kExifHeader("Exif\0\0", 6);

void put16(QByteArray& out, std::uint16_t v)
{
    out.append(char(v >> 8)).append(char(v & 0xff));
}
void put32(QByteArray& out, std::uint32_t v)
{
    put16(out, std::uint16_t(v >> 16));
    put16(out, std::uint16_t(v & 0xffff));
}
void putLe32(QByteArray& out, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.append(char((v >> (8 * i)) & 0xff));
}
void putLe24(QByteArray& out, std::uint32_t v)
{
    for (int i = 0; i < 3; ++i)
        out.append(char((v >> (8 * i)) & 0xff));
}

// Reads TIFF integers in the block's byte order, with bounds checks (nullopt past the end).
class TiffReader
{
public:
    explicit TiffReader(QByteArrayView tiff) : tiff_(tiff), big_(tiff.size() >= 2 && tiff[0] == 'M') {}
    bool valid() const
    {
        return tiff_.size() >= 8 && ((tiff_[0] == 'M' && tiff_[1] == 'M') || (tiff_[0] == 'I' && tiff_[1] == 'I')) &&
               u16(2) == 42;
    }
    std::optional<std::uint32_t> u16(qsizetype at) const
    {
        if (at < 0 || at + 2 > tiff_.size())
            return std::nullopt;
        const auto* p = reinterpret_cast<const uchar*>(tiff_.data() + at);
        return big_ ? qFromBigEndian<std::uint16_t>(p) : qFromLittleEndian<std::uint16_t>(p);
    }
    std::optional<std::uint32_t> u32(qsizetype at) const
    {
        if (at < 0 || at + 4 > tiff_.size())
            return std::nullopt;
        const auto* p = reinterpret_cast<const uchar*>(tiff_.data() + at);
        return big_ ? qFromBigEndian<std::uint32_t>(p) : qFromLittleEndian<std::uint32_t>(p);
    }
    bool bigEndian() const { return big_; }
    QByteArrayView bytes() const { return tiff_; }

    // The entry (offset of its 12 bytes) with this tag in the IFD at ifd.
    std::optional<qsizetype> find(qsizetype ifd, std::uint16_t tag) const
    {
        const auto count = u16(ifd);
        if (!count || *count > 1000)
            return std::nullopt;
        for (std::uint32_t i = 0; i < *count; ++i) {
            const qsizetype entry = ifd + 2 + qsizetype(i) * 12;
            if (u16(entry) == tag)
                return entry;
        }
        return std::nullopt;
    }

private:
    QByteArrayView tiff_;
    bool big_;
};

std::optional<QString> userCommentOf(QByteArrayView tiff)
{
    const TiffReader reader(tiff);
    if (!reader.valid())
        return std::nullopt;
    const auto ifd0 = reader.u32(4);
    if (!ifd0)
        return std::nullopt;
    const auto pointer = reader.find(*ifd0, kExifIfdPointerTag);
    if (!pointer)
        return std::nullopt;
    const auto exifIfd = reader.u32(*pointer + 8);
    if (!exifIfd)
        return std::nullopt;
    const auto entry = reader.find(*exifIfd, kUserCommentTag);
    if (!entry)
        return std::nullopt;
    const auto count = reader.u32(*entry + 4);
    if (!count || *count < 8)
        return std::nullopt;
    const qsizetype offset = *count <= 4 ? *entry + 8 : qsizetype(reader.u32(*entry + 8).value_or(0));
    if (offset <= 0 || offset + qsizetype(*count) > tiff.size())
        return std::nullopt;
    const QByteArrayView value = tiff.sliced(offset, *count);
    const QByteArrayView prefix = value.first(8);
    const QByteArrayView body = value.sliced(8);
    if (std::memcmp(prefix.data(), kUnicodePrefix.constData(), 8) == 0) {
        // UTF-16 in the block's byte order; piexif (A1111) writes big-endian blocks, so both agree there.
        QString text;
        text.reserve(body.size() / 2);
        for (qsizetype i = 0; i + 1 < body.size(); i += 2) {
            const auto hi = uchar(body[i]), lo = uchar(body[i + 1]);
            text.append(QChar(reader.bigEndian() ? char16_t(hi << 8 | lo) : char16_t(lo << 8 | hi)));
        }
        while (text.endsWith(QChar(0)))
            text.chop(1);
        return text;
    }
    QString text = QString::fromUtf8(body.data(), body.size()); // ASCII, or an undefined prefix
    while (text.endsWith(QChar(0)))
        text.chop(1);
    return text;
}

} // namespace

QByteArray exifUserCommentBlock(const QString& text)
{
    QByteArray comment = kUnicodePrefix;
    for (const QChar c : text)
        put16(comment, c.unicode());
    // Layout: header (8) | IFD0: 1 entry (2 + 12 + 4) | Exif IFD: 1 entry (2 + 12 + 4) | comment bytes.
    constexpr std::uint32_t ifd0 = 8, exifIfd = ifd0 + 18, data = exifIfd + 18;
    QByteArray tiff("MM", 2);
    put16(tiff, 42);
    put32(tiff, ifd0);
    put16(tiff, 1);
    put16(tiff, kExifIfdPointerTag);
    put16(tiff, kTypeLong);
    put32(tiff, 1);
    put32(tiff, exifIfd);
    put32(tiff, 0); // no next IFD
    put16(tiff, 1);
    put16(tiff, kUserCommentTag);
    put16(tiff, kTypeUndefined);
    put32(tiff, std::uint32_t(comment.size()));
    put32(tiff, data);
    put32(tiff, 0);
    tiff.append(comment);
    return tiff;
}

QByteArray embedExif(const QByteArray& encoded, const QByteArray& format, const QByteArray& tiff)
{
    if (format == "jpg" || format == "jpeg") {
        if (encoded.size() < 4 || uchar(encoded[0]) != 0xff || uchar(encoded[1]) != 0xd8)
            throw Error(ErrorCode::BadFormat, "the JPEG encoder's output has no start-of-image marker");
        const QByteArray payload = kExifHeader + tiff;
        if (payload.size() + 2 > 0xffff)
            throw Error(ErrorCode::InvalidArgument, "the parameters text is too long for a JPEG EXIF segment");
        // After SOI and, when there, the JFIF APP0 segment (readers look at every APPn).
        qsizetype at = 2;
        if (encoded.size() > 6 && uchar(encoded[2]) == 0xff && uchar(encoded[3]) == 0xe0)
            at = 4 + (qsizetype(uchar(encoded[4])) << 8 | uchar(encoded[5]));
        QByteArray segment;
        segment.append(char(0xff)).append(char(0xe1));
        put16(segment, std::uint16_t(payload.size() + 2));
        segment.append(payload);
        QByteArray out = encoded;
        out.insert(at, segment);
        return out;
    }
    if (format == "webp") {
        if (encoded.size() < 30 || !encoded.startsWith("RIFF") || encoded.mid(8, 4) != "WEBP")
            throw Error(ErrorCode::BadFormat, "the WebP encoder's output is not a RIFF WEBP file");
        const QByteArray first = encoded.mid(12, 4);
        QByteArray body = encoded.mid(12); // the chunks
        if (first != "VP8X") {
            // Simple layout (one VP8 or VP8L chunk): the extended header carries the canvas size and flags.
            int width = 0, height = 0;
            const auto* p = reinterpret_cast<const uchar*>(encoded.constData()) + 20; // chunk payload
            if (first == "VP8 ") {
                width = (p[6] | p[7] << 8) & 0x3fff;
                height = (p[8] | p[9] << 8) & 0x3fff;
            } else if (first == "VP8L") {
                const std::uint32_t bits = p[1] | p[2] << 8 | p[3] << 16 | std::uint32_t(p[4]) << 24;
                width = int(bits & 0x3fff) + 1;
                height = int((bits >> 14) & 0x3fff) + 1;
            } else {
                throw Error(ErrorCode::BadFormat, "unexpected first WebP chunk " + first.toStdString());
            }
            QByteArray vp8x("VP8X", 4);
            putLe32(vp8x, 10);
            vp8x.append(char(0x08)); // EXIF present
            vp8x.append(3, '\0');
            putLe24(vp8x, std::uint32_t(width - 1));
            putLe24(vp8x, std::uint32_t(height - 1));
            body.prepend(vp8x);
        } else {
            body[8] = char(body[8] | 0x08);
        }
        QByteArray exif("EXIF", 4);
        putLe32(exif, std::uint32_t(tiff.size()));
        exif.append(tiff);
        if (tiff.size() % 2)
            exif.append('\0');
        body.append(exif);
        QByteArray out("RIFF", 4);
        putLe32(out, std::uint32_t(4 + body.size()));
        out.append("WEBP", 4);
        out.append(body);
        return out;
    }
    throw Error(ErrorCode::Unsupported, "EXIF is written only into JPEG and WebP files");
}

std::optional<QString> readExifUserComment(const QByteArray& file)
{
    if (file.size() > 4 && uchar(file[0]) == 0xff && uchar(file[1]) == 0xd8) {
        qsizetype at = 2;
        while (at + 4 <= file.size() && uchar(file[at]) == 0xff) {
            const uchar marker = uchar(file[at + 1]);
            if (marker == 0xda || marker == 0xd9) // start of scan / end: no more metadata
                break;
            const qsizetype length = qsizetype(uchar(file[at + 2])) << 8 | uchar(file[at + 3]);
            if (length < 2 || at + 2 + length > file.size())
                break;
            const QByteArrayView payload(file.constData() + at + 4, length - 2);
            if (marker == 0xe1 && payload.startsWith(QByteArrayView(kExifHeader)))
                return userCommentOf(payload.sliced(kExifHeader.size()));
            at += 2 + length;
        }
        return std::nullopt;
    }
    if (file.size() > 12 && file.startsWith("RIFF") && file.mid(8, 4) == "WEBP") {
        qsizetype at = 12;
        while (at + 8 <= file.size()) {
            const QByteArrayView id(file.constData() + at, 4);
            const auto size =
                qFromLittleEndian<std::uint32_t>(reinterpret_cast<const uchar*>(file.constData()) + at + 4);
            if (at + 8 + qsizetype(size) > file.size())
                break;
            if (std::memcmp(id.data(), "EXIF", 4) == 0) {
                QByteArrayView tiff(file.constData() + at + 8, size);
                if (tiff.startsWith(QByteArrayView(kExifHeader))) // some writers keep the JPEG prefix
                    tiff = tiff.sliced(kExifHeader.size());
                return userCommentOf(tiff);
            }
            at += 8 + size + (size % 2);
        }
    }
    return std::nullopt;
}

} // namespace kaskade::core
