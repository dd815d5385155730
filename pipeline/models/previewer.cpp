#include "pipeline/models/previewer.h"

#include "pipeline/errors.h"

#include <nlohmann/json.hpp>

namespace kaskade::models {

PreviewerConfig PreviewerConfig::fromJson(const nlohmann::json& json)
{
    if (!json.is_object())
        throw Error(ErrorCode::BadFormat, "Previewer config: expected a JSON object");
    PreviewerConfig c;
    auto field = [&](const char* name, std::int64_t& value) {
        auto it = json.find(name);
        if (it == json.end())
            return;
        if (!it->is_number_integer() || it->get<std::int64_t>() <= 0)
            throw Error(ErrorCode::BadFormat,
                        std::string("Previewer config: '") + name + "' must be a positive integer");
        value = it->get<std::int64_t>();
    };
    field("c_in", c.cIn);
    field("c_hidden", c.cHidden);
    field("c_out", c.cOut);
    if (c.cHidden % 4 != 0)
        throw Error(ErrorCode::BadFormat, "Previewer config: 'c_hidden' must be divisible by 4");
    return c;
}

PreviewerImpl::PreviewerImpl(const PreviewerConfig& cfg, const nn::Options& opts) : config(cfg)
{
    const std::int64_t h = config.cHidden;
    blocks = register_module("blocks", nn::Sequential());
    auto gelu = [] { return nn::Placeholder("GELU"); };
    // 16×16 → 16×16
    blocks->add(nn::Conv2d(config.cIn, h, 1, opts));
    blocks->add(gelu());
    blocks->add(nn::BatchNorm2d(h, opts));
    blocks->add(nn::Conv2d(h, h, 3, opts, 1, /*padding=*/1));
    blocks->add(gelu());
    blocks->add(nn::BatchNorm2d(h, opts));
    // → 32×32
    blocks->add(nn::ConvTranspose2d(h, h / 2, 2, opts, /*stride=*/2));
    blocks->add(gelu());
    blocks->add(nn::BatchNorm2d(h / 2, opts));
    blocks->add(nn::Conv2d(h / 2, h / 2, 3, opts, 1, 1));
    blocks->add(gelu());
    blocks->add(nn::BatchNorm2d(h / 2, opts));
    // → 64×64
    blocks->add(nn::ConvTranspose2d(h / 2, h / 4, 2, opts, 2));
    blocks->add(gelu());
    blocks->add(nn::BatchNorm2d(h / 4, opts));
    blocks->add(nn::Conv2d(h / 4, h / 4, 3, opts, 1, 1));
    blocks->add(gelu());
    blocks->add(nn::BatchNorm2d(h / 4, opts));
    // → 128×128
    blocks->add(nn::ConvTranspose2d(h / 4, h / 4, 2, opts, 2));
    blocks->add(gelu());
    blocks->add(nn::BatchNorm2d(h / 4, opts));
    blocks->add(nn::Conv2d(h / 4, h / 4, 3, opts, 1, 1));
    blocks->add(gelu());
    blocks->add(nn::BatchNorm2d(h / 4, opts));
    blocks->add(nn::Conv2d(h / 4, config.cOut, 1, opts));
}

at::Tensor PreviewerImpl::forward(const at::Tensor& latent) const
{
    auto x = latent.to(blocks->at<nn::Conv2dImpl>(0).weight.scalar_type()); // (B,c_in,h,w)
    for (const auto& item : blocks->items) {
        if (auto* conv = dynamic_cast<nn::Conv2dImpl*>(item.get()))
            x = conv->forward(x);
        else if (auto* up = dynamic_cast<nn::ConvTranspose2dImpl*>(item.get()))
            x = up->forward(x); // (B,C',2h,2w)
        else if (auto* bn = dynamic_cast<nn::BatchNorm2dImpl*>(item.get()))
            x = bn->forward(x);
        else
            x = nn::gelu(x); // the placeholders are all GELU
    }
    return x; // (B,c_out,8h,8w)
}

} // namespace kaskade::models
