//===- TempDir.h - A temporary directory for one test ---------------------===//
#ifndef SSDC_UNITTESTS_RUNTIME_TEMPDIR_H
#define SSDC_UNITTESTS_RUNTIME_TEMPDIR_H

#include <cstdlib>
#include <string>

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

} // namespace synthetic
} // namespace ssdc

#endif // SSDC_UNITTESTS_RUNTIME_TEMPDIR_H
