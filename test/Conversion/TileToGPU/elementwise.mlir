// RUN: ssdc-opt %s -split-input-file -convert-tile-to-gpu -canonicalize -cse | FileCheck %s

// Elementwise ops apply to each thread's vector: a 64-element tile over 32
// threads (num_warps = 1) is a vector<2xT> per thread, held in registers.

// CHECK-LABEL: gpu.func @arith_on_tiles
// CHECK-NOT: tensor<
// CHECK: arith.constant dense<2.000000e+00> : vector<2xf32>
// CHECK: vector.from_elements %{{.*}}, %{{.*}} : vector<2xf32>
// CHECK: arith.mulf %{{.*}}, %{{.*}} : vector<2xf32>
// CHECK: arith.cmpf olt, %{{.*}}, %{{.*}} : vector<2xf32>
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<2xi1>, vector<2xf32>
tile.kernel @arith_on_tiles(%buf: !tile.buffer<f32, readwrite>, %x: i64)
    params [num_warps in [1] = 1] grid (%x) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %buf[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<64xf32>
  %two = arith.constant 2.0 : f32
  %s = tile.splat %two : f32 -> tensor<64xf32>
  %m = arith.mulf %t, %s : tensor<64xf32>
  %lt = arith.cmpf olt, %m, %t : tensor<64xf32>
  %r = arith.select %lt, %m, %t : tensor<64xi1>, tensor<64xf32>
  tile.store %r, %buf[%c0] at (%c0) strides (%c1) : tensor<64xf32>, !tile.buffer<f32, readwrite>
}

// -----

// tile.range: each thread materializes the linear indices it owns: 64
// elements over 32 threads in chunks of 2, so thread t owns 2t and 2t + 1,
// stored as one 8-byte vector where the address is aligned.
// CHECK-LABEL: gpu.func @range
// CHECK: %[[TID:.*]] = gpu.thread_id x
// CHECK: %[[TID32:.*]] = arith.index_castui %[[TID]] : index to i32
// CHECK: %[[I0:.*]] = arith.muli %[[TID32]], %c2_i32
// CHECK: %[[I1:.*]] = arith.addi %[[I0]], %c1_i32
// CHECK: %[[CHUNK:.*]] = vector.from_elements %[[I0]], %[[I1]] : vector<2xi32>
// CHECK: llvm.store %[[CHUNK]], %{{.*}} {alignment = 8 : i64} : vector<2xi32>, !llvm.ptr<1>
// CHECK: } else {
// CHECK: llvm.store %[[I0]]
// CHECK: llvm.store %[[I1]]
tile.kernel @range(%out: !tile.buffer<i32, write>, %x: i64)
    params [num_warps in [1] = 1] grid (%x) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = tile.range : tensor<64xi32>
  tile.store %r, %out[%c0] at (%c0) strides (%c1) : tensor<64xi32>, !tile.buffer<i32, write>
}

// -----

// tile.exp: 2^(x log2 e) through ex2.approx, with the rounding error of
// x * log2(e) carried in an FMA, and results below 2^-126 computed as
// 2^(t + 64) * 2^-64. The clamp is a minimum with 0 first.
// CHECK-LABEL: gpu.func @exp
// CHECK: arith.minimumf %{{.*}}, %{{.*}} : vector<2xf32>
// CHECK: %[[T:.*]] = arith.mulf %{{.*}}, %cst{{.*}} : f32
// CHECK: llvm.intr.fma
// CHECK: llvm.call_intrinsic "llvm.nvvm.ex2.approx"
// CHECK-NOT: math.
tile.kernel @exp(%buf: !tile.buffer<f32, readwrite>, %x: i64)
    params [num_warps in [1] = 1] grid (%x) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %buf[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<64xf32>
  %e = tile.exp %t clamp : tensor<64xf32>
  tile.store %e, %buf[%c0] at (%c0) strides (%c1) : tensor<64xf32>, !tile.buffer<f32, readwrite>
}

// -----

// math ops become NVVM/LLVM intrinsic calls, never libdevice.
// CHECK-LABEL: gpu.func @math_ops
// CHECK: llvm.call_intrinsic "llvm.nvvm.lg2.approx.f"
// CHECK: llvm.call_intrinsic "llvm.nvvm.sqrt.rn.f"
// CHECK: llvm.call_intrinsic "llvm.fabs"
// CHECK-NOT: math.
tile.kernel @math_ops(%buf: !tile.buffer<f32, readwrite>, %x: i64)
    params [num_warps in [1] = 1] grid (%x) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %buf[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<32xf32>
  %l = math.log %t : tensor<32xf32>
  %s = math.sqrt %l : tensor<32xf32>
  %a = math.absf %s : tensor<32xf32>
  tile.store %a, %buf[%c0] at (%c0) strides (%c1) : tensor<32xf32>, !tile.buffer<f32, readwrite>
}

// -----

// log1p: the atanh series below |x| = 0.5 (an FMA chain), log(1 + x) through
// lg2.approx above; tanh: Cephes's polynomial below |x| = 0.625, else
// 1 - 2 / (exp(2|x|) + 1) with x's sign.
// CHECK-LABEL: gpu.func @log1p_tanh
// CHECK: arith.divf
// CHECK: llvm.intr.fma
// CHECK: llvm.call_intrinsic "llvm.nvvm.lg2.approx.f"
// CHECK: arith.cmpf olt, %{{.*}}, %cst{{.*}} : f32
// CHECK: llvm.call_intrinsic "llvm.nvvm.ex2.approx"
// CHECK: llvm.call_intrinsic "llvm.copysign"
// CHECK-NOT: math.
tile.kernel @log1p_tanh(%buf: !tile.buffer<f32, readwrite>, %x: i64)
    params [num_warps in [1] = 1] grid (%x) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %buf[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<32xf32>
  %l = math.log1p %t : tensor<32xf32>
  %h = math.tanh %l : tensor<32xf32>
  tile.store %h, %buf[%c0] at (%c0) strides (%c1) : tensor<32xf32>, !tile.buffer<f32, readwrite>
}

// -----

// The activations: softplus is max(x, 0) + log1p(exp(-|x|)); sigmoid and
// silu divide by 1 + exp(-x), silu with -0 at -inf. All through ex2.approx.
// CHECK-LABEL: gpu.func @activations
// CHECK: llvm.call_intrinsic "llvm.fabs"
// CHECK: llvm.call_intrinsic "llvm.nvvm.ex2.approx"
// CHECK: llvm.call_intrinsic "llvm.nvvm.lg2.approx.f"
// CHECK: arith.maximumf
// CHECK: llvm.call_intrinsic "llvm.nvvm.ex2.approx"
// CHECK: arith.divf
// CHECK: llvm.call_intrinsic "llvm.nvvm.ex2.approx"
// CHECK: arith.cmpf oeq, %{{.*}}, %cst{{.*}} : f32
// CHECK-NOT: tile.
tile.kernel @activations(%buf: !tile.buffer<f32, readwrite>, %x: i64)
    params [num_warps in [1] = 1] grid (%x) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %buf[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<32xf32>
  %sp = tile.softplus %t : tensor<32xf32>
  %sg = tile.sigmoid %sp : tensor<32xf32>
  %si = tile.silu %sg : tensor<32xf32>
  tile.store %si, %buf[%c0] at (%c0) strides (%c1) : tensor<32xf32>, !tile.buffer<f32, readwrite>
}
