//===- TempDir.h - a temporary directory for one test ---------------------===//
#ifndef SSDC_UNITTESTS_HOST_TEMPDIR_H
#define SSDC_UNITTESTS_HOST_TEMPDIR_H

#include "llvm/Support/FileSystem.h"

#include <string>

namespace ssdc::hosttest {

/// A fresh directory, removed with its contents at the end of the scope.
class TempDir {
public:
  TempDir() {
    llvm::SmallString<128> created;
    if (!llvm::sys::fs::createUniqueDirectory("ssdc-host-test", created))
      dirPath = created.str().str();
  }
  ~TempDir() {
    if (!dirPath.empty())
      llvm::sys::fs::remove_directories(dirPath);
  }
  const std::string &path() const { return dirPath; }

private:
  std::string dirPath;
};

} // namespace ssdc::hosttest

#endif // SSDC_UNITTESTS_HOST_TEMPDIR_H
