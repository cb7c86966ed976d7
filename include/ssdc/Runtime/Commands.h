//===- Commands.h - `ssdc run` and `ssdc tune` ----------------------------===//
//
// The runtime halves of two `ssdc` subcommands; tools/ssdc calls them with
// the arguments after the subcommand name and returns their exit code.
//
//   ssdc run PACKAGE --kernel NAME [--device N] [--arg NAME=VALUE ...]
//     Random inputs; times every config (nothing is checked or cached),
//     prints per-config times and the chosen config, then launches it once.
//   ssdc tune PACKAGE --kernel NAME [--device N] --key NAME=V,...
//            [--arg NAME=VALUE ...]
//     Tunes for the given key values and writes the tuning cache.
//
// Integer arguments take a value; buffer arguments take an element count,
// written as a product of integers and integer-argument names, e.g.
// --arg out=B*T*T. Exit codes: 0 success, 1 runtime error, 2 usage error.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_RUNTIME_COMMANDS_H
#define SSDC_RUNTIME_COMMANDS_H

#include <string>
#include <vector>

namespace ssdc {

int runPackageCommand(const std::vector<std::string> &args);
int tuneCommand(const std::vector<std::string> &args);

} // namespace ssdc

#endif // SSDC_RUNTIME_COMMANDS_H
