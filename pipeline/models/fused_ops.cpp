#include "pipeline/models/fused_ops.h"

#include "pipeline/runtime/torch_compat.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

// The loops below are plain C++ that GCC vectorises; on x86-64 each is also compiled for AVX2 and
// AVX-512 and the best one is picked at load time (the baseline target has only SSE2).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define FUSED_CLONES __attribute__((target_clones("default", "avx2", "avx512f")))
#else
#define FUSED_CLONES
#endif
#define FUSED_INLINE inline __attribute__((always_inline))

namespace kaskade::fused {
namespace {

using Bf16Bits = std::uint16_t; // raw bfloat16: the high half of a float32

FUSED_INLINE float fusedLoad(float v)
{
    return v;
}
FUSED_INLINE float fusedLoad(Bf16Bits v)
{
    const std::uint32_t bits = std::uint32_t(v) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}
FUSED_INLINE void fusedStore(float& dst, float v)
{
    dst = v;
}
// Round to nearest even, NaN stays NaN: the same rounding as c10::BFloat16(float).
FUSED_INLINE void fusedStore(Bf16Bits& dst, float v)
{
    std::uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    bits = (bits & 0x7fffffffu) > 0x7f800000u ? 0x7fc00000u : bits + 0x7fffu + ((bits >> 16) & 1u);
    dst = static_cast<Bf16Bits>(bits >> 16);
}

// Sums in 16 independent lanes so that the compiler may vectorise without reassociating.
template <typename In, typename F> FUSED_INLINE float fusedLaneSum(const In* x, std::int64_t n, F f)
{
    float lanes[16] = {};
    std::int64_t j = 0;
    for (; j + 16 <= n; j += 16)
        for (int k = 0; k < 16; ++k)
            lanes[k] += f(fusedLoad(x[j + k]));
    float sum = 0;
    for (; j < n; ++j)
        sum += f(fusedLoad(x[j]));
    for (int k = 0; k < 16; ++k)
        sum += lanes[k];
    return sum;
}

template <typename In, typename Out>
FUSED_INLINE void fusedLayerNormRows(const In* x, Out* y, std::int64_t rows, std::int64_t c, float eps)
{
    for (std::int64_t r = 0; r < rows; ++r) {
        const In* xr = x + r * c;
        Out* yr = y + r * c;
        const float mean = fusedLaneSum(xr, c, [](float v) { return v; }) / static_cast<float>(c);
        const float var =
            fusedLaneSum(xr, c, [mean](float v) { return (v - mean) * (v - mean); }) / static_cast<float>(c);
        const float rstd = 1.0f / std::sqrt(var + eps);
        for (std::int64_t j = 0; j < c; ++j)
            fusedStore(yr[j], (fusedLoad(xr[j]) - mean) * rstd);
    }
}

// acc[c] += x[r][c]² over rows, in double: the sums run over up to 128×128 pixels.
template <typename In> FUSED_INLINE void fusedSumSquares(const In* x, double* acc, std::int64_t rows, std::int64_t c)
{
    for (std::int64_t r = 0; r < rows; ++r) {
        const In* xr = x + r * c;
        for (std::int64_t j = 0; j < c; ++j) {
            const double v = fusedLoad(xr[j]);
            acc[j] += v * v;
        }
    }
}

// y = gamma·(x·n) + beta + x per channel, in the official order of operations.
template <typename In, typename Out>
FUSED_INLINE void fusedGrnApply(const In* x, Out* y, const float* gamma, const float* beta, const float* n,
                                std::int64_t rows, std::int64_t c)
{
    for (std::int64_t r = 0; r < rows; ++r) {
        const In* xr = x + r * c;
        Out* yr = y + r * c;
        for (std::int64_t j = 0; j < c; ++j) {
            const float v = fusedLoad(xr[j]);
            fusedStore(yr[j], gamma[j] * (v * n[j]) + beta[j] + v);
        }
    }
}

// Non-template entry points, one per dtype pair (target_clones needs plain functions).
#define FUSED_LN(NAME, IN, OUT)                                                                                        \
    FUSED_CLONES void NAME(const IN* x, OUT* y, std::int64_t rows, std::int64_t c, float eps)                          \
    {                                                                                                                  \
        fusedLayerNormRows(x, y, rows, c, eps);                                                                        \
    }
FUSED_LN(fusedLnF32F32, float, float)
FUSED_LN(fusedLnF32Bf16, float, Bf16Bits)
FUSED_LN(fusedLnBf16F32, Bf16Bits, float)
FUSED_LN(fusedLnBf16Bf16, Bf16Bits, Bf16Bits)
#undef FUSED_LN

FUSED_CLONES void fusedSumSqF32(const float* x, double* acc, std::int64_t rows, std::int64_t c)
{
    fusedSumSquares(x, acc, rows, c);
}
FUSED_CLONES void fusedSumSqBf16(const Bf16Bits* x, double* acc, std::int64_t rows, std::int64_t c)
{
    fusedSumSquares(x, acc, rows, c);
}

#define FUSED_GRN(NAME, IN, OUT)                                                                                       \
    FUSED_CLONES void NAME(const IN* x, OUT* y, const float* g, const float* b, const float* n, std::int64_t rows,     \
                           std::int64_t c)                                                                             \
    {                                                                                                                  \
        fusedGrnApply(x, y, g, b, n, rows, c);                                                                         \
    }
FUSED_GRN(fusedGrnF32F32, float, float)
FUSED_GRN(fusedGrnF32Bf16, float, Bf16Bits)
FUSED_GRN(fusedGrnBf16F32, Bf16Bits, float)
FUSED_GRN(fusedGrnBf16Bf16, Bf16Bits, Bf16Bits)
#undef FUSED_GRN

// exp(x) for x <= 0 (softmax arguments after the max is subtracted): Cephes' expf polynomial after
// reduction by ln 2, about 1 ulp, written so that the compiler vectorises it (std::exp is a libm call).
FUSED_INLINE float fusedExpNonPositive(float x)
{
    x = x < -87.0f ? -87.0f : x;
    const float n = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
    const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

// In-place softmax(scale · row) of `rows` rows of length n, fp32 math; `buffer` holds n floats.
template <typename T>
FUSED_INLINE void fusedSoftmaxRows(T* s, std::int64_t rows, std::int64_t n, float scale, float* buffer)
{
    for (std::int64_t r = 0; r < rows; ++r) {
        T* row = s + r * n;
        float lanes[16];
        for (int k = 0; k < 16; ++k)
            lanes[k] = -3.0e38f;
        std::int64_t j = 0;
        for (; j + 16 <= n; j += 16)
            for (int k = 0; k < 16; ++k) {
                const float v = fusedLoad(row[j + k]);
                lanes[k] = v > lanes[k] ? v : lanes[k];
            }
        float max = -3.0e38f;
        for (; j < n; ++j)
            max = std::max(max, fusedLoad(row[j]));
        for (int k = 0; k < 16; ++k)
            max = std::max(max, lanes[k]);
        for (std::int64_t i = 0; i < n; ++i)
            buffer[i] = fusedExpNonPositive((fusedLoad(row[i]) - max) * scale);
        const float inverse = 1.0f / fusedLaneSum(buffer, n, [](float v) { return v; });
        for (std::int64_t i = 0; i < n; ++i)
            fusedStore(row[i], buffer[i] * inverse);
    }
}

FUSED_CLONES void fusedSoftmaxF32(float* s, std::int64_t rows, std::int64_t n, float scale, float* buffer)
{
    fusedSoftmaxRows(s, rows, n, scale, buffer);
}
FUSED_CLONES void fusedSoftmaxBf16(Bf16Bits* s, std::int64_t rows, std::int64_t n, float scale, float* buffer)
{
    fusedSoftmaxRows(s, rows, n, scale, buffer);
}

FUSED_CLONES void fusedAddBf16(const float* x, const Bf16Bits* h, float* y, std::int64_t n)
{
    for (std::int64_t i = 0; i < n; ++i)
        y[i] = x[i] + fusedLoad(h[i]);
}
FUSED_CLONES void fusedAddF32(const float* x, const float* h, float* y, std::int64_t n)
{
    for (std::int64_t i = 0; i < n; ++i)
        y[i] = x[i] + h[i];
}

bool isBf16(const at::Tensor& t)
{
    return t.scalar_type() == at::kBFloat16;
}

template <typename T> T* fusedData(const at::Tensor& t)
{
    return static_cast<T*>(t.data_ptr());
}

// Rows per parallel task: about 64 KiB of input.
std::int64_t fusedGrain(std::int64_t c)
{
    return std::max<std::int64_t>(1, 32768 / std::max<std::int64_t>(1, c));
}

} // namespace

bool enabled()
{
    static const bool on = [] {
        const char* env = std::getenv("KASKADE_FUSED");
        return !(env && std::string(env) == "0");
    }();
    return on;
}

bool usable(const at::Tensor& x)
{
    return enabled() && x.defined() && !c10::GradMode::is_enabled() && x.device().is_cpu() &&
           (x.scalar_type() == at::kFloat || x.scalar_type() == at::kBFloat16) && x.dim() >= 1 && x.numel() > 0;
}

at::Tensor layerNormLastDim(const at::Tensor& input, double eps, at::ScalarType outType)
{
    const auto x = input.contiguous();
    const std::int64_t c = x.size(-1), rows = x.numel() / c;
    auto y = at::empty(x.sizes(), x.options().dtype(outType));
    const bool in16 = isBf16(x), out16 = outType == at::kBFloat16;
    const auto e = static_cast<float>(eps);
    at::parallel_for(0, rows, fusedGrain(c), [&](std::int64_t begin, std::int64_t end) {
        const std::int64_t n = end - begin, at = begin * c;
        if (in16 && out16)
            fusedLnBf16Bf16(fusedData<Bf16Bits>(x) + at, fusedData<Bf16Bits>(y) + at, n, c, e);
        else if (in16)
            fusedLnBf16F32(fusedData<Bf16Bits>(x) + at, fusedData<float>(y) + at, n, c, e);
        else if (out16)
            fusedLnF32Bf16(fusedData<float>(x) + at, fusedData<Bf16Bits>(y) + at, n, c, e);
        else
            fusedLnF32F32(fusedData<float>(x) + at, fusedData<float>(y) + at, n, c, e);
    });
    return y;
}

at::Tensor globalResponseNorm(const at::Tensor& input, const at::Tensor& gamma, const at::Tensor& beta, double eps,
                              at::ScalarType outType)
{
    const auto x = input.contiguous();
    const std::int64_t b = x.size(0), c = x.size(-1), hw = x.numel() / (b * c);
    const bool in16 = isBf16(x), out16 = outType == at::kBFloat16;

    // Pass 1: per-thread partial sums of squares over contiguous row ranges, reduced per image.
    const std::int64_t parts = std::max<std::int64_t>(1, std::min<std::int64_t>(at::get_num_threads(), hw));
    std::vector<double> partial(static_cast<std::size_t>(b * parts * c), 0.0);
    at::parallel_for(0, b * parts, 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t task = begin; task < end; ++task) {
            const std::int64_t image = task / parts, part = task % parts;
            const std::int64_t r0 = hw * part / parts, r1 = hw * (part + 1) / parts;
            double* acc = partial.data() + task * c;
            const std::int64_t at = (image * hw + r0) * c;
            if (in16)
                fusedSumSqBf16(fusedData<Bf16Bits>(x) + at, acc, r1 - r0, c);
            else
                fusedSumSqF32(fusedData<float>(x) + at, acc, r1 - r0, c);
        }
    });
    // Nx = Gx / (mean_C Gx + eps), Gx = sqrt(sum of squares), in float like the official fp32 tensors.
    std::vector<float> nx(static_cast<std::size_t>(b * c));
    for (std::int64_t image = 0; image < b; ++image) {
        double mean = 0;
        float* n = nx.data() + image * c;
        for (std::int64_t j = 0; j < c; ++j) {
            double s = 0;
            for (std::int64_t part = 0; part < parts; ++part)
                s += partial[static_cast<std::size_t>((image * parts + part) * c + j)];
            n[j] = static_cast<float>(std::sqrt(s));
            mean += n[j];
        }
        const float denominator = static_cast<float>(mean / static_cast<double>(c)) + static_cast<float>(eps);
        for (std::int64_t j = 0; j < c; ++j)
            n[j] /= denominator;
    }
    const auto g = gamma.reshape({c}).to(at::kFloat).contiguous(), be = beta.reshape({c}).to(at::kFloat).contiguous();

    // Pass 2: the affine response, written once in the output dtype.
    auto y = at::empty(x.sizes(), x.options().dtype(outType));
    at::parallel_for(0, b * hw, fusedGrain(c), [&](std::int64_t begin, std::int64_t end) {
        while (begin < end) {
            const std::int64_t image = begin / hw, stop = std::min(end, (image + 1) * hw), at = begin * c;
            const float* n = nx.data() + image * c;
            const float *gp = g.data_ptr<float>(), *bp = be.data_ptr<float>();
            if (in16 && out16)
                fusedGrnBf16Bf16(fusedData<Bf16Bits>(x) + at, fusedData<Bf16Bits>(y) + at, gp, bp, n, stop - begin, c);
            else if (in16)
                fusedGrnBf16F32(fusedData<Bf16Bits>(x) + at, fusedData<float>(y) + at, gp, bp, n, stop - begin, c);
            else if (out16)
                fusedGrnF32Bf16(fusedData<float>(x) + at, fusedData<Bf16Bits>(y) + at, gp, bp, n, stop - begin, c);
            else
                fusedGrnF32F32(fusedData<float>(x) + at, fusedData<float>(y) + at, gp, bp, n, stop - begin, c);
            begin = stop;
        }
    });
    return y;
}

at::Tensor residualAdd(const at::Tensor& x, const at::Tensor& branch)
{
    if (!usable(x) || !usable(branch) || x.scalar_type() != at::kFloat || x.dim() != 4 || branch.dim() != 4 ||
        !x.is_contiguous(at::MemoryFormat::ChannelsLast) || !branch.is_contiguous() || x.size(0) != branch.size(0) ||
        x.size(1) != branch.size(3) || x.size(2) != branch.size(1) || x.size(3) != branch.size(2))
        return {};
    auto y = at::empty_like(x); // channels-last like x: same element order as the NHWC branch
    const float* xp = x.data_ptr<float>();
    float* yp = y.data_ptr<float>();
    const bool b16 = isBf16(branch);
    at::parallel_for(0, x.numel(), 65536, [&](std::int64_t begin, std::int64_t end) {
        if (b16)
            fusedAddBf16(xp + begin, fusedData<Bf16Bits>(branch) + begin, yp + begin, end - begin);
        else
            fusedAddF32(xp + begin, fusedData<float>(branch) + begin, yp + begin, end - begin);
    });
    return y;
}

at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v)
{
    // Opt-in ($KASKADE_FUSED_ATTN=1): measured on a quiet 2-core AVX512-BF16 CPU (no AMX), LibTorch's SDPA
    // was faster (Stage C 1B step 15.3 s vs 18.0 s, Stage B 700M 30.8 s vs 37.8 s, bf16, 1024²).
    static const bool chunked = [] {
        const char* env = std::getenv("KASKADE_FUSED_ATTN");
        return env && std::string(env) == "1";
    }();
    if (!chunked || !usable(q))
        return compat::scaledDotProductAttention(q, k, v);
    const std::int64_t lq = q.size(-2), lk = k.size(-2), d = q.size(-1);
    const auto qf = q.reshape({-1, lq, d}).contiguous(), kf = k.reshape({-1, lk, d}).contiguous(),
               vf = v.reshape({-1, lk, v.size(-1)});
    const std::int64_t n = qf.size(0);
    auto out = at::empty({n, lq, vf.size(-1)}, q.options());
    const auto scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(d)));
    const bool b16 = isBf16(q);
    // One head at a time: its score matrix stays in the CPU caches between the three steps, and LibTorch
    // 1.13's 2-D bf16 mm with a transposed right operand takes the oneDNN path, where its bf16 bmm is
    // several times slower. The softmax (scale folded in) runs in place in fp32 arithmetic.
    for (std::int64_t i = 0; i < n; ++i) {
        auto scores = at::mm(qf[i], kf[i].t()); // (Lq,Lk)
        at::parallel_for(0, lq, 16, [&](std::int64_t r0, std::int64_t r1) {
            std::vector<float> buffer(static_cast<std::size_t>(lk));
            if (b16)
                fusedSoftmaxBf16(fusedData<Bf16Bits>(scores) + r0 * lk, r1 - r0, lk, scale, buffer.data());
            else
                fusedSoftmaxF32(fusedData<float>(scores) + r0 * lk, r1 - r0, lk, scale, buffer.data());
        });
        out[i].copy_(at::mm(scores, vf[i]));
    }
    auto sizes = q.sizes().vec();
    sizes.back() = v.size(-1);
    return out.view(sizes);
}

} // namespace kaskade::fused
