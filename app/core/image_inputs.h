#pragma once
// Pictures for the engine's image inputs (GenerationParams::images), read with Qt's image plugins (PNG,
// JPEG, WebP, BMP, TIFF, ... whatever QImageReader supports here): 8-bit RGB, EXIF orientation applied,
// alpha dropped, plus the file's SHA-256 that the PNG metadata records. Shared by the CLI and the GUI.

#include "pipeline/generation_params.h"

#include <QImage>
#include <QString>
#include <QStringList>

namespace kaskade::core {

// Hex SHA-256 of a file's bytes (what `sha256sum FILE` prints). Throws Error(FileNotFound/FileIo).
QString fileSha256(const QString& path);

// RgbImage from a QImage (deep copy, any format).
RgbImage toRgbImage(const QImage& image);

// The largest picture read as an input or training picture: 16384×16384 (a 1 GiB decode; a 200 MP photo fits).
constexpr qint64 kMaxPicturePixels = qint64(16384) * 16384;

// Decodes a picture with EXIF orientation applied. Throws Error(BadFormat) naming `what` and `path`: not a
// format Qt reads, a picture above kMaxPicturePixels (with its size, before decoding) or a broken one.
QImage readPicture(const QString& path, const QString& what);

// Reads a picture: pixels, source = absolute path, sha256 of the file. `what` names it in errors
// ("init image /x/a.jpg: not a picture Qt can read (unsupported image format)").
// Throws Error(FileNotFound) for a missing file, Error(BadFormat) for an unreadable one.
InputImage loadInputImage(const QString& path, const QString& what);

// The pictures a params object names ("init image", "image prompt", "control image", "mask"), in that order.
struct NamedInput
{
    InputImage* image;
    QString what;
};
std::vector<NamedInput> namedInputs(ImageInputs& inputs);

// Loads every picture that params read back from an image name but do not hold (InputImage::source set,
// no pixels). A file that is absent, unreadable or whose SHA-256 differs from the recorded one is not
// used: one line per such picture is returned ("init image /x/a.jpg: not found"), and the picture stays
// unloaded (the engine then refuses the job naming it). Returns no lines when everything was restored.
QStringList restoreInputImages(ImageInputs& inputs);

// "L,T,R,B" → Outpaint (pixels, each >= 0). Throws Error(InvalidArgument).
Outpaint parseOutpaint(const QString& text);

} // namespace kaskade::core
