//===- EmbeddedPackages.h - the SSD packages the build compiled -*- C++ -*-===//
//
// lib/SSD/CMakeLists.txt compiles each kernel of kernels/ssd/ for each chip
// of SSDC_SSD_CHIPS with `ssdc compile` and cmake/EmbedPackages.cmake writes
// their bytes into a generated source, so that an engine linking the SSD
// library needs no MLIR and no files at run time.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_LIB_SSD_EMBEDDEDPACKAGES_H
#define SSDC_LIB_SSD_EMBEDDEDPACKAGES_H

#include <cstddef>

namespace ssdc::ssd::embedded {

struct Package {
  const char *chip;   // "sm_90a"
  const char *kernel; // "ssd_chunk_states"
  const unsigned char *bytes;
  size_t size;
};

extern const Package kPackages[];
extern const size_t kNumPackages;

} // namespace ssdc::ssd::embedded

#endif // SSDC_LIB_SSD_EMBEDDEDPACKAGES_H
