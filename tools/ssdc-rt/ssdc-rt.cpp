//===- ssdc-rt.cpp - the runtime's commands, without the compiler ---------===//
//
// `ssdc run PACKAGE` and `ssdc tune PACKAGE` for machines that run kernels
// but do not compile them: this binary links the runtime alone (no MLIR, no
// LLVM, no CUDA library; libcuda is dlopened).
//
//===----------------------------------------------------------------------===//
#include "ssdc/Tooling/RunCommand.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0) {
    std::fprintf(stderr, "usage: ssdc-rt run PACKAGE --kernel NAME [--arg NAME=VALUE ...]\n"
                         "         [--input NAME=FILE.npy ...] [--seed N] [--config NAME=V,...]\n"
                         "         [--output NAME=FILE.npy ...] [--output-dir DIR]\n"
                         "       ssdc-rt tune PACKAGE --kernel NAME --key NAME=V,... "
                         "[--arg NAME=VALUE ...]\n");
    return argc < 2 ? 2 : 0;
  }
  std::string command = argv[1];
  std::vector<std::string> rest(argv + 2, argv + argc);
  if (command == "run")
    return ssdc::runPackageCommand(rest);
  if (command == "tune")
    return ssdc::tuneCommand(rest);
  std::fprintf(stderr, "ssdc-rt: unknown command '%s' (run or tune)\n", command.c_str());
  return 2;
}
