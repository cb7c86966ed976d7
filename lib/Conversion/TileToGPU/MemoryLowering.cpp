//===- MemoryLowering.cpp - tile.load and tile.store ----------------------===//
//
// Each thread reads or writes the elements it owns. An element is live when
// it is inside the tile, inside `bounds` and selected by the mask; a dead
// element reads nothing (it takes `other`) and writes nothing. Neighbour
// threads own neighbour chunks, so row-major accesses are coalesced. A chunk
// whose elements are contiguous in memory (innermost stride 1) is one vector
// access (up to 16 bytes) when, at run time, the whole tile is inside its
// bounds (one test per program), the mask selects the chunk and the address
// is aligned; only the others (tile edges, masked-off parts, unaligned views)
// test element by element.
//
// A buffer of f16 or bf16 may hold an f32 tile (tile::isComputeTypeOf): the
// access moves the buffer's elements (a chunk of 4 bf16 is one 8-byte vector)
// and converts in registers, arith.extf after a load and arith.truncf (to
// nearest even: cvt.rn) before a store.
//
// Within a program, threads reach global memory in no agreed order, so a
// readwrite buffer that the program both stores to and loads from gets a
// barrier between them (insertBufferHazardBarriers): bar.sync makes the global
// writes of every thread of the block visible to the others (CUDA C++
// Programming Guide, __syncthreads). Programs of one grid are not ordered at
// all; a kernel must not read what another program writes.
//
//===----------------------------------------------------------------------===//
#include "Layout.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {
namespace {

/// The operands loads and stores share, already converted.
struct Access {
  Value pointer; // !llvm.ptr<1>
  Value base;    // index
  ValueRange offsets, strides, bounds;
  Value mask; // vector<K x i1> or null
};

/// How one thread reaches its elements of a load or store. With the slot
/// parts of layout::OwnedIndices, slot s's element is at
///   threadBase + sum over axes of slotPart(s) * strides
/// where threadBase = base + sum over axes of (offsets + threadPart) * strides
/// is computed once per access (the only 64-bit arithmetic), and it is
/// inside the bounds when, axis by axis, -start <= slotPart(s) < bound - start
/// for start = offset + threadPart: 32-bit comparisons of the slot part with
/// values clamped once (layout::clampToI32).
struct ThreadAccess {
  ThreadAccess(OpBuilder &b, Location loc, const layout::TileLayout &tileLayout,
               const Access &access)
      : loc(loc), access(access), owned(b, loc, tileLayout) {
    threadBase = access.base;
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    for (auto [axis, threadPart] : llvm::enumerate(owned.threadPart())) {
      Value start = access.offsets[axis];
      if (!matchPattern(threadPart, m_Zero()))
        start = arith::AddIOp::create(
            b, loc, start, arith::IndexCastUIOp::create(b, loc, b.getIndexType(), threadPart));
      threadBase = arith::AddIOp::create(
          b, loc, threadBase, arith::MulIOp::create(b, loc, start, access.strides[axis]));
      if (access.bounds.empty())
        continue;
      notBelow.push_back(layout::clampToI32(b, loc, arith::SubIOp::create(b, loc, zero, start)));
      below.push_back(
          layout::clampToI32(b, loc, arith::SubIOp::create(b, loc, access.bounds[axis], start)));
    }
  }

  /// The element offset (i64) of the element slot `slot` holds.
  Value address(OpBuilder &b, int64_t slot) const {
    Value address = threadBase;
    for (auto [axis, part] : llvm::enumerate(owned.slotPart(b, slot))) {
      if (matchPattern(part, m_Zero()))
        continue;
      Value offset = arith::IndexCastUIOp::create(b, loc, b.getIndexType(), part);
      if (!matchPattern(access.strides[axis], m_One()))
        offset = arith::MulIOp::create(b, loc, offset, access.strides[axis]);
      address = arith::AddIOp::create(b, loc, address, offset);
    }
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), address);
  }

  /// Whether slot `slot` holds a live element: in the tile, inside the
  /// bounds and selected by the mask.
  Value liveness(OpBuilder &b, int64_t slot) const {
    Value live = owned.inTile(b, slot);
    auto both = [&](Value condition) {
      live = live ? arith::AndIOp::create(b, loc, live, condition).getResult() : condition;
    };
    if (!access.bounds.empty())
      for (auto [axis, part] : llvm::enumerate(owned.slotPart(b, slot))) {
        both(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, part, notBelow[axis]));
        both(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, part, below[axis]));
      }
    if (access.mask)
      both(vector::ExtractOp::create(b, loc, access.mask, slot));
    return live ? live : arith::ConstantIntOp::create(b, loc, 1, 1);
  }

  Location loc;
  const Access &access;
  layout::OwnedIndices owned;
  Value threadBase;                   // index
  SmallVector<Value> notBelow, below; // i32 per axis, with bounds
};

Value elementPointer(OpBuilder &b, Location loc, Value pointer, Type elementType, Value address) {
  return LLVM::GEPOp::create(b, loc, pointer.getType(), elementType, pointer, ValueRange{address});
}

/// `value` (floats, or a vector of them) with elements of type `to`: widened
/// exactly, rounded to nearest even, or as it is when they are `to` already.
Value convertElements(OpBuilder &b, Location loc, Value value, Type to) {
  Type from = getElementTypeOrSelf(value.getType());
  if (from == to)
    return value;
  Type type = to;
  if (auto vector = llvm::dyn_cast<VectorType>(value.getType()))
    type = vector.clone(to);
  if (to.getIntOrFloatBitWidth() > from.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, type, value);
  return arith::TruncFOp::create(b, loc, type, value);
}

/// The elements of one chunk: where each is and whether it is live.
struct Chunk {
  SmallVector<Value> addresses, live;
};

Chunk describeChunk(OpBuilder &b, const ThreadAccess &thread, int64_t firstSlot, int64_t width) {
  Chunk chunk;
  for (int64_t slot = firstSlot; slot < firstSlot + width; ++slot) {
    chunk.addresses.push_back(thread.address(b, slot));
    chunk.live.push_back(thread.liveness(b, slot));
  }
  return chunk;
}

/// When a chunk can be one vector access: it is contiguous in memory (the
/// innermost stride is the constant 1) and wider than one element.
bool isVectorizable(const layout::TileLayout &tileLayout, const Access &access) {
  return tileLayout.chunkWidth > 1 && matchPattern(access.strides.back(), m_One());
}

/// True, for the whole program at once, when every element of the tile is
/// inside `bounds` (true when there are none).
Value wholeTileInBounds(OpBuilder &b, Location loc, const Access &access, ArrayRef<int64_t> shape) {
  Value inside = arith::ConstantIntOp::create(b, loc, 1, 1);
  if (access.bounds.empty())
    return inside;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  for (auto [axis, size] : llvm::enumerate(shape)) {
    Value first = access.offsets[axis];
    Value end = arith::AddIOp::create(b, loc, first, arith::ConstantIndexOp::create(b, loc, size));
    Value fits = arith::AndIOp::create(
        b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, first, zero),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, end, access.bounds[axis]));
    inside = arith::AndIOp::create(b, loc, inside, fits);
  }
  return inside;
}

/// True (i1) when `pointer` is aligned to `bytes`.
Value isAligned(OpBuilder &b, Location loc, Value pointer, int64_t bytes) {
  Value bits = LLVM::PtrToIntOp::create(b, loc, b.getI64Type(), pointer);
  Value misalignment =
      arith::AndIOp::create(b, loc, bits, arith::ConstantIntOp::create(b, loc, bytes - 1, 64));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, misalignment,
                               arith::ConstantIntOp::create(b, loc, 0, 64));
}

/// When the layout splits by slot, whether every chunk of this thread is
/// aligned to `width` elements, tested once: a chunk's innermost slot part
/// is a multiple of the width (Layout.cpp), so it is when the thread's first
/// element is and every outer stride is a multiple of the width.
Value chunksAligned(OpBuilder &b, Location loc, const ThreadAccess &thread, Type elementType,
                    int64_t width) {
  Value pointer =
      elementPointer(b, loc, thread.access.pointer, elementType,
                     arith::IndexCastOp::create(b, loc, b.getI64Type(), thread.threadBase));
  Value aligned = isAligned(b, loc, pointer, width * elementType.getIntOrFloatBitWidth() / 8);
  Value widthValue = arith::ConstantIndexOp::create(b, loc, width);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  for (Value stride : thread.access.strides.drop_back())
    aligned = arith::AndIOp::create(
        b, loc, aligned,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                              arith::RemUIOp::create(b, loc, stride, widthValue), zero));
  return aligned;
}

/// The fast path of a vectorizable chunk: its first element's pointer, and
/// whether the chunk is one aligned vector access needing no test per
/// element: the tile is inside its bounds (`tileInside`, one value per
/// program), the chunk is not padding, the mask selects all of it, and the
/// address is aligned to the vector's size (`threadAligned` for every chunk
/// of the thread, when known; else tested here). Only the slow path tests
/// each element.
std::pair<Value, Value> vectorFastPath(OpBuilder &b, Location loc,
                                       const layout::TileLayout &tileLayout,
                                       const ThreadAccess &thread, Type elementType,
                                       Value tileInside, Value threadAligned, int64_t first) {
  Value pointer =
      elementPointer(b, loc, thread.access.pointer, elementType, thread.address(b, first));
  Value fast = tileInside;
  // A chunk never straddles the end of the tile: the width divides the
  // innermost dimension, so its first element says whether it is padding.
  if (Value inTile = thread.owned.inTile(b, first))
    fast = arith::AndIOp::create(b, loc, fast, inTile);
  if (thread.access.mask)
    for (int64_t slot = first; slot < first + tileLayout.chunkWidth; ++slot)
      fast = arith::AndIOp::create(b, loc, fast,
                                   vector::ExtractOp::create(b, loc, thread.access.mask, slot));
  Value aligned = threadAligned
                      ? threadAligned
                      : isAligned(b, loc, pointer,
                                  tileLayout.chunkWidth * elementType.getIntOrFloatBitWidth() / 8);
  return {arith::AndIOp::create(b, loc, fast, aligned), pointer};
}

/// The element at `address` (i64) of `buffer` (elements of `memoryType`),
/// converted to `other`'s type, when `live`; else `other`, reading nothing.
Value loadOrOther(OpBuilder &b, Location loc, Value buffer, Type memoryType, Value address,
                  Value live, Value other) {
  Type elementType = other.getType();
  auto branch = scf::IfOp::create(b, loc, TypeRange{elementType}, live, /*withElse=*/true);
  OpBuilder thenBuilder = branch.getThenBodyBuilder(b.getListener());
  Value pointer = elementPointer(thenBuilder, loc, buffer, memoryType, address);
  Value loaded = LLVM::LoadOp::create(thenBuilder, loc, memoryType, pointer);
  scf::YieldOp::create(thenBuilder, loc, convertElements(thenBuilder, loc, loaded, elementType));
  OpBuilder elseBuilder = branch.getElseBodyBuilder(b.getListener());
  scf::YieldOp::create(elseBuilder, loc, other);
  return branch.getResult(0);
}

/// What a dead element of `load` reads as: its `other`, zero when absent.
Value otherOf(OpBuilder &b, Location loc, LoadOp load) {
  Type elementType = load.getType().getElementType();
  TypedAttr otherAttr = load.getOtherAttr() ? llvm::cast<TypedAttr>(load.getOtherAttr())
                                            : llvm::cast<TypedAttr>(b.getZeroAttr(elementType));
  return arith::ConstantOp::create(b, loc, otherAttr);
}

/// Element by element: a live element is read (as `memoryType`, converted to
/// the tile's `other`'s type), a dead one is `other`.
Value loadElements(OpBuilder &b, Location loc, const Chunk &chunk, const Access &access,
                   Type memoryType, Value other) {
  int64_t width = chunk.addresses.size();
  Value values = arith::ConstantOp::create(
      b, loc, llvm::cast<TypedAttr>(b.getZeroAttr(VectorType::get({width}, other.getType()))));
  for (int64_t i = 0; i < width; ++i)
    values = vector::InsertOp::create(
        b, loc,
        loadOrOther(b, loc, access.pointer, memoryType, chunk.addresses[i], chunk.live[i], other),
        values, i);
  return values;
}

/// Element by element: only live elements are written; `values` holds the
/// buffer's element type.
void storeElements(OpBuilder &b, Location loc, const Chunk &chunk, const Access &access,
                   Type elementType, Value values) {
  for (int64_t i = 0; i < static_cast<int64_t>(chunk.addresses.size()); ++i) {
    Value element = vector::ExtractOp::create(b, loc, values, i);
    auto branch = scf::IfOp::create(b, loc, chunk.live[i], /*withElse=*/false);
    OpBuilder thenBuilder = branch.getThenBodyBuilder(b.getListener());
    Value pointer =
        elementPointer(thenBuilder, loc, access.pointer, elementType, chunk.addresses[i]);
    LLVM::StoreOp::create(thenBuilder, loc, element, pointer);
  }
}

/// How a load or store walks its owned elements: in chunks of `width`, which
/// are vector accesses of `alignment` bytes when the access is vectorizable.
/// `elementType` is the buffer's (what memory holds), which the tile's may
/// not be.
struct ChunkPlan {
  ChunkPlan(OpBuilder &b, Location loc, const layout::TileLayout &tileLayout, const Access &access,
            Type memoryType)
      : elementType(memoryType), thread(b, loc, tileLayout, access),
        vectorizable(isVectorizable(tileLayout, access)),
        width(vectorizable ? tileLayout.chunkWidth : 1),
        alignment(width * elementType.getIntOrFloatBitWidth() / 8),
        tileInside(vectorizable ? wholeTileInBounds(b, loc, access, tileLayout.type.getShape())
                                : Value()),
        threadAligned(vectorizable && tileLayout.splitsBySlot
                          ? chunksAligned(b, loc, thread, elementType, width)
                          : Value()) {}
  Type elementType;
  ThreadAccess thread;
  bool vectorizable;
  int64_t width;
  unsigned alignment;
  Value tileInside;    // whole tile inside its bounds; only for vector accesses
  Value threadAligned; // every chunk of the thread aligned, when known
};

/// The owned elements of a tile read from memory (see tile.load).
Value emitLoad(OpBuilder &b, Location loc, const layout::TileLayout &tileLayout,
               const Access &access, Type memoryType, Value other) {
  ChunkPlan plan(b, loc, tileLayout, access, memoryType);
  Type elementType = plan.elementType;
  int64_t width = plan.width;
  auto chunkType = VectorType::get({width}, tileLayout.type.getElementType());
  auto memoryChunkType = VectorType::get({width}, elementType);
  Value result = arith::ConstantOp::create(
      b, loc, llvm::cast<TypedAttr>(b.getZeroAttr(tileLayout.vectorType())));
  for (int64_t first = 0; first < tileLayout.perThread; first += width) {
    Value values;
    if (!plan.vectorizable) {
      Chunk chunk = describeChunk(b, plan.thread, first, width);
      values = loadElements(b, loc, chunk, access, elementType, other);
    } else {
      auto [fast, pointer] = vectorFastPath(b, loc, tileLayout, plan.thread, elementType,
                                            plan.tileInside, plan.threadAligned, first);
      auto branch = scf::IfOp::create(b, loc, TypeRange{chunkType}, fast, /*withElse=*/true);
      OpBuilder thenBuilder = branch.getThenBodyBuilder(b.getListener());
      Value loaded =
          LLVM::LoadOp::create(thenBuilder, loc, memoryChunkType, pointer, plan.alignment);
      scf::YieldOp::create(thenBuilder, loc,
                           convertElements(thenBuilder, loc, loaded, chunkType.getElementType()));
      OpBuilder elseBuilder = branch.getElseBodyBuilder(b.getListener());
      Chunk chunk = describeChunk(elseBuilder, plan.thread, first, width);
      scf::YieldOp::create(elseBuilder, loc,
                           loadElements(elseBuilder, loc, chunk, access, elementType, other));
      values = branch.getResult(0);
    }
    for (int64_t i = 0; i < width; ++i)
      result = vector::InsertOp::create(b, loc, vector::ExtractOp::create(b, loc, values, i),
                                        result, first + i);
  }
  return result;
}

/// The owned elements of `tileValue` written to memory (see tile.store).
void emitStore(OpBuilder &b, Location loc, const layout::TileLayout &tileLayout,
               const Access &access, Type memoryType, Value tileValue) {
  ChunkPlan plan(b, loc, tileLayout, access, memoryType);
  Type elementType = plan.elementType;
  int64_t width = plan.width;
  Value stored = convertElements(b, loc, tileValue, elementType);
  for (int64_t first = 0; first < tileLayout.perThread; first += width) {
    SmallVector<int64_t> chunkSlots = llvm::to_vector(llvm::seq<int64_t>(first, first + width));
    Value values = vector::ShuffleOp::create(b, loc, stored, stored, chunkSlots);
    if (!plan.vectorizable) {
      Chunk chunk = describeChunk(b, plan.thread, first, width);
      storeElements(b, loc, chunk, access, elementType, values);
      continue;
    }
    auto [fast, pointer] = vectorFastPath(b, loc, tileLayout, plan.thread, elementType,
                                          plan.tileInside, plan.threadAligned, first);
    auto branch = scf::IfOp::create(b, loc, fast, /*withElse=*/true);
    OpBuilder thenBuilder = branch.getThenBodyBuilder(b.getListener());
    LLVM::StoreOp::create(thenBuilder, loc, values, pointer, plan.alignment);
    OpBuilder elseBuilder = branch.getElseBodyBuilder(b.getListener());
    Chunk chunk = describeChunk(elseBuilder, plan.thread, first, width);
    storeElements(elseBuilder, loc, chunk, access, elementType, values);
  }
}

struct LoadOpLowering : public OpConversionPattern<LoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(LoadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    layout::TileLayout tileLayout(op.getType(), layout::threadsOf(getTypeConverter()));
    Access access{adaptor.getBuffer(),  adaptor.getBase(),   adaptor.getOffsets(),
                  adaptor.getStrides(), adaptor.getBounds(), adaptor.getMask()};
    Value other = otherOf(rewriter, loc, op);
    Type memoryType = llvm::cast<BufferType>(op.getBuffer().getType()).getElementType();
    rewriter.replaceOp(op, emitLoad(rewriter, loc, tileLayout, access, memoryType, other));
    return success();
  }
};

/// Every thread reads the one element (the L1 cache serves them together).
struct LoadScalarOpLowering : public OpConversionPattern<LoadScalarOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(LoadScalarOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value address =
        arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(), adaptor.getIndex());
    Type memoryType = llvm::cast<BufferType>(op.getBuffer().getType()).getElementType();
    Value pointer = elementPointer(rewriter, loc, adaptor.getBuffer(), memoryType, address);
    Value loaded = LLVM::LoadOp::create(rewriter, loc, memoryType, pointer);
    rewriter.replaceOp(op, convertElements(rewriter, loc, loaded, op.getType()));
    return success();
  }
};

struct StoreOpLowering : public OpConversionPattern<StoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(StoreOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto tileType = llvm::cast<RankedTensorType>(op.getValue().getType());
    layout::TileLayout tileLayout(tileType, layout::threadsOf(getTypeConverter()));
    Access access{adaptor.getBuffer(),  adaptor.getBase(),   adaptor.getOffsets(),
                  adaptor.getStrides(), adaptor.getBounds(), adaptor.getMask()};
    emitStore(rewriter, loc, tileLayout, access,
              llvm::cast<BufferType>(op.getBuffer().getType()).getElementType(),
              adaptor.getValue());
    rewriter.eraseOp(op);
    return success();
  }
};

/// True when `first` may run before `second` in one program: it comes first
/// in program order, or a loop holds both (an earlier iteration).
bool mayRunBefore(Operation *first, Operation *second) {
  for (Operation *op = second->getParentOp(); op; op = op->getParentOp())
    if (llvm::isa<LoopLikeOpInterface>(op) && op->isProperAncestor(first))
      return true;
  for (Operation *op = second; op; op = op->getParentOp())
    if (Operation *ancestor = op->getBlock()->findAncestorOpInBlock(*first))
      return ancestor != op && ancestor->isBeforeInBlock(op);
  return false;
}

/// True when `load` and `store` touch, in every thread, exactly the elements
/// that thread owns in both (same tile shape, so the same layout, and the same
/// access operands), once each: then no thread reads or overwrites what another
/// wrote or read. Not so across the iterations of a loop holding both, where
/// the same SSA offsets take new values.
bool sameThreadAccess(LoadOp load, StoreOp store) {
  if (load.getType().getShape() != store.getValue().getType().getShape())
    return false;
  for (Operation *op = load->getParentOp(); op; op = op->getParentOp())
    if (llvm::isa<LoopLikeOpInterface>(op) && op->isProperAncestor(store))
      return false;
  return load.getBase() == store.getBase() && load.getOffsets() == store.getOffsets() &&
         load.getStrides() == store.getStrides() && load.getBounds() == store.getBounds();
}

} // namespace

namespace layout {
Value rereadElement(ConversionPatternRewriter &rewriter, Location loc, LoadOp load, Value position,
                    bool mayBeOutside) {
  if (mayBeOutside)
    position = arith::MinUIOp::create(
        rewriter, loc, position,
        arith::ConstantIndexOp::create(rewriter, loc, load.getType().getDimSize(0) - 1));
  Value global = arith::AddIOp::create(rewriter, loc,
                                       rewriter.getRemappedValue(load.getOffsets()[0]), position);
  Value address =
      arith::AddIOp::create(rewriter, loc, rewriter.getRemappedValue(load.getBase()),
                            arith::MulIOp::create(rewriter, loc, global,
                                                  rewriter.getRemappedValue(load.getStrides()[0])));
  Value live = arith::ConstantIntOp::create(rewriter, loc, 1, 1);
  if (!load.getBounds().empty()) {
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    live = arith::AndIOp::create(
        rewriter, loc,
        arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge, global, zero),
        arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt, global,
                              rewriter.getRemappedValue(load.getBounds()[0])));
  }
  Type memoryType = llvm::cast<BufferType>(load.getBuffer().getType()).getElementType();
  return loadOrOther(rewriter, loc, rewriter.getRemappedValue(load.getBuffer()), memoryType,
                     arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(), address),
                     live, otherOf(rewriter, loc, load));
}
} // namespace layout

void insertBufferHazardBarriers(KernelOp kernel) {
  SmallVector<LoadOp> loads;
  SmallVector<StoreOp> stores;
  kernel.walk([&](Operation *op) {
    if (auto load = llvm::dyn_cast<LoadOp>(op))
      loads.push_back(load);
    else if (auto store = llvm::dyn_cast<StoreOp>(op))
      stores.push_back(store);
  });
  auto isReadWrite = [](Value buffer) {
    return llvm::cast<BufferType>(buffer.getType()).getAccess() == tile::Access::readwrite;
  };
  llvm::SetVector<Operation *> needBarrier;
  for (LoadOp load : loads) {
    if (!isReadWrite(load.getBuffer()))
      continue;
    for (StoreOp store : stores) {
      if (store.getBuffer() != load.getBuffer() || sameThreadAccess(load, store))
        continue;
      // Read after write: the load must see every thread's store. Write after
      // read: the store must not overwrite what another thread has yet to load.
      if (mayRunBefore(store, load))
        needBarrier.insert(load);
      if (mayRunBefore(load, store))
        needBarrier.insert(store);
    }
  }
  for (Operation *op : needBarrier) {
    OpBuilder builder(op);
    gpu::BarrierOp::create(builder, op->getLoc());
  }
}

void populateTileMemoryLoweringPatterns(const TileLayoutTypeConverter &converter,
                                        RewritePatternSet &patterns) {
  patterns.add<LoadOpLowering, LoadScalarOpLowering, StoreOpLowering>(converter,
                                                                      patterns.getContext());
}

} // namespace ssdc
