//===- TuningCacheWorker.h - What the stress test's processes share ----*- C++ -*-===//
//
// The keys, the expected choices and the entry check of the tuning-cache
// stress test: TuningCacheWorker.cpp (one process) and
// TuningCacheConcurrencyTest.cpp (the driver) both use them.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_UNITTESTS_RUNTIME_TUNINGCACHEWORKER_H
#define SSDC_UNITTESTS_RUNTIME_TUNINGCACHEWORKER_H

#include "ssdc/Runtime/Launch.h"
#include "ssdc/Runtime/TuningCache.h"

#include <cstdint>
#include <string>

namespace ssdc {
namespace stress {

constexpr uint64_t kPackageHash = 0x5eed5eed5eed5eedull;
constexpr const char *kDevice = "stress-test device sm_90";
/// Key values T that every worker tunes (B is 1).
constexpr int64_t kSharedT[] = {2000, 2001, 2002, 2003};
/// The key value T that only worker `id` tunes.
inline int64_t ownT(int id) { return 5000 + id; }

/// The config worker `id` finds fastest (the synthetic segsum_exp has 6).
inline uint32_t expectedChoice(int id) { return static_cast<uint32_t>(id % 6); }

inline TuningKey keyFor(const pkg::Kernel &kernel, int64_t T) {
  TuningKey key;
  key.kernel = kernel.name;
  key.packageHash = kPackageHash;
  key.device = kDevice;
  key.keyArgs = {{"B", 1}, {"T", T}};
  return key;
}

/// What is wrong with the cache's entry for T (empty when nothing): it must
/// read, and if found name one of the kernel's configs by index and by
/// parameters, with the 1 ms the choice was timed at; `expected` >= 0 also
/// requires that entry to exist and to be that config.
inline std::string checkEntry(const TuningCache &cache, const pkg::Kernel &kernel, int64_t T,
                              int64_t expected) {
  TuningEntry entry;
  bool found = false;
  std::string where =
      "entry T=" + std::to_string(T) + " (" + cache.pathFor(keyFor(kernel, T)) + "): ";
  Status status = cache.load(keyFor(kernel, T), entry, found);
  if (!status.ok())
    return where + status.toString();
  if (!found)
    return expected >= 0 ? where + "missing" : "";
  if (entry.configIndex >= kernel.configs.size() ||
      describeConfig(kernel, entry.configIndex) != entry.config)
    return where + "config " + std::to_string(entry.configIndex) + " '" + entry.config +
           "' is not one of the kernel's";
  if (entry.milliseconds != 1.0)
    return where + "time " + std::to_string(entry.milliseconds) + " ms is not the choice's";
  if (expected >= 0 && entry.configIndex != expected)
    return where + "config " + std::to_string(entry.configIndex) + ", expected " +
           std::to_string(expected);
  return "";
}

} // namespace stress
} // namespace ssdc

#endif // SSDC_UNITTESTS_RUNTIME_TUNINGCACHEWORKER_H
