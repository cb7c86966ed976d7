//===- ArgsTest.cpp - Typed argument binding ------------------------------===//

#include "SyntheticPackage.h"
#include "ssdc/Runtime/Launch.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ssdc;

namespace {

class ArgsTest : public ::testing::Test {
protected:
  pkg::Kernel kernel = synthetic::segsumExpKernel();
  float cs[8] = {};
  float out[32] = {};

  Status bind(const KernelArgs &args) { return bindArgs(kernel, args, bound); }
  BoundArgs bound;
};

TEST_F(ArgsTest, PositionalArgumentsBindInOrder) {
  KernelArgs args;
  args.add(ArgValue::buffer(cs, 8))
      .add(ArgValue::buffer(out, 32))
      .add(ArgValue::scalar(2))
      .add(ArgValue::scalar(4));
  ASSERT_TRUE(bind(args).ok());
  EXPECT_EQ(bound.values[0].data, cs);
  EXPECT_EQ(bound.values[1].count, 32u);
  EXPECT_EQ(bound.values[1].bytes(), 128u);
  EXPECT_EQ(bound.ints, (std::vector<int64_t>{0, 0, 2, 4}));
}

TEST_F(ArgsTest, NamedArgumentsBindInAnyOrderAfterPositionalOnes) {
  KernelArgs args;
  args.add(ArgValue::buffer(cs, 8))
      .set("T", ArgValue::scalar(4))
      .set("out", ArgValue::buffer(out, 32))
      .set("B", ArgValue::scalar(2));
  ASSERT_TRUE(bind(args).ok());
  EXPECT_EQ(bound.values[1].data, out);
  EXPECT_EQ(bound.ints, (std::vector<int64_t>{0, 0, 2, 4}));
}

TEST_F(ArgsTest, TooManyPositionalArgumentsAreRejected) {
  KernelArgs args;
  args.add(ArgValue::buffer(cs, 8)).add(ArgValue::buffer(out, 32));
  args.add(ArgValue::scalar(2)).add(ArgValue::scalar(4)).add(ArgValue::scalar(5));
  Status status = bind(args);
  EXPECT_EQ(status.code(), StatusCode::InvalidArgument);
  EXPECT_NE(status.message().find("takes 4 arguments but was given 5"), std::string::npos);
}

TEST_F(ArgsTest, MissingArgumentIsRejected) {
  KernelArgs args;
  args.add(ArgValue::buffer(cs, 8)).add(ArgValue::buffer(out, 32));
  args.set("T", ArgValue::scalar(4));
  EXPECT_NE(bind(args).message().find("argument 2 'B' of kernel 'segsum_exp' "
                                      "is missing"),
            std::string::npos);
}

TEST_F(ArgsTest, UnknownNameIsRejected) {
  KernelArgs args;
  args.set("X", ArgValue::scalar(4));
  EXPECT_NE(bind(args).message().find("no argument named 'X'"), std::string::npos);
}

TEST_F(ArgsTest, ArgumentGivenTwiceIsRejected) {
  KernelArgs args;
  args.add(ArgValue::buffer(cs, 8)).set("cs", ArgValue::buffer(cs, 8));
  EXPECT_NE(bind(args).message().find("'cs' of kernel 'segsum_exp' is given "
                                      "twice"),
            std::string::npos);
  KernelArgs twiceByName;
  twiceByName.set("B", ArgValue::scalar(1)).set("B", ArgValue::scalar(2));
  EXPECT_NE(bind(twiceByName).message().find("given twice"), std::string::npos);
}

TEST_F(ArgsTest, WrongKindIsRejected) {
  KernelArgs intForBuffer;
  intForBuffer.add(ArgValue::scalar(8)).add(ArgValue::buffer(out, 32));
  intForBuffer.add(ArgValue::scalar(2)).add(ArgValue::scalar(4));
  EXPECT_NE(bind(intForBuffer)
                .message()
                .find("is a buffer but was given an "
                      "integer"),
            std::string::npos);
  KernelArgs bufferForInt;
  bufferForInt.add(ArgValue::buffer(cs, 8)).add(ArgValue::buffer(out, 32));
  bufferForInt.add(ArgValue::buffer(cs, 8)).add(ArgValue::scalar(4));
  EXPECT_NE(bind(bufferForInt)
                .message()
                .find("is an integer but was given a "
                      "buffer"),
            std::string::npos);
}

TEST_F(ArgsTest, WrongElementTypeIsRejected) {
  int32_t ints[8] = {};
  KernelArgs args;
  args.add(ArgValue::buffer(ints, 8)).add(ArgValue::buffer(out, 32));
  args.add(ArgValue::scalar(2)).add(ArgValue::scalar(4));
  Status status = bind(args);
  EXPECT_EQ(status.code(), StatusCode::InvalidArgument);
  EXPECT_NE(status.message().find("has element type f32 but was given a i32 "
                                  "buffer"),
            std::string::npos);
}

TEST_F(ArgsTest, NullPointerWithElementsIsRejected) {
  KernelArgs args;
  args.add(ArgValue::buffer(static_cast<float *>(nullptr), 8));
  args.add(ArgValue::buffer(out, 32)).add(ArgValue::scalar(2)).add(ArgValue::scalar(4));
  EXPECT_NE(bind(args).message().find("'cs' of kernel 'segsum_exp' is a null "
                                      "pointer with 8 elements"),
            std::string::npos);
  // An empty buffer may be null.
  KernelArgs empty;
  empty.add(ArgValue::buffer(static_cast<float *>(nullptr), 0));
  empty.add(ArgValue::buffer(out, 32)).add(ArgValue::scalar(0)).add(ArgValue::scalar(4));
  EXPECT_TRUE(bind(empty).ok());
}

TEST_F(ArgsTest, ByteSizeOverflowIsRejected) {
  KernelArgs args;
  args.add(ArgValue::buffer(cs, uint64_t(1) << 62));
  args.add(ArgValue::buffer(out, 32)).add(ArgValue::scalar(2)).add(ArgValue::scalar(4));
  EXPECT_EQ(bind(args).code(), StatusCode::OutOfRange);
}

TEST(ArgsI32Test, I32RangeIsChecked) {
  pkg::Kernel kernel = synthetic::scaleInplaceKernel();
  float x[4] = {};
  BoundArgs bound;
  for (int64_t ok : {int64_t(INT32_MAX), int64_t(INT32_MIN), int64_t(0)}) {
    KernelArgs args;
    args.add(ArgValue::buffer(x, 4)).add(ArgValue::scalar(ok));
    EXPECT_TRUE(bindArgs(kernel, args, bound).ok()) << ok;
  }
  for (int64_t bad : {int64_t(INT32_MAX) + 1, int64_t(INT32_MIN) - 1}) {
    KernelArgs args;
    args.add(ArgValue::buffer(x, 4)).add(ArgValue::scalar(bad));
    Status status = bindArgs(kernel, args, bound);
    EXPECT_EQ(status.code(), StatusCode::OutOfRange);
    EXPECT_NE(status.message().find("is i32 but was given " + std::to_string(bad)),
              std::string::npos);
  }
}

/// A kernel with one scalar argument of each float type.
pkg::Kernel floatScalarsKernel() {
  pkg::Kernel kernel;
  kernel.name = "floats";
  kernel.args = {{"limit", pkg::ArgKind::Float, pkg::ElemType::F32, pkg::Access::Read},
                 {"half", pkg::ArgKind::Float, pkg::ElemType::F16, pkg::Access::Read},
                 {"brain", pkg::ArgKind::Float, pkg::ElemType::BF16, pkg::Access::Read}};
  return kernel;
}

TEST(ArgsFloatTest, FloatScalarsBindAndPassTheirTypesBits) {
  pkg::Kernel kernel = floatScalarsKernel();
  KernelArgs args;
  args.set("brain", ArgValue::floatScalar(1.0 / 3))
      .set("limit", ArgValue::floatScalar(-INFINITY))
      .set("half", ArgValue::floatScalar(1.5));
  BoundArgs bound;
  ASSERT_TRUE(bindArgs(kernel, args, bound).ok());
  // Grid expressions and keys never read floats.
  EXPECT_EQ(bound.ints, (std::vector<int64_t>{0, 0, 0}));
  EXPECT_EQ(scalarBits(kernel.args[0], bound.values[0]), 0xff800000u); // -inf
  EXPECT_EQ(scalarBits(kernel.args[1], bound.values[1]), 0x3e00u);     // 1.5 in binary16
  // 1/3 in bfloat16 rounds to nearest even: 0x3eab (0.333984375).
  EXPECT_EQ(scalarBits(kernel.args[2], bound.values[2]), 0x3eabu);
}

TEST(ArgsFloatTest, KindsAreChecked) {
  pkg::Kernel kernel = floatScalarsKernel();
  BoundArgs bound;
  KernelArgs intForFloat;
  intForFloat.add(ArgValue::scalar(1)).add(ArgValue::floatScalar(0)).add(ArgValue::floatScalar(0));
  Status status = bindArgs(kernel, intForFloat, bound);
  EXPECT_EQ(status.code(), StatusCode::InvalidArgument);
  EXPECT_NE(status.message().find("argument 0 'limit' of kernel 'floats' is a float but was "
                                  "given an integer"),
            std::string::npos)
      << status.message();
  pkg::Kernel ints = synthetic::scaleInplaceKernel();
  float x[4] = {};
  KernelArgs floatForInt;
  floatForInt.add(ArgValue::buffer(x, 4)).add(ArgValue::floatScalar(4));
  EXPECT_NE(
      bindArgs(ints, floatForInt, bound).message().find("is an integer but was given a float"),
      std::string::npos);
}

TEST(ArgsFloatTest, FiniteValuesThatRoundToInfinityAreRejected) {
  pkg::Kernel kernel = floatScalarsKernel();
  BoundArgs bound;
  // 65520 is the first value binary16 rounds to infinity; 65504 is its largest.
  for (double bad : {65520.0, -1e6}) {
    KernelArgs args;
    args.add(ArgValue::floatScalar(0))
        .add(ArgValue::floatScalar(bad))
        .add(ArgValue::floatScalar(0));
    Status status = bindArgs(kernel, args, bound);
    EXPECT_EQ(status.code(), StatusCode::OutOfRange) << bad;
    EXPECT_NE(status.message().find("'half' of kernel 'floats' is f16 but was given"),
              std::string::npos);
  }
  KernelArgs f32Overflow;
  f32Overflow.add(ArgValue::floatScalar(1e39))
      .add(ArgValue::floatScalar(0))
      .add(ArgValue::floatScalar(0));
  EXPECT_EQ(bindArgs(kernel, f32Overflow, bound).code(), StatusCode::OutOfRange);
  // Infinities and NaN are meant, and pass; so does f16's largest value.
  KernelArgs meant;
  meant.add(ArgValue::floatScalar(NAN))
      .add(ArgValue::floatScalar(65504.0))
      .add(ArgValue::floatScalar(INFINITY));
  ASSERT_TRUE(bindArgs(kernel, meant, bound).ok());
  EXPECT_EQ(scalarBits(kernel.args[1], bound.values[1]), 0x7bffu);
  EXPECT_EQ(scalarBits(kernel.args[2], bound.values[2]), 0x7f80u);
}

} // namespace
