//===- KernelTest.cpp - every kernel, every config, against its reference ===//
#include "HostHarness.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <set>

using namespace ssdc;
using namespace ssdc::hosttest;

namespace {
/// (row, shape) of the table.
using Entry = std::pair<size_t, size_t>;

std::vector<Entry> tableEntries() {
  std::vector<Entry> entries;
  for (size_t row = 0; row < kernelCases().size(); ++row)
    for (size_t shape = 0; shape < kernelCases()[row].shapes.size(); ++shape)
      entries.push_back({row, shape});
  return entries;
}

std::string entryName(const testing::TestParamInfo<Entry> &info) {
  const KernelCase &row = kernelCases()[info.param.first];
  std::string name = row.name;
  for (const auto &[arg, value] : row.shapes[info.param.second])
    name += "_" + arg + std::to_string(value);
  return name;
}

class HostKernelTest : public testing::TestWithParam<Entry> {};

TEST_P(HostKernelTest, EveryConfigMatchesTheReference) {
  const KernelCase &row = kernelCases()[GetParam().first];
  const Shape &shape = row.shapes[GetParam().second];
  LoadedKernel kernel(row.file, row.kernel);
  ASSERT_EQ(kernel.error(), "");
  std::vector<tile::Config> configs = kernel.configs();
  ASSERT_FALSE(configs.empty());
  for (const tile::Config &config : configs)
    EXPECT_EQ(kernel.check(row, shape, config), "");
}

INSTANTIATE_TEST_SUITE_P(Kernels, HostKernelTest, testing::ValuesIn(tableEntries()), entryName);

// Every kernel file under kernels/ has a row, so none goes unchecked in CI;
// those of kernels/ssd/ run through the SSD library's launch lists instead,
// every config of each (SsdConfigTest, SsdForwardTest.cpp).
TEST(HostKernelTable, CoversEveryKernelFile) {
  std::set<std::string> inTable;
  for (const KernelCase &row : kernelCases())
    inTable.insert(row.file);
  std::error_code error;
  int files = 0;
  std::string root = sourcePath("");
  for (llvm::sys::fs::recursive_directory_iterator it(sourcePath("kernels"), error), end;
       it != end && !error; it.increment(error)) {
    if (llvm::sys::path::extension(it->path()) != ".mlir")
      continue;
    ++files;
    std::string relative = it->path().substr(root.size());
    if (llvm::StringRef(relative).starts_with("kernels/ssd/"))
      continue;
    EXPECT_TRUE(inTable.count(relative))
        << relative << " has no row in unittests/Host/KernelTable.cpp";
  }
  EXPECT_FALSE(error) << error.message();
  EXPECT_GT(files, 0);
}
} // namespace
