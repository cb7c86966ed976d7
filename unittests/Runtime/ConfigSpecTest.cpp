//===- ConfigSpecTest.cpp - the NAME=V,... parser -------------------------===//
#include "ssdc/Runtime/ConfigSpec.h"

#include <gtest/gtest.h>

using namespace ssdc;

namespace {

std::string errorOf(const std::string &spec) {
  std::vector<ConfigAssignment> assignments;
  Status status = parseConfigSpec(spec, assignments);
  EXPECT_EQ(status.code(), StatusCode::InvalidArgument) << spec;
  return status.message();
}

TEST(ConfigSpecTest, ParsesAssignmentsInOrder) {
  std::vector<ConfigAssignment> assignments;
  ASSERT_TRUE(parseConfigSpec("BLOCK_M=64, num_warps = 8,X=-3", assignments).ok());
  ASSERT_EQ(assignments.size(), 3u);
  EXPECT_EQ(assignments[0].name, "BLOCK_M");
  EXPECT_EQ(assignments[0].value, 64);
  EXPECT_EQ(assignments[1].name, "num_warps");
  EXPECT_EQ(assignments[1].value, 8);
  EXPECT_EQ(assignments[2].value, -3);
}

TEST(ConfigSpecTest, RejectsMalformedSpecs) {
  EXPECT_EQ(errorOf(""), "config '' is not NAME=VALUE,...");
  EXPECT_EQ(errorOf("BLOCK_M"), "config 'BLOCK_M' is not NAME=VALUE,...");
  EXPECT_EQ(errorOf("=4"), "config '=4' is not NAME=VALUE,...");
  EXPECT_EQ(errorOf("A=1,,B=2"), "config 'A=1,,B=2' is not NAME=VALUE,...");
  EXPECT_EQ(errorOf("A=1,"), "config 'A=1,' is not NAME=VALUE,...");
  EXPECT_EQ(errorOf("A=x"), "config value for 'A' is 'x', not a 64-bit integer");
  EXPECT_EQ(errorOf("A="), "config value for 'A' is '', not a 64-bit integer");
  EXPECT_EQ(errorOf("A=99999999999999999999"),
            "config value for 'A' is '99999999999999999999', not a 64-bit integer");
}

TEST(ConfigSpecTest, RejectsANameGivenTwice) {
  EXPECT_EQ(errorOf("A=1,B=2,A=3"), "config 'A=1,B=2,A=3' names 'A' twice");
}

} // namespace
