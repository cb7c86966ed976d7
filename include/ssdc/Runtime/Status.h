//===- Status.h - The runtime's error type --------------------------------===//
//
// Every fallible runtime call returns a Status: a code, a message for people
// and, for failures of the CUDA driver, the driver's name for the error
// (e.g. "CUDA_ERROR_INVALID_VALUE"). Nothing in the runtime throws, exits or
// aborts across its API; errors travel as values.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_RUNTIME_STATUS_H
#define SSDC_RUNTIME_STATUS_H

#include <cstdint>
#include <string>
#include <utility>

namespace ssdc {

enum class StatusCode : uint8_t {
  Ok = 0,
  InvalidArgument, // the caller passed something that cannot work
  OutOfRange,      // a value (grid size, integer argument) exceeds a limit
  NotFound,        // a named kernel, argument, config or file does not exist
  DataLoss,        // a package or cache entry is truncated or corrupted
  Unimplemented,   // e.g. an unsupported package format version
  Unavailable,     // no CUDA driver or no device
  DriverError,     // the CUDA driver returned an error (see driverError())
  Internal,        // an invariant of the runtime itself was broken
};

/// The name of `code`, e.g. "InvalidArgument".
const char *statusCodeName(StatusCode code);

class [[nodiscard]] Status {
public:
  /// A default-constructed Status is success.
  Status() = default;
  Status(StatusCode code, std::string message, std::string driverError = {})
      : code_(code), message_(std::move(message)), driverError_(std::move(driverError)) {}

  bool ok() const { return code_ == StatusCode::Ok; }
  StatusCode code() const { return code_; }
  const std::string &message() const { return message_; }
  /// The CUDA driver's error name, empty unless code() is DriverError.
  const std::string &driverError() const { return driverError_; }

  /// "InvalidArgument: message" or "DriverError (CUDA_ERROR_X): message".
  std::string toString() const;

  /// Returns a copy whose message is prefixed with `context` + ": ", so that
  /// callers can say what they were doing when a callee failed.
  Status withContext(const std::string &context) const;

private:
  StatusCode code_ = StatusCode::Ok;
  std::string message_;
  std::string driverError_;
};

inline Status okStatus() { return Status(); }
inline Status invalidArgument(std::string message) {
  return Status(StatusCode::InvalidArgument, std::move(message));
}
inline Status outOfRange(std::string message) {
  return Status(StatusCode::OutOfRange, std::move(message));
}
inline Status notFound(std::string message) {
  return Status(StatusCode::NotFound, std::move(message));
}
inline Status dataLoss(std::string message) {
  return Status(StatusCode::DataLoss, std::move(message));
}
inline Status unimplemented(std::string message) {
  return Status(StatusCode::Unimplemented, std::move(message));
}
inline Status unavailable(std::string message) {
  return Status(StatusCode::Unavailable, std::move(message));
}
inline Status internalError(std::string message) {
  return Status(StatusCode::Internal, std::move(message));
}

} // namespace ssdc

/// Returns from the enclosing function when `expr` yields a failed Status.
#define SSDC_RETURN_IF_ERROR(expr)                                                                 \
  do {                                                                                             \
    ::ssdc::Status ssdcStatusTmp_ = (expr);                                                        \
    if (!ssdcStatusTmp_.ok())                                                                      \
      return ssdcStatusTmp_;                                                                       \
  } while (false)

#endif // SSDC_RUNTIME_STATUS_H
