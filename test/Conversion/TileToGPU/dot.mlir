// RUN: ssdc-opt %s -split-input-file -convert-tile-to-gpu -cse | FileCheck %s

// tile.dot stages both operands in shared memory (a at 0, b after it); one
// loop over the inner dimension carries every accumulator the thread owns
// (a 16x16 accumulator over 128 threads: 2 each) and does one fp32 FMA per
// accumulator per step; bf16 operands are widened to f32 exactly.
// CHECK-LABEL: gpu.func @dot
// CHECK-SAME: ssdc.shared_bytes = 1024 : i64
// CHECK: gpu.barrier
// CHECK: memref.view %{{.*}}[%c0][] {{.*}} to memref<256xbf16
// CHECK: memref.view %{{.*}}[%c512][] {{.*}} to memref<256xbf16
// CHECK: gpu.barrier
// CHECK: scf.for %[[K:.*]] = %c0 to %c16 step %c1 iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<2xf32>)
// CHECK:   %[[A:.*]] = memref.load
// CHECK:   %[[AW:.*]] = arith.extf %[[A]] : bf16 to f32
// CHECK:   %[[B:.*]] = memref.load
// CHECK:   %[[BW:.*]] = arith.extf %[[B]] : bf16 to f32
// CHECK:   %[[S0:.*]] = vector.extract %[[ACC]][0] : f32 from vector<2xf32>
// CHECK:   %[[F0:.*]] = llvm.intr.fma(%[[AW]], %[[BW]], %[[S0]])
// CHECK:   vector.insert %[[F0]], %[[ACC]] [0] : f32 into vector<2xf32>
// CHECK:   vector.extract %{{.*}}[1] : f32 from vector<2xf32>
// CHECK:   llvm.intr.fma
// CHECK:   scf.yield %{{.*}} : vector<2xf32>
tile.kernel @dot(%a: !tile.buffer<bf16, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c16, %c1) : !tile.buffer<bf16, read> -> tensor<16x16xbf16>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<16x16xf32>
  %d = tile.dot %x, %x, %acc : tensor<16x16xbf16>, tensor<16x16xbf16> -> tensor<16x16xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c16, %c1) : tensor<16x16xf32>, !tile.buffer<f32, write>
}
