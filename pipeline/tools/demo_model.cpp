// writeDemoModel: a random-weight model set in the official release layout, so that the app, the CLI
// and the tests run without the multi-GB real weights. The images it draws are noise.
#include "pipeline/tools/demo_model.h"
#include "pipeline/errors.h"
#include "pipeline/io/safetensors.h"
#include "pipeline/models/clip_text.h"
#include "pipeline/models/clip_vision.h"
#include "pipeline/models/controlnet.h"
#include "pipeline/models/effnet_encoder.h"
#include "pipeline/models/previewer.h"
#include "pipeline/models/stage_a.h"
#include "pipeline/models/stage_b.h"
#include "pipeline/models/stage_c.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

namespace kaskade {
namespace fs = std::filesystem;
namespace {

// Words the demo tokenizer learns merges from (our own list: no third-party vocabulary is shipped).
constexpr const char* kDemoCorpus =
    "a photo of the cat dog sitting on red blue green chair table house tree forest mountain river sea sky "
    "sunset sunrise night city street car portrait woman man child painting oil watercolor digital art "
    "highly detailed lighting cinematic landscape beautiful in with and at by an old young small large "
    "castle lighthouse dusk dawn flower garden snow rain cloud water fire light dark golden hour studio";

// openai/CLIP bytes_to_unicode(): printable bytes map to themselves, the rest to U+0100 onwards.
std::vector<std::string> byteSymbols()
{
    std::vector<int> printable;
    for (int b = '!'; b <= '~'; ++b)
        printable.push_back(b);
    for (int b = 0xA1; b <= 0xAC; ++b)
        printable.push_back(b);
    for (int b = 0xAE; b <= 0xFF; ++b)
        printable.push_back(b);
    std::set<int> seen(printable.begin(), printable.end());
    std::vector<std::pair<int, int>> order; // byte → code point, in the dict's insertion order
    for (int b : printable)
        order.emplace_back(b, b);
    int extra = 0;
    for (int b = 0; b < 256; ++b)
        if (!seen.count(b))
            order.emplace_back(b, 256 + extra++);
    std::vector<std::string> symbols;
    for (const auto& [byte, cp] : order) {
        std::string utf8;
        if (cp < 0x80)
            utf8 += static_cast<char>(cp);
        else {
            utf8 += static_cast<char>(0xC0 | (cp >> 6));
            utf8 += static_cast<char>(0x80 | (cp & 0x3F));
        }
        symbols.push_back(utf8);
    }
    return symbols;
}

// Greedy BPE merges over the corpus words (most frequent adjacent pair; ties → smallest pair).
std::vector<std::pair<std::string, std::string>> learnMerges(int count)
{
    std::map<std::vector<std::string>, int> words;
    std::string word;
    auto flush = [&] {
        if (word.empty())
            return;
        std::vector<std::string> symbols;
        for (std::size_t i = 0; i < word.size(); ++i)
            symbols.emplace_back(1, word[i]);
        symbols.back() += "</w>";
        ++words[symbols];
        word.clear();
    };
    for (const char* p = kDemoCorpus; *p; ++p) {
        if (*p == ' ')
            flush();
        else
            word += *p;
    }
    flush();
    std::vector<std::pair<std::string, std::string>> merges;
    for (int m = 0; m < count; ++m) {
        std::map<std::pair<std::string, std::string>, int> pairs;
        for (const auto& [symbols, n] : words)
            for (std::size_t i = 0; i + 1 < symbols.size(); ++i)
                pairs[{symbols[i], symbols[i + 1]}] += n;
        if (pairs.empty())
            break;
        auto best = pairs.begin();
        for (auto it = pairs.begin(); it != pairs.end(); ++it)
            if (it->second > best->second)
                best = it;
        merges.push_back(best->first);
        std::map<std::vector<std::string>, int> next;
        for (const auto& [symbols, n] : words) {
            std::vector<std::string> merged;
            for (std::size_t i = 0; i < symbols.size(); ++i) {
                if (i + 1 < symbols.size() && symbols[i] == best->first.first && symbols[i + 1] == best->first.second) {
                    merged.push_back(symbols[i] + symbols[i + 1]);
                    ++i;
                } else {
                    merged.push_back(symbols[i]);
                }
            }
            next[merged] += n;
        }
        words = std::move(next);
    }
    return merges;
}

void writeText(const fs::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out.flush())
        throw Error(ErrorCode::FileIo, path.string() + ": cannot write");
}

// Tokenizer files in the Hugging Face layout; returns the vocabulary size.
std::int64_t writeTokenizer(const fs::path& dir)
{
    fs::create_directories(dir);
    const auto symbols = byteSymbols();
    const auto merges = learnMerges(300);
    nlohmann::ordered_json vocab;
    std::int64_t id = 0;
    for (const auto& s : symbols)
        vocab[s] = id++;
    for (const auto& s : symbols)
        vocab[s + "</w>"] = id++;
    std::string mergeText = "#version: 0.2\n";
    for (const auto& [left, right] : merges) {
        if (!vocab.contains(left + right))
            vocab[left + right] = id++;
        mergeText += left + " " + right + "\n";
    }
    vocab["<|startoftext|>"] = id++;
    vocab["<|endoftext|>"] = id++;
    writeText(dir / "vocab.json", vocab.dump());
    writeText(dir / "merges.txt", mergeText);
    const nlohmann::json special = {{"bos_token", "<|startoftext|>"},
                                    {"eos_token", "<|endoftext|>"},
                                    {"pad_token", "<|endoftext|>"},
                                    {"unk_token", "<|endoftext|>"}};
    writeText(dir / "special_tokens_map.json", special.dump(2));
    nlohmann::json config = special;
    config["model_max_length"] = 77;
    config["tokenizer_class"] = "CLIPTokenizer";
    config["do_lower_case"] = true;
    writeText(dir / "tokenizer_config.json", config.dump(2));
    return id;
}

// Random values with activations of order 1: weights ~ N(0, 1/fan_in), biases and norms small.
TensorMap randomState(torch::nn::Module& module, at::Generator& gen)
{
    TensorMap state;
    for (const auto& item : module.named_parameters(true)) {
        const auto& p = item.value();
        const std::string& name = item.key();
        at::Tensor value;
        const bool isBias = name.size() > 4 && name.compare(name.size() - 4, 4, "bias") == 0;
        if (isBias || p.dim() <= 1) {
            value = at::randn(p.sizes(), gen, at::kFloat) * 0.02;
            if (name.find("gammas") != std::string::npos)
                value = value.abs();
        } else if (name.find("gamma") != std::string::npos || name.find("beta") != std::string::npos) {
            value = at::randn(p.sizes(), gen, at::kFloat) * 0.1;
        } else {
            const double fanIn = static_cast<double>(p.numel() / p.size(0));
            value = at::randn(p.sizes(), gen, at::kFloat) / std::sqrt(std::max(1.0, fanIn));
        }
        state[name] = value;
    }
    for (const auto& item : module.named_buffers(true)) {
        const auto& b = item.value();
        const std::string& name = item.key();
        if (name.find("num_batches_tracked") != std::string::npos)
            state[name] = at::zeros({}, at::kLong);
        else if (name.find("running_var") != std::string::npos)
            state[name] = at::ones(b.sizes(), at::kFloat) + at::rand(b.sizes(), gen, at::kFloat) * 0.1;
        else
            state[name] = at::randn(b.sizes(), gen, at::kFloat) * 0.05;
    }
    return state;
}

struct DemoSizes
{
    models::StageCConfig stageC;
    models::StageBConfig stageB;
    models::StageAConfig stageA;
    models::PreviewerConfig previewer;
    models::ClipTextConfig text;
};

DemoSizes demoSizes(const std::string& size, std::int64_t vocabSize)
{
    DemoSizes d;
    const bool small = size == "small";
    d.text.vocabSize = vocabSize;
    d.text.hiddenSize = small ? 64 : 32;
    d.text.intermediateSize = d.text.hiddenSize * 4;
    d.text.numHiddenLayers = 2;
    d.text.numAttentionHeads = 4;
    d.text.projectionDim = small ? 64 : 32;
    d.text.bosTokenId = vocabSize - 2;
    d.text.eosTokenId = vocabSize - 1;

    const std::int64_t c = small ? 64 : 32;
    d.stageC.cCond = c;
    d.stageC.levels = {{c, c * 2},     {2, 4},     {{1, 2}, {2, 1}}, {{1, 1}, {1, 1}},
                       {"CTA", "CTA"}, {0.1, 0.1}, {true, true}};
    d.stageC.cClipText = d.text.hiddenSize;
    d.stageC.cClipTextPooled = d.text.projectionDim;

    const std::int64_t b = small ? 16 : 8;
    d.stageB.cCond = c;
    d.stageB.levels = {
        {b, b * 2, b * 4, b * 4},   {-1, -1, 2, 4},   {{1, 1, 2, 1}, {1, 2, 1, 1}}, {{1, 1, 1, 1}, {2, 2, 2, 2}},
        {"CT", "CT", "CTA", "CTA"}, {0, 0, 0.1, 0.1}, {true, true, true, true}};
    d.stageB.cClip = d.text.projectionDim;

    d.stageA.bottleneckBlocks = 2;
    d.stageA.cHidden = small ? 64 : 32;
    d.stageA.codebookSize = 64;
    d.previewer.cHidden = small ? 64 : 32;
    return d;
}

void writeModule(torch::nn::Module& module, const fs::path& file, at::Generator& gen)
{
    st::write(file, randomState(module, gen), {{"format", "pt"}, {"kaskade_demo", "random weights"}});
}

// A tiny EfficientNetV2-S-pattern backbone (the parity fixtures' widths): six stages with the released
// kinds and strides, so every image mode runs on the demo model.
models::EffnetFeaturesConfig demoEffnetFeatures(std::int64_t cIn)
{
    struct Row
    {
        bool fused;
        std::int64_t expand, stride, in, out, layers;
    };
    constexpr Row rows[] = {{true, 1, 1, 8, 8, 1},    {true, 4, 2, 8, 16, 2},   {true, 4, 2, 16, 16, 1},
                            {false, 4, 2, 16, 24, 2}, {false, 6, 1, 24, 24, 1}, {false, 6, 2, 24, 32, 2}};
    models::EffnetFeaturesConfig c;
    c.cIn = cIn;
    c.stemChannels = 8;
    c.paddedStem = cIn == 3;
    c.lastChannel = 48;
    for (const auto& row : rows) {
        std::vector<models::EffnetLayerConfig> stage;
        for (std::int64_t l = 0; l < row.layers; ++l) {
            models::EffnetLayerConfig layer;
            layer.fused = row.fused;
            layer.in = l == 0 ? row.in : row.out;
            layer.out = row.out;
            layer.expands = row.expand != 1;
            layer.expanded = layer.in * row.expand;
            layer.stride = l == 0 ? row.stride : 1;
            layer.squeeze = row.fused ? 0 : std::max<std::int64_t>(1, layer.in / 4);
            stage.push_back(layer);
        }
        c.stages.push_back(std::move(stage));
    }
    return c;
}

// The optional image-input networks: effnet_encoder.safetensors, image_encoder/, controlnet/*. The
// ControlNets feed the ResBlock calls of Stage C's first level (width c_hidden[0]); returns their args.
nlohmann::json writeDemoImageNetworks(const fs::path& dir, const models::StageCConfig& stageC, at::Generator& gen)
{
    const auto cpu = at::TensorOptions().dtype(at::kFloat);
    {
        models::EfficientNetEncoder m(demoEffnetFeatures(3), 16, cpu);
        writeModule(*m, dir / "effnet_encoder.safetensors", gen);
    }

    models::ClipVisionConfig vision;
    vision.hiddenSize = 32;
    vision.intermediateSize = 128;
    vision.numHiddenLayers = 2;
    vision.numAttentionHeads = 4;
    vision.imageSize = 32;
    vision.patchSize = 8;
    vision.projectionDim = stageC.cClipImg;
    fs::create_directories(dir / "image_encoder");
    {
        models::ClipVisionModel m(vision, cpu);
        writeModule(*m, dir / "image_encoder" / "model.safetensors", gen);
    }
    const nlohmann::json visionConfig = {{"architectures", {"CLIPVisionModelWithProjection"}},
                                         {"model_type", "clip_vision_model"},
                                         {"hidden_size", vision.hiddenSize},
                                         {"intermediate_size", vision.intermediateSize},
                                         {"num_hidden_layers", vision.numHiddenLayers},
                                         {"num_attention_heads", vision.numAttentionHeads},
                                         {"image_size", vision.imageSize},
                                         {"patch_size", vision.patchSize},
                                         {"num_channels", 3},
                                         {"projection_dim", vision.projectionDim},
                                         {"hidden_act", "quick_gelu"},
                                         {"layer_norm_eps", vision.layerNormEps},
                                         {"torch_dtype", "float32"}};
    writeText(dir / "image_encoder" / "config.json", visionConfig.dump(2));

    // proj_blocks: the ResBlock calls that run at level 0 (the first and the last with the demo Stage C).
    const auto widths = models::stageCResBlockCallWidths(stageC);
    std::vector<std::int64_t> projBlocks;
    for (std::size_t i = 0; i < widths.size(); ++i)
        if (widths[i] == stageC.levels.cHidden.front())
            projBlocks.push_back(static_cast<std::int64_t>(i));
    fs::create_directories(dir / "controlnet");
    models::ControlNetConfig cnet;
    cnet.cProj = stageC.levels.cHidden.front();
    cnet.projBlocks = projBlocks;
    cnet.embedChannels = 48;
    cnet.bottleneck = models::ControlNetBottleneck::Effnet;
    for (const auto& [kind, cIn] : {std::pair{ControlKind::Canny, 1}, std::pair{ControlKind::Inpaint, 4}}) {
        cnet.cIn = cIn;
        cnet.effnet = demoEffnetFeatures(cIn);
        models::ControlNet m(cnet, cpu);
        writeModule(*m, dir / "controlnet" / controlKindFileName(kind), gen);
    }
    cnet.bottleneck = models::ControlNetBottleneck::Large;
    cnet.cIn = 16;
    cnet.largeHidden = 64;
    cnet.largeMid = 16;
    cnet.largeBlocks = 2;
    cnet.embedChannels = 20;
    {
        models::ControlNet m(cnet, cpu);
        writeModule(*m, dir / "controlnet" / controlKindFileName(ControlKind::SuperResolution), gen);
    }
    return {{"c_proj", cnet.cProj}, {"proj_blocks", projBlocks}};
}

} // namespace

void writeDemoModel(const std::string& directory, const std::string& size, std::uint64_t seed)
{
    if (size != "tiny" && size != "small")
        throw Error(ErrorCode::InvalidArgument, "demo model size must be 'tiny' or 'small' (got '" + size + "')");
    const fs::path dir(directory);
    std::error_code ec;
    fs::create_directories(dir / "text_encoder", ec);
    if (ec)
        throw Error(ErrorCode::FileIo, dir.string() + ": cannot create the folder: " + ec.message());
    c10::InferenceMode guard;
    at::Generator gen = at::detail::createCPUGenerator(seed);
    const auto cpu = at::TensorOptions().dtype(at::kFloat);

    const std::int64_t vocabSize = writeTokenizer(dir / "tokenizer");
    const DemoSizes d = demoSizes(size, vocabSize);

    {
        models::StageC m(d.stageC, cpu);
        writeModule(*m, dir / "stage_c.safetensors", gen);
    }
    {
        models::StageB m(d.stageB, cpu);
        writeModule(*m, dir / "stage_b.safetensors", gen);
    }
    {
        models::StageA m(d.stageA, cpu);
        writeModule(*m, dir / "stage_a.safetensors", gen);
    }
    {
        models::Previewer m(d.previewer, cpu);
        writeModule(*m, dir / "previewer.safetensors", gen);
    }
    {
        models::ClipTextModel m(d.text, cpu);
        writeModule(*m, dir / "text_encoder" / "model.safetensors", gen);
    }
    const nlohmann::json controlNetArgs = writeDemoImageNetworks(dir, d.stageC, gen);

    const nlohmann::json textConfig = d.text.toJson("float32");
    writeText(dir / "text_encoder" / "config.json", textConfig.dump(2));

    const nlohmann::json cascade = {
        {"format", "kaskade-demo/1"},
        {"note", "Random-weight demo model written by Kaskade: it draws noise. Get the real Stable Cascade "
                 "weights from the Hugging Face repository stabilityai/stable-cascade."},
        {"demo", true},
        {"stage_a", {{"class", "StageA"}, {"file", "stage_a.safetensors"}, {"args", d.stageA.toJson()}}},
        {"stage_b", {{"class", "StageB"}, {"file", "stage_b.safetensors"}, {"args", toJson(d.stageB)}}},
        {"stage_c", {{"class", "StageC"}, {"file", "stage_c.safetensors"}, {"args", toJson(d.stageC)}}},
        {"previewer",
         {{"class", "Previewer"},
          {"file", "previewer.safetensors"},
          {"args", {{"c_in", d.previewer.cIn}, {"c_hidden", d.previewer.cHidden}, {"c_out", d.previewer.cOut}}}}},
        {"controlnet", {{"class", "ControlNet"}, {"files", "controlnet/*.safetensors"}, {"args", controlNetArgs}}},
        {"text_encoder",
         {{"dir", "text_encoder"},
          {"config", "text_encoder/config.json"},
          {"weights", "text_encoder/model.safetensors"}}},
        {"tokenizer",
         {{"dir", "tokenizer"},
          {"bos_token_id", d.text.bosTokenId},
          {"eos_token_id", d.text.eosTokenId},
          {"pad_token_id", d.text.eosTokenId},
          {"model_max_length", 77}}}};
    writeText(dir / "cascade.json", cascade.dump(2));
}

} // namespace kaskade
