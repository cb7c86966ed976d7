//===- BadInputTest.cpp - Every bad input of the C++ runtime API ----------===//
//
// Each entry point that needs no GPU, given each kind of bad input: a precise
// status, and nothing produced (no package, no bound arguments, no launch
// config, no cache entry written).
//
//===----------------------------------------------------------------------===//

#include "SyntheticPackage.h"
#include "TempDir.h"
#include "ssdc/Runtime/Launch.h"
#include "ssdc/Runtime/Runtime.h"
#include "ssdc/Runtime/Tuner.h"
#include "ssdc/Runtime/TuningCache.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>

using namespace ssdc;

namespace {

std::string packageBytes() { return pkg::writePackage(synthetic::syntheticPackage()); }

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

TEST(BadPackageTest, NullOrEmptyBytesAreDataLoss) {
  std::shared_ptr<const LoadedPackage> loaded;
  Status status = LoadedPackage::fromBytes(nullptr, 0, loaded);
  EXPECT_EQ(status.code(), StatusCode::DataLoss) << status.toString();
  EXPECT_TRUE(contains(status.message(), "byte offset")) << status.message();
  EXPECT_EQ(loaded, nullptr);
}

TEST(BadPackageTest, MissingFileIsNotFound) {
  synthetic::TempDir dir;
  std::shared_ptr<const LoadedPackage> loaded;
  Status status = LoadedPackage::fromFile(dir.path() + "/absent.ssdcpkg", loaded);
  EXPECT_EQ(status.code(), StatusCode::NotFound) << status.toString();
  EXPECT_TRUE(contains(status.message(), "absent.ssdcpkg"));
  EXPECT_EQ(loaded, nullptr);
}

// A directory is a status, not an exception out of the API (which through
// the C API's ssdc_package_load_file would end the process).
TEST(BadPackageTest, DirectoryIsAStatusNotAnException) {
  synthetic::TempDir dir;
  std::shared_ptr<const LoadedPackage> loaded;
  Status status = LoadedPackage::fromFile(dir.path(), loaded);
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(contains(status.toString(), dir.path())) << status.toString();
  EXPECT_EQ(loaded, nullptr);
}

// Every prefix of a package, from a file as an engine would load it.
TEST(BadPackageTest, EveryTruncatedFileIsDataLossNamingTheFile) {
  synthetic::TempDir dir;
  std::string bytes = packageBytes();
  std::string path = dir.path() + "/truncated.ssdcpkg";
  for (size_t size = 0; size < bytes.size(); ++size) {
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), size);
    std::shared_ptr<const LoadedPackage> loaded;
    Status status = LoadedPackage::fromFile(path, loaded);
    ASSERT_EQ(status.code(), StatusCode::DataLoss) << "size " << size << ": " << status.toString();
    ASSERT_TRUE(contains(status.toString(), path)) << status.toString();
    ASSERT_TRUE(contains(status.message(), "byte offset")) << status.message();
    ASSERT_EQ(loaded, nullptr);
  }
}

// Random multi-byte damage anywhere, header included: a clean status or a
// package that reads back as itself; the seed makes failures reproducible.
TEST(BadPackageTest, RandomByteFlipsFailCleanly) {
  std::string bytes = packageBytes();
  std::mt19937 random(12);
  std::uniform_int_distribution<size_t> offset(0, bytes.size() - 1);
  std::uniform_int_distribution<int> flips(1, 8), bit(0, 7);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string damaged = bytes;
    for (int n = flips(random); n > 0; --n)
      damaged[offset(random)] ^= static_cast<char>(1 << bit(random));
    std::shared_ptr<const LoadedPackage> loaded;
    Status status = LoadedPackage::fromBytes(damaged.data(), damaged.size(), loaded);
    if (damaged == bytes) {
      EXPECT_TRUE(status.ok());
      continue;
    }
    ASSERT_FALSE(status.ok()) << "trial " << trial; // the checksum covers every byte
    ASSERT_TRUE(status.code() == StatusCode::DataLoss || status.code() == StatusCode::Unimplemented)
        << status.toString();
    ASSERT_TRUE(contains(status.message(), "byte offset")) << status.message();
    ASSERT_EQ(loaded, nullptr);
  }
}

class BadArgsTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string bytes = packageBytes();
    ASSERT_TRUE(LoadedPackage::fromBytes(bytes.data(), bytes.size(), loaded).ok());
    kernel = loaded->findKernel("segsum_exp");
    ASSERT_NE(kernel, nullptr);
  }
  Status bind(const KernelArgs &args) {
    BoundArgs bound;
    return bindArgs(*kernel, args, bound);
  }
  KernelArgs good(int64_t B = 2, int64_t T = 100) {
    KernelArgs args;
    args.add(ArgValue::buffer(cs, 4)).add(ArgValue::buffer(out, 16));
    args.add(ArgValue::scalar(B)).add(ArgValue::scalar(T));
    return args;
  }
  std::shared_ptr<const LoadedPackage> loaded;
  const pkg::Kernel *kernel = nullptr;
  float cs[4] = {}, out[16] = {};
};

TEST_F(BadArgsTest, EachBadArgumentIsNamed) {
  struct Case {
    const char *what;
    KernelArgs args;
    StatusCode code;
    const char *message;
  };
  auto withBuffer = [&](ArgValue first) {
    KernelArgs args;
    args.add(first)
        .add(ArgValue::buffer(out, 16))
        .add(ArgValue::scalar(1))
        .add(ArgValue::scalar(1));
    return args;
  };
  KernelArgs none;
  KernelArgs tooMany = good();
  tooMany.add(ArgValue::scalar(7));
  KernelArgs tooFew;
  tooFew.add(ArgValue::buffer(cs, 4));
  KernelArgs scalarForBuffer;
  scalarForBuffer.add(ArgValue::scalar(1)).add(ArgValue::buffer(out, 16));
  scalarForBuffer.add(ArgValue::scalar(1)).add(ArgValue::scalar(1));
  KernelArgs bufferForScalar;
  bufferForScalar.add(ArgValue::buffer(cs, 4)).add(ArgValue::buffer(out, 16));
  bufferForScalar.add(ArgValue::buffer(cs, 4)).add(ArgValue::scalar(1));
  KernelArgs unknownName = good();
  unknownName.set("C", ArgValue::scalar(1));
  KernelArgs twice = good();
  twice.set("B", ArgValue::scalar(1));
  Case cases[] = {
      {"no arguments", none, StatusCode::InvalidArgument,
       "argument 0 'cs' of kernel 'segsum_exp' is missing"},
      {"one too many", tooMany, StatusCode::InvalidArgument,
       "takes 4 arguments but was given 5 positional ones"},
      {"too few", tooFew, StatusCode::InvalidArgument,
       "argument 1 'out' of kernel 'segsum_exp' is missing"},
      {"wrong kind (int for buffer)", scalarForBuffer, StatusCode::InvalidArgument, "'cs'"},
      {"wrong kind (buffer for int)", bufferForScalar, StatusCode::InvalidArgument, "'B'"},
      {"wrong dtype", withBuffer(ArgValue::buffer(cs, 4, pkg::ElemType::I32)),
       StatusCode::InvalidArgument, "has element type f32 but was given a i32 buffer"},
      {"null pointer with elements", withBuffer(ArgValue::buffer(nullptr, 4, pkg::ElemType::F32)),
       StatusCode::InvalidArgument, "'cs'"},
      {"byte size overflows 64 bits",
       withBuffer(
           ArgValue::buffer(cs, std::numeric_limits<uint64_t>::max() / 2, pkg::ElemType::F32)),
       StatusCode::OutOfRange, "'cs'"},
      {"unknown name", unknownName, StatusCode::InvalidArgument, "'C'"},
      {"given twice", twice, StatusCode::InvalidArgument, "'B'"},
  };
  for (const Case &c : cases) {
    Status status = bind(c.args);
    EXPECT_EQ(status.code(), c.code) << c.what << ": " << status.toString();
    EXPECT_TRUE(contains(status.message(), c.message)) << c.what << ": " << status.message();
  }
}

TEST_F(BadArgsTest, GridsThatOverflowOrExceedTheDeviceAreOutOfRange) {
  struct Case {
    int64_t B, T;
    const char *message;
  };
  Case cases[] = {
      {std::numeric_limits<int64_t>::max(), 100, "grid"},     // x above 2^31 - 1
      {2, std::numeric_limits<int64_t>::max(), "grid"},       // y and z above 65535
      {-1, 100, "negative"},                                  // a negative dimension
      {std::numeric_limits<int64_t>::min(), 100, "negative"}, // the most negative value
  };
  for (const Case &c : cases) {
    BoundArgs bound;
    ASSERT_TRUE(bindArgs(*kernel, good(c.B, c.T), bound).ok());
    LaunchConfig launch, untouched;
    launch.grid[0] = untouched.grid[0] = 12345;
    Status status = computeLaunchConfig(*kernel, 0, bound, launch);
    EXPECT_EQ(status.code(), StatusCode::OutOfRange) << c.B << " " << c.T << status.toString();
    EXPECT_TRUE(contains(status.message(), c.message)) << status.message();
  }
}

TEST_F(BadArgsTest, ConfigIndexOutOfRangeIsAnError) {
  BoundArgs bound;
  ASSERT_TRUE(bindArgs(*kernel, good(), bound).ok());
  LaunchConfig launch;
  for (uint32_t index :
       {static_cast<uint32_t>(kernel->configs.size()), std::numeric_limits<uint32_t>::max()}) {
    Status status = computeLaunchConfig(*kernel, index, bound, launch);
    EXPECT_FALSE(status.ok()) << index;
    EXPECT_TRUE(contains(status.message(), std::to_string(index))) << status.message();
  }
}

TEST_F(BadArgsTest, MalformedPinnedConfigsAreErrors) {
  for (const char *spec : {"BLOCK_Q=16", "BLOCK_M=17", "BLOCK_M", "BLOCK_M=x", "=16",
                           "BLOCK_M=99999999999999999999999"}) {
    uint32_t index = 12345;
    Status status = findConfig(*kernel, spec, index);
    EXPECT_FALSE(status.ok()) << spec;
    EXPECT_EQ(index, 12345u) << spec;
  }
}

// A tuning cache entry of another format version (a file left by another
// ssdc at the same path, or a damaged one) is named as such and retuned.
TuningKey cacheKey() {
  TuningKey key;
  key.kernel = "segsum_exp";
  key.packageHash = 0x1234;
  key.device = "NVIDIA H100 80GB HBM3 sm_90";
  key.keyArgs = {{"B", 2}, {"T", 100}};
  return key;
}

TEST(BadTuningCacheTest, EntryOfAnotherVersionIsNamedAndNotUsed) {
  synthetic::TempDir dir;
  TuningCache cache(dir.path());
  TuningKey key = cacheKey();
  TuningEntry entry;
  entry.config = "BLOCK_M=16,BLOCK_N=32";
  ASSERT_TRUE(cache.store(key, entry).ok());
  std::string path = cache.pathFor(key);
  std::string text;
  {
    std::ifstream file(path);
    text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  ASSERT_EQ(text.compare(0, 14, "ssdc-tuning 1\n"), 0);
  for (const char *header : {"ssdc-tuning 2", "ssdc-tuning 0", "ssdc-tuning 10"}) {
    std::ofstream(path, std::ios::trunc) << header << text.substr(13);
    TuningEntry read;
    read.config = "untouched";
    bool found = true;
    Status status = cache.load(key, read, found);
    EXPECT_EQ(status.code(), StatusCode::DataLoss) << status.toString();
    EXPECT_TRUE(contains(status.message(), std::string("written by another version ('") + header +
                                               "', this one reads 'ssdc-tuning 1')"))
        << status.message();
    EXPECT_FALSE(found);
    EXPECT_EQ(read.config, "untouched");
  }
}

} // namespace
