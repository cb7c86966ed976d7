//===- DiagnosticCollector.cpp - diagnostics of a host run as text --------===//
#include "ssdc/Target/Host/DiagnosticCollector.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;

ssdc::host::DiagnosticCollector::DiagnosticCollector(MLIRContext &context)
    : handler(&context, [this](Diagnostic &diag) {
        llvm::raw_string_ostream os(text);
        os << diag.getLocation() << ": " << diag << "\n";
        for (const Diagnostic &note : diag.getNotes())
          os << "  note: " << note << "\n";
        return success();
      }) {}
