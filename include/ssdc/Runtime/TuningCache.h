//===- TuningCache.h - Persistent autotuning results ----------------------===//
//
// One small text file per (kernel, package hash, device, key values), in
// $SSDC_CACHE_DIR, else $XDG_CACHE_HOME/ssdc, else ~/.cache/ssdc. Entries are
// written to a temporary file in the same directory and renamed into place,
// so a reader sees a whole old entry or a whole new one, never a mix, and
// several processes may tune and write at once. An entry carries its whole
// key, so a file-name hash collision reads as a miss, not as a wrong config.
// A writer killed between creating its temporary file and renaming it leaves
// the temporary behind: readers never look at one, and every store removes
// those older than kStaleTemporarySeconds.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_RUNTIME_TUNINGCACHE_H
#define SSDC_RUNTIME_TUNINGCACHE_H

#include "ssdc/Runtime/Status.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ssdc {

/// Everything a tuning result depends on.
struct TuningKey {
  std::string kernel;
  uint64_t packageHash = 0;
  std::string device;                                   // e.g. "NVIDIA H100 80GB HBM3 sm_90"
  std::vector<std::pair<std::string, int64_t>> keyArgs; // name, value
};

/// The tuned choice: the config by its parameter values ("BLOCK_M=64,...",
/// what survives a reordering of configs) and its index, plus its time.
struct TuningEntry {
  std::string config;
  uint32_t configIndex = 0;
  double milliseconds = 0;
};

/// The cache directory from the environment ($SSDC_CACHE_DIR, else
/// $XDG_CACHE_HOME/ssdc, else $HOME/.cache/ssdc); empty when none is set.
std::string defaultCacheDirectory();

class TuningCache {
public:
  /// A temporary file this old is a dead writer's: a live one renames its
  /// file microseconds after creating it. The age, not the writer's pid, is
  /// the rule, since a cache directory may be shared by machines or
  /// containers whose pids mean nothing here; a writer stopped for longer
  /// loses its rename (a store warning), never an entry's contents.
  static constexpr int64_t kStaleTemporarySeconds = 600;

  explicit TuningCache(std::string directory) : directory_(std::move(directory)) {}

  const std::string &directory() const { return directory_; }

  /// The file that holds `key`'s entry.
  std::string pathFor(const TuningKey &key) const;

  /// Reads `key`'s entry. No file: ok with found = false. A file that cannot
  /// be read, does not parse or belongs to another key: a DataLoss status.
  Status load(const TuningKey &key, TuningEntry &entry, bool &found) const;

  /// Writes `key`'s entry atomically, creating the directory if needed, and
  /// removes stale temporary files (kStaleTemporarySeconds).
  Status store(const TuningKey &key, const TuningEntry &entry) const;

  /// Whether `name` (a file name in the directory) is one of the temporary
  /// files store() writes its entries to before renaming them.
  static bool isTemporaryName(const std::string &name);

private:
  void removeStaleTemporaries() const;

  std::string directory_;
};

} // namespace ssdc

#endif // SSDC_RUNTIME_TUNINGCACHE_H
