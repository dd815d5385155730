#include "pipeline/sampling/noise.h"

#include "pipeline/errors.h"

#include <ATen/CPUGeneratorImpl.h>

#include <sstream>

namespace kaskade {

SeededNoise::SeededNoise(std::uint64_t seed) : generator_(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

at::Tensor SeededNoise::draw(at::IntArrayRef shape, const at::Device& device)
{
    auto noise = at::randn(shape, generator_, at::TensorOptions().dtype(at::kFloat)); // CPU
    return noise.to(device);
}

RecordedNoise::RecordedNoise(std::vector<at::Tensor> tensors) : tensors_(std::move(tensors)) {}

at::Tensor RecordedNoise::draw(at::IntArrayRef shape, const at::Device& device)
{
    if (next_ >= tensors_.size())
        throw Error(ErrorCode::InvalidArgument,
                    "recorded noise: all " + std::to_string(tensors_.size()) + " tensors are used up");
    const at::Tensor& tensor = tensors_[next_];
    if (tensor.sizes() != shape) {
        std::ostringstream out;
        out << "recorded noise " << next_ << ": shape " << tensor.sizes() << ", requested " << shape;
        throw Error(ErrorCode::InvalidArgument, out.str());
    }
    ++next_;
    return tensor.to(device, at::kFloat);
}

} // namespace kaskade
