//===- PackageReaderFuzzer.cpp - libFuzzer target for readPackage ---------===//
//
// Feeds arbitrary bytes to the package reader. Inputs of 32 bytes or more
// also get their header's size and checksum repaired, so that mutations reach
// the record parser instead of stopping at the checksum. Built and run by
// scripts/fuzz-package.sh.
//
//===----------------------------------------------------------------------===//

#include "ssdc/Runtime/Package.h"

#include <cstring>
#include <string>

using namespace ssdc;

static void parse(const uint8_t *data, size_t size) {
  pkg::Package package;
  Status status = pkg::readPackage(data, size, package);
  if (status.ok()) {
    // Whatever parses must survive a round trip unchanged.
    std::string again = pkg::writePackage(package);
    pkg::Package reparsed;
    if (!pkg::readPackage(again.data(), again.size(), reparsed).ok() ||
        pkg::writePackage(reparsed) != again)
      __builtin_trap();
  } else if (status.message().find("byte offset") == std::string::npos) {
    __builtin_trap(); // every rejection says where
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  parse(data, size);
  if (size >= 32) {
    std::string resealed(reinterpret_cast<const char *>(data), size);
    uint64_t total = size;
    uint64_t checksum = pkg::hashBytes(resealed.data() + 32, size - 32);
    std::memcpy(&resealed[16], &total, 8); // little-endian hosts only
    std::memcpy(&resealed[24], &checksum, 8);
    parse(reinterpret_cast<const uint8_t *>(resealed.data()), size);
  }
  return 0;
}
