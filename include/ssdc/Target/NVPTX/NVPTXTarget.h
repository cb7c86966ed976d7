//===- NVPTXTarget.h - PTX from LLVM's NVPTX backend; cubin via ptxas ----===//
#ifndef SSDC_TARGET_NVPTX_NVPTXTARGET_H
#define SSDC_TARGET_NVPTX_NVPTXTARGET_H

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>

namespace ssdc::nvptx {

/// A chip ssdc emits PTX for.
struct ChipInfo {
  llvm::StringRef name;        // e.g. "sm_90"
  llvm::StringRef ptxFeature;  // the lowest PTX ISA it needs, as an LLVM feature
  int64_t sharedBytesPerBlock; // the most shared memory one program may use
};

/// sm_80 (PTX 7.0, 163 KiB), sm_89 (7.8, 99 KiB), sm_90 (7.8, 227 KiB),
/// sm_90a (8.0, 227 KiB), sm_100 (8.6, 227 KiB); failure for another chip,
/// with a message listing these.
mlir::FailureOr<ChipInfo> lookupChip(llvm::StringRef chip, std::string &error);

/// Translates `module` (a gpu.module or builtin.module in the LLVM and NVVM
/// dialects) to LLVM IR, optimizes it at O3 for `chip`, and prints PTX, all
/// in process. Errors are emitted on `module`.
mlir::FailureOr<std::string> translateToPTX(mlir::Operation *module, llvm::StringRef chip);

/// The same module as LLVM IR text, optimized (the `llvm-ir` stage).
mlir::FailureOr<std::string> translateToOptimizedLLVMIR(mlir::Operation *module,
                                                        llvm::StringRef chip);

/// The ptxas executable: $CUDA_HOME/bin/ptxas, /usr/local/cuda/bin/ptxas, or
/// the PATH's; none when no CUDA toolkit is installed.
std::optional<std::string> findPtxas();

/// What ptxas made of one PTX module.
struct AssembledCubin {
  std::string cubin;  // the ELF image
  std::string report; // ptxas -v: registers, spills, shared memory per entry
};

/// Assembles `ptx` for `chip` with `ptxas -v`. A ptxas error is a failure
/// whose message holds ptxas's output.
mlir::FailureOr<AssembledCubin> assembleWithPtxas(llvm::StringRef ptxas, llvm::StringRef ptx,
                                                  llvm::StringRef chip, std::string &error);

} // namespace ssdc::nvptx

#endif // SSDC_TARGET_NVPTX_NVPTXTARGET_H
