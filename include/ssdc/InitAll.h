//===- InitAll.h - the one registration point for every tool ---*- C++ -*-===//
//
// ssdc, ssdc-opt, the Python bindings and the tests all register dialects and
// passes through these two functions, so every tool accepts the same IR.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_INITALL_H
#define SSDC_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace ssdc {

/// The tile dialect and every upstream dialect the pipeline passes through,
/// with their interface and translation extensions.
void registerAllDialects(mlir::DialectRegistry &registry);

/// ssdc's passes and the upstream passes its pipeline uses.
void registerAllPasses();

} // namespace ssdc

#endif // SSDC_INITALL_H
