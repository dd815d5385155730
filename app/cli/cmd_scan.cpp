// kaskade-cli scan DIR: the checkpoints under a folder with kind, variant, dtype and size.
#include "app/cli/commands.h"
#include "pipeline/errors.h"
#include "pipeline/loading/checkpoint_scan.h"

#include <cstdio>

namespace kaskade::cli {

int runScan(Args& args)
{
    const auto dir = args.positionals(1, 1, "kaskade-cli scan DIR");
    const auto entries = scanCheckpoints(dir[0]);
    for (const auto& e : entries)
        std::printf("%-14s %-6s %-5s %10.1f MB  %s\n    %s\n", e.kindName().c_str(), e.variant.c_str(), e.dtype.c_str(),
                    e.bytes / 1e6, e.path.string().c_str(), e.description.c_str());
    std::printf("%zu checkpoint file(s)\n", entries.size());
    return 0;
}

} // namespace kaskade::cli
