// Mamba2 SSD forward, for B and C shared by heads (groups < heads): C B^T of
// each chunk and group, once (mamba_ssm's _bmm_chunk_fwd), so that the
// output kernel (chunk_outputs.mlir, %has_cb) reads it instead of forming it
// once per head: at a 2.7B layer's g = 1 and 80 heads that is 80x fewer of
// the chunk's L x L x N products. One program computes a BM x BK block of the
// L x L matrix of one (batch, chunk, group), over blocks of BN of n. Every
// block is written, those above the diagonal too (the output kernel's blocks
// on the diagonal read some of them, and masks them by exp(segsum) = 0; an
// unwritten one could be NaN there).
//
// Layouts: B, C (b,s,g,n) at %b_* / %c_* (the last dimension contiguous);
//   cb (b,c,g,L,L) with c = cdiv(S, L), rows and columns local to the chunk.
//   B and C hold T (f32, f16 or bf16: instances ssd_chunk_cb_f32, _f16,
//   _bf16), widened as they load; cb is f32.
//   %size_class: read only by the tuning key (see chunk_state.mlir).
!mn = tensor<?x?xf32, #tile.dims<BM, BN>>
!nk = tensor<?x?xf32, #tile.dims<BN, BK>>
!mk = tensor<?x?xf32, #tile.dims<BM, BK>>
!rdt = !tile.buffer<T, read>
!wr = !tile.buffer<f32, write>
tile.kernel @ssd_chunk_cb(%b: !rdt, %c: !rdt, %cb: !wr,
                          %B: i64, %S: i64, %N: i64, %G: i64, %L: i64,
                          %b_sb: i64, %b_ss: i64, %b_sg: i64, %c_sb: i64, %c_ss: i64, %c_sg: i64,
                          %size_class: i64)
    types [T in [f32, f16, bf16]]
    params [BM in [32, 64] = 64, BK in [64] = 64, BN in [32, 64] = 64, num_warps in [4] = 4]
    key [%N, %L, %size_class]
    grid (%B * cdiv(%S, %L), %G, cdiv(%L, BM) * cdiv(%L, BK)) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %pid0 = tile.program_id 0
  %group = tile.program_id 1
  %block = tile.program_id 2
  %bm = tile.param BM
  %bk = tile.param BK
  %bn = tile.param BN
  %s = arith.index_cast %S : i64 to index
  %n = arith.index_cast %N : i64 to index
  %g = arith.index_cast %G : i64 to index
  %l = arith.index_cast %L : i64 to index

  // Axis 0 is (batch, chunk); the chunk's tokens are [t0, t1).
  %chunks = arith.ceildivsi %s, %l : index
  %batch = arith.divsi %pid0, %chunks : index
  %chunk = arith.remsi %pid0, %chunks : index
  %t0 = arith.muli %chunk, %l : index
  %t0_end = arith.addi %t0, %l : index
  %t1 = arith.minsi %t0_end, %s : index
  %k_blocks = arith.ceildivsi %l, %bk : index
  %mb = arith.divsi %block, %k_blocks : index
  %kb = arith.remsi %block, %k_blocks : index
  %row0 = arith.muli %mb, %bm : index
  %col0 = arith.muli %kb, %bk : index
  %r0 = arith.addi %t0, %row0 : index
  %k0 = arith.addi %t0, %col0 : index

  %b_sb_i = arith.index_cast %b_sb : i64 to index
  %b_ss_i = arith.index_cast %b_ss : i64 to index
  %b_sg_i = arith.index_cast %b_sg : i64 to index
  %b_b = arith.muli %batch, %b_sb_i : index
  %b_g = arith.muli %group, %b_sg_i : index
  %b_base = arith.addi %b_b, %b_g : index
  %c_sb_i = arith.index_cast %c_sb : i64 to index
  %c_ss_i = arith.index_cast %c_ss : i64 to index
  %c_sg_i = arith.index_cast %c_sg : i64 to index
  %c_b = arith.muli %batch, %c_sb_i : index
  %c_g = arith.muli %group, %c_sg_i : index
  %c_base = arith.addi %c_b, %c_g : index
  %bc = arith.muli %batch, %chunks : index
  %bc_chunk = arith.addi %bc, %chunk : index
  %bcg = arith.muli %bc_chunk, %g : index
  %bcg_group = arith.addi %bcg, %group : index
  %ll = arith.muli %l, %l : index
  %cb_base = arith.muli %bcg_group, %ll : index

  %zeros = tile.splat %zero : f32 -> !mk
  %product = scf.for %n0 = %c0 to %n step %bn iter_args(%acc = %zeros) -> (!mk) {
    %ct = tile.load %c[%c_base] at (%r0, %n0) strides (%c_ss_i, %c1) bounds (%t1, %n)
        : !rdt -> !mn
    %bt = tile.load %b[%b_base] at (%n0, %k0) strides (%c1, %b_ss_i) bounds (%n, %t1)
        : !rdt -> !nk
    %next = tile.dot %ct, %bt, %acc precision tf32x3 : !mn, !nk -> !mk
    scf.yield %next : !mk
  }
  tile.store %product, %cb[%cb_base] at (%row0, %col0) strides (%l, %c1) bounds (%l, %l)
      : !mk, !wr
}
