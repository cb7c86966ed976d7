//===- RunCommandTest.cpp - `ssdc run` / `ssdc tune` without a GPU --------===//

#include "SyntheticPackage.h"
#include "TempDir.h"

#include "ssdc/Runtime/Runtime.h"
#include "ssdc/Tooling/Npy.h"
#include "ssdc/Tooling/RunCommand.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>

using namespace ssdc;
using namespace ssdc::tooling;

namespace {

TEST(CommandsTest, UsageErrorsExitWithTwo) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(runPackageCommand({}), 2);
  EXPECT_EQ(runPackageCommand({"p.ssdcpkg"}), 2); // no --kernel
  EXPECT_EQ(runPackageCommand({"p.ssdcpkg", "--kernel"}), 2);
  EXPECT_EQ(runPackageCommand({"p.ssdcpkg", "--kernel", "k", "--arg", "x"}), 2);
  EXPECT_EQ(runPackageCommand({"p.ssdcpkg", "--kernel", "k", "--key", "T=1"}),
            2); // --key is for tune only
  EXPECT_EQ(tunePackageCommand({"p.ssdcpkg", "--kernel", "k", "--key", "T"}), 2);
  // One launch's options are not tune's.
  EXPECT_EQ(tunePackageCommand({"p.ssdcpkg", "--kernel", "k", "--config", "BLOCK_M=16"}), 2);
  EXPECT_EQ(tunePackageCommand({"p.ssdcpkg", "--kernel", "k", "--output", "out=o.npy"}), 2);
  EXPECT_EQ(runPackageCommand({"p.ssdcpkg", "--kernel", "k", "--seed", "-1"}), 2);
  EXPECT_EQ(runPackageCommand({"p.ssdcpkg", "--kernel", "k", "--input", "cs"}), 2);
  EXPECT_EQ(runPackageCommand({"p.ssdcpkg", "--kernel", "k", "--output", "out="}), 2);
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("usage: ssdc run PACKAGE --kernel NAME"), std::string::npos);
  EXPECT_NE(err.find("usage: ssdc tune PACKAGE"), std::string::npos);
}

TEST(CommandsTest, MissingPackageExitsWithOne) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(runPackageCommand({"/nonexistent.ssdcpkg", "--kernel", "k"}), 1);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find(
                "ssdc run: error: NotFound: cannot open package "
                "/nonexistent.ssdcpkg"),
            std::string::npos);
}

// One parser for every form: each takes its own options, in either
// spelling, and rejects the others and anything given twice.
TEST(RunOptionsTest, OneParserForEveryForm) {
  RunOptions options;
  ASSERT_TRUE(parseRunOptions({"k.mlir", "--target=cuda", "--chip", "sm_80", "--arg", "B=2",
                               "--arg=T=5", "--output-dir=out"},
                              RunForm::Source, options)
                  .ok());
  EXPECT_EQ(options.input, "k.mlir");
  EXPECT_EQ(options.target, "cuda");
  EXPECT_EQ(options.chip, "sm_80");
  EXPECT_EQ(options.args, (Assignments{{"B", "2"}, {"T", "5"}}));
  EXPECT_EQ(options.outputDir, "out");

  auto error = [](std::vector<std::string> args, RunForm form) {
    RunOptions parsed;
    return parseRunOptions(args, form, parsed).message();
  };
  EXPECT_EQ(error({"p", "--kernel", "k", "--target=host"}, RunForm::Package),
            "unexpected argument '--target=host'");
  EXPECT_EQ(error({"k.mlir", "--device", "1"}, RunForm::Source), "unexpected argument '--device'");
  EXPECT_EQ(
      error({"p", "--kernel", "k", "--output-dir", "a", "--output-dir", "b"}, RunForm::Package),
      "--output-dir is given twice");
  EXPECT_EQ(error({"p", "--kernel", "k", "--seed", "1", "--seed=2"}, RunForm::Tune),
            "--seed is given twice");
  EXPECT_EQ(error({"p", "--kernel", "k", "--config", "A=1,,B=2"}, RunForm::Package),
            "--config: config 'A=1,,B=2' is not NAME=VALUE,...");
  // An empty config is an error, not "no config".
  EXPECT_EQ(error({"p", "--kernel", "k", "--config="}, RunForm::Package),
            "--config needs NAME=V,..., not an empty value");
  EXPECT_EQ(error({"k.mlir", "--config", ""}, RunForm::Source),
            "--config needs NAME=V,..., not an empty value");
  EXPECT_EQ(error({"p", "--kernel", "k", "--key="}, RunForm::Tune),
            "--key needs NAME=V,..., not an empty value");
  RunOptions tune;
  ASSERT_TRUE(parseRunOptions({"p", "--kernel", "k", "--key", "B=2,T=5", "--arg", "out=4"},
                              RunForm::Tune, tune)
                  .ok());
  EXPECT_EQ(tune.keys, (Assignments{{"B", "2"}, {"T", "5"}}));
  EXPECT_EQ(tune.args, (Assignments{{"out", "4"}}));
  EXPECT_EQ(error({"k.mlir", "--target=tpu"}, RunForm::Source),
            "unknown --target 'tpu' (host or cuda)");
  EXPECT_EQ(error({"k.mlir", "--chip=sm_90"}, RunForm::Source), "--chip is for --target=cuda");
  EXPECT_EQ(error({"a", "b", "--kernel", "k"}, RunForm::Package), "unexpected argument 'b'");
}

/// The synthetic package, loaded, and the message and exit code of running
/// its segsum_exp with `options` filled in by the test.
class RunPackageTest : public testing::Test {
protected:
  void SetUp() override {
    std::string bytes = pkg::writePackage(synthetic::syntheticPackage());
    ASSERT_TRUE(LoadedPackage::fromBytes(bytes.data(), bytes.size(), package).ok());
    options.kernel = "segsum_exp";
    options.args = {{"B", "2"}, {"T", "5"}, {"out", "B*T*T"}};
  }
  /// Runs and returns the exit code; the message lands in `error`.
  int run() {
    testing::internal::CaptureStderr();
    int code = runLoadedPackage(package, options);
    error = testing::internal::GetCapturedStderr();
    return code;
  }
  std::string writeInput(pkg::ElemType type, int64_t count) {
    std::string path = dir.path() + "/cs.npy";
    EXPECT_TRUE(writeNpy(path, HostBuffer(type, count)).ok());
    return path;
  }

  synthetic::TempDir dir;
  std::shared_ptr<const LoadedPackage> package;
  RunOptions options;
  std::string error;
};

// Every mistake in the options is a usage error found from the package and
// the files alone: the device is never opened (on this machine there is no
// driver, which would be exit code 1).
TEST_F(RunPackageTest, OptionErrorsComeBeforeTheDevice) {
  struct Case {
    const char *what;
    std::function<void(RunOptions &)> change;
    std::string message;
  };
  std::string input = writeInput(pkg::ElemType::F32, 10);
  std::string wrongType = dir.path() + "/i32.npy";
  ASSERT_TRUE(writeNpy(wrongType, HostBuffer(pkg::ElemType::I32, 10)).ok());
  Case cases[] = {
      {"unknown kernel", [](auto &o) { o.kernel = "nope"; },
       "the package has no kernel 'nope' (it has: segsum_exp, scale_inplace)"},
      {"unknown input",
       [&](auto &o) {
         o.inputs = {{"x", input}};
       },
       "--input names 'x', which is not an argument of kernel 'segsum_exp' (its arguments: cs, "
       "out, B, T)"},
      {"input of a write-only buffer",
       [&](auto &o) {
         o.inputs = {{"out", input}};
       },
       "--input names 'out', which is not a buffer the kernel reads"},
      {"output of a read-only buffer",
       [](auto &o) {
         o.outputs = {{"cs", "cs.npy"}};
       },
       "--output names 'cs', which is not a buffer the kernel writes"},
      {"output of an integer",
       [](auto &o) {
         o.outputs = {{"B", "b.npy"}};
       },
       "--output names 'B', which is not a buffer the kernel writes"},
      {"repeated name",
       [](auto &o) {
         o.args.push_back({"B", "3"});
       },
       "--arg names 'B' twice"},
      {"unknown key",
       [](auto &o) {
         o.keys = {{"X", "5"}};
       },
       "--key names 'X', which is not an argument of kernel 'segsum_exp' (its arguments: cs, "
       "out, B, T)"},
      {"key and arg of one name",
       [](auto &o) {
         o.keys = {{"B", "2"}};
       },
       "--key names 'B' twice"},
      {"missing integer", [](auto &o) { o.args.erase(o.args.begin()); },
       "integer argument 'B' needs --arg B=VALUE (an i64)"},
      {"bad integer", [](auto &o) { o.args[0].second = "two"; }, "--arg B=two is not an integer"},
      {"unsized buffer", [](auto &o) {},
       "buffer argument 'cs' needs its element count, --arg cs=COUNT (e.g. B*T), or its "
       "contents, --input cs=FILE.npy"},
      {"unsized write-only buffer",
       [&](auto &o) {
         o.args.pop_back(), o.inputs = {{"cs", input}};
       },
       "buffer argument 'out' needs its element count, --arg out=COUNT (e.g. B*T)\n"},
      {"bad count",
       [](auto &o) {
         o.args.push_back({"cs", "B*X"});
       },
       "--arg cs=B*X: 'X' in the element count 'B*X' is neither an integer nor an integer "
       "argument"},
      {"huge count",
       [](auto &o) {
         o.args.push_back({"cs", "B*4294967296*4294967296"});
       },
       "--arg cs=B*4294967296*4294967296: the element count 'B*4294967296*4294967296' is too big"},
      {"count over the limit",
       [](auto &o) {
         o.args.push_back({"cs", "8589934592"});
       },
       "'cs' would have 8589934592 elements, more than the 16 GiB"},
      {"file and count",
       [&](auto &o) {
         o.inputs = {{"cs", input}}, o.args.push_back({"cs", "10"});
       },
       "'cs' has both --input and --arg; its size is the file's"},
      {"input of the wrong dtype",
       [&](auto &o) {
         o.inputs = {{"cs", wrongType}};
       },
       wrongType + ": has dtype '<i4' but the buffer holds f32, which needs '<f4'"},
      {"missing input",
       [&](auto &o) {
         o.inputs = {{"cs", dir.path() + "/none.npy"}};
       },
       dir.path() + "/none.npy: cannot read"},
      {"unknown config",
       [&](auto &o) {
         o.inputs = {{"cs", input}}, o.config = "BLOCK_M=17";
       },
       "kernel 'segsum_exp' has no config BLOCK_M=17"},
  };
  RunOptions valid = options;
  for (const Case &c : cases) {
    options = valid;
    c.change(options);
    EXPECT_EQ(run(), 2) << c.what << ": " << error;
    EXPECT_NE(error.find("ssdc run: error: " + c.message), std::string::npos)
        << c.what << ": " << error;
  }
}

// Options that are right reach the device: without a driver, a clean error.
TEST_F(RunPackageTest, WithoutADriverValidOptionsFailCleanly) {
  const cuda::DriverApi *api = nullptr;
  if (cuda::driver(api).ok())
    GTEST_SKIP() << "a CUDA driver is present";
  options.inputs = {{"cs", writeInput(pkg::ElemType::F32, 10)}};
  options.outputs = {{"out", dir.path() + "/out.npy"}};
  options.config = "BLOCK_M=16,BLOCK_N=32";
  EXPECT_EQ(run(), 1);
  EXPECT_NE(error.find("ssdc run: error: Unavailable: no CUDA driver: cannot load libcuda.so.1"),
            std::string::npos)
      << error;
  EXPECT_FALSE(std::ifstream(dir.path() + "/out.npy").good()) << "nothing ran, nothing written";
}

/// An executor that records what the shared path hands it and writes 1 to
/// every element of "out".
class RecordingExecutor : public Executor {
public:
  std::vector<int64_t> gridToReturn = {2, 1, 1};
  int runs = 0;
  std::vector<int64_t> ints;
  Status grid(const std::vector<int64_t> &values, std::vector<int64_t> &out) override {
    ints = values;
    out = gridToReturn;
    return okStatus();
  }
  Status run(HostArgs &host) override {
    ++runs;
    HostBuffer &out = *host.buffers[1];
    for (int64_t i = 0; i < out.size(); ++i)
      out.storeFloat(i, 1.0);
    return okStatus();
  }
};

// The path every form shares, without a device: it builds the buffers,
// runs the executor once, summarizes and writes what the kernel wrote.
TEST(ExecuteRunTest, BuildsRunsAndWrites) {
  synthetic::TempDir dir;
  pkg::Kernel kernel = synthetic::segsumExpKernel();
  RunOptions options;
  options.kernel = kernel.name;
  options.args = {{"B", "2"}, {"T", "3"}, {"cs", "B*T"}, {"out", "B*T*T"}};
  options.outputs = {{"out", dir.path() + "/out.npy"}};
  RecordingExecutor executor;
  testing::internal::CaptureStdout();
  EXPECT_EQ(executeRun(kernel, options, executor), 0);
  std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_EQ(executor.runs, 1);
  EXPECT_EQ(executor.ints, (std::vector<int64_t>{0, 0, 2, 3}));
  EXPECT_NE(printed.find("  out: 18 x f32, sum 18"), std::string::npos) << printed;
  HostBuffer out(pkg::ElemType::F32, 0);
  ASSERT_TRUE(readNpy(dir.path() + "/out.npy", pkg::ElemType::F32, out).ok());
  EXPECT_EQ(out.size(), 18);

  // Without a measure (the package form) an unsized buffer is a usage error.
  options.args.pop_back();
  testing::internal::CaptureStderr();
  EXPECT_EQ(executeRun(kernel, options, executor), kExitUsage);
  EXPECT_NE(
      testing::internal::GetCapturedStderr().find("buffer argument 'out' needs its element count"),
      std::string::npos);
  // A measure sizes it, unless the dry run would be too long.
  int measured = 0;
  MeasureBuffers measure = [&](const HostArgs &, std::vector<int64_t> &counts) {
    ++measured;
    counts = {6, 18, 0, 0};
    return okStatus();
  };
  testing::internal::CaptureStdout();
  EXPECT_EQ(executeRun(kernel, options, executor, measure), 0);
  testing::internal::GetCapturedStdout();
  EXPECT_EQ(measured, 1);
  executor.gridToReturn = {kMaxDryRunPrograms + 1, 1, 1};
  testing::internal::CaptureStderr();
  EXPECT_EQ(executeRun(kernel, options, executor, measure), kExitUsage);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("by a dry run would run 65537 programs"),
            std::string::npos);
  EXPECT_EQ(measured, 1) << "the limit is checked before the dry run";
}

// A grid axis that is not positive stops the run before the executor runs.
TEST(ExecuteRunTest, GridAxisBelowOneIsAUsageError) {
  pkg::Kernel kernel = synthetic::segsumExpKernel();
  RunOptions options;
  options.kernel = kernel.name;
  options.args = {{"B", "2"}, {"T", "-4"}, {"cs", "8"}, {"out", "8"}};
  RecordingExecutor executor;
  executor.gridToReturn = {2, 0, 0};
  testing::internal::CaptureStderr();
  EXPECT_EQ(executeRun(kernel, options, executor), kExitUsage);
  EXPECT_NE(testing::internal::GetCapturedStderr().find(
                "ssdc run: error: grid y of kernel 'segsum_exp' is 0 with B=2, T=-4: every grid "
                "axis must be at least 1"),
            std::string::npos);
  EXPECT_EQ(executor.runs, 0);
}

} // namespace
