// Hostile and broken inputs (issue 12): each must end quickly in a kaskade::Error that names the cause
// (or a correct result) - never a crash, a hang, a read outside the model folder or a silent NaN.
// Every case here was a crash, hang or wrong answer before its fix.

#include "pipeline/device.h"
#include "pipeline/errors.h"
#include "pipeline/io/safe_files.h"
#include "pipeline/io/safetensors.h"
#include "pipeline/io/state_dict.h"
#include "pipeline/loading/checkpoint_scan.h"
#include "pipeline/loading/lora.h"
#include "pipeline/loading/model_set.h"
#include "pipeline/models/clip_text.h"
#include "pipeline/text/clip_tokenizer.h"
#include "pipeline/text/prompt_parser.h"
#include "pipeline/tools/parity/parity.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>
#include <torch/nn/module.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <climits>
#include <fstream>
#include <map>
#include <random>

#include <sys/stat.h>

namespace fs = std::filesystem;
using kaskade::Error;
using kaskade::ErrorCode;

namespace {

void writeFile(const fs::path& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string safetensorsBytes(const std::string& headerText, std::size_t dataBytes = 0)
{
    std::string bytes(8, '\0');
    const std::uint64_t length = headerText.size();
    std::memcpy(bytes.data(), &length, sizeof length);
    return bytes + headerText + std::string(dataBytes, '\0');
}

// Runs `call`, which must throw kaskade::Error with `code` and a message containing `part`.
template <typename Call> bool throwsError(Call&& call, ErrorCode code, const char* part, QString& why)
{
    try {
        call();
        why = "no error";
    } catch (const Error& e) {
        if (e.code() == code && std::string(e.what()).find(part) != std::string::npos)
            return true;
        why = QString("code %1: %2").arg(int(e.code())).arg(e.what());
    } catch (const std::exception& e) {
        why = QString("not a kaskade::Error: %1").arg(e.what());
    }
    return false;
}
#define VERIFY_ERROR(call, code, part)                                                                                 \
    do {                                                                                                               \
        QString why_;                                                                                                  \
        QVERIFY2(throwsError([&] { call; }, code, part, why_), qPrintable(why_));                                      \
    } while (false)

// The reference BPE loop (simple_tokenizer.py): merge the lowest-ranked pair everywhere, repeat.
std::vector<std::string> referenceBpe(std::vector<std::string> word, const std::map<std::string, int>& ranks)
{
    while (word.size() > 1) {
        int best = INT_MAX;
        std::string first, second;
        for (std::size_t i = 0; i + 1 < word.size(); ++i)
            if (auto it = ranks.find(word[i] + " " + word[i + 1]); it != ranks.end() && it->second < best) {
                best = it->second;
                first = word[i];
                second = word[i + 1];
            }
        if (best == INT_MAX)
            break;
        std::vector<std::string> merged;
        for (std::size_t i = 0; i < word.size();) {
            if (i + 1 < word.size() && word[i] == first && word[i + 1] == second) {
                merged.push_back(first + second);
                i += 2;
            } else {
                merged.push_back(word[i++]);
            }
        }
        word = merged;
    }
    return word;
}

// A Stage C shaped module with one attention block: down_blocks.0.0.attention.attn.{in_proj_weight,
// out_proj.weight}, enough for LoRA mapping.
struct FakeAttn : torch::nn::Module
{
    FakeAttn()
    {
        register_parameter("in_proj_weight", at::ones({12, 4}));
        register_module("out_proj", std::make_shared<torch::nn::Module>())
            ->register_parameter("weight", at::ones({4, 4}));
    }
};
std::shared_ptr<torch::nn::Module> fakeStageC()
{
    auto root = std::make_shared<torch::nn::Module>();
    auto level = root->register_module("down_blocks", std::make_shared<torch::nn::Module>())
                     ->register_module("0", std::make_shared<torch::nn::Module>());
    level->register_module("0", std::make_shared<torch::nn::Module>())
        ->register_module("attention", std::make_shared<torch::nn::Module>())
        ->register_module("attn", std::make_shared<FakeAttn>());
    return root;
}

} // namespace

class TestHostileInputs : public QObject
{
    Q_OBJECT

    QTemporaryDir dir_;
    fs::path path(const char* name) const { return fs::path(dir_.path().toStdString()) / name; }

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void deepJsonInSafetensorsHeader()
    {
        const auto file = path("deep.safetensors");
        writeFile(file, safetensorsBytes(std::string(200000, '[') + std::string(200000, ']')));
        VERIFY_ERROR(kaskade::st::Reader::open(file), ErrorCode::BadFormat, "nested deeper than");
        QCOMPARE(kaskade::io::jsonDepth("{\"a\": [1, {\"b\": \"[[[[\"}]}"), 3); // brackets in strings do not count
        QCOMPARE(kaskade::io::jsonDepth("[\"\\\"[\"]"), 1);                     // nor after an escaped quote
    }

    void headerWithManyTensorsParsesInLinearTime()
    {
        // 200,000 zero-size tensors: valid, and must not take quadratic time.
        nlohmann::json header = nlohmann::json::object();
        for (int i = 0; i < 200000; ++i)
            header["t." + std::to_string(i)] = {{"dtype", "F32"}, {"shape", {0}}, {"data_offsets", {0, 0}}};
        const auto file = path("many.safetensors");
        writeFile(file, safetensorsBytes(header.dump()));
        QElapsedTimer timer;
        timer.start();
        const auto reader = kaskade::st::Reader::open(file);
        QCOMPARE(reader->tensors().size(), std::size_t{200000});
        QVERIFY(reader->find("t.199999"));
        QVERIFY2(timer.elapsed() < 20000, qPrintable(QString("took %1 ms").arg(timer.elapsed())));
    }

    void nonRegularFilesAreRefusedWithoutOpening()
    {
        const auto fifo = path("pipe.safetensors");
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        // Opening a FIFO for reading would block until a writer comes: these must return at once.
        VERIFY_ERROR(kaskade::st::Reader::open(fifo), ErrorCode::FileIo, "FIFO");
        VERIFY_ERROR(kaskade::io::readRegularFile(fifo, 1024), ErrorCode::FileIo, "FIFO");
        const auto tokenizerDir = path("fifo_tokenizer");
        fs::create_directories(tokenizerDir);
        QCOMPARE(::mkfifo((tokenizerDir / "vocab.json").c_str(), 0600), 0);
        VERIFY_ERROR(kaskade::text::ClipTokenizer::fromHfFolder(tokenizerDir), ErrorCode::FileIo, "FIFO");
        VERIFY_ERROR(kaskade::st::Reader::open("/dev/zero"), ErrorCode::FileIo, "character device");
        VERIFY_ERROR(kaskade::st::Reader::open(path("absent.safetensors")), ErrorCode::FileNotFound, "not found");
        // /proc files report size 0 but are not empty: say so rather than "empty file".
        VERIFY_ERROR(kaskade::st::Reader::open("/proc/self/status"), ErrorCode::BadFormat, "/proc");
        QVERIFY(kaskade::io::readRegularFile("/proc/self/status", 1 << 20).find("Name:") != std::string::npos);
    }

    void tokenizerNotLoadedThrows()
    {
        std::ofstream(path("bpe.txt")) << "#version: 0.2\na b\n";
        auto tokenizer = kaskade::text::ClipTokenizer::fromBpeFile(path("bpe.txt"));
        auto other = std::move(tokenizer);
        QVERIFY(!other.encode("ab").empty());
        VERIFY_ERROR((void)tokenizer.encode("ab"), ErrorCode::InvalidArgument, "not loaded");
        VERIFY_ERROR((void)tokenizer.vocabSize(), ErrorCode::InvalidArgument, "not loaded");
    }

    void tokenizerConfigIdsAreBounded_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("message");
        QTest::newRow("negative added id") << R"({"added_tokens_decoder": {"-5": {"content": "x"}}})"
                                           << "outside";
        QTest::newRow("huge added id (3 GB)") << R"({"added_tokens_decoder": {"100000000": {"content": "x"}}})"
                                              << "outside";
        QTest::newRow("id with junk") << R"({"added_tokens_decoder": {"7abc": {"content": "x"}}})"
                                      << "is not an id";
        QTest::newRow("normalized not bool") << R"({"added_tokens_decoder": {"3": {"content": "x", "normalized": 1}}})"
                                             << "true/false";
        QTest::newRow("deep nesting") << QString(100000, '[') << "nested deeper";
    }
    void tokenizerConfigIdsAreBounded()
    {
        QFETCH(QString, config);
        QFETCH(QString, message);
        const auto dir = path("hf_tokenizer");
        fs::create_directories(dir);
        writeFile(dir / "vocab.json", R"({"a": 0, "b": 1, "a</w>": 2, "<|endoftext|>": 3})");
        writeFile(dir / "merges.txt", "#version: 0.2\n");
        writeFile(dir / "tokenizer_config.json", config.toStdString());
        VERIFY_ERROR(kaskade::text::ClipTokenizer::fromHfFolder(dir), ErrorCode::BadFormat, qPrintable(message));
        writeFile(dir / "tokenizer_config.json", "{}");
        writeFile(dir / "vocab.json", R"({"a": 0, "b": 100000000})"); // a tiny vocab.json with a huge id
        VERIFY_ERROR(kaskade::text::ClipTokenizer::fromHfFolder(dir), ErrorCode::BadFormat, "not a valid id");
    }

    void bpeIsLinearAndMatchesTheReference()
    {
        // Merges over a 3-letter alphabet; random words compared with the reference loop.
        const std::vector<std::string> merges = {"a b",  "b a",      "ab a", "a a",  "b b</w>", "c a", "ab ab",
                                                 "aa a", "ba b</w>", "c c",  "cc c", "a c</w>", "ab c"};
        std::string file = "#version: 0.2\n";
        std::map<std::string, int> ranks;
        for (std::size_t i = 0; i < merges.size(); ++i) {
            file += merges[i] + "\n";
            ranks[merges[i]] = static_cast<int>(i);
        }
        writeFile(path("small_bpe.txt"), file);
        const auto tokenizer = kaskade::text::ClipTokenizer::fromBpeFile(path("small_bpe.txt"));
        std::mt19937 random(7);
        for (int trial = 0; trial < 300; ++trial) {
            std::string word;
            const int length = 1 + static_cast<int>(random() % 24);
            for (int i = 0; i < length; ++i)
                word += "abc"[random() % 3];
            std::vector<std::string> symbols;
            for (char c : word)
                symbols.emplace_back(1, c);
            symbols.back() += "</w>";
            std::vector<std::string> expected = referenceBpe(symbols, ranks);
            QCOMPARE(tokenizer.tokens(tokenizer.encode(word)), expected);
        }
        // One 200 kB word: the reference loop is quadratic (minutes); ours must take well under a second or two.
        std::string longWord;
        for (int i = 0; i < 200000; ++i)
            longWord += "abc"[random() % 3];
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!tokenizer.encode(longWord).empty());
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString("took %1 ms").arg(timer.elapsed())));
    }

    void emphasisNestingAndWeightsAreBounded()
    {
        using kaskade::text::parseEmphasis;
        const std::string deep = std::string(100000, '(') + "cat" + std::string(100000, ')');
        VERIFY_ERROR(parseEmphasis(deep), ErrorCode::InvalidArgument, "nested");
        VERIFY_ERROR(parseEmphasis("(cat:1e308)"), ErrorCode::InvalidArgument, "out of range");
        VERIFY_ERROR(parseEmphasis("(cat:1e39)"), ErrorCode::InvalidArgument, "out of range"); // inf in float
        QCOMPARE(parseEmphasis(std::string(32, '(') + "a" + std::string(32, ')')).size(), std::size_t{1});
        QCOMPARE(parseEmphasis("(a:-2.5)").front().weight, -2.5);
        // The GUI's live counter never throws: it counts the text as written.
        std::ofstream(path("bpe2.txt")) << "#version: 0.2\nc a\n";
        const auto tokenizer = kaskade::text::ClipTokenizer::fromBpeFile(path("bpe2.txt"));
        QVERIFY(kaskade::text::countTokens(tokenizer, "(cat:1e308)") > 0);
    }

    void loraRankZeroAndNonFiniteValues()
    {
        auto model = fakeStageC();
        const auto file = path("lora.safetensors");
        auto tensors = [](at::Tensor down, at::Tensor up) {
            return kaskade::TensorMap{{"weights.0.lora_down", down}, {"weights.0.lora_up", up}};
        };
        VERIFY_ERROR(kaskade::mapLora(tensors(at::zeros({0, 4}), at::zeros({4, 0})), file, *model),
                     ErrorCode::BadCheckpoint, "rank 0");
        VERIFY_ERROR(kaskade::mapLora(tensors(at::zeros({2}), at::zeros({4, 2})), file, *model),
                     ErrorCode::BadCheckpoint, "not a pair of matrices");
        VERIFY_ERROR(kaskade::mapLora(tensors(at::full({2, 4}, NAN), at::ones({4, 2})), file, *model),
                     ErrorCode::BadCheckpoint, "NaN");
        VERIFY_ERROR(
            kaskade::mapLora(
                {{"lora_prior_unet_down_blocks_0_0_attention_attn_out_proj.lora_down.weight", at::ones({0, 4})},
                 {"lora_prior_unet_down_blocks_0_0_attention_attn_out_proj.lora_up.weight", at::ones({4, 0})}},
                file, *model),
            ErrorCode::BadCheckpoint, "rank 0");
        // Finite but huge: the merged weight would be inf. Refused, and the model keeps its weights.
        const auto huge = kaskade::mapLora(tensors(at::full({2, 4}, 1e30f), at::full({4, 2}, 1e30f)), file, *model);
        kaskade::LoraMerger merger;
        VERIFY_ERROR(merger.apply(*model, {{&huge, 1.0}}), ErrorCode::BadCheckpoint, "not finite");
        for (const auto& p : model->named_parameters(true))
            QVERIFY(at::equal(p.value(), at::ones_like(p.value())));
        QVERIFY(!merger.active());
        // Token-embedding indices out of range are an error, not an out-of-bounds write.
        VERIFY_ERROR(kaskade::applyLoraTokens(at::zeros({5, 3}), {"a", "b", "c", "d", "e"}, {},
                                              at::tensor({7}, at::kLong), at::zeros({1, 3})),
                     ErrorCode::BadCheckpoint, "do not fit");
    }

    void nonFiniteWeightsAreRefusedAtLoad()
    {
        auto model = fakeStageC();
        kaskade::TensorMap tensors;
        for (const auto& p : model->named_parameters(true))
            tensors[p.key()] = at::zeros_like(p.value());
        tensors["down_blocks.0.0.attention.attn.in_proj_weight"][3][1] = INFINITY;
        VERIFY_ERROR(kaskade::loadStateDict(*model, tensors, "fake.safetensors"), ErrorCode::BadCheckpoint,
                     "down_blocks.0.0.attention.attn.in_proj_weight");
        for (const auto& p : model->named_parameters(true)) // nothing was copied
            QVERIFY(at::equal(p.value(), at::ones_like(p.value())));
    }

    void scansSurviveSymlinkLoops()
    {
        const auto root = path("loops");
        fs::create_directories(root / "a" / "b");
        for (const char* link : {"a/up", "a/b/up", "a/b/root", "self"})
            fs::create_directory_symlink(root, root / link);
        writeFile(root / "a" / "b" / "x.safetensors",
                  safetensorsBytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4));
        QElapsedTimer timer;
        timer.start();
        const auto entries = kaskade::scanCheckpoints(root, 64);
        QCOMPARE(entries.size(), std::size_t{1}); // each real file once
        const auto set = kaskade::findModelSet(root);
        QVERIFY(set.stageC.empty());
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString("took %1 ms").arg(timer.elapsed())));
    }

    void shardIndexIsConfinedToTheModelFolder_data()
    {
        QTest::addColumn<QString>("shard");
        QTest::newRow("parent") << "../outside.safetensors";
        QTest::newRow("deep parent") << "sub/../../outside.safetensors";
        QTest::newRow("absolute") << QString::fromStdString(path("outside.safetensors").string());
        QTest::newRow("symlink out") << "link.safetensors";
    }
    void shardIndexIsConfinedToTheModelFolder()
    {
        QFETCH(QString, shard);
        const auto models = path("confined") / "model";
        fs::remove_all(path("confined"));
        fs::create_directories(models / "sub");
        // The file outside is a valid checkpoint: opening it would list it as a found model.
        writeFile(path("confined") / "outside.safetensors",
                  safetensorsBytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4));
        writeFile(path("outside.safetensors"),
                  safetensorsBytes(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4));
        fs::create_symlink(path("confined") / "outside.safetensors", models / "link.safetensors");
        writeFile(models / "model.safetensors.index.json",
                  nlohmann::json{{"weight_map", {{"w", shard.toStdString()}}}}.dump());
        const auto set = kaskade::findModelSet(models);
        bool noted = false;
        for (const auto& note : set.notes)
            noted = noted || note.find("outside the index's folder") != std::string::npos;
        QVERIFY2(noted, "the index was not refused");
    }

    void parityRunnerFindsSymlinkedFixturesAndRefusesEmptyFolders()
    {
        const auto empty = path("no_fixtures");
        fs::create_directories(empty);
        VERIFY_ERROR(kaskade::parity::runAll(empty, "", {}), ErrorCode::FileNotFound, "no fixtures");
        const auto real = path("fixture_store") / "weird_fixture";
        fs::create_directories(real);
        writeFile(real / "fixture.json", R"({"module": "no_such_module"})");
        const auto linked = path("linked_fixtures");
        fs::create_directories(linked);
        fs::create_directory_symlink(path("fixture_store"), linked / "store");
        fs::create_directory_symlink(linked, linked / "store_loop"); // a loop must not repeat or hang
        const auto results = kaskade::parity::runAll(linked, "", {});
        QCOMPARE(results.size(), std::size_t{1});
        QCOMPARE(results[0].name, std::string("weird_fixture"));
        QVERIFY(!results[0].passed);
        VERIFY_ERROR(kaskade::parity::runAll(linked, "nothing_matches", {}), ErrorCode::InvalidArgument,
                     "no fixture name");
    }

    void tinyConfigsCannotAskForHugeModels()
    {
        using kaskade::models::ClipTextConfig;
        VERIFY_ERROR(ClipTextConfig::fromJson({{"hidden_size", 1 << 20}, {"num_attention_heads", 8}}, "config.json"),
                     ErrorCode::BadFormat, "billion parameters");
        VERIFY_ERROR(ClipTextConfig::fromJson({{"bos_token_id", "one"}}, "config.json"), ErrorCode::BadFormat,
                     "must be an integer");
        writeFile(path("deep_config.json"), std::string(50000, '[') + std::string(50000, ']'));
        VERIFY_ERROR(ClipTextConfig::fromFile(path("deep_config.json")), ErrorCode::BadFormat, "nested deeper");
        QCOMPARE(ClipTextConfig::fromJson(nlohmann::json::object(), "config.json").hiddenSize, 512); // defaults
    }

    void threadCountIsBounded()
    {
        VERIFY_ERROR(kaskade::setThreads(1 << 30), ErrorCode::InvalidArgument, "limit");
        kaskade::setThreads(1);
    }
};

QTEST_GUILESS_MAIN(TestHostileInputs)
#include "test_hostile_inputs.moc"
