// The generation pipeline on a tiny demo model: determinism, seeds, callbacks, cancellation, text
// reuse, residency, LoRA and checkpoint swaps.
#include "pipeline/errors.h"
#include "pipeline/generation/cascade_pipeline.h"
#include "pipeline/loading/lora.h"
#include "pipeline/random_lora.h"
#include "pipeline/tools/demo_model.h"

#include <ATen/ATen.h>

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace kaskade;

class TestPipeline : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::string model_;

    static GenerationParams smallJob(std::uint64_t seed)
    {
        GenerationParams p;
        p.prompt = "a red chair in the snow";
        p.width = 128;
        p.height = 128;
        p.stageC.steps = 3;
        p.stageB.steps = 2;
        p.seed = seed;
        return p;
    }

    ModelSpec spec(Residency residency = Residency::AllResident) const
    {
        ModelSpec s;
        s.directory = model_;
        s.device = {DeviceKind::Cpu};
        s.precision = Precision::Fp32;
        s.residency = residency;
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        model_ = dir_.filePath("demo").toStdString();
        writeDemoModel(model_, "tiny", 7);
        QVERIFY(std::filesystem::exists(model_ + "/stage_c.safetensors"));
        QVERIFY(std::filesystem::exists(model_ + "/tokenizer/vocab.json"));
    }

    void sameSeedIsBitIdentical()
    {
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        const auto a = pipeline.generate(smallJob(42), {});
        const auto b = pipeline.generate(smallJob(42), {});
        QCOMPARE(a.images.size(), std::size_t(1));
        QCOMPARE(a.images[0].image.width, 128);
        QCOMPARE(a.images[0].image.height, 128);
        QVERIFY(a.images[0].image.rgb == b.images[0].image.rgb);
        QCOMPARE(a.images[0].seed, std::uint64_t(42));
        const auto c = pipeline.generate(smallJob(43), {});
        QVERIFY(a.images[0].image.rgb != c.images[0].image.rgb);
        // A new seed reuses the text encoding: the text model ran for the first job only.
        QCOMPARE(pipeline.textEncoderRuns(), 2); // prompt + negative prompt
    }

    void batchImageEqualsSingleImageOfItsSeed()
    {
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        auto job = smallJob(100);
        job.batch = 2;
        job.stageC.cfg = 0; // no guidance: one model call per step, rows independent
        job.stageB.cfg = 0;
        const auto batch = pipeline.generate(job, {});
        QCOMPARE(batch.images.size(), std::size_t(2));
        QCOMPARE(batch.images[1].seed, std::uint64_t(101));
        auto single = smallJob(101);
        single.stageC.cfg = 0;
        single.stageB.cfg = 0;
        const auto one = pipeline.generate(single, {});
        // Same noise; batched vs single convolutions may round differently in the last bit.
        int maxDiff = 0;
        for (std::size_t i = 0; i < one.images[0].image.rgb.size(); ++i)
            maxDiff = std::max(maxDiff, std::abs(int(one.images[0].image.rgb[i]) - int(batch.images[1].image.rgb[i])));
        QVERIFY2(maxDiff <= 1, qPrintable(QString("max pixel difference %1").arg(maxDiff)));
    }

    void randomSeedIsReported()
    {
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        auto job = smallJob(0);
        job.seed.reset();
        const auto result = pipeline.generate(job, {});
        QVERIFY(result.params.seed.has_value());
        QCOMPARE(result.images[0].seed, *result.params.seed);
    }

    void callbacksReportEveryStep()
    {
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        int previewsC = 0, previewsB = 0, lastStepC = 0;
        GenerationCallbacks cb;
        cb.preview = [&](const PreviewFrame& f) {
            (f.network == Role::StageC ? previewsC : previewsB)++;
            QVERIFY(f.image.width > 0 && f.image.rgb.size() == std::size_t(f.image.width * f.image.height * 3));
        };
        cb.progress = [&](const Progress& p) {
            if (p.network == Role::StageC)
                lastStepC = p.step;
        };
        pipeline.generate(smallJob(5), cb);
        QCOMPARE(previewsC, 3);
        QCOMPARE(previewsB, 2);
        QCOMPARE(lastStepC, 3);
    }

    void cancelStopsWithinOneStepAndPipelineStaysUsable()
    {
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        int steps = 0;
        GenerationCallbacks cb;
        cb.progress = [&](const Progress& p) {
            if (p.network == Role::StageC && p.step > 0)
                ++steps;
        };
        cb.shouldCancel = [&] { return steps >= 1; };
        try {
            pipeline.generate(smallJob(1), cb);
            QFAIL("not cancelled");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Cancelled);
        }
        QCOMPARE(steps, 1);
        const auto again = pipeline.generate(smallJob(42), {});
        QCOMPARE(again.images.size(), std::size_t(1));
    }

    void sequentialResidencyGivesTheSameImage()
    {
        CascadePipeline resident, sequential;
        resident.load(spec(Residency::AllResident), {});
        sequential.load(spec(Residency::OneStageAtATime), {});
        const auto a = resident.generate(smallJob(9), {});
        const auto b = sequential.generate(smallJob(9), {});
        QVERIFY(a.images[0].image.rgb == b.images[0].image.rgb);
        QVERIFY(sequential.modelInfo().summary.find("one stage at a time") != std::string::npos);
    }

    void oddSizesAreSnappedWithANote()
    {
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        auto job = smallJob(3);
        job.width = 130;
        const auto result = pipeline.generate(job, {});
        QCOMPARE(result.params.width, 128);
        QVERIFY(!result.notes.empty());
    }

    void invalidParametersAreRefused_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("steps");
        QTest::addColumn<int>("batch");
        QTest::newRow("width 0") << 0 << 3 << 1;
        QTest::newRow("steps -1") << 128 << -1 << 1;
        QTest::newRow("batch 0") << 128 << 3 << 0;
    }
    void invalidParametersAreRefused()
    {
        QFETCH(int, width);
        QFETCH(int, steps);
        QFETCH(int, batch);
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        auto job = smallJob(1);
        job.width = width;
        job.stageC.steps = steps;
        job.batch = batch;
        try {
            pipeline.generate(job, {});
            QFAIL("accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
        }
    }

    void missingModelFilesAreNamed()
    {
        QTemporaryDir empty;
        CascadePipeline pipeline;
        ModelSpec s = spec();
        s.directory = empty.path().toStdString();
        try {
            pipeline.load(s, {});
            QFAIL("loaded an empty folder");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
            QVERIFY2(std::string(e.what()).find("stage_c") != std::string::npos, e.what());
        }
    }

    void fp16IsRefusedForStageC()
    {
        CascadePipeline pipeline;
        ModelSpec s = spec();
        s.precision = Precision::Fp16;
        try {
            pipeline.load(s, {});
            QFAIL("fp16 accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("fp16") != std::string::npos, e.what());
        }
    }

    void wrongKindOfCheckpointIsRefusedAndModelStays()
    {
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        const auto before = pipeline.generate(smallJob(11), {});
        ModelSpec s = spec();
        s.stageCFile = model_ + "/stage_b.safetensors";
        try {
            pipeline.load(s, {});
            QFAIL("a Stage B was accepted as Stage C");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("Stage B") != std::string::npos, e.what());
        }
        const auto after = pipeline.generate(smallJob(11), {});
        QVERIFY(before.images[0].image.rgb == after.images[0].image.rgb);
    }

    void loraChangesTheImageAndUnloadsExactly()
    {
        // A OneTrainer-style LoRA on every attention projection of the demo Stage C.
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        const auto base = pipeline.generate(smallJob(21), {});

        const auto lora = test::randomAttentionLora(model_ + "/stage_c.safetensors");
        QVERIFY(!lora.empty());
        const std::string loraPath = dir_.filePath("test_lora.safetensors").toStdString();
        st::write(loraPath, lora);

        ModelSpec withLora = spec();
        withLora.loras = {{loraPath, 1.0}};
        pipeline.load(withLora, {});
        const auto styled = pipeline.generate(smallJob(21), {});
        QVERIFY(styled.images[0].image.rgb != base.images[0].image.rgb);
        withLora.loras = {{loraPath, 0.5}};
        pipeline.load(withLora, {});
        const auto half = pipeline.generate(smallJob(21), {});
        QVERIFY(half.images[0].image.rgb != styled.images[0].image.rgb);
        pipeline.load(spec(), {});
        const auto restored = pipeline.generate(smallJob(21), {});
        QVERIFY(restored.images[0].image.rgb == base.images[0].image.rgb);
    }
};

QTEST_APPLESS_MAIN(TestPipeline)
#include "test_pipeline.moc"
