//===- Layout.cpp - helpers shared by the tile-to-gpu patterns ------------===//
#include "Layout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace ssdc::layout {

/// 4, 2 or 1: the most contiguous elements a thread can own in a chunk of a
/// tile of this shape, without leaving threads idle that a narrower chunk
/// would use. It depends on the shape and thread count alone, so tiles of one
/// shape (an f32 tile and its i1 mask) always share one layout.
static int64_t chunkWidthOf(ArrayRef<int64_t> shape, int64_t threads) {
  int64_t inner = shape.empty() ? 1 : shape.back();
  int64_t elements = ShapedType::getNumElements(shape);
  for (int64_t width : {4, 2})
    if (inner % width == 0 && elements >= threads * width)
      return width;
  return 1;
}

TileLayout::TileLayout(RankedTensorType type, int64_t threads)
    : type(type), threads(threads), numElements(type.getNumElements()),
      chunkWidth(chunkWidthOf(type.getShape(), threads)),
      perThread(std::max<int64_t>(1, llvm::divideCeil(numElements, threads * chunkWidth)) *
                chunkWidth) {}

int64_t TileLayout::firstLinearIndex(int64_t slot) const {
  return (slot / chunkWidth) * threads * chunkWidth + slot % chunkWidth;
}

bool TileLayout::mayBePadding(int64_t slot) const {
  return firstLinearIndex(slot) + (threads - 1) * chunkWidth >= numElements;
}

VectorType TileLayout::vectorType() const {
  return VectorType::get({perThread}, type.getElementType());
}

Value threadId(OpBuilder &b, Location loc) {
  return gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
}

Value ownedLinearIndex(OpBuilder &b, Location loc, const TileLayout &layout, Value tid,
                       int64_t slot) {
  Value scaled = tid;
  if (layout.chunkWidth > 1)
    scaled = arith::MulIOp::create(b, loc, tid,
                                   arith::ConstantIndexOp::create(b, loc, layout.chunkWidth));
  int64_t first = layout.firstLinearIndex(slot);
  if (first == 0)
    return scaled;
  return arith::AddIOp::create(b, loc, scaled, arith::ConstantIndexOp::create(b, loc, first));
}

Value isInTile(OpBuilder &b, Location loc, const TileLayout &layout, Value linear) {
  Value size = arith::ConstantIndexOp::create(b, loc, layout.numElements);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, linear, size);
}

SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value linear, ArrayRef<int64_t> shape) {
  SmallVector<Value> indices(shape.size());
  Value rest = linear;
  for (int64_t axis = static_cast<int64_t>(shape.size()) - 1; axis >= 0; --axis) {
    if (axis == 0) {
      indices[axis] = rest;
      break;
    }
    Value size = arith::ConstantIndexOp::create(b, loc, shape[axis]);
    indices[axis] = arith::RemUIOp::create(b, loc, rest, size);
    rest = arith::DivUIOp::create(b, loc, rest, size);
  }
  return indices;
}

Value linearize(OpBuilder &b, Location loc, ValueRange indices, ArrayRef<int64_t> shape) {
  Value linear = arith::ConstantIndexOp::create(b, loc, 0);
  for (auto [index, size] : llvm::zip(indices, shape)) {
    Value scaled =
        arith::MulIOp::create(b, loc, linear, arith::ConstantIndexOp::create(b, loc, size));
    linear = arith::AddIOp::create(b, loc, scaled, index);
  }
  return linear;
}

Value buildOwnedVector(OpBuilder &b, Location loc, const TileLayout &layout,
                       function_ref<Value(OpBuilder &, Location, int64_t, Value)> element) {
  Value tid = threadId(b, loc);
  Value vector =
      arith::ConstantOp::create(b, loc, llvm::cast<TypedAttr>(b.getZeroAttr(layout.vectorType())));
  for (int64_t slot = 0; slot < layout.perThread; ++slot) {
    Value linear = ownedLinearIndex(b, loc, layout, tid, slot);
    Value scalar = element(b, loc, slot, linear);
    vector = vector::InsertOp::create(b, loc, scalar, vector, slot);
  }
  return vector;
}

Value sharedArray(OpBuilder &b, Location loc, Type elementType, int64_t numElements,
                  int64_t byteOffset) {
  return sharedArray(b, loc, elementType, numElements,
                     arith::ConstantIndexOp::create(b, loc, byteOffset));
}

Value sharedArray(OpBuilder &b, Location loc, Type elementType, int64_t numElements,
                  Value byteOffset) {
  auto workgroup = gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  auto bytesType = MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                                   MemRefLayoutAttrInterface(), workgroup);
  Value base = gpu::DynamicSharedMemoryOp::create(b, loc, bytesType);
  auto arrayType =
      MemRefType::get({numElements}, elementType, MemRefLayoutAttrInterface(), workgroup);
  return memref::ViewOp::create(b, loc, arrayType, base, byteOffset, ValueRange());
}

void writeOwnedElements(OpBuilder &b, Location loc, const TileLayout &layout, Value vector,
                        Value array, function_ref<Value(OpBuilder &, Value)> indexOf,
                        bool chunksStayContiguous) {
  Value tid = threadId(b, loc);
  // One vector store per chunk: the scalar stores of a chunk, each with its
  // own index arithmetic, are not always merged by LLVM, and scalar stores of
  // 16-byte-apart chunks hit a quarter of the banks (a 4-way conflict for
  // f32: ncu, bench/NOTES.md "Register pressure and bank conflicts").
  Type elementType = layout.type.getElementType();
  int64_t width =
      chunksStayContiguous && elementType.getIntOrFloatBitWidth() >= 8 ? layout.chunkWidth : 1;
  for (int64_t first = 0; first < layout.perThread; first += width) {
    Value linear = ownedLinearIndex(b, loc, layout, tid, first);
    SmallVector<int64_t> slots = llvm::to_vector(llvm::seq<int64_t>(first, first + width));
    auto store = [&](OpBuilder &builder) {
      Value index = indexOf ? indexOf(builder, linear) : linear;
      if (width == 1) {
        memref::StoreOp::create(
            builder, loc, vector::ExtractOp::create(builder, loc, vector, first), array, index);
        return;
      }
      Value chunk = vector::ShuffleOp::create(builder, loc, vector, vector, slots);
      int64_t bytes = width * elementType.getIntOrFloatBitWidth() / 8;
      vector::StoreOp::create(builder, loc, chunk, array, ValueRange{index}, /*nontemporal=*/false,
                              llvm::MaybeAlign(bytes));
    };
    // A chunk is padding as a whole: the tile holds whole chunks.
    if (!layout.mayBePadding(first)) {
      store(b);
      continue;
    }
    auto guard = scf::IfOp::create(b, loc, isInTile(b, loc, layout, linear), /*withElse=*/false);
    OpBuilder::InsertionGuard insertion(b);
    b.setInsertionPointToStart(guard.thenBlock());
    store(b);
  }
}

Value stageTile(OpBuilder &b, Location loc, RankedTensorType type, Value vector, int64_t threads,
                int64_t byteOffset) {
  TileLayout tileLayout(type, threads);
  Value array = sharedArray(b, loc, type.getElementType(), tileLayout.numElements, byteOffset);
  writeOwnedElements(b, loc, tileLayout, vector, array);
  return array;
}

Value readShared(OpBuilder &b, Location loc, Value array, Value index) {
  int64_t size = llvm::cast<MemRefType>(array.getType()).getNumElements();
  Value last = arith::ConstantIndexOp::create(b, loc, size - 1);
  Value clamped = arith::MinUIOp::create(b, loc, index, last);
  return memref::LoadOp::create(b, loc, array, clamped);
}

void barrier(OpBuilder &b, Location loc) { gpu::BarrierOp::create(b, loc); }

} // namespace ssdc::layout
