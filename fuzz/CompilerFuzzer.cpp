//===- CompilerFuzzer.cpp - libFuzzer target for the compiler front end ---===//
//
// Feeds `.mlir` text through what `ssdc compile` does with a file: the
// source limits, parse and verify, then per kernel specialize and lower to
// PTX through lib/Compiler/Pipeline.cpp (already specialized kernels, as the
// lowering tests write them, go straight to lowering). Beyond crashes and
// sanitizer reports it traps on a stage that fails without saying why: every
// rejected input must get an error diagnostic.
//
// The work per input is bounded: inputs over kMaxInputBytes are skipped,
// tuning spaces over kMaxConfigSpace are not enumerated (their default
// config is still lowered), and at most kMaxLoweredConfigs configs are
// lowered per input. Built by SSDC_FUZZER=ON, run by scripts/fuzz-compiler.sh;
// fuzz/README.md.
//
//===----------------------------------------------------------------------===//

#include "ssdc/Compiler/Pipeline.h"
#include "ssdc/Compiler/SourceLimits.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"
#include "ssdc/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>

using namespace mlir;
using namespace ssdc;

namespace {

constexpr size_t kMaxInputBytes = 16 * 1024;
constexpr uint64_t kMaxConfigSpace = 64;
constexpr unsigned kMaxLoweredConfigs = 2;
constexpr unsigned kInputsPerContext = 1000;

/// Counts the errors emitted while it lives, printing none of them.
class ErrorCounter {
public:
  explicit ErrorCounter(MLIRContext &context)
      : handler(&context, [this](Diagnostic &diagnostic) {
          errors += diagnostic.getSeverity() == DiagnosticSeverity::Error;
          return success();
        }) {}
  unsigned errors = 0;

private:
  ScopedDiagnosticHandler handler;
};

/// A stage that failed without adding an error to the `before` there were
/// rejected its input silently.
void requireDiagnosed(LogicalResult result, const ErrorCounter &counter, unsigned before) {
  if (failed(result) && counter.errors == before)
    __builtin_trap();
}

/// The number of configs of `kernel`'s space, saturating at UINT64_MAX.
uint64_t configSpaceSize(tile::KernelOp kernel) {
  uint64_t size = 1;
  for (Attribute attr : kernel.getParams()) {
    uint64_t values = llvm::cast<tile::ParamAttr>(attr).getValues().size();
    if (values != 0 && size > UINT64_MAX / values)
      return UINT64_MAX;
    size *= values;
  }
  return size;
}

/// The configs to lower: the default, then others of a small space.
SmallVector<tile::Config> configsToLower(tile::KernelOp kernel, ErrorCounter &counter) {
  SmallVector<tile::Config> chosen{tile::defaultConfig(kernel)};
  if (configSpaceSize(kernel) > kMaxConfigSpace)
    return chosen;
  unsigned before = counter.errors;
  FailureOr<SmallVector<tile::Config>> configs = tile::enumerateConfigs(kernel);
  requireDiagnosed(configs, counter, before);
  if (succeeded(configs))
    for (const tile::Config &config : llvm::reverse(*configs))
      if (chosen.size() < kMaxLoweredConfigs && config != chosen.front())
        chosen.push_back(config);
  return chosen;
}

void compileModule(ModuleOp module, ErrorCounter &counter, unsigned &budget) {
  CompileOptions options;
  options.buildCubins = false;
  tile::TargetLimits limits;
  SmallVector<tile::KernelOp> kernels(module.getOps<tile::KernelOp>());
  for (tile::KernelOp kernel : kernels) {
    if (budget == 0)
      return;
    if (auto recorded = kernel->getAttrOfType<DictionaryAttr>(tile::kConfigAttrName)) {
      // Already specialized: its config is recorded beside it, one verified
      // i64 per parameter.
      SmallVector<int64_t> config;
      for (Attribute param : kernel.getParams())
        config.push_back(
            recorded.getAs<IntegerAttr>(llvm::cast<tile::ParamAttr>(param).getName()).getInt());
      --budget;
      unsigned before = counter.errors;
      requireDiagnosed(compileSpecialized(kernel, config, options, std::nullopt), counter, before);
      continue;
    }
    for (const tile::Config &config : configsToLower(kernel, counter)) {
      if (budget == 0)
        return;
      unsigned before = counter.errors;
      FailureOr<tile::KernelOp> specialized = tile::specializeKernel(kernel, config);
      requireDiagnosed(specialized, counter, before);
      if (failed(specialized))
        continue;
      // Specializing a verified kernel must give a verified one.
      if (failed(verify(*specialized)))
        __builtin_trap();
      if (!tile::checkConfigFits(*specialized, limits).empty()) {
        specialized->erase();
        continue;
      }
      --budget;
      before = counter.errors;
      requireDiagnosed(compileSpecialized(*specialized, config, options, std::nullopt), counter,
                       before);
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > kMaxInputBytes)
    return -1; // not added to the corpus
  static DialectRegistry *registry = [] {
    auto *made = new DialectRegistry();
    registerAllDialects(*made);
    return made;
  }();
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size), "input.mlir"),
      llvm::SMLoc());
  if (failed(checkSourceLimits(sourceMgr, llvm::nulls())))
    return 0;

  // Contexts are made for many modules; one per input would cost more than
  // most inputs (dialect loading), so a context serves kInputsPerContext
  // inputs. A crash that needs an earlier input's uniqued state does not
  // reproduce from its input alone: libFuzzer says so.
  static std::unique_ptr<MLIRContext> shared;
  static unsigned inputs = 0;
  if (!shared || ++inputs % kInputsPerContext == 0) {
    shared = std::make_unique<MLIRContext>(*registry, MLIRContext::Threading::DISABLED);
    shared->printOpOnDiagnostic(false);
  }
  MLIRContext &context = *shared;
  ErrorCounter counter(context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  requireDiagnosed(success(bool(module)), counter, 0);
  if (!module)
    return 0;
  unsigned budget = kMaxLoweredConfigs;
  compileModule(*module, counter, budget);
  return 0;
}
