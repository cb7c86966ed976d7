//===- ExchangeLowering.cpp - broadcast, transpose, segsum, cumsum, reduce ===//
//
// The result elements a thread owns depend on input elements other threads
// own, so the inputs go through shared memory: a barrier (earlier readers of
// shared memory are done), every thread writes what it owns, a barrier, and
// every thread computes its result elements from shared memory.
//
//===----------------------------------------------------------------------===//
#include "Layout.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {
namespace {

/// Stages `vector` (tile `type`, converted) in shared memory at `byteOffset`,
/// between barriers, and returns the shared array.
Value stageTile(OpBuilder &b, Location loc, RankedTensorType type, Value vector, int64_t threads,
                int64_t byteOffset) {
  layout::TileLayout tileLayout(type, threads);
  Value array =
      layout::sharedArray(b, loc, type.getElementType(), tileLayout.numElements, byteOffset);
  layout::writeOwnedElements(b, loc, tileLayout, vector, array);
  return array;
}

/// A tile that each thread builds from the staged `input`: the element at
/// result index i is input[inputIndexOf(i)]. Broadcast and transpose differ
/// only in that map.
Value gatherStaged(ConversionPatternRewriter &rewriter, Location loc, int64_t threads,
                   RankedTensorType inputType, Value input, RankedTensorType resultType,
                   function_ref<SmallVector<Value>(ArrayRef<Value>)> inputIndexOf) {
  layout::barrier(rewriter, loc);
  Value staged = stageTile(rewriter, loc, inputType, input, threads, 0);
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
    Value rows = stageTile(rewriter, loc, rowsType, adaptor.getRows(), threads, 0);
    Value cols = stageTile(rewriter, loc, colsType, adaptor.getCols(), threads,
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

/// Folds `combine` over input elements `begin .. end-1` along `axis` of the
/// staged tile, at the other coordinates of `index`, starting from `init`.
Value foldAlongAxis(OpBuilder &b, Location loc, Value staged, RankedTensorType inputType,
                    SmallVector<Value> index, int64_t axis, Value end, Value init,
                    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  Value begin = arith::ConstantIndexOp::create(b, loc, 0);
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(b, loc, begin, end, step, ValueRange{init});
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

/// A reduction's identity and combining step.
std::pair<double, Value (*)(OpBuilder &, Location, Value, Value)> reduction(ReduceKind kind) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  switch (kind) {
  case ReduceKind::sum:
    return {0.0, addFloats};
  case ReduceKind::max:
    return {-inf, maxFloats};
  case ReduceKind::min:
    return {inf, minFloats};
  case ReduceKind::prod:
    return {1.0, multiplyFloats};
  }
  llvm_unreachable("unknown reduction");
}

/// Inclusive: out[.., i, ..] = sum of in[.., 0..i, ..], added in order.
struct CumsumOpLowering : public OpConversionPattern<CumsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(CumsumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t threads = layout::threadsOf(getTypeConverter());
    RankedTensorType type = op.getType();
    int64_t axis = op.getAxis();
    layout::barrier(rewriter, loc);
    Value staged = stageTile(rewriter, loc, type, adaptor.getInput(), threads, 0);
    layout::barrier(rewriter, loc);
    Value zero = arith::ConstantOp::create(
        rewriter, loc, llvm::cast<TypedAttr>(rewriter.getZeroAttr(type.getElementType())));
    Value result = layout::buildOwnedVector(
        rewriter, loc, layout::TileLayout(type, threads),
        [&](OpBuilder &b, Location l, int64_t, Value linear) -> Value {
          SmallVector<Value> index = layout::delinearize(b, l, linear, type.getShape());
          Value end =
              arith::AddIOp::create(b, l, index[axis], arith::ConstantIndexOp::create(b, l, 1));
          Value last = arith::ConstantIndexOp::create(b, l, type.getDimSize(axis));
          end = arith::MinUIOp::create(b, l, end, last);
          return foldAlongAxis(b, l, staged, type, index, axis, end, zero, addFloats);
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
    int64_t threads = layout::threadsOf(getTypeConverter());
    RankedTensorType inputType = op.getInput().getType();
    int64_t axis = op.getAxis();
    auto floatType = llvm::cast<FloatType>(inputType.getElementType());
    auto identityAndCombine = reduction(op.getKind());
    auto combine = identityAndCombine.second;
    Value init = arith::ConstantOp::create(
        rewriter, loc, rewriter.getFloatAttr(floatType, identityAndCombine.first));
    layout::barrier(rewriter, loc);
    Value staged = stageTile(rewriter, loc, inputType, adaptor.getInput(), threads, 0);
    layout::barrier(rewriter, loc);
    Value length = arith::ConstantIndexOp::create(rewriter, loc, inputType.getDimSize(axis));

    auto resultTile = llvm::dyn_cast<RankedTensorType>(op.getType());
    if (!resultTile) {
      // A 1-D reduction gives a scalar every thread needs: each computes it.
      SmallVector<Value> index{Value()};
      rewriter.replaceOp(
          op, foldAlongAxis(rewriter, loc, staged, inputType, index, 0, length, init, combine));
      return success();
    }
    Value result = layout::buildOwnedVector(
        rewriter, loc, layout::TileLayout(resultTile, threads),
        [&](OpBuilder &b, Location l, int64_t, Value linear) -> Value {
          SmallVector<Value> outIndex = layout::delinearize(b, l, linear, resultTile.getShape());
          SmallVector<Value> index(outIndex.begin(), outIndex.end());
          index.insert(index.begin() + axis, Value());
          return foldAlongAxis(b, l, staged, inputType, index, axis, length, init, combine);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateTileExchangeLoweringPatterns(const TileLayoutTypeConverter &converter,
                                          RewritePatternSet &patterns) {
  patterns.add<BroadcastOpLowering, TransposeOpLowering, SegsumOpLowering, CumsumOpLowering,
               ReduceOpLowering>(converter, patterns.getContext());
}

} // namespace ssdc
