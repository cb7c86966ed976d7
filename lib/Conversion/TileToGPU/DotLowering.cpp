//===- DotLowering.cpp - tile.dot -----------------------------------------===//
//
// The simple correct path: both operands are staged in shared memory and each
// thread computes the accumulator elements it owns with fp32 FMAs over the
// inner dimension (fp16/bf16 operands are widened exactly to f32). Tensor-core
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
    Value aShared = layout::sharedArray(rewriter, loc, aType.getElementType(),
                                        aLayout.numElements, 0);
    Value bShared = layout::sharedArray(rewriter, loc, bType.getElementType(),
                                        bLayout.numElements, tile::stagedTileBytes(aType));
    layout::writeOwnedElements(rewriter, loc, aLayout, adaptor.getA(), aShared);
    layout::writeOwnedElements(rewriter, loc, bLayout, adaptor.getB(), bShared);
    layout::barrier(rewriter, loc);

    int64_t inner = aType.getDimSize(1), cols = bType.getDimSize(1);
    Value acc = adaptor.getAcc();
    Value result = layout::buildOwnedVector(
        rewriter, loc, layout::TileLayout(accType, threads),
        [&](OpBuilder &b, Location l, int64_t slot, Value linear) -> Value {
          SmallVector<Value> index = layout::delinearize(b, l, linear, accType.getShape());
          Value init = vector::ExtractOp::create(b, l, acc, slot);
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value one = arith::ConstantIndexOp::create(b, l, 1);
          Value end = arith::ConstantIndexOp::create(b, l, inner);
          auto loop = scf::ForOp::create(b, l, zero, end, one, ValueRange{init});
          OpBuilder body = OpBuilder::atBlockBegin(loop.getBody());
          Value k = loop.getInductionVar();
          Value aIndex = layout::linearize(body, l, ValueRange{index[0], k}, aType.getShape());
          Value bIndex = layout::linearize(body, l, ValueRange{k, index[1]}, {inner, cols});
          Value aValue = widenToF32(body, l, layout::readShared(body, l, aShared, aIndex));
          Value bValue = widenToF32(body, l, layout::readShared(body, l, bShared, bIndex));
          Value sum = LLVM::FMAOp::create(body, l, aValue, bValue, loop.getRegionIterArgs()[0]);
          scf::YieldOp::create(body, l, sum);
          return loop.getResult(0);
        });
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
