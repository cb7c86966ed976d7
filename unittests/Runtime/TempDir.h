//===- TempDir.h - A temporary directory for one test ---------------------===//
#ifndef SSDC_UNITTESTS_RUNTIME_TEMPDIR_H
#define SSDC_UNITTESTS_RUNTIME_TEMPDIR_H

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace ssdc {
namespace synthetic {

/// Creates a fresh directory and removes it, with its contents, at the end.
class TempDir {
public:
  TempDir() {
    char pattern[] = "/tmp/ssdc-runtime-test-XXXXXX";
    path_ = mkdtemp(pattern) ? pattern : "";
  }
  ~TempDir() {
    if (!path_.empty())
      std::system(("rm -rf '" + path_ + "'").c_str());
  }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

/// The names in directory `path` but "." and "..", sorted.
inline std::vector<std::string> listDirectory(const std::string &path) {
  std::vector<std::string> names;
  if (DIR *listing = opendir(path.c_str())) {
    while (dirent *item = readdir(listing))
      if (std::string(item->d_name) != "." && std::string(item->d_name) != "..")
        names.push_back(item->d_name);
    closedir(listing);
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// Sets `path`'s modification time `seconds` into the past; false on failure.
inline bool backdate(const std::string &path, int64_t seconds) {
  timespec times[2];
  times[0].tv_sec = times[1].tv_sec = std::time(nullptr) - seconds;
  times[0].tv_nsec = times[1].tv_nsec = 0;
  return utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0;
}

} // namespace synthetic
} // namespace ssdc

#endif // SSDC_UNITTESTS_RUNTIME_TEMPDIR_H
