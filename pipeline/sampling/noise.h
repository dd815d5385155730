#pragma once
// Where the sampler's randomness comes from. Normal runs use a seeded CPU generator (drawn on the CPU,
// then moved to the device, so one seed gives the same image on every device and equals
// `torch.manual_seed(seed); torch.randn(shape)` in Python); parity runs replay recorded tensors.

#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace kaskade {

class NoiseSource
{
public:
    virtual ~NoiseSource() = default;
    // Standard normal float32 noise of `shape` on `device`.
    virtual at::Tensor draw(at::IntArrayRef shape, const at::Device& device) = 0;
};

// torch.randn on a CPU generator of its own (mt19937 and the normal transform of PyTorch's CPU randn).
class SeededNoise final : public NoiseSource
{
public:
    explicit SeededNoise(std::uint64_t seed);
    at::Tensor draw(at::IntArrayRef shape, const at::Device& device) override;

private:
    at::Generator generator_;
};

// Returns the given tensors in order (e.g. a fixture's step.NNN.noise). Throws Error(InvalidArgument)
// when exhausted or when a tensor's shape differs from the one requested.
class RecordedNoise final : public NoiseSource
{
public:
    explicit RecordedNoise(std::vector<at::Tensor> tensors);
    at::Tensor draw(at::IntArrayRef shape, const at::Device& device) override;
    std::size_t used() const { return next_; }

private:
    std::vector<at::Tensor> tensors_;
    std::size_t next_ = 0;
};

} // namespace kaskade
