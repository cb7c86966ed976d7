// The activations, math.log1p/tanh, reduce min/prod, load_scalar and
// transpose compile to PTX without libdevice: only ex2.approx, lg2.approx,
// FMAs, full-precision divisions, copysign, NaN-propagating min, multiplies,
// a global load and a shared-memory exchange; the PTX assembles.
// RUN: ssdc compile %s --emit=ptx | FileCheck %s
// RUN: ssdc compile %s --emit=ptx -o %t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o %t.cubin %}

// CHECK: .visible .entry activations__num_warps_1(
// CHECK-DAG: ex2.approx.f32
// CHECK-DAG: lg2.approx.f32
// CHECK-DAG: div.rn.f32
// CHECK-DAG: fma.rn.f32
// CHECK-DAG: copysign.f32
// CHECK-DAG: min.NaN.f32
// CHECK-DAG: mul.rn.f32
// CHECK-DAG: ld.global.b32 {{.*}}+4];
// CHECK-DAG: ld.shared.b32
// CHECK-NOT: __nv_
// CHECK: ret;

tile.kernel @activations(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %buf[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<64xf32>
  %sp = tile.softplus %t : tensor<64xf32>
  %sg = tile.sigmoid %sp : tensor<64xf32>
  %si = tile.silu %sg : tensor<64xf32>
  %lp = math.log1p %si : tensor<64xf32>
  %th = math.tanh %lp : tensor<64xf32>
  %min = tile.reduce min %th along 0 : tensor<64xf32> -> f32
  %prod = tile.reduce prod %th along 0 : tensor<64xf32> -> f32
  %mins = tile.splat %min : f32 -> tensor<64xf32>
  %prods = tile.splat %prod : f32 -> tensor<64xf32>
  %sum = arith.addf %mins, %prods : tensor<64xf32>
  %first = tile.load_scalar %buf[%c1] : !tile.buffer<f32, readwrite> -> f32
  %firsts = tile.splat %first : f32 -> tensor<64xf32>
  %both = arith.addf %sum, %firsts : tensor<64xf32>
  %c8 = arith.constant 8 : index
  %square = tile.load %buf[%c0] at (%c0, %c0) strides (%c8, %c1) : !tile.buffer<f32, readwrite> -> tensor<8x8xf32>
  %flipped = tile.transpose %square : tensor<8x8xf32> -> tensor<8x8xf32>
  tile.store %both, %buf[%c0] at (%c0) strides (%c1) : tensor<64xf32>, !tile.buffer<f32, readwrite>
  %c64 = arith.constant 64 : index
  tile.store %flipped, %buf[%c64] at (%c0, %c0) strides (%c8, %c1) : tensor<8x8xf32>, !tile.buffer<f32, readwrite>
}
