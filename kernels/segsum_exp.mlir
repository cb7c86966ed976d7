// The fused "segsum + exp from a cumulative sum" of the SSD's intra-chunk step
// (exp(segsum(A)) in KernelBench level 3 problem 49, Mamba2ReturnFinalState,
// and mamba_ssm's ssd_minimal.py) over a (B, T) batch of
// inclusive cumulative sums cs, written in the tile dialect:
//
//   out[b, i, j] = exp(cs[b, i] - cs[b, j])   for j <= i
//                = 0                           for j >  i
//
// cs is (B, T) and out is (B, T, T), both contiguous. Each program computes one
// BLOCK_M x BLOCK_N tile of one batch row; the grid and the tuning space are part
// of the kernel, so no launcher writes a grid lambda.
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

  %t_sq = arith.muli %t, %t : index
  %out_base = arith.muli %batch, %t_sq : index

  // A tile whose first column is past its last row lies above the diagonal:
  // all of it is exp(-inf) = 0, so it is written without loads or exps. The
  // test compares element positions, not tile indices, so it holds for
  // BLOCK_M != BLOCK_N too.
  %last_row = arith.addi %row0, %block_m : index
  %above_diagonal = arith.cmpi sge, %col0, %last_row : index
  scf.if %above_diagonal {
    %zero = arith.constant 0.0 : f32
    %zeros = tile.splat %zero : f32 -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
    tile.store %zeros, %out[%out_base] at (%row0, %col0) strides (%t, %one) bounds (%t, %t)
        : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>, !tile.buffer<f32, write>
  } else {
    // The row and column vectors of this tile, from the same cumsum row.
    %cs_base = arith.muli %batch, %t : index
    %rows = tile.load %cs[%cs_base] at (%row0) strides (%one) bounds (%t)
        : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_M>>
    %cols = tile.load %cs[%cs_base] at (%col0) strides (%one) bounds (%t)
        : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_N>>

    // cs[i] - cs[j] below and on the diagonal, -inf above it; exp(-inf) = 0.
    %segsum = tile.segsum %rows, %cols at (%row0, %col0)
        : tensor<?xf32, #tile.dims<BLOCK_M>>, tensor<?xf32, #tile.dims<BLOCK_N>>
          -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
    %decay = tile.exp %segsum : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
    tile.store %decay, %out[%out_base] at (%row0, %col0) strides (%t, %one) bounds (%t, %t)
        : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>, !tile.buffer<f32, write>
  }
}
