#pragma once
// Bench entry "lora_train_1b": one LoRA training update (forward + backward of the bigG text encoder and
// Stage C 1B at 512×512, batch 1, rank 4, AdamW step) with random weights, fp32. Torch-free header.

#include <functional>
#include <string>

namespace kaskade::training {

// Returns the report line (time per update, peak RSS); progress lines go to `out`.
std::string benchLoraTraining(const std::string& device, int repeats, int warmup,
                              const std::function<void(const std::string&)>& out);

} // namespace kaskade::training
