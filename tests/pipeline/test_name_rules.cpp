// Name rules (pipeline/io/name_rules.h): official <-> diffusers / ComfyUI names, in both directions over every
// key of stable-cascade-keys.tsv (meta tensors, real shapes), and bit for bit against the format_* fixtures
// (the same weights as the module fixtures under other names).

#include "pipeline/errors.h"
#include "pipeline/io/name_rules.h"
#include "pipeline/sparse_checkpoint.h"

#include <ATen/ATen.h>

#include <QTemporaryDir>
#include <QTest>

#include "test_support.h"

#include <algorithm>

using namespace kaskade;
using namespace kaskade::test;
namespace fs = std::filesystem;

Q_DECLARE_METATYPE(kaskade::Role)

namespace {

using kaskade::test::parityDir;

TensorMap metaTensors(const KeyList& keys)
{
    TensorMap tensors;
    for (const auto& k : keys)
        tensors[k.name] =
            at::empty(k.shape, at::TensorOptions().device(at::kMeta).dtype(k.dtype == "I64" ? at::kLong : at::kFloat));
    return tensors;
}

std::size_t countContaining(const TensorMap& tensors, const std::string& fragment)
{
    return std::count_if(tensors.begin(), tensors.end(),
                         [&](const auto& kv) { return kv.first.find(fragment) != std::string::npos; });
}

// Same names, dtypes and bits.
void compareExactly(const TensorMap& actual, const TensorMap& expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (const auto& [name, e] : expected) {
        const auto it = actual.find(name);
        QVERIFY2(it != actual.end(), ("missing " + name).c_str());
        QCOMPARE(it->second.scalar_type(), e.scalar_type());
        QVERIFY2(at::equal(it->second, e), ("different values: " + name).c_str());
    }
}

TensorMap load(const fs::path& file)
{
    return st::Reader::open(file)->loadAll();
}

} // namespace

class TestNameRules : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir_;

private Q_SLOTS:
    void roundTripEveryKey_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<Role>("role");
        QTest::addColumn<QString>("layout");
        QTest::addColumn<int>("renamed"); // names not in the official file (per attention block: q, k, v x 2 + out x 2)
        // Attention blocks: Stage C 3.6B 32+32, 1B 16+16; Stage B 3B (28+6)+(6+28), 700M (14+4)+(4+14).
        QTest::newRow("stage_c 3.6B diffusers") << "stage_c_3.6B" << Role::StageC << "diffusers" << 64 * 8;
        QTest::newRow("stage_c 1B diffusers") << "stage_c_1B" << Role::StageC << "diffusers" << 32 * 8;
        QTest::newRow("stage_b 3B diffusers") << "stage_b_3B" << Role::StageB << "diffusers" << 68 * 8 + 2;
        QTest::newRow("stage_b 700M diffusers") << "stage_b_700M" << Role::StageB << "diffusers" << 36 * 8 + 2;
        QTest::newRow("stage_c 3.6B comfy") << "stage_c_3.6B" << Role::StageC << "comfy_internal" << 64 * 6;
        QTest::newRow("stage_b 3B comfy") << "stage_b_3B" << Role::StageB << "comfy_internal" << 68 * 6;
        QTest::newRow("stage_a diffusers") << "stage_a" << Role::StageA << "diffusers" << 1;
        QTest::newRow("previewer official") << "previewer" << Role::Previewer << "official" << 0;
    }

    void roundTripEveryKey()
    {
        QFETCH(QString, model);
        QFETCH(Role, role);
        QFETCH(QString, layout);
        QFETCH(int, renamed);
        const auto official = metaTensors(tsvKeys(model.toStdString()));
        const auto other = fromOfficialNames(official, role, layout.toStdString());
        // Packed in_proj (2 keys) become 3 each; renames keep the count.
        const std::size_t packed = countContaining(official, "in_proj_");
        QCOMPARE(other.size(), official.size() + (layout == "official" ? 0 : 2 * packed));
        std::size_t changed = 0;
        for (const auto& [name, t] : other)
            changed += official.count(name) == 0;
        QCOMPARE(int(changed), renamed);
        QCOMPARE(countContaining(other, "in_proj"), layout == "official" ? packed : std::size_t(0));
        QCOMPARE(QString::fromStdString(detectLayout(other, role)), layout);

        const auto back = toOfficialNames(other, role, layout.toStdString());
        QCOMPARE(back.size(), official.size());
        for (const auto& [name, t] : official) {
            const auto it = back.find(name);
            QVERIFY2(it != back.end(), name.c_str());
            QCOMPARE(it->second.sizes().vec(), t.sizes().vec());
            QCOMPARE(it->second.scalar_type(), t.scalar_type());
        }
        // The same under a prefix, with unrelated tensors of another network beside it.
        auto prefixed = fromOfficialNames(official, role, layout.toStdString(), "model.diffusion_model.");
        prefixed["text_encoder.clip_g.transformer.text_model.final_layer_norm.weight"] = at::zeros({4});
        const auto fromPrefixed = toOfficialNames(prefixed, role, "auto", "model.diffusion_model.");
        QCOMPARE(fromPrefixed.size(), official.size());
        QVERIFY(fromPrefixed.count(official.begin()->first));
    }

    void diffusersNames()
    {
        const auto official = metaTensors(tsvKeys("stage_b_3B"));
        const auto d = fromOfficialNames(official, Role::StageB, "diffusers");
        QVERIFY(d.count("clip_txt_pooled_mapper.weight") && !d.count("clip_mapper.weight"));
        QVERIFY(d.count("down_blocks.2.2.attention.to_q.weight"));
        QVERIFY(d.count("down_blocks.2.2.attention.to_out.0.bias"));
        QCOMPARE(d.at("down_blocks.2.2.attention.to_k.weight").sizes().vec(), (std::vector<std::int64_t>{1280, 1280}));
        // Stage C keeps its own clip_txt_pooled_mapper.
        const auto c = fromOfficialNames(metaTensors(tsvKeys("stage_c_3.6B")), Role::StageC, "diffusers");
        QVERIFY(c.count("clip_txt_pooled_mapper.weight") && c.count("clip_txt_mapper.weight"));
        QCOMPARE(detectLayout(metaTensors(tsvKeys("stage_c_3.6B")), Role::StageC), std::string("official"));
    }

    void qkvOrder()
    {
        // Rows [0:c] are q, [c:2c] k, [2c:3c] v.
        const auto packed = at::arange(6 * 2, at::kFloat).reshape({6, 2});
        const TensorMap official{{"down_blocks.0.2.attention.attn.in_proj_weight", packed}};
        const auto d = fromOfficialNames(official, Role::StageC, "diffusers");
        QVERIFY(at::equal(d.at("down_blocks.0.2.attention.to_q.weight"), packed.slice(0, 0, 2)));
        QVERIFY(at::equal(d.at("down_blocks.0.2.attention.to_k.weight"), packed.slice(0, 2, 4)));
        QVERIFY(at::equal(d.at("down_blocks.0.2.attention.to_v.weight"), packed.slice(0, 4, 6)));
        compareExactly(toOfficialNames(d, Role::StageC, "diffusers"), official);
    }

    void incompleteTripleStays()
    {
        const TensorMap d{{"down_blocks.0.2.attention.to_q.weight", at::zeros({2, 2})},
                          {"down_blocks.0.2.attention.to_k.weight", at::zeros({2, 2})}};
        const auto out = toOfficialNames(d, Role::StageC, "diffusers");
        QCOMPARE(out.size(), std::size_t(2));
        QVERIFY(out.count("down_blocks.0.2.attention.to_q.weight"));
        QVERIFY(!out.count("down_blocks.0.2.attention.attn.in_proj_weight"));
    }

    void collisionIsAnError()
    {
        const TensorMap both{{"clip_mapper.weight", at::zeros({2})}, {"clip_txt_pooled_mapper.weight", at::zeros({2})}};
        QVERIFY_THROWS_EXCEPTION(Error, toOfficialNames(both, Role::StageB, "diffusers"));
        const TensorMap odd{{"down_blocks.0.2.attention.attn.in_proj_weight", at::zeros({4, 2})}};
        QVERIFY_THROWS_EXCEPTION(Error, fromOfficialNames(odd, Role::StageC, "diffusers"));
    }

    void formatFixtures_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("equivalent");
        QTest::addColumn<Role>("role");
        QTest::newRow("diffusers stage_c") << "format_diffusers_stage_c"
                                           << "stage_c" << Role::StageC;
        QTest::newRow("diffusers stage_b") << "format_diffusers_stage_b"
                                           << "stage_b" << Role::StageB;
        QTest::newRow("diffusers stage_a") << "format_diffusers_stage_a"
                                           << "stage_a_decode" << Role::StageA;
    }

    void formatFixtures()
    {
        QFETCH(QString, format);
        QFETCH(QString, equivalent);
        QFETCH(Role, role);
        const auto dir = parityDir() / format.toStdString();
        if (!fs::exists(dir / "diffusion_pytorch_model.safetensors"))
            QSKIP("parity fixtures not found (set KASKADE_PARITY_DIR)");
        const auto diffusers = load(dir / "diffusion_pytorch_model.safetensors");
        const auto official = load(parityDir() / equivalent.toStdString() / "weights.safetensors");
        QCOMPARE(detectLayout(diffusers, role), std::string("diffusers"));
        compareExactly(toOfficialNames(diffusers, role, "auto"), official);
        compareExactly(fromOfficialNames(official, role, "diffusers"), diffusers);
        // Through the loader, whole and as shards (a sharded diffusers folder).
        compareExactly(loadOfficial({{dir / "diffusion_pytorch_model.safetensors"}, "diffusers", "", ""}, role),
                       official);
        TensorMap first, second;
        for (const auto& [name, t] : diffusers)
            (first.size() < diffusers.size() / 2 ? first : second).emplace(name, t);
        const fs::path shards = dir_.path().toStdString();
        st::write(shards / "shard-1.safetensors", first);
        st::write(shards / "shard-2.safetensors", second);
        const WeightSource sharded{
            {shards / "shard-1.safetensors", shards / "shard-2.safetensors"}, "diffusers", "", ""};
        compareExactly(loadOfficial(sharded, role), official);
    }

    void comfyUiAllInOne()
    {
        const auto file = parityDir() / "format_comfyui_aio" / "stable_cascade_stage_c.safetensors";
        if (!fs::exists(file))
            QSKIP("parity fixtures not found (set KASKADE_PARITY_DIR)");
        const auto all = load(file);
        // The UNet: every tensor under the prefix, official names, same key set as the stage_c fixture
        // (same block structure, other widths).
        const auto unet = loadOfficial({{file}, "official", "model.diffusion_model.", ""}, Role::StageC);
        QCOMPARE(unet.size(), countContaining(all, "model.diffusion_model."));
        const auto reference = load(parityDir() / "stage_c" / "weights.safetensors");
        QCOMPARE(unet.size(), reference.size());
        for (const auto& [name, t] : reference)
            QVERIFY2(unet.count(name), name.c_str());
        for (const auto& [name, t] : unet)
            QVERIFY(at::equal(t, all.at("model.diffusion_model." + name)));

        // ComfyUI's internal split layout of the same UNet maps back bit for bit.
        const auto internal = fromOfficialNames(unet, Role::StageC, "comfy_internal", "model.diffusion_model.");
        QVERIFY(countContaining(internal, ".attention.attn.to_q.weight") > 0);
        compareExactly(toOfficialNames(internal, Role::StageC, "auto", "model.diffusion_model."), unet);

        // The text encoder part comes out under HF names, the projection in HF layout [proj, hidden].
        const auto text = loadOfficial({{file}, "comfyui", "text_encoder.clip_g.transformer.", ""}, Role::TextEncoder);
        QVERIFY(text.count("text_model.embeddings.token_embedding.weight"));
        QVERIFY(text.count("text_projection.weight"));
        QVERIFY(at::equal(text.at("text_projection.weight"), all.at("text_encoder.clip_g.text_projection").t()));
        QCOMPARE(countContaining(text, "diffusion_model"), std::size_t(0));
    }

    void stageAOfAllInOneB()
    {
        const auto file = parityDir() / "stage_a_decode" / "weights.safetensors";
        if (!fs::exists(file))
            QSKIP("parity fixtures not found (set KASKADE_PARITY_DIR)");
        const auto official = load(file);
        auto bundle = fromOfficialNames(official, Role::StageA, "official", "vae.");
        bundle["model.diffusion_model.clf.1.weight"] = at::zeros({4, 8, 1, 1});
        const fs::path out = fs::path(dir_.path().toStdString()) / "aio_b.safetensors";
        st::write(out, bundle);
        compareExactly(loadOfficial({{out}, "official", "vae.", ""}, Role::StageA), official);
        QVERIFY_THROWS_EXCEPTION(Error, loadOfficial({{out}, "official", "nothing.", ""}, Role::StageA));
    }
};

QTEST_APPLESS_MAIN(TestNameRules)
#include "test_name_rules.moc"
