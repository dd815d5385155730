// Checkpoint identification (pipeline/loading/inspect.h) and model folder resolution (pipeline/loading/model_set.h) on
// real-size files: headers with the real keys and shapes, data areas left as holes (no disk used).

#include "pipeline/errors.h"
#include "pipeline/io/name_rules.h"
#include "pipeline/loading/inspect.h"
#include "pipeline/loading/model_set.h"
#include "pipeline/sparse_checkpoint.h"

#include <ATen/ATen.h>

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>

using namespace kaskade;
using namespace kaskade::test;
namespace fs = std::filesystem;

namespace {

at::ScalarType scalarOf(const std::string& dtype)
{
    return dtype == "I64" ? at::kLong : dtype == "BF16" ? at::kBFloat16 : at::kFloat;
}

// `keys` (official names) converted to another layout through the name rules, on meta tensors.
KeyList converted(const KeyList& keys, Role role, const std::string& layout, const std::string& prefix = "")
{
    TensorMap tensors;
    for (const auto& k : keys)
        tensors[k.name] = at::empty(k.shape, at::TensorOptions().device(at::kMeta).dtype(scalarOf(k.dtype)));
    KeyList out;
    for (const auto& [name, t] : fromOfficialNames(tensors, role, layout, prefix))
        out.push_back({name, t.sizes().vec(), st::dtypeName(st::fromScalarType(t.scalar_type()))});
    return out;
}

// The ComfyUI all-in-one Stage C file (ecosystem.md §5.2, format_comfyui_aio fixture): UNet, CLIP-G text
// encoder with the transposed projection outside 'transformer.', EfficientNet + previewer as "vae", CLIP-L vision.
KeyList comfyAioC()
{
    KeyList text = withPrefix(textEncoderKeys(), "text_encoder.clip_g.transformer.");
    for (auto& k : text)
        if (k.name == "text_encoder.clip_g.transformer.text_projection.weight")
            k.name = "text_encoder.clip_g.text_projection";
    KeyList keys = withPrefix(tsvKeys("stage_c_3.6B"), "model.diffusion_model.");
    keys = concat(keys, text);
    keys = concat(keys, withPrefix(effnetKeys(), "vae.encoder."));
    keys = concat(keys, withPrefix(tsvKeys("previewer"), "vae.previewer."));
    keys = concat(keys, {{"clip_l_vision.vision_model.embeddings.patch_embedding.weight", {1024, 3, 14, 14}},
                         {"clip_l_vision.vision_model.post_layernorm.weight", {1024}}});
    return withDtype(keys, "BF16");
}

KeyList comfyAioB()
{
    return withDtype(
        concat(withPrefix(tsvKeys("stage_b_3B"), "model.diffusion_model."), withPrefix(tsvKeys("stage_a"), "vae.")),
        "BF16");
}

KeyList officialLora()
{
    KeyList keys = {{"embeddings.embeddings", {1, 1280}}, {"embeddings.indices", {1}, "I64"}};
    for (int i = 0; i < 128; ++i) {
        const bool in = i % 2 == 1;
        keys.push_back({"weights." + std::to_string(i) + ".lora_down", {4, 2048}});
        keys.push_back({"weights." + std::to_string(i) + ".lora_up", {in ? 6144 : 2048, 4}});
    }
    return keys;
}

KeyList kohyaStyleLora(const std::string& style)
{
    KeyList keys;
    for (const char* part : {"to_q", "to_k", "to_v", "out_proj"}) {
        const std::string module = std::string("down_blocks.0.2.attention.attn.") + part;
        if (style == "onetrainer") {
            std::string flat = "lora_prior_unet_" + module;
            std::replace(flat.begin(), flat.end(), '.', '_');
            keys.push_back({flat + ".lora_down.weight", {8, 2048}});
            keys.push_back({flat + ".lora_up.weight", {2048, 8}});
            keys.push_back({flat + ".alpha", {}});
        } else {
            keys.push_back({"diffusion_model." + module + ".lora_down.weight", {8, 2048}});
            keys.push_back({"diffusion_model." + module + ".lora_up.weight", {2048, 8}});
        }
    }
    return keys;
}

void writeText(const fs::path& path, const std::string& text)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

void writeTokenizer(const fs::path& dir)
{
    writeText(dir / "vocab.json", "{}");
    writeText(dir / "merges.txt", "#version: 0.2\n");
}

} // namespace

class TestInspect : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir_;
    fs::path root() const { return dir_.path().toStdString(); }

private Q_SLOTS:
    void files_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("kind"); // FileReport::kindName()
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("says"); // a fragment of the description
        QTest::addColumn<QStringList>("parts");
        const QStringList none;
        QTest::newRow("stage_a") << "stage_a.safetensors" << QStringLiteral("stage_a") << ""
                                 << "official"
                                 << ""
                                 << "Stage A" << none;
        for (const QString suffix : {"", "_bf16"}) {
            QTest::newRow(qPrintable("stage_b" + suffix))
                << "stage_b" + suffix + ".safetensors" << QStringLiteral("stage_b") << "3B"
                << "official"
                << ""
                << "Stage B 3B (full)" << none;
            QTest::newRow(qPrintable("stage_b_lite" + suffix))
                << "stage_b_lite" + suffix + ".safetensors" << QStringLiteral("stage_b") << "700M"
                << "official"
                << ""
                << "Stage B 700M (lite)" << none;
            QTest::newRow(qPrintable("stage_c" + suffix))
                << "stage_c" + suffix + ".safetensors" << QStringLiteral("stage_c") << "3.6B"
                << "official"
                << ""
                << "Stage C 3.6B (full)" << none;
            QTest::newRow(qPrintable("stage_c_lite" + suffix))
                << "stage_c_lite" + suffix + ".safetensors" << QStringLiteral("stage_c") << "1B"
                << "official"
                << ""
                << "Stage C 1B (lite)" << none;
        }
        QTest::newRow("previewer") << "previewer.safetensors" << QStringLiteral("previewer") << ""
                                   << "official"
                                   << ""
                                   << "previewer" << none;
        QTest::newRow("effnet") << "effnet_encoder.safetensors" << QStringLiteral("effnet") << ""
                                << "official"
                                << ""
                                << "EfficientNet" << none;
        QTest::newRow("text encoder HF") << "text_encoder/model.safetensors" << QStringLiteral("text_encoder") << "bigG"
                                         << "hf"
                                         << ""
                                         << "CLIP-bigG" << none;
        QTest::newRow("text encoder OpenCLIP")
            << "open_clip_bigG.safetensors" << QStringLiteral("text_encoder") << "bigG"
            << "openclip"
            << ""
            << "OpenCLIP" << none;
        QTest::newRow("diffusers prior") << "prior/diffusion_pytorch_model.safetensors" << QStringLiteral("stage_c")
                                         << "3.6B"
                                         << "diffusers"
                                         << ""
                                         << "split to_q" << none;
        QTest::newRow("diffusers prior_lite bf16")
            << "prior_lite/diffusion_pytorch_model.bf16.safetensors" << QStringLiteral("stage_c") << "1B"
            << "diffusers"
            << ""
            << "diffusers" << none;
        QTest::newRow("diffusers decoder")
            << "decoder/diffusion_pytorch_model.safetensors" << QStringLiteral("stage_b") << "3B"
            << "diffusers"
            << ""
            << "diffusers" << none;
        QTest::newRow("diffusers decoder_lite")
            << "decoder_lite/diffusion_pytorch_model.safetensors" << QStringLiteral("stage_b") << "700M"
            << "diffusers"
            << ""
            << "700M" << none;
        QTest::newRow("diffusers vqgan") << "vqgan/diffusion_pytorch_model.safetensors" << QStringLiteral("stage_a")
                                         << ""
                                         << "diffusers"
                                         << ""
                                         << "PaellaVQModel" << none;
        QTest::newRow("ComfyUI internal stage C")
            << "comfy_internal_c.safetensors" << QStringLiteral("stage_c") << "3.6B"
            << "comfy_internal"
            << ""
            << "ComfyUI internal" << none;
        QTest::newRow("ComfyUI unet prefix") << "diffusion_model_c.safetensors" << QStringLiteral("stage_c") << "1B"
                                             << "official"
                                             << "diffusion_model."
                                             << "under 'diffusion_model.'" << none;
        QTest::newRow("ComfyUI all-in-one C")
            << "stable_cascade_stage_c.safetensors" << QStringLiteral("comfyui_aio_c") << "3.6B"
            << "official"
            << "model.diffusion_model."
            << "ComfyUI all-in-one" << QStringList{"stage_c", "text_encoder", "effnet", "previewer"};
        QTest::newRow("ComfyUI all-in-one B")
            << "stable_cascade_stage_b.safetensors" << QStringLiteral("comfyui_aio_b") << "3B"
            << "official"
            << "model.diffusion_model."
            << "ComfyUI all-in-one" << QStringList{"stage_b", "stage_a"};
        QTest::newRow("LoRA official") << "lora_fernando.safetensors" << QStringLiteral("lora") << ""
                                       << "official"
                                       << ""
                                       << "128 modules, rank 4, 1 added token" << none;
        QTest::newRow("LoRA OneTrainer") << "onetrainer_lora.safetensors" << QStringLiteral("lora") << ""
                                         << "onetrainer"
                                         << ""
                                         << "lora_prior_unet" << none;
        QTest::newRow("LoRA ComfyUI") << "comfy_lora.safetensors" << QStringLiteral("lora") << ""
                                      << "comfyui"
                                      << ""
                                      << "rank 8" << none;
        QTest::newRow("SDXL") << "sd_xl_base_1.0.safetensors" << QStringLiteral("other_model") << ""
                              << ""
                              << ""
                              << "SDXL checkpoint, not Stable Cascade" << none;
        QTest::newRow("SD 1.5") << "v1-5-pruned.safetensors" << QStringLiteral("other_model") << ""
                                << ""
                                << ""
                                << "Stable Diffusion 1.x/2.x" << none;
        QTest::newRow("unknown") << "mystery.safetensors" << QStringLiteral("unknown") << ""
                                 << ""
                                 << ""
                                 << "unknown model" << none;
    }

    void files()
    {
        QFETCH(QString, name);
        QFETCH(QString, kind);
        QFETCH(QString, variant);
        QFETCH(QString, layout);
        QFETCH(QString, prefix);
        QFETCH(QString, says);
        QFETCH(QStringList, parts);
        const std::string file = name.toStdString();
        const bool bf16 = name.contains("bf16");
        KeyList keys;
        if (file.starts_with("stage_a"))
            keys = tsvKeys("stage_a");
        else if (file.starts_with("stage_b_lite"))
            keys = tsvKeys("stage_b_700M");
        else if (file.starts_with("stage_b"))
            keys = tsvKeys("stage_b_3B");
        else if (file.starts_with("stage_c_lite"))
            keys = tsvKeys("stage_c_1B");
        else if (file.starts_with("stage_c"))
            keys = tsvKeys("stage_c_3.6B");
        else if (file.starts_with("previewer"))
            keys = tsvKeys("previewer");
        else if (file.starts_with("effnet"))
            keys = effnetKeys();
        else if (file.starts_with("text_encoder"))
            keys = textEncoderKeys();
        else if (file.starts_with("open_clip"))
            keys = converted(textEncoderKeys(), Role::TextEncoder, "openclip");
        else if (file.starts_with("prior_lite"))
            keys = converted(tsvKeys("stage_c_1B"), Role::StageC, "diffusers");
        else if (file.starts_with("prior"))
            keys = converted(tsvKeys("stage_c_3.6B"), Role::StageC, "diffusers");
        else if (file.starts_with("decoder_lite"))
            keys = converted(tsvKeys("stage_b_700M"), Role::StageB, "diffusers");
        else if (file.starts_with("decoder"))
            keys = converted(tsvKeys("stage_b_3B"), Role::StageB, "diffusers");
        else if (file.starts_with("vqgan"))
            keys = converted(tsvKeys("stage_a"), Role::StageA, "diffusers");
        else if (file.starts_with("comfy_internal"))
            keys = converted(tsvKeys("stage_c_3.6B"), Role::StageC, "comfy_internal");
        else if (file.starts_with("diffusion_model"))
            keys = withPrefix(tsvKeys("stage_c_1B"), "diffusion_model.");
        else if (file == "stable_cascade_stage_c.safetensors")
            keys = comfyAioC();
        else if (file == "stable_cascade_stage_b.safetensors")
            keys = comfyAioB();
        else if (file.starts_with("lora_fernando"))
            keys = officialLora();
        else if (file.starts_with("onetrainer"))
            keys = kohyaStyleLora("onetrainer");
        else if (file.starts_with("comfy_lora"))
            keys = kohyaStyleLora("comfyui");
        else if (file.starts_with("sd_xl"))
            keys = {{"model.diffusion_model.input_blocks.0.0.weight", {320, 4, 3, 3}},
                    {"conditioner.embedders.0.transformer.text_model.embeddings.token_embedding.weight", {49408, 768}}};
        else if (file.starts_with("v1-5"))
            keys = {{"model.diffusion_model.input_blocks.0.0.weight", {320, 4, 3, 3}},
                    {"cond_stage_model.transformer.text_model.embeddings.token_embedding.weight", {49408, 768}}};
        else
            keys = {{"foo.weight", {3, 3}}};
        if (bf16)
            keys = withDtype(keys, "BF16");
        const auto path = root() / "files" / file;
        const auto size = writeSparse(path, keys);

        const auto report = inspectFile(path);
        QCOMPARE(QString::fromStdString(report.kindName()), kind);
        QCOMPARE(QString::fromStdString(report.main.variant), variant);
        QCOMPARE(QString::fromStdString(report.main.layout), layout);
        QCOMPARE(QString::fromStdString(report.main.prefix), prefix);
        QVERIFY2(QString::fromStdString(report.description).contains(says), report.description.c_str());
        QCOMPARE(report.fileSize, size);
        QCOMPARE(fs::file_size(path), size);
        QCOMPARE(report.tensorCount, std::uint64_t(keys.size()));
        QCOMPARE(report.parameterCount, parameterCount(keys));
        QCOMPARE(report.dtypes.count(bf16 ? "BF16" : "F16"), std::size_t(bf16 ? 1 : 0));
        for (const auto& part : parts)
            QVERIFY2(std::any_of(report.parts.begin(), report.parts.end(),
                                 [&](const FilePart& p) { return part == roleName(p.role); }),
                     qPrintable(part));
    }

    void releasedSizes()
    {
        // The variants are what the release says they are: 3.6B / 1B Stage C, 1.56B / 0.7B Stage B, bigG 695M.
        const auto params = [](const KeyList& keys) { return double(parameterCount(keys)); };
        QVERIFY(std::abs(params(tsvKeys("stage_c_3.6B")) / 3.6e9 - 1) < 0.02);
        QVERIFY(std::abs(params(tsvKeys("stage_c_1B")) / 1.0e9 - 1) < 0.05);
        QVERIFY(std::abs(params(tsvKeys("stage_b_3B")) / 1.56e9 - 1) < 0.02);
        QVERIFY(std::abs(params(tsvKeys("stage_b_700M")) / 0.7e9 - 1) < 0.05);
        QCOMPARE(parameterCount(textEncoderKeys()), std::uint64_t(694'659'840));
        QCOMPARE(textEncoderKeys().size(), std::size_t(517));
        // The bf16 Stage C file of the release is 7.18 GB: the sparse file has that size too.
        const auto path = root() / "sizes" / "stage_c_bf16.safetensors";
        const auto size = writeSparse(path, withDtype(tsvKeys("stage_c_3.6B"), "BF16"));
        QVERIFY2(size > 7'100'000'000 && size < 7'250'000'000, qPrintable(QString::number(size)));
        QVERIFY(fs::file_size(path) == size);
    }

    void corruptFileIsAnError()
    {
        const auto path = root() / "corrupt.safetensors";
        writeText(path, "not a safetensors file at all");
        try {
            inspectFile(path);
            QFAIL("a corrupt file was inspected");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::BadFormat);
            QVERIFY(QString(e.what()).contains(QString::fromStdString(path.string())));
        }
    }

    void officialFolder()
    {
        const auto dir = root() / "official";
        writeSparse(dir / "stage_a.safetensors", tsvKeys("stage_a"));
        writeSparse(dir / "stage_b_bf16.safetensors", withDtype(tsvKeys("stage_b_3B"), "BF16"));
        writeSparse(dir / "stage_b_lite.safetensors", tsvKeys("stage_b_700M"));
        writeSparse(dir / "stage_b.safetensors", tsvKeys("stage_b_3B"));
        writeSparse(dir / "stage_c.safetensors", tsvKeys("stage_c_3.6B"));
        writeSparse(dir / "stage_c_bf16.safetensors", withDtype(tsvKeys("stage_c_3.6B"), "BF16"));
        writeSparse(dir / "stage_c_lite_bf16.safetensors", withDtype(tsvKeys("stage_c_1B"), "BF16"));
        writeSparse(dir / "generator.safetensors", tsvKeys("stage_c_3.6B")); // a fine-tune lying around
        writeSparse(dir / "previewer.safetensors", tsvKeys("previewer"));
        writeSparse(dir / "effnet_encoder.safetensors", effnetKeys());
        writeSparse(dir / "text_encoder" / "model.safetensors", textEncoderKeys());
        writeText(dir / "text_encoder" / "config.json", "{}");
        writeSparse(dir / "controlnet" / "canny.safetensors", {{"backbone.0.0.weight", {24, 1, 3, 3}}});
        writeTokenizer(dir / "tokenizer");

        const auto set = findModelSet(dir);
        QCOMPARE(set.layout, FolderLayout::Official);
        QVERIFY2(set.complete(), set.missing.empty() ? "" : set.missing.front().c_str());
        QCOMPARE(set.stageC.files, std::vector<fs::path>{dir / "stage_c_bf16.safetensors"});
        QCOMPARE(set.stageC.variant, std::string("3.6B"));
        QCOMPARE(set.stageB.files, std::vector<fs::path>{dir / "stage_b_bf16.safetensors"});
        QCOMPARE(set.stageA.files, std::vector<fs::path>{dir / "stage_a.safetensors"});
        QCOMPARE(set.previewer.files, std::vector<fs::path>{dir / "previewer.safetensors"});
        QCOMPARE(set.effnet.files, std::vector<fs::path>{dir / "effnet_encoder.safetensors"});
        QCOMPARE(set.textEncoder.files, std::vector<fs::path>{dir / "text_encoder" / "model.safetensors"});
        QCOMPARE(set.textEncoderConfig, dir / "text_encoder" / "config.json");
        QCOMPARE(set.tokenizerDir, dir / "tokenizer");
        QVERIFY(set.cascadeJson.empty());
        QVERIFY(!set.notes.empty()); // says which variants it passed over
        requireComplete(set);

        ModelSetOptions lite;
        lite.preferLite = true;
        const auto liteSet = findModelSet(dir, lite);
        QCOMPARE(liteSet.stageC.files, std::vector<fs::path>{dir / "stage_c_lite_bf16.safetensors"});
        QCOMPARE(liteSet.stageB.files, std::vector<fs::path>{dir / "stage_b_lite.safetensors"});

        const auto report = inspectDirectory(dir);
        QCOMPARE(report.layout, FolderLayout::Official);
        QVERIFY(report.missing.empty());
        QCOMPARE(report.pieces.size(), std::size_t(11)); // 7 + image encoder and 3 ControlNets (optional)
    }

    void hfCache()
    {
        // ~/.cache/huggingface/hub: the prior and decoder repositories, files as symlinks into blobs/.
        const auto hub = root() / "hub";
        const auto blob = [&](const fs::path& repo, const fs::path& link, const KeyList& keys) {
            const auto target = repo / "blobs" / ("blob" + std::to_string(std::hash<std::string>{}(link.string())));
            writeSparse(target, keys);
            fs::create_directories(link.parent_path());
            fs::create_symlink(target, link);
        };
        const auto prior = hub / "models--stabilityai--stable-cascade-prior";
        writeText(prior / "refs" / "main", "abc123\n");
        const auto ps = prior / "snapshots" / "abc123";
        fs::create_directories(prior / "snapshots" / "old999" / "prior"); // an older snapshot: ignored
        writeSparse(prior / "snapshots" / "old999" / "prior" / "diffusion_pytorch_model.safetensors", {{"x", {1}}});
        // A sharded bf16 variant of the prior: index + two shards.
        auto priorKeys = withDtype(converted(tsvKeys("stage_c_3.6B"), Role::StageC, "diffusers"), "BF16");
        const KeyList first(priorKeys.begin(), priorKeys.begin() + priorKeys.size() / 2);
        const KeyList second(priorKeys.begin() + priorKeys.size() / 2, priorKeys.end());
        nlohmann::json index;
        for (const auto& k : first)
            index["weight_map"][k.name] = "diffusion_pytorch_model.bf16-00001-of-00002.safetensors";
        for (const auto& k : second)
            index["weight_map"][k.name] = "diffusion_pytorch_model.bf16-00002-of-00002.safetensors";
        blob(prior, ps / "prior" / "diffusion_pytorch_model.bf16-00001-of-00002.safetensors", first);
        blob(prior, ps / "prior" / "diffusion_pytorch_model.bf16-00002-of-00002.safetensors", second);
        writeText(ps / "prior" / "diffusion_pytorch_model.safetensors.index.bf16.json", index.dump());
        blob(prior, ps / "prior_lite" / "diffusion_pytorch_model.safetensors",
             converted(tsvKeys("stage_c_1B"), Role::StageC, "diffusers"));
        blob(prior, ps / "text_encoder" / "model.bf16.safetensors", withDtype(textEncoderKeys(), "BF16"));
        writeText(ps / "text_encoder" / "config.json", "{}");
        writeTokenizer(ps / "tokenizer");
        const auto decoder = hub / "models--stabilityai--stable-cascade";
        writeText(decoder / "refs" / "main", "def456");
        const auto ds = decoder / "snapshots" / "def456";
        blob(decoder, ds / "decoder" / "diffusion_pytorch_model.safetensors",
             converted(tsvKeys("stage_b_3B"), Role::StageB, "diffusers"));
        blob(decoder, ds / "vqgan" / "diffusion_pytorch_model.safetensors",
             converted(tsvKeys("stage_a"), Role::StageA, "diffusers"));
        blob(decoder, ds / "stage_a.safetensors", tsvKeys("stage_a"));
        writeText(ds / "model_index.json", "{}");

        const auto set = findModelSet(hub);
        QCOMPARE(set.layout, FolderLayout::HfCache);
        QVERIFY(set.complete());
        QCOMPARE(set.stageC.files.size(), std::size_t(2)); // the shards, from the index
        QCOMPARE(set.stageC.files.front().parent_path(), ps / "prior");
        QCOMPARE(set.stageC.layout, std::string("diffusers"));
        QCOMPARE(set.stageC.variant, std::string("3.6B"));
        QCOMPARE(set.stageB.files, std::vector<fs::path>{ds / "decoder" / "diffusion_pytorch_model.safetensors"});
        QCOMPARE(set.stageA.files, std::vector<fs::path>{ds / "stage_a.safetensors"}); // official beats vqgan
        QCOMPARE(set.textEncoder.files, std::vector<fs::path>{ps / "text_encoder" / "model.bf16.safetensors"});
        QCOMPARE(set.tokenizerDir, ps / "tokenizer");

        // The snapshot folder itself, and the repository folder.
        const auto snapshot = findModelSet(ps);
        QCOMPARE(snapshot.layout, FolderLayout::HfCache);
        QCOMPARE(snapshot.stageC.files.size(), std::size_t(2));
        QCOMPARE(snapshot.missing, (std::vector<std::string>{"stage_b", "stage_a"}));
        QCOMPARE(findModelSet(prior).stageC.files.size(), std::size_t(2));
    }

    void diffusersSnapshot()
    {
        const auto dir = root() / "stable-cascade";
        writeText(dir / "model_index.json", "{}");
        writeSparse(dir / "prior_lite" / "diffusion_pytorch_model.safetensors",
                    converted(tsvKeys("stage_c_1B"), Role::StageC, "diffusers"));
        writeSparse(dir / "decoder_lite" / "diffusion_pytorch_model.bf16.safetensors",
                    withDtype(converted(tsvKeys("stage_b_700M"), Role::StageB, "diffusers"), "BF16"));
        writeSparse(dir / "decoder_lite" / "diffusion_pytorch_model.safetensors",
                    converted(tsvKeys("stage_b_700M"), Role::StageB, "diffusers"));
        writeSparse(dir / "vqgan" / "diffusion_pytorch_model.safetensors",
                    converted(tsvKeys("stage_a"), Role::StageA, "diffusers"));
        writeSparse(dir / "text_encoder" / "model.safetensors", textEncoderKeys());
        writeTokenizer(dir / "tokenizer");
        const auto set = findModelSet(dir);
        QCOMPARE(set.layout, FolderLayout::Diffusers);
        QVERIFY(set.complete());
        QCOMPARE(set.stageC.variant, std::string("1B"));
        QCOMPARE(set.stageB.files,
                 std::vector<fs::path>{dir / "decoder_lite" / "diffusion_pytorch_model.bf16.safetensors"});
        QCOMPARE(set.stageA.layout, std::string("diffusers"));
        QVERIFY(set.previewer.empty());
    }

    void comfyUiTree()
    {
        const auto dir = root() / "ComfyUI";
        const auto models = dir / "models";
        writeSparse(models / "checkpoints" / "stable_cascade_stage_c.safetensors", comfyAioC());
        writeSparse(models / "checkpoints" / "stable_cascade_stage_b.safetensors", comfyAioB());
        writeSparse(models / "checkpoints" / "sd_xl_base_1.0.safetensors",
                    {{"model.diffusion_model.input_blocks.0.0.weight", {320, 4, 3, 3}},
                     {"conditioner.embedders.1.model.token_embedding.weight", {49408, 1280}}});
        writeSparse(models / "loras" / "style.safetensors", kohyaStyleLora("onetrainer"));
        writeSparse(models / "clip" / "clip_l.safetensors", textEncoderKeys(768, 12));
        const auto set = findModelSet(dir);
        QCOMPARE(set.layout, FolderLayout::ComfyUi);
        const auto aioC = models / "checkpoints" / "stable_cascade_stage_c.safetensors";
        const auto aioB = models / "checkpoints" / "stable_cascade_stage_b.safetensors";
        QCOMPARE(set.stageC.files, std::vector<fs::path>{aioC});
        QCOMPARE(set.stageC.prefix, std::string("model.diffusion_model."));
        QCOMPARE(set.textEncoder.files, std::vector<fs::path>{aioC});
        QCOMPARE(set.textEncoder.prefix, std::string("text_encoder.clip_g.transformer."));
        QCOMPARE(set.textEncoder.layout, std::string("comfyui"));
        QCOMPARE(set.previewer.prefix, std::string("vae.previewer."));
        QCOMPARE(set.effnet.prefix, std::string("vae.encoder."));
        QCOMPARE(set.stageB.files, std::vector<fs::path>{aioB});
        QCOMPARE(set.stageA.files, std::vector<fs::path>{aioB});
        QCOMPARE(set.stageA.prefix, std::string("vae."));
        QCOMPARE(set.missing, std::vector<std::string>{"tokenizer"}); // ComfyUI keeps it in its source tree
        try {
            requireComplete(set);
            QFAIL("an incomplete set passed");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
            const QString message = e.what();
            QVERIFY2(message.contains("vocab.json") && message.contains("merges.txt") &&
                         message.contains("bpe_simple_vocab_16e6.txt.gz"),
                     qPrintable(message));
        }
        // A tokenizer folder given by the caller completes it.
        writeTokenizer(root() / "my_tokenizer");
        ModelSetOptions options;
        options.tokenizerDir = root() / "my_tokenizer";
        const auto withTokenizer = findModelSet(dir, options);
        QVERIFY(withTokenizer.complete());
        QCOMPARE(withTokenizer.tokenizerDir, root() / "my_tokenizer");
        // The CLIP-L file is reported as unusable.
        QVERIFY(std::any_of(set.notes.begin(), set.notes.end(),
                            [](const std::string& n) { return n.find("clip_l.safetensors") != std::string::npos; }));
    }

    void comfyUiSplitFolders()
    {
        const auto models = root() / "split" / "models";
        writeSparse(models / "unet" / "stage_c_bf16.safetensors", withDtype(tsvKeys("stage_c_3.6B"), "BF16"));
        writeSparse(models / "diffusion_models" / "stage_b_lite_bf16.safetensors",
                    withDtype(tsvKeys("stage_b_700M"), "BF16"));
        writeSparse(models / "clip" / "model.safetensors", textEncoderKeys());
        writeSparse(models / "vae" / "stage_a.safetensors", tsvKeys("stage_a"));
        writeSparse(models / "vae" / "effnet_encoder.safetensors", effnetKeys());
        writeSparse(models / "vae_approx" / "previewer.safetensors", tsvKeys("previewer"));
        writeTokenizer(models / "clip" / "tokenizer");
        const auto set = findModelSet(models);
        QCOMPARE(set.layout, FolderLayout::ComfyUi);
        QVERIFY(set.complete());
        QCOMPARE(set.stageB.variant, std::string("700M"));
        QCOMPARE(set.textEncoder.files, std::vector<fs::path>{models / "clip" / "model.safetensors"});
        QCOMPARE(set.previewer.files, std::vector<fs::path>{models / "vae_approx" / "previewer.safetensors"});
        QCOMPARE(set.tokenizerDir, models / "clip" / "tokenizer");
    }

    void parityModelFolder()
    {
        const char* env = std::getenv("KASKADE_PARITY_DIR");
        const fs::path parity = env && *env ? env : KASKADE_PARITY_DIR;
        const auto dir = parity / "pipeline" / "model";
        if (!fs::exists(dir / "cascade.json"))
            QSKIP("parity fixtures not found (set KASKADE_PARITY_DIR)");
        const auto set = findModelSet(dir);
        QCOMPARE(set.layout, FolderLayout::Official);
        QVERIFY(set.complete());
        QCOMPARE(set.cascadeJson, dir / "cascade.json");
        QCOMPARE(set.stageC.files, std::vector<fs::path>{dir / "stage_c.safetensors"});
        QCOMPARE(set.textEncoder.files, std::vector<fs::path>{dir / "text_encoder" / "model.safetensors"});
        QCOMPARE(set.textEncoderConfig, dir / "text_encoder" / "config.json");
        QCOMPARE(set.tokenizerDir, dir / "tokenizer");
        QCOMPARE(set.previewer.files, std::vector<fs::path>{dir / "previewer.safetensors"});
    }

    void missingFolder()
    {
        QVERIFY_THROWS_EXCEPTION(Error, findModelSet(root() / "nowhere"));
        fs::create_directories(root() / "empty");
        const auto set = findModelSet(root() / "empty");
        QCOMPARE(set.layout, FolderLayout::Unknown);
        QCOMPARE(set.missing.size(), std::size_t(5));
    }
};

QTEST_APPLESS_MAIN(TestInspect)
#include "test_inspect.moc"
