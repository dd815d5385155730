// The LoRA training fixtures (parity README "LoRA training fixtures"):
//   train_lora       the official micro-steps and updates on a tiny Stage C + text model: every draw and
//                    decision is given; diffusion, text conditioning, prediction, loss, gradients, clipping,
//                    warmup lr, AdamW states and parameters are compared after each step;
//   train_lora_save  the lora.safetensors the official code writes after the last update of its source
//                    fixture: header bytes exactly, values by the tolerance rule.
// Everything (rank, batch, tokens, accumulation, warmup, resume, BF16 base) is read from fixture.json.
#include "pipeline/errors.h"
#include "pipeline/tools/parity/runners.h"
#include "pipeline/training/lora_trainer.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace kaskade::parity {
namespace {

std::string trainStepName(std::size_t i)
{
    std::string text = std::to_string(i);
    return std::string(text.size() < 3 ? 3 - text.size() : 0, '0') + text; // "001"
}

const nlohmann::json& trainConfigUsed(const nlohmann::json& json)
{
    return json.at("training_config").at("used");
}

std::vector<training::TrainToken> trainTokensOf(const nlohmann::json& json)
{
    std::vector<training::TrainToken> tokens;
    for (const auto& entry : trainConfigUsed(json).at("train_tokens")) {
        training::TrainToken t;
        t.pattern = entry.at(0).get<std::string>();
        if (entry.size() > 1 && !entry.at(1).is_null())
            t.aggregation = entry.at(1).get<std::string>();
        tokens.push_back(std::move(t));
    }
    return tokens;
}

// Sets up the official run for one weight file and replays it; compares on `checker` when given.
training::LoraState replayTraining(Fixture& fixture, const std::filesystem::path& weights, Checker* checker,
                                   const std::string& prefix)
{
    auto compare = [&](const std::string& label, const at::Tensor& actual, const at::Tensor& expected) {
        if (checker)
            checker->compare(prefix + label, actual, expected);
    };
    auto fail = [&](const std::string& message) {
        if (checker)
            checker->fail(prefix + message);
    };
    const auto& json = fixture.json();
    const auto& used = trainConfigUsed(json);
    const auto& side = json.at("text_side");

    models::StageC generator = models::loadStageC(weights, at::TensorOptions().dtype(at::kFloat), &json.at("config"));
    const auto textConfig = models::ClipTextConfig::fromJson(json.at("text_encoder_hf_config_json"), fixture.name());
    const auto textFile = fixture.dir() / "text_encoder.safetensors";
    models::ClipTextModel text =
        models::loadClipText(textConfig, st::Reader::open(textFile)->loadAll(), textFile.string());

    // setup_models: tokens, ReToken, LoRA.
    auto vocab = side.at("vocab").get<std::vector<std::string>>();
    std::vector<std::int64_t> updateIds;
    const at::Tensor table = training::addTrainTokens(text->text_model->embeddings->token_embedding->weight.detach(),
                                                      vocab, trainTokensOf(json), updateIds);
    compare("text.token_embedding_after_add", table, fixture.io("text.token_embedding_after_add"));
    if (side.contains("update_tokens_cpython_set_rule") &&
        updateIds != side.at("update_tokens_cpython_set_rule").get<std::vector<std::int64_t>>())
        fail("update_tokens order differs from CPython's list(set(ids))");
    training::extendTokenTable(*text, table);

    const std::int64_t rank = used.at("rank").get<std::int64_t>();
    training::LoraState lora =
        training::createLora(*generator, rank, updateIds, table.size(1), at::detail::getDefaultCPUGenerator());
    for (const auto& id : updateIds)
        lora.tokenNames.emplace_back(id, vocab.at(static_cast<std::size_t>(id)));
    const auto targets = training::loraTargets(*generator);
    const auto& map = json.at("lora_map");
    if (map.size() != targets.size())
        fail("LoRA on " + std::to_string(targets.size()) + " parameters, the fixture has " +
             std::to_string(map.size()));
    for (std::size_t i = 0; i < map.size() && i < targets.size(); ++i) {
        const std::string expected =
            map[i].at("module").get<std::string>() + "." + map[i].at("param").get<std::string>();
        if (targets[i] != expected)
            fail("lora_map " + std::to_string(i) + ": " + targets[i] + ", expected " + expected);
    }
    const auto initFile = fixture.dir() / "lora_init.safetensors";
    training::loadLoraState(lora, st::Reader::open(initFile)->loadAll(), initFile.string());
    {
        // The official layout written from the loaded values must be the init file byte for byte.
        std::ifstream in(initFile, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (checker && training::officialLoraBytes(lora) != bytes)
            fail("lora_init.safetensors rewritten in the official layout differs from the file");
    }

    training::TrainerSettings settings;
    settings.lr = used.at("lr").get<double>();
    settings.warmupUpdates = used.at("warmup_updates").get<std::int64_t>();
    settings.gradAccum = json.value("grad_accum_steps", used.at("grad_accum_steps").get<std::int64_t>());
    settings.officialRestartWarmup = true;
    // Updates of an earlier session (a resumed official run): info.json counts them in total_steps.
    const auto updates = json.value("updates", std::int64_t{0});
    const auto totalSteps = json.contains("info_json") ? json.at("info_json").value("total_steps", updates) : updates;
    training::LoraTrainer trainer(generator, text, lora, settings, std::max<std::int64_t>(0, totalSteps - updates));

    const auto pad = side.value("pad_id", textConfig.eosTokenId);
    const auto names = trainer.lora().parameterNames();
    const std::size_t microSteps = json.at("micro_steps").get<std::size_t>();
    double lrSum = 0;
    std::size_t sessionUpdate = 0;
    std::vector<std::int64_t> updatedAt;
    for (std::size_t i = 1; i <= microSteps; ++i) {
        const std::string m = "micro." + trainStepName(i) + ".";
        training::MicroInputs in;
        in.latents = fixture.io(m + "latents");
        const std::int64_t b = in.latents.size(0);
        // DataCore.get_conditions: caption dropout (u > 0.05 keeps), then image conditioning (u2 > 0.9).
        const at::Tensor keep = fixture.io(m + "np_rand_caption").to(at::kDouble).gt(0.05).to(at::kLong);
        const at::Tensor fromImage = fixture.io(m + "np_rand_clip_img").to(at::kDouble).gt(0.9).to(at::kLong);
        compare(m + "caption_keep", keep, fixture.io(m + "caption_keep"));
        compare(m + "clip_img_from_image", fromImage, fixture.io(m + "clip_img_from_image"));
        in.inputIds = fixture.io(m + "caption_ids").clone();
        in.attentionMask = fixture.io(m + "caption_attention_mask").clone();
        in.clipImg = at::zeros({b, fixture.io(m + "image_embeds").size(1)}, at::kFloat);
        const at::Tensor embeds = fixture.io(m + "image_embeds");
        for (std::int64_t r = 0; r < b; ++r) {
            if (keep[r].item<std::int64_t>() == 0) { // "" -> [bos, eos, pad ...], mask [1, 1, 0 ...]
                in.inputIds[r].fill_(pad);
                in.inputIds[r][0].fill_(textConfig.bosTokenId);
                in.inputIds[r][1].fill_(textConfig.eosTokenId);
                in.attentionMask[r].zero_();
                in.attentionMask[r].narrow(0, 0, 2).fill_(1);
            }
            if (fromImage[r].item<std::int64_t>() != 0)
                in.clipImg[r].copy_(embeds[r]);
        }
        compare(m + "input_ids", in.inputIds, fixture.io(m + "input_ids"));
        compare(m + "attention_mask", in.attentionMask, fixture.io(m + "attention_mask"));
        in.noise = fixture.io(m + "noise");
        in.tRand = fixture.io(m + "t_rand");

        const auto out = trainer.microStep(in);
        const std::pair<const char*, const at::Tensor*> results[] = {
            {"t", &out.t},
            {"logSNR", &out.logSNR},
            {"noise_cond", &out.noiseCond},
            {"loss_weight", &out.lossWeight},
            {"noised", &out.noised},
            {"clip_text", &out.clipText},
            {"clip_text_pooled", &out.clipTextPooled},
            {"pooled_index", &out.pooledIndex},
            {"clip_img", &out.clipImg},
            {"pred", &out.pred},
            {"loss", &out.loss},
            {"loss_adjusted", &out.lossAdjusted},
        };
        for (const auto& [name, tensor] : results)
            if (fixture.hasIo(m + name))
                compare(m + name, *tensor, fixture.io(m + name));
        const auto params = trainer.lora().parameters();
        for (std::size_t p = 0; p < params.size(); ++p)
            if (fixture.hasIo(m + "grad." + names[p]))
                compare(m + "grad." + names[p], params[p].grad(), fixture.io(m + "grad." + names[p]));

        if (!trainer.updateDue() && i != microSteps)
            continue;
        const auto up = trainer.update();
        lrSum += up.lr;
        ++sessionUpdate;
        updatedAt.push_back(static_cast<std::int64_t>(i));
        const std::string u = "update." + trainStepName(sessionUpdate) + ".";
        compare(u + "lr", at::scalar_tensor(up.lr, at::kFloat), fixture.io(u + "lr"));
        compare(u + "grad_norm", up.gradNorm, fixture.io(u + "grad_norm"));
        compare(u + "clip_coef", up.clipCoef, fixture.io(u + "clip_coef"));
        for (std::size_t p = 0; p < params.size(); ++p) {
            compare(u + "grad_clipped." + names[p], params[p].grad(), fixture.io(u + "grad_clipped." + names[p]));
            compare(u + "exp_avg." + names[p], trainer.optimizer().expAvg()[p], fixture.io(u + "exp_avg." + names[p]));
            compare(u + "exp_avg_sq." + names[p], trainer.optimizer().expAvgSq()[p],
                    fixture.io(u + "exp_avg_sq." + names[p]));
            const at::Tensor expected = fixture.io(u + "param." + names[p]);
            compare(u + "param." + names[p], params[p], expected);
            // The per-update parameter rule: the change per step is ~lr, far below the relative resolution
            // of lora_up ~ N(0,1), so the standard rule alone would not see a wrong step.
            const double refMax = expected.numel() ? expected.abs().max().item<double>() : 0.0;
            const double bound = json.at("tolerance").at("param_step").at("abs_vs_lr").get<double>() * lrSum +
                                 static_cast<double>(sessionUpdate) * std::ldexp(1.0, -23) * refMax;
            const double diff =
                expected.numel()
                    ? (params[p].detach().to(at::kDouble) - expected.to(at::kDouble)).abs().max().item<double>()
                    : 0.0;
            if (diff > bound) {
                char text[160];
                std::snprintf(text, sizeof text, ": max_abs %.3g above the per-update bound %.3g", diff, bound);
                fail(u + "param." + names[p] + text);
            }
        }
        trainer.optimizer().zeroGrad();
    }
    if (json.contains("update_at_micro_step") &&
        updatedAt != json.at("update_at_micro_step").get<std::vector<std::int64_t>>())
        fail("updates ran after other micro-steps than the official ones (update_at_micro_step)");
    if (fixture.hasIo("text.token_embedding_final")) {
        const auto& l = trainer.lora();
        const at::Tensor final =
            l.embeddings.numel() > 0 ? table.index_add(0, l.indices.to(at::kLong), l.embeddings.detach()) : table;
        compare("text.token_embedding_final", final, fixture.io("text.token_embedding_final"));
    }
    return trainer.lora();
}

} // namespace

void runTrainLoraFixture(Fixture& fixture, Checker& checker)
{
    const auto files = fixture.weightFiles();
    for (const auto& file : files)
        replayTraining(fixture, file, &checker, files.size() > 1 ? file.stem().string() + "/" : std::string());
}

void runTrainLoraSaveFixture(Fixture& fixture, Checker& checker)
{
    const auto sourceName = fixture.json().at("config").at("source_fixture").get<std::string>();
    Fixture source(fixture.dir().parent_path() / sourceName);
    const auto files = source.weightFiles();
    const training::LoraState lora = replayTraining(source, files.back(), nullptr, {});
    const std::string actual = training::officialLoraBytes(lora);

    const auto expectedFile = fixture.dir() / "lora.safetensors";
    std::ifstream in(expectedFile, std::ios::binary);
    const std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto headerOf = [](const std::string& bytes) {
        if (bytes.size() < 8)
            return std::string();
        std::uint64_t n = 0;
        for (int i = 7; i >= 0; --i)
            n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
        return bytes.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(8 + n, bytes.size())));
    };
    if (headerOf(actual) != headerOf(expected))
        checker.fail("header differs from the official file:\n  ours     " + headerOf(actual).substr(8, 300) +
                     "\n  official " + headerOf(expected).substr(8, 300));
    if (actual.size() != expected.size())
        checker.fail("file size " + std::to_string(actual.size()) + ", official " + std::to_string(expected.size()));
    const TensorMap official = st::Reader::open(expectedFile)->loadAll();
    const TensorMap ours = lora.stateDict();
    for (const auto& [name, tensor] : official) {
        auto it = ours.find(name);
        if (it == ours.end())
            checker.fail("missing " + name);
        else
            checker.compare(name, it->second, tensor);
    }
    if (actual == expected)
        checker.note("byte-identical to the official file");
}

} // namespace kaskade::parity
