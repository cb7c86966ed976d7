// cumsum and reduce along a row within a warp lower to warp shuffles
// (ReductionLowering.cpp): shfl.sync.up for the scan, shfl.sync.bfly for the
// reduction's butterfly, and no barrier or shared memory in the kernel.
// RUN: ssdc compile %s --emit=ptx | FileCheck %s

// CHECK: .visible .entry scan_and_sum__num_warps_1(
// CHECK-NOT: .shared
// CHECK-NOT: bar.sync
// CHECK: shfl.sync.up.b32
// CHECK: shfl.sync.bfly.b32
// CHECK-NOT: bar.sync
// CHECK: ret;
tile.kernel @scan_and_sum(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %in[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<32xf32>
  %s = tile.cumsum %t along 0 : tensor<32xf32>
  %total = tile.reduce sum %s along 0 : tensor<32xf32> -> f32
  %total_t = tile.splat %total : f32 -> tensor<32xf32>
  %out_t = arith.addf %s, %total_t : tensor<32xf32>
  tile.store %out_t, %out[%c0] at (%c0) strides (%c1) : tensor<32xf32>, !tile.buffer<f32, write>
}
