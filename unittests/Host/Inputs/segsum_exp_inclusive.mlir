// kernels/segsum_exp.mlir with an off-by-one planted: an inclusive segsum,
// exp(x[j] + ... + x[i]) = exp(cs[i] - cs[j-1]) instead of exp(cs[i] - cs[j]).
// The column vector is loaded one position early (cs[-1] is out of bounds,
// hence 0). The host tests check that the reference comparison rejects it.
tile.kernel @segsum_exp(%cs: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>,
                        %B: i64, %T: i64)
    params [BLOCK_M in [16, 32, 64, 128] = 64, BLOCK_N in [16, 32, 64, 128] = 64,
            num_warps in [4, 8] = 4]
    key [%T]
    grid (%B, cdiv(%T, BLOCK_M), cdiv(%T, BLOCK_N)) {
  %batch = tile.program_id 0
  %pid_m = tile.program_id 1
  %pid_n = tile.program_id 2
  %block_m = tile.param BLOCK_M
  %block_n = tile.param BLOCK_N
  %t = arith.index_cast %T : i64 to index
  %one = arith.constant 1 : index
  %row0 = arith.muli %pid_m, %block_m : index
  %col0 = arith.muli %pid_n, %block_n : index

  // The row and column vectors of this tile, from the same cumsum row.
  %cs_base = arith.muli %batch, %t : index
  %rows = tile.load %cs[%cs_base] at (%row0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_M>>
  %col_before = arith.subi %col0, %one : index
  %cols = tile.load %cs[%cs_base] at (%col_before) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_N>>

  // cs[i] - cs[j] below and on the diagonal, -inf above it; exp(-inf) = 0.
  %segsum = tile.segsum %rows, %cols at (%row0, %col0)
      : tensor<?xf32, #tile.dims<BLOCK_M>>, tensor<?xf32, #tile.dims<BLOCK_N>>
        -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
  %decay = tile.exp %segsum : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>

  %t_sq = arith.muli %t, %t : index
  %out_base = arith.muli %batch, %t_sq : index
  tile.store %decay, %out[%out_base] at (%row0, %col0) strides (%t, %one) bounds (%t, %t)
      : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>, !tile.buffer<f32, write>
}
