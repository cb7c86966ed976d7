// Row scans and reductions in every layout case of ReductionLowering.cpp
// (docs/lowering.md, "Reductions and scans"): for a row-major M x C fp32
// matrix with C = BC, each program takes BR rows and writes
//   cs[r, :] = cumsum(x[r, :]),  sums[r] = sum(x[r, :]),  maxes[r] = max(x[r, :])
// and, for its first row r0 = program * BR as a 1-D tile,
//   first_cs[program, :] = cumsum(x[r0, :]),  first_sums[program] = sum(x[r0, :]).
// The params span rows of 4 to 256 elements (rows within a warp segment,
// rows across warps, several rounds per thread, a 1-D reduce over 8 warps),
// 12 (not a power of two: staged), and 1 or 8 warps; scripts/gpu-reductions.sh
// runs and sanitizes every config, scripts/reductions_npy.py checks them.
//
//   ssdc run examples/reductions/row_reductions.mlir --target=host --arg M=5 --arg C=32 \
//     --arg cs=M*C --arg sums=M --arg maxes=M --arg first_cs=M*C --arg first_sums=M
!rc = tensor<?x?xf32, #tile.dims<BR, BC>>
!r = tensor<?xf32, #tile.dims<BR>>
!c = tensor<?xf32, #tile.dims<BC>>
!rd = !tile.buffer<f32, read>
!wr = !tile.buffer<f32, write>
tile.kernel @row_reductions(%x: !rd, %cs: !wr, %sums: !wr, %maxes: !wr, %first_cs: !wr,
                            %first_sums: !wr, %M: i64, %C: i64)
    params [BR in [1, 8] = 8, BC in [4, 12, 32, 256] = 32, num_warps in [1, 8] = 8]
    key [%C]
    grid (cdiv(%M, BR)) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %program = tile.program_id 0
  %br = tile.param BR
  %m = arith.index_cast %M : i64 to index
  %c = arith.index_cast %C : i64 to index
  %r0 = arith.muli %program, %br : index
  %t = tile.load %x[%c0] at (%r0, %c0) strides (%c, %c1) bounds (%m, %c) : !rd -> !rc
  %scan = tile.cumsum %t along 1 : !rc
  tile.store %scan, %cs[%c0] at (%r0, %c0) strides (%c, %c1) bounds (%m, %c) : !rc, !wr
  %sum = tile.reduce sum %t along 1 : !rc -> !r
  tile.store %sum, %sums[%c0] at (%r0) strides (%c1) bounds (%m) : !r, !wr
  %max = tile.reduce max %t along 1 : !rc -> !r
  tile.store %max, %maxes[%c0] at (%r0) strides (%c1) bounds (%m) : !r, !wr
  %row_base = arith.muli %r0, %c : index
  %row = tile.load %x[%row_base] at (%c0) strides (%c1) bounds (%c) : !rd -> !c
  %row_scan = tile.cumsum %row along 0 : !c
  %out_base = arith.muli %program, %c : index
  tile.store %row_scan, %first_cs[%out_base] at (%c0) strides (%c1) bounds (%c) : !c, !wr
  %row_sum = tile.reduce sum %row along 0 : !c -> f32
  %row_sum_t = tile.splat %row_sum : f32 -> tensor<1xf32>
  tile.store %row_sum_t, %first_sums[%program] at (%c0) strides (%c1) : tensor<1xf32>, !wr
}
