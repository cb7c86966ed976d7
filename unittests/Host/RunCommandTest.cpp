//===- RunCommandTest.cpp - `ssdc run KERNEL.mlir` ------------------------===//
#include "HostHarness.h"
#include "TempDir.h"

#include "ssdc/Runtime/Driver.h"
#include "ssdc/Tooling/Npy.h"
#include "ssdc/Tools/Commands.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ssdc;
using namespace ssdc::hosttest;

namespace {
/// Runs `ssdc run ARGS...` in process and returns its exit code.
int runCommand(const std::vector<std::string> &args) { return runSourceCommand(args); }

const std::string kKernel = sourcePath("kernels/segsum_exp.mlir");

// The inputs and truth of the host test table, through files: the command
// reproduces the float64 reference.
TEST(RunCommand, ReproducesTheReferenceFromNpyInputs) {
  TempDir dir;
  const KernelCase &row = kernelCase("SegsumExp");
  Shape shape = {{"B", 3}, {"T", 37}};
  PreparedRun run = row.prepare(shape);
  ASSERT_TRUE(writeNpy(dir.path() + "/cs.npy", *run.args[0].buffer).ok());
  ASSERT_EQ(runCommand({kKernel, "--target=host", "--arg", "B=3", "--arg", "T=37", "--config",
                        "BLOCK_M=16,BLOCK_N=32", "--input", "cs=" + dir.path() + "/cs.npy",
                        "--output", "out=" + dir.path() + "/out.npy"}),
            0);
  HostBuffer out(pkg::ElemType::F32, 0);
  Status status = readNpy(dir.path() + "/out.npy", pkg::ElemType::F32, out);
  ASSERT_TRUE(status.ok()) << status.toString();
  EXPECT_EQ(compareWithTruth(out, run.expected[0].second, row.maxRelError), "");
}

// Without inputs or sizes the command generates cs from the seed, sizes every
// buffer by what the kernel touches, and the output is completely written.
TEST(RunCommand, GeneratesInputsAndSizesBuffersByWhatTheKernelTouches) {
  TempDir dir;
  auto runWithSeed = [&](const std::string &seed, const std::string &subdir) {
    EXPECT_EQ(runCommand({kKernel, "--arg", "B=2", "--arg", "T=37", "--seed", seed, "--output-dir",
                          dir.path() + "/" + subdir}),
              0);
    HostBuffer out(pkg::ElemType::F32, 0);
    Status status = readNpy(dir.path() + "/" + subdir + "/out.npy", pkg::ElemType::F32, out);
    EXPECT_TRUE(status.ok()) << status.toString();
    return out;
  };
  HostBuffer first = runWithSeed("1", "a"), again = runWithSeed("1", "b"),
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
  EXPECT_EQ(runCommand({kKernel, "--arg", "B=2"}), 2); // T missing
  EXPECT_EQ(runCommand({kKernel, "--arg", "B=2", "--arg", "T=5", "--arg", "X=1"}), 2);
  EXPECT_EQ(runCommand({kKernel, "--arg", "B=2", "--arg", "T=x"}), 2);
  EXPECT_EQ(runCommand({kKernel, "--arg", "B=2", "--arg", "T=5", "--config", "BLOCK_M=7"}), 2);
  EXPECT_EQ(runCommand({kKernel, "--arg", "B=2", "--arg", "T=5", "--output", "cs=x.npy"}), 2);
  EXPECT_EQ(runCommand({kKernel, "--target=tpu", "--arg", "B=2", "--arg", "T=5"}), 2);
}

/// Runs `ssdc run ARGS...` and returns its exit code; stderr lands in `error`.
int runCapturingErrors(std::vector<std::string> args, std::string &error) {
  testing::internal::CaptureStderr();
  int code = runCommand(std::move(args));
  error = testing::internal::GetCapturedStderr();
  return code;
}

// Option mistakes of --target=cuda are usage errors, whether found in the
// source (names) or by the runtime (files): no device is opened.
TEST(RunCommand, CudaTargetRejectsBadOptionsBeforeTheDevice) {
  TempDir dir;
  std::string wrongType = dir.path() + "/i32.npy";
  ASSERT_TRUE(writeNpy(wrongType, HostBuffer(pkg::ElemType::I32, 10)).ok());
  std::vector<std::string> base = {kKernel, "--target=cuda", "--arg",    "B=2",
                                   "--arg", "T=5",           "--config", "BLOCK_M=16,BLOCK_N=32"};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = base;
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  std::string error;
  EXPECT_EQ(runCapturingErrors(with({"--input", "x=" + wrongType}), error), 2);
  EXPECT_NE(error.find("--input names 'x', which is not an argument of kernel 'segsum_exp'"),
            std::string::npos)
      << error;
  EXPECT_EQ(runCapturingErrors(with({"--input", "cs=" + wrongType}), error), 2);
  EXPECT_NE(error.find(wrongType + ": has dtype '<i4' but the buffer holds f32"), std::string::npos)
      << error;
  EXPECT_EQ(runCapturingErrors(with({"--input", "cs=" + dir.path() + "/none.npy"}), error), 2);
  EXPECT_EQ(runCapturingErrors(with({"--chip=sm_12"}), error), 2);
  EXPECT_NE(error.find("sm_12"), std::string::npos) << error;
  EXPECT_EQ(runCapturingErrors({kKernel, "--chip=sm_90", "--arg", "B=2", "--arg", "T=5"}, error),
            2);
  EXPECT_NE(error.find("--chip is for --target=cuda"), std::string::npos) << error;
}

// The kernel compiles in process and its package reaches the runtime, which
// says cleanly that there is no driver (exit code 1, nothing written).
TEST(RunCommand, CudaTargetWithoutADriverFailsCleanly) {
  const cuda::DriverApi *api = nullptr;
  if (cuda::driver(api).ok())
    GTEST_SKIP() << "a CUDA driver is present";
  TempDir dir;
  std::string error;
  EXPECT_EQ(
      runCapturingErrors({kKernel, "--target=cuda", "--arg", "B=2", "--arg", "T=5", "--config",
                          "BLOCK_M=16,BLOCK_N=32", "--output", "out=" + dir.path() + "/out.npy"},
                         error),
      1);
  EXPECT_NE(error.find("ssdc run: error: Unavailable: no CUDA driver: cannot load libcuda.so.1"),
            std::string::npos)
      << error;
  EXPECT_FALSE(llvm::sys::fs::exists(dir.path() + "/out.npy"));
}
} // namespace
