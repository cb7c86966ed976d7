//===- Commands.h - the subcommands of the `ssdc` tool ----------*- C++ -*-===//
//
// Each subcommand lives in a library so that the tool main stays a dispatcher
// and tests can call the commands directly. Every command parses its own
// options from argv (argv[0] is the subcommand's name), reports errors as
// diagnostics, and returns a process exit code.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_TOOLS_COMMANDS_H
#define SSDC_TOOLS_COMMANDS_H

namespace ssdc {

/// `ssdc compile KERNEL.mlir [-o OUT] [--emit=STAGE] [--chip=sm_XX] [--config N=V,...]`
int compileCommand(int argc, char **argv);

/// `ssdc run KERNEL.mlir --target=host|cuda ...`: runs a kernel from source.
int runKernelCommand(int argc, char **argv);

} // namespace ssdc

#endif // SSDC_TOOLS_COMMANDS_H
