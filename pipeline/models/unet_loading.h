#pragma once
// What loadStageC (stage_c.cpp) and loadStageB (stage_b.cpp) share: the configuration detected from the
// checkpoint's shapes, or a cascade.json "args" object applied on top of it; then the module, loaded
// strictly, in eval mode. UNetTraits name each stage's own pieces.

#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/models/unet_config.h"

#include <ATen/core/TensorBody.h>
#include <nlohmann/json.hpp>

#include <string>

namespace kaskade::models {

template <typename Config> struct UNetTraits;

template <> struct UNetTraits<StageCConfig>
{
    static constexpr const char* key = "stage_c"; // cascade.json
    static constexpr const char* label = "Stage C";
    static constexpr auto detect = detectStageCConfig;
    static constexpr auto fromJson = stageCConfigFromJson;
    static constexpr auto checkDtype = checkStageCDtype;
};

template <> struct UNetTraits<StageBConfig>
{
    static constexpr const char* key = "stage_b";
    static constexpr const char* label = "Stage B";
    static constexpr auto detect = detectStageBConfig;
    static constexpr auto fromJson = stageBConfigFromJson;
    static constexpr auto checkDtype = checkStageBDtype;
};

template <typename Module, typename Config>
Module loadUNet(const TensorMap& weights, const std::string& source, const at::TensorOptions& options,
                const nlohmann::json* args)
{
    using Traits = UNetTraits<Config>;
    Traits::checkDtype(options.dtype().toScalarType());
    Config config;
    if (args) {
        Config base;
        try {
            base = Traits::detect(weights, source);
        } catch (const Error&) {
            // Unknown shapes: the args describe the model on top of the class defaults.
        }
        config = Traits::fromJson(*args, source + " (cascade.json " + Traits::key + " args)", base);
    } else {
        config = Traits::detect(weights, source);
    }
    Module model(config, options);
    loadStateDict(*model, weights,
                  source + ": expected a " + Traits::label + " " + variantName(config) + " checkpoint");
    model->eval();
    return model;
}

} // namespace kaskade::models
