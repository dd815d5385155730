#pragma once
// Test helper: a OneTrainer-style LoRA (rank 4, alpha 4) on every attention output projection of a Stage C
// file, with values large enough to change an image visibly. The same seed gives the same LoRA.

#include "pipeline/io/safetensors.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace kaskade::test {

inline TensorMap randomAttentionLora(const std::string& stageCFile, std::uint64_t seed = 3)
{
    auto reader = st::Reader::open(stageCFile);
    TensorMap lora;
    at::Generator gen = at::detail::createCPUGenerator(seed);
    const std::string suffix = ".attention.attn.out_proj.weight";
    for (const auto& info : reader->tensors()) {
        if (info.name.size() < suffix.size() ||
            info.name.compare(info.name.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        std::string key = info.name.substr(0, info.name.size() - std::string(".weight").size());
        std::replace(key.begin(), key.end(), '.', '_');
        const auto c = info.shape[0];
        lora["lora_prior_unet_" + key + ".lora_down.weight"] = at::randn({4, c}, gen) * 0.5;
        lora["lora_prior_unet_" + key + ".lora_up.weight"] = at::randn({c, 4}, gen) * 0.5;
        lora["lora_prior_unet_" + key + ".alpha"] = at::full({}, 4.0);
    }
    return lora;
}

} // namespace kaskade::test
