#pragma once
// kaskade-cli subcommands. Each returns the process exit status; errors are thrown as
// kaskade::Error and mapped to one line + exit status by main().

#include <QStringList>

namespace kaskade::cli {

int runDevices(const QStringList& args);       // cmd_engine.cpp
int runParity(const QStringList& args);        // cmd_engine.cpp
int runBench(const QStringList& args);         // cmd_engine.cpp
int runInspect(const QStringList& args);       // cmd_inspect.cpp
int runTokenize(const QStringList& args);      // cmd_tokenize.cpp
int runGenerate(const QStringList& args);      // cmd_generate.cpp
int runMakeDemoModel(const QStringList& args); // cmd_generate.cpp
int runReconstruct(const QStringList& args);   // cmd_generate.cpp
int runUpscale(const QStringList& args);       // cmd_generate.cpp
int runInfo(const QStringList& args);          // cmd_info.cpp
int runDownload(const QStringList& args);      // cmd_download.cpp
int runScan(const QStringList& args);          // cmd_scan.cpp
int runTrainLora(const QStringList& args);     // cmd_train.cpp
int runConvertLora(const QStringList& args);   // cmd_train.cpp

// Shared by the commands: one line to stderr ("kaskade-cli: ...").
void printError(const QString& message);

} // namespace kaskade::cli
