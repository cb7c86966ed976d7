// A tile.store to a readwrite buffer followed by a tile.load of other elements
// of it: in the PTX a bar.sync separates the global store from the global load,
// so each thread reads what the others wrote (no __syncthreads-free race).
// RUN: ssdc compile %s --emit=ptx | FileCheck %s

// CHECK: .visible .entry shift__num_warps_1(
// CHECK: st.global
// CHECK: bar.sync 0;
// CHECK: ld.global
// CHECK: st.global
// CHECK: ret;
tile.kernel @shift(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %one = arith.constant 1.0 : f32
  %t = tile.splat %one : f32 -> tensor<64xf32>
  tile.store %t, %buf[%c0] at (%c0) strides (%c1) : tensor<64xf32>, !tile.buffer<f32, readwrite>
  %r = tile.load %buf[%c0] at (%c1) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<64xf32>
  tile.store %r, %buf[%c64] at (%c0) strides (%c1) : tensor<64xf32>, !tile.buffer<f32, readwrite>
}
