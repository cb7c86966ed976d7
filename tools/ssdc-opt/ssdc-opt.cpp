//===- ssdc-opt.cpp - mlir-opt with the ssdc dialects and passes ----------===//
//
// MlirOptMain(argc, argv, ...) reads its input and parses it in one call, so
// there is no point between the two at which to check the input's nesting
// depth (lib/Compiler/SourceLimits.cpp). This main therefore does the reading
// itself, as that overload does (mlir/lib/Tools/mlir-opt/MlirOptMain.cpp),
// and hands the checked buffer to the overload that takes one.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Compiler/SourceLimits.h"
#include "ssdc/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  ssdc::registerAllDialects(registry);
  ssdc::registerAllPasses();
  auto [inputFile, outputFile] =
      mlir::registerAndParseCLIOptions(argc, argv, "ssdc optimizer driver\n", registry);
  mlir::MlirOptMainConfig config = mlir::MlirOptMainConfig::createFromCLOptions();
  // These print and exit without reading an input.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(mlir::MlirOptMain(argc, argv, inputFile, outputFile, registry));

  llvm::InitLLVM init(argc, argv);
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input = mlir::openInputFile(inputFile, &error);
  if (!input) {
    llvm::errs() << error << "\n";
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBuffer(*input), llvm::SMLoc());
  if (mlir::failed(ssdc::checkSourceLimits(sourceMgr)))
    return 1;
  std::unique_ptr<llvm::ToolOutputFile> output = mlir::openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return 1;
  }
  if (mlir::failed(mlir::MlirOptMain(output->os(), std::move(input), registry, config)))
    return 1;
  output->keep();
  return 0;
}
