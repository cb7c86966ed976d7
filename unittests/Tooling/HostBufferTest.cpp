//===- HostBufferTest.cpp - host buffers, generated inputs, summaries -----===//
#include "ssdc/Tooling/HostBuffer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

using namespace ssdc;

namespace {

TEST(HostBuffer, StoresAndLoadsEveryElementType) {
  HostBuffer f32(pkg::ElemType::F32, 2), f16(pkg::ElemType::F16, 2), bf16(pkg::ElemType::BF16, 2);
  f32.storeFloat(1, 0.1);
  EXPECT_EQ(f32.loadFloat(1), double(0.1f));
  f16.storeFloat(0, 1.0 / 3); // nearest binary16: 0x3555
  EXPECT_EQ(f16.loadFloat(0), 0x1.554p-2);
  f16.storeFloat(1, 70000); // past the largest binary16, 65504
  EXPECT_TRUE(std::isinf(f16.loadFloat(1)));
  bf16.storeFloat(0, 1.0 + 0x1p-8); // a tie: to even, 1.0
  EXPECT_EQ(bf16.loadFloat(0), 1.0);
  bf16.storeFloat(1, 1.0 + 3 * 0x1p-8); // a tie: to even, 1 + 2^-6
  EXPECT_EQ(bf16.loadFloat(1), 1.0 + 0x1p-6);
  HostBuffer i32(pkg::ElemType::I32, 1), i64(pkg::ElemType::I64, 1);
  i32.storeInt(0, (int64_t(1) << 32) - 5); // keeps the low 32 bits
  EXPECT_EQ(i32.loadInt(0), -5);
  i64.storeInt(0, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(i64.loadInt(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(i64.byteSize(), 8u);
}

// The rule `ssdc run` uses for both targets: the same seed and argument
// index give the same bytes, another of either gives others.
TEST(HostBuffer, GeneratesContentsFromTheSeedAndArgumentIndex) {
  auto generated = [](pkg::ElemType type, uint64_t seed, uint64_t argIndex) {
    HostBuffer buffer(type, 1000);
    generateContents(buffer, seed, argIndex);
    return buffer;
  };
  HostBuffer first = generated(pkg::ElemType::F32, 7, 0);
  HostBuffer again = generated(pkg::ElemType::F32, 7, 0);
  EXPECT_EQ(std::memcmp(first.data(), again.data(), first.byteSize()), 0);
  EXPECT_NE(std::memcmp(first.data(), generated(pkg::ElemType::F32, 8, 0).data(), first.byteSize()),
            0);
  EXPECT_NE(std::memcmp(first.data(), generated(pkg::ElemType::F32, 7, 1).data(), first.byteSize()),
            0);
  double low = 1, high = -1;
  for (int64_t i = 0; i < first.size(); ++i) {
    low = std::min(low, first.loadFloat(i));
    high = std::max(high, first.loadFloat(i));
  }
  EXPECT_GE(low, -1.0);
  EXPECT_LT(high, 1.0);
  EXPECT_LT(low, -0.9); // spread over the range, not one value
  EXPECT_GT(high, 0.9);
  // The first value of seed 0, argument 0, as an independent splitmix64 in
  // Python computes it: a change of the rule would change every recorded
  // run's inputs.
  EXPECT_EQ(generated(pkg::ElemType::F32, 0, 0).loadFloat(0), -0x1.19cfd6p-2);
}

TEST(HostBuffer, GeneratesSmallIntegers) {
  HostBuffer buffer(pkg::ElemType::I64, 1000);
  generateContents(buffer, 3, 2);
  bool negative = false;
  for (int64_t i = 0; i < buffer.size(); ++i) {
    EXPECT_GT(buffer.loadInt(i), -100);
    EXPECT_LT(buffer.loadInt(i), 100);
    negative = negative || buffer.loadInt(i) < 0;
  }
  EXPECT_TRUE(negative);
}

TEST(HostBuffer, PoisonsWithNaNOrTheMostNegativeInteger) {
  for (pkg::ElemType type : {pkg::ElemType::F32, pkg::ElemType::F16, pkg::ElemType::BF16}) {
    HostBuffer buffer(type, 3);
    poisonContents(buffer);
    for (int64_t i = 0; i < 3; ++i)
      EXPECT_TRUE(std::isnan(buffer.loadFloat(i)));
  }
  HostBuffer i32(pkg::ElemType::I32, 2), i64(pkg::ElemType::I64, 2);
  poisonContents(i32);
  poisonContents(i64);
  EXPECT_EQ(i32.loadInt(1), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(i64.loadInt(1), std::numeric_limits<int64_t>::min());
}

TEST(HostBuffer, DescribesContents) {
  HostBuffer buffer(pkg::ElemType::F32, 4);
  poisonContents(buffer);
  buffer.storeFloat(0, 1.5);
  buffer.storeFloat(1, -2);
  EXPECT_EQ(describeContents(buffer, /*poisoned=*/false),
            "4 x f32, sum -0.5, min -2, max 1.5, NaN 2");
  EXPECT_EQ(describeContents(buffer, /*poisoned=*/true),
            "4 x f32, sum -0.5, min -2, max 1.5, NaN 2 (a write-only buffer starts as NaN: "
            "elements never written stay NaN)");
  HostBuffer ints(pkg::ElemType::I32, 2);
  ints.storeInt(0, 5);
  ints.storeInt(1, -7);
  EXPECT_EQ(describeContents(ints, false), "2 x i32, sum -2");
  EXPECT_EQ(describeContents(HostBuffer(pkg::ElemType::BF16, 0), false), "0 x bf16");
}

} // namespace
