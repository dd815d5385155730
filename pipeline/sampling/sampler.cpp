#include "pipeline/sampling/sampler.h"

#include <vector>

namespace kaskade::gdf {

std::unique_ptr<Sampler> makeSampler(SamplerKind kind)
{
    switch (kind) {
#define KASKADE_SAMPLER(enumerator, id, label, aliases, a1111, comfyUi, factory)                                       \
    case SamplerKind::enumerator:                                                                                      \
        return factory();
#include "pipeline/sampling/sampler_table.def"
#undef KASKADE_SAMPLER
    }
    return makeDdpm();
}

at::Tensor perRow(const at::Tensor& v, const at::Tensor& like)
{
    std::vector<std::int64_t> shape(like.dim(), 1);
    shape[0] = -1;
    return v.reshape(shape);
}

} // namespace kaskade::gdf
