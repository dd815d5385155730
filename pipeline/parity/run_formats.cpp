#include "pipeline/errors.h"
#include "pipeline/parity/runners.h"

namespace kaskade::parity {

void runFormatFixture(Fixture&, Checker&) { throw Error(ErrorCode::Unsupported, "not implemented yet"); }

} // namespace kaskade::parity
