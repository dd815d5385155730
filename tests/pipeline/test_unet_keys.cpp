// Real-size proof without real weights: Stage C 3.6B / 1B and Stage B 3B / 700M are built on the meta
// device and their named_parameters() + named_buffers() must equal the official key list
// (tests/data/stable-cascade-keys.tsv) key for key and shape for shape; parameter counts must equal the
// spec's table. Also: detection of the variant from those shapes, the strict loader's report, fp16 refusal.
#include "module_keys.h"
#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/models/stage_b.h"
#include "pipeline/models/stage_c.h"

#include <QtTest/QtTest>

#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

using namespace kaskade;
using namespace kaskade::models;

namespace {

using test::metaCheckpoint;
using test::moduleKeys;
using test::officialKeys;
using test::parameterCount;
using test::ShapeMap;

std::shared_ptr<torch::nn::Module> build(const std::string& model)
{
    const auto meta = at::TensorOptions().device(at::kMeta);
    if (model == "stage_c_3.6B")
        return StageC(StageCConfig::full(), meta).ptr();
    if (model == "stage_c_1B")
        return StageC(StageCConfig::lite(), meta).ptr();
    if (model == "stage_b_3B")
        return StageB(StageBConfig::large(), meta).ptr();
    return StageB(StageBConfig::lite(), meta).ptr();
}

} // namespace

class TestUnetKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keysAndShapes_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<qlonglong>("params");
        QTest::addColumn<int>("entries");
        QTest::newRow("stage_c_3.6B") << "stage_c_3.6B" << 3589103632LL << 1294;
        QTest::newRow("stage_c_1B") << "stage_c_1B" << 1030785040LL << 654;
        QTest::newRow("stage_b_3B") << "stage_b_3B" << 1562941136LL << 1454;
        QTest::newRow("stage_b_700M") << "stage_b_700M" << 699471248LL << 826;
    }

    void keysAndShapes()
    {
        QFETCH(QString, model);
        QFETCH(qlonglong, params);
        QFETCH(int, entries);
        const ShapeMap expected = officialKeys(model.toStdString());
        QCOMPARE(int(expected.size()), entries);
        auto module = build(model.toStdString());
        const ShapeMap actual = moduleKeys(*module);
        const QString problems = test::keyDifferences(expected, actual);
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
        QCOMPARE(int(actual.size()), entries);
        QCOMPARE(qlonglong(parameterCount(*module)), params);
    }

    void detection_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("variant");
        QTest::newRow("stage_c_3.6B") << "stage_c_3.6B"
                                      << "3.6B";
        QTest::newRow("stage_c_1B") << "stage_c_1B"
                                    << "1B";
        QTest::newRow("stage_b_3B") << "stage_b_3B"
                                    << "3B";
        QTest::newRow("stage_b_700M") << "stage_b_700M"
                                      << "700M";
    }

    // The variant detected from the official shapes, loaded strictly into a meta model.
    void detection()
    {
        QFETCH(QString, model);
        QFETCH(QString, variant);
        c10::InferenceMode inference;
        const TensorMap checkpoint = metaCheckpoint(officialKeys(model.toStdString()));
        const auto meta = at::TensorOptions().device(at::kMeta);
        if (model.startsWith("stage_c")) {
            QCOMPARE(QString::fromStdString(variantName(detectStageCConfig(checkpoint, "f"))), variant);
            StageC c = loadStageC(checkpoint, "f", meta);
            QCOMPARE(QString::fromStdString(variantName(c->config())), variant);
            QVERIFY_THROWS_EXCEPTION(Error, detectStageBConfig(checkpoint, "f"));
        } else {
            QCOMPARE(QString::fromStdString(variantName(detectStageBConfig(checkpoint, "f"))), variant);
            StageB b = loadStageB(checkpoint, "f", meta);
            QCOMPARE(QString::fromStdString(variantName(b->config())), variant);
            QVERIFY_THROWS_EXCEPTION(Error, detectStageCConfig(checkpoint, "f"));
        }
    }

    // Every problem is named: a missing key, an extra key and a wrong shape in one report.
    void strictLoadReport()
    {
        TensorMap checkpoint = metaCheckpoint(officialKeys("stage_c_1B"));
        checkpoint.erase("up_blocks.1.0.channelwise.0.weight");
        checkpoint["down_blocks.0.2.kv_mapper.1.bias"] = at::empty({7}, at::TensorOptions().device(at::kMeta));
        checkpoint["model.extra"] = at::empty({1}, at::TensorOptions().device(at::kMeta));
        try {
            loadStageC(checkpoint, "stage_c_lite.safetensors", at::TensorOptions().device(at::kMeta));
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::BadCheckpoint);
            const QString message = e.what();
            QVERIFY2(message.startsWith("stage_c_lite.safetensors: expected a Stage C 1B checkpoint"), e.what());
            QVERIFY2(message.contains("up_blocks.1.0.channelwise.0.weight"), e.what());
            QVERIFY2(message.contains("down_blocks.0.2.kv_mapper.1.bias: expected [1536], file has [7]"), e.what());
            QVERIFY2(message.contains("model.extra"), e.what());
        }
    }

    void fp16RefusedForStageC()
    {
        const TensorMap checkpoint = metaCheckpoint(officialKeys("stage_c_1B"));
        try {
            loadStageC(checkpoint, "f", at::TensorOptions().device(at::kMeta).dtype(at::kHalf));
            QFAIL("fp16 accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Unsupported);
            QVERIFY2(QString(e.what()).contains("fp16 overflows in Stage C"), e.what());
        }
        // Stage B allows fp16 (ComfyUI does too).
        const TensorMap b = metaCheckpoint(officialKeys("stage_b_700M"));
        StageB model = loadStageB(b, "f", at::TensorOptions().device(at::kMeta).dtype(at::kHalf));
        QCOMPARE(model->clip_mapper->weight.scalar_type(), at::kHalf);
    }

    // cascade.json args override the detected preset.
    void argsOverrideDetection()
    {
        const TensorMap checkpoint = metaCheckpoint(officialKeys("stage_c_1B"));
        const auto args = nlohmann::json::parse(R"({"blocks": [[4, 11], [12, 4]]})");
        try {
            loadStageC(checkpoint, "f", at::TensorOptions().device(at::kMeta), &args);
            QFAIL("a model with one block fewer matched the 1B file");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::BadCheckpoint);
            QVERIFY2(QString(e.what()).contains("unexpected"), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestUnetKeys)
#include "test_unet_keys.moc"
