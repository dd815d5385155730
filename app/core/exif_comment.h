#pragma once
// The parameters text in JPEG and WebP files, where A1111 (and tools that read its files) keep it: the EXIF
// UserComment tag, "UNICODE\0" + UTF-16 text. Qt writes no EXIF, so this is a minimal hand-made block: a
// big-endian TIFF header, IFD0 with the Exif-IFD pointer, the Exif IFD with the one UserComment entry.
// JPEG carries it in an APP1 "Exif\0\0" segment; WebP in an "EXIF" chunk of the extended (VP8X) layout.

#include <QByteArray>
#include <QString>

#include <optional>

namespace kaskade::core {

// The TIFF block (from "MM") with one UserComment.
QByteArray exifUserCommentBlock(const QString& text);

// Encoded image bytes (as Qt's writers make them) with the block added. format: "jpg"/"jpeg" or "webp".
// Throws kaskade::Error(BadFormat) when the bytes are not of that format.
QByteArray embedExif(const QByteArray& encoded, const QByteArray& format, const QByteArray& tiffBlock);

// The UserComment of a JPEG or WebP file's EXIF, decoded; nullopt when there is none. Never throws: a
// damaged EXIF block reads as none.
std::optional<QString> readExifUserComment(const QByteArray& fileBytes);

} // namespace kaskade::core
