#include "pipeline/errors.h"

namespace kaskade {

const char* errorCodeName(ErrorCode code) noexcept
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::FileNotFound: return "file_not_found";
    case ErrorCode::FileIo: return "file_io";
    case ErrorCode::BadFormat: return "bad_format";
    case ErrorCode::BadCheckpoint: return "bad_checkpoint";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::DeviceError: return "device_error";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Internal: return "internal";
    }
    return "unknown";
}

int exitStatusFor(ErrorCode code) noexcept
{
    switch (code) {
    case ErrorCode::InvalidArgument: return 2;
    case ErrorCode::FileNotFound:
    case ErrorCode::FileIo:
    case ErrorCode::BadFormat: return 3;
    case ErrorCode::BadCheckpoint:
    case ErrorCode::Unsupported: return 4;
    case ErrorCode::DeviceError: return 5;
    case ErrorCode::Cancelled: return 130;
    case ErrorCode::Internal: return 70;
    }
    return 1;
}

} // namespace kaskade
