// Real-size proof for Stage A and the previewer without their weight files: both modules, built at the
// released configuration on the meta device, have exactly the state_dict keys and shapes that the
// official classes have (tests/data/stable-cascade-keys.tsv) and the parameter counts of
// stable-cascade.md §1.

#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/models/previewer.h"
#include "pipeline/models/stage_a.h"
#include "pipeline/tools/parity/parity.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include "test_support.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace kaskade;
using namespace kaskade::models;

namespace {

using KeyShapes = std::map<std::string, std::string>; // key → "[a, b]"

std::string testDataDir()
{
    const char* env = std::getenv("KASKADE_TEST_DATA");
    return env && *env ? env : KASKADE_TEST_DATA;
}

// Rows "<model>\t<key>\t<shape>" of the key list.
KeyShapes expectedKeys(const std::string& model)
{
    const std::string path = testDataDir() + "/stable-cascade-keys.tsv";
    std::ifstream in(path);
    if (!in)
        throw Error(ErrorCode::FileNotFound, path + ": cannot open");
    KeyShapes keys;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream fields(line);
        std::string name, key, shape;
        std::getline(fields, name, '\t');
        std::getline(fields, key, '\t');
        std::getline(fields, shape);
        if (name == model)
            keys[key] = shape;
    }
    return keys;
}

struct Counts
{
    KeyShapes keys;
    std::int64_t parameters = 0;
};

Counts moduleKeys(torch::nn::Module& module)
{
    Counts counts;
    for (const auto& item : module.named_parameters(true)) {
        counts.keys[item.key()] = shapeString(item.value().sizes());
        counts.parameters += item.value().numel();
    }
    for (const auto& item : module.named_buffers(true))
        counts.keys[item.key()] = shapeString(item.value().sizes());
    return counts;
}

// Every difference, one per line, so that a failure names the keys.
std::string difference(const KeyShapes& actual, const KeyShapes& expected)
{
    std::string text;
    for (const auto& [key, shape] : expected) {
        auto it = actual.find(key);
        if (it == actual.end())
            text += "\n  missing " + key + " " + shape;
        else if (it->second != shape)
            text += "\n  " + key + ": " + it->second + ", expected " + shape;
    }
    for (const auto& [key, shape] : actual)
        if (expected.count(key) == 0)
            text += "\n  unexpected " + key + " " + shape;
    return text;
}

const at::TensorOptions kMeta = at::TensorOptions().dtype(at::kFloat).device(at::kMeta);

using kaskade::test::runFixture;

} // namespace

class TestStageAKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stageA()
    {
        models::StageA model(models::StageAConfig{}, kMeta);
        const auto counts = moduleKeys(*model);
        const auto expected = expectedKeys("stage_a");
        QCOMPARE(expected.size(), std::size_t{122});
        const auto diff = difference(counts.keys, expected);
        QVERIFY2(diff.empty(), diff.c_str());
        QCOMPARE(counts.parameters, std::int64_t{18406894});
    }

    void previewer()
    {
        models::Previewer model(models::PreviewerConfig{}, kMeta);
        const auto counts = moduleKeys(*model);
        const auto expected = expectedKeys("previewer");
        QCOMPARE(expected.size(), std::size_t{58});
        const auto diff = difference(counts.keys, expected);
        QVERIFY2(diff.empty(), diff.c_str());
        QCOMPARE(counts.parameters, std::int64_t{3979651});
    }

    // Shapes follow the arguments: a tiny config halves every width, levels add blocks.
    void configFromJson()
    {
        const auto c = models::StageAConfig::fromJson(
            nlohmann::json{{"levels", 3}, {"bottleneck_blocks", 1}, {"c_hidden", 32}, {"scale_factor", 0.3764}});
        QCOMPARE(c.levels, std::int64_t{3});
        QCOMPARE(c.cLatent, std::int64_t{4});
        QCOMPARE(c.scaleFactor, 0.3764);
        models::StageA model(c, kMeta);
        const auto keys = moduleKeys(*model).keys;
        QCOMPARE(keys.at("in_block.1.weight"), std::string("[8, 12, 1, 1]"));
        QCOMPARE(keys.at("down_blocks.5.0.weight"), std::string("[4, 32, 1, 1]"));
        QCOMPARE(keys.at("up_blocks.4.weight"), std::string("[16, 8, 4, 4]")); // ConvTranspose2d (in, out, k, k)
        QCOMPARE(keys.at("up_blocks.5.depthwise.1.weight"), std::string("[8, 1, 3, 3]"));
        QCOMPARE(keys.at("out_block.0.weight"), std::string("[12, 8, 1, 1]"));

        const auto p = models::PreviewerConfig::fromJson(nlohmann::json{{"c_hidden", 32}});
        QCOMPARE(p.cIn, std::int64_t{16});
        QCOMPARE(p.cHidden, std::int64_t{32});
    }

    void badConfig_data()
    {
        QTest::addColumn<QString>("json");
        QTest::newRow("negative levels") << R"({"levels": -1})";
        QTest::newRow("string c_hidden") << R"({"c_hidden": "384"})";
        QTest::newRow("zero scale") << R"({"scale_factor": 0})";
        QTest::newRow("odd c_hidden") << R"({"c_hidden": 383})";
        QTest::newRow("not an object") << R"([1, 2])";
    }
    void badConfig()
    {
        QFETCH(QString, json);
        const auto parsed = nlohmann::json::parse(json.toStdString());
        try {
            models::StageAConfig::fromJson(parsed);
            QFAIL("accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::BadFormat);
            QVERIFY(std::string(e.what()).find("Stage A config") != std::string::npos);
        }
    }

    // The reference fixtures of this module (stable-cascade parity set), as a test of their own.
    void fixtures_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("stage_a_decode") << QStringLiteral("stage_a_decode");
        QTest::newRow("stage_a_encode") << QStringLiteral("stage_a_encode");
        QTest::newRow("previewer") << QStringLiteral("previewer");
    }
    void fixtures()
    {
        QFETCH(QString, name);
        runFixture(name.toStdString().c_str());
    }
};

QTEST_APPLESS_MAIN(TestStageAKeys)
#include "test_stage_a_keys.moc"
