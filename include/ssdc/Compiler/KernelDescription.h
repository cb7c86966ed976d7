//===- KernelDescription.h - a tile.kernel as the runtime sees it -*- C++ -*-===//
//
// The one place that turns a kernel's declaration (signature, tuning space,
// key, grid) into the package's description of it, pkg::Kernel: the package
// builder, the C++ header generator (through the package) and `ssdc run` all
// take it from here.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_COMPILER_KERNELDESCRIPTION_H
#define SSDC_COMPILER_KERNELDESCRIPTION_H

#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Runtime/Package.h"

namespace ssdc {

/// `kernel`'s declaration as a package kernel: name, arguments, parameters,
/// key and grid, and no configs. `kernel` has passed its verifier.
pkg::Kernel describeKernel(tile::KernelOp kernel);

} // namespace ssdc

#endif // SSDC_COMPILER_KERNELDESCRIPTION_H
