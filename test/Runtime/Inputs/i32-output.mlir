// Writes the i32 buffer [0, 1, ..., n-1]: how run-options.test makes a .npy
// of the wrong dtype for segsum_exp.
tile.kernel @iota(%out: !tile.buffer<i32, write>, %n: i64) grid (1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %bound = arith.index_cast %n : i64 to index
  %t = tile.range : tensor<16xi32>
  tile.store %t, %out[%c0] at (%c0) strides (%c1) bounds (%bound)
      : tensor<16xi32>, !tile.buffer<i32, write>
}
