// RUN: ssdc-opt %s -split-input-file -convert-tile-to-gpu -cse | FileCheck %s

// cumsum and reduce (ReductionLowering.cpp). Along the innermost axis, when a
// row's chunks fill aligned lanes of a warp (or whole warps), they combine in
// registers with warp shuffles; elsewhere the tile is staged in shared memory
// and each result folds its line in order.

// A 32-element row on one warp: one element per lane, a Hillis-Steele scan
// (shuffle up by 1, 2, 4, 8, 16, each added where the lane is that far into
// the row), then the lane before's inclusive sum; no shared memory.
// CHECK-LABEL: gpu.func @cumsum_warp
// CHECK-NOT: gpu.barrier
// CHECK-NOT: gpu.dynamic_shared_memory
// CHECK: %[[LANE:.*]] = gpu.lane_id
// CHECK: %[[IN:.*]] = arith.andi %[[LANE]], %c31
// CHECK: %[[UP1:.*]], %{{.*}} = gpu.shuffle up %[[X:.*]], %c1_i32, %c32_i32 : f32
// CHECK: %[[GE1:.*]] = arith.cmpi uge, %[[IN]], %c1
// CHECK: %[[S1:.*]] = arith.addf %[[UP1]], %[[X]]
// CHECK: %[[X1:.*]] = arith.select %[[GE1]], %[[S1]], %[[X]]
// CHECK: gpu.shuffle up %[[X1]], %c2_i32, %c32_i32
// CHECK: gpu.shuffle up %{{.*}}, %c4_i32, %c32_i32
// CHECK: gpu.shuffle up %{{.*}}, %c8_i32, %c32_i32
// CHECK: gpu.shuffle up %{{.*}}, %c16_i32, %c32_i32
// CHECK: %[[PREV:.*]], %{{.*}} = gpu.shuffle up %{{.*}}, %c1_i32, %c32_i32
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[IN]], %c0
// CHECK: %[[EARLIER:.*]] = arith.select %[[FIRST]], %cst{{.*}}, %[[PREV]]
// CHECK: arith.addf %[[EARLIER]], %[[X]]
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
tile.kernel @cumsum_warp(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %buf[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<32xf32>
  %s = tile.cumsum %t along 0 : tensor<32xf32>
  tile.store %s, %buf[%c0] at (%c0) strides (%c1) : tensor<32xf32>, !tile.buffer<f32, readwrite>
}

// -----

// Rows of 4 on an 8x4 tile with one warp: segments of 4 lanes (the scan
// stops at offset 2, lanes count from their row's start), no shared memory.
// CHECK-LABEL: gpu.func @cumsum_rows
// CHECK-NOT: gpu.barrier
// CHECK: %[[IN:.*]] = arith.andi %{{.*}}, %c3
// CHECK: gpu.shuffle up %{{.*}}, %c1_i32, %c32_i32
// CHECK: gpu.shuffle up %{{.*}}, %c2_i32, %c32_i32
// CHECK-NOT: %c4_i32
// CHECK: gpu.shuffle up %{{.*}}, %c1_i32, %c32_i32
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
tile.kernel @cumsum_rows(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = tile.load %buf[%c0] at (%c0, %c0) strides (%c4, %c1) : !tile.buffer<f32, readwrite> -> tensor<8x4xf32>
  %s = tile.cumsum %t along 1 : tensor<8x4xf32>
  tile.store %s, %buf[%c0] at (%c0, %c0) strides (%c4, %c1) : tensor<8x4xf32>, !tile.buffer<f32, readwrite>
}

// -----

// A 64-element row on 4 warps (the SSD chunk cumsum): each warp scans its
// 32 lanes, lane 31 of each warp that holds tile elements (2 of them) writes
// the warp's total, and each lane adds the totals of its row's earlier warps
// in order.
// CHECK-LABEL: gpu.func @cumsum_across_warps
// CHECK-SAME: ssdc.shared_bytes = 256 : i64
// CHECK: gpu.shuffle up
// CHECK: %[[TOTAL:.*]], %{{.*}} = gpu.shuffle idx %{{.*}}, %c31_i32, %c32_i32
// CHECK: gpu.barrier
// CHECK: %[[TOTALS:.*]] = memref.view {{.*}} to memref<2xf32, #gpu.address_space<workgroup>>
// CHECK: %[[WARP:.*]] = arith.divui %{{.*}}, %c32
// CHECK: %[[LAST:.*]] = arith.cmpi eq, %{{.*}}, %c31
// CHECK: %[[REAL:.*]] = arith.cmpi ult, %[[WARP]], %c2
// CHECK: %[[WRITES:.*]] = arith.andi %[[LAST]], %[[REAL]]
// CHECK: scf.if %[[WRITES]] {
// CHECK:   memref.store %[[TOTAL]], %[[TOTALS]][%[[WARP]]]
// CHECK: gpu.barrier
// CHECK: %[[IN_ROW:.*]] = arith.remui %[[WARP]], %c2
// CHECK: %[[START:.*]] = arith.subi %[[WARP]], %[[IN_ROW]]
// CHECK: scf.for %{{.*}} = %[[START]] to %[[WARP]] step %c1 iter_args
// CHECK:   memref.load %[[TOTALS]]
// CHECK:   arith.addf
tile.kernel @cumsum_across_warps(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %buf[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<64xf32>
  %s = tile.cumsum %t along 0 : tensor<64xf32>
  tile.store %s, %buf[%c0] at (%c0) strides (%c1) : tensor<64xf32>, !tile.buffer<f32, readwrite>
}

// -----

// cumsum along axis 0 of an 8x4 tile is not along rows: staged, and element
// (i, j) adds (0..i, j) in order.
// CHECK-LABEL: gpu.func @cumsum_columns
// CHECK: gpu.barrier
// CHECK: memref.store
// CHECK: gpu.barrier
// CHECK: %[[END:.*]] = arith.addi %{{.*}}, %c1
// CHECK: %[[CLAMPED:.*]] = arith.minui %[[END]], %c8
// CHECK: scf.for %{{.*}} = %c0 to %[[CLAMPED]] step %c1 iter_args(%{{.*}} = %cst{{.*}}) -> (f32)
// CHECK:   memref.load
// CHECK:   arith.addf
// CHECK-NOT: gpu.shuffle
tile.kernel @cumsum_columns(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = tile.load %buf[%c0] at (%c0, %c0) strides (%c4, %c1) : !tile.buffer<f32, readwrite> -> tensor<8x4xf32>
  %s = tile.cumsum %t along 0 : tensor<8x4xf32>
  tile.store %s, %buf[%c0] at (%c0, %c0) strides (%c4, %c1) : tensor<8x4xf32>, !tile.buffer<f32, readwrite>
}

// -----

// A row of 12 (3 chunks of 4 per row: neither divides 32 nor is a multiple
// of it) is staged.
// CHECK-LABEL: gpu.func @cumsum_odd_rows
// CHECK: gpu.barrier
// CHECK: scf.for
// CHECK-NOT: gpu.shuffle
tile.kernel @cumsum_odd_rows(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c12 = arith.constant 12 : index
  %t = tile.load %buf[%c0] at (%c0, %c0) strides (%c12, %c1) : !tile.buffer<f32, readwrite> -> tensor<16x12xf32>
  %s = tile.cumsum %t along 1 : tensor<16x12xf32>
  tile.store %s, %buf[%c0] at (%c0, %c0) strides (%c12, %c1) : tensor<16x12xf32>, !tile.buffer<f32, readwrite>
}

// -----

// reduce max along axis 0 is staged and folds in order; reduce sum of the
// 1-D result folds each thread's elements (padding lanes give 0), then the
// warp's butterfly (xor 1, 2, 4, 8, 16): one warp, so no shared memory.
// CHECK-LABEL: gpu.func @reduce
// CHECK: scf.for {{.*}} -> (f32)
// CHECK:   arith.maximumf
// CHECK: %[[IN_TILE:.*]] = arith.cmpi ult, %{{.*}}, %c4
// CHECK: %[[X:.*]] = arith.select %[[IN_TILE]], %{{.*}}, %cst
// CHECK: gpu.shuffle xor %[[X]], %c1_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c2_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c4_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c8_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c16_i32, %c32_i32
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
tile.kernel @reduce(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = tile.load %in[%c0] at (%c0, %c0) strides (%c4, %c1) : !tile.buffer<f32, read> -> tensor<8x4xf32>
  %m = tile.reduce max %t along 0 : tensor<8x4xf32> -> tensor<4xf32>
  %total = tile.reduce sum %m along 0 : tensor<4xf32> -> f32
  %s = tile.splat %total : f32 -> tensor<4xf32>
  tile.store %s, %out[%c0] at (%c0) strides (%c1) : tensor<4xf32>, !tile.buffer<f32, write>
}

// -----

// A 1-D reduce on 4 warps: each warp's butterfly, lane 0 writes its warp's
// total, and every thread folds the 4 totals in order. min starts from
// +inf and takes minimumf, prod from 1 and multiplies.
// CHECK-LABEL: gpu.func @reduce_min_prod
// CHECK-SAME: ssdc.shared_bytes = 256 : i64
// CHECK: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: %[[X:.*]] = arith.select %{{.*}}, %{{.*}}, %[[INF]]
// CHECK: gpu.shuffle xor %[[X]]
// CHECK: arith.minimumf
// CHECK: gpu.barrier
// CHECK: memref.view {{.*}} to memref<4xf32, #gpu.address_space<workgroup>>
// CHECK: scf.if
// CHECK:   memref.store
// CHECK: gpu.barrier
// CHECK: memref.load
// CHECK: memref.load
// CHECK: arith.minimumf
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[Y:.*]] = arith.select %{{.*}}, %{{.*}}, %[[ONE]]
// CHECK: gpu.shuffle xor %[[Y]]
// CHECK: arith.mulf
tile.kernel @reduce_min_prod(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %buf[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<64xf32>
  %m = tile.reduce min %t along 0 : tensor<64xf32> -> f32
  %p = tile.reduce prod %t along 0 : tensor<64xf32> -> f32
  %mp = arith.addf %m, %p : f32
  %s = tile.splat %mp : f32 -> tensor<64xf32>
  tile.store %s, %buf[%c0] at (%c0) strides (%c1) : tensor<64xf32>, !tile.buffer<f32, readwrite>
}

// -----

// reduce sum along the rows of an 8x4 tile: clusters of 4 lanes (xor 1, 2),
// the first lane of each row writes its total, each result element reads
// its row's.
// CHECK-LABEL: gpu.func @reduce_rows
// CHECK: gpu.shuffle xor %{{.*}}, %c1_i32, %c32_i32
// CHECK: gpu.shuffle xor %{{.*}}, %c2_i32, %c32_i32
// CHECK-NOT: %c4_i32
// CHECK: gpu.barrier
// CHECK: %[[TOTALS:.*]] = memref.view {{.*}} to memref<8xf32, #gpu.address_space<workgroup>>
// CHECK: scf.if
// CHECK:   memref.store %{{.*}}, %[[TOTALS]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[TOTALS]]
tile.kernel @reduce_rows(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = tile.load %buf[%c0] at (%c0, %c0) strides (%c4, %c1) : !tile.buffer<f32, readwrite> -> tensor<8x4xf32>
  %r = tile.reduce sum %t along 1 : tensor<8x4xf32> -> tensor<8xf32>
  tile.store %r, %buf[%c0] at (%c0) strides (%c1) : tensor<8xf32>, !tile.buffer<f32, readwrite>
}
