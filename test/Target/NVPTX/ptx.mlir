// PTX comes from LLVM's NVPTX backend in process, with the chip and its PTX
// version always set; dynamic shared memory is an extern array, 1024-aligned
// (ssdc-align-dynamic-shared-memory: the swizzled wgmma operand slots).
// RUN: ssdc compile %s --emit=ptx | FileCheck %s --check-prefix=SM90
// RUN: ssdc compile %s --emit=ptx --chip=sm_80 | FileCheck %s --check-prefix=SM80
// RUN: ssdc compile %s --emit=ptx --chip=sm_89 | FileCheck %s --check-prefix=SM89
// RUN: ssdc compile %s --emit=ptx --chip=sm_90a | FileCheck %s --check-prefix=SM90A
// RUN: ssdc compile %s --emit=ptx --chip=sm_100 | FileCheck %s --check-prefix=SM100
// RUN: not ssdc compile %s --emit=ptx --chip=sm_70 2>&1 | FileCheck %s --check-prefix=BADCHIP
// RUN: ssdc compile %s --emit=llvm-ir | FileCheck %s --check-prefix=LLVMIR

// SM90: .version 7.8
// SM90: .target sm_90
// SM90: .address_size 64
// SM90: .extern .shared .align 1024 .b8 __dynamic_shmem__0[];
// SM90: .visible .entry cumsum_exp__num_warps_1(
// SM90: .maxntid 32, 1, 1
// SM90: bar.sync 0;
// SM90: ex2.approx.f32
// SM90-NOT: __nv_
// SM90: ret;

// SM80: .version 7.0
// SM80: .target sm_80
// SM89: .version 7.8
// SM89: .target sm_89
// SM90A: .version 8.0
// SM90A: .target sm_90a
// SM100: .version 8.6
// SM100: .target sm_100

// BADCHIP: unknown chip 'sm_70'; expected sm_80, sm_89, sm_90, sm_90a or sm_100

// LLVMIR: target triple = "nvptx64-nvidia-cuda"
// LLVMIR: define ptx_kernel void @cumsum_exp__num_warps_1(ptr addrspace(1)
// LLVMIR: call float @llvm.nvvm.ex2.approx.f32

tile.kernel @cumsum_exp(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  // Along axis 0 (columns), so the cumsum goes through shared memory.
  %t = tile.load %buf[%c0] at (%c0, %c0) strides (%c8, %c1) : !tile.buffer<f32, readwrite> -> tensor<8x8xf32>
  %s = tile.cumsum %t along 0 : tensor<8x8xf32>
  %e = tile.exp %s : tensor<8x8xf32>
  tile.store %e, %buf[%c0] at (%c0, %c0) strides (%c8, %c1) : tensor<8x8xf32>, !tile.buffer<f32, readwrite>
}
