//===- Tile.h - the tile dialect --------------------------------*- C++ -*-===//
#ifndef SSDC_DIALECT_TILE_IR_TILE_H
#define SSDC_DIALECT_TILE_IR_TILE_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/TensorEncoding.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "ssdc/Runtime/Package.h"

#include <optional>

#include "ssdc/Dialect/Tile/IR/TileDialect.h.inc"
#include "ssdc/Dialect/Tile/IR/TileEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ssdc/Dialect/Tile/IR/TileAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "ssdc/Dialect/Tile/IR/TileTypes.h.inc"

#define GET_OP_CLASSES
#include "ssdc/Dialect/Tile/IR/TileOps.h.inc"

namespace ssdc::tile {

/// One dimension of a tile's shape: a constant or a tuning-parameter name.
struct SymDim {
  int64_t size = 0;       // meaningful when `param` is null
  mlir::StringAttr param; // the parameter naming a dynamic dimension
  bool operator==(const SymDim &o) const { return param == o.param && (param || size == o.size); }
  bool operator!=(const SymDim &o) const { return !(*this == o); }
};
using SymShape = llvm::SmallVector<SymDim, 4>;

/// The symbolic shape of a tile type (static dims and #tile.dims names).
/// Fails, with a diagnostic through `emitError` when given, on a dynamic
/// dimension that no #tile.dims name covers.
mlir::FailureOr<SymShape>
getSymShape(mlir::RankedTensorType type,
            llvm::function_ref<mlir::InFlightDiagnostic()> emitError = nullptr);

/// The tile type of `shape` with element type `elementType`.
mlir::RankedTensorType getTileType(mlir::MLIRContext *ctx, llvm::ArrayRef<SymDim> shape,
                                   mlir::Type elementType);

/// Prints a shape as `BLOCK_M x 16` for diagnostics.
std::string formatSymShape(llvm::ArrayRef<SymDim> shape);

/// The package element type of `type` (ElementTypes.def), or none for a type
/// that no buffer holds.
std::optional<pkg::ElemType> getElemType(mlir::Type type);

/// Whether values of `compute` are loaded from and stored to buffers of
/// `storage`: the same type, or f32 for f16 and bf16 (widened exactly on a
/// load, rounded to nearest even on a store: tiles compute in f32 while
/// buffers hold half-width floats).
bool isComputeTypeOf(mlir::Type compute, mlir::Type storage);

/// The attribute tile-specialize puts on each kernel it makes: a dictionary
/// from parameter name to the value the kernel was specialized for.
inline constexpr llvm::StringLiteral kConfigAttrName = "tile.config";

/// The name of the reserved parameter that sets the program's warp count.
inline constexpr llvm::StringLiteral kNumWarps = "num_warps";
/// The most warps a program may have: CUDA's 1024 threads per block.
inline constexpr int64_t kMaxNumWarps = pkg::kMaxBlockThreads / 32;
/// The most configs a kernel's tuning space may hold (the product of its
/// parameters' candidate counts): every one is compiled into the package.
inline constexpr int64_t kMaxTuningConfigs = 4096;
static_assert(kMaxTuningConfigs <= pkg::kMaxConfigs, "every config must fit in a package");
/// The name of the reserved parameter that sets the pipelining depth.
inline constexpr llvm::StringLiteral kNumStages = "num_stages";
/// The name of the reserved parameter that asks ptxas to fit that many
/// programs on a multiprocessor (PTX's .minnctapersm, CUDA's
/// __launch_bounds__ second argument): it caps the registers a thread may use,
/// trading spills for occupancy.
inline constexpr llvm::StringLiteral kMinProgramsPerSM = "min_programs_per_sm";
/// The most programs a multiprocessor holds at once (sm_80 to sm_100).
inline constexpr int64_t kMaxProgramsPerSM = 32;

} // namespace ssdc::tile

#endif // SSDC_DIALECT_TILE_IR_TILE_H
