//===- TuningCache.cpp - Persistent autotuning results --------------------===//
//
// Entry format (text, one "field value" per line, all fields required):
//   ssdc-tuning 1
//   kernel segsum_exp
//   package 0123456789abcdef
//   device NVIDIA H100 80GB HBM3 sm_90
//   key B=1,T=1000
//   config BLOCK_M=64,BLOCK_N=32
//   index 3
//   ms 0.0123
//
//===----------------------------------------------------------------------===//

#include "ssdc/Runtime/TuningCache.h"
#include "ssdc/Runtime/Package.h"

#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace ssdc {

namespace {

constexpr const char *kEntryHeader = "ssdc-tuning 1";
constexpr size_t kMaxEntryBytes = 64 * 1024;
constexpr const char *kEntrySuffix = ".tune";
/// A temporary file is named <entry file>.tmp.<mkstemp's six characters>.
constexpr const char *kTemporaryMarker = ".tmp.";
constexpr size_t kMkstempCharacters = 6;

std::string hex64(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016" PRIx64, value);
  return text;
}

std::string keyArgsText(const TuningKey &key) {
  std::string text;
  for (const auto &[name, value] : key.keyArgs) {
    if (!text.empty())
      text += ',';
    text += name + "=" + std::to_string(value);
  }
  return text;
}

/// The entry text without the result lines: what identifies the entry.
std::string identityText(const TuningKey &key) {
  return std::string(kEntryHeader) + "\nkernel " + key.kernel + "\npackage " +
         hex64(key.packageHash) + "\ndevice " + key.device + "\nkey " + keyArgsText(key) + "\n";
}

Status makeDirectories(const std::string &path) {
  std::string prefix;
  std::stringstream parts(path);
  std::string part;
  if (!path.empty() && path[0] == '/')
    prefix = "/";
  while (std::getline(parts, part, '/')) {
    if (part.empty())
      continue;
    prefix += part + "/";
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST)
      return unavailable("tuning cache: cannot create directory " + prefix + ": " +
                         std::strerror(errno));
  }
  return okStatus();
}

bool readFile(const std::string &path, std::string &out, int &error) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = errno;
    return false;
  }
  out.clear();
  char buffer[4096];
  ssize_t got;
  while ((got = read(fd, buffer, sizeof(buffer))) > 0 && out.size() < kMaxEntryBytes)
    out.append(buffer, static_cast<size_t>(got));
  error = got < 0 ? errno : 0;
  close(fd);
  return got >= 0;
}

} // namespace

std::string defaultCacheDirectory() {
  if (const char *dir = std::getenv("SSDC_CACHE_DIR"); dir && *dir)
    return dir;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/ssdc";
  if (const char *home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/ssdc";
  return {};
}

std::string TuningCache::pathFor(const TuningKey &key) const {
  // Kernel names are identifiers; anything else is replaced so that the file
  // name stays a single, portable path component.
  std::string name;
  for (char c : key.kernel.substr(0, 64))
    name += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  std::string identity = identityText(key);
  return directory_ + "/" + name + "-" + hex64(pkg::hashBytes(identity.data(), identity.size())) +
         kEntrySuffix;
}

Status TuningCache::load(const TuningKey &key, TuningEntry &entry, bool &found) const {
  found = false;
  std::string path = pathFor(key);
  std::string text;
  int error = 0;
  if (!readFile(path, text, error)) {
    if (error == ENOENT)
      return okStatus();
    return dataLoss("tuning cache entry " + path + " is unreadable: " + std::strerror(error));
  }
  std::string identity = identityText(key);
  auto corrupt = [&](const std::string &what) {
    return dataLoss("tuning cache entry " + path + " is corrupt: " + what);
  };
  // The format version is part of the file name's hash, so another version
  // of ssdc writes its entries elsewhere; one found here was copied or damaged.
  std::string header = text.substr(0, text.find('\n'));
  if (header != kEntryHeader && header.compare(0, 12, "ssdc-tuning ") == 0)
    return corrupt("it was written by another version ('" + header + "', this one reads '" +
                   kEntryHeader + "')");
  if (text.compare(0, identity.size(), identity) != 0)
    return corrupt("it does not belong to this kernel, package, device and "
                   "key");
  std::istringstream rest(text.substr(identity.size()));
  std::string field, config, index, ms, extra;
  if (!(rest >> field >> config) || field != "config")
    return corrupt("no config line");
  if (!(rest >> field >> index) || field != "index")
    return corrupt("no index line");
  if (!(rest >> field >> ms) || field != "ms")
    return corrupt("no ms line");
  if (rest >> extra)
    return corrupt("trailing text");
  char *end = nullptr;
  errno = 0;
  unsigned long long parsedIndex = std::strtoull(index.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || index[0] == '-' || parsedIndex > UINT32_MAX)
    return corrupt("bad index '" + index + "'");
  double parsedMs = std::strtod(ms.c_str(), &end);
  if (*end != '\0' || !(parsedMs >= 0))
    return corrupt("bad time '" + ms + "'");
  entry.config = config;
  entry.configIndex = static_cast<uint32_t>(parsedIndex);
  entry.milliseconds = parsedMs;
  found = true;
  return okStatus();
}

Status TuningCache::store(const TuningKey &key, const TuningEntry &entry) const {
  if (directory_.empty())
    return invalidArgument("tuning cache: no directory");
  SSDC_RETURN_IF_ERROR(makeDirectories(directory_));
  char ms[64];
  std::snprintf(ms, sizeof(ms), "%.9g", entry.milliseconds);
  std::string text = identityText(key) + "config " + entry.config + "\nindex " +
                     std::to_string(entry.configIndex) + "\nms " + ms + "\n";
  std::string path = pathFor(key);
  // mkstemp gives every writer its own temporary file in the same directory;
  // rename() then replaces the entry atomically.
  std::string temporary = path + kTemporaryMarker + std::string(kMkstempCharacters, 'X');
  int fd = mkstemp(temporary.data());
  if (fd < 0)
    return unavailable("tuning cache: cannot create a file in " + directory_ + ": " +
                       std::strerror(errno));
  fchmod(fd, 0644); // mkstemp's 0600 would hide entries from other users
  bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  int writeError = errno;
  bool closed = close(fd) == 0;
  if (!written || !closed) {
    unlink(temporary.c_str());
    return unavailable("tuning cache: cannot write " + temporary + ": " +
                       std::strerror(written ? errno : writeError));
  }
  if (rename(temporary.c_str(), path.c_str()) != 0) {
    int renameError = errno;
    unlink(temporary.c_str());
    return unavailable("tuning cache: cannot rename into " + path + ": " +
                       std::strerror(renameError));
  }
  removeStaleTemporaries();
  return okStatus();
}

bool TuningCache::isTemporaryName(const std::string &name) {
  std::string marker = std::string(kEntrySuffix) + kTemporaryMarker;
  return name.size() > marker.size() + kMkstempCharacters &&
         name.compare(name.size() - kMkstempCharacters - marker.size(), marker.size(), marker) == 0;
}

void TuningCache::removeStaleTemporaries() const {
  // Best effort: a file another store removes first, or renames, is gone
  // already; anything that fails leaves the file for the next store.
  DIR *listing = opendir(directory_.c_str());
  if (listing == nullptr)
    return;
  int directoryFd = dirfd(listing);
  time_t now = std::time(nullptr);
  while (dirent *item = readdir(listing)) {
    std::string name = item->d_name;
    struct stat info;
    if (!isTemporaryName(name) ||
        fstatat(directoryFd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(info.st_mode) || now - info.st_mtime <= kStaleTemporarySeconds)
      continue;
    unlinkat(directoryFd, name.c_str(), 0);
  }
  closedir(listing);
}

} // namespace ssdc
