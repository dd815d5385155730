#include "pipeline/training/lora_modules.h"

#include "pipeline/errors.h"
#include "pipeline/loading/lora.h"
#include "pipeline/models/clip_text.h"
#include "pipeline/models/stage_c.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace kaskade::training {
namespace {

constexpr const char* kInProj = ".attention.attn.in_proj_weight";
constexpr const char* kOutProj = ".attention.attn.out_proj.weight";

// "weights.<i><suffix>", built by appending (GCC 12 flags "literal" + std::string&& with a false -Wrestrict).
std::string loraIndexKey(std::size_t i, const char* suffix)
{
    std::string key = "weights.";
    key += std::to_string(i);
    key += suffix;
    return key;
}

bool isNewTokenPattern(const std::string& p)
{
    return p.size() >= 2 && ((p.front() == '[' && p.back() == ']') || (p.front() == '<' && p.back() == '>'));
}

// safetensors' Dtype enum order (the file layout sorts by it, descending).
int loraDtypeRank(at::ScalarType type)
{
    switch (type) {
    case at::kBool: return 0;
    case at::kByte: return 1;
    case at::kChar: return 2;
    case at::kShort: return 4;
    case at::kHalf: return 6;
    case at::kBFloat16: return 7;
    case at::kInt: return 8;
    case at::kFloat: return 10;
    case at::kDouble: return 11;
    case at::kLong: return 12;
    default: throw Error(ErrorCode::Unsupported, std::string("LoRA file: unsupported dtype ") + c10::toString(type));
    }
}

std::string shapeJson(at::IntArrayRef sizes)
{
    std::string out = "[";
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (i)
            out += ',';
        out += std::to_string(sizes[i]);
    }
    return out + "]";
}

at::Tensor* memberFor(models::StageCImpl& model, const std::string& target)
{
    const bool in = target.size() > std::strlen(kInProj) &&
                    target.compare(target.size() - std::strlen(kInProj), std::string::npos, kInProj) == 0;
    const std::string block = target.substr(0, target.size() - std::strlen(in ? kInProj : kOutProj));
    for (const auto& item : model.named_modules("", false)) {
        if (in && item.key() == block + ".attention.attn")
            if (auto* mha = dynamic_cast<models::MultiheadAttentionImpl*>(item.value().get()))
                return &mha->in_proj_weight;
        if (!in && item.key() == block + ".attention.attn.out_proj")
            if (auto* linear = dynamic_cast<nn::LinearImpl*>(item.value().get()))
                return &linear->weight;
    }
    throw Error(ErrorCode::Internal, "LoRA target " + target + " is not in this Stage C");
}

} // namespace

std::vector<at::Tensor> LoraState::parameters() const
{
    std::vector<at::Tensor> out{embeddings};
    for (const auto& layer : layers) {
        out.push_back(layer.down);
        out.push_back(layer.up);
    }
    return out;
}

std::vector<std::string> LoraState::parameterNames() const
{
    std::vector<std::string> out{"embeddings.embeddings"};
    for (std::size_t i = 0; i < layers.size(); ++i) {
        out.push_back(loraIndexKey(i, ".lora_down"));
        out.push_back(loraIndexKey(i, ".lora_up"));
    }
    return out;
}

TensorMap LoraState::stateDict() const
{
    TensorMap out;
    const auto names = parameterNames();
    const auto params = parameters();
    for (std::size_t i = 0; i < names.size(); ++i)
        out[names[i]] = params[i].detach();
    out["embeddings.indices"] = indices;
    return out;
}

std::vector<std::string> loraTargets(models::StageCImpl& model)
{
    std::vector<std::string> targets;
    for (const auto& block : attentionBlocksInOrder(model)) {
        targets.push_back(block + kOutProj);
        targets.push_back(block + kInProj);
    }
    return targets;
}

std::vector<std::int64_t> cpythonSetOrder(const std::vector<std::int64_t>& ids)
{
    constexpr std::size_t linearProbes = 9, perturbShift = 5;
    std::vector<std::int64_t> table(8, -1); // -1: empty slot (ids are >= 0)
    std::size_t fill = 0;
    auto insertClean = [](std::vector<std::int64_t>& slots, std::int64_t key) {
        const std::size_t mask = slots.size() - 1;
        std::size_t perturb = static_cast<std::size_t>(key), i = static_cast<std::size_t>(key) & mask;
        for (;;) {
            const std::size_t probes = i + linearProbes <= mask ? linearProbes : 0;
            for (std::size_t j = 0; j <= probes; ++j) {
                if (slots[i + j] == key)
                    return false;
                if (slots[i + j] < 0) {
                    slots[i + j] = key;
                    return true;
                }
            }
            perturb >>= perturbShift;
            i = (i * 5 + 1 + perturb) & mask;
        }
    };
    for (const std::int64_t id : ids) {
        if (id < 0)
            throw Error(ErrorCode::InvalidArgument,
                        std::string("token id ").append(std::to_string(id)).append(" is negative"));
        if (!insertClean(table, id))
            continue;
        ++fill;
        const std::size_t mask = table.size() - 1;
        if (fill * 5 < mask * 3)
            continue;
        // set_table_resize(used * 4): the smallest power of two above it, entries re-inserted in slot order.
        std::size_t size = 8;
        while (size <= fill * 4)
            size <<= 1;
        std::vector<std::int64_t> grown(size, -1);
        for (const std::int64_t key : table)
            if (key >= 0)
                insertClean(grown, key);
        table.swap(grown);
    }
    std::vector<std::int64_t> out;
    for (const std::int64_t key : table)
        if (key >= 0)
            out.push_back(key);
    return out;
}

at::Tensor addTrainTokens(const at::Tensor& tableIn, std::vector<std::string>& vocab,
                          const std::vector<TrainToken>& tokens, std::vector<std::int64_t>& updateIds)
{
    at::Tensor table = tableIn;
    std::vector<std::int64_t> ids;
    auto matching = [&](const std::string& pattern) {
        std::regex re;
        try {
            re = std::regex(pattern);
        } catch (const std::regex_error& e) {
            throw Error(ErrorCode::InvalidArgument, "train token regex '" + pattern + "' is invalid: " + e.what());
        }
        std::vector<std::int64_t> found;
        for (std::size_t id = 0; id < vocab.size(); ++id)
            if (std::regex_search(vocab[id], re))
                found.push_back(static_cast<std::int64_t>(id));
        return found;
    };
    for (const auto& token : tokens) {
        if (!isNewTokenPattern(token.pattern)) {
            const auto found = matching(token.pattern);
            ids.insert(ids.end(), found.begin(), found.end());
            continue;
        }
        vocab.push_back(token.pattern); // tokenizer.add_tokens: id = vocabulary size
        at::Tensor row = at::zeros({1, table.size(1)}, table.options());
        if (token.aggregation) {
            std::vector<std::int64_t> rows;
            for (const std::int64_t id : matching(*token.aggregation))
                if (id < table.size(0)) // the new entry has no row yet
                    rows.push_back(id);
            if (!rows.empty())
                row = table.index_select(0, at::tensor(rows, at::kLong).to(table.device())).mean(0, true);
        }
        table = at::cat({table, row}, 0);
        ids.push_back(static_cast<std::int64_t>(vocab.size()) - 1);
    }
    updateIds = cpythonSetOrder(ids);
    return table;
}

LoraState createLora(models::StageCImpl& model, std::int64_t rank, const std::vector<std::int64_t>& updateIds,
                     std::int64_t textWidth, at::Generator generator, at::ScalarType dtype)
{
    if (rank < 1)
        throw Error(ErrorCode::InvalidArgument,
                    std::string("LoRA rank must be at least 1, got ").append(std::to_string(rank)));
    std::map<std::string, at::Tensor> params;
    for (const auto& p : model.named_parameters(true))
        params.emplace(p.key(), p.value());
    const auto device = params.begin()->second.device();
    const auto opts = at::TensorOptions().dtype(dtype).device(device);
    LoraState state;
    for (const auto& target : loraTargets(model)) {
        const at::Tensor& w = params.at(target);
        LoraLayer layer;
        layer.target = target;
        layer.down = at::zeros({rank, w.size(1)}, opts);
        layer.up = at::normal(0.0, 1.0, {w.size(0), rank}, generator, at::TensorOptions().dtype(at::kFloat))
                       .to(opts)
                       .contiguous();
        layer.scale = 1.0 / static_cast<double>(rank);
        state.layers.push_back(std::move(layer));
    }
    state.embeddings = at::zeros({static_cast<std::int64_t>(updateIds.size()), textWidth}, opts);
    state.indices = updateIds.empty() ? at::zeros({0}, at::kFloat) // torch.tensor([]) is float32
                                      : at::tensor(updateIds, at::kLong);
    for (auto& t : state.parameters())
        t.set_requires_grad(true);
    return state;
}

void loadLoraState(LoraState& state, const TensorMap& tensors, const std::string& source)
{
    std::vector<std::string> problems;
    const auto names = state.parameterNames();
    auto params = state.parameters();
    at::NoGradGuard noGrad;
    for (std::size_t i = 0; i < names.size(); ++i) {
        auto it = tensors.find(names[i]);
        if (it == tensors.end()) {
            problems.push_back("missing " + names[i]);
            continue;
        }
        if (it->second.sizes() != params[i].sizes()) {
            problems.push_back(names[i] + " has shape " + shapeJson(it->second.sizes()) + ", expected " +
                               shapeJson(params[i].sizes()));
            continue;
        }
        params[i].copy_(it->second);
    }
    if (auto it = tensors.find("embeddings.indices"); it == tensors.end())
        problems.push_back("missing embeddings.indices");
    else if (it->second.numel() != state.indices.numel() ||
             (it->second.numel() > 0 && !at::equal(it->second.to(at::kLong), state.indices.to(at::kLong))))
        problems.push_back("embeddings.indices differ from the training tokens of this run");
    for (const auto& [name, t] : tensors)
        if (name != "embeddings.indices" && std::find(names.begin(), names.end(), name) == names.end())
            problems.push_back("unexpected " + name);
    if (!problems.empty()) {
        std::string text = source + ": not a LoRA of this training setup:";
        for (const auto& p : problems)
            text += "\n  " + p;
        throw Error(ErrorCode::BadCheckpoint, text);
    }
}

std::string officialLoraBytes(const LoraState& state)
{
    const TensorMap dict = state.stateDict();
    std::vector<std::pair<std::string, at::Tensor>> entries(dict.begin(), dict.end());
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        const int ra = loraDtypeRank(a.second.scalar_type()), rb = loraDtypeRank(b.second.scalar_type());
        return ra != rb ? ra > rb : a.first < b.first; // std::string compares bytes
    });
    std::string header = "{", data;
    for (const auto& [name, tensor] : entries) {
        const auto cpu = tensor.detach().to(at::kCPU).contiguous();
        const auto dtype = st::fromScalarType(cpu.scalar_type());
        const std::size_t begin = data.size(), bytes = static_cast<std::size_t>(cpu.numel()) * cpu.element_size();
        data.append(static_cast<const char*>(cpu.data_ptr()), bytes);
        if (header.size() > 1)
            header += ',';
        header.append("\"").append(name).append("\":{\"dtype\":\"").append(st::dtypeName(dtype));
        header.append("\",\"shape\":").append(shapeJson(cpu.sizes())).append(",\"data_offsets\":[");
        header.append(std::to_string(begin)).append(",").append(std::to_string(begin + bytes)).append("]}");
    }
    header += "}";
    header.append((8 - header.size() % 8) % 8, ' ');
    std::string out(8, '\0');
    const std::uint64_t length = header.size();
    for (int i = 0; i < 8; ++i)
        out[i] = static_cast<char>((length >> (8 * i)) & 0xff);
    return out + header + data;
}

void saveOfficialLora(const std::filesystem::path& path, const LoraState& state)
{
    const std::string bytes = officialLoraBytes(state);
    auto temp = path;
    temp += ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out)
            throw Error(ErrorCode::FileIo, path.string() + ": cannot write the LoRA file");
    }
    std::error_code error;
    std::filesystem::rename(temp, path, error);
    if (error)
        throw Error(ErrorCode::FileIo, path.string() + ": cannot write the LoRA file (" + error.message() + ")");
}

TensorMap toComfyUi(const TensorMap& official, const std::vector<std::string>& targets,
                    std::vector<std::string>* dropped)
{
    TensorMap out;
    auto underscored = [](std::string s) {
        std::replace(s.begin(), s.end(), '.', '_');
        return s;
    };
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const std::string key = loraIndexKey(i, "");
        auto down = official.find(key + ".lora_down"), up = official.find(key + ".lora_up");
        if (down == official.end() || up == official.end())
            throw Error(ErrorCode::BadCheckpoint, "LoRA: " + key + ".lora_down / lora_up missing");
        const std::int64_t rank = down->second.size(0);
        // alpha / rank must equal the official scale 1/rank.
        const at::Tensor alpha = at::tensor(1.0f);
        const std::string& target = targets[i];
        const bool in = target.size() > std::strlen(kInProj) &&
                        target.compare(target.size() - std::strlen(kInProj), std::string::npos, kInProj) == 0;
        const std::string block = underscored(target.substr(0, target.size() - std::strlen(in ? kInProj : kOutProj)));
        auto put = [&](const std::string& name, const at::Tensor& d, const at::Tensor& u) {
            out["lora_prior_unet_" + name + ".lora_down.weight"] = d.contiguous();
            out["lora_prior_unet_" + name + ".lora_up.weight"] = u.contiguous();
            out["lora_prior_unet_" + name + ".alpha"] = alpha;
        };
        if (!in) {
            put(block + "_attention_attn_out_proj", down->second, up->second);
            continue;
        }
        const std::int64_t c = up->second.size(0) / 3;
        const char* parts[] = {"q", "k", "v"};
        for (int p = 0; p < 3; ++p)
            put(block + "_attention_attn_to_" + parts[p], down->second, up->second.narrow(0, c * p, c));
        (void)rank;
    }
    if (dropped)
        for (const auto& [name, t] : official)
            if (name == "embeddings.embeddings" && t.numel() > 0) // with its embeddings.indices
                dropped->push_back(name);
    return out;
}

LoraForwardGuard::LoraForwardGuard(models::StageCImpl& model, models::ClipTextModelImpl* text, const LoraState& state)
{
    for (const auto& layer : state.layers) {
        at::Tensor* member = memberFor(model, layer.target);
        const at::Tensor& w = *member;
        // modules/lora.py LoRA.forward: original + (up @ down).view(shape) * scale, in the LoRA's dtype.
        const at::Tensor delta = at::matmul(layer.up, layer.down).view(w.sizes()) * layer.scale;
        swapped_.emplace_back(member, w);
        *member = w + delta.to(w.scalar_type());
    }
    if (text && state.embeddings.defined() && state.embeddings.numel() > 0) {
        at::Tensor& table = text->text_model->embeddings->token_embedding->weight;
        swapped_.emplace_back(&table, table);
        // ReToken.forward: a copy of the table with embeddings[k] added to row indices[k].
        table = table.index_add(0, state.indices.to(at::kLong).to(table.device()),
                                state.embeddings.to(table.scalar_type()));
    }
}

LoraForwardGuard::~LoraForwardGuard()
{
    for (auto it = swapped_.rbegin(); it != swapped_.rend(); ++it)
        *it->first = it->second;
}

} // namespace kaskade::training
