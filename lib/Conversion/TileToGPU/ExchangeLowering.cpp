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
      [&](OpBuilder &b, Location l, int64_t, Value linear) -> Value {
        SmallVector<Value> index = layout::delinearize(b, l, linear, resultType.getShape());
        return layout::readShared(
            b, l, staged, layout::linearize(b, l, inputIndexOf(index), inputType.getShape()));
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
    Value result = layout::buildOwnedVector(
        rewriter, loc, layout::TileLayout(resultType, threads),
        [&](OpBuilder &b, Location l, int64_t, Value linear) -> Value {
          SmallVector<Value> index = layout::delinearize(b, l, linear, resultType.getShape());
          Value rowPos = arith::AddIOp::create(b, l, adaptor.getRowStart(), index[0]);
          Value colPos = arith::AddIOp::create(b, l, adaptor.getColStart(), index[1]);
          Value lower = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sle, colPos, rowPos);
          Value diff = arith::SubFOp::create(b, l, layout::readShared(b, l, rows, index[0]),
                                             layout::readShared(b, l, cols, index[1]));
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
