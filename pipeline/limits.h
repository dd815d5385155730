#pragma once
// The one table of numeric limits. GenerationParams::validate() refuses values outside them, Settings clamps
// stored values into them, the CLI names them in its help and the GUI sets its spin boxes and sliders from
// them, so the four cannot disagree. Defaults are not here: GenerationParams{} holds them (the official
// notebook's). Ranges are inclusive. Torch-free and Qt-free.

#include <span>

namespace kaskade {

struct IntLimit
{
    const char* what; // names the value in messages: "batch size"
    int min;
    int max;
    constexpr bool contains(int value) const { return value >= min && value <= max; }
};

struct RealLimit
{
    const char* what;
    double min;
    double max;
    constexpr bool contains(double value) const { return value >= min && value <= max; } // false for NaN
};

namespace limits {
// 64 px is the smallest size the official pipeline runs (Stage C latent 2×2); 4096 px already needs
// about 40 GB for Stage B at fp32.
inline constexpr IntLimit width{"width", 64, 4096};
inline constexpr IntLimit height{"height", 64, 4096};
inline constexpr IntLimit batch{"batch size", 1, 64};
// LCM wants 2-8 steps, DDPM at most ~100 for a visible gain; 200 leaves room for experiments.
inline constexpr IntLimit steps{"steps", 1, 200};
// Above ~15 Stage C burns out even with the rescale; 30 lets a user see that. 0 switches guidance off.
inline constexpr RealLimit cfg{"CFG scale", 0.0, 30.0};
inline constexpr RealLimit shift{"shift", 0.1, 20.0};
inline constexpr RealLimit cfgRho{"cfg rescale (rho)", 0.0, 1.0};
// ComfyUI's `compression`; 0 (the official rule) is allowed besides this range.
inline constexpr IntLimit compression{"compression", 16, 64};
inline constexpr RealLimit strength{"strength", 0.01, 1.0}; // noise level of an init image
inline constexpr RealLimit controlStrength{"control strength", 0.0, 3.0};
inline constexpr IntLimit outpaint{"outpaint border", 0, 4096};  // pixels on each side
inline constexpr IntLimit inputImageSide{"image side", 8, 8192}; // pictures given to a job
inline constexpr RealLimit loraStrength{"LoRA strength", -2.0, 2.0};
inline constexpr IntLimit threads{"threads", 0, 1024}; // 0 = every physical core

inline constexpr const IntLimit* kIntLimits[] = {&width,       &height,   &batch,          &steps,
                                                 &compression, &outpaint, &inputImageSide, &threads};
inline constexpr const RealLimit* kRealLimits[] = {&cfg, &shift, &cfgRho, &strength, &controlStrength, &loraStrength};
} // namespace limits

} // namespace kaskade
