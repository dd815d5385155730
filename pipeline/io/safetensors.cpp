// STUB: replaced by the safetensors implementation.
#include "pipeline/io/safetensors.h"
#include "pipeline/errors.h"
namespace kaskade::st {
std::shared_ptr<Reader> Reader::open(const std::filesystem::path& path) { throw Error(ErrorCode::Unsupported, path.string() + ": safetensors reader not implemented yet"); }
Reader::~Reader() = default;
const TensorInfo* Reader::find(std::string_view) const { return nullptr; }
at::Tensor Reader::tensor(std::string_view) const { return {}; }
TensorMap Reader::loadAll() const { return {}; }
void write(const std::filesystem::path&, const TensorMap&, const std::map<std::string, std::string>&) {}
} // namespace kaskade::st
