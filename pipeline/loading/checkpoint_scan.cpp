#include "pipeline/loading/checkpoint_scan.h"

#include "pipeline/errors.h"

#include <algorithm>
#include <set>

namespace kaskade {
namespace fs = std::filesystem;

std::vector<CheckpointEntry> scanCheckpoints(const fs::path& folder, int maxDepth)
{
    if (!fs::is_directory(folder))
        throw Error(ErrorCode::FileNotFound, folder.string() + ": no such folder");
    std::vector<CheckpointEntry> entries;
    std::error_code ec;
    fs::recursive_directory_iterator it(
        folder, fs::directory_options::follow_directory_symlink | fs::directory_options::skip_permission_denied, ec);
    // Symlinked folders are followed (model libraries link them), but each real folder is entered once:
    // a link to an ancestor would otherwise repeat the tree k^depth times.
    std::set<fs::path> visited{fs::weakly_canonical(folder, ec)};
    ec.clear();
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() >= maxDepth) {
            it.disable_recursion_pending();
        } else if (std::error_code dirEc; it->is_directory(dirEc)) {
            const auto real = fs::canonical(it->path(), dirEc);
            if (dirEc || !visited.insert(real).second)
                it.disable_recursion_pending();
        }
        if (!it->is_regular_file() || it->path().extension() != ".safetensors")
            continue;
        CheckpointEntry entry;
        entry.path = it->path();
        entry.bytes = static_cast<std::uint64_t>(it->file_size(ec));
        try {
            const FileReport report = inspectFile(entry.path);
            entry.content = report.content;
            entry.role = report.role;
            entry.variant = report.main.variant;
            entry.description = report.description;
            std::uint64_t most = 0;
            for (const auto& [dtype, count] : report.dtypes)
                if (count > most) {
                    most = count;
                    entry.dtype = dtype;
                }
        } catch (const Error& e) {
            entry.description = e.what();
        }
        entries.push_back(std::move(entry));
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return entries;
}

} // namespace kaskade
