#pragma once
// Strict, loud loading of a TensorMap into a module tree: every expected key must exist with the
// expected shape, every file key must be used or dropped by a named rule. All problems are collected
// and reported together, by name, before anything fails.

#include "pipeline/io/safetensors.h"

#include <functional>
#include <string>
#include <vector>

namespace torch::nn {
class Module;
}

namespace kaskade {

struct LoadReport
{
    std::vector<std::string> missing;    // expected by the module, absent from the file
    std::vector<std::string> unexpected; // in the file, not used and not ignored
    std::vector<std::string> wrongShape; // "name: expected [a, b], file has [c, d]"
    bool ok() const { return missing.empty() && unexpected.empty() && wrongShape.empty(); }
    // Multi-line text listing every problem (at most `limit` per category, then a count).
    std::string describe(std::size_t limit = 50) const;
};

struct LoadOptions
{
    // File keys for which this returns true are dropped silently (e.g. encoder keys for a decode-only load).
    std::function<bool(const std::string&)> ignoreUnexpected;
    // Module keys for which this returns true may be absent (they keep their current value).
    std::function<bool(const std::string&)> allowMissing;
};

// Compares without copying.
LoadReport checkStateDict(torch::nn::Module& module, const TensorMap& tensors, const LoadOptions& options = {});

// Copies every tensor into the module (converting dtype/device to the parameter's own), after a full
// check. Throws Error(BadCheckpoint) whose message starts with `what` (e.g. the file name and the
// expected model kind) followed by LoadReport::describe().
void loadStateDict(torch::nn::Module& module, const TensorMap& tensors, const std::string& what,
                   const LoadOptions& options = {});

// "[2048, 16, 1, 1]"
std::string shapeString(at::IntArrayRef shape);

} // namespace kaskade
