// The model vocabulary's tables: every Role and every FolderLayout row is complete and consistent, so that
// adding a network or a model-folder layout is a table row (plus an enumerator) and this test checks it.

#include "pipeline/generator.h"
#include "pipeline/loading/folder_layout.h"
#include "pipeline/loading/model_set.h"
#include "pipeline/models/role.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

using namespace kaskade;
namespace fs = std::filesystem;

class VocabularyTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyRoleHasOneRow()
    {
        std::set<std::string> names, labels;
        int index = 0;
        for (const RoleInfo& info : roles()) {
            QCOMPARE(static_cast<int>(info.role), index++); // the table is indexed by the enum
            QVERIFY2(names.insert(info.name).second, info.name);
            QVERIFY2(labels.insert(info.label).second, info.label);
            QCOMPARE(roleFromName(info.name), std::optional<Role>(info.role));
            QCOMPARE(std::string(roleName(info.role)), std::string(info.name));
        }
        QCOMPARE(index, static_cast<int>(Role::Tokenizer) + 1);
        QVERIFY(!roleFromName("stage_d"));
    }

    // Image metadata names a model file's role in text: every role (and every ControlNet) reads back.
    void modelFileRolesRoundTrip()
    {
        for (const RoleInfo& info : roles()) {
            ModelFileInfo file{info.role, "x.safetensors", 1};
            ModelFileInfo back;
            QVERIFY(back.setRoleText(file.roleText()));
            QCOMPARE(back.role, info.role);
        }
        for (ControlKind kind : {ControlKind::Canny, ControlKind::Inpaint, ControlKind::SuperResolution}) {
            ModelFileInfo file{Role::ControlNet, "c.safetensors", 1, kind};
            ModelFileInfo back;
            QVERIFY2(back.setRoleText(file.roleText()), file.roleText().c_str());
            QCOMPARE(back.role, Role::ControlNet);
            QCOMPARE(back.control, std::optional<ControlKind>(kind));
        }
        ModelFileInfo untouched;
        QVERIFY(!untouched.setRoleText("controlnet_pose"));
        QVERIFY(!untouched.setRoleText("vae"));
        QCOMPARE(untouched.role, Role::StageC);
    }

    // Each layout's example folder is detected as that layout, and findModelSet reports it.
    void everyFolderLayoutIsDetectedFromItsExample()
    {
        std::set<std::string> names;
        for (const FolderLayoutInfo& info : folderLayouts()) {
            QVERIFY2(names.insert(info.name).second, info.name);
            QVERIFY(!std::string(info.description).empty());
            QVERIFY2(!info.example.empty(), info.name);
            QTemporaryDir dir;
            const fs::path root = dir.path().toStdString();
            for (const std::string& entry : info.example) {
                const fs::path path = root / entry;
                if (entry.ends_with('/')) {
                    fs::create_directories(path);
                } else {
                    fs::create_directories(path.parent_path());
                    std::ofstream(path) << "{}";
                }
            }
            QCOMPARE(detectFolderLayout(root), info.layout);
            QCOMPARE(findModelSet(root).layout, info.layout);
            QCOMPARE(std::string(folderLayoutName(info.layout)), std::string(info.name));
        }
        QCOMPARE(folderLayouts().back().layout, FolderLayout::Unknown); // tried last: it matches anything
    }
};

QTEST_GUILESS_MAIN(VocabularyTest)
#include "test_vocabulary.moc"
