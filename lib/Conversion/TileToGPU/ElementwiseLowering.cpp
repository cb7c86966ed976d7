//===- ElementwiseLowering.cpp - arith/math on tiles, splat, range, exp ---===//
//
// Elementwise ops need no exchange between threads: each thread applies them
// to the elements it owns, i.e. to its vector. Transcendentals become NVVM
// intrinsics (ex2.approx, lg2.approx), or formulas on them, so that no
// libdevice is needed.
//
//===----------------------------------------------------------------------===//
#include "Layout.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {
namespace {

bool hasTileType(TypeRange types) {
  return llvm::any_of(types, [](Type type) { return llvm::isa<RankedTensorType>(type); });
}

/// Applies `scalarFn` to every element of `value` (a scalar or a vector),
/// computing in f32 for narrower floats.
Value mapFloatElements(OpBuilder &b, Location loc, Value value,
                       function_ref<Value(OpBuilder &, Location, Value)> scalarFn) {
  auto vectorType = llvm::dyn_cast<VectorType>(value.getType());
  auto apply = [&](Value scalar) -> Value {
    Type type = scalar.getType();
    if (type.isF32())
      return scalarFn(b, loc, scalar);
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), scalar);
    return arith::TruncFOp::create(b, loc, type, scalarFn(b, loc, wide));
  };
  if (!vectorType)
    return apply(value);
  Value result = value;
  for (int64_t slot = 0; slot < vectorType.getNumElements(); ++slot) {
    Value element = vector::ExtractOp::create(b, loc, value, slot);
    result = vector::InsertOp::create(b, loc, apply(element), result, slot);
  }
  return result;
}

Value callIntrinsic(OpBuilder &b, Location loc, StringRef name, Value x) {
  return LLVM::CallIntrinsicOp::create(b, loc, x.getType(), b.getStringAttr(name), ValueRange{x})
      .getResult(0);
}
Value callIntrinsic(OpBuilder &b, Location loc, StringRef name, Value x, Value y) {
  return LLVM::CallIntrinsicOp::create(b, loc, x.getType(), b.getStringAttr(name), ValueRange{x, y})
      .getResult(0);
}

Value scaleF32(OpBuilder &b, Location loc, Value x, double factor) {
  Value c = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(static_cast<float>(factor)));
  return arith::MulFOp::create(b, loc, x, c);
}

Value exp2Approx(OpBuilder &b, Location loc, Value x) {
  return callIntrinsic(b, loc, "llvm.nvvm.ex2.approx", x);
}

/// exp(x) = 2^(x log2 e) through ex2.approx.f32 (no ftz: subnormal results
/// are kept; exp(-inf) = 0), with the rounding error of x * log2(e) carried
/// separately: for |x| near 100 that rounding alone would cost ~6e-6 relative
/// error, which the 1e-5 budget of the SSD kernels cannot afford.
///   t = x * L,  e = fma(x, L, -t) + x * L_lo,  exp(x) = 2^t * (1 + e ln 2)
Value expApprox(OpBuilder &b, Location loc, Value x) {
  constexpr double log2e = llvm::numbers::log2e;
  const float log2eHi = static_cast<float>(log2e);
  const float log2eLo = static_cast<float>(log2e - static_cast<double>(log2eHi));
  auto constant = [&](float value) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value)).getResult();
  };
  Value t = arith::MulFOp::create(b, loc, x, constant(log2eHi));
  Value negT = arith::NegFOp::create(b, loc, t);
  Value productError = LLVM::FMAOp::create(b, loc, x, constant(log2eHi), negT);
  Value error = LLVM::FMAOp::create(b, loc, x, constant(log2eLo), productError);
  // ex2.approx flushes results below 2^-126 to zero: compute those as
  // 2^(t + 64) * 2^-64, which rounds once, into the subnormal range.
  Value tiny = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, t, constant(-120.0f));
  Value lifted =
      arith::SelectOp::create(b, loc, tiny, arith::AddFOp::create(b, loc, t, constant(64.0f)), t);
  Value liftedPower = exp2Approx(b, loc, lifted);
  Value power = arith::SelectOp::create(
      b, loc, tiny, arith::MulFOp::create(b, loc, liftedPower, constant(0x1p-64f)), liftedPower);
  Value scaledError = arith::MulFOp::create(b, loc, error, constant(llvm::numbers::ln2f));
  Value corrected = LLVM::FMAOp::create(b, loc, power, scaledError, power);
  // At t = +-inf or NaN the error term is NaN; 2^t is already exact there.
  Value belowInf = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, t,
                                         constant(std::numeric_limits<float>::infinity()));
  Value aboveNegInf = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, t,
                                            constant(-std::numeric_limits<float>::infinity()));
  Value finite = arith::AndIOp::create(b, loc, belowInf, aboveNegInf);
  return arith::SelectOp::create(b, loc, finite, corrected, power);
}
Value log2Approx(OpBuilder &b, Location loc, Value x) {
  return callIntrinsic(b, loc, "llvm.nvvm.lg2.approx.f", x);
}
Value logApprox(OpBuilder &b, Location loc, Value x) {
  return scaleF32(b, loc, log2Approx(b, loc, x), llvm::numbers::ln2);
}

Value f32Constant(OpBuilder &b, Location loc, float value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value)).getResult();
}

/// log1p(x). lg2.approx's error is absolute (2^-22.6, PTX ISA manual), which
/// is a large relative error where log(1 + x) is small, so |x| < 0.5 uses
/// the series of 2 atanh(s), s = x / (2 + x) (|s| < 1/3, eight terms reach
/// f32's precision); elsewhere log(1 + x), whose magnitude is at least 0.4.
Value log1pApprox(OpBuilder &b, Location loc, Value x) {
  Value s =
      arith::DivFOp::create(b, loc, x, arith::AddFOp::create(b, loc, x, f32Constant(b, loc, 2.0f)));
  Value s2 = arith::MulFOp::create(b, loc, s, s);
  // 2 s (1 + s^2/3 + s^4/5 + ... + s^14/15), by Horner's rule in s^2.
  Value series = f32Constant(b, loc, 1.0f / 15);
  for (int k = 13; k >= 1; k -= 2)
    series = LLVM::FMAOp::create(b, loc, series, s2, f32Constant(b, loc, 1.0f / k));
  Value small = arith::MulFOp::create(
      b, loc, arith::MulFOp::create(b, loc, s, f32Constant(b, loc, 2.0f)), series);
  Value large = logApprox(b, loc, arith::AddFOp::create(b, loc, x, f32Constant(b, loc, 1.0f)));
  Value magnitude = callIntrinsic(b, loc, "llvm.fabs", x);
  Value isSmall = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, magnitude,
                                        f32Constant(b, loc, 0.5f));
  return arith::SelectOp::create(b, loc, isSmall, small, large);
}

/// tanh(x) as Cephes's tanhf: x + x^3 P(x^2) below |x| = 0.625, else
/// sign(x) (1 - 2 / (exp(2|x|) + 1)) (1 at exp's overflow).
Value tanhApprox(OpBuilder &b, Location loc, Value x) {
  Value x2 = arith::MulFOp::create(b, loc, x, x);
  Value poly = f32Constant(b, loc, -5.70498872745e-3f);
  for (float c : {2.06390887954e-2f, -5.37397155531e-2f, 1.33314422036e-1f, -3.33332819422e-1f})
    poly = LLVM::FMAOp::create(b, loc, poly, x2, f32Constant(b, loc, c));
  Value x3 = arith::MulFOp::create(b, loc, x2, x);
  Value small = LLVM::FMAOp::create(b, loc, x3, poly, x);
  Value magnitude = callIntrinsic(b, loc, "llvm.fabs", x);
  Value e = expApprox(b, loc, arith::MulFOp::create(b, loc, magnitude, f32Constant(b, loc, 2.0f)));
  Value ratio = arith::DivFOp::create(b, loc, f32Constant(b, loc, 2.0f),
                                      arith::AddFOp::create(b, loc, e, f32Constant(b, loc, 1.0f)));
  Value largeMagnitude = arith::SubFOp::create(b, loc, f32Constant(b, loc, 1.0f), ratio);
  Value large = callIntrinsic(b, loc, "llvm.copysign", largeMagnitude, x);
  Value isSmall = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, magnitude,
                                        f32Constant(b, loc, 0.625f));
  return arith::SelectOp::create(b, loc, isSmall, small, large);
}

/// softplus(x) = max(x, 0) + log1p(exp(-|x|)): never overflows, and exact
/// to f32 where exp(x) is below f32's precision.
Value softplusApprox(OpBuilder &b, Location loc, Value x) {
  Value magnitude = callIntrinsic(b, loc, "llvm.fabs", x);
  Value tail = log1pApprox(b, loc, expApprox(b, loc, arith::NegFOp::create(b, loc, magnitude)));
  Value positive = arith::MaximumFOp::create(b, loc, x, f32Constant(b, loc, 0.0f));
  return arith::AddFOp::create(b, loc, positive, tail);
}

/// 1 / (1 + exp(-x)): 0 where exp(-x) overflows, 1 where it underflows.
Value sigmoidApprox(OpBuilder &b, Location loc, Value x) {
  Value e = expApprox(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, f32Constant(b, loc, 1.0f),
                               arith::AddFOp::create(b, loc, e, f32Constant(b, loc, 1.0f)));
}

/// x / (1 + exp(-x)), and -0 at x = -inf (where the quotient is inf / inf).
Value siluApprox(OpBuilder &b, Location loc, Value x) {
  Value e = expApprox(b, loc, arith::NegFOp::create(b, loc, x));
  Value quotient =
      arith::DivFOp::create(b, loc, x, arith::AddFOp::create(b, loc, e, f32Constant(b, loc, 1.0f)));
  Value isNegInf =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x,
                            f32Constant(b, loc, -std::numeric_limits<float>::infinity()));
  return arith::SelectOp::create(b, loc, isNegInf, f32Constant(b, loc, -0.0f), quotient);
}

/// arith ops on tiles: the same op on the per-thread vectors.
struct ArithOnTilesLowering : public ConversionPattern {
  ArithOnTilesLowering(const TypeConverter &converter, MLIRContext *ctx)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                                ConversionPatternRewriter &rewriter) const override {
    if (!llvm::isa<arith::ArithDialect>(op->getDialect()) ||
        (!hasTileType(op->getOperandTypes()) && !hasTileType(op->getResultTypes())))
      return failure();
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(), resultTypes)))
      return failure();
    if (auto constant = llvm::dyn_cast<arith::ConstantOp>(op)) {
      auto dense = llvm::dyn_cast<DenseElementsAttr>(constant.getValue());
      if (!dense || !dense.isSplat())
        return rewriter.notifyMatchFailure(op, "only splat tile constants are supported");
      auto splat = DenseElementsAttr::get(llvm::cast<ShapedType>(resultTypes[0]),
                                          dense.getSplatValue<Attribute>());
      rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, splat);
      return success();
    }
    OperationState state(op->getLoc(), op->getName(), operands, resultTypes, op->getAttrs());
    rewriter.replaceOp(op, rewriter.create(state)->getResults());
    return success();
  }
};

/// Unary math and tile ops, on tiles or scalars, through NVVM intrinsics or
/// LLVM intrinsics that NVPTX selects directly (never libdevice).
template <typename MathOp> struct MathOpLowering : public OpConversionPattern<MathOp> {
  using OpConversionPattern<MathOp>::OpConversionPattern;
  using ScalarFn = Value (*)(OpBuilder &, Location, Value);

  MathOpLowering(const TypeConverter &converter, MLIRContext *ctx, ScalarFn fn)
      : OpConversionPattern<MathOp>(converter, ctx), scalarFn(fn) {}

  LogicalResult matchAndRewrite(MathOp op, typename MathOp::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, mapFloatElements(rewriter, op.getLoc(), adaptor.getOperands().front(), scalarFn));
    return success();
  }
  ScalarFn scalarFn;
};

// Intrinsic calls rather than llvm.intr.sqrt/fabs, which gpu-to-nvvm would
// turn into libdevice calls.
Value sqrtScalar(OpBuilder &b, Location loc, Value x) {
  return callIntrinsic(b, loc, "llvm.nvvm.sqrt.rn.f", x);
}
Value absScalar(OpBuilder &b, Location loc, Value x) {
  return callIntrinsic(b, loc, "llvm.fabs", x);
}

struct ExpOpLowering : public OpConversionPattern<ExpOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ExpOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    if (op.getClamp()) {
      Value zero = arith::ConstantOp::create(
          rewriter, loc, llvm::cast<TypedAttr>(rewriter.getZeroAttr(input.getType())));
      input = arith::MinimumFOp::create(rewriter, loc, input, zero);
    }
    rewriter.replaceOp(op, mapFloatElements(rewriter, loc, input, expApprox));
    return success();
  }
};

struct SplatOpLowering : public OpConversionPattern<SplatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(SplatOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Type type = getTypeConverter()->convertType(op.getType());
    rewriter.replaceOpWithNewOp<vector::BroadcastOp>(op, type, adaptor.getValue());
    return success();
  }
};

/// Element i of a range is i: each thread materializes its linear indices.
struct RangeOpLowering : public OpConversionPattern<RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(RangeOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    layout::TileLayout tileLayout(op.getType(), layout::threadsOf(getTypeConverter()));
    Type elementType = op.getType().getElementType();
    Value result = layout::buildOwnedVector(
        rewriter, op.getLoc(), tileLayout,
        [&](OpBuilder &b, Location loc, int64_t slot, const layout::OwnedIndices &owned) -> Value {
          return owned.linear(b, slot, elementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateTileElementwiseLoweringPatterns(const TileLayoutTypeConverter &converter,
                                             RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ArithOnTilesLowering, ExpOpLowering, SplatOpLowering, RangeOpLowering>(converter,
                                                                                      ctx);
  patterns.add<MathOpLowering<math::ExpOp>>(converter, ctx, expApprox);
  patterns.add<MathOpLowering<math::Exp2Op>>(converter, ctx, exp2Approx);
  patterns.add<MathOpLowering<math::LogOp>>(converter, ctx, logApprox);
  patterns.add<MathOpLowering<math::Log2Op>>(converter, ctx, log2Approx);
  patterns.add<MathOpLowering<math::SqrtOp>>(converter, ctx, sqrtScalar);
  patterns.add<MathOpLowering<math::AbsFOp>>(converter, ctx, absScalar);
  patterns.add<MathOpLowering<math::Log1pOp>>(converter, ctx, log1pApprox);
  patterns.add<MathOpLowering<math::TanhOp>>(converter, ctx, tanhApprox);
  patterns.add<MathOpLowering<SoftplusOp>>(converter, ctx, softplusApprox);
  patterns.add<MathOpLowering<SigmoidOp>>(converter, ctx, sigmoidApprox);
  patterns.add<MathOpLowering<SiluOp>>(converter, ctx, siluApprox);
}

} // namespace ssdc
