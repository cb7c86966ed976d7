//===- HostBuffer.h - a kernel buffer argument in host memory ---*- C++ -*-===//
//
// What the host interpreter reads and writes in place of device memory: a flat
// array of one of the buffer element types, stored in that type's own bytes so
// that .npy files and device copies are plain memcpys.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_TARGET_HOST_HOSTBUFFER_H
#define SSDC_TARGET_HOST_HOSTBUFFER_H

#include "ssdc/Runtime/Package.h"

#include <cstdint>
#include <vector>

namespace ssdc::host {

class HostBuffer {
public:
  /// `count` zero elements of `type`.
  HostBuffer(pkg::ElemType type, int64_t count);

  pkg::ElemType elementType() const { return type; }
  int64_t size() const { return count; }
  bool isFloat() const;

  /// Element `index` as a double (exact for every float element type).
  double loadFloat(int64_t index) const;
  /// Stores `value` rounded to nearest-even in the element type.
  void storeFloat(int64_t index, double value);
  /// Element `index` of an integer buffer, sign-extended.
  int64_t loadInt(int64_t index) const;
  /// Stores the low bits of `value` that the element type holds.
  void storeInt(int64_t index, int64_t value);

  void *data() { return bytes.data(); }
  const void *data() const { return bytes.data(); }
  size_t byteSize() const { return bytes.size(); }

private:
  pkg::ElemType type;
  int64_t count;
  std::vector<uint8_t> bytes;
};

} // namespace ssdc::host

#endif // SSDC_TARGET_HOST_HOSTBUFFER_H
