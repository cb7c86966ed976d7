//===- ElementType.h - the element types of kernel buffers ------*- C++ -*-===//
//
// The element types of ElementTypes.def as the runtime sees them: the package
// enumeration, sizes and names, and the map from C++ element types to them.
// Depends on nothing but the C++ standard library.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_RUNTIME_ELEMENTTYPE_H
#define SSDC_RUNTIME_ELEMENTTYPE_H

#include <cstdint>

namespace ssdc {

/// The bits of an IEEE binary16 / a bfloat16 value: element types with no
/// standard C++ type. A `__half *` or `at::Half *` is passed as
/// `DeviceSpan<Float16>(reinterpret_cast<Float16 *>(p), n)`.
struct Float16 {
  uint16_t bits;
};
struct BFloat16 {
  uint16_t bits;
};

namespace pkg {
/// A buffer's element type; the value is the type's byte in the package format.
enum class ElemType : uint8_t {
#define SSDC_ELEMENT_TYPE(Enum, Name, Code, ...) Enum = Code,
#include "ssdc/Runtime/ElementTypes.def"
};

/// Whether `code` is the package byte of an element type.
constexpr bool isElemTypeCode(uint8_t code) {
#define SSDC_ELEMENT_TYPE(Enum, Name, Code, ...)                                                   \
  if (code == Code)                                                                                \
    return true;
#include "ssdc/Runtime/ElementTypes.def"
  return false;
}
} // namespace pkg

/// Bytes per element of `type`; 0 for a value that names no element type.
constexpr uint32_t elemTypeSize(pkg::ElemType type) {
  switch (type) {
#define SSDC_ELEMENT_TYPE(Enum, Name, Code, Bytes, ...)                                            \
  case pkg::ElemType::Enum:                                                                        \
    return Bytes;
#include "ssdc/Runtime/ElementTypes.def"
  }
  return 0;
}

/// The dialect's name of `type` ("f32", "bf16", ...), or "unknown".
constexpr const char *elemTypeName(pkg::ElemType type) {
  switch (type) {
#define SSDC_ELEMENT_TYPE(Enum, Name, ...)                                                         \
  case pkg::ElemType::Enum:                                                                        \
    return #Name;
#include "ssdc/Runtime/ElementTypes.def"
  }
  return "unknown";
}

/// Whether `type` is a floating-point type.
constexpr bool isFloatElemType(pkg::ElemType type) {
  switch (type) {
#define SSDC_ELEMENT_TYPE(Enum, Name, Code, Bytes, IsFloat, ...)                                   \
  case pkg::ElemType::Enum:                                                                        \
    return IsFloat;
#include "ssdc/Runtime/ElementTypes.def"
  }
  return false;
}

/// The value of an IEEE binary16 (`bfloat` false) or bfloat16 (`bfloat`
/// true) bit pattern; exact.
double decodeHalf(uint16_t bits, bool bfloat);
/// `value` rounded to nearest-even in binary16 or bfloat16, with overflow to
/// infinity and gradual underflow; NaN stays NaN.
uint16_t encodeHalf(double value, bool bfloat);

/// `value` rounded to nearest-even in the float element type `type` (f32,
/// f16 or bf16): what a float scalar argument of that type receives.
double roundToElemType(pkg::ElemType type, double value);
/// The bits of `value` rounded to nearest-even in the float element type
/// `type`, zero-extended: how a float scalar argument reaches the device.
uint64_t floatBits(pkg::ElemType type, double value);

/// Maps a C++ element type to its package element type. Undefined for any
/// other type, so that a wrong element type does not compile.
template <typename T> struct ElemTypeOf;
#define SSDC_ELEMENT_TYPE(Enum, Name, Code, Bytes, IsFloat, CppType, ...)                          \
  template <> struct ElemTypeOf<CppType> {                                                         \
    static constexpr pkg::ElemType value = pkg::ElemType::Enum;                                    \
  };
#include "ssdc/Runtime/ElementTypes.def"

} // namespace ssdc

#endif // SSDC_RUNTIME_ELEMENTTYPE_H
