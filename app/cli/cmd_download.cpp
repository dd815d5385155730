// STUB until implemented.
#include "app/cli/commands.h"

namespace kaskade::cli {

int runDownload(const QStringList&) { printError(QStringLiteral("not implemented yet")); return 1; }

} // namespace kaskade::cli
