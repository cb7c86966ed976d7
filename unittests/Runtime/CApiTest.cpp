//===- CApiTest.cpp - The C API, without a GPU ----------------------------===//

#include "CApiRawEnums.h"
#include "SyntheticPackage.h"
#include "ssdc-c/runtime.h"

#include <gtest/gtest.h>

#include <string>

extern "C" int ssdcCApiHeaderIsC(void);

namespace {

class CApiTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string bytes = ssdc::pkg::writePackage(ssdc::synthetic::syntheticPackage());
    ssdc_status_t status = ssdc_package_load_bytes(bytes.data(), bytes.size(), &package);
    ASSERT_EQ(status, nullptr) << ssdc_status_message(status);
  }
  void TearDown() override { ssdc_package_release(package); }
  ssdc_package_t *package = nullptr;
  float cs[4] = {}, out[16] = {};
};

TEST_F(CApiTest, HeaderCompilesAsC) { EXPECT_EQ(ssdcCApiHeaderIsC(), 1); }

TEST_F(CApiTest, PackageIntrospection) {
  EXPECT_EQ(ssdc_package_kernel_count(package), 2u);
  EXPECT_STREQ(ssdc_package_kernel_name(package, 0), "segsum_exp");
  EXPECT_STREQ(ssdc_package_kernel_name(package, 1), "scale_inplace");
  EXPECT_EQ(ssdc_package_kernel_name(package, 2), nullptr);
  // Retain and release balance: the package survives one extra release.
  ssdc_package_retain(package);
  ssdc_package_release(package);
  EXPECT_EQ(ssdc_package_kernel_count(package), 2u);
}

TEST_F(CApiTest, LaunchConfigWithPositionalAndNamedArgs) {
  ssdc_arg_t args[] = {
      ssdc_arg_buffer(nullptr, cs, 4, SSDC_F32),
      ssdc_arg_buffer("out", out, 16, SSDC_F32),
      ssdc_arg_int("T", 1000),
      ssdc_arg_int("B", 3),
  };
  ssdc_launch_config_t config;
  ssdc_status_t status = ssdc_package_launch_config(package, "segsum_exp", 5, args, 4, &config);
  ASSERT_EQ(status, nullptr) << ssdc_status_message(status);
  EXPECT_EQ(config.grid[0], 3u);
  EXPECT_EQ(config.grid[1], 16u);
  EXPECT_EQ(config.grid[2], 16u);
  EXPECT_EQ(config.block[0], 128u);
  EXPECT_EQ(config.shared_bytes, 256u);
}

TEST_F(CApiTest, BadArgumentsGiveStatuses) {
  ssdc_launch_config_t config;
  ssdc_arg_t wrongType[] = {
      ssdc_arg_buffer(nullptr, cs, 4, SSDC_F16),
      ssdc_arg_buffer(nullptr, out, 16, SSDC_F32),
      ssdc_arg_int(nullptr, 1),
      ssdc_arg_int(nullptr, 2),
  };
  ssdc_status_t status =
      ssdc_package_launch_config(package, "segsum_exp", 0, wrongType, 4, &config);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(ssdc_status_code(status), SSDC_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(std::string(ssdc_status_message(status))
                .find("has element type f32 but was given a f16 buffer"),
            std::string::npos);
  EXPECT_STREQ(ssdc_status_driver_error(status), "");
  ssdc_status_free(status);

  ssdc_arg_t positionalAfterNamed[] = {ssdc_arg_int("B", 1), ssdc_arg_int(nullptr, 2)};
  status = ssdc_package_launch_config(package, "segsum_exp", 0, positionalAfterNamed, 2, &config);
  EXPECT_NE(std::string(ssdc_status_message(status)).find("follows a named"), std::string::npos);
  ssdc_status_free(status);

  // Values that are no element type's code (ElementTypes.def), within the
  // range C++ gives the enumeration (casting others to it is undefined).
  for (int code : {5, 7}) {
    ssdc_arg_t badType = ssdc_arg_buffer(nullptr, cs, 4, static_cast<ssdc_elem_type_t>(code));
    status = ssdc_package_launch_config(package, "segsum_exp", 0, &badType, 1, &config);
    ASSERT_NE(status, nullptr) << code;
    EXPECT_NE(std::string(ssdc_status_message(status)).find("unknown element type"),
              std::string::npos)
        << code;
    ssdc_status_free(status);
  }

  // A float where the kernel takes an integer, by name: the runtime's check.
  ssdc_arg_t floatForInt[] = {ssdc_arg_buffer(nullptr, cs, 4, SSDC_F32),
                              ssdc_arg_buffer(nullptr, out, 16, SSDC_F32), ssdc_arg_float("B", 1.5),
                              ssdc_arg_int("T", 4)};
  status = ssdc_package_launch_config(package, "segsum_exp", 0, floatForInt, 4, &config);
  EXPECT_EQ(ssdc_status_code(status), SSDC_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(std::string(ssdc_status_message(status))
                .find("'B' of kernel 'segsum_exp' is an integer but was given a float"),
            std::string::npos)
      << ssdc_status_message(status);
  ssdc_status_free(status);

  ssdc_arg_t badKind = ssdc_arg_int(nullptr, 1);
  ssdcTestSetArgKind(&badKind, 7);
  status = ssdc_package_launch_config(package, "segsum_exp", 0, &badKind, 1, &config);
  EXPECT_NE(std::string(ssdc_status_message(status)).find("unknown kind"), std::string::npos);
  ssdc_status_free(status);

  status = ssdc_package_launch_config(package, "nope", 0, nullptr, 0, &config);
  EXPECT_EQ(ssdc_status_code(status), SSDC_STATUS_NOT_FOUND);
  ssdc_status_free(status);
  status = ssdc_package_launch_config(package, "segsum_exp", 0, nullptr, 3, &config);
  EXPECT_EQ(ssdc_status_code(status), SSDC_STATUS_INVALID_ARGUMENT);
  ssdc_status_free(status);
}

TEST_F(CApiTest, NullStatusIsOk) {
  EXPECT_EQ(ssdc_status_code(nullptr), SSDC_STATUS_OK);
  EXPECT_STREQ(ssdc_status_message(nullptr), "");
  ssdc_status_free(nullptr);
}

TEST_F(CApiTest, CorruptPackageIsDataLoss) {
  std::string bytes = ssdc::pkg::writePackage(ssdc::synthetic::syntheticPackage());
  bytes[40] ^= 1;
  ssdc_package_t *corrupt = nullptr;
  ssdc_status_t status = ssdc_package_load_bytes(bytes.data(), bytes.size(), &corrupt);
  EXPECT_EQ(ssdc_status_code(status), SSDC_STATUS_DATA_LOSS);
  EXPECT_EQ(corrupt, nullptr);
  ssdc_status_free(status);
  status = ssdc_package_load_file("/nonexistent.ssdcpkg", &corrupt);
  EXPECT_EQ(ssdc_status_code(status), SSDC_STATUS_NOT_FOUND);
  ssdc_status_free(status);
}

TEST_F(CApiTest, DeviceOpensOrSaysWhyNot) {
  ssdc_device_options_t options;
  ssdc_device_options_initialize(&options);
  ssdcTestSetTuningMode(&options, 9);
  ssdc_device_t *device = nullptr;
  ssdc_status_t status = ssdc_device_open(&options, &device);
  EXPECT_EQ(ssdc_status_code(status), SSDC_STATUS_INVALID_ARGUMENT);
  ssdc_status_free(status);

  ssdc_device_options_initialize(&options);
  status = ssdc_device_open(&options, &device);
  if (status != nullptr) {
    // No driver here: a clean status and no handle.
    EXPECT_EQ(ssdc_status_code(status), SSDC_STATUS_UNAVAILABLE);
    EXPECT_NE(std::string(ssdc_status_message(status)).find("libcuda.so.1"), std::string::npos);
    EXPECT_EQ(device, nullptr);
    ssdc_status_free(status);
    return;
  }
  ssdc_kernel_t *kernel = nullptr;
  status = ssdc_kernel_create(device, package, "nope", &kernel);
  EXPECT_EQ(ssdc_status_code(status), SSDC_STATUS_NOT_FOUND);
  ssdc_status_free(status);
  ssdc_device_release(device);
}

} // namespace
