// tile-specialize: one kernel per tuning config, with static tiles.
//
// Every config (2 x 2 x 1 x 2 = 8), in order, the last parameter fastest:
// RUN: ssdc-opt %s -tile-specialize | FileCheck %s --check-prefix=ALL
// Specialized kernels are left alone by a second run:
// RUN: ssdc-opt %s -tile-specialize | ssdc-opt -tile-specialize | FileCheck %s --check-prefix=ALL
// One named config (unnamed params take their defaults):
// RUN: ssdc-opt %s '-tile-specialize=config=BM=64,num_warps=8' | FileCheck %s --check-prefix=ONE
// The default config only:
// RUN: ssdc-opt %s -tile-specialize=default-only | FileCheck %s --check-prefix=DEF
// A config whose dot staging (operands and accumulator) exceeds the shared memory is dropped with a warning...
// RUN: ssdc-opt %s -tile-specialize=max-shared-bytes=16000 2>/dev/null | FileCheck %s --check-prefix=DROP
// RUN: ssdc-opt %s -tile-specialize=max-shared-bytes=16000 2>&1 >/dev/null | FileCheck %s --check-prefix=DROP-WARN
// ... and is an error when it was asked for:
// RUN: not ssdc-opt %s '-tile-specialize=config=BM=64,BN=64 max-shared-bytes=16000' 2>&1 | FileCheck %s --check-prefix=TOO-BIG
// RUN: not ssdc-opt %s '-tile-specialize=default-only max-shared-bytes=8000' 2>&1 | FileCheck %s --check-prefix=DEF-TOO-BIG
// A config whose tiles give a thread more elements than fit in registers:
// RUN: ssdc-opt %s -tile-specialize=max-elements-per-thread=16 2>&1 >/dev/null | FileCheck %s --check-prefix=REGS
// When no config fits, the kernel is an error:
// RUN: not ssdc-opt %s -tile-specialize=max-shared-bytes=4000 2>&1 | FileCheck %s --check-prefix=NONE
// Configs that name an undeclared parameter, a value that is not a candidate,
// or a value that is not an integer:
// RUN: not ssdc-opt %s -tile-specialize=config=BX=16 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not ssdc-opt %s -tile-specialize=config=BM=48 2>&1 | FileCheck %s --check-prefix=NOT-CANDIDATE
// RUN: not ssdc-opt %s -tile-specialize=config=BM=big 2>&1 | FileCheck %s --check-prefix=NOT-INTEGER

// Dot staging bytes are 4 * BK * (BM + BN): 4096 for 16/16, 10240 for 16/64
// and 64/16, 16384 for 64/64.

// ALL-NOT:     tile.kernel @mm(
// ALL-LABEL:   tile.kernel @mm__BM_16__BN_16__BK_32__num_warps_4(
// ALL-SAME:      %[[A:[a-zA-Z0-9_]+]]: !tile.buffer<f32, read>, %{{[a-zA-Z0-9_]+}}: !tile.buffer<f32, read>, %{{[a-zA-Z0-9_]+}}: !tile.buffer<f32, write>, %[[M:[a-zA-Z0-9_]+]]: i64, %[[N:[a-zA-Z0-9_]+]]: i64, %{{[a-zA-Z0-9_]+}}: i64)
// The declaration is kept: params, key and grid.
// ALL-NEXT:      params [BM in [16, 64] = 16, BN in [16, 64] = 64, BK in [32] = 32, num_warps in [4, 8] = 4]
// ALL-NEXT:      key [%[[M]], %[[N]]]
// ALL-NEXT:      grid (cdiv(%[[M]], BM), cdiv(%[[N]], BN)) attributes {tile.config = {BK = 32 : i64, BM = 16 : i64, BN = 16 : i64, num_warps = 4 : i64}} {
// tile.param becomes a constant; every tile becomes static.
// ALL-NOT:       param
// ALL:           %[[BM:.*]] = arith.constant 16 : index
// ALL-NEXT:      %[[BN:.*]] = arith.constant 16 : index
// ALL:           arith.muli %{{.*}}, %[[BM]] : index
// ALL-NEXT:      arith.muli %{{.*}}, %[[BN]] : index
// ALL-NEXT:      load %[[A]]{{.*}} -> tensor<16x32xf32>
// ALL-NEXT:      load {{.*}} -> tensor<32x16xf32>
// ALL:           splat %{{.*}} : f32 -> tensor<16x16xf32>
// ALL-NEXT:      dot {{.*}} : tensor<16x32xf32>, tensor<32x16xf32> -> tensor<16x16xf32>
// ALL-NEXT:      store {{.*}} : tensor<16x16xf32>, !tile.buffer<f32, write>
// ALL-NOT:       #tile.dims
// ALL-LABEL:   tile.kernel @mm__BM_16__BN_16__BK_32__num_warps_8(
// ALL:           tile.config = {BK = 32 : i64, BM = 16 : i64, BN = 16 : i64, num_warps = 8 : i64}
// ALL-LABEL:   tile.kernel @mm__BM_16__BN_64__BK_32__num_warps_4(
// ALL:           dot {{.*}} : tensor<16x32xf32>, tensor<32x64xf32> -> tensor<16x64xf32>
// ALL-LABEL:   tile.kernel @mm__BM_16__BN_64__BK_32__num_warps_8(
// ALL-LABEL:   tile.kernel @mm__BM_64__BN_16__BK_32__num_warps_4(
// ALL:           dot {{.*}} : tensor<64x32xf32>, tensor<32x16xf32> -> tensor<64x16xf32>
// ALL-LABEL:   tile.kernel @mm__BM_64__BN_16__BK_32__num_warps_8(
// ALL-LABEL:   tile.kernel @mm__BM_64__BN_64__BK_32__num_warps_4(
// ALL-LABEL:   tile.kernel @mm__BM_64__BN_64__BK_32__num_warps_8(
// ALL:           tile.config = {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, num_warps = 8 : i64}
// ALL:           dot {{.*}} : tensor<64x32xf32>, tensor<32x64xf32> -> tensor<64x64xf32>
// ALL-NOT:     tile.kernel

// ONE-NOT:     tile.kernel @mm(
// ONE:         tile.kernel @mm__BM_64__BN_64__BK_32__num_warps_8(
// ONE:           attributes {tile.config = {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, num_warps = 8 : i64}}
// ONE:           dot {{.*}} : tensor<64x32xf32>, tensor<32x64xf32> -> tensor<64x64xf32>
// ONE-NOT:     tile.kernel

// DEF-NOT:     tile.kernel @mm(
// DEF:         tile.kernel @mm__BM_16__BN_64__BK_32__num_warps_4(
// DEF:           dot {{.*}} : tensor<16x32xf32>, tensor<32x64xf32> -> tensor<16x64xf32>
// DEF-NOT:     tile.kernel

// DROP-NOT:    tile.kernel @mm(
// DROP:        tile.kernel @mm__BM_16__BN_16__BK_32__num_warps_4(
// DROP:        tile.kernel @mm__BM_16__BN_16__BK_32__num_warps_8(
// DROP:        tile.kernel @mm__BM_16__BN_64__BK_32__num_warps_4(
// DROP:        tile.kernel @mm__BM_16__BN_64__BK_32__num_warps_8(
// DROP:        tile.kernel @mm__BM_64__BN_16__BK_32__num_warps_4(
// DROP:        tile.kernel @mm__BM_64__BN_16__BK_32__num_warps_8(
// DROP-NOT:    tile.kernel

// DROP-WARN:      specialize.mlir:[[#KERNEL:@LINE+31]]:1: warning: config mm__BM_64__BN_64__BK_32__num_warps_4 needs 34304 bytes of shared memory to exchange tiles; the target has 16000; config dropped
// DROP-WARN-NEXT: tile.kernel @mm(
// DROP-WARN:      specialize.mlir:[[#KERNEL]]:1: warning: config mm__BM_64__BN_64__BK_32__num_warps_8 needs 34304 bytes of shared memory to exchange tiles; the target has 16000; config dropped
// DROP-WARN-NOT:  warning
// DROP-WARN-NOT:  error

// TOO-BIG:        specialize.mlir:[[#KERNEL:@LINE+25]]:1: error: config mm__BM_64__BN_64__BK_32__num_warps_4 needs 34304 bytes of shared memory to exchange tiles; the target has 16000{{$}}
// TOO-BIG-NOT:    tile.kernel @mm__

// DEF-TOO-BIG:    specialize.mlir:[[#KERNEL:@LINE+22]]:1: error: config mm__BM_16__BN_64__BK_32__num_warps_4 needs 15104 bytes of shared memory to exchange tiles; the target has 8000{{$}}
// DEF-TOO-BIG-NOT: tile.kernel @mm__

// REGS:           warning: config mm__BM_64__BN_64__BK_32__num_warps_4 gives each of its 128 threads 32 elements of a 4096-element tile; at most 16 fit in registers (use smaller tiles or more warps); config dropped
// REGS-NOT:       mm__BM_16__BN_16__BK_32__num_warps_4 gives
// NONE-COUNT-8:   specialize.mlir:[[#KERNEL:@LINE+17]]:1: warning: config mm__{{.*}} needs {{[0-9]+}} bytes of shared memory to exchange tiles; the target has 4000; config dropped
// NONE:           specialize.mlir:[[#KERNEL]]:1: error: no config of @mm fits the target
// NONE-NOT:       tile.kernel @mm__

// UNKNOWN:        specialize.mlir:[[#KERNEL:@LINE+13]]:1: error: config names 'BX', which @mm does not declare
// UNKNOWN-NOT:    tile.kernel @mm__

// NOT-CANDIDATE:  specialize.mlir:[[#KERNEL:@LINE+10]]:1: error: config sets BM=48, which is not one of its candidates [16, 64]
// NOT-CANDIDATE-NOT: tile.kernel @mm__

// NOT-INTEGER:    specialize.mlir:[[#KERNEL:@LINE+7]]:1: error: config value for 'BM' is 'big', not a 64-bit integer
// NOT-INTEGER-NOT: tile.kernel @mm__

// A BM x BN tile of c = a x b over K in steps of BK (here a single step: the
// test is about specialization, not about the loop).
// (The kernel header is the line the diagnostics above point at.)

tile.kernel @mm(%a: !tile.buffer<f32, read>, %b: !tile.buffer<f32, read>, %c: !tile.buffer<f32, write>, %M: i64, %N: i64, %K: i64)
    params [BM in [16, 64] = 16, BN in [16, 64] = 64, BK in [32] = 32, num_warps in [4, 8] = 4]
    key [%M, %N]
    grid (cdiv(%M, BM), cdiv(%N, BN)) {
  %pm = tile.program_id 0
  %pn = tile.program_id 1
  %bm = tile.param BM
  %bn = tile.param BN
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = arith.index_cast %M : i64 to index
  %n = arith.index_cast %N : i64 to index
  %k = arith.index_cast %K : i64 to index
  %m0 = arith.muli %pm, %bm : index
  %n0 = arith.muli %pn, %bn : index
  %ta = tile.load %a[%c0] at (%m0, %c0) strides (%k, %c1) bounds (%m, %k)
      : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BM, BK>>
  %tb = tile.load %b[%c0] at (%c0, %n0) strides (%n, %c1) bounds (%k, %n)
      : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BK, BN>>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %d = tile.dot %ta, %tb, %acc : tensor<?x?xf32, #tile.dims<BM, BK>>, tensor<?x?xf32, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
  tile.store %d, %c[%c0] at (%m0, %n0) strides (%n, %c1) bounds (%m, %n)
      : tensor<?x?xf32, #tile.dims<BM, BN>>, !tile.buffer<f32, write>
}
