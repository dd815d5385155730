#include "pipeline/io/state_dict.h"

#include "pipeline/errors.h"

#include <torch/nn/module.h>

#include <ATen/ATen.h>

#include <map>
#include <set>
#include <sstream>

namespace kaskade {
namespace {

// Parameters and buffers of a module tree, by qualified name.
std::map<std::string, at::Tensor> moduleEntries(torch::nn::Module& module)
{
    std::map<std::string, at::Tensor> entries;
    for (const auto& item : module.named_parameters(true))
        entries.emplace(item.key(), item.value());
    for (const auto& item : module.named_buffers(true))
        entries.emplace(item.key(), item.value());
    return entries;
}

void appendList(std::ostringstream& out, const char* title, const std::vector<std::string>& items, std::size_t limit)
{
    if (items.empty())
        return;
    out << "\n  " << title << " (" << items.size() << "):";
    for (std::size_t i = 0; i < items.size() && i < limit; ++i)
        out << "\n    " << items[i];
    if (items.size() > limit)
        out << "\n    ... and " << (items.size() - limit) << " more";
}

} // namespace

std::string shapeString(at::IntArrayRef shape)
{
    std::ostringstream out;
    out << '[';
    for (std::size_t i = 0; i < shape.size(); ++i)
        out << (i ? ", " : "") << shape[i];
    out << ']';
    return out.str();
}

std::string LoadReport::describe(std::size_t limit) const
{
    std::ostringstream out;
    appendList(out, "missing tensors", missing, limit);
    appendList(out, "unexpected tensors", unexpected, limit);
    appendList(out, "tensors with the wrong shape", wrongShape, limit);
    return out.str();
}

LoadReport checkStateDict(torch::nn::Module& module, const TensorMap& tensors, const LoadOptions& options)
{
    LoadReport report;
    const auto entries = moduleEntries(module);
    for (const auto& [name, target] : entries) {
        auto it = tensors.find(name);
        if (it == tensors.end()) {
            if (!options.allowMissing || !options.allowMissing(name))
                report.missing.push_back(name);
            continue;
        }
        if (it->second.sizes() != target.sizes())
            report.wrongShape.push_back(name + ": expected " + shapeString(target.sizes()) + ", file has " +
                                        shapeString(it->second.sizes()));
    }
    for (const auto& [name, tensor] : tensors) {
        if (entries.count(name) == 0 && (!options.ignoreUnexpected || !options.ignoreUnexpected(name)))
            report.unexpected.push_back(name);
    }
    return report;
}

void loadStateDict(torch::nn::Module& module, const TensorMap& tensors, const std::string& what,
                   const LoadOptions& options)
{
    const LoadReport report = checkStateDict(module, tensors, options);
    if (!report.ok())
        throw Error(ErrorCode::BadCheckpoint, what + report.describe());
    at::NoGradGuard noGrad;
    for (auto& [name, target] : moduleEntries(module)) {
        auto it = tensors.find(name);
        if (it == tensors.end())
            continue;
        target.copy_(it->second); // converts dtype and device
    }
}

} // namespace kaskade
