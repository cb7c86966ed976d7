//===- Layout.h - helpers shared by the tile-to-gpu patterns ----*- C++ -*-===//
//
// The chunked layout of TileToGPU.h in code: which elements a thread owns, and
// how tiles move between threads through shared memory.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_LIB_CONVERSION_TILETOGPU_LAYOUT_H
#define SSDC_LIB_CONVERSION_TILETOGPU_LAYOUT_H

#include "ssdc/Conversion/TileToGPU/TileToGPU.h"

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
  /// True when slot `slot` of some thread is past the end of the tile.
  bool mayBePadding(int64_t slot) const;
  mlir::VectorType vectorType() const;
};

/// Threads per program of the conversion `converter` (a TileLayoutTypeConverter)
/// drives.
inline int64_t threadsOf(const mlir::TypeConverter *converter) {
  return static_cast<const TileLayoutTypeConverter *>(converter)->getThreads();
}

/// This thread's id within the program (an index).
mlir::Value threadId(mlir::OpBuilder &b, mlir::Location loc);

/// The linear index of slot `slot` of thread `tid` (see TileLayout).
mlir::Value ownedLinearIndex(mlir::OpBuilder &b, mlir::Location loc, const TileLayout &layout,
                             mlir::Value tid, int64_t slot);

/// True when `linear` is an element of the tile (slots past the end are not).
mlir::Value isInTile(mlir::OpBuilder &b, mlir::Location loc, const TileLayout &layout,
                     mlir::Value linear);

/// Row-major multi-index of `linear` in `shape` (constant divisors).
llvm::SmallVector<mlir::Value> delinearize(mlir::OpBuilder &b, mlir::Location loc,
                                           mlir::Value linear, llvm::ArrayRef<int64_t> shape);

/// Row-major linear index of `indices` in `shape`.
mlir::Value linearize(mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange indices,
                      llvm::ArrayRef<int64_t> shape);

/// Builds this thread's vector for `layout` from one scalar per slot;
/// `element(slot, linear)` computes the scalar for the element at `linear`.
mlir::Value buildOwnedVector(
    mlir::OpBuilder &b, mlir::Location loc, const TileLayout &layout,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location, int64_t, mlir::Value)>
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

/// Reads `array[index]`, clamping `index` into the array so that padding
/// slots never read out of bounds.
mlir::Value readShared(mlir::OpBuilder &b, mlir::Location loc, mlir::Value array,
                       mlir::Value index);

/// A barrier across the program's threads.
void barrier(mlir::OpBuilder &b, mlir::Location loc);

} // namespace ssdc::layout

#endif // SSDC_LIB_CONVERSION_TILETOGPU_LAYOUT_H
