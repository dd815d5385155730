// The image-input networks at real size without real weights, and the control filters against the
// reference fixtures:
//  - effnet_encoder (torchvision efficientnet_v2_s features + mapper) and clip_vision_l14 built on the meta
//    device must equal the official key list (tests/data/stable-cascade-keys.tsv) key for key and shape
//    for shape, and the structure read back from those shapes must rebuild the same model;
//  - the released ControlNet layout (2048-wide projections) fits Stage C 3.6B and is refused on 1B;
//  - Canny through OpenCV reproduces cv2.Canny's edges of the official CannyFilter exactly, and the inpaint
//    and super-resolution filters reproduce the fixtures' control inputs.
#include "module_keys.h"
#include "pipeline/errors.h"
#include "pipeline/image/control_filters.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/loading/inspect.h"
#include "pipeline/loading/model_loader.h"
#include "pipeline/loading/model_set.h"
#include "pipeline/models/clip_vision.h"
#include "pipeline/models/controlnet.h"
#include "pipeline/models/effnet_encoder.h"
#include "pipeline/tools/demo_model.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace kaskade;
using namespace kaskade::models;

namespace {

using test::keyDifferences;
using test::metaCheckpoint;
using test::moduleKeys;
using test::officialKeys;
using test::ShapeMap;

const auto kMeta = at::TensorOptions().device(at::kMeta);

// io.safetensors of a fixture, or a skip.
TensorMap fixtureIo(const char* name)
{
    const auto file = test::parityDir() / name / "io.safetensors";
    if (!std::filesystem::exists(file))
        return {};
    return st::Reader::open(file)->loadAll();
}

} // namespace

class TestImageModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void effnetKeysAndShapes()
    {
        const auto official = officialKeys("effnet_encoder");
        QCOMPARE(official.size(), std::size_t{784});
        models::EfficientNetEncoder encoder(models::EffnetFeaturesConfig::efficientNetV2S(3), 16, kMeta);
        const auto keys = moduleKeys(*encoder);
        QVERIFY2(keys == official, qPrintable(keyDifferences(official, keys)));

        // The structure read from the shapes is the released one, and loads strictly.
        const auto weights = metaCheckpoint(official);
        const auto read = models::EffnetFeaturesConfig::fromWeights(weights, "backbone.", "tsv");
        QCOMPARE(read.lastChannel, std::int64_t{1280});
        QCOMPARE(read.stemChannels, std::int64_t{24});
        std::vector<std::size_t> depths;
        for (const auto& stage : read.stages)
            depths.push_back(stage.size());
        QCOMPARE(depths, (std::vector<std::size_t>{2, 4, 4, 6, 9, 15}));
        QVERIFY(read.stages[0][0].fused && !read.stages[0][0].expands);
        QVERIFY(!read.stages[3][0].fused && read.stages[3][0].squeeze == 16); // SE width = block input 64 / 4
        QCOMPARE(read.stages[5][0].stride, std::int64_t{2});
        QCOMPARE(read.stages[4][0].stride, std::int64_t{1});
        models::EfficientNetEncoder rebuilt(read, 16, kMeta);
        const auto report = checkStateDict(*rebuilt, weights);
        QVERIFY2(report.ok(), report.describe().c_str());

        // A missing layer is named.
        auto broken = weights;
        broken.erase("backbone.6.3.block.1.0.weight");
        try {
            models::EffnetFeaturesConfig::fromWeights(broken, "backbone.", "broken.safetensors");
            QFAIL("no error for a broken layer");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("broken.safetensors") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("backbone.6.3.block") != std::string::npos, e.what());
        }
    }

    void clipVisionKeysAndShapes()
    {
        auto official = officialKeys("clip_vision_l14");
        QVERIFY(official.size() > 300);
        models::ClipVisionModel model(models::ClipVisionConfig{}, kMeta);
        const auto keys = moduleKeys(*model);
        QVERIFY2(keys == official, qPrintable(keyDifferences(official, keys)));

        // From the shapes alone (no config.json): ViT-L/14, 16 heads; position_ids and a text tower dropped.
        auto weights = metaCheckpoint(official);
        weights["vision_model.embeddings.position_ids"] = at::empty({1, 257}, kMeta.dtype(at::kLong));
        weights["text_model.embeddings.token_embedding.weight"] = at::empty({49408, 768}, kMeta);
        weights["logit_scale"] = at::empty({}, kMeta);
        const auto tensors = models::clipVisionTensors(weights, "model.safetensors");
        const auto config = models::ClipVisionConfig::fromWeights(tensors, nullptr, "model.safetensors");
        QCOMPARE(config.numHiddenLayers, std::int64_t{24});
        QCOMPARE(config.numAttentionHeads, std::int64_t{16});
        QCOMPARE(config.imageSize, std::int64_t{224});
        QCOMPARE(config.patchSize, std::int64_t{14});
        QCOMPARE(config.projectionDim, std::int64_t{768});
        QCOMPARE(config.intermediateSize, std::int64_t{4096});
        models::ClipVisionModel rebuilt(config, kMeta);
        const auto report = checkStateDict(*rebuilt, tensors);
        QVERIFY2(report.ok(), report.describe().c_str());

        // The all-in-one Stage C file stores it under 'clip_l_vision.'.
        TensorMap prefixed;
        for (const auto& [key, t] : metaCheckpoint(official))
            prefixed["clip_l_vision." + key] = t;
        prefixed["diffusion_model.clf.1.weight"] = at::empty({64, 2048, 1, 1}, kMeta);
        QCOMPARE(models::clipVisionTensors(prefixed, "aio").size(), official.size());
    }

    void releasedControlNetNeedsFullStageC()
    {
        models::ControlNetConfig canny;
        canny.cIn = 1;
        canny.effnet = models::EffnetFeaturesConfig::efficientNetV2S(1);
        models::ControlNet net(canny, kMeta);
        const auto keys = moduleKeys(*net);
        QCOMPARE(keys.at("backbone.0.0.weight"), (std::vector<std::int64_t>{24, 1, 3, 3}));
        QCOMPARE(keys.at("projections.7.2.weight"), (std::vector<std::int64_t>{2048, 1280, 1, 1}));

        // The configuration read back from those shapes (proj_blocks: the released list).
        const auto read = models::ControlNetConfig::fromWeights(metaCheckpoint(keys), "canny.safetensors");
        QVERIFY(read.bottleneck == models::ControlNetBottleneck::Effnet);
        QCOMPARE(read.cIn, std::int64_t{1});
        QVERIFY(!read.effnet.paddedStem);
        QCOMPARE(read.listLength(), std::int64_t{64});
        models::checkControlNetKind(read, ControlKind::Canny, "canny.safetensors");
        QVERIFY_THROWS_EXCEPTION(Error, models::checkControlNetKind(read, ControlKind::Inpaint, "canny.safetensors"));

        QCOMPARE(models::stageCResBlockCallWidths(StageCConfig::full()).size(), std::size_t{64});
        models::checkControlNetFitsStageC(read, StageCConfig::full(), "canny.safetensors");
        try {
            models::checkControlNetFitsStageC(read, StageCConfig::lite(), "canny.safetensors");
            QFAIL("a 2048-wide ControlNet was accepted for the 1B Stage C");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Unsupported);
            QVERIFY2(std::string(e.what()).find("3.6B") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("1B") != std::string::npos, e.what());
        }
    }

    void cannyMatchesOpenCvReference()
    {
        c10::InferenceMode guard;
        const auto io = fixtureIo("pipeline_controlnet_canny");
        if (io.empty())
            QSKIP("fixture pipeline_controlnet_canny not found (set KASKADE_PARITY_DIR)");
        const auto image = io.at("init_image");
        const auto edges = image::cannyEdgesU8(image);
        const auto expected = io.at("canny.edges_u8");
        QCOMPARE(edges.sizes().vec(), expected.sizes().vec());
        const auto differing = edges.to(at::kFloat).ne(expected).sum().item<std::int64_t>();
        QVERIFY2(differing == 0, qPrintable(QString("%1 edge pixels differ").arg(differing)));
        QVERIFY(expected.gt(0).sum().item<std::int64_t>() > 0); // the reference has edges at all
        const auto control = image::cannyFilter(image);
        QVERIFY(at::allclose(control, io.at("control_image"), 1e-5, 1e-6));
    }

    void inpaintAndSuperResolutionInputs()
    {
        c10::InferenceMode guard;
        const auto inpaint = fixtureIo("pipeline_inpaint");
        const auto sr = fixtureIo("pipeline_sr");
        if (inpaint.empty() || sr.empty())
            QSKIP("fixtures pipeline_inpaint / pipeline_sr not found (set KASKADE_PARITY_DIR)");
        QVERIFY(
            at::equal(image::inpaintFilter(inpaint.at("init_image"), inpaint.at("mask")), inpaint.at("control_image")));
        const auto filterInput = image::srFilterInput(sr.at("init_image"));
        QVERIFY(at::equal(filterInput, sr.at("sr.filter_input")));
        const auto effnet =
            models::loadEffnetEncoder(test::parityDir() / "pipeline_sr" / "model" / "effnet_encoder.safetensors",
                                      at::TensorOptions().dtype(at::kFloat));
        const auto embedding = image::srEffnetEmbedding(effnet, filterInput);
        const auto& expected = sr.at("sr.effnet_embedding");
        QCOMPARE(embedding.sizes().vec(), expected.sizes().vec());
        const double rel = (embedding - expected).norm().item<double>() / expected.norm().item<double>();
        QVERIFY2(rel < 1e-5, qPrintable(QString("rel_l2 %1").arg(rel)));
    }

    // make-demo-model writes every image-input network; the model loader finds and runs them.
    void demoModelImageNetworks()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::string dir = tmp.path().toStdString();
        writeDemoModel(dir, "tiny", 3);
        const auto set = findModelSet(dir);
        QVERIFY(set.complete());
        QVERIFY(!set.effnet.empty());
        QVERIFY(!set.clipVision.empty());
        for (auto kind : {ControlKind::Canny, ControlKind::Inpaint, ControlKind::SuperResolution})
            QVERIFY2(!set.controlNet(kind).empty(), controlKindName(kind));
        const auto sr = inspectFile(set.controlSuperResolution.files.front());
        QVERIFY(sr.holds(Role::ControlNet));
        QVERIFY2(sr.description.find("'large'") != std::string::npos, sr.description.c_str());
        QVERIFY(inspectFile(set.clipVision.files.front()).holds(Role::ClipVision));
        const auto layout = inspectDirectory(dir);
        QVERIFY(layout.missing.empty());
        QVERIFY(std::any_of(layout.pieces.begin(), layout.pieces.end(), [](const LayoutReport::Piece& p) {
            return p.role == "controlnet_inpaint" && p.present && !p.required;
        }));

        c10::InferenceMode guard;
        LoadedModels models;
        ModelSpec spec;
        spec.directory = dir;
        spec.device = {DeviceKind::Cpu};
        spec.residency = Residency::OneStageAtATime;
        models.open(spec, {});
        const auto images = at::rand({1, 3, 64, 96});
        const auto latents = models::effnetEncodeImages(models.effnet({}), images);
        QCOMPARE(latents.sizes().vec(), (std::vector<std::int64_t>{1, 16, 2, 3}));
        const auto vision = models.clipVision({});
        const auto embeds = vision->forward(models::clipPreprocess(images, 32)).imageEmbeds;
        QCOMPARE(embeds.sizes().vec(), (std::vector<std::int64_t>{1, 768}));
        const auto canny = models.controlNet(ControlKind::Canny, {})->forward(image::cannyFilter(images));
        const auto inpaint = models.controlNet(ControlKind::Inpaint, {})
                                 ->forward(image::inpaintFilter(images, at::zeros({1, 1, 64, 96})));
        const auto superRes = models.controlNet(ControlKind::SuperResolution, {})->forward(latents);
        for (const auto* list : {&canny, &inpaint, &superRes}) {
            QVERIFY(!list->empty());
            QVERIFY(list->front().defined() && list->back().defined());
            QVERIFY(at::isfinite(list->front()).all().item<bool>());
        }
        // Fed to the demo Stage C: the ControlNet list is consumed by its ResBlock calls.
        const auto stageC = models.stageC({});
        const auto& cfg = stageC->config();
        auto cond = stageC->encodeConditioning(at::zeros({1, 77, cfg.cClipText}),
                                               at::zeros({1, 1, cfg.cClipTextPooled}), embeds.unsqueeze(1));
        const auto x = at::randn({1, 16, 4, 4});
        const auto r = at::full({1}, 0.5);
        const auto plain = stageC->forward(x, r, cond);
        cond.cnet = canny;
        const auto guided = stageC->forward(x, r, cond);
        QVERIFY(!at::allclose(plain, guided)); // the feed reaches Stage C

        // bf16 compute (the GPU default, and CPUs with native bf16): close to fp32.
        const auto bf16 = at::TensorOptions().dtype(at::kBFloat16);
        const auto effnetBf16 = models::loadEffnetEncoder(set.effnet.files.front(), bf16);
        const auto latentsBf16 = models::effnetEncodeImages(effnetBf16, images);
        QVERIFY(latentsBf16.scalar_type() == at::kFloat);
        const double effnetRel = (latentsBf16 - latents).norm().item<double>() / latents.norm().item<double>();
        QVERIFY2(effnetRel < 0.1, qPrintable(QString("bf16 effnet rel_l2 %1").arg(effnetRel)));
        std::ifstream cascadeFile(std::filesystem::path(dir) / "cascade.json");
        const auto cascade = nlohmann::json::parse(cascadeFile);
        const auto& cnetArgs = cascade.at("controlnet").at("args"); // the demo's proj_blocks
        const auto cannyBf16 = models::loadControlNet(set.controlCanny.files.front(), bf16, &cnetArgs)
                                   ->forward(image::cannyFilter(images));
        QVERIFY(at::isfinite(cannyBf16.front()).all().item<bool>());
        const auto visionBf16 = models::loadClipVision(set.clipVision.files.front().parent_path(), bf16);
        const auto embedsBf16 = visionBf16->forward(models::clipPreprocess(images, 32)).imageEmbeds.to(at::kFloat);
        const double visionRel = (embedsBf16 - embeds).norm().item<double>() / embeds.norm().item<double>();
        QVERIFY2(visionRel < 0.1, qPrintable(QString("bf16 CLIP vision rel_l2 %1").arg(visionRel)));

        // A folder without them names the missing file and where to get it.
        std::filesystem::remove(std::filesystem::path(dir) / "controlnet" / "canny.safetensors");
        LoadedModels fresh;
        fresh.open(spec, {});
        try {
            fresh.controlNet(ControlKind::Canny, {});
            QFAIL("no error for a missing ControlNet");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
            QVERIFY2(std::string(e.what()).find("canny.safetensors") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("stabilityai/stable-cascade") != std::string::npos, e.what());
        }
    }

    void rgbRoundTrip()
    {
        RgbImage image;
        image.width = 3;
        image.height = 2;
        image.rgb = {0, 128, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 250, 251, 252};
        const auto t = image::rgbToTensor(image);
        QCOMPARE(t.sizes().vec(), (std::vector<std::int64_t>{1, 3, 2, 3}));
        QCOMPARE(t[0][1][0][0].item<float>(), 128.0f / 255.0f); // G of the first pixel
        const auto back = image::tensorToRgb(t);
        QCOMPARE(back.size(), std::size_t{1});
        QVERIFY(back[0].rgb == image.rgb);
        RgbImage broken = image;
        broken.rgb.pop_back();
        QVERIFY_THROWS_EXCEPTION(Error, image::rgbToTensor(broken));
    }
};

QTEST_GUILESS_MAIN(TestImageModels)
#include "test_image_models.moc"
