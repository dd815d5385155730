// kaskade-cli scan DIR: the checkpoints under a folder with kind, variant, dtype and size.
#include "app/cli/commands.h"
#include "pipeline/checkpoint_scan.h"
#include "pipeline/errors.h"

#include <cstdio>

namespace kaskade::cli {

int runScan(const QStringList& args)
{
    if (args.size() != 1)
        throw Error(ErrorCode::InvalidArgument, "usage: kaskade-cli scan DIR");
    const auto entries = scanCheckpoints(args.first().toStdString());
    for (const auto& e : entries)
        std::printf("%-14s %-6s %-5s %10.1f MB  %s\n    %s\n", kindName(e.kind), e.variant.c_str(), e.dtype.c_str(),
                    e.bytes / 1e6, e.path.string().c_str(), e.description.c_str());
    std::printf("%zu checkpoint file(s)\n", entries.size());
    return 0;
}

} // namespace kaskade::cli
