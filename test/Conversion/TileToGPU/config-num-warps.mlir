// A specialized kernel's recorded config with num_warps = 0 made the lowering
// divide by zero (SIGFPE in lib/Conversion/TileToGPU/Layout.cpp, TileLayout's
// constructor, through threadsPerProgram in
// lib/Dialect/Tile/Transforms/Specialize.cpp), and a negative one lowered.
// Found by the compiler fuzzer (fuzz/CompilerFuzzer.cpp). The tile.kernel
// verifier now checks tile.config against the declared candidates
// (test/Dialect/Tile/config.mlir has every case), so the pass never sees it.
// RUN: not ssdc-opt -ssdc-tile-to-gpu -split-input-file %s 2>&1 | FileCheck %s

// CHECK: config-num-warps.mlir:[[# @LINE + 1]]:1: error: 'tile.kernel' op tile.config sets num_warps = 0, which is not one of its candidates [1]
tile.kernel @zero_warps(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>)
    params [num_warps in [1] = 1] grid (1) attributes {tile.config = {num_warps = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %in[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<32xf32>
  tile.store %t, %out[%c0] at (%c0) strides (%c1) : tensor<32xf32>, !tile.buffer<f32, write>
}

// -----

// CHECK: config-num-warps.mlir:[[# @LINE + 1]]:1: error: 'tile.kernel' op tile.config sets num_warps = -4, which is not one of its candidates [1]
tile.kernel @negative_warps(%in: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>)
    params [num_warps in [1] = 1] grid (1) attributes {tile.config = {num_warps = -4 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %in[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<32xf32>
  tile.store %t, %out[%c0] at (%c0) strides (%c1) : tensor<32xf32>, !tile.buffer<f32, write>
}
