// Loading is transactional (a failed load leaves the working model as it was) and generation holds no
// memory across jobs: 1000 generate/cancel cycles on the demo model keep the resident size flat.
// Issue 12. Uses the tiny demo model (random weights), so it needs no fixtures.

#include "pipeline/errors.h"
#include "pipeline/generation/cascade_pipeline.h"
#include "pipeline/io/safetensors.h"
#include "pipeline/tools/demo_model.h"
#include "sanitizer_build.h"

#include <ATen/ATen.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

#include <unistd.h>

using namespace kaskade;

namespace {

std::string fileOf(const ModelInfo& info, Role role)
{
    for (const auto& f : info.files)
        if (f.role == role)
            return f.path;
    return {};
}

GenerationParams tinyJob()
{
    GenerationParams params;
    params.prompt = "a red chair";
    params.width = 64;
    params.height = 64;
    params.stageC.steps = 2;
    params.stageB.steps = 2;
    params.seed = 5;
    return params;
}

std::uint64_t residentBytes()
{
    std::ifstream statm("/proc/self/statm");
    std::uint64_t pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

} // namespace

class TestModelReload : public QObject
{
    Q_OBJECT

    QTemporaryDir dir_;
    std::string demo_;

    ModelSpec spec() const
    {
        ModelSpec s;
        s.directory = demo_;
        s.device = {DeviceKind::Cpu};
        s.precision = Precision::Fp32;
        s.residency = Residency::AllResident; // every network loads inside open()
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        demo_ = dir_.filePath("demo").toStdString();
        writeDemoModel(demo_, "tiny");
    }

    void failedLoadKeepsTheWorkingModel()
    {
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        const ModelInfo before = pipeline.modelInfo();
        const auto reference = pipeline.generate(tinyJob(), {});

        // A Stage B whose weights hold a NaN: refused at load, naming the tensor.
        const std::string stageB = fileOf(before, Role::StageB);
        QVERIFY(!stageB.empty());
        TensorMap tensors = st::Reader::open(stageB)->loadAll();
        for (auto& [name, t] : tensors)
            if (at::isFloatingType(t.scalar_type()) && t.numel() > 0) {
                t = t.clone();
                t.view(-1)[0] = NAN;
                break;
            }
        const std::string bad = dir_.filePath("bad_stage_b.safetensors").toStdString();
        st::write(bad, tensors);
        ModelSpec badSpec = spec();
        badSpec.stageBFile = bad;
        try {
            pipeline.load(badSpec, {});
            QFAIL("a NaN Stage B was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::BadCheckpoint);
            QVERIFY2(std::string(e.what()).find("NaN") != std::string::npos, e.what());
        }
        // A rank-0 LoRA: refused, and the base model stays as it was.
        const std::string lora = dir_.filePath("rank0.safetensors").toStdString();
        st::write(lora, {{"weights.0.lora_down", at::zeros({0, 8})}, {"weights.0.lora_up", at::zeros({8, 0})}});
        ModelSpec loraSpec = spec();
        loraSpec.loras.push_back({lora, 1.0});
        QVERIFY_THROWS_EXCEPTION(Error, pipeline.load(loraSpec, {}));

        const ModelInfo after = pipeline.modelInfo();
        QVERIFY(after.loaded);
        QCOMPARE(fileOf(after, Role::StageB), stageB);
        QVERIFY(after.loras.empty());
        const auto again = pipeline.generate(tinyJob(), {});
        QCOMPARE(again.images.size(), std::size_t{1});
        QVERIFY(again.images[0].image.rgb == reference.images[0].image.rgb); // same weights, same image
    }

    void cancelIsCheckedInsideTheNetworks()
    {
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        int calls = 0, stageBCalls = 0;
        bool inStageB = false;
        GenerationCallbacks callbacks;
        callbacks.progress = [&](const Progress& p) { inStageB = p.network == Role::StageB; };
        callbacks.shouldCancel = [&] {
            ++calls;
            stageBCalls += inStageB ? 1 : 0;
            return false;
        };
        pipeline.generate(tinyJob(), callbacks);
        // Two Stage B steps, each one forward per CFG batch: a check per block means many more calls than steps.
        QVERIFY2(stageBCalls > 8, qPrintable(QString("%1 checks during Stage B").arg(stageBCalls)));
        // Cancelling from inside a Stage B forward ends the job with Cancelled, not an image.
        int seen = 0;
        callbacks.shouldCancel = [&] { return inStageB && ++seen == 3; };
        try {
            pipeline.generate(tinyJob(), callbacks);
            QFAIL("not cancelled");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Cancelled);
        }
        QVERIFY(pipeline.generate(tinyJob(), {}).images.size() == 1); // still usable
    }

    void generateCancelCyclesKeepMemoryFlat()
    {
        const int cycles = qEnvironmentVariableIntValue("KASKADE_CANCEL_CYCLES") > 0
                               ? qEnvironmentVariableIntValue("KASKADE_CANCEL_CYCLES")
                               : 1000;
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        GenerationParams params = tinyJob();
        int calls = 0, cancelAt = 0;
        GenerationCallbacks callbacks;
        callbacks.shouldCancel = [&] { return ++calls >= cancelAt; };
        auto cycle = [&](int i) {
            calls = 0;
            cancelAt = 1 + (i * 37) % 400; // cancelled in every stage and inside networks; some jobs complete
            params.seed = static_cast<std::uint64_t>(i);
            params.prompt = i % 2 ? "a red chair" : "a blue chair"; // text cache misses too
            try {
                pipeline.generate(params, callbacks);
            } catch (const Error& e) {
                if (e.code() != ErrorCode::Cancelled)
                    throw;
            }
        };
        const int warmUp = std::min(50, cycles / 4);
        for (int i = 0; i < warmUp; ++i)
            cycle(i);
        const std::uint64_t start = residentBytes();
        QElapsedTimer timer;
        timer.start();
        for (int i = warmUp; i < cycles; ++i)
            cycle(i);
        const std::uint64_t end = residentBytes();
        const double growth = (static_cast<double>(end) - static_cast<double>(start)) / static_cast<double>(start);
        qInfo("%d generate/cancel cycles in %.1f s; RSS %.1f MiB -> %.1f MiB (%+.2f %%)", cycles - warmUp,
              timer.elapsed() / 1000.0, start / 1048576.0, end / 1048576.0, growth * 100);
        if (test::kAddressSanitizer) // the cycles above still ran under ASan; only the RSS figure is its own
            QSKIP("RSS under AddressSanitizer includes its quarantine; LeakSanitizer checks leaks in this build");
        QVERIFY2(growth < 0.05, qPrintable(QString("RSS grew by %1 %").arg(growth * 100)));
    }
};

QTEST_GUILESS_MAIN(TestModelReload)
#include "test_model_reload.moc"
