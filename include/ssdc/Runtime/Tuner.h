//===- Tuner.h - Choosing a config per problem ----------------------------===//
//
// Which config of a kernel runs for given arguments: a pinned config, else
// the default config when tuning is off, else the persistent cache's entry,
// else the fastest config measured now. Measuring goes through the
// TuningLauncher interface, which the device implements with CUDA events and
// unit tests implement with a test double.
//
// Tuning never changes the caller's read-write buffers: they are tuned on
// scratch copies, refreshed from the original before every run. Write-only
// buffers are used as they are, since the real launch that follows tuning
// overwrites them.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_RUNTIME_TUNER_H
#define SSDC_RUNTIME_TUNER_H

#include "ssdc/Runtime/Launch.h"
#include "ssdc/Runtime/Package.h"
#include "ssdc/Runtime/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ssdc {

enum class TuningMode : uint8_t {
  Off,   // always the kernel's default config
  On,    // the cached choice, else tune and cache (the default)
  Force, // tune again once per process and key, replacing the cache entry
};

struct TuningOptions {
  TuningMode mode = TuningMode::On;
  /// "NAME=V,NAME=V": use the config with these parameter values (unnamed
  /// parameters may take any value; the default config wins ties). Empty:
  /// nothing pinned.
  std::string pinnedConfig;
  /// Where tuning results persist; empty disables the persistent cache.
  std::string cacheDirectory;
  int warmupRuns = 2;
  int timedRuns = 7; // the median of these is a config's time
  /// Progress lines go to stderr once tuning has taken this long.
  double progressAfterSeconds = 1.0;

  /// The defaults, overridden by SSDC_TUNE=off|on|force, SSDC_CONFIG=NAME=V,...
  /// and the cache directory of defaultCacheDirectory().
  static TuningOptions fromEnvironment();
};

/// What the tuner needs from a device.
class TuningLauncher {
public:
  virtual ~TuningLauncher() = default;
  /// Enqueues one launch of config `configIndex` on `stream`.
  virtual Status run(uint32_t configIndex, const BoundArgs &args, void *stream) = 0;
  /// Runs config `configIndex` once and returns its device time; waits for it.
  virtual Status time(uint32_t configIndex, const BoundArgs &args, void *stream,
                      float &milliseconds) = 0;
  virtual Status allocate(uint64_t bytes, void *&pointer) = 0;
  virtual void release(void *pointer) = 0;
  /// Enqueues a device-to-device copy on `stream`.
  virtual Status copy(void *dst, const void *src, uint64_t bytes, void *stream) = 0;
  virtual Status synchronize(void *stream) = 0;
};

/// Where the chosen config came from.
enum class ConfigSource : uint8_t { Default, Pinned, Cache, Tuned };
const char *configSourceName(ConfigSource source);

struct ConfigTiming {
  uint32_t configIndex = 0;
  bool pruned = false;
  /// Median time in ms; negative when the config was pruned or failed.
  double milliseconds = -1;
  std::string error; // why a config failed, if it did
};

struct TuningResult {
  uint32_t configIndex = 0;
  ConfigSource source = ConfigSource::Default;
  /// One per config when source is Tuned; empty otherwise.
  std::vector<ConfigTiming> timings;
};

/// What a tuning result depends on besides the kernel and its key values.
struct TuningContext {
  uint64_t packageHash = 0;
  std::string device; // name and chip, e.g. "NVIDIA H100 80GB HBM3 sm_90"
};

/// The configs worth timing for these key values. A parameter whose name
/// starts with "BLOCK" is a tile size; a config is pruned when one of its
/// tile sizes exceeds next_pow2 of every key value (a tile larger than the
/// problem in every dimension it could tile only wastes threads). When every
/// config would be pruned, those with the smallest largest tile are kept.
/// With no key values nothing is pruned.
std::vector<uint32_t> configsWorthTiming(const pkg::Kernel &kernel,
                                         const std::vector<int64_t> &keyValues);

/// The config whose parameters match `spec` ("NAME=V,..."), preferring the
/// default config among several matches; an unknown name, a malformed spec or
/// no match is an error.
Status findConfig(const pkg::Kernel &kernel, const std::string &spec, uint32_t &configIndex);

/// Times every config worth timing for `args` (warm-up, then the median of
/// timed runs) and returns the fastest in `result`. A config that fails to
/// load or run is skipped with its error recorded; if all fail, the first
/// error is returned. Read-write buffers are tuned on scratch copies.
Status tuneKernel(const TuningOptions &options, const pkg::Kernel &kernel, const BoundArgs &args,
                  TuningLauncher &launcher, void *stream, TuningResult &result);

/// Chooses the config for `args`: pinned, else default when tuning is off,
/// else the cache entry (unless Force), else tuneKernel() and a cache write.
/// A corrupt or stale cache entry is reported on stderr and retuned.
Status selectConfig(const TuningOptions &options, const TuningContext &context,
                    const pkg::Kernel &kernel, const BoundArgs &args, TuningLauncher &launcher,
                    void *stream, TuningResult &result);

} // namespace ssdc

#endif // SSDC_RUNTIME_TUNER_H
