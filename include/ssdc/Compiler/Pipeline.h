//===- Pipeline.h - the one stage pipeline of ssdc --------------*- C++ -*-===//
//
//   tile        the kernel as written, parsed and verified
//   specialize  one instance per tuning config, static tile shapes
//   tile-gpu    SIMT form: layouts chosen, shared-memory exchanges, gpu.func
//   llvm        LLVM + NVVM dialects (upstream gpu/scf/arith/memref/vector lowering)
//   llvm-ir     LLVM IR, O3-optimized for the chip
//   ptx         PTX from LLVM's NVPTX backend, in process
//   cubin       ptxas, when a CUDA toolkit is present
//   package     the self-describing kernel package (docs/package-format.md)
//
// ssdc, ssdc-opt (through the registered passes), the Python bindings and the
// tests all go through this file; nothing else assembles these stages.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_COMPILER_PIPELINE_H
#define SSDC_COMPILER_PIPELINE_H

#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Runtime/Package.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <optional>
#include <string>

namespace ssdc {

enum class Stage { Tile, Specialize, TileGPU, LLVM, LLVMIR, PTX, Cubin, Package, CppHeader };

/// Parses a stage name as `--emit` spells it; none for an unknown name.
std::optional<Stage> parseStage(llvm::StringRef name);
/// The `--emit` names of every stage, for help and error messages.
llvm::StringRef stageNames();

struct CompileOptions {
  std::string chip = "sm_90";
  /// NAME=VALUE,...: build only this config (others take defaults).
  std::string config;
  /// Build cubins with ptxas when one is found; a package without cubins
  /// still works (the driver JITs the PTX).
  bool buildCubins = true;
};

/// Adds the passes from specialized tile IR to the LLVM dialect, stopping
/// after `until` (TileGPU or LLVM).
void buildTileToLLVMPipeline(mlir::OpPassManager &pm, Stage until);

/// One config of one kernel, compiled.
struct CompiledConfig {
  std::string entry; // the PTX entry name
  llvm::SmallVector<int64_t> config;
  int64_t blockThreads = 0;
  int64_t sharedBytes = 0;
  std::string ptx;
  std::string cubin;       // empty without ptxas
  std::string ptxasReport; // ptxas -v output
};

/// Fails with a located error when `specialized` records another chip than
/// `chip` (tile::kChipAttrName): it may hold instructions `chip` lacks.
mlir::LogicalResult checkSpecializedChip(tile::KernelOp specialized, llvm::StringRef chip);

/// Lowers `specialized` (a kernel specialized for `config`, which this moves
/// into a module of its own) to PTX, and to a cubin when `ptxas` is given.
/// Diagnostics go to the context's handler.
mlir::FailureOr<CompiledConfig> compileSpecialized(tile::KernelOp specialized,
                                                   llvm::ArrayRef<int64_t> config,
                                                   const CompileOptions &options,
                                                   const std::optional<std::string> &ptxas);

/// Registers the pipeline above as the pass pipelines `ssdc-tile-to-gpu` and
/// `ssdc-tile-to-llvm`, so that ssdc-opt runs exactly what ssdc compile runs.
void registerPipelines();

/// Lowers a module of specialized kernels in place through `until` (one of
/// the IR stages after specialize).
mlir::LogicalResult lowerSpecializedModule(mlir::ModuleOp module, Stage until);

/// Compiles every kernel of `module` (every config, or options.config) into a
/// package.
mlir::FailureOr<pkg::Package> compilePackage(mlir::ModuleOp module, const CompileOptions &options);

} // namespace ssdc

#endif // SSDC_COMPILER_PIPELINE_H
