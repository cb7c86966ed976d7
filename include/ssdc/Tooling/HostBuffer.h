//===- HostBuffer.h - a kernel buffer argument in host memory ---*- C++ -*-===//
//
// A flat array of one of the buffer element types, stored in that type's own
// bytes so that .npy files and device copies are plain memcpys. The host
// interpreter reads and writes these in place of device memory; `ssdc run`
// builds its inputs in them for either target, so that a seed gives the same
// inputs on the host and on a GPU. Like the runtime, it depends on
// nothing but the C++ standard library.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_TOOLING_HOSTBUFFER_H
#define SSDC_TOOLING_HOSTBUFFER_H

#include "ssdc/Runtime/Package.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ssdc {

/// The most bytes `ssdc run` allocates for one buffer: a size typo should be
/// an error, not the machine's memory.
constexpr int64_t kMaxRunBufferBytes = int64_t(16) << 30;

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

/// Fills `buffer` from `seed` with splitmix64 (portable: the same values on
/// every machine and standard library): floats uniform in [-1, 1), integers
/// in (-100, 100). `argIndex`, the buffer's position in the kernel signature,
/// gives each argument its own stream.
void generateContents(HostBuffer &buffer, uint64_t seed, uint64_t argIndex);

/// Fills `buffer` with NaN (integers: the most negative value), so that
/// elements a kernel never writes stay visible.
void poisonContents(HostBuffer &buffer);

/// "N x TYPE, sum S, min A, max B, NaN K" for floats, "N x TYPE, sum S" for
/// integers: enough to compare runs at a glance. `poisoned` says the buffer
/// was poisoned before the run; NaN left in it then comes with that reason.
std::string describeContents(const HostBuffer &buffer, bool poisoned);

} // namespace ssdc

#endif // SSDC_TOOLING_HOSTBUFFER_H
