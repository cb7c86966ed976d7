// Mamba2 SSD forward, launch 1 of 2: the chunk cumsum of the log-decays, the
// state each chunk contributes, and the state passing across chunks, fused
// (docs/ssd.md says why). One program owns a BP x BN block of one (batch,
// head)'s state and walks the sequence a block of BL tokens at a time:
//
//   dt'  = dt + dt_bias (softplus when asked)     dA = dt' A[h]       (mamba)
//   dt'  = 1                                      dA = dt = A_kb      (kernelbench)
//   state <- state exp(sum dA) + (exp(sum dA - cumsum dA) dt' x)^T B    per block
//
// Before the first block of chunk c it stores the state entering chunk c into
// %states (when %store_chunks); after the last block it stores the final
// state. The program of state block 0 also stores, per token, the chunk-local
// inclusive cumsum of dA (%cs_out) and dt' (%dt_out, mamba only), which the
// output kernel (chunk_outputs.mlir) reads instead of recomputing them.
//
// Layouts (element strides; the last dimension of each view is contiguous):
//   x (b,s,h,p): %x_sb %x_ss %x_sh    dt (b,s,h): %dt_sb %dt_ss    B (b,s,g,n): %b_sb %b_ss %b_sg
//   A, dt_bias (h); init, final (b,h,p,n); states (b,c,h,p,n) with c = cdiv(S, L);
//   cs_out, dt_out (b,h,s). Buffers a flag turns off are never accessed.
!l = tensor<?xf32, #tile.dims<BL>>
!li = tensor<?xi32, #tile.dims<BL>>
!lm = tensor<?xi1, #tile.dims<BL>>
!pl = tensor<?x?xf32, #tile.dims<BP, BL>>
!ln = tensor<?x?xf32, #tile.dims<BL, BN>>
!pn = tensor<?x?xf32, #tile.dims<BP, BN>>
!rd = !tile.buffer<f32, read>
!wr = !tile.buffer<f32, write>
tile.kernel @ssd_chunk_states(%x: !rd, %dt: !rd, %a: !rd, %dt_bias: !rd, %b: !rd, %init: !rd,
                              %states: !wr, %final: !wr, %cs_out: !wr, %dt_out: !wr,
                              %B: i64, %S: i64, %H: i64, %P: i64, %N: i64, %G: i64, %L: i64,
                              %x_sb: i64, %x_ss: i64, %x_sh: i64, %dt_sb: i64, %dt_ss: i64,
                              %b_sb: i64, %b_ss: i64, %b_sg: i64,
                              %kernelbench: i64, %has_dt_bias: i64, %dt_softplus: i64,
                              %has_init: i64, %store_chunks: i64)
    params [BP in [16, 32] = 32, BN in [16, 32] = 32, BL in [16, 32] = 32, num_warps in [4] = 4]
    key [%P, %N, %L]
    grid (%B, %H, cdiv(%P, BP) * cdiv(%N, BN)) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %i0 = arith.constant 0 : i64
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %batch = tile.program_id 0
  %head = tile.program_id 1
  %block = tile.program_id 2
  %bp = tile.param BP
  %bn = tile.param BN
  %bl = tile.param BL
  %s = arith.index_cast %S : i64 to index
  %h = arith.index_cast %H : i64 to index
  %p = arith.index_cast %P : i64 to index
  %n = arith.index_cast %N : i64 to index
  %g = arith.index_cast %G : i64 to index
  %l = arith.index_cast %L : i64 to index
  %kb = arith.cmpi ne, %kernelbench, %i0 : i64
  %mamba = arith.cmpi eq, %kernelbench, %i0 : i64
  %biased = arith.cmpi ne, %has_dt_bias, %i0 : i64
  %soft = arith.cmpi ne, %dt_softplus, %i0 : i64
  %from_init = arith.cmpi ne, %has_init, %i0 : i64
  %store = arith.cmpi ne, %store_chunks, %i0 : i64

  // This program's state block and the group of its head.
  %n_blocks = arith.ceildivsi %n, %bn : index
  %pb = arith.divsi %block, %n_blocks : index
  %nb = arith.remsi %block, %n_blocks : index
  %p0 = arith.muli %pb, %bp : index
  %n0 = arith.muli %nb, %bn : index
  %heads_per_group = arith.divsi %h, %g : index
  %group = arith.divsi %head, %heads_per_group : index
  %writes_tokens = arith.cmpi eq, %block, %c0 : index

  // Base offsets (64-bit): the (batch, head) slices of every view.
  %bh = arith.muli %batch, %h : index
  %bh_head = arith.addi %bh, %head : index
  %pn_size = arith.muli %p, %n : index
  %state_base = arith.muli %bh_head, %pn_size : index
  %token_base = arith.muli %bh_head, %s : index
  %x_sb_i = arith.index_cast %x_sb : i64 to index
  %x_ss_i = arith.index_cast %x_ss : i64 to index
  %x_sh_i = arith.index_cast %x_sh : i64 to index
  %x_b = arith.muli %batch, %x_sb_i : index
  %x_h = arith.muli %head, %x_sh_i : index
  %x_base = arith.addi %x_b, %x_h : index
  %dt_sb_i = arith.index_cast %dt_sb : i64 to index
  %dt_ss_i = arith.index_cast %dt_ss : i64 to index
  %dt_b = arith.muli %batch, %dt_sb_i : index
  %dt_base = arith.addi %dt_b, %head : index
  %b_sb_i = arith.index_cast %b_sb : i64 to index
  %b_ss_i = arith.index_cast %b_ss : i64 to index
  %b_sg_i = arith.index_cast %b_sg : i64 to index
  %b_b = arith.muli %batch, %b_sb_i : index
  %b_g = arith.muli %group, %b_sg_i : index
  %b_base = arith.addi %b_b, %b_g : index

  // The head's A and dt_bias (zero when not given: adding it is exact).
  %a_h = scf.if %mamba -> (f32) {
    %v = tile.load_scalar %a[%head] : !rd -> f32
    scf.yield %v : f32
  } else {
    scf.yield %zero : f32
  }
  %bias_h = scf.if %biased -> (f32) {
    %v = tile.load_scalar %dt_bias[%head] : !rd -> f32
    scf.yield %v : f32
  } else {
    scf.yield %zero : f32
  }

  %zeros = tile.splat %zero : f32 -> !pn
  %start = scf.if %from_init -> (!pn) {
    %s0 = tile.load %init[%state_base] at (%p0, %n0) strides (%n, %c1) bounds (%p, %n)
        : !rd -> !pn
    scf.yield %s0 : !pn
  } else {
    scf.yield %zeros : !pn
  }

  %chunks = arith.ceildivsi %s, %l : index
  %end_state = scf.for %chunk = %c0 to %chunks step %c1 iter_args(%entering = %start) -> (!pn) {
    %t0 = arith.muli %chunk, %l : index
    %t0_end = arith.addi %t0, %l : index
    %t1 = arith.minsi %t0_end, %s : index
    scf.if %store {
      %bc = arith.muli %batch, %chunks : index
      %bc_chunk = arith.addi %bc, %chunk : index
      %bch = arith.muli %bc_chunk, %h : index
      %bch_head = arith.addi %bch, %head : index
      %chunk_base = arith.muli %bch_head, %pn_size : index
      tile.store %entering, %states[%chunk_base] at (%p0, %n0) strides (%n, %c1) bounds (%p, %n)
          : !pn, !wr
    }
    %leaving:2 = scf.for %k0 = %t0 to %t1 step %bl iter_args(%state = %entering, %carry = %zero)
        -> (!pn, f32) {
      // dA and dt' of the block's tokens; tokens past the chunk are zero steps.
      %raw = tile.load %dt[%dt_base] at (%k0) strides (%dt_ss_i) bounds (%t1) : !rd -> !l
      %step:2 = scf.if %kb -> (!l, !l) {
        %ones = tile.splat %one : f32 -> !l
        scf.yield %raw, %ones : !l, !l
      } else {
        %bias = tile.splat %bias_h : f32 -> !l
        %with_bias = arith.addf %raw, %bias : !l
        %dtp = scf.if %soft -> (!l) {
          %sp = tile.softplus %with_bias : !l
          scf.yield %sp : !l
        } else {
          scf.yield %with_bias : !l
        }
        %left = arith.subi %t1, %k0 : index
        %left_i = arith.index_cast %left : index to i32
        %left_t = tile.splat %left_i : i32 -> !li
        %lane = tile.range : !li
        %live = arith.cmpi slt, %lane, %left_t : !li
        %zeros_l = tile.splat %zero : f32 -> !l
        %dtp_live = arith.select %live, %dtp, %zeros_l : !lm, !l
        %a_t = tile.splat %a_h : f32 -> !l
        %da = arith.mulf %dtp_live, %a_t : !l
        scf.yield %da, %dtp_live : !l, !l
      }
      %cs = tile.cumsum %step#0 along 0 : !l
      %total = tile.reduce sum %step#0 along 0 : !l -> f32
      %total_t = tile.splat %total : f32 -> !l
      %to_end = arith.subf %total_t, %cs : !l
      %decay_to_end = tile.exp %to_end : !l
      %weight = arith.mulf %decay_to_end, %step#1 : !l
      %xt = tile.load %x[%x_base] at (%p0, %k0) strides (%c1, %x_ss_i) bounds (%p, %t1)
          : !rd -> !pl
      %weight_t = tile.broadcast %weight [0] : !l -> !pl
      %xw = arith.mulf %xt, %weight_t : !pl
      %bt = tile.load %b[%b_base] at (%k0, %n0) strides (%b_ss_i, %c1) bounds (%t1, %n)
          : !rd -> !ln
      %total_pn = tile.splat %total : f32 -> !pn
      %block_decay = tile.exp %total_pn : !pn
      %decayed = arith.mulf %state, %block_decay : !pn
      %next = tile.dot %xw, %bt, %decayed : !pl, !ln -> !pn
      %token_writes = arith.andi %store, %writes_tokens : i1
      scf.if %token_writes {
        %carry_t = tile.splat %carry : f32 -> !l
        %chunk_cs = arith.addf %cs, %carry_t : !l
        tile.store %chunk_cs, %cs_out[%token_base] at (%k0) strides (%c1) bounds (%t1) : !l, !wr
        scf.if %mamba {
          tile.store %step#1, %dt_out[%token_base] at (%k0) strides (%c1) bounds (%t1) : !l, !wr
        }
      }
      %carried = arith.addf %carry, %total : f32
      scf.yield %next, %carried : !pn, f32
    }
    scf.yield %leaving#0 : !pn
  }
  tile.store %end_state, %final[%state_base] at (%p0, %n0) strides (%n, %c1) bounds (%p, %n)
      : !pn, !wr
}
