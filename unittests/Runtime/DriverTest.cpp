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

TEST(DriverTest, CubinChipMatching) {
  EXPECT_TRUE(cuda::cubinRunsOn("sm_90", 9, 0));
  EXPECT_TRUE(cuda::cubinRunsOn("sm_90a", 9, 0));
  EXPECT_FALSE(cuda::cubinRunsOn("sm_90a", 10, 0));
  EXPECT_FALSE(cuda::cubinRunsOn("sm_80", 8, 6));
  EXPECT_FALSE(cuda::cubinRunsOn("", 9, 0));
  EXPECT_EQ(cuda::chipName(12, 0), "sm_120");
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
