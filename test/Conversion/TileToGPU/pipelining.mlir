// RUN: ssdc-opt %s -split-input-file -convert-tile-to-gpu -canonicalize -cse | FileCheck %s

// num_stages = 3, bf16 on the mma.sync path: both operands take rings of 3
// slots from byte 0, since the dot stages nothing while they are live (its
// operands are in the rings, its accumulator is carried): a's slots are 64
// rows of 40 elements (5120 bytes), b's 32 rows of 72 (4608): 3 x 9728. The
// accumulator goes back to the chunked layout after the loop through byte 0
// too (16384 bytes, over the dead rings).
// Before the loop, iterations 0 and 1 are copied (each only if it exists)
// into slots 0 and 1, one commit each; at the top of the body a wait for
// iteration i's group (the one younger group may stay pending) and a
// barrier (every thread's copies are visible, and every thread is past
// iteration i - 1's dot, which read slot (i + 2) mod 3); the dot reads a and
// b from slot i mod 3 with ldmatrix (no bf16 stores: the loop carries its
// accumulator in registers, dot-carried.mlir); then iteration i + 2 is
// copied into slot (i + 2) mod 3, and a commit. One barrier an iteration.
// CHECK-LABEL: gpu.func @ring_bf16
// CHECK-SAME: ssdc.shared_bytes = 29184 : i64
// CHECK: scf.if
// CHECK: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache = cg, %{{.*}} : !llvm.ptr<3>, !llvm.ptr<1>, i32
// CHECK: nvvm.cp.async.commit.group
// CHECK: scf.if
// CHECK: nvvm.cp.async.shared.global
// CHECK: nvvm.cp.async.commit.group
// CHECK: scf.for %[[K:.*]] = %c0 to %{{.*}} step %c32
// CHECK-NEXT: nvvm.cp.async.wait.group 1
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: %[[AHEAD:.*]] = arith.addi %[[K]], %c64
// CHECK-NEXT: %[[EXISTS:.*]] = arith.cmpi slt, %[[AHEAD]]
// CHECK-NOT: gpu.barrier
// CHECK:   arith.remui %{{.*}}, %c3
// CHECK:   memref.view %{{.*}}[%{{.*}}][] {{.*}} to memref<2560xbf16
// CHECK:   memref.view %{{.*}}[%{{.*}}][] {{.*}} to memref<2304xbf16
// CHECK-NOT: memref.store %{{.*}} : memref<{{[0-9]+}}xbf16
// CHECK-NOT: gpu.barrier
// CHECK:   nvgpu.ldmatrix
// CHECK:   nvvm.mma.sync
// CHECK-NOT: gpu.barrier
// CHECK:   scf.if %[[EXISTS]] {
// CHECK:     %[[I2:.*]] = arith.addi %{{.*}}, %c2
// CHECK:     arith.remui %[[I2]], %c3
// CHECK:     nvvm.cp.async.shared.global
// CHECK:   nvvm.cp.async.commit.group
// CHECK-NEXT: scf.yield
// CHECK: gpu.barrier
// CHECK: vector.store {{.*}} : memref<4096xf32
// CHECK: gpu.return
tile.kernel @ring_bf16(%a: !tile.buffer<bf16, read>, %b: !tile.buffer<bf16, read>,
                       %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [3] = 3] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 3 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %k = arith.index_cast %K : i64 to index
  %zero = arith.constant 0.0 : f32
  %init = tile.splat %zero : f32 -> tensor<64x64xf32>
  %acc = scf.for %k0 = %c0 to %k step %c32 iter_args(%acc_in = %init) -> (tensor<64x64xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) bounds (%c64, %k)
        : !tile.buffer<bf16, read> -> tensor<64x32xbf16>
    %tb = tile.load %b[%c0] at (%k0, %c0) strides (%c64, %c1) bounds (%k, %c64)
        : !tile.buffer<bf16, read> -> tensor<32x64xbf16>
    %d = tile.dot %ta, %tb, %acc_in : tensor<64x32xbf16>, tensor<32x64xbf16> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c64, %c1)
      : tensor<64x64xf32>, !tile.buffer<f32, write>
}

// -----

// The 16-byte pieces of a copy: one per thread here (b is 16 rows of 32
// f32, 8 pieces a row, 128 pieces). When the tile's first element is
// 16-byte aligned, its rows are (N x 4 bytes % 16 = 0) and the tile lies
// inside the bounds (row0 >= 0, row0 + 16 <= K, col0 = 0, 32 <= N), one
// branch taken by every thread alike, which also asks that the pieces' offsets
// from the tile's first element fit in 32 bits (N <= (2^31 - 1 - 31) / 15): a
// plain 16-byte copy a piece, at that element's address (hidden from LLVM's
// loop analyses by an empty move) plus its 32-bit offset.
// Otherwise each piece is copied at src-size = the bytes inside the bounds,
// 4 x clamp(K - column, 0, 4) in row r < K, else 0 (zero fill), and a piece
// that is not 16-byte aligned in global memory is copied element by
// element: live elements loaded, dead ones zero. a (no bounds) takes a ring
// too and is copied first; its test is its alignment alone.
// CHECK-LABEL: gpu.func @ring_tail
// CHECK: scf.for
// CHECK-NEXT: nvvm.cp.async.wait.group 0
// CHECK: llvm.intr.fma
// CHECK:   nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache = cg : !llvm.ptr<3>, !llvm.ptr<1>
// CHECK:   nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache = cg, %c16_i32
// CHECK-COUNT-4: llvm.load %{{.*}} : !llvm.ptr<1> -> f32
// CHECK:   %[[ORIGIN:.*]] = llvm.inline_asm "mov.b64 $0, $1;", "=l,l" %{{.*}} : (i64) -> i64
// CHECK:   %[[BASE:.*]] = llvm.inttoptr %[[ORIGIN]] : i64 to !llvm.ptr<1>
// CHECK:   %[[ORIGINLOW:.*]] = arith.andi %[[ORIGIN]], %c15_i64
// CHECK:   %[[ORIGINALIGNED:.*]] = arith.cmpi eq, %[[ORIGINLOW]], %c0_i64
// CHECK:   %[[PITCH:.*]] = arith.muli %[[N:.*]], %c4 : index
// CHECK:   %[[PITCHLOW:.*]] = arith.andi %[[PITCH]], %c15
// CHECK:   arith.cmpi eq, %[[PITCHLOW]], %c0
// CHECK:   arith.cmpi ule, %[[N]], %c143165574 : index
// CHECK:   %[[ROWEND:.*]] = arith.addi %{{.*}}, %c32
// CHECK:   arith.cmpi sle, %[[ROWEND]], %{{.*}} : index
// CHECK:   arith.cmpi sge, %[[N]], %c32
// CHECK:   %[[INSIDE:.*]] = arith.andi %{{.*}}, %{{.*}} : i1
// CHECK:   scf.if %[[INSIDE]] {
// CHECK-NOT: arith.select
// CHECK:     %[[OFFSET32:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK:     %[[PIECE:.*]] = llvm.getelementptr %[[BASE]][%[[OFFSET32]]] : (!llvm.ptr<1>, i32)
// CHECK:     nvvm.cp.async.shared.global %{{.*}}, %[[PIECE]], 16, cache = cg : !llvm.ptr<3>, !llvm.ptr<1>
// CHECK-NEXT: } else {
// CHECK:   %[[ROWIN:.*]] = arith.andi %{{.*}}, %{{.*}} : i1
// CHECK:   %[[REST:.*]] = arith.subi %{{.*}}, %[[COL:.*]] : index
// CHECK:   %[[MIN:.*]] = arith.minsi %[[REST]], %c4
// CHECK:   %[[LIVE:.*]] = arith.maxsi %[[MIN]], %c0
// CHECK:   %[[COPIED:.*]] = arith.select %[[ROWIN]], %[[LIVE]], %c0
// CHECK:   %[[ADDRESS:.*]] = llvm.ptrtoint %[[SRC:.*]] : !llvm.ptr<1> to i64
// CHECK:   %[[LOW:.*]] = arith.andi %[[ADDRESS]], %c15_i64
// CHECK:   %[[ALIGNED:.*]] = arith.cmpi eq, %[[LOW]], %c0_i64
// CHECK:   scf.if %{{.*}} {
// CHECK:     %[[BYTES:.*]] = arith.muli %[[COPIED]], %c4
// CHECK:     %[[BYTES32:.*]] = arith.index_cast %[[BYTES]] : index to i32
// CHECK:     nvvm.cp.async.shared.global %{{.*}}, %[[SRC]], 16, cache = cg, %[[BYTES32]]
// CHECK:   } else {
// CHECK-COUNT-4: llvm.load %{{.*}} : !llvm.ptr<1> -> f32
// CHECK:   }
// CHECK:   nvvm.cp.async.commit.group
// CHECK-NEXT: scf.yield
tile.kernel @ring_tail(%a: !tile.buffer<f32, read>, %b: !tile.buffer<f32, read>,
                       %c: !tile.buffer<f32, write>, %K: i64, %N: i64)
    params [num_warps in [4] = 4, num_stages in [2] = 2] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 2 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %k = arith.index_cast %K : i64 to index
  %n = arith.index_cast %N : i64 to index
  %zero = arith.constant 0.0 : f32
  %init = tile.splat %zero : f32 -> tensor<32x32xf32>
  %acc = scf.for %k0 = %c0 to %k step %c16 iter_args(%acc_in = %init) -> (tensor<32x32xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) : !tile.buffer<f32, read> -> tensor<32x16xf32>
    %tb = tile.load %b[%c0] at (%k0, %c0) strides (%n, %c1) bounds (%k, %n)
        : !tile.buffer<f32, read> -> tensor<16x32xf32>
    %d = tile.dot %ta, %tb, %acc_in : tensor<32x16xf32>, tensor<16x32xf32> -> tensor<32x32xf32>
    scf.yield %d : tensor<32x32xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c32, %c1) : tensor<32x32xf32>, !tile.buffer<f32, write>
}

// -----

// fp32 ieee, num_stages = 2: the FMA path reads a and b row-major, as
// their rings' 16-byte copies write them, so both take rings of 2 slots:
// a's of 32 rows of 20 elements (2560 bytes), then b's of 16 rows of 36
// (2304 bytes) at 5120; the accumulator is carried, so the dot stages
// nothing. The loop waits for the copies and its barrier makes them
// visible; no stores to shared memory before the FMAs. The offset of b is
// computed in the body from the induction variable: the copy repeats that
// computation for iteration i + 1 (row 2 x (k + 16), 32 elements apart:
// 64 x (k + 16) once folded).
// CHECK-LABEL: gpu.func @ring_fma
// CHECK-SAME: ssdc.shared_bytes = 9728 : i64
// CHECK: scf.for %[[K:.*]] = %c0
// CHECK-NEXT: nvvm.cp.async.wait.group 0
// CHECK-NEXT: gpu.barrier
// CHECK:   %[[AHEAD:.*]] = arith.addi %[[K]], %c16
// CHECK:   %[[A:.*]] = memref.view %{{.*}}[%{{.*}}][] {{.*}} to memref<640xf32
// CHECK:   arith.addi %{{.*}}, %c5120
// CHECK:   %[[B:.*]] = memref.view %{{.*}}[%{{.*}}][] {{.*}} to memref<576xf32
// CHECK-NOT: memref.store
// CHECK:   vector.load %[[A]]
// CHECK:   vector.load %[[B]]
// CHECK:   llvm.intr.fma
// CHECK:   scf.if
// CHECK:     arith.muli %{{.*}}, %c2560
// CHECK:     nvvm.cp.async.shared.global
// CHECK:     arith.addi %{{.*}}, %c5120
// CHECK:     arith.muli %[[AHEAD]], %c64
// CHECK:     nvvm.cp.async.shared.global
tile.kernel @ring_fma(%a: !tile.buffer<f32, read>, %b: !tile.buffer<f32, read>,
                      %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [2] = 2] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 2 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %k = arith.index_cast %K : i64 to index
  %zero = arith.constant 0.0 : f32
  %init = tile.splat %zero : f32 -> tensor<32x32xf32>
  %acc = scf.for %k0 = %c0 to %k step %c16 iter_args(%acc_in = %init) -> (tensor<32x32xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) : !tile.buffer<f32, read> -> tensor<32x16xf32>
    %row = arith.muli %k0, %c2 : index
    %tb = tile.load %b[%c0] at (%row, %c0) strides (%c32, %c1) : !tile.buffer<f32, read> -> tensor<16x32xf32>
    %d = tile.dot %ta, %tb, %acc_in : tensor<32x16xf32>, tensor<16x32xf32> -> tensor<32x32xf32>
    scf.yield %d : tensor<32x32xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c32, %c1) : tensor<32x32xf32>, !tile.buffer<f32, write>
}

// -----

// No ring: num_stages = 1. In the loop the dot stages a and b (9728 bytes;
// its accumulator is carried); after it the accumulator's conversion takes
// 16384.
// CHECK-LABEL: gpu.func @one_stage
// CHECK-SAME: ssdc.shared_bytes = 16384 : i64
// CHECK-NOT: nvvm.cp.async
// CHECK: gpu.return
tile.kernel @one_stage(%a: !tile.buffer<bf16, read>, %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [1] = 1] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 1 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  %init = tile.splat %zero : f32 -> tensor<64x64xf32>
  %k = arith.index_cast %K : i64 to index
  %acc = scf.for %k0 = %c0 to %k step %c32 iter_args(%acc_in = %init) -> (tensor<64x64xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) : !tile.buffer<bf16, read> -> tensor<64x32xbf16>
    %tb = tile.load %a[%c0] at (%k0, %c0) strides (%c64, %c1) : !tile.buffer<bf16, read> -> tensor<32x64xbf16>
    %d = tile.dot %ta, %tb, %acc_in : tensor<64x32xbf16>, tensor<32x64xbf16> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c64, %c1) : tensor<64x64xf32>, !tile.buffer<f32, write>
}

// -----

// No ring for loads the pipeline would change the meaning of, or that
// 16-byte copies cannot write: a masked load, a load of a readwrite buffer
// (a store in the loop may change what a later iteration reads), loads used
// by two dots with an offset read from memory in the body, a load that is a
// dot's accumulator.
// CHECK-LABEL: gpu.func @not_rings
// CHECK-SAME: ssdc.shared_bytes = 26112 : i64
// CHECK-NOT: nvvm.cp.async
// CHECK: gpu.return
tile.kernel @not_rings(%a: !tile.buffer<bf16, read>, %w: !tile.buffer<bf16, readwrite>,
                       %o: !tile.buffer<i64, read>, %c2: !tile.buffer<f32, read>,
                       %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [3] = 3] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 3 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  %init = tile.splat %zero : f32 -> tensor<64x64xf32>
  %k = arith.index_cast %K : i64 to index
  %acc = scf.for %k0 = %c0 to %k step %c32 iter_args(%acc_in = %init) -> (tensor<64x64xf32>) {
    %true = arith.constant true
    %mask = tile.splat %true : i1 -> tensor<64x32xi1>
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) mask %mask : tensor<64x32xi1>
        : !tile.buffer<bf16, read> -> tensor<64x32xbf16>
    %tb = tile.load %w[%c0] at (%k0, %c0) strides (%c64, %c1) : !tile.buffer<bf16, readwrite> -> tensor<32x64xbf16>
    %d = tile.dot %ta, %tb, %acc_in : tensor<64x32xbf16>, tensor<32x64xbf16> -> tensor<64x64xf32>
    %start64 = tile.load_scalar %o[%k0] : !tile.buffer<i64, read> -> i64
    %start = arith.index_cast %start64 : i64 to index
    %tc = tile.load %a[%c0] at (%c0, %start) strides (%k, %c1) : !tile.buffer<bf16, read> -> tensor<64x32xbf16>
    %td = tile.load %a[%c0] at (%k0, %c0) strides (%c64, %c1) : !tile.buffer<bf16, read> -> tensor<32x64xbf16>
    %e = tile.dot %tc, %td, %d : tensor<64x32xbf16>, tensor<32x64xbf16> -> tensor<64x64xf32>
    %f = tile.dot %tc, %td, %e : tensor<64x32xbf16>, tensor<32x64xbf16> -> tensor<64x64xf32>
    %prior = tile.load %c2[%c0] at (%c0, %c0) strides (%c64, %c1) : !tile.buffer<f32, read> -> tensor<64x64xf32>
    %g = tile.dot %tc, %td, %prior : tensor<64x32xbf16>, tensor<32x64xbf16> -> tensor<64x64xf32>
    %h = arith.addf %f, %g : tensor<64x64xf32>
    scf.yield %h : tensor<64x64xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c64, %c1) : tensor<64x64xf32>, !tile.buffer<f32, write>
}

// -----

// No ring for a load that widens (bf16 in memory, an f32 tile): a ring slot
// holds the bytes of the dot's staged f32 tile, and a 16-byte copy of the
// buffer would put bf16 pairs where the dot reads f32. Both loads stay
// plain loads, widened as they load, staged by the dot as usual.
// CHECK-LABEL: gpu.func @widening_loads_are_not_rings
// CHECK-NOT: nvvm.cp.async
// CHECK: nvvm.mma.sync
// CHECK-NOT: nvvm.cp.async
// CHECK: gpu.return
tile.kernel @widening_loads_are_not_rings(%a: !tile.buffer<bf16, read>,
                                          %b: !tile.buffer<bf16, read>,
                                          %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [3] = 3] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 3 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %k = arith.index_cast %K : i64 to index
  %zero = arith.constant 0.0 : f32
  %init = tile.splat %zero : f32 -> tensor<64x64xf32>
  %acc = scf.for %k0 = %c0 to %k step %c32 iter_args(%acc_in = %init) -> (tensor<64x64xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) bounds (%c64, %k)
        : !tile.buffer<bf16, read> -> tensor<64x32xf32>
    %tb = tile.load %b[%c0] at (%k0, %c0) strides (%c64, %c1) bounds (%k, %c64)
        : !tile.buffer<bf16, read> -> tensor<32x64xf32>
    %d = tile.dot %ta, %tb, %acc_in precision tf32x3
        : tensor<64x32xf32>, tensor<32x64xf32> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c64, %c1)
      : tensor<64x64xf32>, !tile.buffer<f32, write>
}

// -----

// ring_bf16 with an accumulator that starts from memory, not a splat: its
// conversion to the product layout runs after the first copies are issued,
// so its 16384 bytes lie below the rings (16384 + 3 x 9728).
// CHECK-LABEL: gpu.func @ring_loaded_init
// CHECK-SAME: ssdc.shared_bytes = 45568 : i64
// CHECK: nvvm.cp.async.commit.group
// CHECK: nvvm.cp.async.commit.group
// CHECK: gpu.barrier
// CHECK: memref<4096xf32
// CHECK: gpu.barrier
// CHECK: scf.for
tile.kernel @ring_loaded_init(%a: !tile.buffer<bf16, read>, %b: !tile.buffer<bf16, read>,
                              %c: !tile.buffer<f32, readwrite>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [3] = 3] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 3 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %k = arith.index_cast %K : i64 to index
  %init = tile.load %c[%c0] at (%c0, %c0) strides (%c64, %c1) : !tile.buffer<f32, readwrite> -> tensor<64x64xf32>
  %acc = scf.for %k0 = %c0 to %k step %c32 iter_args(%acc_in = %init) -> (tensor<64x64xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) : !tile.buffer<bf16, read> -> tensor<64x32xbf16>
    %tb = tile.load %b[%c0] at (%k0, %c0) strides (%c64, %c1) : !tile.buffer<bf16, read> -> tensor<32x64xbf16>
    %d = tile.dot %ta, %tb, %acc_in : tensor<64x32xbf16>, tensor<32x64xbf16> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c64, %c1) : tensor<64x64xf32>, !tile.buffer<f32, readwrite>
}

// -----

// fp32 rings of a tf32 dot (mma.sync m16n8k8): after the wait for slot i's
// copies each thread rounds its own pieces of both slots to tf32 in place
// (a: 64 x 32 f32, 512 pieces; b: 32 x 64, 512; 128 threads, so 4 each:
// a 16-byte load, four cvt.rna, a store), before the barrier that publishes
// them; the dot then reads them as they are, with no rounding of its own.
// CHECK-LABEL: gpu.func @ring_tf32_rounded_in_slot
// CHECK: scf.for
// CHECK-NEXT: nvvm.cp.async.wait.group 1
// CHECK-COUNT-8: nvvm.convert.float.to.tf32 %{{.*}} {rnd = #nvvm.fp_rnd_mode<rna>}
// CHECK: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr<3>
// CHECK-COUNT-24: nvvm.convert.float.to.tf32
// CHECK-NOT: nvvm.convert.float.to.tf32
// CHECK: gpu.barrier
// CHECK-NOT: nvvm.convert.float.to.tf32
// CHECK: nvvm.mma.sync
// CHECK-NOT: nvvm.convert.float.to.tf32
// CHECK: scf.yield
tile.kernel @ring_tf32_rounded_in_slot(%a: !tile.buffer<f32, read>, %b: !tile.buffer<f32, read>,
                                       %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [3] = 3] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 3 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %k = arith.index_cast %K : i64 to index
  %zero = arith.constant 0.0 : f32
  %init = tile.splat %zero : f32 -> tensor<64x64xf32>
  %acc = scf.for %k0 = %c0 to %k step %c32 iter_args(%acc_in = %init) -> (tensor<64x64xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) bounds (%c64, %k)
        : !tile.buffer<f32, read> -> tensor<64x32xf32>
    %tb = tile.load %b[%c0] at (%k0, %c0) strides (%c64, %c1) bounds (%k, %c64)
        : !tile.buffer<f32, read> -> tensor<32x64xf32>
    %d = tile.dot %ta, %tb, %acc_in precision tf32
        : tensor<64x32xf32>, tensor<32x64xf32> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c64, %c1)
      : tensor<64x64xf32>, !tile.buffer<f32, write>
}

// -----

// tf32x3 splits each operand into big and small parts from its exact f32
// value, so its rings are not rounded in the slot: the dot rounds (big and
// small, two cvt.rna an element) after its loads, and nothing before the
// barrier does.
// CHECK-LABEL: gpu.func @ring_tf32x3_not_rounded_in_slot
// CHECK: scf.for
// CHECK-NEXT: nvvm.cp.async.wait.group 1
// CHECK-NEXT: gpu.barrier
// CHECK: nvvm.convert.float.to.tf32
// CHECK: nvvm.mma.sync
tile.kernel @ring_tf32x3_not_rounded_in_slot(%a: !tile.buffer<f32, read>,
                                             %b: !tile.buffer<f32, read>,
                                             %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [3] = 3] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 3 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %k = arith.index_cast %K : i64 to index
  %zero = arith.constant 0.0 : f32
  %init = tile.splat %zero : f32 -> tensor<64x64xf32>
  %acc = scf.for %k0 = %c0 to %k step %c32 iter_args(%acc_in = %init) -> (tensor<64x64xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) bounds (%c64, %k)
        : !tile.buffer<f32, read> -> tensor<64x32xf32>
    %tb = tile.load %b[%c0] at (%k0, %c0) strides (%c64, %c1) bounds (%k, %c64)
        : !tile.buffer<f32, read> -> tensor<32x64xf32>
    %d = tile.dot %ta, %tb, %acc_in precision tf32x3
        : tensor<64x32xf32>, tensor<32x64xf32> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c64, %c1)
      : tensor<64x64xf32>, !tile.buffer<f32, write>
}

// -----

// A 128x256 accumulator over 8 warps: the dot's steps are unrolled (one
// program an SM, DotLowering.cpp) and the loop rotated
// (prefetchFirstFragments): before the loop, iteration 0's wait, barrier and
// its first step's 8 fragments (4 a, 4 b); the loop carries those fragments.
// An iteration runs the first step's 32 mmas on them, reads the second
// step's fragments, then waits for iteration i + 1's group (the copies of
// this iteration follow, so none may stay pending at 3 stages), a barrier,
// and reads iteration i + 1's first fragments from its slot, while the
// second step's 32 mmas run; then the copies, the commit and the yield.
// CHECK-LABEL: gpu.func @ring_bf16_prefetch
// CHECK-SAME: ssdc.shared_bytes = 131072 : i64
// CHECK: nvvm.cp.async.commit.group
// CHECK: nvvm.cp.async.commit.group
// CHECK-NEXT: nvvm.cp.async.wait.group 1
// CHECK-NEXT: gpu.barrier
// CHECK-COUNT-8: nvgpu.ldmatrix
// CHECK: scf.for %[[K:.*]] = %c0 to %{{.*}} step %c32 iter_args(%{{.*}} = %{{.*}}, %[[F0:[^ ]*]] = %{{.*}}) -> (vector<128xf32>, vector<4x2xbf16>, vector<4x2xbf16>, vector<4x2xbf16>, vector<4x2xbf16>, vector<4x2xbf16>, vector<4x2xbf16>, vector<4x2xbf16>, vector<4x2xbf16>)
// CHECK-NOT: gpu.barrier
// CHECK-NOT: nvgpu.ldmatrix
// CHECK: vector.extract %[[F0]][0]
// CHECK-NOT: nvgpu.ldmatrix
// CHECK-COUNT-32: nvvm.mma.sync
// CHECK-NOT: gpu.barrier
// CHECK-COUNT-8: nvgpu.ldmatrix
// CHECK-NOT: nvvm.mma.sync
// CHECK: nvvm.cp.async.wait.group 0
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: %[[NEXT:.*]] = arith.addi %[[K]], %c32
// CHECK-NEXT: arith.divui %[[NEXT]], %c32
// CHECK-NOT: nvvm.mma.sync
// CHECK-COUNT-8: nvgpu.ldmatrix %{{.*}} : memref<{{[0-9]+}}xbf16
// CHECK-COUNT-32: nvvm.mma.sync
// CHECK-NOT: gpu.barrier
// CHECK: nvvm.cp.async.shared.global
// CHECK: } {tile_gpu.next_copies}
// CHECK-NEXT: nvvm.cp.async.commit.group
// CHECK-NEXT: scf.yield %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}} :
tile.kernel @ring_bf16_prefetch(%a: !tile.buffer<bf16, read>, %b: !tile.buffer<bf16, read>,
                                %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [8] = 8, num_stages in [3] = 3] grid (%K)
    attributes {tile.config = {num_warps = 8 : i64, num_stages = 3 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %k = arith.index_cast %K : i64 to index
  %zero = arith.constant 0.0 : f32
  %init = tile.splat %zero : f32 -> tensor<128x256xf32>
  %acc = scf.for %k0 = %c0 to %k step %c32 iter_args(%acc_in = %init) -> (tensor<128x256xf32>) {
    %ta = tile.load %a[%c0] at (%c0, %k0) strides (%k, %c1) bounds (%c128, %k)
        : !tile.buffer<bf16, read> -> tensor<128x32xbf16>
    %tb = tile.load %b[%c0] at (%k0, %c0) strides (%c256, %c1) bounds (%k, %c256)
        : !tile.buffer<bf16, read> -> tensor<32x256xbf16>
    %d = tile.dot %ta, %tb, %acc_in : tensor<128x32xbf16>, tensor<32x256xbf16> -> tensor<128x256xf32>
    scf.yield %d : tensor<128x256xf32>
  }
  tile.store %acc, %c[%c0] at (%c0, %c0) strides (%c256, %c1)
      : tensor<128x256xf32>, !tile.buffer<f32, write>
}
