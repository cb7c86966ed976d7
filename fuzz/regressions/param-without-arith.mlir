// The compiler fuzzer's UBSan report, 2026-12-02 (a local run at ef16551): a
// kernel whose only ops are tile ops left the arith dialect unloaded, so
// specialization built its params' arith.constant on an unknown op (a null
// Operation; `ssdc compile` reported a garbled "'arith.divf' op" error).
tile.kernel @param_undeclared(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %bk = tile.param BN
}
