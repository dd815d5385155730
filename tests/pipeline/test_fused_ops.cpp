// The fused inference kernels (pipeline/models/fused_ops) and the CPU caching allocator against the ATen
// compositions they replace: fp32 to rounding noise, bf16 to one bf16 rounding of the fp32 result;
// channels-last activations through a ResBlock / AttnBlock / Stage B upscaler give the NCHW result; a
// zero-copy loaded module shares the file's memory and still accepts in-place (LoRA) writes.
#include "pipeline/io/safetensors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/models/common_blocks.h"
#include "pipeline/models/fused_ops.h"
#include "pipeline/runtime/cpu_allocator.h"
#include "pipeline/runtime/torch_compat.h"

#include <QtTest/QtTest>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <filesystem>

using namespace kaskade;
using namespace kaskade::models;

namespace {

double relL2(const at::Tensor& a, const at::Tensor& e)
{
    const auto ad = a.to(at::kDouble), ed = e.to(at::kDouble);
    return ((ad - ed).norm() / ed.norm()).item<double>();
}

double maxAbs(const at::Tensor& a, const at::Tensor& e)
{
    return (a.to(at::kDouble) - e.to(at::kDouble)).abs().max().item<double>();
}

// The official GlobalResponseNorm on an fp32 NHWC tensor.
at::Tensor referenceGrn(const at::Tensor& x, const at::Tensor& gamma, const at::Tensor& beta)
{
    const auto gx = at::norm(x, 2, {1, 2}, true);
    const auto nx = gx / (gx.mean({-1}, true) + 1e-6);
    return gamma.view({1, 1, 1, -1}) * (x * nx) + beta.view({1, 1, 1, -1}) + x;
}

} // namespace

class TestFusedOps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void layerNormMatchesAten()
    {
        c10::InferenceMode inference;
        const auto x = at::randn({2, 7, 5, 96}) * 3 + 1;
        const auto expected = at::layer_norm(x, {96}, {}, {}, 1e-6);
        QVERIFY(relL2(fused::layerNormLastDim(x, 1e-6, at::kFloat), expected) < 1e-6);
        // bf16 in, bf16 out: exactly the fp32 LayerNorm of the bf16 values, rounded once.
        const auto xb = x.to(at::kBFloat16);
        const auto expectedB = at::layer_norm(xb.to(at::kFloat), {96}, {}, {}, 1e-6).to(at::kBFloat16);
        const auto got = fused::layerNormLastDim(xb, 1e-6, at::kBFloat16);
        QCOMPARE(got.scalar_type(), at::kBFloat16);
        QVERIFY(maxAbs(got, expectedB) <= 2 * std::ldexp(1.0, -8) * expectedB.abs().max().item<double>());
        QVERIFY(got.ne(expectedB).to(at::kFloat).mean().item<double>() < 0.01); // differs only at ties
        // A wrong epsilon or a missing mean subtraction must show.
        QVERIFY(relL2(fused::layerNormLastDim(x, 1e-6, at::kFloat), at::layer_norm(x, {96}, {}, {}, 1.0)) > 1e-3);
    }

    void globalResponseNormMatchesOfficial()
    {
        c10::InferenceMode inference;
        const auto x = at::randn({2, 9, 11, 64});
        const auto gamma = at::randn({64}), beta = at::randn({64});
        const auto expected = referenceGrn(x, gamma, beta);
        QVERIFY(relL2(fused::globalResponseNorm(x, gamma, beta, 1e-6, at::kFloat), expected) < 1e-6);
        const auto xb = x.to(at::kBFloat16);
        const auto expectedB = referenceGrn(xb.to(at::kFloat), gamma.to(at::kBFloat16).to(at::kFloat),
                                            beta.to(at::kBFloat16).to(at::kFloat));
        const auto got =
            fused::globalResponseNorm(xb, gamma.to(at::kBFloat16), beta.to(at::kBFloat16), 1e-6, at::kBFloat16);
        QVERIFY(relL2(got, expectedB) < 4e-3); // one bf16 rounding
        // The statistics are per image: swapping the images must swap the outputs.
        const auto swapped = fused::globalResponseNorm(x.flip(0), gamma, beta, 1e-6, at::kFloat);
        QVERIFY(relL2(swapped.flip(0), expected) < 1e-6);
        QVERIFY(relL2(swapped, expected) > 1e-2);
    }

    void residualAddAndAttention()
    {
        c10::InferenceMode inference;
        const auto x = at::randn({2, 32, 6, 5}).contiguous(at::MemoryFormat::ChannelsLast);
        const auto branch = at::randn({2, 6, 5, 32}).to(at::kBFloat16);
        const auto sum = fused::residualAdd(x, branch);
        QVERIFY(sum.defined());
        QVERIFY(sum.is_contiguous(at::MemoryFormat::ChannelsLast));
        QCOMPARE(maxAbs(sum, x + branch.permute({0, 3, 1, 2})), 0.0);
        QVERIFY(!fused::residualAdd(x.contiguous(), branch).defined()); // NCHW: the caller adds

        const auto q = at::randn({2, 3, 40, 16}), k = at::randn({2, 3, 45, 16}), v = at::randn({2, 3, 45, 16});
        const auto expected = at::softmax(at::matmul(q, k.transpose(-2, -1)) / 4.0, -1).matmul(v);
        QVERIFY(relL2(fused::attention(q, k, v), expected) < 1e-6);
        QVERIFY(relL2(fused::attention(q, v, k), expected) > 1e-2);
    }

    void channelsLastBlocksMatchNchw()
    {
        c10::InferenceMode inference;
        const auto opts = at::TensorOptions().dtype(at::kFloat);
        models::ResBlock res(16, 8, 3, opts);
        models::AttnBlock attn(16, 12, 2, true, opts);
        for (auto* m : {static_cast<torch::nn::Module*>(res.get()), static_cast<torch::nn::Module*>(attn.get())})
            for (auto& p : m->parameters(true))
                p.normal_(0, 0.3);
        const auto x = at::randn({2, 16, 6, 7}), skip = at::randn({2, 8, 6, 7});
        const auto xl = x.contiguous(at::MemoryFormat::ChannelsLast);
        const auto expected = res->forward(x, skip);
        const auto got = res->forward(xl, skip.contiguous(at::MemoryFormat::ChannelsLast));
        QVERIFY(got.is_contiguous(at::MemoryFormat::ChannelsLast));
        QVERIFY(relL2(got, expected) < 1e-6);

        const auto kv = attn->mapCondition(at::randn({2, 4, 12}));
        QVERIFY(relL2(attn->forward(xl, kv), attn->forward(x, kv)) < 1e-6);

        // Stage B's upscaler (kernel 2 = stride 2) as a matmul with a channels-last result.
        nn::ConvTranspose2d up(16, 8, 2, opts, 2);
        up->weight.normal_();
        up->bias.normal_();
        const auto upGot = models::convTranspose(*up, xl);
        QVERIFY(upGot.is_contiguous(at::MemoryFormat::ChannelsLast));
        QVERIFY(relL2(upGot, at::conv_transpose2d(x, up->weight, up->bias, {2, 2})) < 1e-6);
    }

    void cachingAllocatorReusesBlocks()
    {
        QVERIFY(installCpuCachingAllocator() || qgetenv("KASKADE_CPU_CACHE") == "0");
        if (qgetenv("KASKADE_CPU_CACHE") == "0")
            QSKIP("KASKADE_CPU_CACHE=0");
        releaseCpuCache();
        const auto before = cpuCacheStats();
        for (int i = 0; i < 3; ++i) {
            auto t = at::empty({3 << 20}); // 12 MiB: cached size class
            t.fill_(i);
            QCOMPARE(t[12345].item<float>(), float(i));
        }
        const auto after = cpuCacheStats();
        QCOMPARE(after.misses - before.misses, std::uint64_t(1)); // mapped once, then reused
        QCOMPARE(after.hits - before.hits, std::uint64_t(2));
        QVERIFY(after.cachedBytes >= (std::uint64_t(12) << 20));
        // Best fit: the free 12 MiB block serves a 6 MiB request (at least half its size) but not 4 MiB.
        {
            auto half = at::empty({(6 << 20) / 4});
            QCOMPARE(cpuCacheStats().hits - after.hits, std::uint64_t(1));
            auto quarter = at::empty({(4 << 20) / 4});
            QCOMPARE(cpuCacheStats().misses - after.misses, std::uint64_t(1));
        }
        releaseCpuCache();
        QCOMPARE(cpuCacheStats().cachedBytes, std::uint64_t(0));
    }

    void zeroCopyLoadSharesFileMemory()
    {
        c10::InferenceMode inference;
        const auto file = std::filesystem::temp_directory_path() / "kaskade_test_zero_copy.safetensors";
        const auto weight = at::randn({8, 4}), bias = at::randn({8});
        st::write(file, {{"weight", weight}, {"bias", bias}});
        nn::Linear layer(4, 8, true, at::TensorOptions().dtype(at::kFloat));
        {
            auto reader = st::Reader::open(file);
            const auto tensors = reader->loadAll();
            loadStateDict(*layer, tensors, "test");
            QCOMPARE(layer->weight.data_ptr(), tensors.at("weight").data_ptr()); // no copy
        }
        QCOMPARE(maxAbs(layer->weight, weight), 0.0); // the mapping outlives the reader
        layer->weight.add_(1.0);                      // copy-on-write: a LoRA merge must work
        QCOMPARE(maxAbs(layer->weight, weight + 1), 0.0);
        auto again = st::Reader::open(file)->tensor("weight"); // the file is unchanged
        QCOMPARE(maxAbs(again, weight), 0.0);
        // A different dtype is converted (copied), not shared.
        nn::Linear half(4, 8, true, at::TensorOptions().dtype(at::kBFloat16));
        loadStateDict(*half, st::Reader::open(file)->loadAll(), "test");
        QCOMPARE(half->weight.scalar_type(), at::kBFloat16);
        QVERIFY(maxAbs(half->weight, weight) < 0.05);
        std::filesystem::remove(file);
    }
};

QTEST_GUILESS_MAIN(TestFusedOps)
#include "test_fused_ops.moc"
