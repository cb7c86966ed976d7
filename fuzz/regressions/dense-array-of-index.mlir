// The compiler fuzzer's SEGV on the GPU machine, 2026-12-02: MLIR 22's parser
// asks an index element type of a dense array for its bit width.
"tile.kernel"() <{function_type = (i64) -> (), grid = affine_map<()[s0] -> (s0)>, key = array<index>, sym_name = "k"}> ({
^bb0(%n: i64):
  "tile.return"() : () -> ()
}) : () -> ()
