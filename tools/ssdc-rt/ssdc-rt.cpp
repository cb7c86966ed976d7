//===- ssdc-rt.cpp - the runtime's commands, without the compiler ---------===//
//
// `ssdc run PACKAGE` and `ssdc tune PACKAGE` for machines that run kernels
// but do not compile them: this binary links the runtime and its tooling
// alone (no MLIR, no LLVM, no CUDA library; libcuda is dlopened).
//
//===----------------------------------------------------------------------===//
#include "ssdc/Tooling/RunCommand.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  using namespace ssdc::tooling;
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0) {
    std::fprintf(argc < 2 ? stderr : stdout, "%s%s", runUsage(RunForm::Package),
                 runUsage(RunForm::Tune));
    return argc < 2 ? kExitUsage : 0;
  }
  std::string command = argv[1];
  std::vector<std::string> rest(argv + 2, argv + argc);
  if (command == "run")
    return runPackageCommand(rest, "ssdc-rt");
  if (command == "tune")
    return tunePackageCommand(rest, "ssdc-rt");
  std::fprintf(stderr, "ssdc-rt: unknown command '%s' (run or tune)\n", command.c_str());
  return kExitUsage;
}
