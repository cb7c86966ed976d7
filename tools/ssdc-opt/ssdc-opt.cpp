//===- ssdc-opt.cpp - mlir-opt with the ssdc dialects and passes ----------===//
#include "ssdc/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  ssdc::registerAllDialects(registry);
  ssdc::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(argc, argv, "ssdc optimizer driver\n", registry));
}
