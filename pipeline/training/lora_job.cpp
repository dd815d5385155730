#include "pipeline/training/lora_job.h"

#include "pipeline/device.h"
#include "pipeline/errors.h"
#include "pipeline/io/name_rules.h"
#include "pipeline/loading/model_files.h"
#include "pipeline/models/clip_vision.h"
#include "pipeline/models/effnet_encoder.h"
#include "pipeline/text/clip_tokenizer.h"
#include "pipeline/training/lora_trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <utility>

namespace kaskade {
namespace {

namespace fs = std::filesystem;

// The official recipe's stream of draws, one generator per purpose and micro-step (or epoch), so that a
// resumed run draws exactly what the uninterrupted run would have.
at::Generator loraJobGenerator(std::uint64_t seed, std::uint64_t purpose, std::uint64_t index)
{
    return at::make_generator<at::CPUGeneratorImpl>(seed * 0x9E3779B97F4A7C15ULL ^ (purpose << 56) ^ index);
}

// (H,W,3) uint8 → (1,3,h,w) in [0,1]: resized to cover w × h (bilinear, antialiased), centre crop.
at::Tensor loraJobPrepareImage(const TrainingImage& item, LoraBucket size)
{
    const RgbImage& img = item.image;
    if (img.empty() || img.rgb.size() != static_cast<std::size_t>(img.width) * img.height * 3)
        throw Error(ErrorCode::InvalidArgument, item.name + ": empty or damaged picture");
    auto x = at::from_blob(const_cast<std::uint8_t*>(img.rgb.data()), {img.height, img.width, 3}, at::kByte)
                 .permute({2, 0, 1})
                 .unsqueeze(0)
                 .to(at::kFloat)
                 .div(255.0); // (1,3,H,W)
    const double scale =
        std::max(static_cast<double>(size.width) / img.width, static_cast<double>(size.height) / img.height);
    const auto h = std::max<std::int64_t>(size.height, std::lround(img.height * scale));
    const auto w = std::max<std::int64_t>(size.width, std::lround(img.width * scale));
    x = at::_upsample_bilinear2d_aa(x, {h, w}, false).clamp(0, 1);
    return x.narrow(2, (h - size.height) / 2, size.height).narrow(3, (w - size.width) / 2, size.width).contiguous();
}

// One epoch of bucketed micro-batches: the pictures in the epoch's shuffled order, cut into batches of
// `batch` per bucket as they come (a bucket's remainder is a smaller last batch), the batches shuffled.
std::vector<std::vector<std::int64_t>> loraJobBucketEpoch(const std::vector<std::size_t>& bucketOf, std::int64_t batch,
                                                          std::uint64_t seed, std::int64_t epoch)
{
    const auto n = static_cast<std::int64_t>(bucketOf.size());
    const at::Tensor order = at::randperm(n, loraJobGenerator(seed, 2, static_cast<std::uint64_t>(epoch)), at::kLong);
    std::map<std::size_t, std::vector<std::int64_t>> pending;
    std::vector<std::vector<std::int64_t>> batches;
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t pic = order[i].item<std::int64_t>();
        auto& open = pending[bucketOf[static_cast<std::size_t>(pic)]];
        open.push_back(pic);
        if (static_cast<std::int64_t>(open.size()) == batch)
            batches.push_back(std::exchange(open, {}));
    }
    for (auto& [bucket, rest] : pending)
        if (!rest.empty())
            batches.push_back(std::move(rest));
    const at::Tensor shuffle = at::randperm(static_cast<std::int64_t>(batches.size()),
                                            loraJobGenerator(seed, 6, static_cast<std::uint64_t>(epoch)), at::kLong);
    std::vector<std::vector<std::int64_t>> out;
    for (std::int64_t i = 0; i < shuffle.size(0); ++i)
        out.push_back(batches[static_cast<std::size_t>(shuffle[i].item<std::int64_t>())]);
    return out;
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
        {"aspect_buckets", p.buckets},
        {"seed", p.seed},
        {"caption_dropout", p.captionDropout},
        {"image_conditioned", p.imageConditioned},
        {"dropout", p.dropout},
        {"optimizer", {{"name", "AdamW"}, {"betas", {0.9, 0.999}}, {"eps", 1e-8}, {"weight_decay", 0.01}}},
        {"grad_clip", 1.0},
        {"info", {{"total_steps", updates}, {"train_tokens", tokens}}},
    };
}

// ComfyUI's Stable Cascade text encoder takes textual-inversion embeddings (`embedding:NAME` in a prompt, the
// file NAME.safetensors under models/embeddings) whose "clip_g" tensor (n, 1280) replaces the word by n input
// token embeddings. A LoRA file cannot carry them, so each added token ("[me]") becomes such a file, holding
// its whole row: the starting row (rebuilt from the run's settings sidecar, as setup_models made it) plus the
// learned ReToken delta. Rows learned for existing vocabulary entries have no such form and are reported.
void loraJobWriteComfyEmbeddings(const TensorMap& lora, const fs::path& official, const fs::path& out,
                                 const ModelFiles& files, std::vector<std::string>& notes)
{
    const at::Tensor deltas = lora.at("embeddings.embeddings").to(at::kFloat);
    const at::Tensor indices = lora.at("embeddings.indices").to(at::kLong);
    const fs::path sidecar = loraSettingsPath(official);
    std::ifstream in(sidecar);
    const nlohmann::json settings = nlohmann::json::parse(in, nullptr, false);
    if (settings.is_discarded() || !settings.contains("train_tokens")) { // also: no such file
        notes.push_back("left out: the learned token rows (embeddings.embeddings): " + sidecar.string() +
                        ", the run's settings, is needed to rebuild the tokens' starting rows");
        return;
    }
    std::vector<training::TrainToken> tokens;
    for (const auto& entry : settings.at("train_tokens"))
        if (entry.is_array() && entry.size() == 2 && entry[0].is_string() && !entry[0].get<std::string>().empty())
            tokens.push_back({entry[0].get<std::string>(), entry[1].is_string()
                                                               ? c10::optional<std::string>(entry[1].get<std::string>())
                                                               : c10::nullopt});
    const text::ClipTokenizer tokenizer = text::ClipTokenizer::load(files.tokenizer);
    std::vector<std::string> vocab;
    for (std::int64_t id = 0; id < tokenizer.vocabSize(); ++id)
        vocab.push_back(tokenizer.token(id));
    const auto baseVocab = static_cast<std::int64_t>(vocab.size());
    const TensorMap text = loadOfficial(files.textEncoder, Role::TextEncoder);
    const at::Tensor base = text.at("text_model.embeddings.token_embedding.weight").to(at::kFloat);
    std::vector<std::int64_t> ids;
    const at::Tensor table = training::addTrainTokens(base, vocab, tokens, ids);
    if (static_cast<std::int64_t>(ids.size()) != indices.numel() ||
        !std::equal(ids.begin(), ids.end(), indices.data_ptr<std::int64_t>()))
        throw Error(ErrorCode::BadCheckpoint, official.string() +
                                                  ": its embeddings.indices do not match the tokens in " +
                                                  sidecar.string() + " for this model's tokenizer");
    const fs::path folder = out.parent_path() / "embeddings";
    for (std::int64_t k = 0; k < indices.numel(); ++k) {
        const std::int64_t id = ids[static_cast<std::size_t>(k)];
        const std::string& token = vocab[static_cast<std::size_t>(id)];
        if (id < baseVocab) {
            notes.push_back("left out: the learned change of the vocabulary entry '" + token +
                            "' (ComfyUI embeddings add words; they cannot change existing ones)");
            continue;
        }
        std::string name = loraJobIsNewToken(token) ? token.substr(1, token.size() - 2) : token;
        for (char& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
                c = '_';
        if (name.empty())
            name = "token";
        fs::create_directories(folder);
        const fs::path file = folder / (name + ".safetensors");
        st::write(file, {{"clip_g", (table[id] + deltas[k]).unsqueeze(0).contiguous()}});
        notes.push_back("the token " + token + " as a ComfyUI embedding: " + file.string() +
                        " (put it in ComfyUI/models/embeddings and write embedding:" + name +
                        " where the captions had " + token + ")");
    }
}

void loraJobCheck(bool ok, const std::string& message)
{
    if (!ok)
        throw Error(ErrorCode::InvalidArgument, "train-lora: " + message);
}

} // namespace

std::vector<LoraBucket> loraBuckets(int resolution)
{
    const std::int64_t area = static_cast<std::int64_t>(resolution) * resolution;
    std::vector<LoraBucket> out;
    for (int w = kLoraBucketStep; w <= 2 * resolution; w += kLoraBucketStep) {
        const int h = static_cast<int>(area / w / kLoraBucketStep) * kLoraBucketStep;
        if (h >= kLoraBucketStep && w <= 2 * h && h <= 2 * w)
            out.push_back({w, h});
    }
    // The square crop of the plain mode, also when the resolution is an odd multiple of 32.
    if (std::find(out.begin(), out.end(), LoraBucket{resolution, resolution}) == out.end()) {
        out.push_back({resolution, resolution});
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.width < b.width; });
    }
    return out;
}

LoraBucket loraBucketFor(int width, int height, const std::vector<LoraBucket>& buckets)
{
    const double aspect = std::log(static_cast<double>(width) / height);
    LoraBucket best;
    double bestDistance = 0;
    for (const auto& b : buckets) {
        const double distance = std::abs(std::log(static_cast<double>(b.width) / b.height) - aspect);
        if (best.width == 0 || distance < bestDistance - 1e-12) {
            best = b;
            bestDistance = distance;
        }
    }
    return best;
}

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
    models::ClipTextModel textModel = loadTextEncoder(files, opts);
    report("loading Stage C");
    models::StageC generator = loadStageCFrom(files, opts);

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
    // Each picture's training size: the square crop, or its aspect bucket.
    const std::vector<LoraBucket> buckets =
        p.buckets ? loraBuckets(p.resolution) : std::vector<LoraBucket>{{p.resolution, p.resolution}};
    std::vector<std::size_t> bucketOf;
    for (const auto& item : p.images) {
        const auto bucket = loraBucketFor(std::max(item.image.width, 1), std::max(item.image.height, 1), buckets);
        bucketOf.push_back(
            static_cast<std::size_t>(std::find(buckets.begin(), buckets.end(), bucket) - buckets.begin()));
    }
    if (p.buckets) {
        std::string used;
        for (std::size_t b = 0; b < buckets.size(); ++b)
            if (const auto count = std::count(bucketOf.begin(), bucketOf.end(), b); count > 0)
                used += (used.empty() ? "" : ", ") + std::to_string(buckets[b].width) + "x" +
                        std::to_string(buckets[b].height) + " (" + std::to_string(count) + ")";
        result.notes.push_back("aspect buckets: " + used);
    }
    std::vector<at::Tensor> latents, imageEmbeds; // per picture, at its bucket's size
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
            const at::Tensor image = loraJobPrepareImage(p.images[i], buckets[bucketOf[i]]).to(device);
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
    // The pictures of a micro-step: slots micro·batch … of the epochs' orders run together, or with buckets
    // the micro-th batch of the bucketed epochs (the current epoch's plan is kept).
    std::vector<std::vector<std::int64_t>> plan;
    std::int64_t planEpoch = -1, planFirst = 0; // plan[0] is micro-step planFirst
    auto batchAt = [&](std::int64_t micro) {
        std::vector<std::int64_t> pics;
        if (!p.buckets) {
            for (std::int64_t r = 0; r < p.batch; ++r)
                pics.push_back(pictureAt(micro * p.batch + r));
            return pics;
        }
        if (planEpoch < 0 || micro < planFirst) {
            planEpoch = 0;
            planFirst = 0;
            plan = loraJobBucketEpoch(bucketOf, p.batch, p.seed, 0);
        }
        while (micro >= planFirst + static_cast<std::int64_t>(plan.size())) {
            planFirst += static_cast<std::int64_t>(plan.size());
            plan = loraJobBucketEpoch(bucketOf, p.batch, p.seed, ++planEpoch);
        }
        return plan[static_cast<std::size_t>(micro - planFirst)];
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
        std::map<std::size_t, std::vector<std::int64_t>> bySize; // one batch per bucket
        const std::int64_t count = std::min<std::int64_t>(n, 8);
        for (std::int64_t i = 0; i < count; ++i)
            bySize[bucketOf[static_cast<std::size_t>(i)]].push_back(i);
        generator->eval();
        double sum = 0;
        std::uint64_t draw = 0;
        for (const auto& [bucket, pics] : bySize)
            sum += trainer.evaluate(buildInputs(pics, loraJobGenerator(p.seed, 4, draw++), false))
                       .loss.sum()
                       .item<double>();
        generator->train(p.dropout);
        return sum / static_cast<double>(count);
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
        auto in = buildInputs(batchAt(static_cast<std::int64_t>(micro)), loraJobGenerator(p.seed, 3, micro), true);
        if (p.dropout) // its own stream, so the other draws do not depend on the model's dropout layout
            in.dropout = loraJobGenerator(p.seed, 5, micro);
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
    models::StageCConfig config;
    try {
        config = models::detectStageCConfig(weights, files.stageC.describe());
    } catch (const Error&) {
        // Unknown shapes (demo sets): cascade.json describes the model.
    }
    if (files.cascade.is_object() && files.cascade.contains("stage_c") && files.cascade["stage_c"].contains("args"))
        config = models::stageCConfigFromJson(files.cascade["stage_c"]["args"], files.stageC.describe(), config);
    models::StageC shapeOnly(config, at::TensorOptions().device(at::kMeta));
    const TensorMap lora = st::Reader::open(official)->loadAll();
    std::vector<std::string> dropped, notes;
    const TensorMap comfy = training::toComfyUi(lora, training::loraTargets(*shapeOnly), &dropped);
    st::write(out, comfy);
    if (!dropped.empty()) // the learned token rows: ComfyUI loads them as textual-inversion embeddings instead
        loraJobWriteComfyEmbeddings(lora, official, out, files, notes);
    return notes;
}

} // namespace kaskade
