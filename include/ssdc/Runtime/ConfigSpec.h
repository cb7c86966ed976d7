//===- ConfigSpec.h - the NAME=V,... syntax of a tuning config --*- C++ -*-===//
//
// One parser for the text that names a config by its parameter values, as
// `ssdc compile --config`, `tile-specialize=config=...`, `ssdc run --config`
// and SSDC_TUNE=pin:... write it. Depends on nothing but the C++ standard
// library.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_RUNTIME_CONFIGSPEC_H
#define SSDC_RUNTIME_CONFIGSPEC_H

#include "ssdc/Runtime/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ssdc {

/// One NAME=VALUE of a config spec.
struct ConfigAssignment {
  std::string name;
  int64_t value = 0;
};

/// Parses `spec`, "NAME=VALUE,NAME=VALUE,...": names are non-empty, values
/// decimal 64-bit integers, spaces around either are ignored. An empty spec
/// or item, a missing '=', a value that is not a 64-bit integer and a name
/// given twice are InvalidArgument errors that quote `spec`.
Status parseConfigSpec(const std::string &spec, std::vector<ConfigAssignment> &out);

} // namespace ssdc

#endif // SSDC_RUNTIME_CONFIGSPEC_H
