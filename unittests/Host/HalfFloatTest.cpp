//===- HalfFloatTest.cpp - the runtime's f16/bf16 conversions vs APFloat --===//
//
// The runtime converts binary16 and bfloat16 without LLVM (it links nothing
// of it); the host interpreter's numerics depend on those conversions being
// exactly IEEE's. LLVM's APFloat is the oracle: every bit pattern decodes to
// APFloat's value, and every rounding case (each midpoint between adjacent
// values and its neighbours, overflow, underflow) encodes to APFloat's bits.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Tooling/HostBuffer.h"

#include "llvm/ADT/APFloat.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace ssdc;

namespace {
const llvm::fltSemantics &semantics(bool bfloat) {
  return bfloat ? llvm::APFloat::BFloat() : llvm::APFloat::IEEEhalf();
}

uint16_t apfloatEncode(double value, bool bfloat) {
  llvm::APFloat rounded(value);
  bool losesInfo;
  rounded.convert(semantics(bfloat), llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return static_cast<uint16_t>(rounded.bitcastToAPInt().getZExtValue());
}

double apfloatDecode(uint16_t bits, bool bfloat) {
  llvm::APFloat value(semantics(bfloat), llvm::APInt(16, bits));
  bool losesInfo;
  value.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return value.convertToDouble();
}

class HalfFloat : public testing::TestWithParam<bool> {};

TEST_P(HalfFloat, DecodesEveryBitPatternLikeAPFloat) {
  bool bfloat = GetParam();
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    double expected = apfloatDecode(uint16_t(bits), bfloat);
    double actual = decodeHalf(uint16_t(bits), bfloat);
    if (std::isnan(expected)) {
      ASSERT_TRUE(std::isnan(actual)) << std::hex << bits;
      continue;
    }
    ASSERT_EQ(actual, expected) << std::hex << bits;
    ASSERT_EQ(std::signbit(actual), std::signbit(expected)) << std::hex << bits;
  }
}

TEST_P(HalfFloat, RoundsEveryMidpointAndItsNeighboursLikeAPFloat) {
  bool bfloat = GetParam();
  auto check = [&](double value) {
    ASSERT_EQ(encodeHalf(value, bfloat), apfloatEncode(value, bfloat)) << value;
  };
  for (uint32_t bits = 0; bits < 0x7fff; ++bits) {
    double low = decodeHalf(uint16_t(bits), bfloat);
    double high = decodeHalf(uint16_t(bits + 1), bfloat);
    if (std::isnan(low) || std::isnan(high) || std::isinf(low))
      continue;
    // Beyond the largest finite value the next "value" is infinity; its
    // midpoint is where rounding overflows.
    if (std::isinf(high))
      high = low + (low - decodeHalf(uint16_t(bits - 1), bfloat));
    double midpoint = low + (high - low) / 2;
    for (double value :
         {low, midpoint, std::nextafter(midpoint, 0.0), std::nextafter(midpoint, high), high}) {
      check(value);
      check(-value);
    }
  }
}

TEST_P(HalfFloat, RoundsSpecialValuesLikeAPFloat) {
  bool bfloat = GetParam();
  for (double value :
       {0.0, -0.0, 1e-300, -1e-300, 1e300, -1e300, std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::denorm_min(), 3.4e38,
        65520.0, 65519.99, 0.1, -0.3, 1.0 / 3})
    EXPECT_EQ(encodeHalf(value, bfloat), apfloatEncode(value, bfloat)) << value;
  EXPECT_TRUE(std::isnan(decodeHalf(encodeHalf(std::nan(""), bfloat), bfloat)));
}

INSTANTIATE_TEST_SUITE_P(Formats, HalfFloat, testing::Values(false, true),
                         [](const testing::TestParamInfo<bool> &info) {
                           return info.param ? "BFloat16" : "Float16";
                         });
} // namespace
