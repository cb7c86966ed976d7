//===- Layout.h - helpers shared by the tile-to-gpu patterns ----*- C++ -*-===//
//
// The chunked layout of TileToGPU.h in code: which elements a thread owns, and
// how tiles move between threads through shared memory.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_LIB_CONVERSION_TILETOGPU_LAYOUT_H
#define SSDC_LIB_CONVERSION_TILETOGPU_LAYOUT_H

#include "ssdc/Conversion/TileToGPU/TileToGPU.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"

#include "mlir/IR/Builders.h"

namespace ssdc::layout {

/// Lanes of a warp (every program is whole warps: num_warps * 32 threads).
inline constexpr int64_t kWarpSize = 32;

/// How a static tile is spread over the threads of a program: in chunks of
/// `chunkWidth` contiguous elements (4, 2 or 1: the widest that divides the
/// innermost dimension and still gives every thread a chunk), dealt
/// round-robin to the threads. Slot s of thread t holds
/// the element of row-major linear index
///   (s / chunkWidth) * threads * chunkWidth + t * chunkWidth + s % chunkWidth,
/// so a chunk is contiguous in a row (one vector access) and neighbour
/// threads own neighbour chunks (coalesced).
struct TileLayout {
  TileLayout(mlir::RankedTensorType type, int64_t threads);
  mlir::RankedTensorType type;
  int64_t threads;
  int64_t numElements;
  int64_t chunkWidth;
  int64_t perThread;
  /// True when some thread's slots run past the end of the tile.
  bool hasPadding() const { return perThread * threads != numElements; }
  /// The linear index slot `slot` holds in thread 0.
  int64_t firstLinearIndex(int64_t slot) const;
  /// The row-major multi-index of linear index `linear`.
  llvm::SmallVector<int64_t> indexOf(int64_t linear) const;
  /// True when the multi-index of slot s in thread t is, axis by axis,
  /// indexOf(t * chunkWidth) + indexOf(firstLinearIndex(s)): adding the two
  /// parts never carries from one axis into the next (Layout.cpp says when).
  /// A thread then computes its part once, and each slot adds constants.
  bool splitsBySlot;
  /// True when slot `slot` of some thread is past the end of the tile.
  bool mayBePadding(int64_t slot) const;
  mlir::VectorType vectorType() const;
};

/// The multi-indices of the elements this thread owns of a tile, in 32-bit
/// arithmetic (a tile holds far fewer than 2^31 elements; docs/lowering.md:
/// 64 bits only for `base + offset * stride`). When the
/// layout splits by slot, slot s's index is threadPart() + slotPart(s) with
/// constant slot parts, so the thread's part is computed once; otherwise the
/// thread part is zero and each slot part is computed from its linear index.
class OwnedIndices {
public:
  OwnedIndices(mlir::OpBuilder &b, mlir::Location loc, const TileLayout &layout);
  const TileLayout &tileLayout() const { return *layout; }
  /// Per axis, i32: this thread's part of every slot's index.
  llvm::ArrayRef<mlir::Value> threadPart() const { return thread; }
  /// Per axis, i32: the rest of slot `slot`'s index (constants when the
  /// layout splits by slot).
  llvm::SmallVector<mlir::Value> slotPart(mlir::OpBuilder &b, int64_t slot) const;
  /// Per axis, as index: slot `slot`'s multi-index.
  llvm::SmallVector<mlir::Value> index(mlir::OpBuilder &b, int64_t slot) const;
  /// Slot `slot`'s linear index, as `type` (an integer type; index when
  /// null).
  mlir::Value linear(mlir::OpBuilder &b, int64_t slot, mlir::Type type = {}) const;
  /// True (i1) when slot `slot` holds an element of the tile; null when it
  /// does in every thread.
  mlir::Value inTile(mlir::OpBuilder &b, int64_t slot) const;

private:
  mlir::Location loc;
  const TileLayout *layout;
  mlir::Value firstLinear; // i32: thread id * chunk width, slot 0's linear index
  llvm::SmallVector<mlir::Value> thread;
};

/// An i32 constant.
mlir::Value constantI32(mlir::OpBuilder &b, mlir::Location loc, int64_t value);

/// `value` (index or i64) clamped into i32's range: comparisons of it with
/// in-tile indices (|index| < 2^31) keep their outcome.
mlir::Value clampToI32(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value);

/// Threads per program of the conversion `converter` (a TileLayoutTypeConverter)
/// drives.
inline int64_t threadsOf(const mlir::TypeConverter *converter) {
  return static_cast<const TileLayoutTypeConverter *>(converter)->getThreads();
}

/// This thread's id within the program (an index).
mlir::Value threadId(mlir::OpBuilder &b, mlir::Location loc);
/// `value` (index) as lane 0 of the warp holds it, by a shuffle: for a
/// value the same in every lane that ptxas cannot tell is (the warp index),
/// so that it stays in uniform registers.
mlir::Value sameInEveryLane(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value);

/// Row-major multi-index of `linear` (index or i32) in `shape` (constant
/// divisors), of `linear`'s type.
llvm::SmallVector<mlir::Value> delinearize(mlir::OpBuilder &b, mlir::Location loc,
                                           mlir::Value linear, llvm::ArrayRef<int64_t> shape);

/// Row-major linear index of `indices` in `shape`.
mlir::Value linearize(mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange indices,
                      llvm::ArrayRef<int64_t> shape);

/// Builds this thread's vector for `layout` from one scalar per slot;
/// `element(slot, owned)` computes the scalar of slot `slot`, whose indices
/// `owned` gives.
mlir::Value buildOwnedVector(mlir::OpBuilder &b, mlir::Location loc, const TileLayout &layout,
                             llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                                            int64_t, const OwnedIndices &)>
                                 element);
/// The same, for the slots of `owned`.
mlir::Value buildOwnedVector(mlir::OpBuilder &b, mlir::Location loc, const OwnedIndices &owned,
                             llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                                            int64_t, const OwnedIndices &)>
                                 element);

/// A view of dynamic shared memory as `numElements` elements of `elementType`
/// starting `byteOffset` bytes in.
mlir::Value sharedArray(mlir::OpBuilder &b, mlir::Location loc, mlir::Type elementType,
                        int64_t numElements, int64_t byteOffset);
mlir::Value sharedArray(mlir::OpBuilder &b, mlir::Location loc, mlir::Type elementType,
                        int64_t numElements, mlir::Value byteOffset);

/// Writes every element this thread owns of `vector` (tile `type`,
/// converted) into a shared array at `byteOffset`, at its linear index, and
/// returns the array. No barrier.
mlir::Value stageTile(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type,
                      mlir::Value vector, int64_t threads, int64_t byteOffset);

/// When the dot `dot` reads operand `operand` (0: a, 1: b) from an operand
/// ring (Pipelining.cpp): the ring's slot of this iteration, as
/// `numElements` elements of `elementType`; else null (stage it as usual).
mlir::Value ringSlotArray(mlir::OpBuilder &b, mlir::Location loc, unsigned operand,
                          mlir::Operation *dot, mlir::Type elementType, int64_t numElements);

/// True when the dot `dot` reads operand `operand` (0: a, 1: b) from a ring
/// whose elements are already rounded to tf32 in their slot
/// (tile::OperandRing::roundedToTf32), so that it need not round them.
bool ringRoundedToTf32(mlir::Operation *dot, unsigned operand);

/// For the dot `dot`'s operand `operand` (0: a, 1: b) of a tf32x3 wgmma
/// ring: the bytes from an element's big part to its small part in the
/// slot (tile::OperandRing::smallOffset); else 0.
int64_t ringSmallOffset(mlir::Operation *dot, unsigned operand);

/// When the op after the dot `dot` is the copy of a later iteration's ring
/// slots that ends its pipelined loop's body (Pipelining.cpp), with the
/// commit after it: moves both before `dot`, where the rewriter's insertion
/// point is, so that they are issued while the dot's asynchronous products
/// (wgmma) compute. The slots they write were read by the previous
/// iteration's dot, which every thread finished before the loop's barrier.
void moveNextRingCopies(mlir::RewriterBase &rewriter, mlir::Operation *dot);

/// The wgmma groups the dot `dot` may leave in flight at the end of its
/// loop's iteration (1 with wgmma rings of 4 or more stages, whose copies
/// then wait for it behind a second barrier, Pipelining.cpp; else 0): its
/// wait leaves that many pending, and the loop's result is waited for after
/// the loop.
int64_t wgmmaGroupsInFlight(mlir::Operation *dot);

/// Writes every element this thread owns of `vector` (a tile in `layout`)
/// into `array` at its linear index, or at `indexOf(linear)` when given
/// (padded or transposed staging). With `chunksStayContiguous` (always so
/// without `indexOf`; so for row-major padded staging, whose rows hold whole
/// chunks) each chunk is one vector store at the index of its first element.
/// No barrier.
void writeOwnedElements(
    mlir::OpBuilder &b, mlir::Location loc, const TileLayout &layout, mlir::Value vector,
    mlir::Value array,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Value)> indexOf = nullptr,
    bool chunksStayContiguous = true);

/// This thread's vector for `layout`, each owned element read from `array`
/// at its linear index (what writeOwnedElements wrote there). No barrier.
mlir::Value readOwnedElements(mlir::OpBuilder &b, mlir::Location loc, const TileLayout &layout,
                              mlir::Value array);

/// Reads `array[index]`. With `mayBeOutside` (a padding slot's index), the
/// index is clamped into the array so that it never reads out of bounds;
/// the elements a thread owns index inside it.
mlir::Value readShared(mlir::OpBuilder &b, mlir::Location loc, mlir::Value array, mlir::Value index,
                       bool mayBeOutside = true);

/// Element `position` (index: an in-tile index) of the 1-D tile that `load`
/// reads (tile::rereadableLoad), read by this thread alone
/// (MemoryLowering.cpp): from memory when inside the load's bounds, else the
/// load's `other`. With `mayBeOutside` (a padding slot's position) the
/// position is first clamped into the tile.
mlir::Value rereadElement(mlir::ConversionPatternRewriter &rewriter, mlir::Location loc,
                          tile::LoadOp load, mlir::Value position, bool mayBeOutside);

/// A barrier across the program's threads.
void barrier(mlir::OpBuilder &b, mlir::Location loc);

} // namespace ssdc::layout

#endif // SSDC_LIB_CONVERSION_TILETOGPU_LAYOUT_H
