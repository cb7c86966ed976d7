// Every stage of the pipeline can be emitted, in order.
// RUN: ssdc compile %s --emit=tile | FileCheck %s --check-prefix=TILE
// RUN: ssdc compile %s --emit=specialize | FileCheck %s --check-prefix=SPEC
// RUN: ssdc compile %s --emit=specialize --config BLOCK=32 | FileCheck %s --check-prefix=ONE
// RUN: ssdc compile %s --emit=tile-gpu --config BLOCK=32 | FileCheck %s --check-prefix=GPU
// RUN: ssdc compile %s --emit=llvm --config BLOCK=32 | FileCheck %s --check-prefix=LLVM
// RUN: ssdc compile %s --emit=ptx | FileCheck %s --check-prefix=PTX
// RUN: ssdc compile %s --no-cubin -o %t.ssdcpkg && test -s %t.ssdcpkg
// RUN: not ssdc compile %s --emit=bogus 2>&1 | FileCheck %s --check-prefix=STAGE
// RUN: not ssdc compile %s --config BLOCK=48 2>&1 | FileCheck %s --check-prefix=CONFIG
// RUN: not ssdc compile %t.missing.mlir 2>&1 | FileCheck %s --check-prefix=MISSING

// TILE: tile.kernel @scale(%x: !tile.buffer<f32, readwrite>, %n: i64)
// TILE: grid (cdiv(%n, BLOCK))

// SPEC: tile.kernel @scale__BLOCK_32__num_warps_1
// SPEC: tensor<32xf32>
// SPEC: tile.kernel @scale__BLOCK_64__num_warps_1
// SPEC: tensor<64xf32>

// ONE: tile.kernel @scale__BLOCK_32__num_warps_1
// ONE-NOT: tile.kernel

// GPU: gpu.module @ssdc_kernels
// GPU: gpu.func @scale__BLOCK_32__num_warps_1
// GPU-SAME: kernel
// GPU: vector<1xf32>

// LLVM: llvm.func @scale__BLOCK_32__num_warps_1
// LLVM-SAME: nvvm.kernel
// LLVM-NOT: gpu.func

// PTX: .visible .entry scale__BLOCK_32__num_warps_1(
// PTX: .visible .entry scale__BLOCK_64__num_warps_1(

// STAGE: unknown stage 'bogus'; expected one of tile, specialize, tile-gpu, llvm, llvm-ir, ptx, cubin, package, cpp-header
// CONFIG: config sets BLOCK=48, which is not one of its candidates [32, 64]
// MISSING: ssdc compile: cannot open input file '{{.*}}missing.mlir': No such file or directory

tile.kernel @scale(%x: !tile.buffer<f32, readwrite>, %n: i64)
    params [BLOCK in [32, 64] = 32, num_warps in [1] = 1]
    key [%n]
    grid (cdiv(%n, BLOCK)) {
  %pid = tile.program_id 0
  %block = tile.param BLOCK
  %start = arith.muli %pid, %block : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %bound = arith.index_cast %n : i64 to index
  %t = tile.load %x[%c0] at (%start) strides (%c1) bounds (%bound)
      : !tile.buffer<f32, readwrite> -> tensor<?xf32, #tile.dims<BLOCK>>
  %two = arith.constant 2.0 : f32
  %s = tile.splat %two : f32 -> tensor<?xf32, #tile.dims<BLOCK>>
  %y = arith.mulf %t, %s : tensor<?xf32, #tile.dims<BLOCK>>
  tile.store %y, %x[%c0] at (%start) strides (%c1) bounds (%bound)
      : tensor<?xf32, #tile.dims<BLOCK>>, !tile.buffer<f32, readwrite>
}

// ssdc-opt runs the same pipeline as a registered pass pipeline.
// RUN: ssdc-opt %s -tile-specialize=config=BLOCK=32 -ssdc-tile-to-llvm | FileCheck %s --check-prefix=OPT
// OPT: llvm.func @scale__BLOCK_32__num_warps_1
// OPT-SAME: nvvm.kernel
