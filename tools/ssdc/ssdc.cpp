//===- ssdc.cpp - the ssdc command-line tool ------------------------------===//
//
// A dispatcher: each subcommand is implemented in a library (lib/Tools for
// the commands that need the compiler, lib/Tooling for package commands).
//
//===----------------------------------------------------------------------===//
#include "ssdc/Tooling/RunCommand.h"
#include "ssdc/Tools/Commands.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

static void printUsage() {
  llvm::errs() << "usage: ssdc <command> [options]\n"
                  "  compile KERNEL.mlir   compile to a kernel package, or --emit=STAGE\n"
                  "  run KERNEL.mlir       run a kernel from source (--target=host|cuda)\n"
                  "  run PACKAGE           run a compiled kernel on the GPU, timing every config\n"
                  "  tune PACKAGE          fill the tuning cache for given key values\n"
                  "Run `ssdc <command> --help` for a command's options.\n";
}

/// True when `ssdc run` is given MLIR source (a .mlir file or "-"), or no
/// input at all (then the source form's --help names both forms).
static bool runsSource(int argc, char **argv) {
  bool positional = false;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if ((arg.ends_with(".mlir") && !arg.contains('=')) || arg == "-")
      return true;
    positional |= !arg.starts_with("-") && !arg.contains('=');
  }
  return !positional;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  if (argc < 2) {
    printUsage();
    return 2;
  }
  llvm::StringRef command = argv[1];
  std::vector<std::string> rest(argv + 2, argv + argc);
  if (command == "compile")
    return ssdc::compileCommand(argc - 1, argv + 1);
  if (command == "run")
    return runsSource(argc - 1, argv + 1) ? ssdc::runSourceCommand(rest)
                                          : ssdc::tooling::runPackageCommand(rest);
  if (command == "tune")
    return ssdc::tooling::tunePackageCommand(rest);
  if (command == "--help" || command == "-h" || command == "help") {
    printUsage();
    return 0;
  }
  llvm::errs() << "ssdc: unknown command '" << command << "'\n";
  printUsage();
  return 2;
}
