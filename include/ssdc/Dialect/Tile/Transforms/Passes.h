//===- Passes.h - tile dialect passes ---------------------------*- C++ -*-===//
#ifndef SSDC_DIALECT_TILE_TRANSFORMS_PASSES_H
#define SSDC_DIALECT_TILE_TRANSFORMS_PASSES_H

#include "ssdc/Dialect/Tile/IR/Tile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace ssdc::tile {

#define GEN_PASS_DECL
#include "ssdc/Dialect/Tile/Transforms/Passes.h.inc"

/// A tuning config: one value per parameter of a kernel, in declaration order.
using Config = llvm::SmallVector<int64_t, 4>;

/// Every config of `kernel`'s tuning space (the cartesian product of its
/// candidates, first parameter slowest), or, if `only` is non-empty, the
/// single config it describes (NAME=VALUE,...; other params take defaults).
mlir::FailureOr<llvm::SmallVector<Config>> enumerateConfigs(KernelOp kernel,
                                                            llvm::StringRef only = {});

/// The config of defaults.
Config defaultConfig(KernelOp kernel);

/// `<kernel>__<NAME>_<value>...`: the specialized kernel's symbol and PTX entry.
std::string specializedName(KernelOp kernel, llvm::ArrayRef<int64_t> config);

/// A copy of `kernel` with `config` substituted: static tiles, constant params.
mlir::FailureOr<KernelOp> specializeKernel(KernelOp kernel, llvm::ArrayRef<int64_t> config);

#define GEN_PASS_REGISTRATION
#include "ssdc/Dialect/Tile/Transforms/Passes.h.inc"

} // namespace ssdc::tile

#endif // SSDC_DIALECT_TILE_TRANSFORMS_PASSES_H
