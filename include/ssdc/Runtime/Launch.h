//===- Launch.h - Typed kernel arguments and launch configs ---------------===//
//
// What a launch needs before any driver call: the caller's arguments checked
// against the kernel's signature (count, kinds, element types, null pointers,
// integer ranges) and the launch config (grid from the kernel's own grid
// expression, block from the config, dynamic shared memory). All of it is pure
// and runs without a GPU.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_RUNTIME_LAUNCH_H
#define SSDC_RUNTIME_LAUNCH_H

#include "ssdc/Runtime/Package.h"
#include "ssdc/Runtime/Status.h"

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace ssdc {

/// One argument value: a device buffer {pointer, element count, element type},
/// an integer scalar or a float scalar. The element count lets the runtime
/// check and copy buffers (the tuner tunes read-write buffers on scratch
/// copies). A float scalar is rounded to nearest even into the argument's
/// type (f32, f16 or bf16) at launch.
struct ArgValue {
  pkg::ArgKind kind = pkg::ArgKind::Int;
  void *data = nullptr;                    // buffers: device pointer
  uint64_t count = 0;                      // buffers: elements
  pkg::ElemType type = pkg::ElemType::I64; // buffers: element type
  int64_t value = 0;                       // ints
  double real = 0;                         // floats

  static ArgValue buffer(void *data, uint64_t count, pkg::ElemType type) {
    ArgValue arg;
    arg.kind = pkg::ArgKind::Buffer;
    arg.data = data;
    arg.count = count;
    arg.type = type;
    return arg;
  }
  template <typename T> static ArgValue buffer(T *data, uint64_t count) {
    return buffer(const_cast<void *>(static_cast<const void *>(data)), count,
                  ElemTypeOf<typename std::remove_const<T>::type>::value);
  }
  static ArgValue scalar(int64_t value) {
    ArgValue arg;
    arg.value = value;
    return arg;
  }
  static ArgValue floatScalar(double value) {
    ArgValue arg;
    arg.kind = pkg::ArgKind::Float;
    arg.real = value;
    return arg;
  }
  uint64_t bytes() const { return count * elemTypeSize(type); }
};

/// The caller's arguments: positional ones fill the signature from the first
/// argument on, named ones fill the rest, in any order.
class KernelArgs {
public:
  KernelArgs &add(const ArgValue &value) {
    positional_.push_back(value);
    return *this;
  }
  KernelArgs &set(std::string name, const ArgValue &value) {
    named_.push_back({std::move(name), value});
    return *this;
  }
  struct Named {
    std::string name;
    ArgValue value;
  };
  const std::vector<ArgValue> &positional() const { return positional_; }
  const std::vector<Named> &named() const { return named_; }

private:
  std::vector<ArgValue> positional_;
  std::vector<Named> named_;
};

/// Arguments checked against a signature, in signature order.
struct BoundArgs {
  std::vector<ArgValue> values;
  /// values[i].value for Int args and 0 for buffers: what grid expressions
  /// and tuning keys read.
  std::vector<int64_t> ints;
};

/// Checks `args` against `kernel`'s signature and orders them. Every rejection
/// (missing, extra, unknown or duplicate name, wrong kind, wrong element type,
/// null pointer with a nonzero count, byte size overflow, i32 out of range, a
/// finite float that rounds to infinity in the argument's type) is an
/// InvalidArgument or OutOfRange status naming the argument.
Status bindArgs(const pkg::Kernel &kernel, const KernelArgs &args, BoundArgs &out);

/// Device limits that a launch config is checked against; the defaults are
/// those of every CUDA device since compute capability 3.0.
struct GridLimits {
  uint64_t maxX = (1ull << 31) - 1;
  uint64_t maxY = 65535;
  uint64_t maxZ = 65535;
};

/// How one config of a kernel launches for given arguments.
struct LaunchConfig {
  uint64_t grid[3] = {1, 1, 1};
  uint32_t block[3] = {1, 1, 1};
  uint32_t sharedBytes = 0;
  /// A grid with a zero dimension launches nothing; launching it succeeds.
  bool empty() const { return grid[0] == 0 || grid[1] == 0 || grid[2] == 0; }
  std::string toString() const;
};

/// The bits that scalar argument `arg` of the kernel passes to the device
/// entry for `value` (zero-extended to 64 bits; the entry reads the low bytes
/// of a value of the argument's type).
uint64_t scalarBits(const pkg::Arg &arg, const ArgValue &value);

/// The 64-bit parameter slot of argument `arg` for `value`: a buffer's
/// pointer, else scalarBits(). The device entry reads each parameter from its
/// slot (little-endian, so a narrower scalar is the slot's first bytes).
inline uint64_t paramBits(const pkg::Arg &arg, const ArgValue &value) {
  return arg.kind == pkg::ArgKind::Buffer ? reinterpret_cast<uint64_t>(value.data)
                                          : scalarBits(arg, value);
}

/// Evaluates a postfix grid expression with 64-bit checked arithmetic.
/// `ints` is indexed by argument index, `paramValues` by parameter index.
/// Division or modulo by a non-positive value and overflow are errors;
/// FloorDiv/CeilDiv/Mod round like Python's //, -(-a // b) and %.
Status evaluateExpr(const pkg::Expr &expr, const std::vector<int64_t> &ints,
                    const std::vector<int64_t> &paramValues, int64_t &out);

/// The launch config of `kernel`'s config `configIndex` for `args`: grid from
/// the grid expressions (missing dimensions are 1), block from blockThreads,
/// shared memory from the config. A negative grid dimension or one above
/// `limits` is an OutOfRange error.
Status computeLaunchConfig(const pkg::Kernel &kernel, uint32_t configIndex, const BoundArgs &args,
                           LaunchConfig &out, const GridLimits &limits = GridLimits());

/// The values of the kernel's key arguments, in keyArgs order.
std::vector<int64_t> keyValues(const pkg::Kernel &kernel, const BoundArgs &args);

/// "NAME=V,NAME=V" for a config's parameter values.
std::string describeConfig(const pkg::Kernel &kernel, uint32_t configIndex);

} // namespace ssdc

#endif // SSDC_RUNTIME_LAUNCH_H
