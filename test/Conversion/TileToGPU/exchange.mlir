// RUN: ssdc-opt %s -split-input-file -convert-tile-to-gpu -cse | FileCheck %s

// Ops whose results need elements other threads own go through shared
// memory: a barrier, every thread writes what it owns, a barrier, and every
// thread computes its results from shared memory. (cumsum and reduce:
// reduction.mlir.)

// CHECK-LABEL: gpu.func @segsum
// CHECK-SAME: ssdc.shared_bytes = 128 : i64
// CHECK: gpu.barrier
// CHECK: %[[SMEM:.*]] = gpu.dynamic_shared_memory
// CHECK: %[[ROWS:.*]] = memref.view %[[SMEM]][%c0][] {{.*}} to memref<16xf32, #gpu.address_space<workgroup>>
// CHECK: memref.store %{{.*}}, %[[ROWS]]
// CHECK: %[[COLS:.*]] = memref.view %[[SMEM]][%c64][] {{.*}} to memref<16xf32, #gpu.address_space<workgroup>>
// CHECK: memref.store %{{.*}}, %[[COLS]]
// CHECK: gpu.barrier
// CHECK: %[[I:.*]] = arith.divui %{{.*}}, %c16_i32 : i32
// CHECK: %[[I64:.*]] = arith.index_castui %[[I]] : i32 to index
// CHECK: %[[ROWPOS:.*]] = arith.addi %{{.*}}, %[[I64]]
// CHECK: %[[COLPOS:.*]] = arith.addi
// CHECK: arith.subi %[[ROWPOS]], %[[COLPOS]] : index
// CHECK: %[[DIAGONAL:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK: %[[LOWER:.*]] = arith.cmpi sle, %c0_i32, %[[DIAGONAL]] : i32
// CHECK: %[[R:.*]] = memref.load %[[ROWS]]
// CHECK: %[[C:.*]] = memref.load %[[COLS]]
// CHECK: %[[D:.*]] = arith.subf %[[R]], %[[C]]
// CHECK: arith.select %[[LOWER]], %[[D]], %cst{{.*}} : f32
tile.kernel @segsum(%cs: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %loaded_rows = tile.load %cs[%c0] at (%c16) strides (%c1) : !tile.buffer<f32, read> -> tensor<16xf32>
  %rows = arith.mulf %loaded_rows, %loaded_rows : tensor<16xf32>
  %loaded_cols = tile.load %cs[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<16xf32>
  %cols = arith.mulf %loaded_cols, %loaded_cols : tensor<16xf32>
  %s = tile.segsum %rows, %cols at (%c16, %c0) : tensor<16xf32>, tensor<16xf32> -> tensor<16x16xf32>
  tile.store %s, %out[%c0] at (%c0, %c0) strides (%c16, %c1) : tensor<16x16xf32>, !tile.buffer<f32, write>
}

// -----

// Rows and columns that are 1-D loads of a read-only buffer are read again
// by each thread where it needs them: no shared memory, no barrier. A
// 16x16 tile over 32 threads in chunks of 4 is two rounds, so thread t's
// elements are in rows t / 4 and t / 4 + 8 and columns 4 (t % 4) + {0, 1, 2,
// 3}: two row elements and four column elements, each read once (after the
// two loads of the 1-D tiles themselves, which LLVM drops as unused).
// CHECK-LABEL: gpu.func @segsum_reread
// CHECK-SAME: ssdc.shared_bytes = 0 : i64
// CHECK-NOT: gpu.barrier
// CHECK-NOT: memref.load
// CHECK-COUNT-8: llvm.load %{{.*}} : !llvm.ptr<1> -> f32
// CHECK-NOT: llvm.load %{{.*}} : !llvm.ptr<1> -> f32
// CHECK: gpu.return
tile.kernel @segsum_reread(%cs: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %rows = tile.load %cs[%c0] at (%c16) strides (%c1) : !tile.buffer<f32, read> -> tensor<16xf32>
  %cols = tile.load %cs[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<16xf32>
  %s = tile.segsum %rows, %cols at (%c16, %c0) : tensor<16xf32>, tensor<16xf32> -> tensor<16x16xf32>
  tile.store %s, %out[%c0] at (%c0, %c0) strides (%c16, %c1) : tensor<16x16xf32>, !tile.buffer<f32, write>
}

// -----

// A broadcast of a 1-D load of a read-only buffer: each thread reads the
// elements of its kept axis (an 8x4 tile over 32 threads: one element each,
// of row t / 4), no barrier.
// CHECK-LABEL: gpu.func @broadcast_reread
// CHECK-SAME: ssdc.shared_bytes = 0 : i64
// CHECK-NOT: gpu.barrier
// CHECK: llvm.load %{{.*}} : !llvm.ptr<1> -> f32
// CHECK-NOT: memref.load
// CHECK: gpu.return
tile.kernel @broadcast_reread(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %col = tile.load %in[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<8xf32>
  %b = tile.broadcast %col [1] : tensor<8xf32> -> tensor<8x4xf32>
  tile.store %b, %out[%c0] at (%c0, %c0) strides (%c4, %c1) : tensor<8x4xf32>, !tile.buffer<f32, write>
}

// -----

// broadcast along a new axis 1: element (i, j) reads input element i.
// CHECK-LABEL: gpu.func @broadcast
// CHECK: gpu.barrier
// CHECK: %[[ARR:.*]] = memref.view {{.*}} to memref<8xf32, #gpu.address_space<workgroup>>
// CHECK: gpu.barrier
// CHECK: %[[I:.*]] = arith.divui %{{.*}}, %c4_i32 : i32
// CHECK-NOT: arith.minui
// CHECK: %[[IDX:.*]] = arith.index_castui %[[I]] : i32 to index
// CHECK: memref.load %[[ARR]][%[[IDX]]]
tile.kernel @broadcast(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %col = tile.load %buf[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<8xf32>
  %b = tile.broadcast %col [1] : tensor<8xf32> -> tensor<8x4xf32>
  tile.store %b, %buf[%c0] at (%c0, %c0) strides (%c4, %c1) : tensor<8x4xf32>, !tile.buffer<f32, readwrite>
}

// -----

// transpose: stage the input between barriers; result element (j, i) reads
// input element i * 8 + j of an 8 x 4 tile.
// CHECK-LABEL: gpu.func @transpose
// CHECK: gpu.barrier
// CHECK: %[[ARR:.*]] = memref.view {{.*}} to memref<32xf32, #gpu.address_space<workgroup>>
// CHECK: gpu.barrier
// CHECK: memref.load %[[ARR]]
tile.kernel @transpose(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %t = tile.load %buf[%c0] at (%c0, %c0) strides (%c8, %c1) : !tile.buffer<f32, readwrite> -> tensor<4x8xf32>
  %tt = tile.transpose %t : tensor<4x8xf32> -> tensor<8x4xf32>
  tile.store %tt, %buf[%c0] at (%c0, %c0) strides (%c4, %c1) : tensor<8x4xf32>, !tile.buffer<f32, readwrite>
}
