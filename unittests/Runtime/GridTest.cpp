//===- GridTest.cpp - Grid expressions and launch configs -----------------===//

#include "SyntheticPackage.h"
#include "ssdc/Runtime/Launch.h"

#include <gtest/gtest.h>

#include <limits>

using namespace ssdc;
using Op = pkg::ExprNode::Op;
using synthetic::node;

namespace {

Status eval(const pkg::Expr &expr, int64_t &out, std::vector<int64_t> ints = {},
            std::vector<int64_t> params = {}) {
  return evaluateExpr(expr, ints, params, out);
}

int64_t evalOk(const pkg::Expr &expr, std::vector<int64_t> ints = {},
               std::vector<int64_t> params = {}) {
  int64_t value = -12345;
  Status status = eval(expr, value, ints, params);
  EXPECT_TRUE(status.ok()) << status.toString();
  return value;
}

pkg::Expr binary(int64_t a, int64_t b, Op op) {
  return {node(Op::Const, a), node(Op::Const, b), node(op)};
}

TEST(GridTest, ArithmeticAndReferences) {
  EXPECT_EQ(evalOk({node(Op::Arg, 1)}, {0, 1000}), 1000);
  EXPECT_EQ(evalOk({node(Op::Param, 0)}, {}, {64}), 64);
  // (T + 1) * 2 - BLOCK
  EXPECT_EQ(evalOk({node(Op::Arg, 0), node(Op::Const, 1), node(Op::Add), node(Op::Const, 2),
                    node(Op::Mul), node(Op::Param, 0), node(Op::Sub)},
                   {10}, {5}),
            17);
}

TEST(GridTest, DivisionsRoundLikePython) {
  EXPECT_EQ(evalOk(binary(1000, 64, Op::CeilDiv)), 16);
  EXPECT_EQ(evalOk(binary(1024, 64, Op::CeilDiv)), 16);
  EXPECT_EQ(evalOk(binary(0, 64, Op::CeilDiv)), 0);
  EXPECT_EQ(evalOk(binary(1000, 64, Op::FloorDiv)), 15);
  EXPECT_EQ(evalOk(binary(-7, 2, Op::FloorDiv)), -4);
  EXPECT_EQ(evalOk(binary(-7, 2, Op::CeilDiv)), -3);
  EXPECT_EQ(evalOk(binary(-7, 3, Op::Mod)), 2);
  EXPECT_EQ(evalOk(binary(1000, 64, Op::Mod)), 40);
}

TEST(GridTest, DivisionByZeroOrNegativeIsAnError) {
  int64_t value = 0;
  for (Op op : {Op::FloorDiv, Op::CeilDiv, Op::Mod}) {
    Status status = eval(binary(10, 0, op), value);
    EXPECT_EQ(status.code(), StatusCode::InvalidArgument);
    EXPECT_NE(status.message().find("divides 10 by 0"), std::string::npos);
    EXPECT_FALSE(eval(binary(10, -2, op), value).ok());
  }
}

TEST(GridTest, OverflowIsAnError) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  int64_t value = 0;
  EXPECT_EQ(eval(binary(max, 1, Op::Add), value).code(), StatusCode::OutOfRange);
  EXPECT_EQ(eval(binary(min, 1, Op::Sub), value).code(), StatusCode::OutOfRange);
  EXPECT_EQ(eval(binary(int64_t(1) << 32, int64_t(1) << 32, Op::Mul), value).code(),
            StatusCode::OutOfRange);
  EXPECT_EQ(eval(binary(min, 2, Op::CeilDiv), value).code(), StatusCode::OutOfRange);
}

TEST(GridTest, MalformedExpressionsAreErrors) {
  int64_t value = 0;
  EXPECT_FALSE(eval({}, value).ok());
  EXPECT_FALSE(eval({node(Op::Add)}, value).ok());
  EXPECT_FALSE(eval({node(Op::Const, 1), node(Op::Const, 2)}, value).ok());
  EXPECT_FALSE(eval({node(Op::Arg, 3)}, value, {1}).ok());
  EXPECT_FALSE(eval({node(Op::Param, -1)}, value, {}, {1}).ok());
  EXPECT_FALSE(eval({node(static_cast<Op>(77))}, value).ok());
  pkg::Expr deep(40, node(Op::Const, 1));
  EXPECT_NE(eval(deep, value).message().find("deeper than"), std::string::npos);
}

BoundArgs segsumArgs(int64_t B, int64_t T) {
  BoundArgs args;
  args.ints = {0, 0, B, T};
  args.values.resize(4);
  return args;
}

TEST(GridTest, LaunchConfigOfSegsum) {
  pkg::Kernel kernel = synthetic::segsumExpKernel();
  LaunchConfig launch;
  // Config 5 is BLOCK_M=64, BLOCK_N=64.
  ASSERT_TRUE(computeLaunchConfig(kernel, 5, segsumArgs(37, 1000), launch).ok());
  EXPECT_EQ(launch.grid[0], 37u);
  EXPECT_EQ(launch.grid[1], 16u);
  EXPECT_EQ(launch.grid[2], 16u);
  EXPECT_EQ(launch.block[0], 128u);
  EXPECT_EQ(launch.block[1], 1u);
  EXPECT_EQ(launch.sharedBytes, 256u);
  EXPECT_FALSE(launch.empty());
  EXPECT_EQ(launch.toString(), "grid (37, 16, 16), block (128, 1, 1), shared 256 B");
}

TEST(GridTest, MissingDimensionsAreOne) {
  pkg::Kernel kernel = synthetic::scaleInplaceKernel();
  BoundArgs args;
  args.ints = {0, 1000};
  args.values.resize(2);
  LaunchConfig launch;
  ASSERT_TRUE(computeLaunchConfig(kernel, 0, args, launch).ok());
  EXPECT_EQ(launch.grid[0], 8u);
  EXPECT_EQ(launch.grid[1], 1u);
  EXPECT_EQ(launch.grid[2], 1u);
}

TEST(GridTest, ZeroSizedGridIsEmptyNotAnError) {
  pkg::Kernel kernel = synthetic::segsumExpKernel();
  LaunchConfig launch;
  ASSERT_TRUE(computeLaunchConfig(kernel, 0, segsumArgs(0, 1000), launch).ok());
  EXPECT_TRUE(launch.empty());
  ASSERT_TRUE(computeLaunchConfig(kernel, 0, segsumArgs(4, 0), launch).ok());
  EXPECT_TRUE(launch.empty());
  // An empty grid is not checked against limits: nothing launches.
  ASSERT_TRUE(computeLaunchConfig(kernel, 0, segsumArgs(0, 1 << 30), launch).ok());
}

TEST(GridTest, GridAboveDeviceLimitsIsAnError) {
  pkg::Kernel kernel = synthetic::segsumExpKernel();
  LaunchConfig launch;
  // x is B: 2^31 - 1 is allowed, 2^31 is not.
  EXPECT_TRUE(computeLaunchConfig(kernel, 0, segsumArgs((1ll << 31) - 1, 16), launch).ok());
  Status status = computeLaunchConfig(kernel, 0, segsumArgs(1ll << 31, 16), launch);
  EXPECT_EQ(status.code(), StatusCode::OutOfRange);
  EXPECT_NE(status.message().find("grid x"), std::string::npos);
  // y is cdiv(T, 16): T = 16 * 65535 fits, one more does not.
  EXPECT_TRUE(computeLaunchConfig(kernel, 0, segsumArgs(1, 16 * 65535), launch).ok());
  status = computeLaunchConfig(kernel, 0, segsumArgs(1, 16 * 65535 + 1), launch);
  EXPECT_EQ(status.code(), StatusCode::OutOfRange);
  EXPECT_NE(status.message().find("grid y"), std::string::npos);
  GridLimits small;
  small.maxZ = 3;
  status = computeLaunchConfig(kernel, 0, segsumArgs(1, 128), launch, small);
  EXPECT_NE(status.message().find("grid z"), std::string::npos);
}

TEST(GridTest, NegativeGridIsAnError) {
  pkg::Kernel kernel = synthetic::segsumExpKernel();
  LaunchConfig launch;
  Status status = computeLaunchConfig(kernel, 0, segsumArgs(-1, 64), launch);
  EXPECT_EQ(status.code(), StatusCode::OutOfRange);
  EXPECT_NE(status.message().find("negative"), std::string::npos);
}

TEST(GridTest, UnknownConfigIsAnError) {
  pkg::Kernel kernel = synthetic::segsumExpKernel();
  LaunchConfig launch;
  EXPECT_EQ(computeLaunchConfig(kernel, 6, segsumArgs(1, 64), launch).code(), StatusCode::NotFound);
}

TEST(GridTest, DescribeConfigAndKeys) {
  pkg::Kernel kernel = synthetic::segsumExpKernel();
  EXPECT_EQ(describeConfig(kernel, 3), "BLOCK_M=32,BLOCK_N=64");
  EXPECT_EQ(keyValues(kernel, segsumArgs(2, 100)), (std::vector<int64_t>{2, 100}));
}

} // namespace
