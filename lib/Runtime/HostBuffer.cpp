//===- HostBuffer.cpp - a kernel buffer argument in host memory -----------===//
#include "ssdc/Target/Host/HostBuffer.h"

#include "ssdc/Runtime/Launch.h"

#include "llvm/ADT/APFloat.h"

#include <cassert>
#include <cstring>

using namespace ssdc;
using namespace ssdc::host;

HostBuffer::HostBuffer(pkg::ElemType type, int64_t count)
    : type(type), count(count), bytes(static_cast<size_t>(count) * elemTypeSize(type)) {
  assert(count >= 0 && "a buffer has a non-negative size");
}

bool HostBuffer::isFloat() const {
  return type == pkg::ElemType::F32 || type == pkg::ElemType::F16 ||
         type == pkg::ElemType::BF16;
}

/// The semantics of a 16-bit float element type.
static const llvm::fltSemantics &halfSemantics(pkg::ElemType type) {
  return type == pkg::ElemType::F16 ? llvm::APFloat::IEEEhalf() : llvm::APFloat::BFloat();
}

template <typename T> static T loadAs(const std::vector<uint8_t> &bytes, int64_t index) {
  T value;
  std::memcpy(&value, bytes.data() + index * sizeof(T), sizeof(T));
  return value;
}

template <typename T> static void storeAs(std::vector<uint8_t> &bytes, int64_t index, T value) {
  std::memcpy(bytes.data() + index * sizeof(T), &value, sizeof(T));
}

double HostBuffer::loadFloat(int64_t index) const {
  assert(isFloat() && index >= 0 && index < count);
  if (type == pkg::ElemType::F32)
    return loadAs<float>(bytes, index);
  llvm::APFloat value(halfSemantics(type), llvm::APInt(16, loadAs<uint16_t>(bytes, index)));
  bool losesInfo;
  value.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return value.convertToDouble();
}

void HostBuffer::storeFloat(int64_t index, double value) {
  assert(isFloat() && index >= 0 && index < count);
  if (type == pkg::ElemType::F32) {
    storeAs<float>(bytes, index, static_cast<float>(value));
    return;
  }
  llvm::APFloat rounded(value);
  bool losesInfo;
  rounded.convert(halfSemantics(type), llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  storeAs<uint16_t>(bytes, index,
                    static_cast<uint16_t>(rounded.bitcastToAPInt().getZExtValue()));
}

int64_t HostBuffer::loadInt(int64_t index) const {
  assert(!isFloat() && index >= 0 && index < count);
  if (type == pkg::ElemType::I32)
    return loadAs<int32_t>(bytes, index);
  return loadAs<int64_t>(bytes, index);
}

void HostBuffer::storeInt(int64_t index, int64_t value) {
  assert(!isFloat() && index >= 0 && index < count);
  if (type == pkg::ElemType::I32)
    storeAs<int32_t>(bytes, index, static_cast<int32_t>(value));
  else
    storeAs<int64_t>(bytes, index, value);
}
