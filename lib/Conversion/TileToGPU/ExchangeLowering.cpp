//===- ExchangeLowering.cpp - broadcast, transpose, segsum ----------------===//
//
// The result elements a thread owns depend on input elements other threads
// own, so the inputs go through shared memory: a barrier (earlier readers of
// shared memory are done), every thread writes what it owns, a barrier, and
// every thread computes its result elements from shared memory. (Cumsum and
// reduce, which combine along an axis, are in ReductionLowering.cpp.)
//
//===----------------------------------------------------------------------===//
#include "Layout.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {
namespace {

/// A tile that each thread builds from the staged `input`: the element at
/// result index i is input[inputIndexOf(i)]. Broadcast and transpose differ
/// only in that map.
Value gatherStaged(ConversionPatternRewriter &rewriter, Location loc, int64_t threads,
                   RankedTensorType inputType, Value input, RankedTensorType resultType,
                   function_ref<SmallVector<Value>(ArrayRef<Value>)> inputIndexOf) {
  layout::barrier(rewriter, loc);
  Value staged = layout::stageTile(rewriter, loc, inputType, input, threads, 0);
  layout::barrier(rewriter, loc);
  return layout::buildOwnedVector(
      rewriter, loc, layout::TileLayout(resultType, threads),
      [&](OpBuilder &b, Location l, int64_t slot, const layout::OwnedIndices &owned) -> Value {
        SmallVector<Value> index = owned.index(b, slot);
        return layout::readShared(
            b, l, staged, layout::linearize(b, l, inputIndexOf(index), inputType.getShape()),
            owned.tileLayout().mayBePadding(slot));
      });
}

struct BroadcastOpLowering : public OpConversionPattern<BroadcastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(BroadcastOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    ArrayRef<int64_t> newAxes = op.getNewAxes();
    Value result =
        gatherStaged(rewriter, op.getLoc(), layout::threadsOf(getTypeConverter()),
                     llvm::cast<RankedTensorType>(op.getInput().getType()), adaptor.getInput(),
                     llvm::cast<RankedTensorType>(op.getType()), [&](ArrayRef<Value> index) {
                       SmallVector<Value> inputIndex;
                       for (auto [axis, value] : llvm::enumerate(index))
                         if (!llvm::is_contained(newAxes, static_cast<int64_t>(axis)))
                           inputIndex.push_back(value);
                       return inputIndex;
                     });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// result[j, i] = input[i, j], read from the staged input.
struct TransposeOpLowering : public OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Value result = gatherStaged(rewriter, op.getLoc(), layout::threadsOf(getTypeConverter()),
                                op.getInput().getType(), adaptor.getInput(), op.getType(),
                                [](ArrayRef<Value> index) {
                                  return SmallVector<Value>{index[1], index[0]};
                                });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// out[a, b] = rows[a] - cols[b] where col_start + b <= row_start + a, else -inf.
struct SegsumOpLowering : public OpConversionPattern<SegsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(SegsumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t threads = layout::threadsOf(getTypeConverter());
    RankedTensorType rowsType = op.getRows().getType(), colsType = op.getCols().getType();
    RankedTensorType resultType = op.getType();
    layout::barrier(rewriter, loc);
    Value rows = layout::stageTile(rewriter, loc, rowsType, adaptor.getRows(), threads, 0);
    Value cols = layout::stageTile(rewriter, loc, colsType, adaptor.getCols(), threads,
                                   tile::stagedTileBytes(rowsType));
    layout::barrier(rewriter, loc);
    auto floatType = llvm::cast<FloatType>(resultType.getElementType());
    Value negInf = arith::ConstantOp::create(
        rewriter, loc, rewriter.getFloatAttr(floatType, -std::numeric_limits<double>::infinity()));
    layout::TileLayout resultLayout(resultType, threads);
    layout::OwnedIndices resultIndices(rewriter, loc, resultLayout);
    // col_start + col <= row_start + row, as each slot's part against the
    // thread's threshold (32-bit; constant slot parts when the layout
    // splits): col_s - row_s <= (row_start + row_t) - (col_start + col_t).
    auto start = [&](Value offset, Value threadPart) -> Value {
      return arith::AddIOp::create(
          rewriter, loc, offset,
          arith::IndexCastUIOp::create(rewriter, loc, rewriter.getIndexType(), threadPart));
    };
    Value diagonal = layout::clampToI32(
        rewriter, loc,
        arith::SubIOp::create(rewriter, loc,
                              start(adaptor.getRowStart(), resultIndices.threadPart()[0]),
                              start(adaptor.getColStart(), resultIndices.threadPart()[1])));
    Value result = layout::buildOwnedVector(
        rewriter, loc, resultIndices,
        [&](OpBuilder &b, Location l, int64_t slot, const layout::OwnedIndices &owned) -> Value {
          SmallVector<Value> part = owned.slotPart(b, slot);
          Value lower =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::sle,
                                    b.createOrFold<arith::SubIOp>(l, part[1], part[0]), diagonal);
          SmallVector<Value> index = owned.index(b, slot);
          bool padding = owned.tileLayout().mayBePadding(slot);
          Value diff =
              arith::SubFOp::create(b, l, layout::readShared(b, l, rows, index[0], padding),
                                    layout::readShared(b, l, cols, index[1], padding));
          return arith::SelectOp::create(b, l, lower, diff, negInf);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateTileExchangeLoweringPatterns(const TileLayoutTypeConverter &converter,
                                          RewritePatternSet &patterns) {
  patterns.add<BroadcastOpLowering, TransposeOpLowering, SegsumOpLowering>(converter,
                                                                           patterns.getContext());
}

} // namespace ssdc
