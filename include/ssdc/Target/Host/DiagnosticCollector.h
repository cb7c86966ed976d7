//===- DiagnosticCollector.h - diagnostics of a host run as text -*- C++ -*-===//
//
// Host runs (the SSD library's host forward, the host tests) report why
// parsing, specializing or interpreting a kernel failed as a string: the
// diagnostics emitted meanwhile, each with its location and notes.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_TARGET_HOST_DIAGNOSTICCOLLECTOR_H
#define SSDC_TARGET_HOST_DIAGNOSTICCOLLECTOR_H

#include "mlir/IR/Diagnostics.h"

#include <string>

namespace ssdc::host {

/// Collects the diagnostics emitted in `context` while it lives (and keeps
/// them from the default handler).
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(mlir::MLIRContext &context);
  /// "LOCATION: message\n  note: ...\n" per diagnostic.
  const std::string &str() const { return text; }

private:
  std::string text;
  mlir::ScopedDiagnosticHandler handler;
};

} // namespace ssdc::host

#endif // SSDC_TARGET_HOST_DIAGNOSTICCOLLECTOR_H
