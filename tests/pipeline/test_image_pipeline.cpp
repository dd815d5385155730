// Image inputs in the engine: the six image_pipeline reference fixtures (img2img, variation, canny,
// inpaint, sr, reconstruct), the validation rules of ImageInputs, the official output-size relation, and
// jobs on the demo model (previews in every mode, batch = repeated pictures, refusals).
#include "pipeline/errors.h"
#include "pipeline/generation/cascade_pipeline.h"
#include "pipeline/generation/image_procedures.h"
#include "pipeline/tools/demo_model.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace kaskade;

namespace {

RgbImage gradient(int width, int height)
{
    RgbImage image;
    image.width = width;
    image.height = height;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < 3; ++c)
                image.rgb.push_back(static_cast<std::uint8_t>((x * 3 + y * 5 + c * 60) % 256));
    return image;
}

InputImage picture(int width, int height)
{
    InputImage in;
    in.pixels = gradient(width, height);
    in.source = "memory";
    return in;
}

} // namespace

class TestImagePipeline : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::string model_;

    static GenerationParams smallJob()
    {
        GenerationParams p;
        p.prompt = "a red chair";
        p.width = 128;
        p.height = 128;
        p.stageC.steps = 4;
        p.stageB.steps = 2;
        p.seed = 3;
        return p;
    }

    ModelSpec spec() const
    {
        ModelSpec s;
        s.directory = model_;
        s.device = {DeviceKind::Cpu};
        s.precision = Precision::Fp32;
        s.residency = Residency::AllResident;
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        model_ = dir_.filePath("demo").toStdString();
        writeDemoModel(model_, "tiny", 7);
    }

    void referenceFixtures_data()
    {
        QTest::addColumn<QString>("fixture");
        for (const char* name : {"pipeline_img2img", "pipeline_variation", "pipeline_controlnet_canny",
                                 "pipeline_inpaint", "pipeline_sr", "reconstruct"})
            QTest::newRow(name) << name;
    }
    void referenceFixtures()
    {
        QFETCH(QString, fixture);
        test::runFixture(qPrintable(fixture));
    }

    void outputSizeFollowsTheNotebooks()
    {
        QCOMPARE(procedures::outputSideForGrid(24), 1024); // 768-px photo → 1024
        QCOMPARE(procedures::outputSideForGrid(2), 85);    // the tiny fixtures
        QCOMPARE(procedures::outputSideForGrid(3), 128);
        QCOMPARE(procedures::outputSideForGrid(48), 2048); // SR of a 768-px photo
        for (int grid = 1; grid <= 100; ++grid)            // the output maps back onto the same Stage C grid
            QCOMPARE(stageCLatentSize(procedures::outputSideForGrid(grid)), grid);
    }

    void validationNamesTheProblem_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("strength 0") << 0 << "strength";
        QTest::newRow("strength 1.5") << 1 << "strength";
        QTest::newRow("canny without picture") << 2 << "control image";
        QTest::newRow("inpaint without mask") << 3 << "mask";
        QTest::newRow("sr with init") << 4 << "super-resolution";
        QTest::newRow("reconstruct with control") << 5 << "reconstruction";
        QTest::newRow("tiny picture") << 6 << "8 and 8192";
        QTest::newRow("mask without inpaint") << 7 << "inpaint";
        QTest::newRow("control strength") << 8 << "control strength";
    }
    void validationNamesTheProblem()
    {
        QFETCH(int, row);
        QFETCH(QString, mentions);
        GenerationParams p = smallJob();
        ImageInputs& in = p.images;
        switch (row) {
        case 0:
            in.init = picture(64, 64);
            in.strength = 0.0;
            break;
        case 1:
            in.init = picture(64, 64);
            in.strength = 1.5;
            break;
        case 2: in.control = ControlKind::Canny; break;
        case 3:
            in.control = ControlKind::Inpaint;
            in.init = picture(64, 64);
            break;
        case 4:
            in.control = ControlKind::SuperResolution;
            in.controlImage = picture(32, 32);
            in.init = picture(64, 64);
            break;
        case 5:
            in.reconstruct = true;
            in.init = picture(64, 64);
            in.control = ControlKind::Canny;
            break;
        case 6: in.init = picture(4, 64); break;
        case 7:
            in.init = picture(64, 64);
            in.mask = picture(64, 64);
            break;
        case 8:
            in.init = picture(64, 64);
            in.controlStrength = -1;
            break;
        }
        try {
            p.validate();
            QFAIL("validate() accepted the parameters");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY2(QString(e.what()).contains(mentions), e.what());
        }
    }

    void modeNames()
    {
        ImageInputs in;
        QCOMPARE(in.modeName(), std::string("text"));
        in.init = picture(64, 64);
        QCOMPARE(in.modeName(), std::string("img2img"));
        QCOMPARE(in.effectiveStrength(), 0.8);
        in.imagePrompt = picture(64, 64);
        QCOMPARE(in.modeName(), std::string("img2img+variation"));
        in.imagePrompt = {};
        in.control = ControlKind::Inpaint;
        QCOMPARE(in.modeName(), std::string("inpaint"));
        QCOMPARE(in.effectiveStrength(), 1.0); // the inpainting notebook starts from noise level 1
        in.outpaint.right = 64;
        QCOMPARE(in.modeName(), std::string("outpaint"));
    }

    void everyModeRunsWithPreviewsOnTheDemoModel_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("stageCPreviews"); // Stage C steps actually run
        QTest::newRow("img2img 0.5") << 0 << 2;  // int(4·0.5)
        QTest::newRow("variation") << 1 << 4;
        QTest::newRow("canny") << 2 << 4;
        QTest::newRow("inpaint") << 3 << 4;
        QTest::newRow("reconstruct") << 4 << 0;
    }
    void everyModeRunsWithPreviewsOnTheDemoModel()
    {
        if (!std::filesystem::exists(model_ + "/effnet_encoder.safetensors"))
            QSKIP("the demo model has no image-input networks yet");
        QFETCH(int, mode);
        QFETCH(int, stageCPreviews);
        GenerationParams p = smallJob();
        p.batch = 2;
        ImageInputs& in = p.images;
        switch (mode) {
        case 0:
            in.init = picture(100, 60);
            in.strength = 0.5;
            break;
        case 1: in.imagePrompt = picture(64, 64); break;
        case 2:
            in.control = ControlKind::Canny;
            in.controlImage = picture(64, 64);
            break;
        case 3:
            in.control = ControlKind::Inpaint;
            in.init = picture(64, 64);
            in.mask = picture(64, 64);
            break;
        case 4:
            in.reconstruct = true;
            in.init = picture(64, 64);
            break;
        }
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        int previewsC = 0, previewsB = 0;
        GenerationCallbacks callbacks;
        callbacks.preview = [&](const PreviewFrame& f) {
            QVERIFY(!f.image.empty());
            (f.network == Role::StageC ? previewsC : previewsB) += 1;
        };
        const auto result = pipeline.generate(p, callbacks);
        QCOMPARE(result.images.size(), std::size_t(2));
        QCOMPARE(previewsC, 2 * stageCPreviews);
        QCOMPARE(previewsB, 2 * p.stageB.steps);
        const int side = mode == 4 ? 64 : 128;
        QCOMPARE(result.images[0].image.width, side);
        QCOMPARE(result.images[0].image.height, side);
        QCOMPARE(result.params.images.modeName(), p.images.modeName());
    }

    void namedButUnloadedPictureIsRefused()
    {
        if (!std::filesystem::exists(model_ + "/effnet_encoder.safetensors"))
            QSKIP("the demo model has no image-input networks yet");
        GenerationParams p = smallJob();
        p.images.init.source = "/photos/missing.jpg"; // as read back from a PNG, file not at hand
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        try {
            pipeline.generate(p, {});
            QFAIL("a job with an unloaded picture ran");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
            QVERIFY2(QString(e.what()).contains("/photos/missing.jpg"), e.what());
        }
    }

    void tooSmallStrengthLeavesNoStep()
    {
        if (!std::filesystem::exists(model_ + "/effnet_encoder.safetensors"))
            QSKIP("the demo model has no image-input networks yet");
        GenerationParams p = smallJob();
        p.images.init = picture(64, 64);
        p.images.strength = 0.1; // int(4·0.1) = 0
        CascadePipeline pipeline;
        pipeline.load(spec(), {});
        try {
            pipeline.generate(p, {});
            QFAIL("a job without Stage C steps ran");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY2(QString(e.what()).contains("strength"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestImagePipeline)
#include "test_image_pipeline.moc"
