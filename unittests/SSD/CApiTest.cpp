//===- CApiTest.cpp - the SSD forward's C API without a GPU ---------------===//
#include "ssdc-c/ssd.h"

#include <gtest/gtest.h>

#include <climits>
#include <limits>
#include <string>

extern "C" ssdc_status_t ssdcTestCreateForward(int form, int dtype); // CApiProblemFromC.c

namespace {

/// The status's code and message, freeing it.
std::pair<ssdc_status_code_t, std::string> take(ssdc_status_t status) {
  std::pair<ssdc_status_code_t, std::string> out{ssdc_status_code(status),
                                                 ssdc_status_message(status)};
  ssdc_status_free(status);
  return out;
}

TEST(SsdCApi, ProblemDefaultsAreMambaYContiguous) {
  ssdc_ssd_problem_t problem;
  ssdc_ssd_problem_initialize(&problem);
  EXPECT_EQ(problem.form, SSDC_SSD_MAMBA);
  EXPECT_EQ(problem.dtype, SSDC_F32);
  EXPECT_EQ(problem.return_y, 1);
  EXPECT_EQ(problem.return_final_states, 0);
  EXPECT_EQ(problem.x_strides[1], 0);
  EXPECT_EQ(problem.dt_limit_lo, 0.0); // mamba's default dt_limit: no clamp
  EXPECT_EQ(problem.dt_limit_hi, std::numeric_limits<double>::infinity());
  ssdc_ssd_problem_initialize(nullptr); // allowed, does nothing
}

TEST(SsdCApi, NullHandlesAreStatuses) {
  ssdc_ssd_problem_t problem;
  ssdc_ssd_problem_initialize(&problem);
  ssdc_ssd_forward_t *forward = nullptr;
  auto [code, message] = take(ssdc_ssd_forward_create(nullptr, &problem, &forward));
  EXPECT_EQ(code, SSDC_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(message, "ssdc_ssd_forward_create: null device, problem or out");
  EXPECT_EQ(forward, nullptr);
  ssdc_ssd_buffers_t buffers = {};
  EXPECT_EQ(take(ssdc_ssd_forward_execute(nullptr, &buffers, nullptr, nullptr)).first,
            SSDC_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(take(ssdc_ssd_forward_tune(nullptr, &buffers, nullptr, nullptr)).first,
            SSDC_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(ssdc_ssd_forward_workspace_bytes(nullptr), 0u);
  EXPECT_STREQ(ssdc_ssd_forward_describe_configs(nullptr), "");
  ssdc_ssd_forward_destroy(nullptr);
}

TEST(SsdCApi, OutOfRangeFormAndDtypeAreStatuses) {
  // Checked as integers before any conversion, and before the device is
  // needed (the device here is null).
  for (int form : {-1, 2, INT_MAX, INT_MIN})
    EXPECT_EQ(
        take(ssdcTestCreateForward(form, SSDC_F32)),
        std::make_pair(SSDC_STATUS_INVALID_ARGUMENT, "ssd: unknown form " + std::to_string(form)));
  for (int dtype : {-1, 99, 256, 257, INT_MAX, INT_MIN})
    EXPECT_EQ(take(ssdcTestCreateForward(SSDC_SSD_MAMBA, dtype)),
              std::make_pair(SSDC_STATUS_INVALID_ARGUMENT,
                             "ssd: unknown element type " + std::to_string(dtype)));
  // In range, the null device is what stops it.
  EXPECT_EQ(take(ssdcTestCreateForward(SSDC_SSD_KERNELBENCH, SSDC_BF16)).second,
            "ssdc_ssd_forward_create: null device, problem or out");
}

} // namespace
