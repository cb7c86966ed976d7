// A specialized kernel's recorded config is not verified: num_warps = 0 in
// tile.config makes the lowering divide by zero (SIGFPE in
// lib/Conversion/TileToGPU/Layout.cpp, TileLayout's constructor, through
// threadsPerProgram in lib/Dialect/Tile/Transforms/Specialize.cpp), and a
// negative one lowers. Found by the compiler fuzzer (fuzz/CompilerFuzzer.cpp,
// which skips such kernels until this passes). The fix belongs in the
// tile.kernel verifier (lib/Dialect/Tile/IR/TileOps.cpp): a located error
// when tile.config's num_warps is outside [1, 32]. Then remove the XFAIL.
// XFAIL: *
// RUN: not ssdc-opt -ssdc-tile-to-gpu -split-input-file %s 2>&1 | FileCheck %s

// CHECK: error: {{.*}}num_warps
tile.kernel @zero_warps(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>)
    params [num_warps in [1] = 1] grid (1) attributes {tile.config = {num_warps = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %in[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<32xf32>
  tile.store %t, %out[%c0] at (%c0) strides (%c1) : tensor<32xf32>, !tile.buffer<f32, write>
}

// -----

// CHECK: error: {{.*}}num_warps
tile.kernel @negative_warps(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>)
    params [num_warps in [1] = 1] grid (1) attributes {tile.config = {num_warps = -4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %in[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<32xf32>
  tile.store %t, %out[%c0] at (%c0) strides (%c1) : tensor<32xf32>, !tile.buffer<f32, write>
}
