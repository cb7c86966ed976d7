// bf16 tile.dot with both operands in cp.async rings: on sm_90a it runs on
// wgmma (one warpgroup, m64n64k16 with f32 accumulators, both operands
// from shared-memory descriptors, b transposed: imm-trans-b 1), fenced for
// the async proxy, committed, and waited for in each iteration after the
// next iteration's copies are issued (LLVM places that block first in the
// text: the loop is rotated); on sm_90 (no wgmma) the same kernel runs
// mma.sync. Each copy's pieces are at its tile's first element, which the
// empty inline `mov.b64` keeps out of LLVM's loop strength reduction
// (lib/Conversion/TileToGPU/Pipelining.cpp, opaqueToLoopAnalysis).
// RUN: ssdc compile %s --emit=ptx --chip=sm_90a | FileCheck %s --check-prefix=SM90A
// RUN: ssdc compile %s --emit=ptx --chip=sm_90 | FileCheck %s --check-prefix=SM90

// SM90A: .target sm_90a
// SM90A: .extern .shared .align 1024 .b8 __dynamic_shmem__0[];
// SM90A: .visible .entry wgmma_ring__num_warps_4__num_stages_3(
// SM90A: mov.b64 %rd{{[0-9]+}}, %rd{{[0-9]+}};
// SM90A: cp.async.cg.shared.global
// SM90A: cp.async.commit_group;
// SM90A: wgmma.wait_group.sync.aligned 0;
// SM90A: cp.async.wait_group 1;
// SM90A-NEXT: fence.proxy.async.shared::cta;
// SM90A-NEXT: bar.sync 0;
// SM90A: wgmma.fence.sync.aligned;
// SM90A: wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 {{.*}} p, 1, 1, 0, 1;
// SM90A: wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16
// SM90A: wgmma.commit_group.sync.aligned;
// SM90A: cp.async.cg.shared.global
// SM90A-NOT: mma.sync
// SM90A-NOT: ldmatrix
// SM90A: ret;

// SM90: .target sm_90
// SM90: .entry wgmma_ring__num_warps_4__num_stages_3(
// SM90-NOT: wgmma.
// SM90: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// SM90: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// SM90-NOT: wgmma.
tile.kernel @wgmma_ring(%a: !tile.buffer<bf16, read>, %b: !tile.buffer<bf16, read>,
                        %c: !tile.buffer<f32, write>, %K: i64)
    params [num_warps in [4] = 4, num_stages in [3] = 3] grid (%K) {
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
