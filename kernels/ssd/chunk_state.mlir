// Mamba2 SSD forward, launch 1 of 3: each chunk's own state, all chunks in
// parallel (mamba_ssm's _chunk_cumsum_fwd and _chunk_state_fwd in one
// launch). One program owns a BN x BP block of the state that chunk c of
// one (batch, head) contributes, starting from zero, and walks the chunk a
// block of BL tokens at a time:
//
//   dt'  = clamp(dt + dt_bias (softplus when asked), dt_lo, dt_hi)
//                                                 dA = dt' A[h]       (mamba)
//   dt'  = 1                                      dA = dt = A_kb      (kernelbench)
//   state^T <- state^T exp(sum dA) + (B o exp(sum dA - cumsum dA) dt')^T x    per block
//
// so that at the chunk's end state^T = sum_l exp(cs_end - cs_l) dt'_l B_l x_l^T.
// States are stored transposed, (n, p) per (batch, chunk, head), so that the
// output kernel reads them contiguously; x is read contiguously here and B,
// the smaller operand at the benchmark shapes, as a transposed view. The
// programs of state block 0 also store, per token, the chunk-local inclusive
// cumsum of dA (%cs_out: state_passing.mlir reads each chunk's total from
// it) and dt' (%dt_out, mamba only), which chunk_outputs.mlir reads.
//
// Layouts (element strides; the last dimension of each view is contiguous):
//   x (b,s,h,p): %x_sb %x_ss %x_sh    dt (b,s,h): %dt_sb %dt_ss    B (b,s,g,n): %b_sb %b_ss %b_sg
//   A, dt_bias (h); states (b,c,h,n,p) with c = cdiv(S, L); cs_out, dt_out (b,h,s).
//   x and B hold T (f32, f16 or bf16: instances ssd_chunk_state_f32, _f16,
//   _bf16), widened to f32 as they load; everything else is f32.
//   dt_limit: %dt_lo and %dt_hi clamp dt' (the plan passes -inf and inf for
//   mamba's default (0, inf), which clamps nothing).
//   Buffers a flag turns off are never accessed.
//   %size_class (the bit width of B * chunks * H, from the plan) is read only
//   by the tuning key: configs are tuned per problem scale, not per shape.
!l = tensor<?xf32, #tile.dims<BL>>
!li = tensor<?xi32, #tile.dims<BL>>
!lm = tensor<?xi1, #tile.dims<BL>>
!nl = tensor<?x?xf32, #tile.dims<BN, BL>>
!lp = tensor<?x?xf32, #tile.dims<BL, BP>>
!np = tensor<?x?xf32, #tile.dims<BN, BP>>
!rd = !tile.buffer<f32, read>
!rdt = !tile.buffer<T, read>
!wr = !tile.buffer<f32, write>
tile.kernel @ssd_chunk_state(%x: !rdt, %dt: !rd, %a: !rd, %dt_bias: !rd, %b: !rdt,
                             %states: !wr, %cs_out: !wr, %dt_out: !wr,
                             %B: i64, %S: i64, %H: i64, %P: i64, %N: i64, %G: i64, %L: i64,
                             %x_sb: i64, %x_ss: i64, %x_sh: i64, %dt_sb: i64, %dt_ss: i64,
                             %b_sb: i64, %b_ss: i64, %b_sg: i64,
                             %kernelbench: i64, %has_dt_bias: i64, %dt_softplus: i64,
                             %dt_lo: f32, %dt_hi: f32, %size_class: i64)
    types [T in [f32, f16, bf16]]
    params [BN in [16, 64] = 16, BP in [32, 64] = 64, BL in [32, 64] = 64, num_warps in [4] = 4]
    key [%P, %N, %L, %size_class]
    grid (%B * cdiv(%S, %L), %H, cdiv(%N, BN) * cdiv(%P, BP)) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %i0 = arith.constant 0 : i64
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %pid0 = tile.program_id 0
  %head = tile.program_id 1
  %block = tile.program_id 2
  %bn = tile.param BN
  %bp = tile.param BP
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

  // Axis 0 is (batch, chunk); the chunk's tokens are [t0, t1).
  %chunks = arith.ceildivsi %s, %l : index
  %batch = arith.divsi %pid0, %chunks : index
  %chunk = arith.remsi %pid0, %chunks : index
  %t0 = arith.muli %chunk, %l : index
  %t0_end = arith.addi %t0, %l : index
  %t1 = arith.minsi %t0_end, %s : index

  // This program's state block and the group of its head.
  %p_blocks = arith.ceildivsi %p, %bp : index
  %nb = arith.divsi %block, %p_blocks : index
  %pb = arith.remsi %block, %p_blocks : index
  %n0 = arith.muli %nb, %bn : index
  %p0 = arith.muli %pb, %bp : index
  %heads_per_group = arith.divsi %h, %g : index
  %group = arith.divsi %head, %heads_per_group : index
  %writes_tokens = arith.cmpi eq, %block, %c0 : index

  // Base offsets (64-bit): the (batch, head) slices of every view.
  %bh = arith.muli %batch, %h : index
  %bh_head = arith.addi %bh, %head : index
  %token_base = arith.muli %bh_head, %s : index
  %bc = arith.muli %batch, %chunks : index
  %bc_chunk = arith.addi %bc, %chunk : index
  %bch = arith.muli %bc_chunk, %h : index
  %bch_head = arith.addi %bch, %head : index
  %pn_size = arith.muli %p, %n : index
  %chunk_base = arith.muli %bch_head, %pn_size : index
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

  %zeros = tile.splat %zero : f32 -> !np
  %own:2 = scf.for %k0 = %t0 to %t1 step %bl iter_args(%state = %zeros, %carry = %zero)
      -> (!np, f32) {
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
      %lo = tile.splat %dt_lo : f32 -> !l
      %hi = tile.splat %dt_hi : f32 -> !l
      %above_lo = arith.maximumf %dtp, %lo : !l
      %clamped = arith.minimumf %above_lo, %hi : !l
      %left = arith.subi %t1, %k0 : index
      %left_i = arith.index_cast %left : index to i32
      %left_t = tile.splat %left_i : i32 -> !li
      %lane = tile.range : !li
      %live = arith.cmpi slt, %lane, %left_t : !li
      %zeros_l = tile.splat %zero : f32 -> !l
      %dtp_live = arith.select %live, %clamped, %zeros_l : !lm, !l
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
    %bt = tile.load %b[%b_base] at (%n0, %k0) strides (%c1, %b_ss_i) bounds (%n, %t1)
        : !rdt -> !nl
    %weight_t = tile.broadcast %weight [0] : !l -> !nl
    %bw = arith.mulf %bt, %weight_t : !nl
    %xt = tile.load %x[%x_base] at (%k0, %p0) strides (%x_ss_i, %c1) bounds (%t1, %p)
        : !rdt -> !lp
    %total_np = tile.splat %total : f32 -> !np
    %block_decay = tile.exp %total_np : !np
    %decayed = arith.mulf %state, %block_decay : !np
    %next = tile.dot %bw, %xt, %decayed precision tf32x3 : !nl, !lp -> !np
    scf.if %writes_tokens {
      %carry_t = tile.splat %carry : f32 -> !l
      %chunk_cs = arith.addf %cs, %carry_t : !l
      tile.store %chunk_cs, %cs_out[%token_base] at (%k0) strides (%c1) bounds (%t1) : !l, !wr
      scf.if %mamba {
        tile.store %step#1, %dt_out[%token_base] at (%k0) strides (%c1) bounds (%t1) : !l, !wr
      }
    }
    %carried = arith.addf %carry, %total : f32
    scf.yield %next, %carried : !np, f32
  }
  tile.store %own#0, %states[%chunk_base] at (%n0, %p0) strides (%p, %c1) bounds (%n, %p)
      : !np, !wr
}
