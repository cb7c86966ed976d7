//===- DotLowering.cpp - tile.dot -----------------------------------------===//
//
// The simple correct path: both operands are staged in shared memory and each
// thread accumulates the elements it owns with fp32 FMAs, one k-step of all
// of them per iteration (fp16/bf16 operands are widened exactly to f32). Tensor-core
// layouts (mma.sync, wgmma) slot in here as other lowerings of the same op.
//
//===----------------------------------------------------------------------===//
#include "Layout.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {
namespace {

Value widenToF32(OpBuilder &b, Location loc, Value value) {
  if (value.getType().isF32())
    return value;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), value);
}

struct DotOpLowering : public OpConversionPattern<DotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(DotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t threads = layout::threadsOf(getTypeConverter());
    RankedTensorType aType = op.getA().getType(), bType = op.getB().getType();
    RankedTensorType accType = op.getType();
    layout::TileLayout aLayout(aType, threads), bLayout(bType, threads);

    layout::barrier(rewriter, loc);
    Value aShared =
        layout::sharedArray(rewriter, loc, aType.getElementType(), aLayout.numElements, 0);
    Value bShared = layout::sharedArray(rewriter, loc, bType.getElementType(), bLayout.numElements,
                                        tile::stagedTileBytes(aType));
    layout::writeOwnedElements(rewriter, loc, aLayout, adaptor.getA(), aShared);
    layout::writeOwnedElements(rewriter, loc, bLayout, adaptor.getB(), bShared);
    layout::barrier(rewriter, loc);

    // One loop over the inner dimension carries every accumulator the thread
    // owns, so registers hold the accumulators and one k-step of operands
    // rather than a whole unrolled inner product per element.
    int64_t inner = aType.getDimSize(1), cols = bType.getDimSize(1);
    layout::TileLayout accLayout(accType, threads);
    Value tid = layout::threadId(rewriter, loc);
    SmallVector<Value> rows, columns;
    for (int64_t slot = 0; slot < accLayout.perThread; ++slot) {
      Value linear = layout::ownedLinearIndex(rewriter, loc, accLayout, tid, slot);
      SmallVector<Value> index = layout::delinearize(rewriter, loc, linear, accType.getShape());
      rows.push_back(index[0]);
      columns.push_back(index[1]);
    }
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value end = arith::ConstantIndexOp::create(rewriter, loc, inner);
    auto loop = scf::ForOp::create(rewriter, loc, zero, end, one, ValueRange{adaptor.getAcc()});
    {
      OpBuilder body = OpBuilder::atBlockBegin(loop.getBody());
      Value k = loop.getInductionVar();
      Value sums = loop.getRegionIterArgs()[0];
      for (int64_t slot = 0; slot < accLayout.perThread; ++slot) {
        Value aIndex = layout::linearize(body, loc, ValueRange{rows[slot], k}, aType.getShape());
        Value bIndex = layout::linearize(body, loc, ValueRange{k, columns[slot]}, {inner, cols});
        Value aValue = widenToF32(body, loc, layout::readShared(body, loc, aShared, aIndex));
        Value bValue = widenToF32(body, loc, layout::readShared(body, loc, bShared, bIndex));
        Value sum = vector::ExtractOp::create(body, loc, sums, slot);
        sum = LLVM::FMAOp::create(body, loc, aValue, bValue, sum);
        sums = vector::InsertOp::create(body, loc, sum, sums, slot);
      }
      scf::YieldOp::create(body, loc, sums);
    }
    Value result = loop.getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateTileDotLoweringPatterns(const TileLayoutTypeConverter &converter,
                                     RewritePatternSet &patterns) {
  patterns.add<DotOpLowering>(converter, patterns.getContext());
}

} // namespace ssdc
