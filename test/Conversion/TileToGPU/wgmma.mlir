// RUN: ssdc-opt %s -split-input-file -convert-tile-to-gpu -canonicalize -cse | FileCheck %s

// On sm_90a (tile.chip) a bf16 dot whose operands both take rings runs on
// wgmma: the rings hold a (64 x 32, K-major) and b (32 x 64, N-major) in
// the swizzled layout wgmma reads (tile::WgmmaOperandLayout): a's rows are
// 64 bytes, swizzled in 64-byte atoms (units xor (row % 8) / 2), b's 128
// bytes (units xor row % 8); 4096-byte slots, 1024-aligned, 3 of each:
// 24576 bytes. At the top of each iteration the wait for its own copies,
// a fence for the async proxy and the barrier that publishes them; the one
// warpgroup (its index read from lane 0, so that ptxas keeps what derives
// from it in uniform registers) runs one m64n64k16 per 16 inner indices (2)
// and commits them. Each operand's descriptor is built once, its low word
// the start address / 16 with the leading offset (a: 16 bytes, 1 << 16; b:
// 4096, 256 << 16); the second wgmma's adds 16 columns (a: 32 bytes, 2) and
// 16 rows (b: 2048 bytes, 128) to it;
// the next iteration's copies (xor-swizzled) are issued while they compute,
// then the wait (inline PTX that ties the accumulators). No other barrier,
// no staging of its own.
// CHECK-LABEL: gpu.func @wgmma_ring
// CHECK-SAME: ssdc.shared_bytes = 24576 : i64
// CHECK: scf.for
// CHECK-NEXT: nvvm.cp.async.wait.group 1
// CHECK-NEXT: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT: gpu.barrier
// CHECK-NOT: gpu.barrier
// CHECK: gpu.shuffle idx
// CHECK: %[[ALOW:.*]] = arith.ori %{{.*}}, %c65536_i32 : i32
// CHECK: %[[BLOW:.*]] = arith.ori %{{.*}}, %c16777216_i32 : i32
// CHECK: nvvm.wgmma.fence.aligned
// CHECK: arith.extui %[[BLOW]] : i32 to i64
// CHECK: arith.extui %[[ALOW]] : i32 to i64
// CHECK: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 64, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <row>]
// CHECK: arith.addi %[[BLOW]], %c128_i32 : i32
// CHECK: arith.addi %[[ALOW]], %c2_i32 : i32
// CHECK: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 64, k = 16>
// CHECK-NOT: nvvm.wgmma.mma_async
// CHECK: nvvm.wgmma.commit.group.sync.aligned
// CHECK: scf.if
// CHECK: arith.xori
// CHECK: nvvm.cp.async.shared.global
// CHECK: nvvm.cp.async.commit.group
// CHECK: llvm.inline_asm has_side_effects "wgmma.wait_group.sync.aligned 0;"
// CHECK-NOT: gpu.barrier
// CHECK: scf.yield
// CHECK: gpu.return
tile.kernel @wgmma_ring(%a: !tile.buffer<bf16, read>, %b: !tile.buffer<bf16, read>,
                        %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [3] = 3] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 3 : i64}, tile.chip = "sm_90a"} {
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

// With 4 stages one wgmma group stays in flight into the next iteration:
// the dot's wait leaves 1 group pending, and the copies, still S - 1 = 3
// iterations ahead (three before the loop, the wait at the top leaving two
// pending), follow that wait and a second barrier (then iteration i - 1's
// wgmmas, which read slot (i + 3) mod 4, are complete in every warpgroup).
// The wait for the last group sits on the loop's exit edge, inside an
// scf.if that runs the loop only when it has an iteration (where the loop's
// results would meet the inits, ptxas serializes the wgmmas:
// DotLowering.cpp). 4 slots of 4096 bytes each.
// CHECK-LABEL: gpu.func @wgmma_ring_in_flight
// CHECK-SAME: ssdc.shared_bytes = 32768 : i64
// CHECK: nvvm.cp.async.commit.group
// CHECK: nvvm.cp.async.commit.group
// CHECK: nvvm.cp.async.commit.group
// CHECK-NOT: nvvm.cp.async.commit.group
// CHECK: scf.if %{{.*}} -> (vector<32xf32>) {
// CHECK-NEXT: scf.for %[[K:.*]] = %c0
// CHECK-NEXT: nvvm.cp.async.wait.group 2
// CHECK-NEXT: nvvm.fence.proxy
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: arith.addi %[[K]], %c96
// CHECK-NOT: gpu.barrier
// CHECK: nvvm.wgmma.commit.group.sync.aligned
// CHECK-NOT: nvvm.cp.async.shared.global
// CHECK: llvm.inline_asm has_side_effects "wgmma.wait_group.sync.aligned 1;"
// CHECK: gpu.barrier
// CHECK: scf.if
// CHECK: arith.remui %{{.*}}, %c4
// CHECK: nvvm.cp.async.shared.global
// CHECK: nvvm.cp.async.commit.group
// CHECK-NOT: gpu.barrier
// CHECK: scf.yield
// CHECK-NEXT: }
// CHECK-NOT: scf.yield
// CHECK: llvm.inline_asm has_side_effects "wgmma.wait_group.sync.aligned 0;"
// CHECK: scf.yield
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %cst
// CHECK: gpu.return
tile.kernel @wgmma_ring_in_flight(%a: !tile.buffer<bf16, read>, %b: !tile.buffer<bf16, read>,
                                  %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [4] = 4] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 4 : i64}, tile.chip = "sm_90a"} {
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

// Without rings (num_stages 1) the operands are staged by ordinary stores,
// which wgmma could read only after a proxy fence of their own: such a dot
// stays on mma.sync, as on a chip without wgmma.
// CHECK-LABEL: gpu.func @wgmma_no_ring
// CHECK-NOT: nvvm.wgmma
// CHECK: nvvm.mma.sync
// CHECK-NOT: nvvm.wgmma
// CHECK: gpu.return
tile.kernel @wgmma_no_ring(%a: !tile.buffer<bf16, read>, %b: !tile.buffer<bf16, read>,
                           %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [1] = 1] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 1 : i64}, tile.chip = "sm_90a"} {
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

// 8 warps on a 64 x 64 tile: two warpgroups would split b's 128-byte rows
// in halves, which no descriptor starts at (its atoms are 64 columns wide),
// so the dot runs on mma.sync.
// CHECK-LABEL: gpu.func @wgmma_no_grid
// CHECK-NOT: nvvm.wgmma
// CHECK: nvvm.mma.sync
// CHECK-NOT: nvvm.wgmma
// CHECK: gpu.return
tile.kernel @wgmma_no_grid(%a: !tile.buffer<bf16, read>, %b: !tile.buffer<bf16, read>,
                           %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [8] = 8, num_stages in [3] = 3] grid (%K)
    attributes {tile.config = {num_warps = 8 : i64, num_stages = 3 : i64}, tile.chip = "sm_90a"} {
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

// fp32 with precision tf32 on sm_90a runs on wgmma too (m64nNk8, k = 8 an
// instruction). wgmma takes 32-bit operands K-major only, so b's ring holds
// its transpose (tile::WgmmaOperandLayout::transposed: 64 rows of 32 K
// values, 128 bytes, swizzled as a is): each 16-byte unit is 4 elements down
// a column of b, copied by four 4-byte cp.async (.ca), a's rows by 16-byte
// ones; a thread's copy j takes element (j + col / 8) mod 4 of its piece
// (col times b's stride of 64 elements), so that a warp's copies write
// distinct banks. Slots of 8192 bytes, 3 of each: 49152. After the wait each thread
// rounds its own pieces (4 of a, 4 of b: 32 cvt.rna) before the proxy fence,
// so that wgmma reads them rounded to nearest. Both descriptors are K-major
// (leading offset 16 bytes: 1 << 16) and step 32 bytes (2) a wgmma; b is
// read without transpose (<col>).
// CHECK-LABEL: gpu.func @wgmma_tf32
// CHECK-SAME: ssdc.shared_bytes = 49152 : i64
// CHECK: scf.for
// CHECK-NEXT: nvvm.cp.async.wait.group 1
// CHECK-COUNT-32: nvvm.convert.float.to.tf32 %{{.*}} {rnd = #nvvm.fp_rnd_mode<rna>}
// CHECK-NOT: nvvm.convert.float.to.tf32
// CHECK: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT: gpu.barrier
// CHECK-NOT: gpu.barrier
// CHECK: %[[ALOW:.*]] = arith.ori %{{.*}}, %c65536_i32 : i32
// CHECK: %[[BLOW:.*]] = arith.ori %{{.*}}, %c65536_i32 : i32
// CHECK: nvvm.wgmma.fence.aligned
// CHECK: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 64, k = 8>, D[<f32>, <one>], A[<tf32>, <one>, <row>], B[<tf32>, <one>, <col>]
// CHECK: arith.addi %[[BLOW]], %c2_i32 : i32
// CHECK: arith.addi %[[ALOW]], %c2_i32 : i32
// CHECK-COUNT-3: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 64, k = 8>
// CHECK-NOT: nvvm.wgmma.mma_async
// CHECK: nvvm.wgmma.commit.group.sync.aligned
// CHECK-NOT: nvvm.convert.float.to.tf32
// CHECK: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 16, cache =  cg :
// CHECK: arith.divui %{{.*}}, %c8 : index
// CHECK: %[[ROT:.*]] = arith.remui %{{.*}}, %c4 : index
// CHECK: %[[E0:.*]] = arith.remui %[[ROT]], %c4 : index
// CHECK: arith.muli %[[E0]], %c64 : index
// CHECK: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 4, cache =  ca :
// CHECK: arith.addi %[[ROT]], %c1 : index
// CHECK: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 4, cache =  ca :
// CHECK: nvvm.cp.async.shared.global %{{.*}}, %{{.*}}, 4, cache =  ca, %{{.*}} : !llvm.ptr<3>, !llvm.ptr<1>, i32
// CHECK: nvvm.cp.async.commit.group
// CHECK: llvm.inline_asm has_side_effects "wgmma.wait_group.sync.aligned 0;"
// CHECK-NOT: gpu.barrier
// CHECK: scf.yield
// CHECK: gpu.return
tile.kernel @wgmma_tf32(%a: !tile.buffer<f32, read>, %b: !tile.buffer<f32, read>,
                        %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [3] = 3] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 3 : i64}, tile.chip = "sm_90a"} {
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

// tf32x3 on wgmma: the pass after the wait splits each element of a
// thread's pieces into big = tf32(x), in place, and small = tf32(x - big),
// stored a half slot further (slots hold both halves: 16384 bytes, 98304 in
// all), then three wgmmas per 8 inner indices, small·big, big·small,
// big·big (the small halves' descriptors 8192 bytes, 512, past the big
// ones), into blocks that start from zero (scale-d 0 on the first); after
// the wait they are added to the accumulator in f32.
// CHECK-LABEL: gpu.func @wgmma_tf32x3
// CHECK-SAME: ssdc.shared_bytes = 98304 : i64
// CHECK: scf.for
// CHECK-NEXT: nvvm.cp.async.wait.group 1
// CHECK: %[[BIG:.*]] = nvvm.convert.float.to.tf32 %[[X:.*]] {rnd = #nvvm.fp_rnd_mode<rna>}
// CHECK: %[[BIGF:.*]] = arith.bitcast %[[BIG]] : i32 to f32
// CHECK: %[[REST:.*]] = arith.subf %[[X]], %[[BIGF]] : f32
// CHECK: nvvm.convert.float.to.tf32 %[[REST]] {rnd = #nvvm.fp_rnd_mode<rna>}
// CHECK: llvm.store %{{.*}}, %[[PIECE:.*]] {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr<3>
// CHECK: %[[SMALL:.*]] = llvm.getelementptr %[[PIECE]][8192] : (!llvm.ptr<3>) -> !llvm.ptr<3>, i8
// CHECK: llvm.store %{{.*}}, %[[SMALL]] {alignment = 16 : i64} : vector<4xf32>, !llvm.ptr<3>
// CHECK: nvvm.fence.proxy
// CHECK-NEXT: gpu.barrier
// CHECK-NOT: gpu.barrier
// CHECK: arith.addi %{{.*}}, %c512_i32 : i32
// CHECK: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 64, k = 8>, D[<f32>, <zero>], A[<tf32>, <one>, <row>], B[<tf32>, <one>, <col>]
// CHECK: arith.addi %{{.*}}, %c512_i32 : i32
// CHECK: nvvm.wgmma.mma_async {{.*}} D[<f32>, <one>]
// CHECK: nvvm.wgmma.mma_async {{.*}} D[<f32>, <one>]
// CHECK-COUNT-9: nvvm.wgmma.mma_async {{.*}} D[<f32>, <one>]
// CHECK-NOT: nvvm.wgmma.mma_async
// CHECK: nvvm.wgmma.commit.group.sync.aligned
// CHECK: llvm.inline_asm has_side_effects "wgmma.wait_group.sync.aligned 0;"
// CHECK: arith.addf %{{.*}} : vector<32xf32>
// CHECK: scf.yield
// CHECK: gpu.return
tile.kernel @wgmma_tf32x3(%a: !tile.buffer<f32, read>, %b: !tile.buffer<f32, read>,
                          %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [3] = 3] grid (%K)
    attributes {tile.config = {num_warps = 4 : i64, num_stages = 3 : i64}, tile.chip = "sm_90a"} {
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
