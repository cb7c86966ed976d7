//===- Commands.h - `ssdc run` and `ssdc tune` ----------------------------===//
//
// The runtime halves of two `ssdc` subcommands; tools/ssdc and tools/ssdc-rt
// call them with the arguments after the subcommand name and return their
// exit code.
//
//   ssdc run PACKAGE --kernel NAME [--device N] [--arg NAME=VALUE ...]
//            [--input NAME=FILE.npy ...] [--seed N] [--config NAME=V,...]
//            [--output NAME=FILE.npy ...] [--output-dir DIR]
//     Without --config: times every config (nothing is cached), prints
//     per-config times and the chosen config, then launches it once. With
//     --config: launches that config once. Then prints a summary of every
//     written buffer and writes the requested .npy files.
//   ssdc tune PACKAGE --kernel NAME [--device N] --key NAME=V,...
//            [--arg NAME=VALUE ...] [--input NAME=FILE.npy ...] [--seed N]
//     Tunes for the given key values and writes the tuning cache.
//
// Integer arguments take a value; buffer arguments take an element count,
// written as a product of integers and integer-argument names, e.g.
// --arg out=B*T*T, or come from a file (--input; the file gives the size).
// Generated inputs follow the host target's rule, so that one seed gives the
// same inputs to `ssdc run KERNEL.mlir --target=host` and to a package;
// write-only buffers start as NaN. Every option error is found before the
// device is touched. Exit codes: 0 success, 1 runtime error, 2 usage error.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_TOOLING_RUNCOMMAND_H
#define SSDC_TOOLING_RUNCOMMAND_H

#include "ssdc/Runtime/Status.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ssdc {

class LoadedPackage;

int runPackageCommand(const std::vector<std::string> &args);
int tuneCommand(const std::vector<std::string> &args);

/// What `ssdc run PACKAGE` is asked to do, parsed.
struct PackageRunOptions {
  using Assignments = std::vector<std::pair<std::string, std::string>>;
  std::string kernel;
  int device = 0;
  Assignments args;    // --arg NAME=VALUE (and tune's --key)
  Assignments inputs;  // --input NAME=FILE.npy
  Assignments outputs; // --output NAME=FILE.npy
  std::string outputDir;
  uint64_t seed = 0;
  /// NAME=V,...: the one config to launch; empty: time every config and
  /// launch the fastest.
  std::string config;
};

/// Runs `options.kernel` of `package` as `ssdc run PACKAGE` does, printing to
/// stdout and stderr, and returns the exit code. `ssdc run KERNEL.mlir
/// --target=cuda` calls it with the package it compiled in memory.
int runPackage(std::shared_ptr<const LoadedPackage> package, const PackageRunOptions &options);

/// Evaluates an element count, "8" or "B*T*T", against the integer arguments;
/// an unknown name, a negative factor or an overflow is an error.
Status evaluateElementCount(const std::string &text, const std::map<std::string, int64_t> &ints,
                            uint64_t &out);

} // namespace ssdc

#endif // SSDC_TOOLING_RUNCOMMAND_H
