//===- Status.cpp - The runtime's error type ------------------------------===//

#include "ssdc/Runtime/Status.h"

namespace ssdc {

const char *statusCodeName(StatusCode code) {
  switch (code) {
  case StatusCode::Ok:
    return "Ok";
  case StatusCode::InvalidArgument:
    return "InvalidArgument";
  case StatusCode::OutOfRange:
    return "OutOfRange";
  case StatusCode::NotFound:
    return "NotFound";
  case StatusCode::DataLoss:
    return "DataLoss";
  case StatusCode::Unimplemented:
    return "Unimplemented";
  case StatusCode::Unavailable:
    return "Unavailable";
  case StatusCode::DriverError:
    return "DriverError";
  case StatusCode::Internal:
    return "Internal";
  }
  return "Unknown";
}

std::string Status::toString() const {
  if (ok())
    return "Ok";
  std::string text = statusCodeName(code_);
  if (!driverError_.empty())
    text += " (" + driverError_ + ")";
  return text + ": " + message_;
}

Status Status::withContext(const std::string &context) const {
  if (ok())
    return *this;
  return Status(code_, context + ": " + message_, driverError_);
}

} // namespace ssdc
