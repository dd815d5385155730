#pragma once
// Test helper for the real-size key tests: a network built on the meta device (no memory) is compared key
// for key and shape for shape with the official checkpoint's list (tests/data/stable-cascade-keys.tsv).

#include "pipeline/io/state_dict.h"
#include "sparse_checkpoint.h"

#include <QString>
#include <QStringList>

#include <ATen/ops/empty.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kaskade::test {

using ShapeMap = std::map<std::string, std::vector<std::int64_t>>;

// One model of the TSV ("stage_c_1B", "effnet_encoder", "clip_vision_l14" ...); throws when it has none.
inline ShapeMap officialKeys(const std::string& model)
{
    ShapeMap keys;
    for (const auto& k : tsvKeys(model))
        keys[k.name] = k.shape;
    return keys;
}

// What the module registers: named_parameters() + named_buffers(), the set a checkpoint must hold.
inline ShapeMap moduleKeys(torch::nn::Module& module)
{
    ShapeMap keys;
    for (const auto& item : module.named_parameters(true))
        keys[item.key()] = item.value().sizes().vec();
    for (const auto& item : module.named_buffers(true))
        keys[item.key()] = item.value().sizes().vec();
    return keys;
}

inline std::int64_t parameterCount(torch::nn::Module& module)
{
    std::int64_t n = 0;
    for (const auto& p : module.parameters(true))
        n += p.numel();
    return n;
}

// Meta tensors with the given shapes: a stand-in for a real checkpoint (no memory).
inline TensorMap metaCheckpoint(const ShapeMap& keys)
{
    TensorMap map;
    for (const auto& [key, shape] : keys)
        map[key] = at::empty(shape, at::TensorOptions().device(at::kMeta));
    return map;
}

// The first `maxLines` differences, one a line ("missing k", "shape of k: [..] vs official [..]",
// "unexpected k"); empty when the maps are equal.
inline QString keyDifferences(const ShapeMap& official, const ShapeMap& actual, int maxLines = 20)
{
    QStringList lines;
    for (const auto& [key, shape] : official) {
        auto it = actual.find(key);
        if (it == actual.end())
            lines << QStringLiteral("missing %1").arg(QString::fromStdString(key));
        else if (it->second != shape)
            lines << QStringLiteral("shape of %1: %2 vs official %3")
                         .arg(QString::fromStdString(key), QString::fromStdString(shapeString(it->second)),
                              QString::fromStdString(shapeString(shape)));
    }
    for (const auto& [key, shape] : actual)
        if (!official.count(key))
            lines << QStringLiteral("unexpected %1").arg(QString::fromStdString(key));
    return lines.mid(0, maxLines).join(QLatin1Char('\n'));
}

} // namespace kaskade::test
