//===- DriverTest.cpp - The dlopened driver, without a GPU ----------------===//

#include "ssdc/Runtime/Driver.h"
#include "SyntheticPackage.h"
#include "ssdc/Runtime/Runtime.h"

#include <gtest/gtest.h>

using namespace ssdc;

namespace {

TEST(DriverTest, MissingLibraryIsUnavailable) {
  cuda::DriverApi api;
  Status status = cuda::openDriverLibrary("/nonexistent/libcuda.so.1", api);
  EXPECT_EQ(status.code(), StatusCode::Unavailable);
  EXPECT_NE(status.message().find("no CUDA driver: cannot load "
                                  "/nonexistent/libcuda.so.1"),
            std::string::npos)
      << status.message();
}

TEST(DriverTest, LibraryWithoutEntryPointsIsUnavailable) {
  cuda::DriverApi api;
  Status status = cuda::openDriverLibrary("libm.so.6", api);
  EXPECT_EQ(status.code(), StatusCode::Unavailable);
  EXPECT_NE(status.message().find("lacks entry points: cuInit, "), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("cuMemAlloc_v2"), std::string::npos);
}

// On a machine with a driver and a GPU the runtime opens device 0; without
// one, every entry point that needs the driver says so cleanly.
TEST(DriverTest, OpeningADeviceSucceedsOrSaysWhyNot) {
  const cuda::DriverApi *api = nullptr;
  Status loaded = cuda::driver(api);
  std::shared_ptr<Device> device;
  Status opened = Device::open(DeviceOptions(), device);
  if (!loaded.ok()) {
    EXPECT_EQ(loaded.code(), StatusCode::Unavailable);
    EXPECT_NE(loaded.message().find("libcuda.so.1"), std::string::npos);
    EXPECT_EQ(api, nullptr);
    EXPECT_EQ(opened.toString(), loaded.toString());
    EXPECT_EQ(device, nullptr);
    int count = -1;
    EXPECT_EQ(Device::count(count).code(), StatusCode::Unavailable);
    EXPECT_EQ(count, 0);
    return;
  }
  if (opened.ok()) {
    EXPECT_FALSE(device->name().empty());
    EXPECT_EQ(device->chip().compare(0, 3, "sm_"), 0);
  } else {
    EXPECT_TRUE(opened.code() == StatusCode::NotFound || opened.code() == StatusCode::DriverError)
        << opened.toString();
  }
}

TEST(DriverTest, ChipNamesParse) {
  struct Case {
    const char *name;
    int major, minor;
    char suffix;
  } good[] = {{"sm_80", 8, 0, '\0'},   {"sm_86", 8, 6, '\0'},   {"sm_90a", 9, 0, 'a'},
              {"sm_100", 10, 0, '\0'}, {"sm_100f", 10, 0, 'f'}, {"sm_121a", 12, 1, 'a'}};
  for (const Case &c : good) {
    cuda::Chip chip;
    ASSERT_TRUE(cuda::parseChip(c.name, chip)) << c.name;
    EXPECT_EQ(chip.major, c.major) << c.name;
    EXPECT_EQ(chip.minor, c.minor) << c.name;
    EXPECT_EQ(chip.suffix, c.suffix) << c.name;
  }
  for (const char *bad : {"", "sm_", "sm_9", "sm_9a", "sm_1000", "sm_09", "sm_90b", "sm_9x",
                          "compute_90", "SM_90", "sm_90aa", "sm_-90", " sm_90"}) {
    cuda::Chip chip;
    EXPECT_FALSE(cuda::parseChip(bad, chip)) << "'" << bad << "'";
  }
  EXPECT_EQ(cuda::chipName(12, 0), "sm_120");
}

// NVIDIA's binary compatibility: within a major version, newer minors.
TEST(DriverTest, CubinChipMatching) {
  EXPECT_TRUE(cuda::cubinRunsOn("sm_90", 9, 0));
  EXPECT_TRUE(cuda::cubinRunsOn("sm_90a", 9, 0));
  EXPECT_TRUE(cuda::cubinRunsOn("sm_80", 8, 6));
  EXPECT_TRUE(cuda::cubinRunsOn("sm_80", 8, 9));
  EXPECT_TRUE(cuda::cubinRunsOn("sm_100f", 10, 3));
  EXPECT_FALSE(cuda::cubinRunsOn("sm_80", 9, 0)); // its PTX does, through the JIT
  EXPECT_FALSE(cuda::cubinRunsOn("sm_86", 8, 0));
  EXPECT_FALSE(cuda::cubinRunsOn("sm_90a", 10, 0));
  EXPECT_FALSE(cuda::cubinRunsOn("sm_100a", 10, 3));
  EXPECT_FALSE(cuda::cubinRunsOn("sm_100f", 12, 0));
  EXPECT_FALSE(cuda::cubinRunsOn("", 9, 0));
  EXPECT_FALSE(cuda::cubinRunsOn("garbage", 9, 0));
}

// The rule Device::kernel applies before anything loads (docs/runtime.md):
// a package's PTX runs on its chip and newer, "a" PTX on its chip only.
TEST(DriverTest, PackageChipRule) {
  struct Case {
    const char *packageChip;
    int major, minor;
    const char *error; // empty: runs
  } cases[] = {
      {"sm_80", 8, 0, ""},
      {"sm_80", 8, 6, ""},
      {"sm_80", 9, 0, ""},
      {"sm_80", 12, 0, ""},
      {"sm_90", 9, 0, ""},
      {"sm_90", 10, 0, ""},
      {"sm_90a", 9, 0, ""},
      {"sm_100f", 10, 3, ""},
      {"sm_90a", 8, 0,
       "package compiled for sm_90a; device is sm_80 (sm_90a code runs on sm_90 only)"},
      {"sm_90a", 10, 0,
       "package compiled for sm_90a; device is sm_100 (sm_90a code runs on sm_90 only)"},
      {"sm_90", 8, 0,
       "package compiled for sm_90; device is sm_80 (sm_90 code runs on sm_90 and newer)"},
      {"sm_89", 8, 6,
       "package compiled for sm_89; device is sm_86 (sm_89 code runs on sm_89 and newer)"},
      {"sm_100f", 12, 0,
       "package compiled for sm_100f; device is sm_120 (sm_100f code runs on sm_100 and newer "
       "chips "
       "of compute capability 10.x)"},
      {"", 9, 0,
       "package compiled for '', which is not a chip name (sm_XY, sm_XYa or sm_XYf); device is "
       "sm_90"},
      {"gfx942", 9, 0, "package compiled for 'gfx942', which is not a chip name"},
  };
  for (const Case &c : cases) {
    Status status = cuda::checkPackageChip(c.packageChip, c.major, c.minor);
    std::string what = std::string(c.packageChip) + " on " + cuda::chipName(c.major, c.minor);
    if (*c.error == '\0') {
      EXPECT_TRUE(status.ok()) << what << ": " << status.toString();
      continue;
    }
    EXPECT_EQ(status.code(), StatusCode::InvalidArgument) << what;
    EXPECT_NE(status.message().find(c.error), std::string::npos)
        << what << ": " << status.message();
  }
}

TEST(LoadedPackageTest, LoadsAndFindsKernels) {
  std::string bytes = pkg::writePackage(synthetic::syntheticPackage());
  std::shared_ptr<const LoadedPackage> package;
  ASSERT_TRUE(LoadedPackage::fromBytes(bytes.data(), bytes.size(), package).ok());
  EXPECT_EQ(package->hash(), pkg::hashBytes(bytes.data(), bytes.size()));
  ASSERT_NE(package->findKernel("scale_inplace"), nullptr);
  EXPECT_EQ(package->findKernel("nope"), nullptr);
  Status missing = LoadedPackage::fromFile("/nonexistent.ssdcpkg", package);
  EXPECT_EQ(missing.code(), StatusCode::NotFound);
  bytes.resize(bytes.size() - 1);
  Status truncated = LoadedPackage::fromBytes(bytes.data(), bytes.size(), package);
  EXPECT_EQ(truncated.code(), StatusCode::DataLoss);
}

} // namespace
