//===- MemoryLowering.cpp - tile.load and tile.store ----------------------===//
//
// Each thread reads or writes the elements it owns. An element is live when
// it is inside the tile, inside `bounds` and selected by the mask; a dead
// element reads nothing (it takes `other`) and writes nothing. Neighbour
// threads own neighbour elements, so row-major accesses are coalesced.
//
//===----------------------------------------------------------------------===//
#include "Layout.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {
namespace {

/// The operands loads and stores share, already converted.
struct Access {
  Value pointer;  // !llvm.ptr<1>
  Value base;     // index
  ValueRange offsets, strides, bounds;
  Value mask;     // vector<K x i1> or null
};

/// The address (an i64 element offset) and liveness of one owned element.
std::pair<Value, Value> addressAndLiveness(OpBuilder &b, Location loc,
                                           const layout::TileLayout &tileLayout,
                                           const Access &access, Value linear, int64_t slot) {
  SmallVector<Value> index = layout::delinearize(b, loc, linear, tileLayout.type.getShape());
  Value live = tileLayout.hasPadding() ? layout::isInTile(b, loc, tileLayout, linear) : Value();
  auto both = [&](Value condition) {
    live = live ? arith::AndIOp::create(b, loc, live, condition).getResult() : condition;
  };
  Value address = access.base;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  for (auto [axis, position] : llvm::enumerate(index)) {
    Value global = arith::AddIOp::create(b, loc, access.offsets[axis], position);
    if (!access.bounds.empty()) {
      both(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, global, zero));
      both(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, global, access.bounds[axis]));
    }
    Value scaled = arith::MulIOp::create(b, loc, global, access.strides[axis]);
    address = arith::AddIOp::create(b, loc, address, scaled);
  }
  if (access.mask)
    both(vector::ExtractOp::create(b, loc, access.mask, slot));
  if (!live)
    live = arith::ConstantIntOp::create(b, loc, 1, 1);
  Value address64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), address);
  return {address64, live};
}

Value elementPointer(OpBuilder &b, Location loc, Value pointer, Type elementType, Value address) {
  return LLVM::GEPOp::create(b, loc, pointer.getType(), elementType, pointer, ValueRange{address});
}

struct LoadOpLowering : public OpConversionPattern<LoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(LoadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    const auto &converter = *static_cast<const TileLayoutTypeConverter *>(getTypeConverter());
    Location loc = op.getLoc();
    layout::TileLayout tileLayout(op.getType(), converter.getThreads());
    Type elementType = op.getType().getElementType();
    Access access{adaptor.getBuffer(), adaptor.getBase(), adaptor.getOffsets(),
                  adaptor.getStrides(), adaptor.getBounds(), adaptor.getMask()};
    TypedAttr otherAttr = op.getOtherAttr() ? llvm::cast<TypedAttr>(op.getOtherAttr())
                                            : llvm::cast<TypedAttr>(rewriter.getZeroAttr(elementType));
    Value other = arith::ConstantOp::create(rewriter, loc, otherAttr);
    Value result = layout::buildOwnedVector(
        rewriter, loc, tileLayout, [&](OpBuilder &b, Location l, int64_t slot, Value linear) -> Value {
          auto [address, live] = addressAndLiveness(b, l, tileLayout, access, linear, slot);
          auto branch = scf::IfOp::create(b, l, TypeRange{elementType}, live, /*withElse=*/true);
          OpBuilder thenBuilder = branch.getThenBodyBuilder();
          Value pointer = elementPointer(thenBuilder, l, access.pointer, elementType, address);
          Value loaded = LLVM::LoadOp::create(thenBuilder, l, elementType, pointer);
          scf::YieldOp::create(thenBuilder, l, loaded);
          OpBuilder elseBuilder = branch.getElseBodyBuilder();
          scf::YieldOp::create(elseBuilder, l, other);
          return branch.getResult(0);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct StoreOpLowering : public OpConversionPattern<StoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(StoreOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    const auto &converter = *static_cast<const TileLayoutTypeConverter *>(getTypeConverter());
    Location loc = op.getLoc();
    auto tileType = llvm::cast<RankedTensorType>(op.getValue().getType());
    layout::TileLayout tileLayout(tileType, converter.getThreads());
    Type elementType = tileType.getElementType();
    Access access{adaptor.getBuffer(), adaptor.getBase(), adaptor.getOffsets(),
                  adaptor.getStrides(), adaptor.getBounds(), adaptor.getMask()};
    Value tid = layout::threadId(rewriter, loc);
    for (int64_t slot = 0; slot < tileLayout.perThread; ++slot) {
      Value linear = layout::ownedLinearIndex(rewriter, loc, tileLayout, tid, slot);
      auto [address, live] = addressAndLiveness(rewriter, loc, tileLayout, access, linear, slot);
      Value element = vector::ExtractOp::create(rewriter, loc, adaptor.getValue(), slot);
      auto branch = scf::IfOp::create(rewriter, loc, live, /*withElse=*/false);
      OpBuilder thenBuilder = branch.getThenBodyBuilder();
      Value pointer = elementPointer(thenBuilder, loc, access.pointer, elementType, address);
      LLVM::StoreOp::create(thenBuilder, loc, element, pointer);
    }
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void populateTileMemoryLoweringPatterns(const TileLayoutTypeConverter &converter,
                                        RewritePatternSet &patterns) {
  patterns.add<LoadOpLowering, StoreOpLowering>(converter, patterns.getContext());
}

} // namespace ssdc
