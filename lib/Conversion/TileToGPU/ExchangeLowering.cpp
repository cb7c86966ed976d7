//===- ExchangeLowering.cpp - broadcast, transpose, segsum ----------------===//
//
// The result elements a thread owns depend on input elements other threads
// own, so the inputs go through shared memory: a barrier (earlier readers of
// shared memory are done), every thread writes what it owns, a barrier, and
// every thread computes its result elements from shared memory. An input
// that is a 1-D load of a read-only buffer (segsum's rows and columns, a
// broadcast's vector) is instead read again by each thread where it needs
// it (Rereader): no barriers. (Cumsum and reduce, which combine along an
// axis, are in ReductionLowering.cpp.)
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

/// The elements of a 1-D tile.load that each thread reads again from memory
/// where it needs them (tile::rereadableLoad) instead of receiving them
/// through shared memory: no barriers and no staging, and the L1 cache
/// serves the threads that read the same element. Each distinct position is
/// read once per thread: where the layout splits by slot, a position is the
/// thread's part plus a constant, so equal constants are equal positions.
class Rereader {
public:
  Rereader(ConversionPatternRewriter &rewriter, LoadOp load) : rewriter(rewriter), load(load) {}
  /// The element at axis `axis` of slot `slot`'s result index.
  Value at(Location loc, const layout::OwnedIndices &owned, int64_t slot, unsigned axis) {
    std::optional<int64_t> constant;
    if (owned.tileLayout().splitsBySlot)
      constant = getConstantIntValue(owned.slotPart(rewriter, slot)[axis]);
    if (constant)
      if (auto known = elements.find(*constant); known != elements.end())
        return known->second;
    Value element = layout::rereadElement(rewriter, loc, load, owned.index(rewriter, slot)[axis],
                                          owned.tileLayout().mayBePadding(slot));
    if (constant)
      elements[*constant] = element;
    return element;
  }

private:
  ConversionPatternRewriter &rewriter;
  LoadOp load;
  llvm::DenseMap<int64_t, Value> elements;
};

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
    auto resultType = llvm::cast<RankedTensorType>(op.getType());
    // A 1-D load broadcast: each thread reads the elements of its kept axis.
    if (LoadOp load = tile::rereadableLoad(op.getInput())) {
      unsigned kept = 0;
      while (llvm::is_contained(newAxes, static_cast<int64_t>(kept)))
        ++kept;
      Rereader input(rewriter, load);
      rewriter.replaceOp(
          op, layout::buildOwnedVector(
                  rewriter, op.getLoc(),
                  layout::TileLayout(resultType, layout::threadsOf(getTypeConverter())),
                  [&](OpBuilder &, Location l, int64_t slot, const layout::OwnedIndices &owned) {
                    return input.at(l, owned, slot, kept);
                  }));
      return success();
    }
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
    // Rows and columns from 1-D loads are read again by each thread
    // (Rereader); the others are staged, between barriers.
    LoadOp rowsLoad = tile::rereadableLoad(op.getRows());
    LoadOp colsLoad = tile::rereadableLoad(op.getCols());
    Value rows, cols;
    if (!rowsLoad || !colsLoad) {
      layout::barrier(rewriter, loc);
      if (!rowsLoad)
        rows = layout::stageTile(rewriter, loc, rowsType, adaptor.getRows(), threads, 0);
      if (!colsLoad)
        cols = layout::stageTile(rewriter, loc, colsType, adaptor.getCols(), threads,
                                 rowsLoad ? 0 : tile::stagedTileBytes(rowsType));
      layout::barrier(rewriter, loc);
    }
    std::optional<Rereader> rowsReader, colsReader;
    if (rowsLoad)
      rowsReader.emplace(rewriter, rowsLoad);
    if (colsLoad)
      colsReader.emplace(rewriter, colsLoad);
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
          auto element = [&](std::optional<Rereader> &reader, Value staged, unsigned axis) {
            if (reader)
              return reader->at(l, owned, slot, axis);
            return layout::readShared(b, l, staged, owned.index(b, slot)[axis],
                                      owned.tileLayout().mayBePadding(slot));
          };
          Value diff = arith::SubFOp::create(b, l, element(rowsReader, rows, 0),
                                             element(colsReader, cols, 1));
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
