//===- CompileCommand.cpp - `ssdc compile` --------------------------------===//
#include "ssdc/Tools/Commands.h"

#include "CommandOptions.h"

#include "ssdc/Compiler/CppHeader.h"
#include "ssdc/Compiler/Pipeline.h"
#include "ssdc/Compiler/SourceLimits.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"
#include "ssdc/InitAll.h"
#include "ssdc/Target/NVPTX/NVPTXTarget.h"
#include "ssdc/Tooling/RunCommand.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace ssdc {
namespace {

/// Writes `text` to `path` ("-" is stdout), or reports why it cannot.
LogicalResult writeOutput(StringRef path, StringRef text) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output = openOutputFile(path, &error);
  if (!output) {
    llvm::errs() << "ssdc compile: " << error << "\n";
    return failure();
  }
  output->os() << text;
  output->keep();
  return success();
}

/// Specializes and lowers `module` in place through `until` (an IR stage).
LogicalResult lowerThrough(ModuleOp module, Stage until, const CompileOptions &options) {
  if (until == Stage::Tile)
    return success();
  PassManager pm(module.getContext());
  tile::TileSpecializeOptions specializeOptions;
  specializeOptions.config = options.config;
  std::string chipError;
  FailureOr<nvptx::ChipInfo> chip = nvptx::lookupChip(options.chip, chipError);
  if (failed(chip))
    return module.emitError(chipError);
  specializeOptions.maxSharedBytes = chip->sharedBytesPerBlock;
  specializeOptions.chip = options.chip;
  pm.addPass(tile::createTileSpecialize(specializeOptions));
  if (failed(pm.run(module)))
    return failure();
  if (until == Stage::Specialize)
    return success();
  for (tile::KernelOp kernel : module.getOps<tile::KernelOp>())
    if (failed(checkSpecializedChip(kernel, options.chip)))
      return failure();
  return lowerSpecializedModule(module, until == Stage::TileGPU ? Stage::TileGPU : Stage::LLVM);
}

std::string printOp(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  op->print(os);
  os << "\n";
  return text;
}

/// What one `ssdc compile` command line asks for.
struct Invocation {
  std::string inputFile;
  std::string outputFile; // empty: the stage's default
  std::string cppNamespace;
  Stage stage = Stage::Package;
  CompileOptions options;
};

/// Parses the command line into `out`; on failure, the exit status.
std::optional<int> parseCommandLine(int argc, char **argv, Invocation &out) {
  llvm::cl::OptionCategory category("ssdc compile options");
  llvm::cl::opt<std::string> inputFile(llvm::cl::Positional, llvm::cl::desc("<kernel.mlir>"),
                                       llvm::cl::init("-"), llvm::cl::cat(category));
  llvm::cl::opt<std::string> outputFile(
      "o",
      llvm::cl::desc("Output file (default: stdout for text stages and cpp-header, "
                     "<input>.ssdcpkg for a package)"),
      llvm::cl::value_desc("file"), llvm::cl::cat(category));
  // llvm::cl keeps a reference to the description: it must outlive the option.
  const std::string emitDescription = ("Stage to emit: " + stageNames()).str();
  llvm::cl::opt<std::string> emit("emit", llvm::cl::desc(emitDescription),
                                  llvm::cl::init("package"), llvm::cl::cat(category));
  llvm::cl::opt<std::string> chip("chip",
                                  llvm::cl::desc("Target chip: sm_80, sm_89, sm_90, "
                                                 "sm_90a or sm_100"),
                                  llvm::cl::init("sm_90"), llvm::cl::cat(category));
  llvm::cl::opt<std::string> config("config",
                                    llvm::cl::desc("Build one config: NAME=VALUE,... (other "
                                                   "params take their defaults)"),
                                    llvm::cl::cat(category));
  llvm::cl::opt<std::string> cppNamespace(
      "namespace",
      llvm::cl::desc("--emit=cpp-header: the C++ namespace (default: the output file's stem)"),
      llvm::cl::value_desc("a::b"), llvm::cl::cat(category));
  llvm::cl::opt<bool> noCubin("no-cubin", llvm::cl::desc("Package PTX only, even with ptxas"),
                              llvm::cl::cat(category));
  OptionRegistration registration(inputFile, outputFile, emit, chip, config, cppNamespace, noCubin);
  llvm::cl::HideUnrelatedOptions(category);
  if (!llvm::cl::ParseCommandLineOptions(argc, argv, "ssdc compile: tile kernels to NVPTX\n",
                                         &llvm::errs()))
    return 2;

  std::optional<Stage> stage = parseStage(emit);
  if (!stage) {
    llvm::errs() << "ssdc compile: unknown stage '" << emit << "'; expected one of " << stageNames()
                 << "\n";
    return 2;
  }
  // llvm::cl keeps the last of an option given twice; ssdc run refuses that
  // (RunOptions.cpp), and so does this.
  for (const llvm::cl::Option *option : std::initializer_list<const llvm::cl::Option *>{
           &outputFile, &emit, &chip, &config, &cppNamespace, &noCubin})
    if (option->getNumOccurrences() > 1) {
      llvm::errs() << "ssdc compile: " << (option->ArgStr.size() == 1 ? "-" : "--")
                   << option->ArgStr << " is given twice\n";
      return 2;
    }
  // An empty --config would read as no config, every config built.
  if (config.getNumOccurrences() && config.empty()) {
    llvm::errs() << "ssdc compile: --config needs NAME=VALUE,..., not an empty value\n";
    return 2;
  }
  if (cppNamespace.getNumOccurrences() && *stage != Stage::CppHeader) {
    llvm::errs() << "ssdc compile: --namespace is for --emit=cpp-header\n";
    return 2;
  }
  std::string chipError;
  if (failed(nvptx::lookupChip(chip, chipError))) {
    llvm::errs() << "ssdc compile: " << chipError << "\n";
    return 2;
  }
  out.inputFile = inputFile;
  out.outputFile = outputFile;
  out.cppNamespace = cppNamespace;
  out.stage = *stage;
  out.options.chip = chip;
  out.options.config = config;
  out.options.buildCubins = !noCubin;
  return std::nullopt;
}

/// The output path of a text stage: stdout unless -o names a file.
std::string textOutput(const Invocation &invocation) {
  return invocation.outputFile.empty() ? std::string("-") : invocation.outputFile;
}

/// Where the stage is written: -o, else stdout for text stages and
/// cpp-header, <input>.ssdcpkg for a package; empty for a cubin without -o.
std::string outputPath(const Invocation &invocation) {
  if (invocation.stage == Stage::Cubin)
    return invocation.outputFile == "-" ? std::string() : invocation.outputFile;
  if (invocation.stage != Stage::Package || !invocation.outputFile.empty())
    return textOutput(invocation);
  StringRef input = invocation.inputFile;
  StringRef stem = input == "-" ? StringRef("kernel") : input;
  return (stem.ends_with(".mlir") ? stem.drop_back(5) : stem).str() + ".ssdcpkg";
}

/// llvm-ir, ptx or cubin of the first kernel's first config.
int emitTargetCode(ModuleOp module, const Invocation &invocation) {
  const std::string &chip = invocation.options.chip;
  if (failed(lowerThrough(module, Stage::LLVM, invocation.options)))
    return 1;
  auto gpuModules = module.getOps<gpu::GPUModuleOp>();
  if (gpuModules.empty()) {
    llvm::errs() << "ssdc compile: the input has no tile.kernel\n";
    return 1;
  }
  Operation *gpuModule = *gpuModules.begin();
  FailureOr<std::string> text = invocation.stage == Stage::LLVMIR
                                    ? nvptx::translateToOptimizedLLVMIR(gpuModule, chip)
                                    : nvptx::translateToPTX(gpuModule, chip);
  if (failed(text))
    return 1;
  if (invocation.stage != Stage::Cubin)
    return failed(writeOutput(textOutput(invocation), *text)) ? 1 : 0;
  std::optional<std::string> ptxas = nvptx::findPtxas();
  if (!ptxas) {
    llvm::errs() << "ssdc compile: --emit=cubin needs ptxas (install the CUDA toolkit or set "
                    "CUDA_HOME)\n";
    return 1;
  }
  std::string error;
  FailureOr<nvptx::AssembledCubin> cubin = nvptx::assembleWithPtxas(*ptxas, *text, chip, error);
  if (failed(cubin)) {
    llvm::errs() << "ssdc compile: " << error << "\n";
    return 1;
  }
  llvm::errs() << cubin->report;
  return failed(writeOutput(invocation.outputFile, cubin->cubin)) ? 1 : 0;
}

/// The package, by default into <input>.ssdcpkg.
int emitPackage(ModuleOp module, const Invocation &invocation) {
  FailureOr<pkg::Package> package = compilePackage(module, invocation.options);
  if (failed(package))
    return 1;
  return failed(writeOutput(outputPath(invocation), pkg::writePackage(*package))) ? 1 : 0;
}

/// The C++ launcher header, by default to stdout (a text stage).
int emitCppHeader(ModuleOp module, const Invocation &invocation) {
  FailureOr<pkg::Package> package = compilePackage(module, invocation.options);
  if (failed(package))
    return 1;
  const std::string &input = invocation.inputFile;
  StringRef inputStem = input == "-" ? StringRef("kernel") : llvm::sys::path::stem(input);
  std::string path = textOutput(invocation);
  CppHeaderOptions headerOptions;
  headerOptions.headerName =
      path == "-" ? (inputStem + ".h").str() : llvm::sys::path::filename(path).str();
  headerOptions.cppNamespace =
      invocation.cppNamespace.empty()
          ? cppIdentifierFor(llvm::sys::path::stem(headerOptions.headerName).str(), "ssdc_")
          : invocation.cppNamespace;
  headerOptions.source =
      input == "-" ? std::string("<stdin>") : llvm::sys::path::filename(input).str();
  std::string header;
  Status status = generateCppHeader(*package, headerOptions, header);
  if (!status.ok()) {
    llvm::errs() << "ssdc compile: " << status.message() << "\n";
    return 1;
  }
  return failed(writeOutput(path, header)) ? 1 : 0;
}

} // namespace

int compileCommand(int argc, char **argv) {
  Invocation invocation;
  if (std::optional<int> status = parseCommandLine(argc, argv, invocation))
    return *status;

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  // Diagnostics point at the source; printing whole lowered modules with
  // them would bury the message.
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input = openInputFile(invocation.inputFile, &error);
  if (!input) {
    llvm::errs() << "ssdc compile: " << error << "\n";
    return 1;
  }
  sourceMgr.AddNewSourceBuffer(std::move(input), SMLoc());
  // The output is checked once the input opens, before any work: a bad -o costs no compile.
  std::string output = outputPath(invocation);
  if (output.empty()) {
    llvm::errs() << "ssdc compile: --emit=cubin writes a binary; give -o FILE\n";
    return 2;
  }
  if (output != "-")
    if (Status writable = tooling::checkWritableFile(output); !writable.ok()) {
      llvm::errs() << "ssdc compile: " << writable.message() << "\n";
      return 2;
    }

  if (failed(checkSourceLimits(sourceMgr)))
    return 1;
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  switch (invocation.stage) {
  case Stage::Tile:
  case Stage::Specialize:
  case Stage::TileGPU:
  case Stage::LLVM:
    if (failed(lowerThrough(*module, invocation.stage, invocation.options)))
      return 1;
    return failed(writeOutput(textOutput(invocation), printOp(*module))) ? 1 : 0;
  case Stage::LLVMIR:
  case Stage::PTX:
  case Stage::Cubin:
    return emitTargetCode(*module, invocation);
  case Stage::Package:
    return emitPackage(*module, invocation);
  case Stage::CppHeader:
    return emitCppHeader(*module, invocation);
  }
  return 1;
}

} // namespace ssdc
