//===- EmbeddedPackages.h - the SSD packages the build compiled -*- C++ -*-===//
//
// lib/SSD/CMakeLists.txt compiles each kernel of kernels/ssd/ for each chip
// of SSDC_SSD_CHIPS with `ssdc compile` and cmake/EmbedPackages.cmake writes
// their bytes into a generated source, so that an engine linking the SSD
// library needs no MLIR and no files at run time. The host forward
// (HostForward.cpp) embeds the kernels' source text the same way, with
// "source" as the chip.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_LIB_SSD_EMBEDDEDPACKAGES_H
#define SSDC_LIB_SSD_EMBEDDEDPACKAGES_H

#include <cstddef>

namespace ssdc::ssd::embedded {

struct Package {
  const char *chip;   // "sm_90a"
  const char *kernel; // "ssd_chunk_state"
  const unsigned char *bytes;
  size_t size;
};

extern const Package kPackages[];
extern const size_t kNumPackages;

/// Defined only in the host forward's library (SSDCSsdHost).
extern const Package kSources[];
extern const size_t kNumSources;

} // namespace ssdc::ssd::embedded

#endif // SSDC_LIB_SSD_EMBEDDEDPACKAGES_H
