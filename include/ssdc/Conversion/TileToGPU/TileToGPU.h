//===- TileToGPU.h - SIMT lowering of specialized tile kernels --*- C++ -*-===//
//
// The `tile-gpu` stage: a specialized tile.kernel (static tile shapes) becomes
// a gpu.func in which each of the program's num_warps x 32 threads holds its
// share of every tile in registers.
//
// Layout. A tile is cut into chunks of V contiguous elements (V = 4, 2 or 1,
// what divides its innermost dimension), dealt round-robin to the T threads
// of a program: thread t owns chunks t, t + T, ... and holds its elements as
// one vector<K x elem> in registers. A chunk is one vector access to global
// memory where the addresses allow, and neighbour threads own neighbour
// chunks, so row-major accesses are coalesced. Ops whose result elements depend on elements another
// thread owns (broadcast, segsum, cumsum, reduce, dot) exchange them through
// shared memory, between barriers; a dot computes in a layout of its own
// (DotLowering.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_CONVERSION_TILETOGPU_TILETOGPU_H
#define SSDC_CONVERSION_TILETOGPU_TILETOGPU_H

#include "ssdc/Dialect/Tile/IR/Tile.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace ssdc {

/// Maps tiles to the per-thread vectors of the chunked layout and buffers to
/// global pointers; everything else is left as it is.
class TileLayoutTypeConverter : public mlir::TypeConverter {
public:
  explicit TileLayoutTypeConverter(mlir::MLIRContext *ctx, int64_t threads);
  int64_t getThreads() const { return threads; }
  /// Elements of `tile` each thread holds.
  int64_t elementsPerThread(mlir::RankedTensorType tile) const;

private:
  int64_t threads;
};

/// tile.kernel -> gpu.func (in the module's gpu.module), tile.return ->
/// gpu.return, tile.program_id -> gpu.block_id.
void populateTileKernelLoweringPatterns(const TileLayoutTypeConverter &converter,
                                        mlir::RewritePatternSet &patterns);
/// arith/math on tiles, tile.splat, tile.range, tile.exp.
void populateTileElementwiseLoweringPatterns(const TileLayoutTypeConverter &converter,
                                             mlir::RewritePatternSet &patterns);
/// tile.load and tile.store.
void populateTileMemoryLoweringPatterns(const TileLayoutTypeConverter &converter,
                                        mlir::RewritePatternSet &patterns);
/// Puts a gpu.barrier before each tile.load of a readwrite buffer that a
/// tile.store to it may precede in the program, and before each such store
/// that a load of it may precede, unless both touch the same elements in the
/// same thread (same tile shape and access operands, no loop around both).
/// Runs on the tile kernel, before its conversion.
void insertBufferHazardBarriers(tile::KernelOp kernel);
/// Marks each dot accumulator that an scf.for carries and that can stay in
/// the dot's product layout (registers) through the loop, converted from
/// and to the chunked layout once, before and after the loop, instead of at
/// every dot (lib/Conversion/TileToGPU/DotLowering.cpp). Runs on the tile
/// kernel, before its conversion.
void markCarriedAccumulators(tile::KernelOp kernel);
/// With num_stages >= 2: loads every operand ring (tile::operandRings)
/// num_stages - 1 iterations ahead of its scf.for with cp.async, and marks
/// its load for populateTileRingLoweringPatterns and its dot
/// (lib/Conversion/TileToGPU/Pipelining.cpp). Runs on the tile kernel,
/// before its conversion.
void pipelineOperandLoads(tile::KernelOp kernel);
/// The loads pipelineOperandLoads marked: nothing in registers.
void populateTileRingLoweringPatterns(const TileLayoutTypeConverter &converter,
                                      mlir::RewritePatternSet &patterns);
/// tile.broadcast, tile.transpose, tile.segsum.
void populateTileExchangeLoweringPatterns(const TileLayoutTypeConverter &converter,
                                          mlir::RewritePatternSet &patterns);
/// tile.cumsum, tile.reduce: warp shuffles where the layout allows, leaving
/// gpu.subgroup_reduce ops for lowerSubgroupReduces.
void populateTileReductionLoweringPatterns(const TileLayoutTypeConverter &converter,
                                           mlir::RewritePatternSet &patterns);
/// Fully unrolls the loops over a dot's inner dimension that the tf32 and
/// tf32x3 mma.sync lowering marked (a few steps of constant trip count), with upstream's
/// scf::loopUnrollFull: straight-line steps let ptxas issue the next
/// step's ldmatrix and shared loads while this step's mmas run, which it
/// does not across a loop's back edge (LLVM's O3 leaves these loops: their
/// bodies pass its full-unroll size threshold). Runs after the conversion.
mlir::LogicalResult unrollDotInnerLoops(mlir::ModuleOp module);
/// In each pipelined loop whose body is the wait, the barrier, and one
/// unrolled mma.sync dot on its rings: the wait and barrier move to before
/// the dot's last step, followed by the next iteration's reads of its first
/// step's fragments, carried to it by the loop, so that their latency hides
/// behind the last step's mmas (lib/Conversion/TileToGPU/Pipelining.cpp).
/// Runs after unrollDotInnerLoops.
void prefetchFirstFragments(mlir::ModuleOp module);
/// tile.dot.
void populateTileDotLoweringPatterns(const TileLayoutTypeConverter &converter,
                                     mlir::RewritePatternSet &patterns);

/// The attribute on a lowered gpu.func that records its shared memory size.
inline constexpr llvm::StringLiteral kSharedBytesAttr = "ssdc.shared_bytes";
/// The attribute on a lowered gpu.func that records its threads per program.
inline constexpr llvm::StringLiteral kBlockThreadsAttr = "ssdc.block_threads";

} // namespace ssdc

#endif // SSDC_CONVERSION_TILETOGPU_TILETOGPU_H
