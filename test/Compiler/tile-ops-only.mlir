// A kernel of tile ops alone (no arith op for the parser to load arith):
// specialization still writes its params as arith constants, because the tile
// dialect loads arith (fuzz/regressions/param-without-arith.mlir; before, a
// null op and a garbled "'arith.divf' op" error), and it lowers to PTX.
// RUN: ssdc compile %s --emit=specialize | FileCheck %s
// RUN: ssdc compile %s --emit=ptx | FileCheck %s --check-prefix=PTX
// CHECK: tile.kernel @param_undeclared__BM_16__BN_16
// CHECK: arith.constant 16 : index
// PTX: .entry param_undeclared__BM_16__BN_16
tile.kernel @param_undeclared(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %bk = tile.param BN
}
