//===- ReductionLowering.cpp - cumsum and reduce ---------------------------===//
//
// Both combine the elements of a tile along one axis.
//
// Along the innermost axis, when the rows of the tile start at warp-segment
// boundaries of the chunked layout (RowChunks), they combine in registers:
// each thread folds its chunk, the lanes of one row combine with warp
// shuffles (upstream's gpu.subgroup_reduce for reduce; for cumsum a
// Hillis-Steele scan with gpu.shuffle up, since upstream has no subgroup
// scan), and rows longer than a warp add the warps' totals through a small
// shared array. A 1-D reduce, a scalar every thread needs, folds in each
// thread, reduces each warp and combines the warps' totals. Every other case
// stages the tile in shared memory and folds along the axis in order.
//
//===----------------------------------------------------------------------===//
#include "Layout.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {
namespace {

using layout::kWarpSize;

Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value addIndex(OpBuilder &b, Location loc, Value value, int64_t constant) {
  if (constant == 0)
    return value;
  return arith::AddIOp::create(b, loc, value, indexConstant(b, loc, constant));
}

/// Folds `combine` over input elements `begin .. end-1` along `axis` of the
/// staged tile, at the other coordinates of `index`, starting from `init`.
Value foldAlongAxis(OpBuilder &b, Location loc, Value staged, RankedTensorType inputType,
                    SmallVector<Value> index, int64_t axis, Value begin, Value end, Value init,
                    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto loop = scf::ForOp::create(b, loc, begin, end, indexConstant(b, loc, 1), ValueRange{init});
  OpBuilder body = OpBuilder::atBlockBegin(loop.getBody(), b.getListener());
  index[axis] = loop.getInductionVar();
  Value element = layout::readShared(body, loc, staged,
                                     layout::linearize(body, loc, index, inputType.getShape()));
  Value next = combine(body, loc, loop.getRegionIterArgs()[0], element);
  scf::YieldOp::create(body, loc, next);
  return loop.getResult(0);
}

Value addFloats(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return arith::AddFOp::create(b, loc, lhs, rhs);
}
Value maxFloats(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return arith::MaximumFOp::create(b, loc, lhs, rhs);
}
Value minFloats(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return arith::MinimumFOp::create(b, loc, lhs, rhs);
}
Value multiplyFloats(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return arith::MulFOp::create(b, loc, lhs, rhs);
}

using Combine = Value (*)(OpBuilder &, Location, Value, Value);

/// A reduction's identity, combining step and gpu.subgroup_reduce kind (the
/// same NaN rules as the step: maximumf/minimumf propagate NaN).
struct Reduction {
  double identity;
  Combine combine;
  gpu::AllReduceOperation warpKind;
};

Reduction reductionOf(ReduceKind kind) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  switch (kind) {
  case ReduceKind::sum:
    return {0.0, addFloats, gpu::AllReduceOperation::ADD};
  case ReduceKind::max:
    return {-inf, maxFloats, gpu::AllReduceOperation::MAXIMUMF};
  case ReduceKind::min:
    return {inf, minFloats, gpu::AllReduceOperation::MINIMUMF};
  case ReduceKind::prod:
    return {1.0, multiplyFloats, gpu::AllReduceOperation::MUL};
  }
  llvm_unreachable("unknown reduction");
}

/// How the rows of a tile (along its innermost axis) lie on the lanes of the
/// chunked layout (Layout.h). Chunk c = round * threads + thread holds
/// elements c*width .. c*width+width-1, all in one row, and a row is `perRow`
/// consecutive chunks. When perRow divides the warp size or the warp size
/// divides perRow, every `segment` = min(perRow, 32) aligned lanes of a warp
/// hold consecutive chunks of one row, in every round.
struct RowChunks {
  int64_t width, perRow, rounds, segment;
  /// Warp segments per row (1 when a row fits in a warp).
  int64_t segmentsPerRow() const { return perRow / segment; }
};

std::optional<RowChunks> rowChunksOf(const layout::TileLayout &tileLayout, int64_t axis) {
  ArrayRef<int64_t> shape = tileLayout.type.getShape();
  if (axis != static_cast<int64_t>(shape.size()) - 1)
    return std::nullopt;
  int64_t perRow = shape.back() / tileLayout.chunkWidth;
  bool dividesWarp = perRow <= kWarpSize && llvm::isPowerOf2_64(perRow);
  if (!dividesWarp && perRow % kWarpSize)
    return std::nullopt;
  return RowChunks{tileLayout.chunkWidth, perRow, tileLayout.perThread / tileLayout.chunkWidth,
                   std::min(perRow, kWarpSize)};
}

/// The chunk that round `round` of this thread holds: round * threads + tid.
Value chunkIndex(OpBuilder &b, Location loc, const layout::TileLayout &tileLayout, Value tid,
                 int64_t round) {
  return addIndex(b, loc, tid, round * tileLayout.threads);
}

/// Runs `body` in the threads where `condition` holds.
void ifThen(OpBuilder &b, Location loc, Value condition, function_ref<void(OpBuilder &)> body) {
  auto guard = scf::IfOp::create(b, loc, condition, /*withElse=*/false);
  OpBuilder then = OpBuilder::atBlockBegin(guard.thenBlock(), b.getListener());
  body(then);
}

Value laneIndex(OpBuilder &b, Location loc) {
  return gpu::LaneIdOp::create(b, loc, /*upper_bound=*/IntegerAttr());
}

/// Inclusive cumsum along the innermost axis in registers: within a chunk in
/// order, across the lanes of a row by a Hillis-Steele scan of the chunk
/// totals, then, for rows longer than a warp, plus the totals of the row's
/// earlier warp segments (in order) from shared memory.
Value scanRows(OpBuilder &b, Location loc, const layout::TileLayout &tileLayout,
               const RowChunks &rows, Value input) {
  Type elementType = tileLayout.type.getElementType();
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(elementType));
  Value tid = layout::threadId(b, loc);
  Value lane = laneIndex(b, loc);
  Value inSegment = arith::AndIOp::create(b, loc, lane, indexConstant(b, loc, rows.segment - 1));
  SmallVector<SmallVector<Value>> prefixes(rows.rounds);
  SmallVector<Value> earlier(rows.rounds), warpTotals(rows.rounds);
  for (int64_t round = 0; round < rows.rounds; ++round) {
    Value running;
    for (int64_t i = 0; i < rows.width; ++i) {
      Value element = vector::ExtractOp::create(b, loc, input, round * rows.width + i);
      running = i == 0 ? element : addFloats(b, loc, running, element);
      prefixes[round].push_back(running);
    }
    Value scanned = running;
    for (int32_t offset = 1; offset < rows.segment; offset *= 2) {
      Value before =
          gpu::ShuffleOp::create(b, loc, scanned, offset, kWarpSize, gpu::ShuffleMode::UP)
              .getShuffleResult();
      Value inRow = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, inSegment,
                                          indexConstant(b, loc, offset));
      scanned = arith::SelectOp::create(b, loc, inRow, addFloats(b, loc, before, scanned), scanned);
    }
    Value before = gpu::ShuffleOp::create(b, loc, scanned, 1, kWarpSize, gpu::ShuffleMode::UP)
                       .getShuffleResult();
    Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, inSegment,
                                        indexConstant(b, loc, 0));
    earlier[round] = arith::SelectOp::create(b, loc, first, zero, before);
    if (rows.segmentsPerRow() > 1)
      warpTotals[round] =
          gpu::ShuffleOp::create(b, loc, scanned, kWarpSize - 1, kWarpSize, gpu::ShuffleMode::IDX)
              .getShuffleResult();
  }
  if (rows.segmentsPerRow() > 1) {
    // Warp segment g = chunk / 32 of round k is k * warps + warp; its total
    // goes to totals[g] (segments past the tile are padding and skipped).
    int64_t warps = tileLayout.threads / kWarpSize;
    int64_t segments = tileLayout.numElements / (rows.width * kWarpSize);
    layout::barrier(b, loc);
    Value totals = layout::sharedArray(b, loc, elementType, segments, 0);
    Value warp = arith::DivUIOp::create(b, loc, tid, indexConstant(b, loc, kWarpSize));
    Value lastLane = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lane,
                                           indexConstant(b, loc, kWarpSize - 1));
    SmallVector<Value> segmentOf(rows.rounds);
    for (int64_t round = 0; round < rows.rounds; ++round) {
      segmentOf[round] = addIndex(b, loc, warp, round * warps);
      Value real = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, segmentOf[round],
                                         indexConstant(b, loc, segments));
      Value writes = arith::AndIOp::create(b, loc, lastLane, real);
      ifThen(b, loc, writes, [&](OpBuilder &then) {
        memref::StoreOp::create(then, loc, warpTotals[round], totals, segmentOf[round]);
      });
    }
    layout::barrier(b, loc);
    for (int64_t round = 0; round < rows.rounds; ++round) {
      Value segment = segmentOf[round];
      Value inRow =
          arith::RemUIOp::create(b, loc, segment, indexConstant(b, loc, rows.segmentsPerRow()));
      Value rowStart = arith::SubIOp::create(b, loc, segment, inRow);
      auto loop =
          scf::ForOp::create(b, loc, rowStart, segment, indexConstant(b, loc, 1), ValueRange{zero});
      OpBuilder body = OpBuilder::atBlockBegin(loop.getBody(), b.getListener());
      Value total = layout::readShared(body, loc, totals, loop.getInductionVar());
      scf::YieldOp::create(body, loc, addFloats(body, loc, loop.getRegionIterArgs()[0], total));
      earlier[round] = addFloats(b, loc, loop.getResult(0), earlier[round]);
    }
  }
  Value result =
      arith::ConstantOp::create(b, loc, llvm::cast<TypedAttr>(b.getZeroAttr(input.getType())));
  for (int64_t round = 0; round < rows.rounds; ++round)
    for (int64_t i = 0; i < rows.width; ++i)
      result =
          vector::InsertOp::create(b, loc, addFloats(b, loc, earlier[round], prefixes[round][i]),
                                   result, round * rows.width + i);
  return result;
}

/// This thread's elements of chunk `round`, folded in order; padding chunks
/// give the identity.
Value foldChunk(OpBuilder &b, Location loc, const layout::OwnedIndices &owned,
                const RowChunks &rows, const Reduction &reduction, Value identity, Value input,
                int64_t round) {
  int64_t firstSlot = round * rows.width;
  Value folded = vector::ExtractOp::create(b, loc, input, firstSlot);
  for (int64_t i = 1; i < rows.width; ++i)
    folded =
        reduction.combine(b, loc, folded, vector::ExtractOp::create(b, loc, input, firstSlot + i));
  Value inTile = owned.inTile(b, firstSlot);
  return inTile ? arith::SelectOp::create(b, loc, inTile, folded, identity) : folded;
}

/// Reduce along the innermost axis: chunk folds, one gpu.subgroup_reduce per
/// round over a row's lanes, the segments' totals through shared memory, and
/// each result element folds its row's segments in order.
Value reduceRows(OpBuilder &b, Location loc, const layout::TileLayout &tileLayout,
                 const RowChunks &rows, const Reduction &reduction, Value identity, Value input,
                 RankedTensorType resultType) {
  Value tid = layout::threadId(b, loc);
  layout::OwnedIndices owned(b, loc, tileLayout);
  Value lane = laneIndex(b, loc);
  std::optional<uint32_t> cluster;
  if (rows.segment < kWarpSize)
    cluster = static_cast<uint32_t>(rows.segment);
  SmallVector<Value> segmentTotals;
  for (int64_t round = 0; round < rows.rounds; ++round) {
    Value folded = foldChunk(b, loc, owned, rows, reduction, identity, input, round);
    segmentTotals.push_back(gpu::SubgroupReduceOp::create(b, loc, folded, reduction.warpKind,
                                                          /*uniform=*/true, cluster));
  }
  int64_t segments = tileLayout.numElements / (rows.width * rows.segment);
  layout::barrier(b, loc);
  Value totals = layout::sharedArray(b, loc, tileLayout.type.getElementType(), segments, 0);
  Value leader = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq,
      arith::AndIOp::create(b, loc, lane, indexConstant(b, loc, rows.segment - 1)),
      indexConstant(b, loc, 0));
  for (int64_t round = 0; round < rows.rounds; ++round) {
    Value segment = arith::DivUIOp::create(b, loc, chunkIndex(b, loc, tileLayout, tid, round),
                                           indexConstant(b, loc, rows.segment));
    Value real = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, segment,
                                       indexConstant(b, loc, segments));
    ifThen(b, loc, arith::AndIOp::create(b, loc, leader, real), [&](OpBuilder &then) {
      memref::StoreOp::create(then, loc, segmentTotals[round], totals, segment);
    });
  }
  layout::barrier(b, loc);
  return layout::buildOwnedVector(
      b, loc, layout::TileLayout(resultType, tileLayout.threads),
      [&](OpBuilder &builder, Location l, int64_t slot,
          const layout::OwnedIndices &owned) -> Value {
        Value row = owned.linear(builder, slot);
        Value first = arith::MulIOp::create(builder, l, row,
                                            indexConstant(builder, l, rows.segmentsPerRow()));
        Value folded = layout::readShared(builder, l, totals, first);
        for (int64_t i = 1; i < rows.segmentsPerRow(); ++i)
          folded = reduction.combine(
              builder, l, folded,
              layout::readShared(builder, l, totals, addIndex(builder, l, first, i)));
        return folded;
      });
}

/// A 1-D reduce to the scalar every thread needs: each thread folds its
/// elements in slot order, each warp reduces with gpu.subgroup_reduce, and
/// (with more than one warp) every thread folds the warps' totals in order.
Value reduceToScalar(OpBuilder &b, Location loc, const layout::TileLayout &tileLayout,
                     const Reduction &reduction, Value identity, Value input) {
  Value tid = layout::threadId(b, loc);
  layout::OwnedIndices owned(b, loc, tileLayout);
  Value folded;
  for (int64_t slot = 0; slot < tileLayout.perThread; ++slot) {
    Value element = vector::ExtractOp::create(b, loc, input, slot);
    if (Value inTile = owned.inTile(b, slot))
      element = arith::SelectOp::create(b, loc, inTile, element, identity);
    folded = slot == 0 ? element : reduction.combine(b, loc, folded, element);
  }
  Value warpTotal = gpu::SubgroupReduceOp::create(b, loc, folded, reduction.warpKind,
                                                  /*uniform=*/true);
  int64_t warps = tileLayout.threads / kWarpSize;
  if (warps == 1)
    return warpTotal;
  layout::barrier(b, loc);
  Value totals = layout::sharedArray(b, loc, tileLayout.type.getElementType(), warps, 0);
  Value firstLane = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, laneIndex(b, loc),
                                          indexConstant(b, loc, 0));
  Value warp = arith::DivUIOp::create(b, loc, tid, indexConstant(b, loc, kWarpSize));
  ifThen(b, loc, firstLane,
         [&](OpBuilder &then) { memref::StoreOp::create(then, loc, warpTotal, totals, warp); });
  layout::barrier(b, loc);
  Value result = memref::LoadOp::create(b, loc, totals, ValueRange{indexConstant(b, loc, 0)});
  for (int64_t w = 1; w < warps; ++w)
    result = reduction.combine(
        b, loc, result,
        memref::LoadOp::create(b, loc, totals, ValueRange{indexConstant(b, loc, w)}));
  return result;
}

/// Inclusive: out[.., i, ..] = sum of in[.., 0..i, ..].
struct CumsumOpLowering : public OpConversionPattern<CumsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(CumsumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    int64_t axis = op.getAxis();
    layout::TileLayout tileLayout(type, layout::threadsOf(getTypeConverter()));
    if (std::optional<RowChunks> rows = rowChunksOf(tileLayout, axis)) {
      rewriter.replaceOp(op, scanRows(rewriter, loc, tileLayout, *rows, adaptor.getInput()));
      return success();
    }
    // Elsewhere: staged, and every result element adds its prefix in order.
    layout::barrier(rewriter, loc);
    Value staged =
        layout::stageTile(rewriter, loc, type, adaptor.getInput(), tileLayout.threads, 0);
    layout::barrier(rewriter, loc);
    Value zero = arith::ConstantOp::create(
        rewriter, loc, llvm::cast<TypedAttr>(rewriter.getZeroAttr(type.getElementType())));
    Value result = layout::buildOwnedVector(
        rewriter, loc, tileLayout,
        [&](OpBuilder &b, Location l, int64_t slot, const layout::OwnedIndices &owned) -> Value {
          SmallVector<Value> index = owned.index(b, slot);
          Value end = arith::AddIOp::create(b, l, index[axis], indexConstant(b, l, 1));
          end = arith::MinUIOp::create(b, l, end, indexConstant(b, l, type.getDimSize(axis)));
          return foldAlongAxis(b, l, staged, type, index, axis, indexConstant(b, l, 0), end, zero,
                               addFloats);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ReduceOpLowering : public OpConversionPattern<ReduceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ReduceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inputType = op.getInput().getType();
    int64_t axis = op.getAxis();
    layout::TileLayout tileLayout(inputType, layout::threadsOf(getTypeConverter()));
    auto floatType = llvm::cast<FloatType>(inputType.getElementType());
    Reduction reduction = reductionOf(op.getKind());
    Value identity = arith::ConstantOp::create(
        rewriter, loc, rewriter.getFloatAttr(floatType, reduction.identity));
    auto resultTile = llvm::dyn_cast<RankedTensorType>(op.getType());
    if (!resultTile) {
      rewriter.replaceOp(
          op, reduceToScalar(rewriter, loc, tileLayout, reduction, identity, adaptor.getInput()));
      return success();
    }
    if (std::optional<RowChunks> rows = rowChunksOf(tileLayout, axis)) {
      rewriter.replaceOp(op, reduceRows(rewriter, loc, tileLayout, *rows, reduction, identity,
                                        adaptor.getInput(), resultTile));
      return success();
    }
    // Elsewhere: staged, and every result element folds its line in order.
    layout::barrier(rewriter, loc);
    Value staged =
        layout::stageTile(rewriter, loc, inputType, adaptor.getInput(), tileLayout.threads, 0);
    layout::barrier(rewriter, loc);
    Value length = indexConstant(rewriter, loc, inputType.getDimSize(axis));
    Value result = layout::buildOwnedVector(
        rewriter, loc, layout::TileLayout(resultTile, tileLayout.threads),
        [&](OpBuilder &b, Location l, int64_t slot, const layout::OwnedIndices &owned) -> Value {
          SmallVector<Value> outIndex = owned.index(b, slot);
          SmallVector<Value> index(outIndex.begin(), outIndex.end());
          index.insert(index.begin() + axis, Value());
          return foldAlongAxis(b, l, staged, inputType, index, axis, indexConstant(b, l, 0), length,
                               identity, reduction.combine);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateTileReductionLoweringPatterns(const TileLayoutTypeConverter &converter,
                                           RewritePatternSet &patterns) {
  patterns.add<CumsumOpLowering, ReduceOpLowering>(converter, patterns.getContext());
}

} // namespace ssdc
