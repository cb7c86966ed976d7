//===- NVPTXTarget.cpp - PTX from LLVM's NVPTX backend; cubin via ptxas --===//
#include "ssdc/Target/NVPTX/NVPTXTarget.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Scalar/Sink.h"

#include <mutex>

using namespace mlir;

namespace ssdc::nvptx {

FailureOr<ChipInfo> lookupChip(StringRef chip, std::string &error) {
  static constexpr ChipInfo kChips[] = {
      {"sm_80", "+ptx70", 163 * 1024},  {"sm_89", "+ptx78", 99 * 1024},
      {"sm_90", "+ptx78", 227 * 1024},  {"sm_90a", "+ptx80", 227 * 1024},
      {"sm_100", "+ptx86", 227 * 1024},
  };
  for (const ChipInfo &info : kChips)
    if (info.name == chip)
      return info;
  error = ("unknown chip '" + chip + "'; expected sm_80, sm_89, sm_90, sm_90a or sm_100").str();
  return failure();
}

namespace {
void initializeNVPTXBackend() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
  });
}

/// The NVPTX target machine for `chip`, or a diagnostic on `op`.
std::unique_ptr<llvm::TargetMachine> createTargetMachine(Operation *op, StringRef chip) {
  initializeNVPTXBackend();
  std::string error;
  FailureOr<ChipInfo> info = lookupChip(chip, error);
  if (failed(info)) {
    op->emitError(error);
    return nullptr;
  }
  llvm::Triple triple("nvptx64-nvidia-cuda");
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) {
    op->emitError() << "LLVM has no NVPTX backend: " << error;
    return nullptr;
  }
  return std::unique_ptr<llvm::TargetMachine>(
      target->createTargetMachine(triple, chip, info->ptxFeature, llvm::TargetOptions(),
                                  std::nullopt, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
}

/// The upstream lowering of gpu.dynamic_shared_memory declares an internal
/// zero-sized shared array, which NVPTX demotes to a one-byte static variable;
/// dynamic shared memory is an external one (`.extern .shared ... []`).
void externalizeDynamicSharedMemory(Operation *module) {
  module->walk([](LLVM::GlobalOp global) {
    auto array = llvm::dyn_cast<LLVM::LLVMArrayType>(global.getGlobalType());
    if (global.getAddrSpace() == 3 && array && array.getNumElements() == 0)
      global.setLinkage(LLVM::Linkage::External);
  });
}

/// `module` as an O3-optimized LLVM module for `targetMachine`.
std::unique_ptr<llvm::Module> translateAndOptimize(Operation *module, llvm::LLVMContext &context,
                                                   llvm::TargetMachine &targetMachine) {
  externalizeDynamicSharedMemory(module);
  std::unique_ptr<llvm::Module> llvmModule = translateModuleToLLVMIR(module, context, "ssdc");
  if (!llvmModule) {
    module->emitError("translation to LLVM IR failed");
    return nullptr;
  }
  llvmModule->setTargetTriple(targetMachine.getTargetTriple());
  llvmModule->setDataLayout(targetMachine.createDataLayout());

  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(&targetMachine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  llvm::ModulePassManager passes =
      builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  // A tile's elements are computed before the chunked stores that branch on
  // alignment; sinking each computation to the block that dominates its uses
  // keeps only one chunk live at a time instead of the whole tile.
  passes.addPass(llvm::createModuleToFunctionPassAdaptor(llvm::SinkingPass()));
  passes.run(*llvmModule, modules);
  return llvmModule;
}
} // namespace

namespace {
/// Runs `emit` on `module` translated to LLVM IR and optimized for `chip`.
FailureOr<std::string> withOptimizedModule(
    Operation *module, StringRef chip,
    function_ref<FailureOr<std::string>(llvm::Module &, llvm::TargetMachine &)> emit) {
  std::unique_ptr<llvm::TargetMachine> targetMachine = createTargetMachine(module, chip);
  if (!targetMachine)
    return failure();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule = translateAndOptimize(module, context, *targetMachine);
  if (!llvmModule)
    return failure();
  return emit(*llvmModule, *targetMachine);
}
} // namespace

FailureOr<std::string> translateToOptimizedLLVMIR(Operation *module, StringRef chip) {
  return withOptimizedModule(
      module, chip, [](llvm::Module &llvmModule, llvm::TargetMachine &) -> FailureOr<std::string> {
        std::string text;
        llvm::raw_string_ostream os(text);
        llvmModule.print(os, nullptr);
        return text;
      });
}

FailureOr<std::string> translateToPTX(Operation *module, StringRef chip) {
  return withOptimizedModule(
      module, chip,
      [&](llvm::Module &llvmModule, llvm::TargetMachine &targetMachine) -> FailureOr<std::string> {
        llvm::SmallString<0> ptx;
        llvm::raw_svector_ostream os(ptx);
        llvm::legacy::PassManager codegen;
        if (targetMachine.addPassesToEmitFile(codegen, os, nullptr,
                                              llvm::CodeGenFileType::AssemblyFile)) {
          module->emitError("the NVPTX backend cannot emit assembly");
          return failure();
        }
        codegen.run(llvmModule);
        return std::string(ptx.str());
      });
}

std::optional<std::string> findPtxas() {
  SmallVector<std::string> candidates;
  if (const char *cudaHome = std::getenv("CUDA_HOME"))
    candidates.push_back((llvm::Twine(cudaHome) + "/bin/ptxas").str());
  candidates.push_back("/usr/local/cuda/bin/ptxas");
  for (const std::string &path : candidates)
    if (llvm::sys::fs::can_execute(path))
      return path;
  if (llvm::ErrorOr<std::string> onPath = llvm::sys::findProgramByName("ptxas"))
    return *onPath;
  return std::nullopt;
}

namespace {
/// A temporary file removed when this goes out of scope.
struct TempFile {
  llvm::SmallString<128> path;
  explicit TempFile(StringRef suffix) {
    if (llvm::sys::fs::createTemporaryFile("ssdc", suffix, path))
      path.clear();
  }
  ~TempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};

std::optional<std::string> readFile(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return std::nullopt;
  return (*buffer)->getBuffer().str();
}
} // namespace

FailureOr<AssembledCubin> assembleWithPtxas(StringRef ptxas, StringRef ptx, StringRef chip,
                                            std::string &error) {
  TempFile input(".ptx"), output(".cubin"), log(".log");
  if (input.path.empty() || output.path.empty() || log.path.empty()) {
    error = "cannot create temporary files for ptxas";
    return failure();
  }
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(input.path, ec);
    if (ec) {
      error = "cannot write " + input.path.str().str() + ": " + ec.message();
      return failure();
    }
    os << ptx;
  }
  std::string arch = ("-arch=" + chip).str();
  SmallVector<StringRef> args{ptxas, arch, "-v", "-o", output.path, input.path};
  std::optional<StringRef> redirects[] = {std::nullopt, log.path.str(), log.path.str()};
  std::string executeError;
  int status =
      llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects, /*SecondsToWait=*/300,
                                /*MemoryLimit=*/0, &executeError);
  std::string report = readFile(log.path).value_or("");
  if (status != 0) {
    error = "ptxas " + arch + " failed" + (executeError.empty() ? "" : " (" + executeError + ")") +
            ":\n" + report;
    return failure();
  }
  std::optional<std::string> cubin = readFile(output.path);
  if (!cubin) {
    error = "ptxas wrote no cubin";
    return failure();
  }
  return AssembledCubin{std::move(*cubin), std::move(report)};
}

} // namespace ssdc::nvptx
