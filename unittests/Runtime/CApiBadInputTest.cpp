//===- CApiBadInputTest.cpp - Every bad input of the C API ----------------===//
//
// Each function of ssdc-c/runtime.h that can run without a GPU, given null
// pointers, wrong counts, wrong kinds and element types, overflowing sizes,
// out-of-range indices and damaged packages: a status with the right code
// and a message saying what was wrong, and no handle or result written.
//
//===----------------------------------------------------------------------===//

#include "CApiRawEnums.h"
#include "SyntheticPackage.h"
#include "ssdc-c/runtime.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace {

/// Takes ownership of a status and checks its code and message.
void expectStatus(ssdc_status_t status, ssdc_status_code_t code, const std::string &message,
                  const std::string &what) {
  ASSERT_NE(status, nullptr) << what << ": succeeded";
  EXPECT_EQ(ssdc_status_code(status), code) << what << ": " << ssdc_status_message(status);
  EXPECT_NE(std::string(ssdc_status_message(status)).find(message), std::string::npos)
      << what << ": " << ssdc_status_message(status);
  ssdc_status_free(status);
}

/// A handle pointer that a failed call must leave null.
template <typename T> T *poisoned() { return reinterpret_cast<T *>(uintptr_t(0x1)); }

class CApiBadInputTest : public ::testing::Test {
protected:
  void SetUp() override {
    bytes = ssdc::pkg::writePackage(ssdc::synthetic::syntheticPackage());
    ssdc_status_t status = ssdc_package_load_bytes(bytes.data(), bytes.size(), &package);
    ASSERT_EQ(status, nullptr) << ssdc_status_message(status);
  }
  void TearDown() override { ssdc_package_release(package); }

  /// Runs ssdc_package_launch_config and checks that a failure leaves `out`
  /// as it was.
  ssdc_status_t launchConfig(const char *kernel, uint32_t config, const ssdc_arg_t *args,
                             size_t count) {
    ssdc_launch_config_t out, before;
    std::memset(&out, 0xab, sizeof(out));
    before = out;
    ssdc_status_t status = ssdc_package_launch_config(package, kernel, config, args, count, &out);
    if (status != nullptr)
      EXPECT_EQ(std::memcmp(&out, &before, sizeof(out)), 0) << "a failed call wrote its result";
    return status;
  }

  std::string bytes;
  ssdc_package_t *package = nullptr;
  float cs[4] = {}, out[16] = {};
};

TEST_F(CApiBadInputTest, NullPointersToPackageFunctions) {
  ssdc_package_t *loaded = nullptr;
  expectStatus(ssdc_package_load_file(nullptr, &loaded), SSDC_STATUS_INVALID_ARGUMENT, "null path",
               "load_file(NULL path)");
  expectStatus(ssdc_package_load_file("x.ssdcpkg", nullptr), SSDC_STATUS_INVALID_ARGUMENT,
               "null path or out", "load_file(NULL out)");
  expectStatus(ssdc_package_load_bytes(bytes.data(), bytes.size(), nullptr),
               SSDC_STATUS_INVALID_ARGUMENT, "null out", "load_bytes(NULL out)");
  loaded = poisoned<ssdc_package_t>();
  expectStatus(ssdc_package_load_bytes(nullptr, 0, &loaded), SSDC_STATUS_DATA_LOSS, "byte offset",
               "load_bytes(NULL, 0)");
  EXPECT_EQ(loaded, nullptr);
  loaded = poisoned<ssdc_package_t>();
  expectStatus(ssdc_package_load_bytes(nullptr, 64, &loaded), SSDC_STATUS_INVALID_ARGUMENT,
               "null data", "load_bytes(NULL, 64)");
  EXPECT_EQ(loaded, nullptr);

  EXPECT_EQ(ssdc_package_kernel_count(nullptr), 0u);
  EXPECT_EQ(ssdc_package_kernel_name(nullptr, 0), nullptr);
  EXPECT_EQ(ssdc_package_kernel_name(package, std::numeric_limits<size_t>::max()), nullptr);
  ssdc_package_retain(nullptr);
  ssdc_package_release(nullptr);
}

TEST_F(CApiBadInputTest, NullPointersToLaunchConfig) {
  ssdc_arg_t args[] = {ssdc_arg_int(nullptr, 1)};
  ssdc_launch_config_t out;
  expectStatus(ssdc_package_launch_config(nullptr, "segsum_exp", 0, args, 1, &out),
               SSDC_STATUS_INVALID_ARGUMENT, "null package", "NULL package");
  expectStatus(ssdc_package_launch_config(package, nullptr, 0, args, 1, &out),
               SSDC_STATUS_INVALID_ARGUMENT, "kernel name", "NULL kernel name");
  expectStatus(ssdc_package_launch_config(package, "segsum_exp", 0, args, 1, nullptr),
               SSDC_STATUS_INVALID_ARGUMENT, "out", "NULL out");
  expectStatus(launchConfig("segsum_exp", 0, nullptr, 4), SSDC_STATUS_INVALID_ARGUMENT,
               "null argument array with a nonzero count", "NULL args, count 4");
  expectStatus(launchConfig("nope", 0, args, 1), SSDC_STATUS_NOT_FOUND, "no kernel 'nope'",
               "unknown kernel");
}

TEST_F(CApiBadInputTest, EachBadArgumentIsAPreciseStatus) {
  struct Case {
    const char *what;
    std::vector<ssdc_arg_t> args;
    uint32_t config;
    ssdc_status_code_t code;
    const char *message;
  };
  ssdc_arg_t cs4 = ssdc_arg_buffer(nullptr, cs, 4, SSDC_F32);
  ssdc_arg_t out16 = ssdc_arg_buffer(nullptr, out, 16, SSDC_F32);
  ssdc_arg_t one = ssdc_arg_int(nullptr, 1);
  // Enum fields hold any int a C caller stores (CApiRawEnums.h).
  auto withType = [](ssdc_arg_t arg, int type) {
    ssdcTestSetArgType(&arg, type);
    return arg;
  };
  auto withKind = [](ssdc_arg_t arg, int kind) {
    ssdcTestSetArgKind(&arg, kind);
    return arg;
  };
  ssdc_arg_t hugeCount =
      ssdc_arg_buffer(nullptr, cs, std::numeric_limits<uint64_t>::max(), SSDC_F32);
  ssdc_arg_t nullData = ssdc_arg_buffer(nullptr, nullptr, 4, SSDC_F32);
  ssdc_arg_t emptyName = ssdc_arg_int("", 1);
  Case cases[] = {
      {"no arguments",
       {},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "argument 0 'cs' of kernel 'segsum_exp' is missing"},
      {"too few",
       {cs4, out16, one},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "argument 3 'T' of kernel 'segsum_exp' is missing"},
      {"too many",
       {cs4, out16, one, one, one},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "takes 4 arguments but was given 5 positional ones"},
      {"wrong dtype",
       {ssdc_arg_buffer(nullptr, cs, 4, SSDC_BF16), out16, one, one},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "given a bf16 buffer"},
      {"dtype one past the table",
       {withType(cs4, 5), out16, one, one},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "argument 0 has an unknown element type 5"},
      {"dtype 99",
       {withType(cs4, 99), out16, one, one},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "argument 0 has an unknown element type 99"},
      {"dtype 256 (a u8 code once truncated)",
       {withType(cs4, 256), out16, one, one},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "argument 0 has an unknown element type 256"},
      {"negative dtype",
       {withType(cs4, -1), out16, one, one},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "argument 0 has an unknown element type -1"},
      {"dtype INT_MIN",
       {withType(cs4, INT32_MIN), out16, one, one},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "argument 0 has an unknown element type -2147483648"},
      {"kind 3 (after the float kind)",
       {cs4, out16, withKind(one, 3), one},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "argument 2 has an unknown kind 3"},
      {"negative kind",
       {cs4, out16, withKind(one, -3), one},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "argument 2 has an unknown kind -3"},
      {"kind INT_MAX",
       {withKind(cs4, INT32_MAX), out16, one, one},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "argument 0 has an unknown kind 2147483647"},
      {"int for a buffer", {one, out16, one, one}, 0, SSDC_STATUS_INVALID_ARGUMENT, "'cs'"},
      {"buffer for an int", {cs4, out16, cs4, one}, 0, SSDC_STATUS_INVALID_ARGUMENT, "'B'"},
      {"byte size overflows", {hugeCount, out16, one, one}, 0, SSDC_STATUS_OUT_OF_RANGE, "'cs'"},
      {"null data with elements",
       {nullData, out16, one, one},
       0,
       SSDC_STATUS_INVALID_ARGUMENT,
       "'cs'"},
      {"empty name", {cs4, out16, one, emptyName}, 0, SSDC_STATUS_INVALID_ARGUMENT, "''"},
      {"config out of range", {cs4, out16, one, one}, 6, SSDC_STATUS_NOT_FOUND, "6"},
      {"config UINT32_MAX",
       {cs4, out16, one, one},
       std::numeric_limits<uint32_t>::max(),
       SSDC_STATUS_NOT_FOUND,
       "4294967295"},
      {"grid overflows",
       {cs4, out16, ssdc_arg_int(nullptr, INT64_MAX), one},
       0,
       SSDC_STATUS_OUT_OF_RANGE,
       "grid"},
  };
  for (const Case &c : cases)
    expectStatus(launchConfig("segsum_exp", c.config, c.args.data(), c.args.size()), c.code,
                 c.message, c.what);
}

TEST_F(CApiBadInputTest, EveryTruncationIsDataLossAndNoHandle) {
  for (size_t size = 0; size < bytes.size(); ++size) {
    ssdc_package_t *loaded = poisoned<ssdc_package_t>();
    ssdc_status_t status = ssdc_package_load_bytes(bytes.data(), size, &loaded);
    ASSERT_NE(status, nullptr) << "size " << size;
    ASSERT_EQ(ssdc_status_code(status), SSDC_STATUS_DATA_LOSS) << ssdc_status_message(status);
    ASSERT_NE(std::string(ssdc_status_message(status)).find("byte offset"), std::string::npos);
    ssdc_status_free(status);
    ASSERT_EQ(loaded, nullptr);
  }
}

TEST_F(CApiBadInputTest, RandomByteFlipsAreStatusesAndNoHandle) {
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> offset(0, bytes.size() - 1);
  std::uniform_int_distribution<int> bit(0, 7);
  for (int trial = 0; trial < 1000; ++trial) {
    std::string damaged = bytes;
    damaged[offset(random)] ^= static_cast<char>(1 << bit(random));
    ssdc_package_t *loaded = poisoned<ssdc_package_t>();
    ssdc_status_t status = ssdc_package_load_bytes(damaged.data(), damaged.size(), &loaded);
    ASSERT_NE(status, nullptr) << "trial " << trial;
    ssdc_status_code_t code = ssdc_status_code(status);
    ASSERT_TRUE(code == SSDC_STATUS_DATA_LOSS || code == SSDC_STATUS_UNIMPLEMENTED)
        << ssdc_status_message(status);
    ssdc_status_free(status);
    ASSERT_EQ(loaded, nullptr);
  }
}

TEST_F(CApiBadInputTest, DeviceAndKernelFunctionsRejectNullPointers) {
  ssdc_device_options_initialize(nullptr); // allowed, does nothing
  ssdc_device_options_t options;
  ssdc_device_options_initialize(&options);
  ssdc_device_t *device = poisoned<ssdc_device_t>();
  expectStatus(ssdc_device_open(nullptr, &device), SSDC_STATUS_INVALID_ARGUMENT,
               "null options or out", "device_open(NULL options)");
  expectStatus(ssdc_device_open(&options, nullptr), SSDC_STATUS_INVALID_ARGUMENT,
               "null options or out", "device_open(NULL out)");
  for (int mode : {-1, 4, 1000, INT32_MIN, INT32_MAX}) {
    ssdcTestSetTuningMode(&options, mode);
    device = poisoned<ssdc_device_t>();
    expectStatus(ssdc_device_open(&options, &device), SSDC_STATUS_INVALID_ARGUMENT,
                 "unknown tuning mode " + std::to_string(mode), "tuning mode");
    EXPECT_EQ(device, nullptr);
  }
  EXPECT_STREQ(ssdc_device_name(nullptr), "");
  ssdc_device_retain(nullptr);
  ssdc_device_release(nullptr);

  ssdc_kernel_t *kernel = poisoned<ssdc_kernel_t>();
  expectStatus(ssdc_kernel_create(nullptr, package, "segsum_exp", &kernel),
               SSDC_STATUS_INVALID_ARGUMENT, "null device", "kernel_create(NULL device)");
  EXPECT_EQ(kernel, poisoned<ssdc_kernel_t>()); // checked before anything is written
  ssdc_kernel_retain(nullptr);
  ssdc_kernel_release(nullptr);
  ssdc_launch_info_t info;
  std::memset(&info, 0xab, sizeof(info));
  ssdc_arg_t args[] = {ssdc_arg_int(nullptr, 1)};
  expectStatus(ssdc_kernel_launch(nullptr, args, 1, nullptr, &info), SSDC_STATUS_INVALID_ARGUMENT,
               "null kernel", "kernel_launch(NULL kernel)");
  EXPECT_EQ(info.config_index, 0xababababu);
}

TEST_F(CApiBadInputTest, StatusFunctionsAcceptNull) {
  EXPECT_EQ(ssdc_status_code(nullptr), SSDC_STATUS_OK);
  EXPECT_STREQ(ssdc_status_message(nullptr), "");
  EXPECT_STREQ(ssdc_status_driver_error(nullptr), "");
  ssdc_status_free(nullptr);
}

} // namespace
