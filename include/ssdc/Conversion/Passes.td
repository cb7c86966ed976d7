//===- Passes.td - ssdc conversion passes -------------------*- tablegen -*-===//
#ifndef SSDC_CONVERSION_PASSES
#define SSDC_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def ConvertTileToGPU : Pass<"convert-tile-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Lower specialized tile kernels to SIMT gpu.func kernels";
  let description = [{
    The `tile-gpu` stage. Every specialized `tile.kernel` (run `tile-specialize`
    first) becomes a `gpu.func` in the module's `gpu.module @ssdc_kernels`, with
    num_warps x 32 threads per program (`tile.config`; 4 warps when the kernel
    has no num_warps parameter). Tiles become per-thread vectors of the chunked
    layout described in include/ssdc/Conversion/TileToGPU/TileToGPU.h; buffers
    become `!llvm.ptr<1>`; ops that exchange elements between threads go
    through dynamic shared memory between `gpu.barrier`s. The function records
    its shared memory (`ssdc.shared_bytes`) and thread count
    (`ssdc.block_threads`).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::gpu::GPUDialect", "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect", "::mlir::NVVM::NVVMDialect", "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

def AlignDynamicSharedMemory
    : Pass<"ssdc-align-dynamic-shared-memory", "::mlir::gpu::GPUModuleOp"> {
  let summary = "Align the kernels' dynamic shared memory to 1024 bytes";
  let description = [{
    Runs after convert-gpu-to-nvvm, which declares the dynamic shared memory
    of `gpu.dynamic_shared_memory` as a zero-sized addrspace(3) global aligned
    to 16 bytes (PTX `.extern .shared`). The swizzled operand slots that
    wgmma reads are laid out by address bits (PTX ISA "Shared Memory Matrix
    Layout"; the slot offsets are
    multiples of 1024, tile::kSwizzledSlotAlignment), so the base must be
    1024-aligned too; this raises every such global's alignment to that.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // SSDC_CONVERSION_PASSES
