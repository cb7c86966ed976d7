//===- ElementType.cpp - conversions to and from the element types --------===//
//
// Written without LLVM's APFloat, which the runtime does not link;
// unittests/Host/HalfFloatTest.cpp checks them against it bit for bit.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Runtime/ElementType.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace ssdc {

namespace {

/// The layout of a 16-bit IEEE-style float: binary16 or bfloat16.
struct HalfFormat {
  int exponentBits;
  int fractionBits;
  int bias() const { return (1 << (exponentBits - 1)) - 1; }
  uint32_t exponentMask() const { return (1u << exponentBits) - 1; }
  uint32_t fractionMask() const { return (1u << fractionBits) - 1; }
};

HalfFormat halfFormat(bool bfloat) { return bfloat ? HalfFormat{8, 7} : HalfFormat{5, 10}; }

} // namespace

double decodeHalf(uint16_t bits, bool bfloat) {
  HalfFormat format = halfFormat(bfloat);
  bool negative = bits >> 15;
  uint32_t exponent = (bits >> format.fractionBits) & format.exponentMask();
  uint32_t fraction = bits & format.fractionMask();
  double magnitude;
  if (exponent == format.exponentMask())
    magnitude = fraction ? std::numeric_limits<double>::quiet_NaN()
                         : std::numeric_limits<double>::infinity();
  else if (exponent == 0) // subnormal: no implicit leading one
    magnitude = std::ldexp(fraction, 1 - format.bias() - format.fractionBits);
  else
    magnitude = std::ldexp(fraction | (1u << format.fractionBits),
                           int(exponent) - format.bias() - format.fractionBits);
  return std::copysign(magnitude, negative ? -1.0 : 1.0);
}

uint16_t encodeHalf(double value, bool bfloat) {
  HalfFormat format = halfFormat(bfloat);
  uint32_t sign = std::signbit(value) ? 0x8000u : 0u;
  uint32_t infinity = format.exponentMask() << format.fractionBits;
  if (std::isnan(value)) // a quiet NaN
    return static_cast<uint16_t>(sign | infinity | (1u << (format.fractionBits - 1)));
  double magnitude = std::fabs(value);
  int maxExponent = format.bias(), minExponent = 1 - format.bias();
  if (magnitude >= std::ldexp(1.0, maxExponent + 1))
    return static_cast<uint16_t>(sign | infinity);
  if (magnitude == 0)
    return static_cast<uint16_t>(sign);
  int exponent;
  std::frexp(magnitude, &exponent); // magnitude in [2^(exponent-1), 2^exponent)
  // Below the normal range the quantum stays that of the smallest exponent:
  // gradual underflow.
  exponent = std::max(exponent - 1, minExponent);
  // The significand in units of the last place; scaling by a power of two is
  // exact, and the result is below 2^(fractionBits+1), so the rounding is too.
  double scaled = std::ldexp(magnitude, format.fractionBits - exponent);
  double whole = std::floor(scaled), rest = scaled - whole;
  if (rest > 0.5 || (rest == 0.5 && std::fmod(whole, 2.0) == 1.0))
    whole += 1;
  auto significand = static_cast<uint32_t>(whole);
  if (significand >> (format.fractionBits + 1)) { // rounded up to the next binade
    significand >>= 1;
    ++exponent;
  }
  if (exponent > maxExponent)
    return static_cast<uint16_t>(sign | infinity);
  if (!(significand >> format.fractionBits)) // subnormal: biased exponent 0
    return static_cast<uint16_t>(sign | significand);
  return static_cast<uint16_t>(sign | (uint32_t(exponent + format.bias()) << format.fractionBits) |
                               (significand & format.fractionMask()));
}

double roundToElemType(pkg::ElemType type, double value) {
  if (type == pkg::ElemType::F32)
    return static_cast<float>(value);
  bool bfloat = type == pkg::ElemType::BF16;
  return decodeHalf(encodeHalf(value, bfloat), bfloat);
}

uint64_t floatBits(pkg::ElemType type, double value) {
  if (type == pkg::ElemType::F32) {
    float narrow = static_cast<float>(value);
    uint32_t bits;
    std::memcpy(&bits, &narrow, sizeof(bits));
    return bits;
  }
  return encodeHalf(value, type == pkg::ElemType::BF16);
}

} // namespace ssdc
