//===- RunCommand.cpp - `ssdc run KERNEL.mlir` ----------------------------===//
//
// The source form of `ssdc run`: parses the file, picks the kernel and
// specializes it for the config asked for (else the default), then hands the
// kernel's description and an executor (the host interpreter, or a GPU
// through the runtime) to the run path every form shares
// (ssdc/Tooling/RunCommand.h), which binds the arguments, builds the buffers,
// and reports. docs/host-target.md describes it.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Tools/Commands.h"

#include "HostExecutor.h"

#include "ssdc/Compiler/KernelDescription.h"
#include "ssdc/Compiler/SourceLimits.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"
#include "ssdc/InitAll.h"
#include "ssdc/Target/NVPTX/NVPTXTarget.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

using namespace mlir;
using namespace ssdc;
using tooling::kExitError;
using tooling::kExitUsage;
using tooling::RunOptions;

namespace {

/// Parses `path`; its errors are diagnostics.
OwningOpRef<ModuleOp> parseKernelFile(const RunOptions &options, MLIRContext &context,
                                      llvm::SourceMgr &sourceMgr) {
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(options.input, &error);
  if (!file) {
    tooling::usageError(options, error);
    return nullptr;
  }
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  // Deep nesting is a located error here, before MLIR's recursive parser.
  if (failed(checkSourceLimits(sourceMgr)))
    return nullptr;
  return parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
}

/// The kernel called `name`, or the only kernel of `module`.
FailureOr<tile::KernelOp> selectKernel(ModuleOp module, const RunOptions &options) {
  SmallVector<tile::KernelOp> kernels(module.getOps<tile::KernelOp>());
  StringRef name = options.kernel;
  if (!name.empty()) {
    for (tile::KernelOp kernel : kernels)
      if (kernel.getSymName() == name)
        return kernel;
  } else if (kernels.size() == 1) {
    return kernels.front();
  }
  std::string names =
      llvm::join(llvm::map_range(kernels, [](tile::KernelOp k) { return k.getSymName(); }), ", ");
  if (name.empty())
    tooling::usageError(options, "the file has " + std::to_string(kernels.size()) +
                                     " kernels; pick one with --kernel (" + names + ")");
  else
    tooling::usageError(options,
                        "the file has no kernel @" + name.str() + " (it has: " + names + ")");
  return failure();
}

/// `kernel` specialized for the config named, else its default; a file's
/// specialized kernel runs as it is. Returns the exit code of a failure.
FailureOr<tile::KernelOp> specializeForRun(tile::KernelOp kernel, const RunOptions &options,
                                           int &exitCode) {
  exitCode = kExitError;
  if (kernel->hasAttr(tile::kConfigAttrName)) {
    if (options.config.empty())
      return kernel;
    exitCode = tooling::usageError(options, "@" + kernel.getSymName().str() +
                                                " is already specialized; drop --config");
    return failure();
  }
  tile::Config values = tile::defaultConfig(kernel);
  if (!options.config.empty()) {
    FailureOr<SmallVector<tile::Config>> named = tile::enumerateConfigs(kernel, options.config);
    if (failed(named)) {
      exitCode = kExitUsage;
      return failure();
    }
    values = named->front();
  }
  FailureOr<tile::KernelOp> specialized = tile::specializeKernel(kernel, values);
  if (failed(specialized) || failed(verify(*specialized)))
    return failure();
  return specialized;
}

} // namespace

int ssdc::runSourceCommand(const std::vector<std::string> &args) {
  RunOptions options;
  Status status = tooling::parseRunOptions(args, tooling::RunForm::Source, options);
  if (options.help) {
    std::fputs(tooling::runUsage(tooling::RunForm::Source), stdout);
    return 0;
  }
  if (!status.ok())
    return tooling::usageError(options, status.message(), /*withUsage=*/true);
  const bool onCuda = options.target == "cuda";
  CompileOptions compileOptions;
  if (!options.chip.empty())
    compileOptions.chip = options.chip;
  compileOptions.config = options.config;
  std::string chipError;
  if (onCuda && failed(nvptx::lookupChip(compileOptions.chip, chipError)))
    return tooling::usageError(options, chipError);

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false); // the location says where; the op in generic form is noise
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseKernelFile(options, context, sourceMgr);
  if (!module)
    return kExitError;
  // A kernel with element-type parameters runs as one of its instances
  // (--kernel scale_copy_bf16).
  if (failed(tile::instantiateElementTypes(*module)))
    return kExitError;
  FailureOr<tile::KernelOp> generic = selectKernel(*module, options);
  if (failed(generic))
    return kExitUsage;
  // The package form names its kernel; so does the description from here on.
  options.kernel = generic->getSymName().str();
  int exitCode = 0;
  FailureOr<tile::KernelOp> specialized = specializeForRun(*generic, options, exitCode);
  if (failed(specialized))
    return exitCode;

  pkg::Kernel described = describeKernel(*generic);
  tooling::MeasureBuffers measure = measureBuffers(*specialized);
  if (!onCuda) {
    HostExecutor executor(*specialized);
    return tooling::executeRun(described, options, executor, measure);
  }
  // On cuda the specialized kernel gives the grid and sizes buffers; the
  // package is compiled from the generic one.
  CompilingCudaExecutor executor(*generic, *specialized, compileOptions, options);
  return tooling::executeRun(described, options, executor, measure);
}
