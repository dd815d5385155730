#pragma once
// Lists the checkpoints under a folder (Stage B/C fine-tunes, LoRAs, text encoders ...) with kind,
// variant, dtype and size, for "Load checkpoint" menus and `kaskade-cli scan`. Torch-free header.

#include "pipeline/loading/inspect.h"

#include <filesystem>
#include <string>
#include <vector>

namespace kaskade {

struct CheckpointEntry
{
    std::filesystem::path path;
    FileContent content = FileContent::Unknown;
    Role role = Role::StageC; // with Network or AllInOne (see FileReport)
    std::string variant;      // "3.6B", "1B", "3B", "700M", "bigG" or ""
    std::string dtype;        // the dtype most tensors have: "BF16", "F32" ...
    std::uint64_t bytes = 0;
    std::string description; // inspectFile's one line, or why the file could not be read

    bool holds(Role network) const { return content == FileContent::Network && role == network; }
    std::string kindName() const { return fileKindName(content, role); }
};

// Every *.safetensors below `folder` (at most `maxDepth` levels, symlinks followed), sorted by path.
// Unreadable files are listed with content Unknown and the reason; a missing folder throws FileNotFound.
std::vector<CheckpointEntry> scanCheckpoints(const std::filesystem::path& folder, int maxDepth = 4);

} // namespace kaskade
