// RUN: ssdc-opt %s -split-input-file -convert-tile-to-gpu -cse | FileCheck %s

// fp32 tile.dot on register blocks. a (32x16) is staged transposed (16 rows
// of 32, padded to 36: an odd number of 16-byte units), b (16x64) row-major
// (rows padded to 68), then the 32x64 accumulator: 2304 + 4352 + 8192 bytes.
// 128 threads own 4x4 blocks; per inner index each reads 4 elements of a
// column of a and 4 of a row of b with one 16-byte load each and does 16
// FMAs; the loop takes 4 inner indices per iteration. The block goes back to
// shared memory, and after a barrier each thread reads its chunked elements.
// CHECK-LABEL: gpu.func @dot_f32
// CHECK-SAME: ssdc.shared_bytes = 14848 : i64
// CHECK: gpu.barrier
// CHECK: %[[A:.*]] = memref.view %{{.*}}[%c0][] {{.*}} to memref<576xf32
// CHECK: %[[B:.*]] = memref.view %{{.*}}[%c2304][] {{.*}} to memref<1088xf32
// CHECK: %[[ACC:.*]] = memref.view %{{.*}}[%c6656][] {{.*}} to memref<2048xf32
// CHECK: gpu.barrier
// CHECK-COUNT-4: vector.load %[[ACC]][%{{.*}}] {alignment = 16 : i64} : memref<2048xf32, {{.*}}>, vector<4xf32>
// CHECK: scf.for %[[K:.*]] = %c0 to %c16 step %c4 iter_args(%{{.*}} = %{{.*}}) -> (vector<16xf32>)
// CHECK:   arith.muli %[[K]], %c36
// CHECK:   vector.load %[[A]][%{{.*}}] {alignment = 16 : i64} : memref<576xf32, {{.*}}>, vector<4xf32>
// CHECK:   arith.muli %[[K]], %c68
// CHECK:   vector.load %[[B]][%{{.*}}] {alignment = 16 : i64} : memref<1088xf32, {{.*}}>, vector<4xf32>
// CHECK-COUNT-16: llvm.intr.fma
// CHECK:   vector.load %[[A]]
// CHECK:   vector.load %[[B]]
// CHECK-COUNT-16: llvm.intr.fma
// CHECK:   scf.yield %{{.*}} : vector<16xf32>
// CHECK-COUNT-4: vector.store %{{.*}}, %[[ACC]][%{{.*}}] {alignment = 16 : i64}
// CHECK: gpu.barrier
// CHECK: memref.load %[[ACC]]
tile.kernel @dot_f32(%a: !tile.buffer<f32, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c16, %c1) : !tile.buffer<f32, read> -> tensor<32x16xf32>
  %y = tile.load %a[%c0] at (%c0, %c0) strides (%c64, %c1) : !tile.buffer<f32, read> -> tensor<16x64xf32>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<32x64xf32>
  %d = tile.dot %x, %y, %acc : tensor<32x16xf32>, tensor<16x64xf32> -> tensor<32x64xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c64, %c1) : tensor<32x64xf32>, !tile.buffer<f32, write>
}

// -----

// An 8x8 accumulator over 128 threads: 1x1 blocks, threads 64..127 idle in
// the product (but not at the barriers).
// CHECK-LABEL: gpu.func @dot_idle
// CHECK: %[[ACTIVE:.*]] = arith.cmpi ult, %{{.*}}, %c64
// CHECK: gpu.barrier
// CHECK: gpu.barrier
// CHECK: scf.if %[[ACTIVE]] {
// CHECK:   scf.for
// CHECK:     llvm.intr.fma
// CHECK:   vector.store
// CHECK: }
// CHECK: gpu.barrier
tile.kernel @dot_idle(%a: !tile.buffer<f32, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c8, %c1) : !tile.buffer<f32, read> -> tensor<8x8xf32>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<8x8xf32>
  %d = tile.dot %x, %x, %acc : tensor<8x8xf32>, tensor<8x8xf32> -> tensor<8x8xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c8, %c1) : tensor<8x8xf32>, !tile.buffer<f32, write>
}
