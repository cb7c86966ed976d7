// RUN: ssdc-opt %s -split-input-file -convert-tile-to-gpu -canonicalize -cse | FileCheck %s

// An accumulator carried by an scf.for from dot to dot stays in registers in
// the mma.sync product layout: the 64x64 tile over 4 warps is 32 elements a
// thread in both layouts, so the loop still carries a vector<32xf32>. It
// starts as a splat (the same vector in every layout: no conversion before
// the loop); in the loop the dot stages a and b only (bf16 stores) and runs
// its mmas on the carried registers; after the loop one conversion to the
// chunked layout: product-layout pairs stored, a barrier, chunked loads.
// CHECK-LABEL: gpu.func @carried_mma
// CHECK-NOT: memref.store %{{.*}} : memref<4096xf32
// CHECK: scf.for %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<32xf32>) {
// CHECK-NOT: memref.store %{{.*}} : memref<4096xf32
// CHECK-NOT: vector.store %{{.*}} : memref<4096xf32
// CHECK:   vector.store %{{.*}} : memref<2560xbf16, {{.*}}>, vector<{{[0-9]+}}xbf16>
// CHECK:   gpu.barrier
// CHECK:   scf.for %{{.*}} iter_args(%{{.*}} = %[[ACC]]) -> (vector<32xf32>) {
// CHECK:     nvvm.mma.sync
// CHECK:   scf.yield %{{.*}} : vector<32xf32>
// CHECK: }
// CHECK: gpu.barrier
// CHECK-COUNT-16: vector.store %{{.*}} : memref<4096xf32, {{.*}}>, vector<2xf32>
// CHECK: gpu.barrier
// CHECK: memref.load %{{.*}} : memref<4096xf32
tile.kernel @carried_mma(%a: !tile.buffer<bf16, read>, %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4] grid (%K) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %k = arith.index_cast %K : i64 to index
  %zero = arith.constant 0.0 : f32
  %init = tile.splat %zero : f32 -> tensor<64x64xf32>
  %acc = scf.for %k0 = %c0 to %k step %c32 iter_args(%acc_in = %init) -> (tensor<64x64xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) : !tile.buffer<bf16, read> -> tensor<64x32xbf16>
    %tb = tile.load %a[%c0] at (%k0, %c0) strides (%c64, %c1) : !tile.buffer<bf16, read> -> tensor<32x64xbf16>
    %d = tile.dot %ta, %tb, %acc_in : tensor<64x32xbf16>, tensor<32x64xbf16> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c64, %c1) : tensor<64x64xf32>, !tile.buffer<f32, write>
}

// -----

// A loaded initial accumulator goes into the register-block layout of the
// fp32 dot (32x32 over 128 threads: 2x4 blocks, 8 elements a thread, as
// chunked) once before the loop: chunked stores, a barrier, block loads.
// CHECK-LABEL: gpu.func @carried_blocks_loaded_init
// CHECK: gpu.barrier
// CHECK-COUNT-2: vector.store %{{.*}} : memref<1024xf32, {{.*}}>, vector<4xf32>
// CHECK: gpu.barrier
// CHECK: vector.load %{{.*}} : memref<1024xf32, {{.*}}>, vector<4xf32>
// CHECK: scf.for %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (vector<8xf32>) {
// CHECK-NOT: memref<1024xf32
// CHECK:   llvm.intr.fma
// CHECK-NOT: memref<1024xf32
// CHECK:   scf.yield %{{.*}} : vector<8xf32>
// CHECK: }
// CHECK: vector.store %{{.*}} : memref<1024xf32, {{.*}}>, vector<4xf32>
tile.kernel @carried_blocks_loaded_init(%a: !tile.buffer<f32, read>, %c: !tile.buffer<f32, readwrite>, %K: i64)
    params [num_warps in [4] = 4] grid (%K) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %k = arith.index_cast %K : i64 to index
  %init = tile.load %c[%c0] at (%c0, %c0) strides (%c32, %c1) : !tile.buffer<f32, readwrite> -> tensor<32x32xf32>
  %acc = scf.for %k0 = %c0 to %k step %c16 iter_args(%acc_in = %init) -> (tensor<32x32xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) : !tile.buffer<f32, read> -> tensor<32x16xf32>
    %tb = tile.load %a[%c0] at (%k0, %c0) strides (%c32, %c1) : !tile.buffer<f32, read> -> tensor<16x32xf32>
    %d = tile.dot %ta, %tb, %acc_in : tensor<32x16xf32>, tensor<16x32xf32> -> tensor<32x32xf32>
    scf.yield %d : tensor<32x32xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c32, %c1) : tensor<32x32xf32>, !tile.buffer<f32, readwrite>
}

// -----

// Not carried: the loop reads the accumulator other than through the dot
// (here it multiplies it by a loaded tile first), or the product leaves
// threads idle (an 8x8
// accumulator over 128 threads). Each dot stages its accumulator and reads
// its result back in the chunked layout, inside the loop.
// CHECK-LABEL: gpu.func @not_carried
// CHECK: scf.for
// CHECK:   {{(memref|vector)}}.store %{{.*}} : memref<1024xf32
// CHECK:   llvm.intr.fma
// CHECK:   memref.load %{{.*}} : memref<1024xf32
// CHECK:   scf.yield
// CHECK: scf.for
// CHECK:   memref.store %{{.*}} : memref<64xf32
// CHECK:   scf.if
// CHECK:     llvm.intr.fma
// CHECK:   memref.load %{{.*}} : memref<64xf32
// CHECK:   scf.yield
tile.kernel @not_carried(%a: !tile.buffer<f32, read>, %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4] grid (%K) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %k = arith.index_cast %K : i64 to index
  %zero = arith.constant 0.0 : f32
  %init = tile.splat %zero : f32 -> tensor<32x32xf32>
  %weights = tile.load %a[%c0] at (%c0, %c0) strides (%c32, %c1) : !tile.buffer<f32, read> -> tensor<32x32xf32>
  %acc = scf.for %k0 = %c0 to %k step %c16 iter_args(%acc_in = %init) -> (tensor<32x32xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) : !tile.buffer<f32, read> -> tensor<32x16xf32>
    %tb = tile.load %a[%c0] at (%k0, %c0) strides (%c32, %c1) : !tile.buffer<f32, read> -> tensor<16x32xf32>
    %scaled = arith.mulf %acc_in, %weights : tensor<32x32xf32>
    %d = tile.dot %ta, %tb, %scaled : tensor<32x16xf32>, tensor<16x32xf32> -> tensor<32x32xf32>
    scf.yield %d : tensor<32x32xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c32, %c1) : tensor<32x32xf32>, !tile.buffer<f32, write>
  %init8 = tile.splat %zero : f32 -> tensor<8x8xf32>
  %small = scf.for %k0 = %c0 to %k step %c8 iter_args(%acc_in = %init8) -> (tensor<8x8xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) : !tile.buffer<f32, read> -> tensor<8x8xf32>
    %d = tile.dot %ta, %ta, %acc_in : tensor<8x8xf32>, tensor<8x8xf32> -> tensor<8x8xf32>
    scf.yield %d : tensor<8x8xf32>
  }
  tile.store %small, %c[%c0] at (%c0, %c0) strides (%c8, %c1) : tensor<8x8xf32>, !tile.buffer<f32, write>
}

// -----

// A uniform scale of the carried accumulator before the dot (the exp of a
// tile.splat, as chunk_state.mlir's decay) is the same in every layout: the
// accumulator stays carried, and the scale multiplies the product-layout
// registers in the loop; nothing of the accumulator is staged there.
// CHECK-LABEL: gpu.func @carried_scaled
// CHECK: scf.for %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (vector<8xf32>) {
// CHECK-NOT: memref<1024xf32
// CHECK:   %[[SCALED:.*]] = arith.mulf %[[ACC]], %{{.*}} : vector<8xf32>
// CHECK-NOT: memref<1024xf32
// CHECK:   scf.for %{{.*}} iter_args(%{{.*}} = %[[SCALED]]) -> (vector<8xf32>) {
// CHECK:     llvm.intr.fma
// CHECK:   scf.yield %{{.*}} : vector<8xf32>
// CHECK: }
// CHECK: gpu.barrier
// CHECK: memref<1024xf32
tile.kernel @carried_scaled(%a: !tile.buffer<f32, read>, %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4] grid (%K) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %k = arith.index_cast %K : i64 to index
  %zero = arith.constant 0.0 : f32
  %half = arith.constant 0.5 : f32
  %init = tile.splat %zero : f32 -> tensor<32x32xf32>
  %acc = scf.for %k0 = %c0 to %k step %c16 iter_args(%acc_in = %init) -> (tensor<32x32xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) : !tile.buffer<f32, read> -> tensor<32x16xf32>
    %tb = tile.load %a[%c0] at (%k0, %c0) strides (%c32, %c1) : !tile.buffer<f32, read> -> tensor<16x32xf32>
    %halves = tile.splat %half : f32 -> tensor<32x32xf32>
    %decay = tile.exp %halves : tensor<32x32xf32>
    %scaled = arith.mulf %acc_in, %decay : tensor<32x32xf32>
    %d = tile.dot %ta, %tb, %scaled : tensor<32x16xf32>, tensor<16x32xf32> -> tensor<32x32xf32>
    scf.yield %d : tensor<32x32xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c32, %c1) : tensor<32x32xf32>, !tile.buffer<f32, write>
}
