#pragma once
// The one error type of the pipeline. Nothing in pipeline/ prints or exits: it throws kaskade::Error,
// and front ends map code() to an exit status (CLI) or a translated message (GUI).

#include <stdexcept>
#include <string>

namespace kaskade {

enum class ErrorCode {
    InvalidArgument = 1, // a parameter out of range (width 0, steps -1, unknown sampler ...)
    FileNotFound,        // a path that does not exist
    FileIo,              // read/write/mmap failure, disk full
    BadFormat,           // a file that is not what its name says (corrupt safetensors, bad JSON ...)
    BadCheckpoint,       // missing / unexpected / mis-shaped tensors, wrong model kind
    Unsupported,         // valid input we do not handle (fp16 Stage C, unknown fixture module ...)
    DeviceError,         // CUDA unavailable, out of memory
    Cancelled,           // the job's cancel check returned true
    Internal,            // a bug
};

class Error : public std::runtime_error
{
public:
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ErrorCode code() const noexcept { return code_; }

private:
    ErrorCode code_;
};

// Stable name of a code, for logs and JSON ("bad_checkpoint").
const char* errorCodeName(ErrorCode code) noexcept;

// CLI exit status of a code (2 = bad arguments, 3 = files, 4 = model, 5 = device, 130 = cancelled).
int exitStatusFor(ErrorCode code) noexcept;

} // namespace kaskade
