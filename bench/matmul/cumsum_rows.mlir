// Inclusive cumulative sums along the rows of a row-major R x C fp32 matrix,
// y[r, c] = x[r, 0] + ... + x[r, c]: the cumsum row of issue 9's benchmark
// (bench/matmul/bench.py, R = 4096, C = 256). Each program takes BLOCK_R
// rows and walks their columns in BLOCK_C blocks, adding each row's total so
// far to the next block's sums; with C <= BLOCK_C that is one tile.cumsum.
//
//   ssdc run bench/matmul/cumsum_rows.mlir --target=host --arg R=5 --arg C=300 --arg y=R*C
tile.kernel @cumsum_rows(%x: !tile.buffer<f32, read>, %y: !tile.buffer<f32, write>,
                         %R: i64, %C: i64)
    params [BLOCK_R in [1, 2, 4, 8] = 4, BLOCK_C in [256] = 256, num_warps in [2, 4, 8] = 4]
    key [%R, %C]
    grid (cdiv(%R, BLOCK_R)) {
  %p = tile.program_id 0
  %block_r = tile.param BLOCK_R
  %block_c = tile.param BLOCK_C
  %r = arith.index_cast %R : i64 to index
  %c = arith.index_cast %C : i64 to index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %row0 = arith.muli %p, %block_r : index
  %zero = arith.constant 0.0 : f32
  %none = tile.splat %zero : f32 -> tensor<?xf32, #tile.dims<BLOCK_R>>
  %totals = scf.for %col0 = %c0 to %c step %block_c iter_args(%before = %none)
      -> (tensor<?xf32, #tile.dims<BLOCK_R>>) {
    %t = tile.load %x[%c0] at (%row0, %col0) strides (%c, %c1) bounds (%r, %c)
        : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BLOCK_R, BLOCK_C>>
    %sums = tile.cumsum %t along 1 : tensor<?x?xf32, #tile.dims<BLOCK_R, BLOCK_C>>
    %carry = tile.broadcast %before [1]
        : tensor<?xf32, #tile.dims<BLOCK_R>> -> tensor<?x?xf32, #tile.dims<BLOCK_R, BLOCK_C>>
    %out = arith.addf %sums, %carry : tensor<?x?xf32, #tile.dims<BLOCK_R, BLOCK_C>>
    tile.store %out, %y[%c0] at (%row0, %col0) strides (%c, %c1) bounds (%r, %c)
        : tensor<?x?xf32, #tile.dims<BLOCK_R, BLOCK_C>>, !tile.buffer<f32, write>
    %block_totals = tile.reduce sum %t along 1
        : tensor<?x?xf32, #tile.dims<BLOCK_R, BLOCK_C>> -> tensor<?xf32, #tile.dims<BLOCK_R>>
    %after = arith.addf %before, %block_totals : tensor<?xf32, #tile.dims<BLOCK_R>>
    scf.yield %after : tensor<?xf32, #tile.dims<BLOCK_R>>
  }
}
