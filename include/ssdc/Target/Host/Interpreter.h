//===- Interpreter.h - runs specialized tile kernels on the CPU -*- C++ -*-===//
//
// The host target: an interpreter of specialized `tile` kernels with exactly
// the dialect's semantics (docs/host-target.md says why it interprets rather
// than JIT-compiles). Every program of the grid runs, one after another. A
// live element (inside the bounds and the mask of a load or store) outside
// its buffer, an operation it cannot run, and arithmetic without a defined
// result (division by zero, a shift past the width, a float-to-int conversion
// out of range) are diagnostics at the operation's location, never a crash
// or a silent read.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_TARGET_HOST_INTERPRETER_H
#define SSDC_TARGET_HOST_INTERPRETER_H

#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Tooling/HostBuffer.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

namespace ssdc::host {

/// One kernel argument: a buffer for a `!tile.buffer` argument, a value for
/// an integer or a float one (rounded to nearest even into the argument's
/// type, as a launch does).
struct HostArgument {
  HostBuffer *buffer = nullptr;
  int64_t value = 0;
  double real = 0;
  bool isFloat = false;

  static HostArgument ofBuffer(HostBuffer &buffer) { return {&buffer, 0, 0, false}; }
  static HostArgument ofInt(int64_t value) { return {nullptr, value, 0, false}; }
  static HostArgument ofFloat(double value) { return {nullptr, 0, value, true}; }
};

struct InterpreterOptions {
  /// The most operations one program may execute: a guard against loops
  /// that never end, which is reported as an error instead of a hang.
  uint64_t maxOpsPerProgram = uint64_t(1) << 26;
};

/// The element type of a buffer argument's host buffer.
pkg::ElemType getHostElemType(tile::BufferType type);

/// The number of programs along each axis of `kernel`'s grid for the integer
/// values in `args` (the verifier keeps every other argument out of it) and the config recorded by
/// specialization (`tile.config`).
mlir::FailureOr<llvm::SmallVector<int64_t, 3>> evaluateGrid(tile::KernelOp kernel,
                                                            llvm::ArrayRef<HostArgument> args);

/// Runs every program of the specialized `kernel` on `args` (one per kernel
/// argument, in order). Diagnostics go to the context's handlers; an error
/// stops the run.
mlir::LogicalResult runKernel(tile::KernelOp kernel, llvm::ArrayRef<HostArgument> args,
                              const InterpreterOptions &options = {});

/// For each argument: the number of elements of its buffer that `kernel`
/// touches, i.e. one more than the largest index a live element reads or
/// writes (0 when none), or 0 for integer arguments. Buffer arguments may be
/// null here: the kernel then runs against an unbounded buffer whose loads
/// read zeros. No buffer is written. Exact unless the kernel's addresses or
/// control flow depend on values it loads from a null buffer.
mlir::FailureOr<llvm::SmallVector<int64_t>>
measureBufferSizes(tile::KernelOp kernel, llvm::ArrayRef<HostArgument> args,
                   const InterpreterOptions &options = {});

} // namespace ssdc::host

#endif // SSDC_TARGET_HOST_INTERPRETER_H
