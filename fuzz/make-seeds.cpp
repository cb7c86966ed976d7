//===- make-seeds.cpp - Seed packages for the package reader fuzzer -------===//
//
//   make-seeds DIR   writes the synthetic test package, each of its kernels
//                    alone, and an empty package into DIR
//
//===----------------------------------------------------------------------===//

#include "../unittests/Runtime/SyntheticPackage.h"

#include <fstream>

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  using namespace ssdc;
  pkg::Package full = synthetic::syntheticPackage();
  pkg::Package empty;
  std::vector<pkg::Package> seeds = {full, empty};
  for (const pkg::Kernel &kernel : full.kernels) {
    pkg::Package single = full;
    single.kernels = {kernel};
    seeds.push_back(single);
  }
  for (size_t i = 0; i < seeds.size(); ++i)
    std::ofstream(std::string(argv[1]) + "/seed" + std::to_string(i) + ".ssdcpkg", std::ios::binary)
        << pkg::writePackage(seeds[i]);
  return 0;
}
