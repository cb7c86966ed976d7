//===- TileToGPUPass.cpp - the convert-tile-to-gpu pass --------------------===//
#include "Layout.h"
#include "ssdc/Conversion/Passes.h"
#include "ssdc/Conversion/TileToGPU/TileToGPU.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace ssdc {
#define GEN_PASS_DEF_CONVERTTILETOGPU
#include "ssdc/Conversion/Passes.h.inc"
} // namespace ssdc

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {
namespace {

constexpr StringLiteral kGPUModuleName = "ssdc_kernels";

bool isLegalWithoutTiles(Operation *op) {
  auto isTile = [](Type type) { return llvm::isa<RankedTensorType>(type); };
  return llvm::none_of(op->getOperandTypes(), isTile) &&
         llvm::none_of(op->getResultTypes(), isTile);
}

struct ConvertTileToGPUPass : public impl::ConvertTileToGPUBase<ConvertTileToGPUPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<KernelOp> kernels(module.getOps<KernelOp>());
    for (KernelOp kernel : kernels)
      if (!kernel->hasAttr(kConfigAttrName)) {
        kernel.emitError() << "@" << kernel.getSymName()
                           << " is generic; run tile-specialize before convert-tile-to-gpu";
        return signalPassFailure();
      }
    if (kernels.empty())
      return;
    // math ops lower to NVVM intrinsics, never libdevice; say which exist.
    WalkResult unsupported = module.walk([](Operation *op) {
      if (!llvm::isa<math::MathDialect>(op->getDialect()) ||
          llvm::isa<math::ExpOp, math::Exp2Op, math::LogOp, math::Log2Op, math::Log1pOp,
                    math::TanhOp, math::SqrtOp, math::AbsFOp>(op))
        return WalkResult::advance();
      op->emitOpError() << "has no GPU lowering; the math ops on tiles are exp, exp2, log, "
                           "log2, log1p, tanh, sqrt and absf (tile.exp for exp with a clamp)";
      return WalkResult::interrupt();
    });
    if (unsupported.wasInterrupted())
      return signalPassFailure();

    OpBuilder builder(module.getBodyRegion());
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(), builder.getUnitAttr());
    auto gpuModules = module.getOps<gpu::GPUModuleOp>();
    if (gpuModules.empty())
      gpu::GPUModuleOp::create(builder, module.getLoc(), kGPUModuleName);

    for (KernelOp kernel : kernels) {
      insertBufferHazardBarriers(kernel);
      tile::markWarpgroupDots(kernel);
      pipelineOperandLoads(kernel);
      markCarriedAccumulators(kernel);
      TileLayoutTypeConverter converter(&getContext(), tile::threadsPerProgram(kernel));
      ConversionTarget target(getContext());
      target.addLegalDialect<arith::ArithDialect, gpu::GPUDialect, LLVM::LLVMDialect,
                             memref::MemRefDialect, NVVM::NVVMDialect, nvgpu::NVGPUDialect,
                             scf::SCFDialect, vector::VectorDialect>();
      target.addIllegalDialect<TileDialect, math::MathDialect>();
      target.addDynamicallyLegalDialect<arith::ArithDialect>(isLegalWithoutTiles);
      target.addLegalOp<UnrealizedConversionCastOp>();

      RewritePatternSet patterns(&getContext());
      populateTileKernelLoweringPatterns(converter, patterns);
      populateTileElementwiseLoweringPatterns(converter, patterns);
      populateTileMemoryLoweringPatterns(converter, patterns);
      populateTileExchangeLoweringPatterns(converter, patterns);
      populateTileReductionLoweringPatterns(converter, patterns);
      populateTileDotLoweringPatterns(converter, patterns);
      populateTileRingLoweringPatterns(converter, patterns);
      scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns, target);
      if (failed(applyPartialConversion(kernel.getOperation(), target, std::move(patterns))))
        return signalPassFailure();
    }
    if (failed(unrollDotInnerLoops(module)))
      return signalPassFailure();
    prefetchFirstFragments(module);
    if (failed(lowerSubgroupReduces(module)))
      return signalPassFailure();
  }

  /// The reductions' gpu.subgroup_reduce ops to butterfly shuffles, by
  /// upstream's patterns (convert-gpu-to-nvvm lowers only integer ones, to
  /// redux.sync). Only those ops are rewritten, without folding, so the rest
  /// of the tile-gpu stage stays as the patterns built it.
  LogicalResult lowerSubgroupReduces(ModuleOp module) {
    SmallVector<Operation *> reduces;
    module.walk([&](gpu::SubgroupReduceOp op) { reduces.push_back(op); });
    if (reduces.empty())
      return success();
    RewritePatternSet patterns(&getContext());
    populateGpuLowerSubgroupReduceToShufflePatterns(patterns, layout::kWarpSize);
    populateGpuLowerClusteredSubgroupReduceToShufflePatterns(patterns, layout::kWarpSize);
    GreedyRewriteConfig config;
    config.enableFolding(false).enableConstantCSE(false).setStrictness(
        GreedyRewriteStrictness::ExistingAndNewOps);
    return applyOpPatternsGreedily(reduces, std::move(patterns), config);
  }
};

} // namespace
} // namespace ssdc
