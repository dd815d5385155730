// kaskade-engine: the Qt-free command-line front end of the pipeline, for machines without Qt (a GPU box
// with only a CUDA LibTorch). It runs the shared command table (pipeline/tools/commands.h) as is: parity,
// bench, devices, make-demo-model.
#include "pipeline/runtime/blas_cpu.h"
#include "pipeline/tools/commands.h"

#include <string>
#include <vector>

int main(int argc, char** argv)
{
    kaskade::runtime::reexecWithMatchingBlasCore(argv);
    const auto commands = kaskade::tools::engineCommands();
    return kaskade::tools::runCommandLine("kaskade-engine", "kaskade-engine - the Qt-free Stable Cascade engine",
                                          commands, std::vector<std::string>(argv + 1, argv + argc));
}
