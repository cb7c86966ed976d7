//===- Layout.cpp - helpers shared by the tile-to-gpu patterns ------------===//
#include "Layout.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace ssdc::layout {

/// TileLayout::splitsBySlot. Slot s of thread t is at linear index
/// q R + t w + r, where R = threads x w is one round of chunks, q = s / w and
/// r = s % w. The innermost digit of t w and of q R is a multiple of w, which
/// divides the innermost dimension, so adding r never carries. Nor does
/// adding q R and t w (< R) when, for some axis k with S_k the product of the
/// dimensions after it, R = m S_k with m dividing d_k (or k = 0, which has no
/// axis to carry into): q R then lies on the axes up to k, with a multiple of
/// m on axis k, and t w on the axes from k, with less than m on axis k. A
/// tile of one round (q = 0) always splits.
static bool splitsBySlotOf(ArrayRef<int64_t> shape, int64_t threads, int64_t chunkWidth,
                           int64_t perThread) {
  if (perThread <= chunkWidth)
    return true;
  int64_t round = threads * chunkWidth, after = 1;
  for (int64_t axis = static_cast<int64_t>(shape.size()) - 1; axis >= 0; --axis) {
    if (round % after == 0 && (axis == 0 || shape[axis] % (round / after) == 0))
      return true;
    after *= shape[axis];
  }
  return false;
}

TileLayout::TileLayout(RankedTensorType type, int64_t threads)
    : type(type), threads(threads), numElements(type.getNumElements()),
      chunkWidth(tile::chunkedLayoutWidth(type.getShape(), threads)),
      perThread(std::max<int64_t>(1, llvm::divideCeil(numElements, threads * chunkWidth)) *
                chunkWidth),
      splitsBySlot(splitsBySlotOf(type.getShape(), threads, chunkWidth, perThread)) {}

int64_t TileLayout::firstLinearIndex(int64_t slot) const {
  return (slot / chunkWidth) * threads * chunkWidth + slot % chunkWidth;
}

SmallVector<int64_t> TileLayout::indexOf(int64_t linear) const {
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> index(shape.size());
  for (int64_t axis = static_cast<int64_t>(shape.size()) - 1; axis >= 0; --axis) {
    index[axis] = axis == 0 ? linear : linear % shape[axis];
    linear /= shape[axis];
  }
  return index;
}

Value constantI32(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIntOp::create(b, loc, value, 32);
}

Value clampToI32(OpBuilder &b, Location loc, Value value) {
  auto bound = [&](int64_t limit) -> Value {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(value.getType(), limit));
  };
  Value clamped = arith::MaxSIOp::create(b, loc, value, bound(INT32_MIN));
  clamped = arith::MinSIOp::create(b, loc, clamped, bound(INT32_MAX));
  return arith::IndexCastOp::create(b, loc, b.getI32Type(), clamped);
}

/// `x + y` in i32, without an add of the constant 0.
static Value addI32(OpBuilder &b, Location loc, Value x, Value y) {
  if (matchPattern(y, m_Zero()))
    return x;
  if (matchPattern(x, m_Zero()))
    return y;
  return b.createOrFold<arith::AddIOp>(loc, x, y, arith::IntegerOverflowFlags::nuw);
}

OwnedIndices::OwnedIndices(OpBuilder &b, Location loc, const TileLayout &layout)
    : loc(loc), layout(&layout) {
  Value tid = arith::IndexCastUIOp::create(b, loc, b.getI32Type(), threadId(b, loc));
  firstLinear = layout.chunkWidth == 1
                    ? tid
                    : arith::MulIOp::create(b, loc, tid, constantI32(b, loc, layout.chunkWidth),
                                            arith::IntegerOverflowFlags::nuw);
  if (layout.splitsBySlot) {
    thread = delinearize(b, loc, firstLinear, layout.type.getShape());
    return;
  }
  Value zero = constantI32(b, loc, 0);
  thread.assign(layout.type.getRank(), zero);
}

SmallVector<Value> OwnedIndices::slotPart(OpBuilder &b, int64_t slot) const {
  int64_t first = layout->firstLinearIndex(slot);
  if (layout->splitsBySlot)
    return llvm::map_to_vector(layout->indexOf(first),
                               [&](int64_t value) { return constantI32(b, loc, value); });
  return delinearize(b, loc, addI32(b, loc, firstLinear, constantI32(b, loc, first)),
                     layout->type.getShape());
}

SmallVector<Value> OwnedIndices::index(OpBuilder &b, int64_t slot) const {
  SmallVector<Value> part = slotPart(b, slot);
  for (auto [value, threadValue] : llvm::zip(part, thread))
    value =
        arith::IndexCastUIOp::create(b, loc, b.getIndexType(), addI32(b, loc, threadValue, value));
  return part;
}

Value OwnedIndices::linear(OpBuilder &b, int64_t slot, Type type) const {
  Value value = addI32(b, loc, firstLinear, constantI32(b, loc, layout->firstLinearIndex(slot)));
  if (!type || type.isIndex())
    return arith::IndexCastUIOp::create(b, loc, b.getIndexType(), value);
  unsigned width = type.getIntOrFloatBitWidth();
  if (width > 32)
    return arith::ExtUIOp::create(b, loc, type, value);
  return width < 32 ? arith::TruncIOp::create(b, loc, type, value).getResult() : value;
}

Value OwnedIndices::inTile(OpBuilder &b, int64_t slot) const {
  if (!layout->mayBePadding(slot))
    return Value();
  int64_t room = layout->numElements - layout->firstLinearIndex(slot);
  if (room <= 0)
    return arith::ConstantIntOp::create(b, loc, 0, 1);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, firstLinear,
                               constantI32(b, loc, room));
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

Value sameInEveryLane(OpBuilder &b, Location loc, Value value) {
  Value word = arith::IndexCastUIOp::create(b, loc, b.getI32Type(), value);
  Value shuffled =
      gpu::ShuffleOp::create(b, loc, word, 0, kWarpSize, gpu::ShuffleMode::IDX).getShuffleResult();
  return arith::IndexCastUIOp::create(b, loc, b.getIndexType(), shuffled);
}

SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value linear, ArrayRef<int64_t> shape) {
  SmallVector<Value> indices(shape.size());
  Value rest = linear;
  for (int64_t axis = static_cast<int64_t>(shape.size()) - 1; axis >= 0; --axis) {
    if (axis == 0) {
      indices[axis] = rest;
      break;
    }
    Value size = arith::ConstantOp::create(b, loc, b.getIntegerAttr(linear.getType(), shape[axis]));
    indices[axis] = arith::RemUIOp::create(b, loc, rest, size);
    rest = arith::DivUIOp::create(b, loc, rest, size);
  }
  return indices;
}

Value linearize(OpBuilder &b, Location loc, ValueRange indices, ArrayRef<int64_t> shape) {
  Value linear = arith::ConstantIndexOp::create(b, loc, 0);
  for (auto [index, size] : llvm::zip(indices, shape)) {
    Value scaled =
        b.createOrFold<arith::MulIOp>(loc, linear, arith::ConstantIndexOp::create(b, loc, size));
    linear = b.createOrFold<arith::AddIOp>(loc, scaled, index);
  }
  return linear;
}

Value buildOwnedVector(
    OpBuilder &b, Location loc, const TileLayout &layout,
    function_ref<Value(OpBuilder &, Location, int64_t, const OwnedIndices &)> element) {
  return buildOwnedVector(b, loc, OwnedIndices(b, loc, layout), element);
}

Value buildOwnedVector(
    OpBuilder &b, Location loc, const OwnedIndices &owned,
    function_ref<Value(OpBuilder &, Location, int64_t, const OwnedIndices &)> element) {
  const TileLayout &layout = owned.tileLayout();
  Value vector =
      arith::ConstantOp::create(b, loc, llvm::cast<TypedAttr>(b.getZeroAttr(layout.vectorType())));
  for (int64_t slot = 0; slot < layout.perThread; ++slot) {
    Value scalar = element(b, loc, slot, owned);
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
  OwnedIndices owned(b, loc, layout);
  // One vector store per chunk: the scalar stores of a chunk, each with its
  // own index arithmetic, are not always merged by LLVM, and scalar stores of
  // 16-byte-apart chunks hit a quarter of the banks (a 4-way conflict for
  // f32: ncu, bench/NOTES.md "Register pressure and bank conflicts").
  Type elementType = layout.type.getElementType();
  int64_t width =
      chunksStayContiguous && elementType.getIntOrFloatBitWidth() >= 8 ? layout.chunkWidth : 1;
  for (int64_t first = 0; first < layout.perThread; first += width) {
    Value linear = owned.linear(b, first);
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
    Value inTile = owned.inTile(b, first);
    if (!inTile) {
      store(b);
      continue;
    }
    auto guard = scf::IfOp::create(b, loc, inTile, /*withElse=*/false);
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

Value readOwnedElements(OpBuilder &b, Location loc, const TileLayout &layout, Value array) {
  return buildOwnedVector(
      b, loc, layout, [&](OpBuilder &builder, Location l, int64_t slot, const OwnedIndices &owned) {
        return readShared(builder, l, array, owned.linear(builder, slot),
                          layout.mayBePadding(slot));
      });
}

Value readShared(OpBuilder &b, Location loc, Value array, Value index, bool mayBeOutside) {
  if (!mayBeOutside)
    return memref::LoadOp::create(b, loc, array, index);
  int64_t size = llvm::cast<MemRefType>(array.getType()).getNumElements();
  Value last = arith::ConstantIndexOp::create(b, loc, size - 1);
  Value clamped = arith::MinUIOp::create(b, loc, index, last);
  return memref::LoadOp::create(b, loc, array, clamped);
}

void barrier(OpBuilder &b, Location loc) { gpu::BarrierOp::create(b, loc); }

} // namespace ssdc::layout
