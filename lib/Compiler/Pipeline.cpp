//===- Pipeline.cpp - the one stage pipeline of ssdc ----------------------===//
#include "ssdc/Compiler/Pipeline.h"

#include "ssdc/Compiler/KernelDescription.h"

#include "ssdc/Conversion/Passes.h"
#include "ssdc/Conversion/TileToGPU/TileToGPU.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"
#include "ssdc/Target/NVPTX/NVPTXTarget.h"

#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/NVGPUToNVVM/NVGPUToNVVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Config/llvm-config.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {

std::optional<Stage> parseStage(StringRef name) {
  return llvm::StringSwitch<std::optional<Stage>>(name)
      .Case("tile", Stage::Tile)
      .Case("specialize", Stage::Specialize)
      .Case("tile-gpu", Stage::TileGPU)
      .Case("llvm", Stage::LLVM)
      .Case("llvm-ir", Stage::LLVMIR)
      .Case("ptx", Stage::PTX)
      .Case("cubin", Stage::Cubin)
      .Case("package", Stage::Package)
      .Case("cpp-header", Stage::CppHeader)
      .Default(std::nullopt);
}

StringRef stageNames() {
  return "tile, specialize, tile-gpu, llvm, llvm-ir, ptx, cubin, package, cpp-header";
}

void buildTileToLLVMPipeline(OpPassManager &pm, Stage until) {
  pm.addPass(createConvertTileToGPU());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (until == Stage::TileGPU)
    return;
  pm.addPass(createSCFToControlFlowPass());
  ConvertGpuOpsToNVVMOpsOptions nvvmOptions;
  nvvmOptions.indexBitwidth = 64; // addresses are 64-bit
  // nvgpu (ldmatrix of the tensor-core dots) first, while its operands are
  // still memrefs, as upstream's gpu-lower-to-nvvm-pipeline orders it.
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertNVGPUToNVVMPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps(nvvmOptions));
  // NVVM ops that are inline PTX (wgmma.mma_async) to llvm.inline_asm.
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertNVVMToLLVMPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createAlignDynamicSharedMemory());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void registerPipelines() {
  PassPipelineRegistration<>(
      "ssdc-tile-to-gpu", "Specialized tile kernels to the SIMT gpu form (the tile-gpu stage)",
      [](OpPassManager &pm) { buildTileToLLVMPipeline(pm, Stage::TileGPU); });
  PassPipelineRegistration<>(
      "ssdc-tile-to-llvm",
      "Specialized tile kernels to the LLVM and NVVM dialects (the llvm stage)",
      [](OpPassManager &pm) { buildTileToLLVMPipeline(pm, Stage::LLVM); });
}

LogicalResult lowerSpecializedModule(ModuleOp module, Stage until) {
  PassManager pm(module.getContext());
  buildTileToLLVMPipeline(pm, until);
  return pm.run(module);
}

static gpu::GPUModuleOp firstGPUModule(ModuleOp module) {
  auto modules = module.getOps<gpu::GPUModuleOp>();
  return modules.empty() ? gpu::GPUModuleOp() : *modules.begin();
}

LogicalResult checkSpecializedChip(KernelOp specialized, StringRef chip) {
  // What it lowers to depends on the chip it was specialized for (wgmma on
  // sm_90a): code for another chip could not be selected.
  auto recorded = specialized->getAttrOfType<StringAttr>(kChipAttrName);
  if (!recorded || recorded.getValue() == chip)
    return success();
  return specialized.emitError() << "@" << specialized.getSymName() << " is specialized for "
                                 << recorded.getValue() << " (" << kChipAttrName
                                 << "), not for the chip it is compiled for, " << chip;
}

FailureOr<CompiledConfig> compileSpecialized(KernelOp specialized, ArrayRef<int64_t> config,
                                             const CompileOptions &options,
                                             const std::optional<std::string> &ptxas) {
  // Lowering replaces the kernel op: diagnostics after it use its location.
  Location loc = specialized.getLoc();
  if (failed(checkSpecializedChip(specialized, options.chip)))
    return failure();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  specialized->remove();
  module->push_back(specialized);

  CompiledConfig compiled;
  compiled.entry = specialized.getSymName().str();
  compiled.config.assign(config.begin(), config.end());
  compiled.sharedBytes = tile::sharedMemoryBytes(specialized);
  if (failed(lowerSpecializedModule(*module, Stage::LLVM)))
    return failure();
  gpu::GPUModuleOp gpuModule = firstGPUModule(*module);
  auto func = gpuModule ? gpuModule.lookupSymbol<LLVM::LLVMFuncOp>(compiled.entry) : nullptr;
  if (!func)
    return emitError(loc) << "lowering produced no entry " << compiled.entry;
  auto maxThreads = func->getAttrOfType<DenseI32ArrayAttr>("nvvm.maxntid");
  compiled.blockThreads = maxThreads ? maxThreads[0] : 0;

  FailureOr<std::string> ptx = nvptx::translateToPTX(gpuModule, options.chip);
  if (failed(ptx))
    return failure();
  compiled.ptx = std::move(*ptx);
  if (ptxas) {
    std::string error;
    FailureOr<nvptx::AssembledCubin> cubin =
        nvptx::assembleWithPtxas(*ptxas, compiled.ptx, options.chip, error);
    if (failed(cubin))
      return emitError(loc) << "config " << compiled.entry << ": " << error;
    compiled.cubin = std::move(cubin->cubin);
    compiled.ptxasReport = std::move(cubin->report);
  }
  return compiled;
}

namespace {
/// Every config of `kernel` (or options.config) that fits `limits`, compiled;
/// configs that do not fit are left out with a warning, or are an error when
/// asked for by name.
FailureOr<pkg::Kernel> compileKernel(KernelOp kernel, const CompileOptions &options,
                                     const tile::TargetLimits &limits,
                                     const std::optional<std::string> &ptxas) {
  if (kernel->hasAttr(kConfigAttrName))
    return kernel.emitError("a package is compiled from generic kernels, not specialized ones");
  pkg::Kernel described = describeKernel(kernel);
  FailureOr<SmallVector<tile::Config>> configs = enumerateConfigs(kernel, options.config);
  if (failed(configs))
    return failure();
  tile::Config defaults = defaultConfig(kernel);
  bool defaultLeftOut = false;
  for (const tile::Config &config : *configs) {
    FailureOr<KernelOp> specialized = specializeKernel(kernel, config, options.chip);
    if (failed(specialized))
      return failure();
    if (std::string reason = tile::checkConfigFits(*specialized, limits); !reason.empty()) {
      specialized->erase();
      // A config asked for by name must build; in the full space a config
      // the chip cannot run is left out, as tile-specialize does.
      if (!options.config.empty())
        return kernel.emitError() << "config " << specializedName(kernel, config) << " " << reason;
      kernel.emitWarning() << "config " << specializedName(kernel, config) << " " << reason
                           << "; left out of the package";
      defaultLeftOut = defaultLeftOut || config == defaults;
      continue;
    }
    FailureOr<CompiledConfig> compiled = compileSpecialized(*specialized, config, options, ptxas);
    if (failed(compiled))
      return failure();
    if (config == defaults)
      described.defaultConfig = described.configs.size();
    pkg::Config entry;
    entry.paramValues.assign(config.begin(), config.end());
    entry.entry = compiled->entry;
    entry.blockThreads = static_cast<uint32_t>(compiled->blockThreads);
    entry.sharedBytes = static_cast<uint32_t>(compiled->sharedBytes);
    entry.ptx = std::move(compiled->ptx);
    entry.cubin = std::move(compiled->cubin);
    if (!entry.cubin.empty())
      entry.cubinChip = options.chip;
    described.configs.push_back(std::move(entry));
  }
  if (described.configs.empty())
    return kernel.emitError() << "no config of @" << kernel.getSymName() << " fits the target";
  // With one config asked for by name, that config is the default.
  if (defaultLeftOut)
    kernel.emitWarning() << "the default config of @" << kernel.getSymName()
                         << " does not fit the target; the package's default is "
                         << described.configs[described.defaultConfig].entry;
  return described;
}
} // namespace

FailureOr<pkg::Package> compilePackage(ModuleOp module, const CompileOptions &options) {
  pkg::Package package;
  package.chip = options.chip;
  package.producer = "ssdc (LLVM " LLVM_VERSION_STRING ")";
  std::string chipError;
  FailureOr<nvptx::ChipInfo> chip = nvptx::lookupChip(options.chip, chipError);
  if (failed(chip))
    return module.emitError(chipError);
  tile::TargetLimits limits;
  limits.sharedBytes = chip->sharedBytesPerBlock;
  std::optional<std::string> ptxas = options.buildCubins ? nvptx::findPtxas() : std::nullopt;
  if (failed(instantiateElementTypes(module)))
    return failure();
  for (KernelOp kernel : module.getOps<KernelOp>()) {
    FailureOr<pkg::Kernel> described = compileKernel(kernel, options, limits, ptxas);
    if (failed(described))
      return failure();
    package.kernels.push_back(std::move(*described));
  }
  if (package.kernels.empty())
    return module.emitError("no tile.kernel to compile");
  return package;
}

} // namespace ssdc
