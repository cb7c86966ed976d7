//===- RunCommandTest.cpp - `ssdc run KERNEL.mlir --target=host` ---------===//
#include "HostHarness.h"
#include "TempDir.h"

#include "ssdc/Target/Host/Npy.h"
#include "ssdc/Tools/Commands.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ssdc;
using namespace ssdc::hosttest;

namespace {
/// Runs `ssdc run ARGS...` in process and returns its exit code.
int runCommand(std::vector<std::string> args) {
  args.insert(args.begin(), "run");
  std::vector<char *> argv;
  for (std::string &arg : args)
    argv.push_back(arg.data());
  return runKernelCommand(static_cast<int>(argv.size()), argv.data());
}

const std::string kKernel = sourcePath("kernels/segsum_exp.mlir");

// The inputs and truth of the host test table, through files: the command
// reproduces the float64 reference.
TEST(RunCommand, ReproducesTheReferenceFromNpyInputs) {
  TempDir dir;
  const KernelCase &row = kernelCase("SegsumExp");
  Shape shape = {{"B", 3}, {"T", 37}};
  PreparedRun run = row.prepare(shape);
  ASSERT_FALSE(host::writeNpy(dir.path() + "/cs.npy", *run.args[0].buffer));
  ASSERT_EQ(runCommand({kKernel, "--target=host", "--arg", "B=3", "--arg", "T=37", "--config",
                        "BLOCK_M=16,BLOCK_N=32", "--input", "cs=" + dir.path() + "/cs.npy",
                        "--output", "out=" + dir.path() + "/out.npy"}),
            0);
  llvm::Expected<host::HostBuffer> out = host::readNpy(dir.path() + "/out.npy", pkg::ElemType::F32);
  ASSERT_TRUE(bool(out)) << llvm::toString(out.takeError());
  EXPECT_EQ(compareWithTruth(*out, run.expected[0].second, row.maxRelError), "");
}

// Without inputs or sizes the command generates cs from the seed, sizes every
// buffer by what the kernel touches, and the output is completely written.
TEST(RunCommand, GeneratesInputsAndSizesBuffersByWhatTheKernelTouches) {
  TempDir dir;
  auto runWithSeed = [&](const std::string &seed, const std::string &subdir) {
    EXPECT_EQ(runCommand({kKernel, "--arg", "B=2", "--arg", "T=37", "--seed", seed,
                          "--output-dir", dir.path() + "/" + subdir}),
              0);
    llvm::Expected<host::HostBuffer> out =
        host::readNpy(dir.path() + "/" + subdir + "/out.npy", pkg::ElemType::F32);
    EXPECT_TRUE(bool(out)) << llvm::toString(out.takeError());
    return out ? std::move(*out) : host::HostBuffer(pkg::ElemType::F32, 0);
  };
  host::HostBuffer first = runWithSeed("1", "a"), again = runWithSeed("1", "b"),
                   other = runWithSeed("2", "c");
  ASSERT_EQ(first.size(), 2 * 37 * 37);
  for (int64_t i = 0; i < first.size(); ++i)
    ASSERT_FALSE(std::isnan(first.loadFloat(i))) << "element " << i << " never written";
  EXPECT_EQ(std::memcmp(first.data(), again.data(), first.byteSize()), 0);
  EXPECT_NE(std::memcmp(first.data(), other.data(), first.byteSize()), 0);
}

TEST(RunCommand, ExplicitElementCountsUseIntegerArguments) {
  TempDir dir;
  EXPECT_EQ(runCommand({kKernel, "--arg", "B=2", "--arg", "T=5", "--arg", "cs=B*T", "--arg",
                        "out=B*T*T", "--output-dir", dir.path()}),
            0);
  // Too small a buffer is an out-of-bounds error of the run, not a silent read.
  EXPECT_EQ(runCommand({kKernel, "--arg", "B=2", "--arg", "T=5", "--arg", "cs=9"}), 1);
}

TEST(RunCommand, RejectsBadUsage) {
  EXPECT_EQ(runCommand({kKernel, "--arg", "B=2"}), 2);                        // T missing
  EXPECT_EQ(runCommand({kKernel, "--arg", "B=2", "--arg", "T=5", "--arg", "X=1"}), 2);
  EXPECT_EQ(runCommand({kKernel, "--arg", "B=2", "--arg", "T=x"}), 2);
  EXPECT_EQ(runCommand({kKernel, "--arg", "B=2", "--arg", "T=5", "--config", "BLOCK_M=7"}), 2);
  EXPECT_EQ(runCommand({kKernel, "--arg", "B=2", "--arg", "T=5", "--output", "cs=x.npy"}), 2);
  EXPECT_EQ(runCommand({kKernel, "--target=tpu", "--arg", "B=2", "--arg", "T=5"}), 2);
}

TEST(RunCommand, CudaTargetIsNotAvailableForSources) {
  EXPECT_EQ(runCommand({kKernel, "--target=cuda", "--arg", "B=2", "--arg", "T=5"}), 1);
}
} // namespace
