// A specialization records the chip it is for (tile.chip): compiling it for
// another chip is a located error, since its dots may already be wgmma
// (sm_90a only) where the other chip needs mma.sync; for the same chip it
// compiles.
// RUN: ssdc compile %s --emit=specialize --chip=sm_90a | FileCheck %s --check-prefix=RECORDED
// RUN: ssdc compile %s --emit=specialize --chip=sm_90a > %t.sm90a.mlir
// RUN: not ssdc compile %t.sm90a.mlir --emit=ptx --chip=sm_90 2>&1 | FileCheck %s --check-prefix=OTHER
// RUN: ssdc compile %t.sm90a.mlir --emit=ptx --chip=sm_90a | FileCheck %s --check-prefix=SAME

// RECORDED: tile.kernel @copy__num_warps_4
// RECORDED: attributes {tile.chip = "sm_90a"

// OTHER: error: @copy__num_warps_4 is specialized for sm_90a (tile.chip), not for the chip it is compiled for, sm_90

// SAME: .target sm_90a
// SAME: .visible .entry copy__num_warps_4(
tile.kernel @copy(%x: !tile.buffer<f32, read>, %y: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %x[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<128xf32>
  tile.store %t, %y[%c0] at (%c0) strides (%c1) : tensor<128xf32>, !tile.buffer<f32, write>
}
