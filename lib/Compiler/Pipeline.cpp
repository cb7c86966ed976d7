//===- Pipeline.cpp - the one stage pipeline of ssdc ----------------------===//
#include "ssdc/Compiler/Pipeline.h"

#include "ssdc/Conversion/Passes.h"
#include "ssdc/Conversion/TileToGPU/TileToGPU.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"
#include "ssdc/Target/NVPTX/NVPTXTarget.h"

#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/NVGPUToNVVM/NVGPUToNVVM.h"
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

FailureOr<CompiledConfig> compileSpecialized(KernelOp specialized, ArrayRef<int64_t> config,
                                             const CompileOptions &options,
                                             const std::optional<std::string> &ptxas) {
  // Lowering replaces the kernel op: diagnostics after it use its location.
  Location loc = specialized.getLoc();
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
pkg::ElemType elemTypeOf(Type type) {
  if (type.isF16())
    return pkg::ElemType::F16;
  if (type.isBF16())
    return pkg::ElemType::BF16;
  if (type.isSignlessInteger(32))
    return pkg::ElemType::I32;
  if (type.isSignlessInteger(64))
    return pkg::ElemType::I64;
  return pkg::ElemType::F32;
}

pkg::Access accessOf(Access access) {
  switch (access) {
  case Access::read:
    return pkg::Access::Read;
  case Access::write:
    return pkg::Access::Write;
  case Access::readwrite:
    return pkg::Access::ReadWrite;
  }
  llvm_unreachable("unknown access");
}

/// The grid expression in the package's postfix form; its symbols are the
/// kernel's `numArgs` arguments, then its parameters.
void appendPostfix(AffineExpr expr, unsigned numArgs, pkg::Expr &out) {
  using Op = pkg::ExprNode::Op;
  if (auto cst = llvm::dyn_cast<AffineConstantExpr>(expr)) {
    out.push_back({Op::Const, cst.getValue()});
    return;
  }
  if (auto sym = llvm::dyn_cast<AffineSymbolExpr>(expr)) {
    unsigned position = sym.getPosition();
    out.push_back(position < numArgs ? pkg::ExprNode{Op::Arg, position}
                                     : pkg::ExprNode{Op::Param, position - numArgs});
    return;
  }
  auto bin = llvm::cast<AffineBinaryOpExpr>(expr);
  appendPostfix(bin.getLHS(), numArgs, out);
  appendPostfix(bin.getRHS(), numArgs, out);
  switch (expr.getKind()) {
  case AffineExprKind::Add:
    out.push_back({Op::Add, 0});
    return;
  case AffineExprKind::Mul:
    out.push_back({Op::Mul, 0});
    return;
  case AffineExprKind::FloorDiv:
    out.push_back({Op::FloorDiv, 0});
    return;
  case AffineExprKind::CeilDiv:
    out.push_back({Op::CeilDiv, 0});
    return;
  case AffineExprKind::Mod:
    out.push_back({Op::Mod, 0});
    return;
  default:
    llvm_unreachable("leaf kinds handled above");
  }
}

} // namespace

pkg::Kernel describeKernel(KernelOp kernel) {
  pkg::Kernel described;
  described.name = kernel.getSymName().str();
  for (auto [index, type] : llvm::enumerate(kernel.getArgumentTypes())) {
    pkg::Arg arg;
    arg.name = kernel.getArgName(index);
    if (auto buffer = llvm::dyn_cast<BufferType>(type)) {
      arg.kind = pkg::ArgKind::Buffer;
      arg.type = elemTypeOf(buffer.getElementType());
      arg.access = accessOf(buffer.getAccess());
    } else {
      arg.kind = pkg::ArgKind::Int;
      arg.type = elemTypeOf(type);
    }
    described.args.push_back(std::move(arg));
  }
  for (Attribute attr : kernel.getParams()) {
    auto param = llvm::cast<ParamAttr>(attr);
    described.params.push_back({param.getName().str(),
                                {param.getValues().begin(), param.getValues().end()},
                                param.getDefaultValue()});
  }
  for (int64_t index : kernel.getKey())
    described.keyArgs.push_back(static_cast<uint32_t>(index));
  for (AffineExpr expr : kernel.getGrid().getResults())
    appendPostfix(expr, kernel.getNumArguments(), described.grid.emplace_back());
  return described;
}

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
  for (KernelOp kernel : module.getOps<KernelOp>()) {
    if (kernel->hasAttr("tile.config"))
      return kernel.emitError("a package is compiled from generic kernels, not specialized ones");
    pkg::Kernel described = describeKernel(kernel);
    FailureOr<SmallVector<tile::Config>> configs = enumerateConfigs(kernel, options.config);
    if (failed(configs))
      return failure();
    tile::Config defaults = defaultConfig(kernel);
    for (const tile::Config &config : *configs) {
      FailureOr<KernelOp> specialized = specializeKernel(kernel, config);
      if (failed(specialized))
        return failure();
      if (std::string reason = tile::checkConfigFits(*specialized, limits); !reason.empty()) {
        specialized->erase();
        // A config asked for by name must build; in the full space a config
        // the chip cannot run is left out, as tile-specialize does.
        InFlightDiagnostic diag =
            options.config.empty() ? kernel.emitWarning() : kernel.emitError();
        diag << "config " << specializedName(kernel, config) << " " << reason
             << (options.config.empty() ? "; left out of the package" : "");
        if (!options.config.empty())
          return failure();
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
    if (described.configs[described.defaultConfig].paramValues !=
        std::vector<int64_t>(defaults.begin(), defaults.end()))
      kernel.emitWarning() << "the default config of @" << kernel.getSymName()
                           << " does not fit the target; the package's default is "
                           << described.configs[described.defaultConfig].entry;
    package.kernels.push_back(std::move(described));
  }
  if (package.kernels.empty())
    return module.emitError("no tile.kernel to compile");
  return package;
}

} // namespace ssdc
