// Mamba2 SSD forward, launch 2 of 3: the states across chunks (mamba_ssm's
// _state_passing_fwd). One program owns a BN x BP block of the transposed
// state, (n, p), of one (batch, head) and walks the chunks in order:
//
//   entering_0 = initial state (or 0)
//   entering_{c+1} = exp(cs_c) entering_c + own_c
//
// where own_c is what chunk_state.mlir stored for chunk c and cs_c the
// chunk's total log-decay (its cumsum at the chunk's last token). The state
// entering each chunk replaces own_c in %states (in place: each thread reads
// and writes only its own elements), for chunk_outputs.mlir; the state after
// the last chunk is the final state. Only the b c h p n states and one
// scalar per chunk move: the chunk walk is short and elementwise.
//
// Layouts: states (b,c,h,n,p) with c = cdiv(S, L); cs (b,h,s); init and
// final (b,h,p,n), read and written as transposed views. %init is never
// accessed without %has_init.
//   %size_class (the bit width of B * chunks * H, from the plan) is read only
//   by the tuning key: configs are tuned per problem scale, not per shape.
!np = tensor<?x?xf32, #tile.dims<BN, BP>>
!rd = !tile.buffer<f32, read>
!wr = !tile.buffer<f32, write>
!rw = !tile.buffer<f32, readwrite>
tile.kernel @ssd_state_passing(%states: !rw, %cs: !rd, %init: !rd, %final: !wr,
                               %B: i64, %S: i64, %H: i64, %P: i64, %N: i64, %L: i64,
                               %has_init: i64, %size_class: i64)
    params [BN in [8, 32] = 8, BP in [64, 128] = 64, num_warps in [4] = 4]
    key [%P, %N, %L, %size_class]
    grid (%B, %H, cdiv(%N, BN) * cdiv(%P, BP)) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %i0 = arith.constant 0 : i64
  %zero = arith.constant 0.0 : f32
  %batch = tile.program_id 0
  %head = tile.program_id 1
  %block = tile.program_id 2
  %bn = tile.param BN
  %bp = tile.param BP
  %s = arith.index_cast %S : i64 to index
  %h = arith.index_cast %H : i64 to index
  %p = arith.index_cast %P : i64 to index
  %n = arith.index_cast %N : i64 to index
  %l = arith.index_cast %L : i64 to index
  %from_init = arith.cmpi ne, %has_init, %i0 : i64

  %p_blocks = arith.ceildivsi %p, %bp : index
  %nb = arith.divsi %block, %p_blocks : index
  %pb = arith.remsi %block, %p_blocks : index
  %n0 = arith.muli %nb, %bn : index
  %p0 = arith.muli %pb, %bp : index
  %bh = arith.muli %batch, %h : index
  %bh_head = arith.addi %bh, %head : index
  %pn_size = arith.muli %p, %n : index
  %state_base = arith.muli %bh_head, %pn_size : index
  %token_base = arith.muli %bh_head, %s : index

  %zeros = tile.splat %zero : f32 -> !np
  %start = scf.if %from_init -> (!np) {
    %s0 = tile.load %init[%state_base] at (%n0, %p0) strides (%c1, %n) bounds (%n, %p)
        : !rd -> !np
    scf.yield %s0 : !np
  } else {
    scf.yield %zeros : !np
  }
  %chunks = arith.ceildivsi %s, %l : index
  %bc = arith.muli %batch, %chunks : index
  %end = scf.for %chunk = %c0 to %chunks step %c1 iter_args(%entering = %start) -> (!np) {
    %bc_chunk = arith.addi %bc, %chunk : index
    %bch = arith.muli %bc_chunk, %h : index
    %bch_head = arith.addi %bch, %head : index
    %chunk_base = arith.muli %bch_head, %pn_size : index
    %own = tile.load %states[%chunk_base] at (%n0, %p0) strides (%p, %c1) bounds (%n, %p)
        : !rw -> !np
    tile.store %entering, %states[%chunk_base] at (%n0, %p0) strides (%p, %c1) bounds (%n, %p)
        : !np, !rw
    %t0 = arith.muli %chunk, %l : index
    %t0_end = arith.addi %t0, %l : index
    %t1 = arith.minsi %t0_end, %s : index
    %last = arith.subi %t1, %c1 : index
    %last_at = arith.addi %token_base, %last : index
    %total = tile.load_scalar %cs[%last_at] : !rd -> f32
    %total_t = tile.splat %total : f32 -> !np
    %decay = tile.exp %total_t : !np
    %decayed = arith.mulf %entering, %decay : !np
    %leaving = arith.addf %decayed, %own : !np
    scf.yield %leaving : !np
  }
  tile.store %end, %final[%state_base] at (%n0, %p0) strides (%c1, %n) bounds (%n, %p)
      : !np, !wr
}
