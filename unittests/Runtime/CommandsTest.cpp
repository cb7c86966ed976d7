//===- CommandsTest.cpp - `ssdc run` / `ssdc tune` without a GPU ----------===//

#include "ssdc/Runtime/Commands.h"

#include <gtest/gtest.h>

using namespace ssdc;

namespace {

TEST(CommandsTest, UsageErrorsExitWithTwo) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(runPackageCommand({}), 2);
  EXPECT_EQ(runPackageCommand({"p.ssdcpkg"}), 2); // no --kernel
  EXPECT_EQ(runPackageCommand({"p.ssdcpkg", "--kernel"}), 2);
  EXPECT_EQ(runPackageCommand({"p.ssdcpkg", "--kernel", "k", "--arg", "x"}), 2);
  EXPECT_EQ(runPackageCommand({"p.ssdcpkg", "--kernel", "k", "--key", "T=1"}),
            2); // --key is for tune only
  EXPECT_EQ(tuneCommand({"p.ssdcpkg", "--kernel", "k", "--key", "T"}), 2);
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("usage: ssdc run PACKAGE --kernel NAME"), std::string::npos);
  EXPECT_NE(err.find("usage: ssdc tune PACKAGE"), std::string::npos);
}

TEST(CommandsTest, MissingPackageExitsWithOne) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(runPackageCommand({"/nonexistent.ssdcpkg", "--kernel", "k"}), 1);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find(
                "ssdc: error: NotFound: cannot open package "
                "/nonexistent.ssdcpkg"),
            std::string::npos);
}

} // namespace
