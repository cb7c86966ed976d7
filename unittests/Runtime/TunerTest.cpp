//===- TunerTest.cpp - Config choice against a test double ----------------===//

#include "ssdc/Runtime/Tuner.h"
#include "SyntheticPackage.h"
#include "TempDir.h"
#include "ssdc/Runtime/TuningCache.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <set>

using namespace ssdc;

namespace {

/// A launcher over host memory. Running a config doubles every element of
/// each read-write buffer and fills each write-only buffer with the config
/// index, like a kernel would; times come from a table.
class FakeLauncher : public TuningLauncher {
public:
  explicit FakeLauncher(const pkg::Kernel &kernel) : kernel_(kernel) {}

  std::map<uint32_t, std::vector<float>> times; // per config, cycled
  std::set<uint32_t> failing;
  int runs = 0;
  std::set<const void *> pointersSeen;
  std::vector<float> firstValuesSeen; // of read-write buffers, before a run
  std::set<void *> live;

  Status run(uint32_t config, const BoundArgs &args, void *) override {
    if (failing.count(config))
      return Status(StatusCode::DriverError, "launch failed", "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES");
    ++runs;
    for (size_t i = 0; i < kernel_.args.size(); ++i) {
      const ArgValue &value = args.values[i];
      if (value.kind != pkg::ArgKind::Buffer)
        continue;
      pointersSeen.insert(value.data);
      float *data = static_cast<float *>(value.data);
      if (kernel_.args[i].access == pkg::Access::ReadWrite) {
        firstValuesSeen.push_back(data[0]);
        for (uint64_t e = 0; e < value.count; ++e)
          data[e] *= 2;
      } else if (kernel_.args[i].access == pkg::Access::Write) {
        for (uint64_t e = 0; e < value.count; ++e)
          data[e] = static_cast<float>(config);
      }
    }
    return okStatus();
  }
  Status time(uint32_t config, const BoundArgs &args, void *stream, float &ms) override {
    SSDC_RETURN_IF_ERROR(run(config, args, stream));
    std::vector<float> &table = times[config];
    ms = table.empty() ? 1.0f : table[timeCalls_[config]++ % table.size()];
    return okStatus();
  }
  Status allocate(uint64_t bytes, void *&pointer) override {
    pointer = new char[bytes];
    live.insert(pointer);
    return okStatus();
  }
  void release(void *pointer) override {
    live.erase(pointer);
    delete[] static_cast<char *>(pointer);
  }
  Status copy(void *dst, const void *src, uint64_t bytes, void *) override {
    std::memcpy(dst, src, bytes);
    return okStatus();
  }
  Status synchronize(void *) override { return okStatus(); }

private:
  const pkg::Kernel &kernel_;
  std::map<uint32_t, size_t> timeCalls_;
};

BoundArgs bindOrDie(const pkg::Kernel &kernel, const KernelArgs &args) {
  BoundArgs bound;
  Status status = bindArgs(kernel, args, bound);
  EXPECT_TRUE(status.ok()) << status.toString();
  return bound;
}

TuningOptions quietOptions() {
  TuningOptions options;
  options.warmupRuns = 1;
  options.timedRuns = 3;
  options.progressAfterSeconds = 1e9;
  return options;
}

class SegsumTunerTest : public ::testing::Test {
protected:
  pkg::Kernel kernel = synthetic::segsumExpKernel();
  std::vector<float> cs = std::vector<float>(2 * 100, 1.0f);
  std::vector<float> out = std::vector<float>(2 * 100 * 100, -1.0f);
  FakeLauncher launcher{kernel};
  BoundArgs args() {
    KernelArgs a;
    a.add(ArgValue::buffer(cs.data(), cs.size()))
        .add(ArgValue::buffer(out.data(), out.size()))
        .set("B", ArgValue::scalar(2))
        .set("T", ArgValue::scalar(100));
    return bindOrDie(kernel, a);
  }
};

TEST_F(SegsumTunerTest, ChoosesTheFastestMedian) {
  // Config 4 has the best single time but config 3 the best median.
  launcher.times[0] = {5, 5, 5};
  launcher.times[1] = {4, 4, 4};
  launcher.times[2] = {3, 3, 3};
  launcher.times[3] = {2, 9, 2};
  launcher.times[4] = {0.5, 9, 9};
  launcher.times[5] = {6, 6, 6};
  TuningResult result;
  ASSERT_TRUE(tuneKernel(quietOptions(), kernel, args(), launcher, nullptr, result).ok());
  EXPECT_EQ(result.source, ConfigSource::Tuned);
  EXPECT_EQ(result.configIndex, 3u);
  ASSERT_EQ(result.timings.size(), 6u);
  EXPECT_DOUBLE_EQ(result.timings[3].milliseconds, 2.0);
  EXPECT_DOUBLE_EQ(result.timings[4].milliseconds, 9.0);
  // 6 configs x (1 warm-up + 3 timed runs).
  EXPECT_EQ(launcher.runs, 24);
  // Write-only buffers are used in place; nothing is allocated for them.
  EXPECT_TRUE(launcher.pointersSeen.count(out.data()));
  EXPECT_TRUE(launcher.live.empty());
}

TEST_F(SegsumTunerTest, PrunesTilesLargerThanTheProblem) {
  // T = 20: next_pow2 is 32, so BLOCK_M=64 and BLOCK_N=64 are pruned.
  KernelArgs a;
  a.add(ArgValue::buffer(cs.data(), cs.size()))
      .add(ArgValue::buffer(out.data(), out.size()))
      .add(ArgValue::scalar(1))
      .add(ArgValue::scalar(20));
  EXPECT_EQ(configsWorthTiming(kernel, keyValues(kernel, bindOrDie(kernel, a))),
            (std::vector<uint32_t>{0, 2}));
  TuningResult result;
  ASSERT_TRUE(
      tuneKernel(quietOptions(), kernel, bindOrDie(kernel, a), launcher, nullptr, result).ok());
  EXPECT_FALSE(result.timings[0].pruned);
  EXPECT_TRUE(result.timings[1].pruned);
  EXPECT_LT(result.timings[1].milliseconds, 0);
  EXPECT_EQ(launcher.runs, 2 * 4);
  // T = 32 keeps exactly the 32-wide tiles too; T = 33 keeps everything.
  EXPECT_EQ(configsWorthTiming(kernel, {1, 32}), (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(configsWorthTiming(kernel, {1, 33}).size(), 6u);
}

TEST(PruneTest, KeepsTheSmallestTilesWhenAllExceed) {
  pkg::Kernel kernel = synthetic::scaleInplaceKernel(); // BLOCK in {128, 256}
  EXPECT_EQ(configsWorthTiming(kernel, {10}), (std::vector<uint32_t>{0}));
  EXPECT_EQ(configsWorthTiming(kernel, {}), (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(configsWorthTiming(kernel, {200}), (std::vector<uint32_t>{0, 1}));
}

TEST_F(SegsumTunerTest, FailingConfigsAreSkipped) {
  launcher.failing = {0, 1};
  launcher.times[2] = {3};
  launcher.times[3] = {2};
  launcher.times[4] = {2};
  launcher.times[5] = {1};
  TuningResult result;
  ASSERT_TRUE(tuneKernel(quietOptions(), kernel, args(), launcher, nullptr, result).ok());
  EXPECT_EQ(result.configIndex, 5u);
  EXPECT_NE(result.timings[0].error.find("CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES"), std::string::npos);
}

TEST_F(SegsumTunerTest, AllConfigsFailingIsAnError) {
  launcher.failing = {0, 1, 2, 3, 4, 5};
  TuningResult result;
  Status status = tuneKernel(quietOptions(), kernel, args(), launcher, nullptr, result);
  EXPECT_EQ(status.code(), StatusCode::DriverError);
  EXPECT_EQ(status.driverError(), "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES");
  EXPECT_NE(status.message().find("every config failed"), std::string::npos);
}

TEST_F(SegsumTunerTest, ProgressGoesToStderrWhenTuningIsSlow) {
  TuningOptions options = quietOptions();
  options.progressAfterSeconds = 0;
  TuningResult result;
  ::testing::internal::CaptureStderr();
  ASSERT_TRUE(tuneKernel(options, kernel, args(), launcher, nullptr, result).ok());
  std::string progress = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(progress.find("ssdc: tuning segsum_exp (B=2,T=100): config 1/6 "
                          "BLOCK_M=16,BLOCK_N=32"),
            std::string::npos)
      << progress;
  EXPECT_NE(progress.find("ssdc: tuned segsum_exp"), std::string::npos);
}

TEST(InplaceTunerTest, ReadWriteBuffersAreTunedOnScratchCopies) {
  pkg::Kernel kernel = synthetic::scaleInplaceKernel();
  std::vector<float> x(1000);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(i) + 3;
  const std::vector<float> original = x;
  FakeLauncher launcher(kernel);
  launcher.times[1] = {0.5};
  KernelArgs a;
  a.add(ArgValue::buffer(x.data(), x.size())).add(ArgValue::scalar(1000));
  TuningResult result;
  ASSERT_TRUE(
      tuneKernel(quietOptions(), kernel, bindOrDie(kernel, a), launcher, nullptr, result).ok());
  EXPECT_EQ(result.configIndex, 1u);
  EXPECT_EQ(x, original);                              // untouched by tuning
  EXPECT_FALSE(launcher.pointersSeen.count(x.data())); // never launched on
  // Every run started from the original values, not from a previous run's.
  ASSERT_EQ(launcher.firstValuesSeen.size(), 8u);
  for (float first : launcher.firstValuesSeen)
    EXPECT_EQ(first, 3.0f);
  EXPECT_TRUE(launcher.live.empty()); // scratch released
}

TEST(InplaceTunerTest, ScratchIsReleasedWhenTuningFails) {
  pkg::Kernel kernel = synthetic::scaleInplaceKernel();
  std::vector<float> x(64, 1.0f);
  FakeLauncher launcher(kernel);
  launcher.failing = {0, 1};
  KernelArgs a;
  a.add(ArgValue::buffer(x.data(), x.size())).add(ArgValue::scalar(64));
  TuningResult result;
  EXPECT_FALSE(
      tuneKernel(quietOptions(), kernel, bindOrDie(kernel, a), launcher, nullptr, result).ok());
  EXPECT_TRUE(launcher.live.empty());
  EXPECT_EQ(x, std::vector<float>(64, 1.0f));
}

TEST(FindConfigTest, MatchesByParameterValues) {
  pkg::Kernel kernel = synthetic::segsumExpKernel();
  uint32_t index = 99;
  ASSERT_TRUE(findConfig(kernel, "BLOCK_M=64,BLOCK_N=32", index).ok());
  EXPECT_EQ(index, 4u);
  // Partial specs prefer the default config (BLOCK_M=32, BLOCK_N=32)...
  ASSERT_TRUE(findConfig(kernel, "BLOCK_N=32", index).ok());
  EXPECT_EQ(index, 2u);
  // ...and otherwise take the first match.
  ASSERT_TRUE(findConfig(kernel, "BLOCK_N=64", index).ok());
  EXPECT_EQ(index, 1u);
  EXPECT_EQ(findConfig(kernel, "BLOCK_K=64", index).code(), StatusCode::NotFound);
  EXPECT_EQ(findConfig(kernel, "BLOCK_M=48", index).code(), StatusCode::NotFound);
  EXPECT_EQ(findConfig(kernel, "BLOCK_M", index).code(), StatusCode::InvalidArgument);
  EXPECT_EQ(findConfig(kernel, "BLOCK_M=x", index).code(), StatusCode::InvalidArgument);
  EXPECT_EQ(findConfig(kernel, "", index).code(), StatusCode::InvalidArgument);
}

TEST(TuningOptionsTest, FromEnvironment) {
  setenv("SSDC_TUNE", "off", 1);
  setenv("SSDC_CONFIG", "BLOCK_M=64", 1);
  setenv("SSDC_CACHE_DIR", "/somewhere", 1);
  TuningOptions options = TuningOptions::fromEnvironment();
  EXPECT_EQ(options.mode, TuningMode::Off);
  EXPECT_EQ(options.pinnedConfig, "BLOCK_M=64");
  EXPECT_EQ(options.cacheDirectory, "/somewhere");
  setenv("SSDC_TUNE", "force", 1);
  EXPECT_EQ(TuningOptions::fromEnvironment().mode, TuningMode::Force);
  setenv("SSDC_TUNE", "sometimes", 1);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(TuningOptions::fromEnvironment().mode, TuningMode::On);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("SSDC_TUNE"), std::string::npos);
  unsetenv("SSDC_TUNE");
  unsetenv("SSDC_CONFIG");
  unsetenv("SSDC_CACHE_DIR");
}

class SelectConfigTest : public SegsumTunerTest {
protected:
  synthetic::TempDir dir;
  TuningContext context{0xabcdef, "Fake GPU sm_90"};
  TuningOptions options() {
    TuningOptions o = quietOptions();
    o.cacheDirectory = dir.path();
    return o;
  }
  TuningResult select(const TuningOptions &o, FakeLauncher &l) {
    TuningResult result;
    Status status = selectConfig(o, context, kernel, args(), l, nullptr, result);
    EXPECT_TRUE(status.ok()) << status.toString();
    return result;
  }
};

TEST_F(SelectConfigTest, OffUsesTheDefaultConfig) {
  TuningOptions o = options();
  o.mode = TuningMode::Off;
  TuningResult result = select(o, launcher);
  EXPECT_EQ(result.source, ConfigSource::Default);
  EXPECT_EQ(result.configIndex, kernel.defaultConfig);
  EXPECT_EQ(launcher.runs, 0);
}

TEST_F(SelectConfigTest, PinnedConfigWins) {
  TuningOptions o = options();
  o.pinnedConfig = "BLOCK_M=16,BLOCK_N=64";
  TuningResult result = select(o, launcher);
  EXPECT_EQ(result.source, ConfigSource::Pinned);
  EXPECT_EQ(result.configIndex, 1u);
  EXPECT_EQ(launcher.runs, 0);
  o.pinnedConfig = "BLOCK_M=7";
  TuningResult failed;
  Status status = selectConfig(o, context, kernel, args(), launcher, nullptr, failed);
  EXPECT_EQ(status.code(), StatusCode::NotFound);
  EXPECT_NE(status.message().find("pinned config"), std::string::npos);
}

TEST_F(SelectConfigTest, TunesOnceThenReadsTheCache) {
  launcher.times[4] = {0.25};
  TuningResult first = select(options(), launcher);
  EXPECT_EQ(first.source, ConfigSource::Tuned);
  EXPECT_EQ(first.configIndex, 4u);
  // A new launcher (a new process) with other timings reads the entry.
  FakeLauncher second(kernel);
  second.times[0] = {0.01f};
  TuningResult cached = select(options(), second);
  EXPECT_EQ(cached.source, ConfigSource::Cache);
  EXPECT_EQ(cached.configIndex, 4u);
  EXPECT_EQ(second.runs, 0);
  // Force retunes and replaces the entry.
  TuningOptions force = options();
  force.mode = TuningMode::Force;
  TuningResult retuned = select(force, second);
  EXPECT_EQ(retuned.source, ConfigSource::Tuned);
  EXPECT_EQ(retuned.configIndex, 0u);
  FakeLauncher third(kernel);
  EXPECT_EQ(select(options(), third).configIndex, 0u);
  EXPECT_EQ(third.runs, 0);
}

TEST_F(SelectConfigTest, CorruptEntryIsReportedAndRetuned) {
  launcher.times[4] = {0.25};
  select(options(), launcher);
  TuningKey key{kernel.name, context.packageHash, context.device, {{"B", 2}, {"T", 100}}};
  std::string path = TuningCache(dir.path()).pathFor(key);
  FILE *file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs("ssdc-tuning 1\nkernel segs", file);
  std::fclose(file);
  FakeLauncher fresh(kernel);
  fresh.times[2] = {0.125};
  ::testing::internal::CaptureStderr();
  TuningResult result = select(options(), fresh);
  std::string warning = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(warning.find("ssdc: warning: tuning cache entry " + path + " is corrupt"),
            std::string::npos)
      << warning;
  EXPECT_EQ(result.source, ConfigSource::Tuned);
  EXPECT_EQ(result.configIndex, 2u);
  // The retuned entry replaced the corrupt one.
  FakeLauncher after(kernel);
  EXPECT_EQ(select(options(), after).source, ConfigSource::Cache);
}

TEST_F(SelectConfigTest, EntryNamingAMissingConfigIsRetuned) {
  TuningKey key{kernel.name, context.packageHash, context.device, {{"B", 2}, {"T", 100}}};
  TuningEntry stale{"BLOCK_M=512,BLOCK_N=32", 4, 1.0};
  ASSERT_TRUE(TuningCache(dir.path()).store(key, stale).ok());
  ::testing::internal::CaptureStderr();
  TuningResult result = select(options(), launcher);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("names config 'BLOCK_M=512,BLOCK_N=32'"),
            std::string::npos);
  EXPECT_EQ(result.source, ConfigSource::Tuned);
}

TEST_F(SelectConfigTest, EntryIsFoundByConfigWhenIndicesMoved) {
  TuningKey key{kernel.name, context.packageHash, context.device, {{"B", 2}, {"T", 100}}};
  TuningEntry moved{"BLOCK_M=64,BLOCK_N=64", 0, 1.0}; // really index 5
  ASSERT_TRUE(TuningCache(dir.path()).store(key, moved).ok());
  TuningResult result = select(options(), launcher);
  EXPECT_EQ(result.source, ConfigSource::Cache);
  EXPECT_EQ(result.configIndex, 5u);
}

TEST_F(SelectConfigTest, NoCacheDirectoryTunesEveryTime) {
  TuningOptions o = options();
  o.cacheDirectory.clear();
  EXPECT_EQ(select(o, launcher).source, ConfigSource::Tuned);
  EXPECT_EQ(select(o, launcher).source, ConfigSource::Tuned);
}

} // namespace
