//===- KernelLowering.cpp - kernels, returns and program ids --------------===//
#include "Layout.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {

TileLayoutTypeConverter::TileLayoutTypeConverter(MLIRContext *ctx, int64_t threads)
    : threads(threads) {
  addConversion([](Type type) { return type; });
  addConversion([this](RankedTensorType tile) -> Type {
    return VectorType::get({elementsPerThread(tile)}, tile.getElementType());
  });
  addConversion(
      [ctx](BufferType) -> Type { return LLVM::LLVMPointerType::get(ctx, /*addressSpace=*/1); });
  auto cast = [](OpBuilder &b, Type type, ValueRange inputs, Location loc) -> Value {
    return UnrealizedConversionCastOp::create(b, loc, type, inputs).getResult(0);
  };
  addSourceMaterialization(cast);
  addTargetMaterialization(cast);
}

int64_t TileLayoutTypeConverter::elementsPerThread(RankedTensorType tile) const {
  return layout::TileLayout(tile, threads).perThread;
}

namespace {
/// tile.kernel -> gpu.func with the converted signature, in the gpu.module
/// that the pass created beside it.
struct KernelOpLowering : public OpConversionPattern<KernelOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(KernelOp kernel, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto module = kernel->getParentOfType<ModuleOp>();
    auto gpuModules = module.getOps<gpu::GPUModuleOp>();
    if (gpuModules.empty())
      return rewriter.notifyMatchFailure(kernel, "no gpu.module to lower into");
    gpu::GPUModuleOp gpuModule = *gpuModules.begin();

    const auto &converter = *static_cast<const TileLayoutTypeConverter *>(getTypeConverter());
    TypeConverter::SignatureConversion signature(kernel.getNumArguments());
    SmallVector<Type> argTypes;
    for (auto [index, type] : llvm::enumerate(kernel.getArgumentTypes())) {
      Type converted = converter.convertType(type);
      signature.addInputs(index, converted);
      argTypes.push_back(converted);
    }

    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToEnd(gpuModule.getBody());
    auto func = gpu::GPUFuncOp::create(rewriter, kernel.getLoc(), kernel.getSymName(),
                                       rewriter.getFunctionType(argTypes, {}));
    func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), rewriter.getUnitAttr());
    int32_t threads = static_cast<int32_t>(converter.getThreads());
    func.setKnownBlockSizeAttr(rewriter.getDenseI32ArrayAttr({threads, 1, 1}));
    func->setAttr(kSharedBytesAttr, rewriter.getI64IntegerAttr(tile::sharedMemoryBytes(kernel)));
    func->setAttr(kBlockThreadsAttr, rewriter.getI64IntegerAttr(threads));
    // NVVM's translation turns the attribute into .minnctapersm.
    if (std::optional<int64_t> programs = tile::configValue(kernel, kMinProgramsPerSM))
      func->setAttr(NVVM::NVVMDialect::getMinctasmAttrName(),
                    rewriter.getI32IntegerAttr(static_cast<int32_t>(*programs)));

    // Replace the builder's empty entry block with the kernel's body.
    Block *placeholder = &func.getBody().front();
    rewriter.inlineRegionBefore(kernel.getBody(), func.getBody(), func.getBody().end());
    rewriter.eraseBlock(placeholder);
    rewriter.applySignatureConversion(&func.getBody().front(), signature, &converter);
    rewriter.eraseOp(kernel);
    return success();
  }
};

struct ReturnOpLowering : public OpConversionPattern<ReturnOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ReturnOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<gpu::ReturnOp>(op);
    return success();
  }
};

/// Grid axis 0 is blockIdx.x (up to 2^31 - 1 programs), 1 is y, 2 is z.
struct ProgramIdOpLowering : public OpConversionPattern<ProgramIdOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ProgramIdOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    static constexpr gpu::Dimension dims[] = {gpu::Dimension::x, gpu::Dimension::y,
                                              gpu::Dimension::z};
    rewriter.replaceOpWithNewOp<gpu::BlockIdOp>(op, dims[op.getAxis()]);
    return success();
  }
};
} // namespace

void populateTileKernelLoweringPatterns(const TileLayoutTypeConverter &converter,
                                        RewritePatternSet &patterns) {
  patterns.add<KernelOpLowering, ReturnOpLowering, ProgramIdOpLowering>(converter,
                                                                        patterns.getContext());
}

} // namespace ssdc
