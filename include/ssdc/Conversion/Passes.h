//===- Passes.h - ssdc conversion passes ------------------------*- C++ -*-===//
#ifndef SSDC_CONVERSION_PASSES_H
#define SSDC_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace ssdc {

#define GEN_PASS_DECL
#include "ssdc/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ssdc/Conversion/Passes.h.inc"

} // namespace ssdc

#endif // SSDC_CONVERSION_PASSES_H
