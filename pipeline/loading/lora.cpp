#include "pipeline/loading/lora.h"

#include "pipeline/errors.h"
#include "pipeline/io/state_dict.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <sstream>

namespace kaskade {
namespace {

std::map<std::string, at::Tensor> parameters(torch::nn::Module& model)
{
    std::map<std::string, at::Tensor> out;
    for (const auto& p : model.named_parameters(true))
        out.emplace(p.key(), p.value());
    return out;
}

// "down_blocks.1.5" → (0, 1, 5) for ordering: down before up, then level, then block.
std::tuple<int, int, int> blockOrder(const std::string& prefix)
{
    int level = 0, block = 0;
    const bool up = prefix.rfind("up_blocks.", 0) == 0;
    std::sscanf(prefix.c_str() + (up ? 10 : 12), "%d.%d", &level, &block);
    return {up ? 1 : 0, level, block};
}

std::string underscored(std::string name)
{
    std::replace(name.begin(), name.end(), '.', '_');
    return name;
}

// The pair itself, before anything divides by its rank or multiplies it: matrices (2-D, or 4-D 1x1
// convolutions), rank >= 1, finite values.
void checkLoraPair(const at::Tensor& down, const at::Tensor& up, const std::string& file, const std::string& key)
{
    std::ostringstream out;
    out << file << ": LoRA " << key << " (down " << down.sizes() << ", up " << up.sizes() << ") ";
    if (down.dim() < 2 || up.dim() < 2)
        throw Error(ErrorCode::BadCheckpoint, out.str() + "is not a pair of matrices");
    if (down.size(0) == 0 || up.size(1) != down.size(0))
        throw Error(ErrorCode::BadCheckpoint, out.str() + "has rank 0 or ranks that differ");
    if (down.numel() == 0 || up.numel() == 0)
        throw Error(ErrorCode::BadCheckpoint, out.str() + "is empty");
    if (!at::isfinite(down).all().item<bool>() || !at::isfinite(up).all().item<bool>())
        throw Error(ErrorCode::BadCheckpoint, out.str() + "holds NaN or infinite values");
}

double loraAlpha(const at::Tensor& alpha, const std::string& file, const std::string& key)
{
    if (alpha.numel() != 1)
        throw Error(ErrorCode::BadCheckpoint, file + ": " + key + ".alpha is not a single number");
    const double value = alpha.to(at::kDouble).item<double>();
    if (!std::isfinite(value))
        throw Error(ErrorCode::BadCheckpoint, file + ": " + key + ".alpha is not finite");
    return value;
}

void checkFits(const LoraDelta& d, const at::Tensor& target, const std::string& file, const std::string& key)
{
    const std::int64_t rows = (d.rowEnd < 0 ? target.size(0) : d.rowEnd) - d.rowBegin;
    const std::int64_t in = target.numel() / target.size(0);
    if (d.up.size(0) != rows || d.down.size(0) != d.up.size(1) || d.down.numel() / d.down.size(0) != in) {
        std::ostringstream out;
        out << file << ": LoRA " << key << " (down " << d.down.sizes() << ", up " << d.up.sizes() << ") does not fit "
            << d.target << " " << target.sizes();
        throw Error(ErrorCode::BadCheckpoint, out.str());
    }
}

} // namespace

std::vector<std::string> attentionBlocksInOrder(torch::nn::Module& model)
{
    std::vector<std::string> blocks;
    const std::string suffix = ".attention.attn.in_proj_weight";
    for (const auto& p : model.named_parameters(true)) {
        const std::string& name = p.key();
        if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            blocks.push_back(name.substr(0, name.size() - suffix.size()));
    }
    std::sort(blocks.begin(), blocks.end(),
              [](const std::string& a, const std::string& b) { return blockOrder(a) < blockOrder(b); });
    return blocks;
}

LoraFile readLora(const std::filesystem::path& path, torch::nn::Module& model)
{
    return mapLora(st::Reader::open(path)->loadAll(), path, model);
}

LoraFile mapLora(const TensorMap& tensors, const std::filesystem::path& path, torch::nn::Module& model)
{
    const std::string file = path.string();
    LoraFile lora;
    lora.path = path;
    const auto params = parameters(model);

    if (tensors.count("weights.0.lora_down")) {
        lora.format = "official";
        const auto blocks = attentionBlocksInOrder(model);
        for (std::size_t i = 0;; ++i) {
            const std::string key = "weights." + std::to_string(i);
            auto down = tensors.find(key + ".lora_down"), up = tensors.find(key + ".lora_up");
            if (down == tensors.end() || up == tensors.end())
                break;
            if (i / 2 >= blocks.size())
                throw Error(ErrorCode::BadCheckpoint,
                            file + ": " + key + " has no attention block to go to (the model has " +
                                std::to_string(blocks.size()) + "); is it for another Stage C variant?");
            LoraDelta d;
            d.target =
                blocks[i / 2] + (i % 2 == 0 ? ".attention.attn.out_proj.weight" : ".attention.attn.in_proj_weight");
            d.down = down->second.to(at::kFloat);
            d.up = up->second.to(at::kFloat);
            checkLoraPair(d.down, d.up, file, key);
            d.scale = 1.0 / static_cast<double>(d.down.size(0)); // alpha 1 / rank (official apply_lora)
            checkFits(d, params.at(d.target), file, key);
            lora.deltas.push_back(std::move(d));
        }
        if (auto e = tensors.find("embeddings.embeddings"); e != tensors.end() && e->second.numel() > 0) {
            const auto indices = tensors.find("embeddings.indices");
            if (indices == tensors.end())
                throw Error(ErrorCode::BadCheckpoint, file + ": embeddings.embeddings without embeddings.indices");
            lora.tokenEmbeddings = e->second.to(at::kFloat);
            lora.tokenIndices = indices->second.to(at::kLong);
            if (lora.tokenEmbeddings.dim() != 2 || lora.tokenIndices.dim() != 1 ||
                lora.tokenIndices.size(0) != lora.tokenEmbeddings.size(0))
                throw Error(ErrorCode::BadCheckpoint, file + ": embeddings.embeddings (n, width) and "
                                                             "embeddings.indices (n) do not match");
            if (!at::isfinite(lora.tokenEmbeddings).all().item<bool>())
                throw Error(ErrorCode::BadCheckpoint, file + ": embeddings.embeddings holds NaN or infinite values");
        }
        for (const auto& [name, t] : tensors)
            if (name.rfind("weights.", 0) != 0 && name.rfind("embeddings.", 0) != 0)
                lora.ignored.push_back(name);
        return lora;
    }

    // kohya / OneTrainer / ComfyUI: map every underscored module path to (parameter, rows).
    struct Slot
    {
        std::string param;
        int part; // -1 whole, 0/1/2 = q/k/v rows of in_proj
    };
    std::map<std::string, Slot> slots;
    for (const auto& [name, t] : params) {
        const std::string weight = ".weight";
        if (name.size() > weight.size() && name.compare(name.size() - weight.size(), weight.size(), weight) == 0)
            slots[underscored(name.substr(0, name.size() - weight.size()))] = {name, -1};
        const std::string inProj = ".attention.attn.in_proj_weight";
        if (name.size() > inProj.size() && name.compare(name.size() - inProj.size(), inProj.size(), inProj) == 0) {
            const std::string block = underscored(name.substr(0, name.size() - inProj.size()));
            const char* parts[] = {"q", "k", "v"};
            for (int i = 0; i < 3; ++i) {
                slots[block + "_attention_to_" + parts[i]] = {name, i};
                slots[block + "_attention_attn_to_" + parts[i]] = {name, i};
            }
            slots[block + "_attention_attn_in_proj"] = {name, -1};
            const std::string outProj = name.substr(0, name.size() - inProj.size()) + ".attention.attn.out_proj.weight";
            slots[block + "_attention_to_out_0"] = {outProj, -1};
        }
    }
    lora.format = "onetrainer";
    const std::string unetPrefix = "lora_prior_unet_";
    for (const auto& [name, t] : tensors) {
        const std::string downSuffix = ".lora_down.weight";
        if (name.size() <= downSuffix.size() ||
            name.compare(name.size() - downSuffix.size(), downSuffix.size(), downSuffix) != 0)
            continue;
        const std::string base = name.substr(0, name.size() - downSuffix.size());
        if (base.rfind(unetPrefix, 0) != 0) {
            lora.ignored.push_back(base);
            continue;
        }
        auto slot = slots.find(base.substr(unetPrefix.size()));
        if (slot == slots.end())
            throw Error(ErrorCode::BadCheckpoint, file + ": LoRA key " + base + " names no layer of this Stage C");
        auto up = tensors.find(base + ".lora_up.weight");
        if (up == tensors.end())
            throw Error(ErrorCode::BadCheckpoint, file + ": " + base + " has lora_down but no lora_up");
        LoraDelta d;
        d.target = slot->second.param;
        const at::Tensor& target = params.at(d.target);
        if (slot->second.part >= 0) {
            const std::int64_t c = target.size(0) / 3;
            d.rowBegin = c * slot->second.part;
            d.rowEnd = d.rowBegin + c;
        }
        d.down = t.to(at::kFloat);
        d.up = up->second.to(at::kFloat);
        checkLoraPair(d.down, d.up, file, base);
        const double rank = static_cast<double>(d.down.size(0));
        auto alpha = tensors.find(base + ".alpha");
        d.scale = (alpha == tensors.end() ? rank : loraAlpha(alpha->second, file, base)) / rank;
        checkFits(d, target, file, base);
        lora.deltas.push_back(std::move(d));
    }
    if (lora.deltas.empty())
        throw Error(ErrorCode::BadCheckpoint, file +
                                                  ": not a Stable Cascade Stage C LoRA (no weights.N.lora_down and no "
                                                  "lora_prior_unet_* keys)");
    return lora;
}

void LoraMerger::apply(torch::nn::Module& model, const std::vector<std::pair<const LoraFile*, double>>& loras)
{
    at::NoGradGuard noGrad;
    auto params = parameters(model);
    std::map<std::string, at::Tensor> sums; // fp32 delta per parameter
    for (const auto& [lora, strength] : loras) {
        for (const auto& d : lora->deltas) {
            const at::Tensor& target = params.at(d.target);
            auto& sum = sums[d.target];
            if (!sum.defined())
                sum = at::zeros(target.sizes(), target.options().dtype(at::kFloat));
            const at::Tensor delta =
                at::matmul(d.up.flatten(1).to(target.device()), d.down.flatten(1).to(target.device())) *
                (d.scale * strength);
            const std::int64_t end = d.rowEnd < 0 ? target.size(0) : d.rowEnd;
            sum.slice(0, d.rowBegin, end).add_(delta.view(sum.slice(0, d.rowBegin, end).sizes()));
        }
    }
    // Huge values multiply to inf even when each factor is finite: refuse before touching the model.
    for (const auto& [name, delta] : sums) {
        const at::Tensor& target = params.at(name);
        const at::Tensor merged = (target.to(at::kFloat) + delta).to(target.scalar_type());
        if (!at::isfinite(merged).all().item<bool>())
            throw Error(ErrorCode::BadCheckpoint,
                        "LoRA: the merged weight " + name + " is not finite (LoRA values or strength too large)");
    }
    // Start from the originals: first restore what is no longer targeted, then merge.
    clear(model);
    for (auto& [name, delta] : sums) {
        at::Tensor& target = params.at(name);
        originals_[name] = target.clone();
        target.copy_((target.to(at::kFloat) + delta).to(target.scalar_type()));
    }
}

void LoraMerger::clear(torch::nn::Module& model)
{
    at::NoGradGuard noGrad;
    if (originals_.empty())
        return;
    auto params = parameters(model);
    for (auto& [name, original] : originals_)
        params.at(name).copy_(original);
    originals_.clear();
}

at::Tensor applyLoraTokens(const at::Tensor& tokenEmbedding, const std::vector<std::string>& vocab,
                           const std::vector<std::pair<std::string, std::string>>& addedTokens,
                           const at::Tensor& indices, const at::Tensor& embeddings)
{
    std::vector<at::Tensor> rows{tokenEmbedding};
    for (const auto& [token, aggregation] : addedTokens) {
        const std::regex pattern(aggregation);
        std::vector<std::int64_t> matches;
        for (std::size_t id = 0; id < vocab.size(); ++id)
            if (std::regex_search(vocab[id], pattern))
                matches.push_back(static_cast<std::int64_t>(id));
        rows.push_back(matches.empty() ? at::zeros({1, tokenEmbedding.size(1)}, tokenEmbedding.options())
                                       : tokenEmbedding.index_select(0, at::tensor(matches, at::kLong)).mean(0, true));
    }
    at::Tensor table = at::cat(rows);
    if (indices.defined() && indices.numel() > 0) {
        const at::Tensor ids = indices.to(at::kLong).flatten();
        const bool inRange = ids.min().item<std::int64_t>() >= 0 && ids.max().item<std::int64_t>() < table.size(0);
        if (!inRange || embeddings.dim() != 2 || embeddings.size(0) != ids.size(0) ||
            embeddings.size(1) != table.size(1))
            throw Error(ErrorCode::BadCheckpoint, "LoRA: embeddings.indices/embeddings do not fit the token table (" +
                                                      std::to_string(table.size(0)) + " x " +
                                                      std::to_string(table.size(1)) + ")");
        table.index_add_(0, ids, embeddings.to(table.scalar_type()));
    }
    return table;
}

} // namespace kaskade
