#pragma once
// kaskade-cli's own commands (Qt: images, metadata, downloads, training). main.cpp appends them to the
// engine's command table (pipeline/tools/commands.h: parity, bench, devices, make-demo-model), so both
// programs share one table and one argument reader, tools::Args. Each returns the process exit status;
// errors are thrown as kaskade::Error and become one line + exit status in tools::runCommandLine.

#include "pipeline/tools/commands.h"

#include <QString>
#include <QStringList>

#include <string>
#include <string_view>
#include <vector>

namespace kaskade::cli {

using tools::Args;

int runInspect(Args& args);     // cmd_inspect.cpp
int runTokenize(Args& args);    // cmd_tokenize.cpp
int runGenerate(Args& args);    // cmd_generate.cpp
int runReconstruct(Args& args); // cmd_generate.cpp
int runUpscale(Args& args);     // cmd_generate.cpp
int runInfo(Args& args);        // cmd_info.cpp
int runDownload(Args& args);    // cmd_download.cpp
int runScan(Args& args);        // cmd_scan.cpp
int runTrainLora(Args& args);   // cmd_train.cpp
int runConvertLora(Args& args); // cmd_train.cpp

// The Qt commands' view of Args (main.cpp): an option's value ("" when absent), and values as a QStringList.
QString takeText(Args& args, std::string_view option);
QStringList toQt(const std::vector<std::string>& values);
Args toArgs(const QStringList& values);

// Shared by the commands: one line to stderr ("kaskade-cli: ...").
void printError(const QString& message);

} // namespace kaskade::cli
