#pragma once
// Every enumerated choice the user makes (sampler, device kind, precision, residency, ControlNet type) as one
// table each: the id the CLI, the settings and the image metadata use, the English label the GUI shows, and
// for samplers the names other apps write. CLI help, error messages, settings validation and combo boxes are
// all generated from these rows, so adding a choice is adding a row. Torch-free and Qt-free.

#include "pipeline/models/control_kind.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Marks a label for translation without a Qt dependency: lupdate reads it as QT_TRANSLATE_NOOP (see
// -tr-function-alias in app/CMakeLists.txt) and ui/ translates it with choiceLabel() (ui/choice_combo.h).
#define KASKADE_TRANSLATABLE(context, text) text

namespace kaskade {

// The lupdate context of every KASKADE_TRANSLATABLE label in the tables.
inline constexpr const char* kChoiceLabelContext = "kaskade::Choices";

// Samplers of the GDF schedule: the table is pipeline/sampling/sampler_table.def, the step maths of each in
// pipeline/sampling/.
enum class SamplerKind {
#define KASKADE_SAMPLER(enumerator, ...) enumerator,
#include "pipeline/sampling/sampler_table.def"
#undef KASKADE_SAMPLER
};
enum class DeviceKind { Auto, Cpu, Cuda };
enum class Precision { Auto, Fp32, Bf16, Fp16 };
enum class Residency { Auto, AllResident, OneStageAtATime };

template <class E> struct Choice
{
    E value;
    const char* id;                // CLI / settings / metadata: "ddpm"
    const char* label;             // English GUI text, marked with KASKADE_TRANSLATABLE
    const char* aliases = nullptr; // other accepted ids, space-separated ("float32")
    const char* a1111 = nullptr;   // the name A1111 writes in its "Sampler:" field
    const char* comfyUi = nullptr; // ComfyUI's KSampler sampler_name
};

template <class E> struct ChoiceTable
{
    const char* what; // "sampler": names the choice in messages
    std::span<const Choice<E>> rows;
};

template <class E> const ChoiceTable<E>& choiceTable();
template <> const ChoiceTable<SamplerKind>& choiceTable<SamplerKind>();
template <> const ChoiceTable<DeviceKind>& choiceTable<DeviceKind>();
template <> const ChoiceTable<Precision>& choiceTable<Precision>();
template <> const ChoiceTable<Residency>& choiceTable<Residency>();
template <> const ChoiceTable<ControlKind>& choiceTable<ControlKind>();

template <class E> const Choice<E>& choiceOf(E value)
{
    for (const Choice<E>& row : choiceTable<E>().rows)
        if (row.value == value)
            return row;
    return choiceTable<E>().rows.front(); // unreachable while every enumerator has a row (tests check it)
}

template <class E> const char* choiceId(E value)
{
    return choiceOf(value).id;
}

bool matchesChoiceName(std::string_view name, const char* id, const char* aliases); // ASCII case-insensitive

// The row whose id or alias is `name` (case-insensitive); nullopt otherwise.
template <class E> std::optional<E> choiceFromId(std::string_view name)
{
    for (const Choice<E>& row : choiceTable<E>().rows)
        if (matchesChoiceName(name, row.id, row.aliases))
            return row.value;
    return std::nullopt;
}

std::string joinChoiceIds(std::span<const char* const> ids, const char* conjunction);

// "ddpm, ddim, lcm or dpmpp_2m": for help texts and messages.
template <class E> std::string choiceIdList(const char* conjunction = "or")
{
    std::vector<const char*> ids;
    for (const Choice<E>& row : choiceTable<E>().rows)
        ids.push_back(row.id);
    return joinChoiceIds(ids, conjunction);
}

// choiceFromId that throws Error(InvalidArgument): "unknown sampler 'x' (expected ddpm, ddim, lcm or dpmpp_2m)".
[[noreturn]] void throwUnknownChoice(const char* what, std::string_view name, const std::string& expected);
template <class E> E parseChoice(std::string_view name)
{
    if (const auto value = choiceFromId<E>(name))
        return *value;
    throwUnknownChoice(choiceTable<E>().what, name, choiceIdList<E>());
}

// Samplers as other apps name them (A1111 "DPM++ 2M", ComfyUI "dpmpp_2m"), case-insensitive.
std::optional<SamplerKind> samplerFromForeignName(std::string_view name);

// Shorthands kept for readability at call sites.
inline const char* samplerName(SamplerKind kind)
{
    return choiceId(kind);
}
inline const char* residencyName(Residency residency)
{
    return choiceId(residency);
}
inline const char* precisionName(Precision precision)
{
    return choiceId(precision);
}

} // namespace kaskade
