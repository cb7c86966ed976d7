// Bad input is a located diagnostic and a non-zero exit, never a crash.
// RUN: not ssdc compile %s --emit=ptx 2>&1 | FileCheck %s

// CHECK: errors.mlir:[[# @LINE + 4]]:{{[0-9]+}}: error: 'tile.store' op stores into a read-only buffer
tile.kernel @bad(%x: !tile.buffer<f32, read>, %n: i64) grid (%n) {
  %c0 = arith.constant 0 : index
  %t = tile.load %x[%c0] at (%c0) strides (%c0) : !tile.buffer<f32, read> -> tensor<4xf32>
  tile.store %t, %x[%c0] at (%c0) strides (%c0) : tensor<4xf32>, !tile.buffer<f32, read>
}
