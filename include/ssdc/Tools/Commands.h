//===- Commands.h - the `ssdc` subcommands that need MLIR -------*- C++ -*-===//
//
// Each subcommand lives in a library so that the tool main stays a dispatcher
// and tests can call the commands directly. These two need the compiler;
// `ssdc run PACKAGE` and `ssdc tune` are ssdc/Tooling/RunCommand.h (they run
// without MLIR, in ssdc-rt too). Each returns a process exit code.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_TOOLS_COMMANDS_H
#define SSDC_TOOLS_COMMANDS_H

#include <string>
#include <vector>

namespace ssdc {

/// `ssdc compile KERNEL.mlir [-o OUT] [--emit=STAGE] [--chip=sm_XX] [--config N=V,...]`;
/// argv[0] is the subcommand's name.
int compileCommand(int argc, char **argv);

/// `ssdc run KERNEL.mlir --target=host|cuda ...`, with the arguments after
/// `run`: runs a kernel from source through the shared run path.
int runSourceCommand(const std::vector<std::string> &args);

} // namespace ssdc

#endif // SSDC_TOOLS_COMMANDS_H
