//===- Pipelining.cpp - dot operands loaded ahead by cp.async -------------===//
//
// With num_stages = S >= 2, each operand ring (tile::operandRings: a load
// in an scf.for feeding only a dot operand) is filled S - 1 iterations ahead
// of its use by cp.async, so that global loads are in flight while the dots
// of earlier iterations compute (PTX ISA, "cp.async"; the scheme of
// Triton's and CUTLASS's multistage mainloops). Before the conversion
// (pipelineOperandLoads), for a loop with iterations i = 0, 1, ...:
//
//   before the loop: for s < S - 1: copy iteration s (if it exists) into
//                    slot s; commit a group
//   top of the body: wait until at most S - 2 groups are pending (iteration
//                    i's is complete); each thread rounds its own pieces of
//                    a tf32 dot's rings to tf32 in place (roundOwnPieces;
//                    for tf32x3 on wgmma it also writes their small parts);
//                    for wgmma rings a proxy fence;
//                    barrier (every thread's copies are visible, and every
//                    thread is past iteration i - 1's dot)
//   the load:        becomes nothing (RingLoadLowering); its dot reads slot
//                    i mod S (ringSlotArray, DotLowering.cpp)
//   end of the body: copy iteration i + S - 1 (if it exists) into slot
//                    (i + S - 1) mod S, the one iteration i - 1's dot read;
//                    commit a group. A wgmma dot moves these copies to issue
//                    while its products compute (moveNextRingCopies).
//
// With wgmma rings and S >= 4 each iteration waits only for the previous
// iteration's wgmma group (wgmma.wait_group 1), so one group stays in flight
// across the loop's barrier, as in Triton's and CUTLASS's Hopper mainloops.
// The copies then follow that wait and a second barrier (every warpgroup is
// past its wait, so iteration i - 1's wgmmas, which read slot (i - 1) mod S,
// are complete everywhere), still S - 1 iterations ahead: the order of
// Triton's loop (its SASS, bench/NOTES.md "wgmma copies after the wait").
// Issued before the wait instead, they could only go S - 2 ahead. At S = 3
// no group stays in flight: with the copies before the wait that measured
// slower (bench/NOTES.md, "wgmma group in flight"); this order at S = 3 is
// not measured yet.
//
// After the conversion, prefetchFirstFragments rotates a loop whose body
// is only the wait, the barrier and one unrolled mma.sync dot (not under a
// register cap, where the carried fragments spill): the wait (now for
// iteration i + 1's group, one fewer pending since this iteration's copies
// follow; S >= 3) and the barrier move to before the dot's last step,
// followed by the reads of iteration i + 1's first-step fragments, which the
// loop carries to it. ptxas then issues those ldmatrix among the last step's
// mmas and the copies, and the next iteration's first mmas need not wait
// for them: the order of CUTLASS's sm_80 multistage mainloop (MmaMultistage,
// its warp-level fragment double buffer) and Triton's prefetch pass.
//
// One group per iteration holds the copies of all the loop's rings, so the
// wait count is the same in every iteration; iterations past the end commit
// empty groups, so no epilogue is needed and nothing is in flight after the
// loop. The one barrier an iteration both publishes slot i and orders the
// reads of slot (i - 1) mod S before the copies that overwrite it.
//
// A copy is 16 bytes of a row (cp.async.cg), at the tile's first element
// plus the piece's offset from it (opaqueToLoopAnalysis says why). When the
// whole tile is inside the load's bounds and aligned and its offsets fit in
// 32 bits (one test, the same in every thread), that is all; otherwise each
// piece has the src-size operand
// counting the bytes inside the load's bounds, so the rest is zero-filled,
// as a dead element of tile.load is zero; a 16-byte piece that is not
// 16-byte aligned in global memory, or whose row starts before its bound,
// is copied element by element with ordinary loads and shared stores.
// A tf32 b for wgmma lands transposed (tile::WgmmaOperandLayout): its
// 16-byte units are 4 elements down a column of the tile, each copied by a
// 4-byte cp.async (zero-filled the same way), as Triton copies it.
//
// Why not the upstream pieces: nvgpu.device_async_copy takes a global
// memref, and ssdc's buffers are raw pointers (MemoryLowering.cpp), so the
// copy is NVVM's cp.async with the same src-size zero fill. The SCF loop
// pipeliner (scf::pipelineForLoop) peels an epilogue, and for loops with a
// trip count known only at run time (every K loop) it must predicate each op
// of it: here that is each dot's whole lowering, barriers included. The
// schedule above needs no epilogue.
//
//===----------------------------------------------------------------------===//
#include "Layout.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/MapVector.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {
namespace {

/// On a load that took a ring, and on its dot for operand a or b: where the
/// ring is (`offset`, `slot_bytes`, `stages`).
constexpr StringLiteral kRingAttr = "tile_gpu.ring";
constexpr StringLiteral kRingAAttr = "tile_gpu.ring_a";
constexpr StringLiteral kRingBAttr = "tile_gpu.ring_b";
/// On the scf.if that copies iteration i + S - 1 at the end of the body.
constexpr StringLiteral kNextCopiesAttr = "tile_gpu.next_copies";
/// On the barrier at the top of a pipelined loop's body when only the wait
/// precedes it (prefetchFirstFragments).
constexpr StringLiteral kRingHeadAttr = "tile_gpu.ring_head";

Value constantIndex(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// `value` as it is in the iteration whose induction variable is `iv`:
/// the computations of the loop body it comes from (operandRings allows only
/// side-effect-free ones on loop-invariant values) repeated on `iv`.
Value inIteration(OpBuilder &b, Value value, scf::ForOp loop, IRMapping &mapping) {
  if (Value mapped = mapping.lookupOrNull(value))
    return mapped;
  if (loop.isDefinedOutsideOfLoop(value))
    return value;
  Operation *def = value.getDefiningOp();
  for (Value operand : def->getOperands())
    inIteration(b, operand, loop, mapping);
  b.clone(*def, mapping);
  return mapping.lookup(value);
}

/// Bytes from the start of a ring to the slot of iteration
/// ((iv - lb) / step + shift) mod stages of `loop`.
Value slotByteOffset(OpBuilder &b, Location loc, scf::ForOp loop, int64_t shift, int64_t stages,
                     int64_t slotBytes) {
  Value iteration = arith::DivUIOp::create(
      b, loc, arith::SubIOp::create(b, loc, loop.getInductionVar(), loop.getLowerBound()),
      loop.getStep());
  Value shifted = arith::AddIOp::create(b, loc, iteration, constantIndex(b, loc, shift));
  Value slot = arith::RemUIOp::create(b, loc, shifted, constantIndex(b, loc, stages));
  return arith::MulIOp::create(b, loc, slot, constantIndex(b, loc, slotBytes));
}

Value i64Of(OpBuilder &b, Location loc, Value index) {
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

/// Bytes from the start of `ring`'s slot to element (`row`, `col`) of the
/// matrix it holds, `col` the first of a 16-byte unit: the tile with rows
/// `pitch` apart, or the swizzled layout wgmma reads
/// (tile::WgmmaOperandLayout, whose matrix is the tile's transpose for a
/// tf32 b).
Value slotByte(OpBuilder &b, Location loc, const OperandRing &ring, Value row, Value col,
               int64_t elementBytes) {
  if (!ring.swizzled) {
    Value element = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, row, constantIndex(b, loc, ring.pitch)), col);
    return arith::MulIOp::create(b, loc, element, constantIndex(b, loc, elementBytes));
  }
  const WgmmaOperandLayout &layout = *ring.swizzled;
  int64_t atomColumns = layout.atomColumns(), swizzleBytes = layout.swizzleBytes;
  Value block = arith::DivUIOp::create(b, loc, col, constantIndex(b, loc, atomColumns));
  Value unit = arith::DivUIOp::create(
      b, loc, arith::RemUIOp::create(b, loc, col, constantIndex(b, loc, atomColumns)),
      constantIndex(b, loc, 16 / elementBytes));
  // Row r of an atom moves its units by r x swizzleBytes / 128 (xor).
  Value phase = arith::DivUIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc, arith::RemUIOp::create(b, loc, row, constantIndex(b, loc, 8)),
                            constantIndex(b, loc, swizzleBytes)),
      constantIndex(b, loc, 128));
  Value swizzledUnit = arith::XOrIOp::create(b, loc, unit, phase);
  Value byte = arith::MulIOp::create(b, loc, block, constantIndex(b, loc, layout.blockBytes()));
  byte = arith::AddIOp::create(
      b, loc, byte, arith::MulIOp::create(b, loc, row, constantIndex(b, loc, swizzleBytes)));
  return arith::AddIOp::create(
      b, loc, byte, arith::MulIOp::create(b, loc, swizzledUnit, constantIndex(b, loc, 16)));
}

/// True when `ring`'s slot holds its tile's transpose (a tf32 b for wgmma):
/// a 16-byte unit of the slot is then 4 elements down a column of the
/// tile, copied element by element.
bool holdsTranspose(const OperandRing &ring) { return ring.swizzled && ring.swizzled->transposed; }

/// `address` through an empty inline PTX move: the same address, in which
/// LLVM's scalar evolution sees no function of the loop's induction
/// variable. Each piece of a copy is this address plus a loop-invariant
/// offset; seen as affine in the induction variable, every piece's address
/// becomes a 64-bit induction variable of its own under LLVM's loop strength
/// reduction, two instructions each an iteration, the bounds-checked pieces'
/// included (bench/NOTES.md, "Where the wgmma loop's extra instructions
/// are"). ptxas drops the move.
Value opaqueToLoopAnalysis(OpBuilder &b, Location loc, Value address) {
  return LLVM::InlineAsmOp::create(b, loc, b.getI64Type(), ValueRange{address}, "mov.b64 $0, $1;",
                                   "=l,l", /*has_side_effects=*/false, /*is_align_stack=*/false,
                                   LLVM::tailcallkind::TailCallKind::None,
                                   /*asm_dialect=*/LLVM::AsmDialectAttr(),
                                   /*operand_attrs=*/ArrayAttr())
      .getResult(0);
}

/// True in every thread alike when each piece of `load`'s tile at
/// `offsets`, whose first element is at `originAddress`, is inside its
/// bounds, each piece's element offset from the first element fits in 32
/// bits and, with `sixteenBytePieces`, each piece is 16-byte aligned in
/// global memory: the first element is aligned, rows are a multiple of 16
/// bytes apart (and at most as far apart as 32-bit offsets reach) and the
/// tile lies wholly inside the bounds (every iteration of a K loop but the
/// tail, on buffers that are aligned).
Value wholeTileInside(OpBuilder &b, Location loc, LoadOp load, Value originAddress,
                      ValueRange offsets, int64_t elementBytes, bool sixteenBytePieces) {
  RankedTensorType type = load.getType();
  auto isZero = [&](Value value, Value mask) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                 arith::AndIOp::create(b, loc, value, mask),
                                 arith::ConstantOp::create(b, loc, b.getZeroAttr(value.getType())));
  };
  Value stride = load.getStrides()[0];
  Value inside = arith::ConstantIntOp::create(b, loc, 1, 1);
  if (sixteenBytePieces)
    inside = arith::AndIOp::create(
        b, loc, isZero(originAddress, arith::ConstantIntOp::create(b, loc, 15, 64)),
        isZero(arith::MulIOp::create(b, loc, stride, constantIndex(b, loc, elementBytes)),
               constantIndex(b, loc, 15)));
  if (int64_t rows = type.getDimSize(0); rows > 1) {
    // (rows - 1) x stride + columns - 1 <= INT32_MAX, a negative stride
    // (unsigned: above the limit) included.
    int64_t widest = (std::numeric_limits<int32_t>::max() - (type.getDimSize(1) - 1)) / (rows - 1);
    inside = arith::AndIOp::create(b, loc, inside,
                                   arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, stride,
                                                         constantIndex(b, loc, widest)));
  }
  if (load.getBounds().empty())
    return inside;
  Value zero = constantIndex(b, loc, 0);
  for (auto [dim, offset, bound] : llvm::enumerate(offsets, load.getBounds())) {
    Value end = arith::AddIOp::create(b, loc, offset, constantIndex(b, loc, type.getDimSize(dim)));
    inside = arith::AndIOp::create(
        b, loc, inside,
        arith::AndIOp::create(
            b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, offset, zero),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, end, bound)));
  }
  return inside;
}

/// The first byte of `ring`'s slot `slotOffset` bytes into the ring, in
/// dynamic shared memory (where the rings lie).
Value slotStart(OpBuilder &b, Location loc, const OperandRing &ring, Value slotOffset) {
  MLIRContext *context = b.getContext();
  auto workgroup = gpu::AddressSpaceAttr::get(context, gpu::AddressSpace::Workgroup);
  Value dynamicShared =
      gpu::DynamicSharedMemoryOp::create(b, loc,
                                         MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                                                         MemRefLayoutAttrInterface(), workgroup));
  auto sharedPointer = LLVM::LLVMPointerType::get(context, 3);
  Value sharedBase = LLVM::IntToPtrOp::create(
      b, loc, sharedPointer,
      i64Of(b, loc, memref::ExtractAlignedPointerAsIndexOp::create(b, loc, dynamicShared)));
  Value slotByteOffset =
      arith::AddIOp::create(b, loc, constantIndex(b, loc, ring.offset), slotOffset);
  return LLVM::GEPOp::create(b, loc, sharedPointer, b.getI8Type(), sharedBase,
                             ValueRange{i64Of(b, loc, slotByteOffset)});
}

/// Calls `each` on every 16-byte piece of `ring`'s slot that the thread
/// `tid` copies, with where its first element is in the tile (`row`, `col`)
/// and where it lies in the slot that starts at `slot` (slotStart): chunk c
/// (16 bytes of a row of the slot's matrix) goes to thread c mod threads,
/// so neighbour threads copy neighbour pieces. A piece runs along a row of
/// the tile, or down a column of it when the slot holds the tile's
/// transpose (holdsTranspose); then neighbour chunks are neighbour columns,
/// so that each of a warp's element copies reads 32 consecutive elements.
/// (`tid` and `slot` are computed once by the caller: computed in each
/// branch of a copy, the pieces' offsets were computed twice, and ptxas gave
/// the capped bf16 mma.sync kernels 60 bytes of spill instead of 8.)
void forEachOwnPiece(OpBuilder &builder, Location loc, const OperandRing &ring, Value tid,
                     Value slot, int64_t threads,
                     function_ref<void(OpBuilder &, Value, Value, Value)> each) {
  RankedTensorType type = LoadOp(ring.load).getType();
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  int64_t chunkElements = 16 / elementBytes;
  bool transposed = holdsTranspose(ring);
  // The slot's matrix: the tile, or its transpose.
  int64_t rows = type.getDimSize(transposed ? 1 : 0), cols = type.getDimSize(transposed ? 0 : 1);
  int64_t chunksPerRow = cols / chunkElements;
  int64_t chunks = rows * chunksPerRow;
  for (int64_t first = 0; first < chunks; first += threads) {
    OpBuilder::InsertionGuard guard(builder);
    Value chunk = arith::AddIOp::create(builder, loc, tid, constantIndex(builder, loc, first));
    if (first + threads > chunks) {
      Value exists = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::ult, chunk,
                                           constantIndex(builder, loc, chunks));
      builder.setInsertionPointToStart(scf::IfOp::create(builder, loc, exists, false).thenBlock());
    }
    // The chunk's row and first column in the slot's matrix.
    Value row, col;
    if (transposed) {
      row = arith::RemUIOp::create(builder, loc, chunk, constantIndex(builder, loc, rows));
      col = arith::MulIOp::create(
          builder, loc,
          arith::DivUIOp::create(builder, loc, chunk, constantIndex(builder, loc, rows)),
          constantIndex(builder, loc, chunkElements));
    } else {
      row = arith::DivUIOp::create(builder, loc, chunk, constantIndex(builder, loc, chunksPerRow));
      col = arith::MulIOp::create(
          builder, loc,
          arith::RemUIOp::create(builder, loc, chunk, constantIndex(builder, loc, chunksPerRow)),
          constantIndex(builder, loc, chunkElements));
    }
    Value destination = LLVM::GEPOp::create(
        builder, loc, slot.getType(), builder.getI8Type(), slot,
        ValueRange{i64Of(builder, loc, slotByte(builder, loc, ring, row, col, elementBytes))});
    if (transposed)
      std::swap(row, col);
    each(builder, row, col, destination);
  }
}

/// Rounds to tf32 in place (cvt.rna, as the dot would round each operand
/// it reads) the pieces of `ring`'s slot `slotOffset` bytes into the ring
/// that this thread copied, once they have landed (OperandRing::
/// roundedToTf32); for a tf32x3 ring (OperandRing::smallOffset) also writes
/// each element's small part, tf32(x - big) (the difference is exact in
/// f32), smallOffset bytes further. Its own copies are complete after its
/// wait, so no barrier comes before; the loop's barrier publishes the slot.
void roundOwnPieces(OpBuilder &b, Location loc, const OperandRing &ring, Value slotOffset,
                    int64_t threads) {
  Type f32 = b.getF32Type();
  auto pieceType = VectorType::get({4}, f32);
  Value tid = layout::threadId(b, loc);
  Value slot = slotStart(b, loc, ring, slotOffset);
  forEachOwnPiece(
      b, loc, ring, tid, slot, threads, [&](OpBuilder &at, Value, Value, Value pointer) {
        auto round = [&](Value x) -> Value {
          return arith::BitcastOp::create(
              at, loc, f32,
              NVVM::ConvertFloatToTF32Op::create(at, loc, at.getI32Type(), x,
                                                 NVVM::FPRoundingMode::RNA));
        };
        Value piece = LLVM::LoadOp::create(at, loc, pieceType, pointer, /*alignment=*/16);
        Value big = piece, small = piece;
        for (int64_t e = 0; e < 4; ++e) {
          Value x = vector::ExtractOp::create(at, loc, piece, e);
          Value rounded = round(x);
          big = vector::InsertOp::create(at, loc, rounded, big, e);
          if (ring.smallOffset)
            small = vector::InsertOp::create(
                at, loc, round(arith::SubFOp::create(at, loc, x, rounded)), small, e);
        }
        LLVM::StoreOp::create(at, loc, big, pointer, /*alignment=*/16);
        if (ring.smallOffset)
          LLVM::StoreOp::create(
              at, loc, small,
              LLVM::GEPOp::create(
                  at, loc, pointer.getType(), at.getI8Type(), pointer,
                  ValueRange{arith::ConstantIntOp::create(at, loc, ring.smallOffset, 64)}),
              /*alignment=*/16);
      });
}

/// Issues this thread's copies of `ring`'s tile at `offsets` into the slot
/// `slotOffset` bytes into the ring (its pieces: forEachOwnPiece). When
/// the whole tile is inside and aligned (wholeTileInside, one uniform
/// branch), each piece is a plain 16-byte cp.async (four 4-byte ones down
/// a column into a transposed slot); otherwise each piece checks its own
/// bounds and alignment.
void emitRingCopy(OpBuilder &b, Location loc, const OperandRing &ring, ValueRange offsets,
                  Value slotOffset, int64_t threads) {
  LoadOp load = ring.load;
  RankedTensorType type = load.getType();
  Type elementType = type.getElementType();
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  int64_t chunkElements = 16 / elementBytes;
  MLIRContext *context = b.getContext();
  auto globalPointer = LLVM::LLVMPointerType::get(context, 1);
  // The load's buffer as the pointer the conversion gives it; the casts
  // fold away after the kernel's arguments are converted.
  Value buffer =
      UnrealizedConversionCastOp::create(b, loc, globalPointer, load.getBuffer()).getResult(0);
  Value slot = slotStart(b, loc, ring, slotOffset);
  Value tid = layout::threadId(b, loc);
  Value zero = constantIndex(b, loc, 0);
  bool bounded = !load.getBounds().empty();

  // The tile's first element, the same in every thread; each piece's
  // address is this plus the piece's offset from it, in 32 bits where the
  // whole tile is inside (wholeTileInside), in 64 otherwise.
  Value stride = load.getStrides()[0];
  Value originElement = arith::AddIOp::create(
      b, loc, load.getBase(),
      arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, offsets[0], stride), offsets[1]));
  Value originAddress = opaqueToLoopAnalysis(
      b, loc,
      LLVM::PtrToIntOp::create(b, loc, b.getI64Type(),
                               LLVM::GEPOp::create(b, loc, globalPointer, elementType, buffer,
                                                   ValueRange{i64Of(b, loc, originElement)})));
  Value origin = LLVM::IntToPtrOp::create(b, loc, globalPointer, originAddress);

  // A piece of the tile: where it starts in the tile, in the buffer and in
  // the slot, and its element offset from the tile's first element.
  struct Piece {
    Value col, globalRow, globalCol, fromOrigin, destination;
  };
  auto forEachPiece = [&](OpBuilder &builder, function_ref<void(OpBuilder &, const Piece &)> copy) {
    forEachOwnPiece(builder, loc, ring, tid, slot, threads,
                    [&](OpBuilder &at, Value row, Value col, Value destination) {
                      Piece piece;
                      piece.col = col;
                      piece.globalRow = arith::AddIOp::create(at, loc, offsets[0], row);
                      piece.globalCol = arith::AddIOp::create(at, loc, offsets[1], col);
                      piece.fromOrigin = arith::AddIOp::create(
                          at, loc, arith::MulIOp::create(at, loc, row, stride), col);
                      piece.destination = destination;
                      copy(at, piece);
                    });
  };
  auto sourceOf = [&](OpBuilder &builder, Value fromOrigin) {
    return LLVM::GEPOp::create(builder, loc, globalPointer, elementType, origin,
                               ValueRange{fromOrigin});
  };

  // True (i1) when `position` is in [0, bound).
  auto isIn = [&](OpBuilder &at, Value position, Value bound) {
    return arith::AndIOp::create(
        at, loc, arith::CmpIOp::create(at, loc, arith::CmpIPredicate::sge, position, zero),
        arith::CmpIOp::create(at, loc, arith::CmpIPredicate::slt, position, bound));
  };
  // A piece down a column of the tile (holdsTranspose): element by element,
  // by 4-byte cp.async (.ca: .cg copies 16 bytes only); `checked`, with
  // 64-bit offsets and src-size 0 (zero fill) for an element outside the
  // bounds. Copy j of a thread is element (j + col / 8) mod 4 of its piece:
  // a warp's lanes take 32 neighbour columns, whose units the swizzle puts
  // in 8 distinct 16-byte bank groups (col mod 8) and the rotation at 4
  // distinct words of each (col / 8), so each copy instruction writes 32
  // distinct banks (in the same element of every piece, 4-way conflicts)
  // and still reads whole 32-byte sectors (8 neighbour columns a row).
  bool transposed = holdsTranspose(ring);
  auto copyDownColumn = [&](OpBuilder &builder, const Piece &piece, bool checked) {
    Value colLive = checked && bounded
                        ? isIn(builder, piece.globalCol, load.getBounds()[1]).getResult()
                        : Value();
    Value rotation = arith::RemUIOp::create(
        builder, loc,
        arith::DivUIOp::create(builder, loc, piece.col, constantIndex(builder, loc, 8)),
        constantIndex(builder, loc, chunkElements));
    for (int64_t j = 0; j < chunkElements; ++j) {
      Value e = arith::RemUIOp::create(
          builder, loc,
          arith::AddIOp::create(builder, loc, rotation, constantIndex(builder, loc, j)),
          constantIndex(builder, loc, chunkElements));
      Value fromOrigin = arith::AddIOp::create(builder, loc, piece.fromOrigin,
                                               arith::MulIOp::create(builder, loc, stride, e));
      Value source = sourceOf(builder, checked ? i64Of(builder, loc, fromOrigin)
                                               : arith::IndexCastOp::create(
                                                     builder, loc, builder.getI32Type(), fromOrigin)
                                                     .getResult());
      Value target = LLVM::GEPOp::create(
          builder, loc, slot.getType(), builder.getI8Type(), piece.destination,
          ValueRange{i64Of(
              builder, loc,
              arith::MulIOp::create(builder, loc, e, constantIndex(builder, loc, elementBytes)))});
      Value bytes;
      if (colLive) {
        Value row = arith::AddIOp::create(builder, loc, piece.globalRow, e);
        Value live =
            arith::AndIOp::create(builder, loc, colLive, isIn(builder, row, load.getBounds()[0]));
        bytes = arith::SelectOp::create(
            builder, loc, live, arith::ConstantIntOp::create(builder, loc, elementBytes, 32),
            arith::ConstantIntOp::create(builder, loc, 0, 32));
      }
      NVVM::CpAsyncOp::create(builder, loc, target, source, elementBytes,
                              NVVM::LoadCacheModifierKind::CA, bytes);
    }
  };

  auto fast = scf::IfOp::create(
      b, loc, wholeTileInside(b, loc, load, originAddress, offsets, elementBytes, !transposed),
      /*withElse=*/true);
  OpBuilder inside = OpBuilder::atBlockBegin(fast.thenBlock(), b.getListener());
  forEachPiece(inside, [&](OpBuilder &builder, const Piece &piece) {
    if (transposed)
      return copyDownColumn(builder, piece, /*checked=*/false);
    Value source = sourceOf(
        builder, arith::IndexCastOp::create(builder, loc, builder.getI32Type(), piece.fromOrigin));
    NVVM::CpAsyncOp::create(builder, loc, piece.destination, source, /*size=*/16,
                            NVVM::LoadCacheModifierKind::CG, /*cpSize=*/Value());
  });
  OpBuilder anywhere = OpBuilder::atBlockBegin(fast.elseBlock(), b.getListener());
  forEachPiece(anywhere, [&](OpBuilder &builder, const Piece &piece) {
    if (transposed)
      return copyDownColumn(builder, piece, /*checked=*/true);
    Value globalRow = piece.globalRow, globalCol = piece.globalCol;
    Value source = sourceOf(builder, i64Of(builder, loc, piece.fromOrigin));
    // Live elements of the piece: a prefix of it, [0, live).
    Value rowLive = bounded ? isIn(builder, globalRow, load.getBounds()[0]).getResult() : Value();
    Value live = constantIndex(builder, loc, chunkElements);
    Value colStartsInside = arith::ConstantIntOp::create(builder, loc, 1, 1);
    if (bounded) {
      Value rest = arith::SubIOp::create(builder, loc, load.getBounds()[1], globalCol);
      live = arith::MaxSIOp::create(builder, loc, arith::MinSIOp::create(builder, loc, rest, live),
                                    zero);
      live = arith::SelectOp::create(builder, loc, rowLive, live, zero);
      colStartsInside =
          arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::sge, globalCol, zero);
    }
    Value address = LLVM::PtrToIntOp::create(builder, loc, builder.getI64Type(), source);
    Value aligned = arith::CmpIOp::create(
        builder, loc, arith::CmpIPredicate::eq,
        arith::AndIOp::create(builder, loc, address,
                              arith::ConstantIntOp::create(builder, loc, 15, 64)),
        arith::ConstantIntOp::create(builder, loc, 0, 64));
    Value whole = arith::AndIOp::create(builder, loc, aligned, colStartsInside);
    auto branch = scf::IfOp::create(builder, loc, whole, /*withElse=*/true);
    {
      OpBuilder then = OpBuilder::atBlockBegin(branch.thenBlock(), builder.getListener());
      Value bytes = arith::MulIOp::create(then, loc, live, constantIndex(then, loc, elementBytes));
      bytes = arith::IndexCastOp::create(then, loc, then.getI32Type(), bytes);
      NVVM::CpAsyncOp::create(then, loc, piece.destination, source, /*size=*/16,
                              NVVM::LoadCacheModifierKind::CG, bytes);
    }
    OpBuilder otherwise = OpBuilder::atBlockBegin(branch.elseBlock(), builder.getListener());
    for (int64_t e = 0; e < chunkElements; ++e) {
      Value position =
          arith::AddIOp::create(otherwise, loc, globalCol, constantIndex(otherwise, loc, e));
      Value elementLive = arith::ConstantIntOp::create(otherwise, loc, 1, 1);
      if (bounded)
        elementLive = arith::AndIOp::create(otherwise, loc, rowLive,
                                            isIn(otherwise, position, load.getBounds()[1]));
      auto read = scf::IfOp::create(otherwise, loc, TypeRange{elementType}, elementLive,
                                    /*withElse=*/true);
      {
        OpBuilder then = OpBuilder::atBlockBegin(read.thenBlock(), builder.getListener());
        Value pointer =
            LLVM::GEPOp::create(then, loc, globalPointer, elementType, source,
                                ValueRange{arith::ConstantIntOp::create(then, loc, e, 64)});
        scf::YieldOp::create(then, loc,
                             LLVM::LoadOp::create(then, loc, elementType, pointer).getResult());
        OpBuilder dead = OpBuilder::atBlockBegin(read.elseBlock(), builder.getListener());
        scf::YieldOp::create(
            dead, loc,
            arith::ConstantOp::create(dead, loc, dead.getZeroAttr(elementType)).getResult());
      }
      Value target = LLVM::GEPOp::create(
          otherwise, loc, slot.getType(), builder.getI8Type(), piece.destination,
          ValueRange{arith::ConstantIntOp::create(otherwise, loc, e * elementBytes, 64)});
      LLVM::StoreOp::create(otherwise, loc, read.getResult(0), target);
    }
  });
}

/// Copies iteration `iv` of the loop's rings, when `exists` (existsIteration)
/// holds, into the slot `slotOf` gives. Returns the scf.if holding the
/// copies.
scf::IfOp copyIteration(OpBuilder &b, Location loc, scf::ForOp loop, ArrayRef<OperandRing> rings,
                        Value iv, Value exists,
                        function_ref<Value(OpBuilder &, const OperandRing &)> slotOf,
                        int64_t threads) {
  OpBuilder::InsertionGuard guard(b);
  auto copies = scf::IfOp::create(b, loc, exists, /*withElse=*/false);
  b.setInsertionPointToStart(copies.thenBlock());
  for (const OperandRing &ring : rings) {
    IRMapping mapping;
    mapping.map(loop.getInductionVar(), iv);
    SmallVector<Value> offsets;
    for (Value offset : LoadOp(ring.load).getOffsets())
      offsets.push_back(inIteration(b, offset, loop, mapping));
    emitRingCopy(b, loc, ring, offsets, slotOf(b, ring), threads);
  }
  return copies;
}

/// True when `iv` is an iteration of `loop` (below its upper bound).
Value existsIteration(OpBuilder &b, Location loc, scf::ForOp loop, Value iv) {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, iv, loop.getUpperBound());
}

void pipelineLoop(scf::ForOp loop, ArrayRef<OperandRing> rings, int64_t threads) {
  Location loc = loop.getLoc();
  int64_t stages = rings.front().stages;
  bool swizzled =
      llvm::any_of(rings, [](const OperandRing &ring) { return ring.swizzled.has_value(); });
  // With wgmma rings and S >= 4, one group of wgmmas stays in flight into
  // the next iteration (layout::wgmmaGroupsInFlight); not for tf32x3, whose
  // products are added to the accumulator after each iteration's wait
  // (DotLowering.cpp).
  bool split = llvm::any_of(rings, [](const OperandRing &ring) { return ring.smallOffset != 0; });
  int64_t inFlight = swizzled && stages >= 4 && !split ? 1 : 0;
  int64_t ahead = stages - 1;
  OpBuilder b(loop);
  for (int64_t s = 0; s < ahead; ++s) {
    Value iv = arith::AddIOp::create(
        b, loc, loop.getLowerBound(),
        arith::MulIOp::create(b, loc, loop.getStep(), constantIndex(b, loc, s)));
    copyIteration(
        b, loc, loop, rings, iv, existsIteration(b, loc, loop, iv),
        [&](OpBuilder &builder, const OperandRing &ring) {
          return constantIndex(builder, loc, s * ring.slotBytes);
        },
        threads);
    NVVM::CpAsyncCommitGroupOp::create(b, loc);
  }
  b.setInsertionPointToStart(loop.getBody());
  // Iteration i's group is complete (the ahead - 1 younger ones may stay
  // pending).
  NVVM::CpAsyncWaitGroupOp::create(b, loc, ahead - 1);
  // This thread's pieces of slot i mod S have landed: rounded to tf32 where
  // the dot wants it (OperandRing::roundedToTf32), or split into big and
  // small parts (OperandRing::smallOffset), before the barrier publishes
  // them.
  for (const OperandRing &ring : rings)
    if (ring.roundedToTf32 || ring.smallOffset)
      roundOwnPieces(b, loc, ring, slotByteOffset(b, loc, loop, 0, stages, ring.slotBytes),
                     threads);
  // wgmma reads its rings through the async proxy: this thread's copies
  // (generic proxy) are ordered before those reads by a proxy fence ahead of
  // the barrier (PTX ISA "Memory Consistency Model", proxies; CUTLASS's
  // fence_view_async_shared).
  if (swizzled)
    NVVM::FenceProxyOp::create(
        b, loc, NVVM::ProxyKindAttr::get(b.getContext(), NVVM::ProxyKind::async_shared),
        NVVM::SharedSpaceAttr::get(b.getContext(), NVVM::SharedSpace::shared_cta));
  // Every thread's copies of slot i mod S are visible, and (with no group
  // in flight) every thread is past iteration i - 1's dot, which read the
  // slot the copies at the end of this iteration overwrite. Directly after
  // the wait, prefetchFirstFragments may move both down the body.
  layout::barrier(b, loc);
  if (!swizzled && llvm::none_of(rings, [](const OperandRing &ring) {
        return ring.roundedToTf32 || ring.smallOffset;
      }))
    std::prev(b.getInsertionPoint())->setAttr(kRingHeadAttr, b.getUnitAttr());
  Value aheadIv = arith::AddIOp::create(
      b, loc, loop.getInductionVar(),
      arith::MulIOp::create(b, loc, loop.getStep(), constantIndex(b, loc, ahead)));
  Value exists = existsIteration(b, loc, loop, aheadIv);
  b.setInsertionPoint(loop.getBody()->getTerminator());
  // With a group in flight, iteration i - 1's wgmmas may still read that
  // slot until every warpgroup is past this iteration's wait for them. The
  // barrier also keeps the copies after the dot (moveNextRingCopies moves
  // only copies that follow the dot directly).
  if (inFlight)
    layout::barrier(b, loc);
  scf::IfOp copies = copyIteration(
      b, loc, loop, rings, aheadIv, exists,
      [&](OpBuilder &builder, const OperandRing &ring) {
        return slotByteOffset(builder, loc, loop, ahead, stages, ring.slotBytes);
      },
      threads);
  copies->setAttr(kNextCopiesAttr, b.getUnitAttr());
  NVVM::CpAsyncCommitGroupOp::create(b, loc);
  for (const OperandRing &ring : rings) {
    DictionaryAttr where = b.getDictionaryAttr({
        b.getNamedAttr("offset", b.getI64IntegerAttr(ring.offset)),
        b.getNamedAttr("slot_bytes", b.getI64IntegerAttr(ring.slotBytes)),
        b.getNamedAttr("stages", b.getI64IntegerAttr(ring.stages)),
        b.getNamedAttr("in_flight", b.getI64IntegerAttr(inFlight)),
        b.getNamedAttr("rounded_to_tf32", b.getBoolAttr(ring.roundedToTf32)),
        b.getNamedAttr("small_offset", b.getI64IntegerAttr(ring.smallOffset)),
    });
    ring.load->setAttr(kRingAttr, where);
    ring.dot->setAttr(ring.operand == 0 ? kRingAAttr : kRingBAttr, where);
  }
}

/// A load that took a ring reads nothing into registers: its dot reads the
/// ring. Its one use is that dot, so the value (zeros) is never read and
/// folds away.
struct RingLoadLowering : public OpConversionPattern<LoadOp> {
  RingLoadLowering(const TypeConverter &converter, MLIRContext *context)
      : OpConversionPattern(converter, context, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(LoadOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (!op->hasAttr(kRingAttr))
      return failure();
    auto type = llvm::cast<VectorType>(getTypeConverter()->convertType(op.getType()));
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, type, llvm::cast<TypedAttr>(rewriter.getZeroAttr(type)));
    return success();
  }
};

} // namespace

void pipelineOperandLoads(KernelOp kernel) {
  SmallVector<OperandRing> rings = operandRings(kernel);
  int64_t threads = threadsPerProgram(kernel);
  llvm::MapVector<Operation *, SmallVector<OperandRing>> byLoop;
  for (const OperandRing &ring : rings)
    byLoop[scf::ForOp(ring.loop).getOperation()].push_back(ring);
  for (auto &[loop, loopRings] : byLoop)
    pipelineLoop(llvm::cast<scf::ForOp>(loop), loopRings, threads);
}

namespace {

/// A shared-memory read of a dot's operand fragments (ldmatrix, or the
/// scalar and vector loads of the f32 operands).
bool readsSharedFragment(Operation *op) {
  Value memref;
  if (auto ldmatrix = llvm::dyn_cast<nvgpu::LdMatrixOp>(op))
    memref = ldmatrix.getSrcMemref();
  else if (auto load = llvm::dyn_cast<memref::LoadOp>(op))
    memref = load.getMemref();
  else if (auto load = llvm::dyn_cast<vector::LoadOp>(op))
    memref = load.getBase();
  else
    return false;
  return gpu::GPUDialect::hasWorkgroupMemoryAddressSpace(llvm::cast<MemRefType>(memref.getType()));
}

/// The ops of `body` that `roots` compute from (roots included), in body
/// order, when each is free of memory effects (the roots: fragment reads)
/// and none reads the loop's iter_args; else nothing.
SmallVector<Operation *> pureSliceOf(Block *body, ArrayRef<Operation *> roots) {
  llvm::SetVector<Operation *> slice;
  SmallVector<Operation *> work(roots);
  while (!work.empty()) {
    Operation *op = work.pop_back_val();
    if (!slice.insert(op))
      continue;
    if (!llvm::is_contained(roots, op) && (!isMemoryEffectFree(op) || op->getNumRegions()))
      return {};
    for (Value operand : op->getOperands()) {
      if (auto arg = llvm::dyn_cast<BlockArgument>(operand))
        if (arg.getOwner() == body && arg.getArgNumber() > 0)
          return {};
      if (Operation *def = operand.getDefiningOp(); def && def->getBlock() == body)
        work.push_back(def);
    }
  }
  SmallVector<Operation *> ordered(slice.begin(), slice.end());
  llvm::sort(ordered, [](Operation *x, Operation *y) { return x->isBeforeInBlock(y); });
  return ordered;
}

/// Clones `ops` (in order) at `b`'s insertion point, with `mapping`.
void cloneAll(OpBuilder &b, ArrayRef<Operation *> ops, IRMapping &mapping) {
  for (Operation *op : ops)
    b.clone(*op, mapping);
}

/// Rotates one pipelined mma.sync loop (see prefetchFirstFragments); false
/// when its body is not the shape that allows it.
bool prefetchInLoop(scf::ForOp loop) {
  Block *body = loop.getBody();
  auto wait = llvm::dyn_cast<NVVM::CpAsyncWaitGroupOp>(body->front());
  Operation *barrier = wait ? wait->getNextNode() : nullptr;
  // At the last step, one group fewer may be pending (the copies of this
  // iteration follow): with S = 2 none could be.
  if (!barrier || !llvm::isa<gpu::BarrierOp>(barrier) || !barrier->hasAttr(kRingHeadAttr) ||
      wait.getN() < 1)
    return false;
  // The body after the head: fragment reads, mma.sync steps (unrolled: no
  // mma in a nested region), then the copies of a later iteration and
  // their commit; besides those, only ops free of memory effects.
  Operation *copies = nullptr, *commit = nullptr, *lastRead = nullptr;
  SmallVector<Operation *> firstReads, mmas;
  for (Operation &op : llvm::make_range(std::next(barrier->getIterator()), body->end())) {
    if (op.hasAttr(kNextCopiesAttr) && !copies && !mmas.empty()) {
      copies = &op;
    } else if (llvm::isa<NVVM::CpAsyncCommitGroupOp>(op) && copies && !commit) {
      commit = &op;
    } else if (llvm::isa<NVVM::MmaOp>(op) && !copies) {
      mmas.push_back(&op);
    } else if (readsSharedFragment(&op) && !copies) {
      lastRead = &op;
      if (mmas.empty())
        firstReads.push_back(&op);
    } else if (!isMemoryEffectFree(&op) ||
               op.walk([](NVVM::MmaOp) { return WalkResult::interrupt(); }).wasInterrupted()) {
      return false;
    }
  }
  if (!commit || firstReads.empty())
    return false;
  // The last step: the mmas after the last fragment read.
  Operation *lastStep =
      *llvm::find_if(mmas, [&](Operation *mma) { return lastRead->isBeforeInBlock(mma); });
  SmallVector<Operation *> slice = pureSliceOf(body, firstReads);
  if (slice.empty())
    return false;

  IRRewriter rewriter(loop.getContext());
  Location loc = loop.getLoc();
  // Before the loop: iteration 0's head and first fragments.
  rewriter.setInsertionPoint(loop);
  IRMapping first;
  first.map(loop.getInductionVar(), loop.getLowerBound());
  rewriter.clone(*wait);
  rewriter.clone(*barrier);
  cloneAll(rewriter, slice, first);
  SmallVector<Value> inits;
  for (Operation *read : firstReads)
    inits.push_back(first.lookup(read->getResult(0)));
  FailureOr<LoopLikeOpInterface> rotated = loop.replaceWithAdditionalYields(
      rewriter, inits, /*replaceInitOperandUsesInLoop=*/false,
      [&](OpBuilder &b, Location, ArrayRef<BlockArgument> carried) {
        // Before the last step: the wait for iteration i + 1's group, the
        // barrier, and iteration i + 1's first fragments.
        wait.setN(wait.getN() - 1);
        wait->moveBefore(lastStep);
        barrier->moveBefore(lastStep);
        b.setInsertionPoint(lastStep);
        IRMapping next;
        next.map(loop.getInductionVar(),
                 arith::AddIOp::create(b, loc, loop.getInductionVar(), loop.getStep()));
        cloneAll(b, slice, next);
        SmallVector<Value> yields;
        for (auto [read, arg] : llvm::zip(firstReads, carried)) {
          yields.push_back(next.lookup(read->getResult(0)));
          read->getResult(0).replaceAllUsesWith(arg);
        }
        return yields;
      });
  if (failed(rotated))
    return false;
  for (Operation *read : firstReads)
    rewriter.eraseOp(read);
  return true;
}

} // namespace

void prefetchFirstFragments(ModuleOp module) {
  SmallVector<scf::ForOp> loops;
  // Not under a register cap (min_programs_per_sm >= 2): there the carried
  // fragments spill (bf16 128x128x32 on 8 warps capped at 128 registers:
  // 104 bytes, against 8 unrotated).
  module.walk([&](gpu::GPUFuncOp func) {
    auto programs = func->getAttrOfType<IntegerAttr>(NVVM::NVVMDialect::getMinctasmAttrName());
    if (!programs || programs.getInt() < 2)
      func.walk([&](scf::ForOp loop) { loops.push_back(loop); });
  });
  for (scf::ForOp loop : loops)
    prefetchInLoop(loop);
}

void populateTileRingLoweringPatterns(const TileLayoutTypeConverter &converter,
                                      RewritePatternSet &patterns) {
  patterns.add<RingLoadLowering>(converter, patterns.getContext());
}

void layout::moveNextRingCopies(RewriterBase &rewriter, Operation *dot) {
  Operation *copies = dot->getNextNode();
  if (!copies || !copies->hasAttr(kNextCopiesAttr) ||
      !llvm::isa_and_present<NVVM::CpAsyncCommitGroupOp>(copies->getNextNode()))
    return;
  Operation *commit = copies->getNextNode();
  rewriter.moveOpBefore(copies, dot);
  rewriter.moveOpBefore(commit, dot);
}

/// Where the ring of the dot `dot`'s operand `operand` (0: a, 1: b) is
/// (pipelineLoop's attribute on the dot), or null without one.
static DictionaryAttr ringOf(Operation *dot, unsigned operand) {
  return dot->getAttrOfType<DictionaryAttr>(operand == 0 ? kRingAAttr : kRingBAttr);
}

int64_t layout::wgmmaGroupsInFlight(Operation *dot) {
  DictionaryAttr ring = ringOf(dot, 0);
  return ring ? ring.getAs<IntegerAttr>("in_flight").getInt() : 0;
}

bool layout::ringRoundedToTf32(Operation *dot, unsigned operand) {
  DictionaryAttr ring = ringOf(dot, operand);
  return ring && ring.getAs<BoolAttr>("rounded_to_tf32").getValue();
}

int64_t layout::ringSmallOffset(Operation *dot, unsigned operand) {
  DictionaryAttr ring = ringOf(dot, operand);
  return ring ? ring.getAs<IntegerAttr>("small_offset").getInt() : 0;
}

Value layout::ringSlotArray(OpBuilder &b, Location loc, unsigned operand, Operation *dot,
                            Type elementType, int64_t numElements) {
  DictionaryAttr ring = ringOf(dot, operand);
  if (!ring)
    return Value();
  auto get = [&](StringRef name) { return ring.getAs<IntegerAttr>(name).getInt(); };
  auto loop = llvm::cast<scf::ForOp>(dot->getParentOp());
  Value offset =
      arith::AddIOp::create(b, loc, constantIndex(b, loc, get("offset")),
                            slotByteOffset(b, loc, loop, 0, get("stages"), get("slot_bytes")));
  return sharedArray(b, loc, elementType, numElements, offset);
}

} // namespace ssdc
