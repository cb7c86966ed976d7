// Float scalar arguments are PTX entry parameters of their own type; -inf as
// a load's `other` is the f32 constant 0fFF800000 in PTX, and exp of it goes
// through ex2.approx (which gives +0 at -inf).
// RUN: ssdc compile %s --emit=ptx | FileCheck %s
// RUN: ssdc compile %s --emit=ptx -o %t.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.ptx -o %t.cubin %}

// CHECK: .visible .entry floor_exp__num_warps_1(
// CHECK-NEXT: .param .u64 .ptr .global {{.*}}floor_exp__num_warps_1_param_0,
// CHECK-NEXT: .param .u64 .ptr .global {{.*}}floor_exp__num_warps_1_param_1,
// CHECK-NEXT: .param .u64 floor_exp__num_warps_1_param_2,
// CHECK-NEXT: .param .f32 floor_exp__num_warps_1_param_3,
// The f16 is 2 bytes: the runtime's slot holds its bits in its first bytes.
// CHECK-NEXT: .param .align 2 .b8 floor_exp__num_warps_1_param_4[2]
// CHECK-DAG: ld.param.b16 {{.*}}param_4
// CHECK-DAG: ld.param.b32 {{.*}}param_3
// CHECK-DAG: 0fFF800000
// CHECK-DAG: ex2.approx.f32
// CHECK-DAG: max.NaN.f32
// CHECK: ret;
tile.kernel @floor_exp(%x: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %n: i64,
                       %floor: f32, %shift: f16)
    params [num_warps in [1] = 1]
    grid (1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %bound = arith.index_cast %n : i64 to index
  %t = tile.load %x[%c0] at (%c0) strides (%c1) bounds (%bound)
      other 0xFF800000 : f32 : !tile.buffer<f32, read> -> tensor<64xf32>
  %floor_t = tile.splat %floor : f32 -> tensor<64xf32>
  %above = arith.maximumf %t, %floor_t : tensor<64xf32>
  %shift32 = arith.extf %shift : f16 to f32
  %shift_t = tile.splat %shift32 : f32 -> tensor<64xf32>
  %shifted = arith.addf %above, %shift_t : tensor<64xf32>
  %e = tile.exp %shifted : tensor<64xf32>
  tile.store %e, %out[%c0] at (%c0) strides (%c1) bounds (%bound)
      : tensor<64xf32>, !tile.buffer<f32, write>
}

// Widening loads and rounding stores: bf16 in, f16 out, 8-byte vectors.
// CHECK: .visible .entry widen_narrow__num_warps_1(
// CHECK-DAG: ld.global.v4.b16
// CHECK-DAG: cvt.f32.bf16
// CHECK-DAG: cvt.rn.f16x2.f32
// CHECK-DAG: st.global.v2.b32
// CHECK: ret;
tile.kernel @widen_narrow(%in: !tile.buffer<bf16, read>, %out: !tile.buffer<f16, write>)
    params [num_warps in [1] = 1]
    grid (1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %in[%c0] at (%c0) strides (%c1) : !tile.buffer<bf16, read> -> tensor<128xf32>
  tile.store %t, %out[%c0] at (%c0) strides (%c1) : tensor<128xf32>, !tile.buffer<f16, write>
}
