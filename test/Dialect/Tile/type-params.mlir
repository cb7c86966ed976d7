// Element-type parameters: tile-specialize first makes one instance per
// combination of candidates (the first parameter slowest), named
// <kernel>_<type>..., then specializes each; a name that another symbol has
// is an error.
// RUN: ssdc-opt %s -split-input-file -tile-specialize -verify-diagnostics | FileCheck %s

// CHECK-LABEL: tile.kernel @mix_f32_f16(%x: !tile.buffer<f32, read>, %y: !tile.buffer<f16, write>, %n: i64)
// CHECK-NEXT:    grid (%n) attributes {tile.config = {}} {
// CHECK:         load %x{{.*}} : !tile.buffer<f32, read> -> tensor<4xf32>
// CHECK:         store {{.*}} : tensor<4xf32>, !tile.buffer<f16, write>
// CHECK-LABEL: tile.kernel @mix_f32_bf16(
// CHECK-LABEL: tile.kernel @mix_bf16_f16(%x: !tile.buffer<bf16, read>
// CHECK-LABEL: tile.kernel @mix_bf16_bf16(
// CHECK-NOT:   types
tile.kernel @mix(%x: !tile.buffer<XT, read>, %y: !tile.buffer<YT, write>, %n: i64)
    types [XT in [f32, bf16], YT in [f16, bf16]]
    grid (%n) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %x[%c0] at (%c0) strides (%c1) : !tile.buffer<XT, read> -> tensor<4xf32>
  tile.store %t, %y[%c0] at (%c0) strides (%c1) : tensor<4xf32>, !tile.buffer<YT, write>
}

// -----

// expected-error@+1 {{'tile.kernel' op instance clash_f32 has the name of another symbol in the module}}
tile.kernel @clash(%x: !tile.buffer<T, read>) types [T in [f32]] grid (1) {
}
tile.kernel @clash_f32() grid (1) {
}
