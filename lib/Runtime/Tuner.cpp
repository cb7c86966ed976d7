//===- Tuner.cpp - Choosing a config per problem --------------------------===//

#include "ssdc/Runtime/Tuner.h"

#include "ssdc/Runtime/ConfigSpec.h"
#include "ssdc/Runtime/TuningCache.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ssdc {

const char *configSourceName(ConfigSource source) {
  switch (source) {
  case ConfigSource::Default:
    return "default";
  case ConfigSource::Pinned:
    return "pinned";
  case ConfigSource::Cache:
    return "cache";
  case ConfigSource::Tuned:
    return "tuned";
  }
  return "unknown";
}

TuningOptions TuningOptions::fromEnvironment() {
  TuningOptions options;
  if (const char *tune = std::getenv("SSDC_TUNE")) {
    if (std::strcmp(tune, "off") == 0)
      options.mode = TuningMode::Off;
    else if (std::strcmp(tune, "force") == 0)
      options.mode = TuningMode::Force;
    else if (std::strcmp(tune, "on") != 0 && *tune != '\0')
      std::fprintf(stderr,
                   "ssdc: warning: SSDC_TUNE=%s is not off, on or force; "
                   "tuning stays on\n",
                   tune);
  }
  if (const char *config = std::getenv("SSDC_CONFIG"))
    options.pinnedConfig = config;
  options.cacheDirectory = defaultCacheDirectory();
  return options;
}

namespace {

bool isTileParam(const pkg::Param &param) { return param.name.compare(0, 5, "BLOCK") == 0; }

uint64_t nextPow2(int64_t value) {
  uint64_t power = 1;
  while (value > 0 && power < static_cast<uint64_t>(value))
    power <<= 1;
  return power;
}

int64_t largestTile(const pkg::Kernel &kernel, const pkg::Config &config) {
  int64_t largest = 0;
  for (size_t p = 0; p < kernel.params.size(); ++p)
    if (isTileParam(kernel.params[p]))
      largest = std::max(largest, config.paramValues[p]);
  return largest;
}

} // namespace

std::vector<uint32_t> configsWorthTiming(const pkg::Kernel &kernel,
                                         const std::vector<int64_t> &keyValues) {
  std::vector<uint32_t> all(kernel.configs.size());
  for (uint32_t c = 0; c < all.size(); ++c)
    all[c] = c;
  if (keyValues.empty())
    return all;
  uint64_t tileLimit = 1;
  for (int64_t value : keyValues)
    tileLimit = std::max(tileLimit, nextPow2(value));
  std::vector<uint32_t> kept;
  for (uint32_t c : all)
    if (static_cast<uint64_t>(largestTile(kernel, kernel.configs[c])) <= tileLimit)
      kept.push_back(c);
  if (!kept.empty())
    return kept;
  int64_t smallest = largestTile(kernel, kernel.configs[0]);
  for (uint32_t c : all)
    smallest = std::min(smallest, largestTile(kernel, kernel.configs[c]));
  for (uint32_t c : all)
    if (largestTile(kernel, kernel.configs[c]) == smallest)
      kept.push_back(c);
  return kept;
}

Status findConfig(const pkg::Kernel &kernel, const std::string &spec, uint32_t &configIndex) {
  std::vector<ConfigAssignment> assignments;
  SSDC_RETURN_IF_ERROR(parseConfigSpec(spec, assignments));
  std::vector<std::pair<size_t, int64_t>> wanted; // param index, value
  for (const ConfigAssignment &assignment : assignments) {
    size_t p = 0;
    while (p < kernel.params.size() && kernel.params[p].name != assignment.name)
      ++p;
    if (p == kernel.params.size())
      return notFound("kernel '" + kernel.name + "' has no parameter '" + assignment.name + "'");
    wanted.push_back({p, assignment.value});
  }
  auto matches = [&](uint32_t c) {
    for (const auto &[p, value] : wanted)
      if (kernel.configs[c].paramValues[p] != value)
        return false;
    return true;
  };
  if (kernel.defaultConfig < kernel.configs.size() && matches(kernel.defaultConfig)) {
    configIndex = kernel.defaultConfig;
    return okStatus();
  }
  for (uint32_t c = 0; c < kernel.configs.size(); ++c)
    if (matches(c)) {
      configIndex = c;
      return okStatus();
    }
  return notFound("kernel '" + kernel.name + "' has no config " + spec);
}

namespace {

/// Scratch copies of the read-write buffers, released on every path out.
class ScratchBuffers {
public:
  explicit ScratchBuffers(TuningLauncher &launcher) : launcher_(launcher) {}
  ~ScratchBuffers() {
    for (const Copy &copy : copies_)
      launcher_.release(copy.scratch);
  }

  /// Points every non-empty read-write buffer of `args` at a new scratch copy.
  Status substitute(const pkg::Kernel &kernel, BoundArgs &args) {
    for (size_t i = 0; i < kernel.args.size(); ++i) {
      ArgValue &value = args.values[i];
      if (kernel.args[i].kind != pkg::ArgKind::Buffer ||
          kernel.args[i].access != pkg::Access::ReadWrite || value.count == 0)
        continue;
      void *scratch = nullptr;
      Status status = launcher_.allocate(value.bytes(), scratch);
      if (!status.ok())
        return status.withContext("scratch copy of read-write buffer '" + kernel.args[i].name +
                                  "' for tuning");
      copies_.push_back({value.data, scratch, value.bytes()});
      value.data = scratch;
    }
    return okStatus();
  }

  /// Enqueues copies of the originals into the scratch buffers.
  Status refresh(void *stream) {
    for (const Copy &copy : copies_)
      SSDC_RETURN_IF_ERROR(launcher_.copy(copy.scratch, copy.original, copy.bytes, stream));
    return okStatus();
  }

private:
  struct Copy {
    const void *original;
    void *scratch;
    uint64_t bytes;
  };
  TuningLauncher &launcher_;
  std::vector<Copy> copies_;
};

Status measure(const TuningOptions &options, uint32_t configIndex, const BoundArgs &args,
               TuningLauncher &launcher, void *stream, ScratchBuffers &scratch, double &median) {
  for (int i = 0; i < options.warmupRuns; ++i) {
    SSDC_RETURN_IF_ERROR(scratch.refresh(stream));
    SSDC_RETURN_IF_ERROR(launcher.run(configIndex, args, stream));
  }
  std::vector<float> times;
  for (int i = 0; i < std::max(1, options.timedRuns); ++i) {
    SSDC_RETURN_IF_ERROR(scratch.refresh(stream));
    float ms = 0;
    SSDC_RETURN_IF_ERROR(launcher.time(configIndex, args, stream, ms));
    times.push_back(ms);
  }
  std::sort(times.begin(), times.end());
  size_t n = times.size();
  median = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2.0;
  return okStatus();
}

std::string keyText(const pkg::Kernel &kernel, const BoundArgs &args) {
  std::string text;
  for (uint32_t index : kernel.keyArgs) {
    if (!text.empty())
      text += ',';
    text += kernel.args[index].name + "=" + std::to_string(args.ints[index]);
  }
  return text;
}

} // namespace

Status tuneKernel(const TuningOptions &options, const pkg::Kernel &kernel, const BoundArgs &args,
                  TuningLauncher &launcher, void *stream, TuningResult &result) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  std::vector<uint32_t> candidates = configsWorthTiming(kernel, keyValues(kernel, args));
  result = TuningResult();
  result.source = ConfigSource::Tuned;
  result.timings.resize(kernel.configs.size());
  for (uint32_t c = 0; c < kernel.configs.size(); ++c) {
    result.timings[c].configIndex = c;
    result.timings[c].pruned = true;
  }

  ScratchBuffers scratch(launcher);
  BoundArgs tuningArgs = args;
  SSDC_RETURN_IF_ERROR(scratch.substitute(kernel, tuningArgs));

  Status firstError;
  bool reported = false;
  double best = -1;
  const std::string key = keyText(kernel, args);
  for (size_t n = 0; n < candidates.size(); ++n) {
    uint32_t c = candidates[n];
    ConfigTiming &timing = result.timings[c];
    timing.pruned = false;
    double median = 0;
    Status status = measure(options, c, tuningArgs, launcher, stream, scratch, median);
    if (status.ok()) {
      timing.milliseconds = median;
      if (best < 0 || median < best) {
        best = median;
        result.configIndex = c;
      }
    } else {
      timing.error = status.toString();
      if (firstError.ok())
        firstError = status;
    }
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (elapsed > options.progressAfterSeconds) {
      reported = true;
      std::fprintf(stderr, "ssdc: tuning %s (%s): config %zu/%zu %s: %s\n", kernel.name.c_str(),
                   key.c_str(), n + 1, candidates.size(), describeConfig(kernel, c).c_str(),
                   status.ok() ? (std::to_string(median) + " ms").c_str() : "failed");
    }
  }
  Status synced = launcher.synchronize(stream);
  if (best < 0)
    return firstError.withContext("tuning kernel '" + kernel.name +
                                  "': every config failed; the first");
  SSDC_RETURN_IF_ERROR(synced);
  if (reported)
    std::fprintf(stderr, "ssdc: tuned %s (%s) in %.1f s: %s\n", kernel.name.c_str(), key.c_str(),
                 std::chrono::duration<double>(Clock::now() - start).count(),
                 describeConfig(kernel, result.configIndex).c_str());
  return okStatus();
}

Status selectConfig(const TuningOptions &options, const TuningContext &context,
                    const pkg::Kernel &kernel, const BoundArgs &args, TuningLauncher &launcher,
                    void *stream, TuningResult &result) {
  result = TuningResult();
  if (!options.pinnedConfig.empty()) {
    result.source = ConfigSource::Pinned;
    return findConfig(kernel, options.pinnedConfig, result.configIndex)
        .withContext("pinned config (SSDC_CONFIG)");
  }
  if (options.mode == TuningMode::Off) {
    result.source = ConfigSource::Default;
    result.configIndex = kernel.defaultConfig;
    return okStatus();
  }

  TuningKey key;
  key.kernel = kernel.name;
  key.packageHash = context.packageHash;
  key.device = context.device;
  for (uint32_t index : kernel.keyArgs)
    key.keyArgs.push_back({kernel.args[index].name, args.ints[index]});
  const bool persistent = !options.cacheDirectory.empty();
  TuningCache cache(options.cacheDirectory);

  if (persistent && options.mode == TuningMode::On) {
    TuningEntry entry;
    bool found = false;
    Status status = cache.load(key, entry, found);
    uint32_t index = 0;
    if (!status.ok()) {
      std::fprintf(stderr, "ssdc: warning: %s; retuning\n", status.message().c_str());
    } else if (found) {
      // The entry names the config by its parameters; the index is only
      // trusted when it still denotes the same config.
      if (entry.configIndex < kernel.configs.size() &&
          describeConfig(kernel, entry.configIndex) == entry.config) {
        result.source = ConfigSource::Cache;
        result.configIndex = entry.configIndex;
        return okStatus();
      }
      if (findConfig(kernel, entry.config, index).ok()) {
        result.source = ConfigSource::Cache;
        result.configIndex = index;
        return okStatus();
      }
      std::fprintf(stderr,
                   "ssdc: warning: tuning cache entry %s names config '%s', "
                   "which kernel '%s' does not have; retuning\n",
                   cache.pathFor(key).c_str(), entry.config.c_str(), kernel.name.c_str());
    }
  }

  SSDC_RETURN_IF_ERROR(tuneKernel(options, kernel, args, launcher, stream, result));
  if (persistent) {
    TuningEntry entry;
    entry.configIndex = result.configIndex;
    entry.config = describeConfig(kernel, result.configIndex);
    entry.milliseconds = result.timings[result.configIndex].milliseconds;
    Status stored = cache.store(key, entry);
    if (!stored.ok())
      std::fprintf(stderr, "ssdc: warning: %s; the choice is not persisted\n",
                   stored.message().c_str());
  }
  return okStatus();
}

} // namespace ssdc
