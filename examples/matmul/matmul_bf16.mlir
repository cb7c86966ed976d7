// matmul.mlir with bf16 operands and an fp32 result, C = A x B (row-major
// M x K, K x N, M x N): its dots run on tensor cores (mma.sync.m16n8k16 with
// fp32 accumulators, ldmatrix operands). Each program accumulates a BM x BN tile of C over the K dimension in an
// scf.for whose iteration argument is the accumulator tile. Edges that are
// not a multiple of the tile sizes are handled by the loads' and the store's
// bounds. It exercises what the SSD kernels are made of: loops over tiles,
// tile.dot, masked loads and stores.
//
//   ssdc run examples/matmul/matmul_bf16.mlir --target=host --arg M=50 --arg N=70 --arg K=40
tile.kernel @matmul_bf16(%a: !tile.buffer<bf16, read>, %b: !tile.buffer<bf16, read>, %c: !tile.buffer<f32, write>,
                         %M: i64, %N: i64, %K: i64)
    params [BM in [32, 64] = 32, BN in [32, 64] = 32, BK in [16, 32] = 16, num_warps in [4] = 4, num_stages in [1, 3, 4] = 3]
    key [%M, %N, %K]
    grid (cdiv(%M, BM), cdiv(%N, BN)) {
  %pm = tile.program_id 0
  %pn = tile.program_id 1
  %bm = tile.param BM
  %bn = tile.param BN
  %bk = tile.param BK
  %m = arith.index_cast %M : i64 to index
  %n = arith.index_cast %N : i64 to index
  %k = arith.index_cast %K : i64 to index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %row0 = arith.muli %pm, %bm : index
  %col0 = arith.muli %pn, %bn : index
  %zero = arith.constant 0.0 : f32
  %init = tile.splat %zero : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %acc = scf.for %k0 = %c0 to %k step %bk iter_args(%acc_in = %init) -> (tensor<?x?xf32, #tile.dims<BM, BN>>) {
    %ta = tile.load %a[%c0] at (%row0, %k0) strides (%k, %c1) bounds (%m, %k)
        : !tile.buffer<bf16, read> -> tensor<?x?xbf16, #tile.dims<BM, BK>>
    %tb = tile.load %b[%c0] at (%k0, %col0) strides (%n, %c1) bounds (%k, %n)
        : !tile.buffer<bf16, read> -> tensor<?x?xbf16, #tile.dims<BK, BN>>
    %d = tile.dot %ta, %tb, %acc_in : tensor<?x?xbf16, #tile.dims<BM, BK>>, tensor<?x?xbf16, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
    scf.yield %d : tensor<?x?xf32, #tile.dims<BM, BN>>
  }
  tile.store %acc, %c[%c0] at (%row0, %col0) strides (%n, %c1) bounds (%m, %n)
      : tensor<?x?xf32, #tile.dims<BM, BN>>, !tile.buffer<f32, write>
}
