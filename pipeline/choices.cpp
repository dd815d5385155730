#include "pipeline/choices.h"

#include "pipeline/errors.h"

#include <cctype>

namespace kaskade {
namespace {

constexpr Choice<SamplerKind> kSamplers[] = {
#define KASKADE_SAMPLER(enumerator, id, label, aliases, a1111, comfyUi, factory)                                       \
    {SamplerKind::enumerator, id, label, aliases, a1111, comfyUi},
#include "pipeline/sampling/sampler_table.def"
#undef KASKADE_SAMPLER
};

constexpr Choice<DeviceKind> kDeviceKinds[] = {
    {DeviceKind::Auto, "auto", KASKADE_TRANSLATABLE("kaskade::Choices", "Automatic (GPU if available)")},
    {DeviceKind::Cpu, "cpu", KASKADE_TRANSLATABLE("kaskade::Choices", "CPU")},
    {DeviceKind::Cuda, "cuda", KASKADE_TRANSLATABLE("kaskade::Choices", "CUDA GPU")},
};

constexpr Choice<Precision> kPrecisions[] = {
    {Precision::Auto, "auto",
     KASKADE_TRANSLATABLE("kaskade::Choices", "Automatic (bf16 on CUDA and on CPUs with native bf16, else fp32)")},
    {Precision::Fp32, "fp32", KASKADE_TRANSLATABLE("kaskade::Choices", "fp32"), "float32 float"},
    {Precision::Bf16, "bf16", KASKADE_TRANSLATABLE("kaskade::Choices", "bf16"), "bfloat16"},
    {Precision::Fp16, "fp16", KASKADE_TRANSLATABLE("kaskade::Choices", "fp16"), "float16 half"},
};

constexpr Choice<Residency> kResidencies[] = {
    {Residency::Auto, "auto", KASKADE_TRANSLATABLE("kaskade::Choices", "Automatic (by free memory)")},
    {Residency::AllResident, "all", KASKADE_TRANSLATABLE("kaskade::Choices", "Keep every stage loaded")},
    {Residency::OneStageAtATime, "sequential", KASKADE_TRANSLATABLE("kaskade::Choices", "One stage at a time")},
};

constexpr Choice<ControlKind> kControlKinds[] = {
    {ControlKind::Canny, "canny", KASKADE_TRANSLATABLE("kaskade::Choices", "Canny edges")},
    {ControlKind::Inpaint, "inpaint", KASKADE_TRANSLATABLE("kaskade::Choices", "Inpainting / outpainting"),
     "inpainting"},
    {ControlKind::SuperResolution, "sr", KASKADE_TRANSLATABLE("kaskade::Choices", "Super-resolution ×2"),
     "super_resolution super-resolution"},
};

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

} // namespace

template <> const ChoiceTable<SamplerKind>& choiceTable<SamplerKind>()
{
    static const ChoiceTable<SamplerKind> table{"sampler", kSamplers};
    return table;
}
template <> const ChoiceTable<DeviceKind>& choiceTable<DeviceKind>()
{
    static const ChoiceTable<DeviceKind> table{"device", kDeviceKinds};
    return table;
}
template <> const ChoiceTable<Precision>& choiceTable<Precision>()
{
    static const ChoiceTable<Precision> table{"precision", kPrecisions};
    return table;
}
template <> const ChoiceTable<Residency>& choiceTable<Residency>()
{
    static const ChoiceTable<Residency> table{"residency", kResidencies};
    return table;
}
template <> const ChoiceTable<ControlKind>& choiceTable<ControlKind>()
{
    static const ChoiceTable<ControlKind> table{"ControlNet type", kControlKinds};
    return table;
}

bool matchesChoiceName(std::string_view name, const char* id, const char* aliases)
{
    if (equalsIgnoringCase(name, id))
        return true;
    for (std::string_view rest = aliases ? aliases : ""; !rest.empty();) {
        const auto space = rest.find(' ');
        if (equalsIgnoringCase(name, rest.substr(0, space)))
            return true;
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    }
    return false;
}

std::string joinChoiceIds(std::span<const char* const> ids, const char* conjunction)
{
    std::string text;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i > 0)
            text += i + 1 == ids.size() ? std::string(" ") + conjunction + " " : std::string(", ");
        text += ids[i];
    }
    return text;
}

void throwUnknownChoice(const char* what, std::string_view name, const std::string& expected)
{
    throw Error(ErrorCode::InvalidArgument,
                "unknown " + std::string(what) + " '" + std::string(name) + "' (expected " + expected + ")");
}

std::optional<SamplerKind> samplerFromForeignName(std::string_view name)
{
    for (const Choice<SamplerKind>& row : kSamplers)
        if (equalsIgnoringCase(name, row.a1111) || equalsIgnoringCase(name, row.comfyUi) ||
            matchesChoiceName(name, row.id, row.aliases))
            return row.value;
    return std::nullopt;
}

} // namespace kaskade
