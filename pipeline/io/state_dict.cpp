#include "pipeline/io/state_dict.h"

#include "pipeline/errors.h"

#include <torch/nn/module.h>

#include <ATen/ATen.h>

#include <cmath>
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
    const auto entries = moduleEntries(module);
    // A NaN or inf weight gives a black image much later; name the tensors now, before anything changes.
    std::vector<std::string> nonFinite;
    for (const auto& [name, target] : entries) {
        auto it = tensors.find(name);
        if (it == tensors.end() || !at::isFloatingType(it->second.scalar_type()) || it->second.numel() == 0 ||
            it->second.is_meta())
            continue;
        // One streaming reduction (no full-size bool copy): any NaN/inf makes the fp32 sum non-finite; only
        // then the exact element test runs (a sum can also overflow on huge but finite weights).
        const at::Tensor& value = it->second;
        if (!std::isfinite(at::sum(value, at::kFloat).item<float>()) && !at::isfinite(value).all().item<bool>())
            nonFinite.push_back(name);
    }
    if (!nonFinite.empty()) {
        std::ostringstream out;
        out << what << ": weights hold NaN or infinite values (a corrupt file)";
        appendList(out, "tensors", nonFinite, 10);
        throw Error(ErrorCode::BadCheckpoint, out.str());
    }
    for (auto [name, target] : entries) {
        auto it = tensors.find(name);
        if (it == tensors.end())
            continue;
        const auto& source = it->second;
        // Zero copy: a CPU file tensor of the module's dtype becomes the parameter's storage (the mapped
        // file pages, copy-on-write), so the weights are not held twice. Otherwise copy and convert.
        if (source.device() == target.device() && source.scalar_type() == target.scalar_type() && source.is_cpu() &&
            source.is_contiguous() && !target.requires_grad())
            target.set_(source);
        else
            target.copy_(source); // converts dtype and device
    }
}

} // namespace kaskade
