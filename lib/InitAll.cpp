//===- InitAll.cpp - the one registration point for every tool ------------===//
#include "ssdc/InitAll.h"

#include "ssdc/Compiler/Pipeline.h"
#include "ssdc/Conversion/Passes.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Transforms/Passes.h"

void ssdc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<ssdc::tile::TileDialect, mlir::arith::ArithDialect, mlir::cf::ControlFlowDialect,
                  mlir::func::FuncDialect, mlir::gpu::GPUDialect, mlir::LLVM::LLVMDialect,
                  mlir::NVVM::NVVMDialect, mlir::math::MathDialect, mlir::memref::MemRefDialect,
                  mlir::nvgpu::NVGPUDialect, mlir::scf::SCFDialect, mlir::vector::VectorDialect>();
  // The ConvertToLLVM interfaces the gpu-to-nvvm lowering looks for, and the
  // LLVM IR translations of the dialects the pipeline ends in.
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
}

void ssdc::registerAllPasses() {
  ssdc::tile::registerTilePasses();
  ssdc::registerSSDCConversionPasses();
  mlir::registerTransformsPasses();
  mlir::registerConversionPasses();
  ssdc::registerPipelines();
}
