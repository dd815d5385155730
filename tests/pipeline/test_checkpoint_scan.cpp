// scanCheckpoints on a demo model folder: every weight file listed with its kind, dtype and size.
#include "pipeline/errors.h"
#include "pipeline/loading/checkpoint_scan.h"
#include "pipeline/tools/demo_model.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace kaskade;

class TestCheckpointScan : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listsEveryCheckpoint()
    {
        QTemporaryDir dir;
        writeDemoModel(dir.path().toStdString(), "tiny", 1);
        std::ofstream(dir.filePath("broken.safetensors").toStdString()) << "not a checkpoint";
        const auto entries = scanCheckpoints(dir.path().toStdString());
        std::map<std::string, CheckpointEntry> byName;
        for (const auto& e : entries)
            byName[e.path.filename().string()] = e;
        // 5 base networks + effnet, image encoder, 3 ControlNets (image inputs) + the broken file.
        QCOMPARE(entries.size(), std::size_t(11));
        QVERIFY(byName.at("effnet_encoder.safetensors").holds(Role::EffNet));
        QVERIFY(byName.at("canny.safetensors").holds(Role::ControlNet));
        QVERIFY(byName.at("super_resolution.safetensors").holds(Role::ControlNet));
        QVERIFY(byName.at("stage_c.safetensors").holds(Role::StageC));
        QVERIFY(byName.at("stage_b.safetensors").holds(Role::StageB));
        QVERIFY(byName.at("stage_a.safetensors").holds(Role::StageA));
        QVERIFY(byName.at("previewer.safetensors").holds(Role::Previewer));
        QVERIFY(byName.at("model.safetensors").holds(Role::TextEncoder));
        QCOMPARE(byName.at("stage_c.safetensors").dtype, std::string("F32"));
        QVERIFY(byName.at("stage_c.safetensors").bytes > 0);
        QCOMPARE(byName.at("broken.safetensors").content, FileContent::Unknown);
        QVERIFY(byName.at("broken.safetensors").description.find("broken.safetensors") != std::string::npos);
    }

    void missingFolderIsAnError() { QVERIFY_THROWS_EXCEPTION(Error, scanCheckpoints("/nonexistent/folder")); }
};

QTEST_APPLESS_MAIN(TestCheckpointScan)
#include "test_checkpoint_scan.moc"
