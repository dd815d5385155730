#include "pipeline/training/lora_job.h"

#include "pipeline/device.h"
#include "pipeline/errors.h"
#include "pipeline/io/name_rules.h"
#include "pipeline/model_files.h"
#include "pipeline/models/clip_vision.h"
#include "pipeline/models/effnet_encoder.h"
#include "pipeline/text/clip_tokenizer.h"
#include "pipeline/training/lora_trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>

namespace kaskade {
namespace {

namespace fs = std::filesystem;

// The official recipe's stream of draws, one generator per purpose and micro-step (or epoch), so that a
// resumed run draws exactly what the uninterrupted run would have.
at::Generator loraJobGenerator(std::uint64_t seed, std::uint64_t purpose, std::uint64_t index)
{
    return at::make_generator<at::CPUGeneratorImpl>(seed * 0x9E3779B97F4A7C15ULL ^ (purpose << 56) ^ index);
}

// (H,W,3) uint8 → (1,3,res,res) in [0,1]: shorter side resized to res (bilinear, antialiased), centre crop.
at::Tensor loraJobPrepareImage(const TrainingImage& item, int res)
{
    const RgbImage& img = item.image;
    if (img.empty() || img.rgb.size() != static_cast<std::size_t>(img.width) * img.height * 3)
        throw Error(ErrorCode::InvalidArgument, item.name + ": empty or damaged picture");
    auto x = at::from_blob(const_cast<std::uint8_t*>(img.rgb.data()), {img.height, img.width, 3}, at::kByte)
                 .permute({2, 0, 1})
                 .unsqueeze(0)
                 .to(at::kFloat)
                 .div(255.0); // (1,3,H,W)
    const double scale = static_cast<double>(res) / std::min(img.width, img.height);
    const auto h = std::max<std::int64_t>(res, static_cast<std::int64_t>(std::lround(img.height * scale)));
    const auto w = std::max<std::int64_t>(res, static_cast<std::int64_t>(std::lround(img.width * scale)));
    x = at::_upsample_bilinear2d_aa(x, {h, w}, false).clamp(0, 1);
    return x.narrow(2, (h - res) / 2, res).narrow(3, (w - res) / 2, res).contiguous();
}

bool loraJobIsNewToken(const std::string& p)
{
    return p.size() >= 2 && ((p.front() == '[' && p.back() == ']') || (p.front() == '<' && p.back() == '>'));
}

nlohmann::json loraJobSettingsJson(const LoraTrainingParams& p, const training::LoraState& lora, std::int64_t updates)
{
    nlohmann::json tokens = nlohmann::json::array();
    for (const auto& [id, name] : lora.tokenNames)
        tokens.push_back({id, name});
    return {
        {"kaskade", "lora-training"},
        {"model", p.modelDir.string()},
        {"pictures", p.images.size()},
        {"default_caption", p.defaultCaption},
        {"train_tokens", nlohmann::json::array({nlohmann::json::array(
                             {p.token, p.initFrom.empty() ? nlohmann::json() : nlohmann::json(p.initFrom)})})},
        {"module_filters", {".attn"}},
        {"rank", p.rank},
        {"lr", p.lr},
        {"warmup_updates", p.warmupUpdates},
        {"updates", p.updates},
        {"batch_size", p.batch},
        {"grad_accum_steps", p.gradAccum},
        {"image_size", p.resolution},
        {"seed", p.seed},
        {"caption_dropout", p.captionDropout},
        {"image_conditioned", p.imageConditioned},
        {"dropout", p.dropout},
        {"optimizer", {{"name", "AdamW"}, {"betas", {0.9, 0.999}}, {"eps", 1e-8}, {"weight_decay", 0.01}}},
        {"grad_clip", 1.0},
        {"info", {{"total_steps", updates}, {"train_tokens", tokens}}},
    };
}

void loraJobCheck(bool ok, const std::string& message)
{
    if (!ok)
        throw Error(ErrorCode::InvalidArgument, "train-lora: " + message);
}

} // namespace

fs::path loraSettingsPath(const fs::path& output)
{
    return output.parent_path() / (output.stem().string() + ".json");
}

fs::path loraCheckpointPath(const fs::path& output)
{
    return output.parent_path() / (output.stem().string() + ".ckpt.safetensors");
}

LoraTrainingResult trainLora(const LoraTrainingParams& p, const LoraTrainingCallbacks& callbacks)
{
    loraJobCheck(!p.images.empty(), "no pictures to train on");
    loraJobCheck(p.rank >= 1 && p.rank <= 1024, "rank must be 1..1024");
    loraJobCheck(p.updates >= 1, "the number of updates must be at least 1");
    loraJobCheck(p.batch >= 1 && p.gradAccum >= 1, "batch and accumulation must be at least 1");
    loraJobCheck(p.resolution >= 64 && p.resolution % 32 == 0, "the resolution must be a multiple of 32, at least 64");
    loraJobCheck(p.lr > 0 && p.lr < 1, "the learning rate must be in (0, 1)");
    loraJobCheck(!p.output.empty(), "no output file");

    // Fail before the long part: the output folder must exist (or be creatable).
    if (const auto folder = p.output.parent_path(); !folder.empty()) {
        std::error_code error;
        fs::create_directories(folder, error);
        if (error || !fs::is_directory(folder))
            throw Error(ErrorCode::FileIo,
                        folder.string() + ": cannot create the output folder (" + error.message() + ")");
    }
    if (!p.resume.empty() && !fs::exists(p.resume))
        throw Error(ErrorCode::FileNotFound, p.resume.string() + ": no such checkpoint to resume from");

    const auto started = std::chrono::steady_clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    auto report = [&](const std::string& message) {
        if (callbacks.progress) {
            LoraTrainingProgress progress;
            progress.updates = p.updates;
            progress.message = message;
            progress.elapsed = seconds();
            callbacks.progress(progress);
        }
    };
    LoraTrainingResult result;

    // Models: Stage C and the text encoder in float32, outside InferenceMode (they take part in autograd).
    ModelSpec spec;
    spec.directory = p.modelDir.string();
    const ModelFiles files = resolveModelFiles(spec);
    const at::Device device(resolveDevice(p.device));
    const auto opts = at::TensorOptions().dtype(at::kFloat).device(device);
    report("loading the text encoder");
    text::ClipTokenizer tokenizer = text::ClipTokenizer::load(files.tokenizer);
    clip::ClipTextModel textModel = loadTextEncoder(files, opts);
    report("loading Stage C");
    StageC generator = loadStageCFrom(files, opts);

    // Tokens (setup_models): the vocabulary strings, the new token in the tokenizer and in the table.
    std::vector<std::string> vocab;
    for (std::int64_t id = 0; id < tokenizer.vocabSize(); ++id)
        vocab.push_back(tokenizer.token(id));
    const at::Tensor baseTable = textModel->text_model->embeddings->token_embedding->weight.detach();
    if (baseTable.size(0) != static_cast<std::int64_t>(vocab.size()))
        throw Error(ErrorCode::BadCheckpoint, "the tokenizer has " + std::to_string(vocab.size()) +
                                                  " entries but the text encoder's embedding has " +
                                                  std::to_string(baseTable.size(0)) + " rows");
    std::vector<training::TrainToken> tokens;
    if (!p.token.empty())
        tokens.push_back({p.token, p.initFrom.empty() ? c10::nullopt : c10::optional<std::string>(p.initFrom)});
    std::vector<std::int64_t> updateIds;
    const at::Tensor table = training::addTrainTokens(baseTable, vocab, tokens, updateIds);
    if (!p.token.empty() && loraJobIsNewToken(p.token) &&
        tokenizer.addToken(p.token) != static_cast<std::int64_t>(vocab.size()) - 1)
        throw Error(ErrorCode::InvalidArgument, "train-lora: the token " + p.token + " is already in the vocabulary");
    training::extendTokenTable(*textModel, table);

    training::LoraState lora =
        training::createLora(*generator, p.rank, updateIds, table.size(1), loraJobGenerator(p.seed, 1, 0));
    for (const auto id : updateIds)
        lora.tokenNames.emplace_back(id, vocab.at(static_cast<std::size_t>(id)));

    // Pictures → latents (and CLIP image embeddings), once.
    const ModelSet set = findModelSet(p.modelDir);
    if (set.effnet.empty())
        throw Error(ErrorCode::FileNotFound, p.modelDir.string() +
                                                 ": no EfficientNet encoder (effnet_encoder.safetensors): training "
                                                 "needs it to encode the pictures");
    std::vector<at::Tensor> latents, imageEmbeds;
    {
        report("loading the EfficientNet encoder");
        c10::InferenceMode inference;
        const auto effnet =
            models::loadEffnetEncoder(loadOfficial(set.effnet, Role::EffNet), set.effnet.describe(), opts);
        models::ClipVisionModel vision{nullptr};
        const fs::path imageEncoder = p.modelDir / "image_encoder";
        if (p.imageConditioned > 0 && fs::exists(imageEncoder))
            vision = models::loadClipVision(imageEncoder, opts);
        for (std::size_t i = 0; i < p.images.size(); ++i) {
            report("encoding pictures " + std::to_string(i + 1) + "/" + std::to_string(p.images.size()));
            const at::Tensor image = loraJobPrepareImage(p.images[i], p.resolution).to(device);
            latents.push_back(models::effnetEncodeImages(effnet, image)[0]);
            if (vision)
                imageEmbeds.push_back(
                    vision->forward(models::clipPreprocess(image, static_cast<int>(vision->config.imageSize)))
                        .imageEmbeds[0]
                        .to(at::kFloat));
        }
    }
    // Normal tensors again (inference tensors must not enter autograd).
    for (auto& t : latents)
        t = t.clone();
    for (auto& t : imageEmbeds)
        t = t.clone();
    const double imageConditioned = imageEmbeds.empty() ? 0.0 : p.imageConditioned;
    if (imageEmbeds.empty() && p.imageConditioned > 0)
        result.notes.push_back("no image encoder (image_encoder/) in the model folder: no image-conditioned samples");

    training::TrainerSettings settings;
    settings.lr = p.lr;
    settings.warmupUpdates = p.warmupUpdates;
    settings.gradAccum = p.gradAccum;
    training::LoraTrainer trainer(generator, textModel, std::move(lora), settings);
    if (!p.resume.empty()) {
        trainer.loadCheckpoint(p.resume);
        result.notes.push_back("resumed at update " + std::to_string(trainer.updates()) + " from " + p.resume.string());
    }
    generator->train(p.dropout);

    result.lora = p.output;
    result.settings = loraSettingsPath(p.output);
    result.checkpoint = loraCheckpointPath(p.output);
    auto writeOutputs = [&] {
        training::saveOfficialLora(p.output, trainer.lora());
        std::ofstream(result.settings) << loraJobSettingsJson(p, trainer.lora(), trainer.updates()).dump(2) << "\n";
        trainer.saveCheckpoint(result.checkpoint, {{"seed", p.seed}, {"model", p.modelDir.string()}});
    };

    const auto n = static_cast<std::int64_t>(latents.size());
    std::map<std::int64_t, at::Tensor> epochOrder;
    auto pictureAt = [&](std::int64_t slot) { // epoch-wise shuffled order of the pictures
        const std::int64_t epoch = slot / n;
        auto it = epochOrder.find(epoch);
        if (it == epochOrder.end()) {
            epochOrder.clear();
            it = epochOrder.emplace(epoch, at::randperm(n, loraJobGenerator(p.seed, 2, epoch), at::kLong)).first;
        }
        return it->second[slot % n].item<std::int64_t>();
    };
    auto captionOf = [&](std::int64_t i) {
        const auto& c = p.images[static_cast<std::size_t>(i)].caption;
        return c.empty() ? p.defaultCaption : c;
    };

    // One micro-batch: caption dropout and image conditioning (when `augment`), noise and t, all from `gen`.
    auto buildInputs = [&](const std::vector<std::int64_t>& pics, at::Generator gen, bool augment) {
        const auto b = static_cast<std::int64_t>(pics.size());
        const at::Tensor keepDraw = at::rand({b}, gen, at::kDouble);
        const at::Tensor imageDraw = at::rand({b}, gen, at::kDouble);
        training::MicroInputs in;
        std::vector<at::Tensor> rows;
        std::vector<std::int64_t> ids, mask;
        in.clipImg = at::zeros({b, generator->config().cClipImg}, at::kFloat);
        for (std::int64_t r = 0; r < b; ++r) {
            const std::int64_t pic = pics[static_cast<std::size_t>(r)];
            rows.push_back(latents[static_cast<std::size_t>(pic)]);
            const bool keep = !augment || keepDraw[r].item<double>() > p.captionDropout;
            const auto padded = tokenizer.encodePadded(keep ? captionOf(pic) : std::string());
            ids.insert(ids.end(), padded.ids.begin(), padded.ids.end());
            mask.insert(mask.end(), padded.attentionMask.begin(), padded.attentionMask.end());
            if (augment && imageDraw[r].item<double>() > 1.0 - imageConditioned)
                in.clipImg[r].copy_(imageEmbeds[static_cast<std::size_t>(pic)].cpu());
        }
        in.latents = at::stack(rows);
        in.inputIds = at::tensor(ids, at::kLong).view({b, -1});
        in.attentionMask = at::tensor(mask, at::kLong).view({b, -1});
        in.noise = at::randn(in.latents.sizes(), gen, at::TensorOptions().dtype(at::kFloat)).to(device);
        in.tRand = at::rand({b}, gen, at::kFloat);
        return in;
    };
    // The loss on fixed draws over (up to 8 of) the pictures with their captions: comparable across a run.
    auto heldLoss = [&] {
        std::vector<std::int64_t> pics;
        for (std::int64_t i = 0; i < std::min<std::int64_t>(n, 8); ++i)
            pics.push_back(i);
        generator->eval();
        const double loss =
            trainer.evaluate(buildInputs(pics, loraJobGenerator(p.seed, 4, 0), false)).loss.mean().item<double>();
        generator->train(p.dropout);
        return loss;
    };
    result.heldLossBefore = heldLoss();

    const auto sessionStart = trainer.updates();
    double lossSum = 0;
    int lossCount = 0;
    while (trainer.updates() < p.updates) {
        if (callbacks.shouldStop && callbacks.shouldStop()) {
            result.stopped = true;
            break;
        }
        const auto micro = static_cast<std::uint64_t>(trainer.microSteps());
        std::vector<std::int64_t> pics;
        for (std::int64_t r = 0; r < p.batch; ++r)
            pics.push_back(pictureAt(static_cast<std::int64_t>(micro) * p.batch + r));
        const auto in = buildInputs(pics, loraJobGenerator(p.seed, 3, micro), true);
        const auto out = trainer.microStep(in);
        lossSum += out.loss.mean().item<double>();
        ++lossCount;
        if (!trainer.updateDue())
            continue;
        const auto up = trainer.update();
        trainer.optimizer().zeroGrad();
        const double loss = lossSum / lossCount;
        lossSum = 0;
        lossCount = 0;
        result.losses.push_back(loss);
        if (callbacks.progress) {
            LoraTrainingProgress progress;
            progress.update = static_cast<int>(up.update);
            progress.updates = p.updates;
            progress.loss = loss;
            progress.lr = up.lr;
            progress.elapsed = seconds();
            const double done = static_cast<double>(up.update - sessionStart);
            progress.eta = progress.elapsed / done * static_cast<double>(p.updates - up.update);
            callbacks.progress(progress);
        }
        if (p.checkpointEvery > 0 && up.update % p.checkpointEvery == 0)
            writeOutputs();
        if (p.sampleEvery > 0 && callbacks.sample && up.update % p.sampleEvery == 0) {
            const fs::path preview = p.output.parent_path() / (p.output.stem().string() + ".preview.safetensors");
            training::saveOfficialLora(preview, trainer.lora());
            callbacks.sample(static_cast<int>(up.update), preview);
        }
    }
    writeOutputs();
    result.heldLossAfter = heldLoss();
    result.updates = static_cast<int>(trainer.updates());
    return result;
}

std::vector<std::string> convertLoraToComfyUi(const fs::path& official, const fs::path& out, const fs::path& modelDir)
{
    ModelSpec spec;
    spec.directory = modelDir.string();
    const ModelFiles files = resolveModelFiles(spec);
    const TensorMap weights = loadOfficial(files.stageC, Role::StageC);
    StageCConfig config;
    try {
        config = detectStageCConfig(weights, files.stageC.describe());
    } catch (const Error&) {
        // Unknown shapes (demo sets): cascade.json describes the model.
    }
    if (files.cascade.is_object() && files.cascade.contains("stage_c") && files.cascade["stage_c"].contains("args"))
        config = stageCConfigFromJson(files.cascade["stage_c"]["args"], files.stageC.describe(), config);
    StageC shapeOnly(config, at::TensorOptions().device(at::kMeta));
    std::vector<std::string> notes;
    const TensorMap comfy =
        training::toComfyUi(st::Reader::open(official)->loadAll(), training::loraTargets(*shapeOnly), &notes);
    for (auto& n : notes)
        n = "left out (ComfyUI has no key for it): " + n;
    st::write(out, comfy);
    return notes;
}

} // namespace kaskade
