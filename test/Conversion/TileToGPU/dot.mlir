// RUN: ssdc-opt %s -split-input-file -convert-tile-to-gpu -cse | FileCheck %s

// fp32 tile.dot on register blocks. a (32x16) and b (16x64) are staged
// row-major (rows padded to 20 and 68 elements: odd numbers of 16-byte
// units), then the 32x64 accumulator: 2560 + 4352 + 8192 bytes. 128 threads
// own 4x4 blocks; the loop takes 4 inner indices per iteration: one 16-byte
// load of each of the thread's 4 rows of a, and per inner index one of its
// 4 elements of a row of b, then 16 FMAs. The block goes back to shared
// memory, and after a barrier each thread reads its chunked elements.
// CHECK-LABEL: gpu.func @dot_f32
// CHECK-SAME: ssdc.shared_bytes = 15104 : i64
// CHECK: %[[A:.*]] = memref.view %{{.*}}[%c0][] {{.*}} to memref<640xf32
// CHECK: %[[B:.*]] = memref.view %{{.*}}[%c2560][] {{.*}} to memref<1088xf32
// CHECK: %[[ACC:.*]] = memref.view %{{.*}}[%c6912][] {{.*}} to memref<2048xf32
// CHECK: gpu.barrier
// CHECK: vector.store %{{.*}}, %[[A]][%{{.*}}] {alignment = 16 : i64}
// CHECK: gpu.barrier
// CHECK-COUNT-4: vector.load %[[ACC]][%{{.*}}] {alignment = 16 : i64} : memref<2048xf32, {{.*}}>, vector<4xf32>
// CHECK: scf.for %[[K:.*]] = %c0 to %c16 step %c4 iter_args(%{{.*}} = %{{.*}}) -> (vector<16xf32>)
// CHECK-COUNT-4: vector.load %[[A]][%{{.*}}] {alignment = 16 : i64} : memref<640xf32, {{.*}}>, vector<4xf32>
// CHECK:   arith.muli %[[K]], %c68
// CHECK:   vector.load %[[B]][%{{.*}}] {alignment = 16 : i64} : memref<1088xf32, {{.*}}>, vector<4xf32>
// CHECK-COUNT-16: llvm.intr.fma
// CHECK-NOT: vector.load %[[A]]
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
// CHECK: gpu.barrier
// CHECK: gpu.barrier
// CHECK: %[[ACTIVE:.*]] = arith.cmpi ult, %{{.*}}, %c64 : index
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

// -----

// bf16 operands of multiple-of-16x8x16 shapes run on tensor cores. a (64x32)
// and b (32x64) are staged row-major (rows padded to 40 and 72 elements),
// then the accumulator: 5120 + 4608 + 16384 bytes. The 4 warps take 2x2
// blocks of 2x4 tiles of 16x8; per 16 inner indices a warp loads 2 a
// fragments (ldmatrix x4) and 4 b fragments (2 ldmatrix x4 trans) and runs
// 8 mma.sync m16n8k16 with bf16 operands packed in i32s.
// CHECK-LABEL: gpu.func @dot_mma_bf16
// CHECK-SAME: ssdc.shared_bytes = 26112 : i64
// CHECK: %[[A:.*]] = memref.view %{{.*}}[%c0][] {{.*}} to memref<2560xbf16
// CHECK: %[[B:.*]] = memref.view %{{.*}}[%c5120][] {{.*}} to memref<2304xbf16
// CHECK: %[[ACC:.*]] = memref.view %{{.*}}[%c9728][] {{.*}} to memref<4096xf32
// CHECK: gpu.barrier
// CHECK-COUNT-16: vector.load %[[ACC]][%{{.*}}] {alignment = 8 : i64} : memref<4096xf32, {{.*}}>, vector<2xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c16 iter_args(%{{.*}} = %{{.*}}) -> (vector<32xf32>)
// CHECK-COUNT-2: nvgpu.ldmatrix %[[A]][%{{.*}}] {numTiles = 4 : i32, transpose = false} : memref<2560xbf16, {{.*}}> -> vector<4x2xbf16>
// CHECK-COUNT-2: nvgpu.ldmatrix %[[B]][%{{.*}}] {numTiles = 4 : i32, transpose = true} : memref<2304xbf16, {{.*}}> -> vector<4x2xbf16>
// CHECK: vector.bitcast %{{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK-COUNT-8: nvvm.mma.sync A[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] B[%{{.*}}, %{{.*}}] C[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK: scf.yield %{{.*}} : vector<32xf32>
// CHECK-COUNT-16: vector.store %{{.*}}, %[[ACC]][%{{.*}}] {alignment = 8 : i64}
// CHECK: gpu.barrier
tile.kernel @dot_mma_bf16(%a: !tile.buffer<bf16, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c32, %c1) : !tile.buffer<bf16, read> -> tensor<64x32xbf16>
  %y = tile.load %a[%c0] at (%c0, %c0) strides (%c64, %c1) : !tile.buffer<bf16, read> -> tensor<32x64xbf16>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<64x64xf32>
  %d = tile.dot %x, %y, %acc : tensor<64x32xbf16>, tensor<32x64xbf16> -> tensor<64x64xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c64, %c1) : tensor<64x64xf32>, !tile.buffer<f32, write>
}

// -----

// The same dot in a kernel whose registers min_programs_per_sm = 2 caps
// (.minnctapersm 2): the loop over the inner dimension is unrolled, both
// steps' fragment loads and 16 mmas in one block.
// CHECK-LABEL: gpu.func @dot_mma_bf16_capped
// CHECK-SAME: nvvm.minctasm = 2 : i32
// CHECK-NOT: scf.for
// CHECK-COUNT-4: nvgpu.ldmatrix
// CHECK-COUNT-8: nvvm.mma.sync
// CHECK-COUNT-4: nvgpu.ldmatrix
// CHECK-COUNT-8: nvvm.mma.sync
// CHECK-NOT: nvvm.mma.sync
// CHECK: gpu.return
tile.kernel @dot_mma_bf16_capped(%a: !tile.buffer<bf16, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4, min_programs_per_sm in [2] = 2] grid (%n)
    attributes {tile.config = {num_warps = 4 : i64, min_programs_per_sm = 2 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c32, %c1) : !tile.buffer<bf16, read> -> tensor<64x32xbf16>
  %y = tile.load %a[%c0] at (%c0, %c0) strides (%c64, %c1) : !tile.buffer<bf16, read> -> tensor<32x64xbf16>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<64x64xf32>
  %d = tile.dot %x, %y, %acc : tensor<64x32xbf16>, tensor<32x64xbf16> -> tensor<64x64xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c64, %c1) : tensor<64x64xf32>, !tile.buffer<f32, write>
}

// -----

// Uncapped, a 128x256 accumulator over 8 warps is 128 registers a thread:
// two programs could not share an SM's 64 Ki registers anyway, so the loop
// is unrolled as under a cap (2x4 warps of 4x8 tiles: 32 mmas a step).
// CHECK-LABEL: gpu.func @dot_mma_bf16_wide
// CHECK-NOT: nvvm.minctasm
// CHECK-NOT: scf.for
// CHECK-COUNT-8: nvgpu.ldmatrix
// CHECK-COUNT-32: nvvm.mma.sync
// CHECK-COUNT-8: nvgpu.ldmatrix
// CHECK-COUNT-32: nvvm.mma.sync
// CHECK-NOT: nvvm.mma.sync
// CHECK: gpu.return
tile.kernel @dot_mma_bf16_wide(%a: !tile.buffer<bf16, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [8] = 8] grid (%n) attributes {tile.config = {num_warps = 8 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c256 = arith.constant 256 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c32, %c1) : !tile.buffer<bf16, read> -> tensor<128x32xbf16>
  %y = tile.load %a[%c0] at (%c0, %c0) strides (%c256, %c1) : !tile.buffer<bf16, read> -> tensor<32x256xbf16>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<128x256xf32>
  %d = tile.dot %x, %y, %acc : tensor<128x32xbf16>, tensor<32x256xbf16> -> tensor<128x256xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c256, %c1) : tensor<128x256xf32>, !tile.buffer<f32, write>
}

// -----

// A 16x24 f16 accumulator is 1x3 tiles: 3 of the 4 warps work, one tile
// each, its b fragment one ldmatrix x2 trans; f16 pairs go to mma.sync as
// vector<2xf16>.
// CHECK-LABEL: gpu.func @dot_mma_f16_odd
// CHECK: %[[ACTIVE:.*]] = arith.cmpi ult, %{{.*}}, %c96 : index
// CHECK: scf.if %[[ACTIVE]] {
// CHECK:   scf.for
// CHECK:     nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = false} {{.*}} -> vector<4x2xf16>
// CHECK:     nvgpu.ldmatrix {{.*}} {numTiles = 2 : i32, transpose = true} {{.*}} -> vector<2x2xf16>
// CHECK:     nvvm.mma.sync {{.*}} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK-NOT: nvvm.mma.sync
// CHECK: gpu.barrier
tile.kernel @dot_mma_f16_odd(%a: !tile.buffer<f16, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c24 = arith.constant 24 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c16, %c1) : !tile.buffer<f16, read> -> tensor<16x16xf16>
  %y = tile.load %a[%c0] at (%c0, %c0) strides (%c24, %c1) : !tile.buffer<f16, read> -> tensor<16x24xf16>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<16x24xf32>
  %d = tile.dot %x, %y, %acc : tensor<16x16xf16>, tensor<16x24xf16> -> tensor<16x24xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c24, %c1) : tensor<16x24xf32>, !tile.buffer<f32, write>
}

// -----

// bf16 with an inner dimension of 8 (not a multiple of 16) takes the FMA
// path, the operands widened exactly to f32.
// CHECK-LABEL: gpu.func @dot_bf16_fma
// CHECK-NOT: nvgpu.ldmatrix
// CHECK: scf.for
// CHECK:   arith.extf %{{.*}} : vector<{{[0-9]+}}xbf16> to vector<{{[0-9]+}}xf32>
// CHECK:   llvm.intr.fma
// CHECK-NOT: nvvm.mma.sync
tile.kernel @dot_bf16_fma(%a: !tile.buffer<bf16, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c32 = arith.constant 32 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c8, %c1) : !tile.buffer<bf16, read> -> tensor<32x8xbf16>
  %y = tile.load %a[%c0] at (%c0, %c0) strides (%c32, %c1) : !tile.buffer<bf16, read> -> tensor<8x32xbf16>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<32x32xf32>
  %d = tile.dot %x, %y, %acc : tensor<32x8xbf16>, tensor<8x32xbf16> -> tensor<32x32xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c32, %c1) : tensor<32x32xf32>, !tile.buffer<f32, write>
}

// -----

// fp32 with precision tf32x3 on tensor cores: a 16x8 f32 a fragment is one
// ldmatrix x4 (8x4 f32 per 8x8 b16 matrix); each operand is split into
// cvt.rna tf32 big and small parts, and each tile takes three m16n8k8 tf32
// mmas, small terms first; b's two registers are two shared loads. b's
// rows are 40 elements apart (10 16-byte units, 2 mod 4: the four rows of
// a warp's b loads fall 8 banks apart, no conflicts), a's 20 (an
// odd number of units, for ldmatrix): 2560 + 2560 + 4096 bytes. The loop
// over the inner dimension is unrolled (tf32: unrollDotInnerLoops); its
// products sum from a zero vector and are added to the accumulator once.
// CHECK-LABEL: gpu.func @dot_tf32x3
// CHECK-SAME: ssdc.shared_bytes = 9216 : i64
// CHECK: %[[B:.*]] = memref.view %{{.*}}[%c2560][] {{.*}} to memref<640xf32
// CHECK: %[[ACC:.*]] = memref.view {{.*}} to memref<1024xf32
// CHECK-NOT: scf.for
// CHECK:   %[[IN:.*]] = vector.load %[[ACC]][%{{.*}}] {alignment = 8 : i64} {{.*}} vector<2xf32>
// CHECK:   nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = false} {{.*}} -> vector<4x1xf32>
// CHECK:   %[[BIG:.*]] = nvvm.convert.float.to.tf32 %{{.*}} {rnd = #nvvm.fp_rnd_mode<rna>}
// CHECK:   %[[BIGF:.*]] = arith.bitcast %[[BIG]] : i32 to f32
// CHECK:   %[[REST:.*]] = arith.subf %{{.*}}, %[[BIGF]] : f32
// CHECK:   nvvm.convert.float.to.tf32 %[[REST]] {rnd = #nvvm.fp_rnd_mode<rna>}
// CHECK:   arith.muli %{{.*}}, %c40
// CHECK:   memref.load %[[B]]
// CHECK-COUNT-3: nvvm.mma.sync {{.*}} multiplicandAPtxType = #nvvm.mma_type<tf32>, multiplicandBPtxType = #nvvm.mma_type<tf32>, shape = #nvvm.shape<m = 16, n = 8, k = 8>}
// CHECK:   arith.addf %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK:   vector.store %{{.*}}, %[[ACC]][%{{.*}}] {alignment = 8 : i64} {{.*}} vector<2xf32>
tile.kernel @dot_tf32x3(%a: !tile.buffer<f32, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c16, %c1) : !tile.buffer<f32, read> -> tensor<32x16xf32>
  %y = tile.load %a[%c0] at (%c0, %c0) strides (%c32, %c1) : !tile.buffer<f32, read> -> tensor<16x32xf32>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<32x32xf32>
  %d = tile.dot %x, %y, %acc precision tf32x3 : tensor<32x16xf32>, tensor<16x32xf32> -> tensor<32x32xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c32, %c1) : tensor<32x32xf32>, !tile.buffer<f32, write>
}

// -----

// fp32 with precision bf16x3 on tensor cores, m16n8k16 (an inner step of 16):
// each a register is one 8-byte shared load of an f32 pair, each b register
// two shared loads; each pair is split into a bf16 big part (truncf: to
// nearest even) and the bf16 rounding of the exact rest, and each tile takes
// three bf16 mmas, small terms first.
// CHECK-LABEL: gpu.func @dot_bf16x3
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c16
// CHECK:   %[[PAIR:.*]] = vector.load {{.*}} vector<2xf32>
// CHECK:   %[[BIG:.*]] = arith.truncf %[[PAIR]] : vector<2xf32> to vector<2xbf16>
// CHECK:   %[[BIGF:.*]] = arith.extf %[[BIG]] : vector<2xbf16> to vector<2xf32>
// CHECK:   %[[REST:.*]] = arith.subf %[[PAIR]], %[[BIGF]] : vector<2xf32>
// CHECK:   arith.truncf %[[REST]] : vector<2xf32> to vector<2xbf16>
// CHECK:   memref.load
// CHECK:   memref.load
// CHECK:   vector.from_elements {{.*}} : vector<2xf32>
// CHECK-COUNT-3: nvvm.mma.sync {{.*}} multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>}
tile.kernel @dot_bf16x3(%a: !tile.buffer<f32, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) attributes {tile.config = {num_warps = 4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c32, %c1) : !tile.buffer<f32, read> -> tensor<32x32xf32>
  %y = tile.load %a[%c0] at (%c0, %c0) strides (%c32, %c1) : !tile.buffer<f32, read> -> tensor<32x32xf32>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<32x32xf32>
  %d = tile.dot %x, %y, %acc precision bf16x3 : tensor<32x32xf32>, tensor<32x32xf32> -> tensor<32x32xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c32, %c1) : tensor<32x32xf32>, !tile.buffer<f32, write>
}
