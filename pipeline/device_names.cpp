// Device names as users write them ("auto", "cpu", "cuda", "cuda:1"): parsing and the texts that list them.
// Kept apart from device.cpp, which asks LibTorch about the hardware: the metadata and parameter readers
// (app/core, and their Torch-free fuzz harnesses in tests/fuzz) need only the names.
#include "pipeline/choices.h"
#include "pipeline/device.h"
#include "pipeline/errors.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace kaskade {

std::optional<DeviceChoice> parseDevice(std::string_view given)
{
    std::string lower(given);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    const std::string_view name = lower;
    constexpr std::string_view cudaPrefix = "cuda:";
    if (name.substr(0, cudaPrefix.size()) == cudaPrefix) {
        const std::string_view digits = name.substr(cudaPrefix.size());
        if (digits.empty() || digits.size() > 3 ||
            !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return std::nullopt;
        return DeviceChoice{DeviceKind::Cuda, std::stoi(std::string(digits))};
    }
    if (const auto kind = choiceFromId<DeviceKind>(name))
        return DeviceChoice{*kind, 0};
    return std::nullopt;
}

std::string deviceIdList()
{
    std::vector<const char*> ids;
    for (const auto& row : choiceTable<DeviceKind>().rows)
        ids.push_back(row.id);
    ids.push_back("cuda:N");
    return joinChoiceIds(ids, "or");
}

DeviceChoice parseDeviceOrThrow(std::string_view name)
{
    if (const auto device = parseDevice(name))
        return *device;
    throw Error(ErrorCode::InvalidArgument,
                "unknown device '" + std::string(name) + "' (expected " + deviceIdList() + ")");
}

std::string deviceId(const DeviceChoice& device)
{
    if (device.kind == DeviceKind::Cuda)
        return "cuda:" + std::to_string(device.index);
    return choiceId(device.kind);
}

} // namespace kaskade
