// The compiler fuzzer's UBSan report on the GPU machine, 2026-12-02: the
// verifier of tile.range shifted by the element width minus one, for i0 -1.
tile.kernel @range_i0(%n: i64) params [BM in [64, 256] = 64] grid (%n) {
  %r = tile.range : tensor<?xi0, #tile.dims<BM>>
}
