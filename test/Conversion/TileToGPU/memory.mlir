// RUN: ssdc-opt %s -split-input-file -convert-tile-to-gpu -cse | FileCheck %s

// A load reads only live elements: inside the tile, inside the bounds and
// selected by the mask; a dead element takes `other` and reads nothing.
// 16 elements over 32 threads: threads 16..31 own only padding.

// CHECK-LABEL: gpu.func @masked_load
// CHECK: %[[TID:.*]] = gpu.thread_id x
// CHECK: %[[TID32:.*]] = arith.index_castui %[[TID]] : index to i32
// CHECK: %[[T:.*]] = arith.index_castui %[[TID32]] : i32 to index
// CHECK: %[[START:.*]] = arith.addi %{{.*}}, %[[T]] : index
// CHECK: arith.subi %c0, %[[START]] : index
// CHECK: %[[NOT_BELOW:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK: arith.subi %{{.*}}, %[[START]] : index
// CHECK: %[[BELOW:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK: %[[ADDR:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: %[[IN_TILE:.*]] = arith.cmpi ult, %[[TID32]], %c16_i32
// CHECK: %[[GE0:.*]] = arith.cmpi sge, %c0_i32, %[[NOT_BELOW]] : i32
// CHECK: %[[LIVE0:.*]] = arith.andi %[[IN_TILE]], %[[GE0]]
// CHECK: %[[LT:.*]] = arith.cmpi slt, %c0_i32, %[[BELOW]] : i32
// CHECK: %[[LIVE1:.*]] = arith.andi %[[LIVE0]], %[[LT]]
// CHECK: %[[M:.*]] = vector.extract %{{.*}}[0] : i1 from vector<1xi1>
// CHECK: %[[LIVE:.*]] = arith.andi %[[LIVE1]], %[[M]]
// CHECK: scf.if %[[LIVE]] -> (f32) {
// CHECK:   %[[P:.*]] = llvm.getelementptr %{{.*}}[%[[ADDR]]] : (!llvm.ptr<1>, i64) -> !llvm.ptr<1>, f32
// CHECK:   llvm.load %[[P]] : !llvm.ptr<1> -> f32
// CHECK: } else {
// CHECK:   scf.yield %{{.*}} : f32
tile.kernel @masked_load(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %start = tile.program_id 0
  %bound = arith.index_cast %n : i64 to index
  %r = tile.range : tensor<16xi32>
  %two = arith.constant 2 : i32
  %s = tile.splat %two : i32 -> tensor<16xi32>
  %rem = arith.remui %r, %s : tensor<16xi32>
  %zero = arith.constant 0 : i32
  %z = tile.splat %zero : i32 -> tensor<16xi32>
  %even = arith.cmpi eq, %rem, %z : tensor<16xi32>
  %t = tile.load %in[%c0] at (%start) strides (%c1) bounds (%bound) mask %even : tensor<16xi1>
      other 0xFF800000 : f32 : !tile.buffer<f32, read> -> tensor<16xf32>
  tile.store %t, %out[%c0] at (%start) strides (%c1) bounds (%bound) : tensor<16xf32>, !tile.buffer<f32, write>
}

// -----

// A store writes live elements only; a 2-D tile's address is
// base + (offset0 + i) * stride0 + (offset1 + j) * stride1 in 64 bits, with
// the thread's in-tile index (i, j) from 32-bit arithmetic.
// CHECK-LABEL: gpu.func @strided_store
// CHECK: %[[TID:.*]] = gpu.thread_id x
// CHECK: %[[TID32:.*]] = arith.index_castui %[[TID]] : index to i32
// CHECK: %[[J:.*]] = arith.remui %[[TID32]], %c8_i32 : i32
// CHECK: %[[I:.*]] = arith.divui %[[TID32]], %c8_i32 : i32
// CHECK: %[[I64:.*]] = arith.index_castui %[[I]] : i32 to index
// CHECK: %[[GI:.*]] = arith.addi %{{.*}}, %[[I64]]
// CHECK: %[[RI:.*]] = arith.muli %[[GI]], %{{.*}}
// CHECK: %[[J64:.*]] = arith.index_castui %[[J]] : i32 to index
// CHECK: %[[GJ:.*]] = arith.addi %{{.*}}, %[[J64]]
// CHECK: %[[RJ:.*]] = arith.muli %[[GJ]], %c1
// CHECK: scf.if
// CHECK:   llvm.getelementptr %{{.*}} : (!llvm.ptr<1>, i64) -> !llvm.ptr<1>, f16
// CHECK:   llvm.store %{{.*}}, %{{.*}} : f16, !llvm.ptr<1>
// CHECK-NOT: llvm.load
tile.kernel @strided_store(%out: !tile.buffer<f16, write>, %ld: i64)
    params [num_warps in [1] = 1] grid (1) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %stride = arith.index_cast %ld : i64 to index
  %half = arith.constant 1.5 : f16
  %t = tile.splat %half : f16 -> tensor<4x8xf16>
  tile.store %t, %out[%c3] at (%c1, %c0) strides (%stride, %c1) : tensor<4x8xf16>, !tile.buffer<f16, write>
}

// -----

// Rows with stride 1: each thread owns chunks of 4 contiguous elements. A
// chunk is one vector load when the whole tile is inside its bounds (tested
// once), and its address is 16-byte aligned (tested once per thread: the
// thread's first element and the row stride); only the other branch tests
// each element against the bounds.
// CHECK-LABEL: gpu.func @vector_load
// CHECK: %[[ROWS_FIT:.*]] = arith.cmpi sle, %{{.*}}, %{{.*}} : index
// CHECK: %[[COLS_FIT:.*]] = arith.cmpi sle, %{{.*}}, %{{.*}} : index
// CHECK: %[[PTR:.*]] = llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr<1>, i64) -> !llvm.ptr<1>, f32
// CHECK: %[[BITS:.*]] = llvm.ptrtoint %[[PTR]] : !llvm.ptr<1> to i64
// CHECK: %[[MIS:.*]] = arith.andi %[[BITS]], %c15_i64
// CHECK: %[[POINTER_ALIGNED:.*]] = arith.cmpi eq, %[[MIS]], %c0_i64
// CHECK: %[[ROW_STRIDE:.*]] = arith.remui %{{.*}}, %c4 : index
// CHECK: %[[STRIDE_ALIGNED:.*]] = arith.cmpi eq, %[[ROW_STRIDE]], %c0
// CHECK: %[[ALIGNED:.*]] = arith.andi %[[POINTER_ALIGNED]], %[[STRIDE_ALIGNED]]
// CHECK: %[[FAST:.*]] = arith.andi %{{.*}}, %[[ALIGNED]]
// CHECK: scf.if %[[FAST]] -> (vector<4xf32>) {
// CHECK-NOT: arith.cmpi slt
// CHECK:   llvm.load %[[PTR]] {alignment = 16 : i64} : !llvm.ptr<1> -> vector<4xf32>
// CHECK: } else {
// CHECK:   arith.cmpi slt
// CHECK:   scf.if %{{.*}} -> (f32) {
// CHECK:     llvm.load %{{.*}} : !llvm.ptr<1> -> f32
tile.kernel @vector_load(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %ld: i64)
    params [num_warps in [1] = 1] grid (1) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %stride = arith.index_cast %ld : i64 to index
  %t = tile.load %in[%c0] at (%c0, %c0) strides (%stride, %c1) bounds (%stride, %stride)
      : !tile.buffer<f32, read> -> tensor<8x16xf32>
  tile.store %t, %out[%c0] at (%c0, %c0) strides (%stride, %c1) : tensor<8x16xf32>, !tile.buffer<f32, write>
}

// -----

// An f32 tile of a bf16 buffer: the chunk of 4 bf16 is one 8-byte vector
// load, widened in registers; a dead element is the f32 `other`. The store
// into an f16 buffer rounds the f32 tile once (arith.truncf) and writes 8
// bytes per chunk.
// CHECK-LABEL: gpu.func @widen_narrow
// CHECK: llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr<1>, i64) -> !llvm.ptr<1>, bf16
// CHECK: arith.andi %{{.*}}, %c7_i64
// CHECK: scf.if %{{.*}} -> (vector<4xf32>) {
// CHECK:   %[[HALVES:.*]] = llvm.load %{{.*}} {alignment = 8 : i64} : !llvm.ptr<1> -> vector<4xbf16>
// CHECK:   arith.extf %[[HALVES]] : vector<4xbf16> to vector<4xf32>
// CHECK: } else {
// CHECK:   scf.if %{{.*}} -> (f32) {
// CHECK:     %[[HALF:.*]] = llvm.load %{{.*}} : !llvm.ptr<1> -> bf16
// CHECK:     arith.extf %[[HALF]] : bf16 to f32
// CHECK:   } else {
// CHECK:     scf.yield %cst{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : vector<{{[0-9]+}}xf32> to vector<{{[0-9]+}}xf16>
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 8 : i64} : vector<4xf16>, !llvm.ptr<1>
tile.kernel @widen_narrow(%in: !tile.buffer<bf16, read>, %out: !tile.buffer<f16, write>, %ld: i64)
    params [num_warps in [1] = 1] grid (1) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %stride = arith.index_cast %ld : i64 to index
  %t = tile.load %in[%c0] at (%c0, %c0) strides (%stride, %c1) bounds (%stride, %stride)
      other 0xFF800000 : f32 : !tile.buffer<bf16, read> -> tensor<8x16xf32>
  tile.store %t, %out[%c0] at (%c0, %c0) strides (%stride, %c1) : tensor<8x16xf32>, !tile.buffer<f16, write>
}

// -----

// A strided innermost axis is never one vector access.
// CHECK-LABEL: gpu.func @column_load
// CHECK-NOT: vector<4xf32>, !llvm.ptr<1>
// CHECK-NOT: -> vector<4xf32>
// CHECK: gpu.return
tile.kernel @column_load(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %ld: i64)
    params [num_warps in [1] = 1] grid (1) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %stride = arith.index_cast %ld : i64 to index
  %t = tile.load %in[%c0] at (%c0, %c0) strides (%c1, %stride) : !tile.buffer<f32, read> -> tensor<8x16xf32>
  tile.store %t, %out[%c0] at (%c0, %c0) strides (%c1, %stride) : tensor<8x16xf32>, !tile.buffer<f32, write>
}

// -----

// A readwrite buffer stored and then loaded in one program: other threads
// wrote what a thread now reads, so a barrier comes between (read after
// write). The store that follows the load of other elements gets one too
// (write after read).
// CHECK-LABEL: gpu.func @store_then_load
// CHECK: llvm.store
// CHECK: gpu.barrier
// CHECK: llvm.load
// CHECK: gpu.barrier
// CHECK: llvm.store
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
tile.kernel @store_then_load(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %one = arith.constant 1.0 : f32
  %t = tile.splat %one : f32 -> tensor<64xf32>
  tile.store %t, %buf[%c0] at (%c0) strides (%c1) : tensor<64xf32>, !tile.buffer<f32, readwrite>
  %r = tile.load %buf[%c0] at (%c1) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<64xf32>
  tile.store %r, %buf[%c0] at (%c64) strides (%c1) : tensor<64xf32>, !tile.buffer<f32, readwrite>
}

// -----

// In a loop, a store of one iteration precedes the load of the next: the
// load gets a barrier although the store comes after it in the body, and so
// does the store (the next iteration's load reads other elements).
// CHECK-LABEL: gpu.func @store_load_loop
// CHECK: scf.for
// CHECK: gpu.barrier
// CHECK: llvm.load
// CHECK: gpu.barrier
// CHECK: llvm.store
tile.kernel @store_load_loop(%buf: !tile.buffer<f32, readwrite>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c32 = arith.constant 32 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %at = arith.muli %i, %c32 : index
    %t = tile.load %buf[%c0] at (%at) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<32xf32>
    %e = tile.exp %t : tensor<32xf32>
    tile.store %e, %buf[%c0] at (%at) strides (%c1) : tensor<32xf32>, !tile.buffer<f32, readwrite>
  }
}

// -----

// An in-place update (the same tile shape and access operands, no loop
// around both) reads and writes the same elements in the same thread: no
// barrier. Buffers that are only read or only written never get one.
// CHECK-LABEL: gpu.func @in_place
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
tile.kernel @in_place(%buf: !tile.buffer<f32, readwrite>, %in: !tile.buffer<f32, read>,
                      %out: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [1] = 1] grid (%n) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %buf[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<64xf32>
  %e = tile.exp %t : tensor<64xf32>
  tile.store %e, %buf[%c0] at (%c0) strides (%c1) : tensor<64xf32>, !tile.buffer<f32, readwrite>
  %u = tile.load %in[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<64xf32>
  tile.store %u, %out[%c0] at (%c1) strides (%c1) : tensor<64xf32>, !tile.buffer<f32, write>
}

// -----

// load_scalar: one llvm.load of the element at the 64-bit index, in every
// thread; tile.splat broadcasts it into each thread's vector.
// CHECK-LABEL: gpu.func @load_scalar
// CHECK: %[[I:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: %[[P:.*]] = llvm.getelementptr %{{.*}}[%[[I]]] : (!llvm.ptr<1>, i64) -> !llvm.ptr<1>, f32
// CHECK: %[[V:.*]] = llvm.load %[[P]] : !llvm.ptr<1> -> f32
// CHECK: vector.broadcast %[[V]] : f32 to vector<2xf32>
tile.kernel @load_scalar(%a: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %h: i64)
    params [num_warps in [1] = 1] grid (1) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %i = arith.index_cast %h : i64 to index
  %x = tile.load_scalar %a[%i] : !tile.buffer<f32, read> -> f32
  %t = tile.splat %x : f32 -> tensor<64xf32>
  tile.store %t, %out[%c0] at (%c0) strides (%c1) : tensor<64xf32>, !tile.buffer<f32, write>
}

// -----

// A layout whose slots do not split into a thread part and constants (rows
// of 12 in chunks of 4 over 32 threads: a round of 128 elements ends in the
// middle of a row): each slot's index comes from its own linear index, in
// 32 bits, and each chunk tests its own alignment.
// CHECK-LABEL: gpu.func @unsplit_load
// CHECK: %[[TID32:.*]] = arith.index_castui %{{.*}} : index to i32
// CHECK: %[[FIRST:.*]] = arith.muli %[[TID32]], %c4_i32
// CHECK: arith.remui %[[FIRST]], %c12_i32 : i32
// CHECK: arith.divui %[[FIRST]], %c12_i32 : i32
// CHECK: llvm.ptrtoint
// CHECK: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<4xf32>
// CHECK: %[[SECOND:.*]] = arith.addi %[[FIRST]], %c128_i32
// CHECK: arith.remui %[[SECOND]], %c12_i32 : i32
// CHECK: llvm.ptrtoint
// CHECK: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<1> -> vector<4xf32>
tile.kernel @unsplit_load(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %ld: i64)
    params [num_warps in [1] = 1] grid (1) attributes {tile.config = {num_warps = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %stride = arith.index_cast %ld : i64 to index
  %t = tile.load %in[%c0] at (%c0, %c0) strides (%stride, %c1) bounds (%stride, %stride)
      : !tile.buffer<f32, read> -> tensor<12x12xf32>
  tile.store %t, %out[%c0] at (%c0, %c0) strides (%stride, %c1) : tensor<12x12xf32>, !tile.buffer<f32, write>
}
