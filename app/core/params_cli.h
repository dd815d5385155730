#pragma once
// The generation options of `kaskade-cli generate` (--prompt, --width, --steps-c, ..., --params FILE.json,
// --from-image IMAGE.png) → GenerationParams. No printing and no exit: errors are kaskade::Error, so tests
// drive it in-process and the CLI maps them to one line and an exit status.

#include "pipeline/generation_params.h"
#include "pipeline/generator.h"

#include <QString>
#include <QStringList>

namespace kaskade::core {

struct GenerationOptions
{
    GenerationParams params;
    ModelSpec model;        // --device, --dtype, --residency (the caller adds the model folder)
    QStringList unconsumed; // arguments that are not generation options, in order (--model DIR, --out PATTERN ...)
    QString sourceFile;     // the --params or --from-image file, empty when neither was given
    // Input pictures the file names that could not be restored (absent, unreadable or changed since), one
    // line each; such pictures stay unloaded and the engine refuses the job until they are given again.
    QStringList missingInputs;
};

// Applies, in this order: GenerationParams defaults; --params FILE.json or --from-image IMAGE.png (not both);
// then every other option as given (so options override the file). Accepts "--opt VALUE" and "--opt=VALUE".
// --seed random (or -1) unsets a seed taken from a file. --from-image also keeps the image's precision (it
// changes the pixels) but not its device, which describes the machine that made it.
// Throws kaskade::Error(InvalidArgument) naming the option ("--steps-c -1: Stage C steps must be between 1
// and 200 (got -1)"), and FileNotFound/FileIo/BadFormat/InvalidArgument naming the file for --params and
// --from-image. The result has passed GenerationParams::validate().
GenerationOptions parseGenerationOptions(const QStringList& args);

// "--params FILE.json": a paramsToJson() object, or a whole "kaskade" image record (its "params" are used).
GenerationParams loadParamsFile(const QString& path);

// One line per option for `generate --help` ("  --width N           image width in pixels (default 1024)\n").
QString generationOptionsHelp();

} // namespace kaskade::core
