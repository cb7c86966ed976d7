// Float scalar arguments from the command line (`--arg NAME=VALUE`, with
// -inf and f16 rounding), and -inf as a load's `other`, under max and exp,
// on the host target.
//
// RUN: ssdc run %s --target=host --arg n=8 --arg scale=0.5 --arg floor=1.25 --arg shift=0.1 | FileCheck %s
// RUN: ssdc run %s --target=host --arg n=8 --arg scale=0.5 --arg floor=-inf --arg shift=0 | FileCheck %s --check-prefix=NEG-INF
// RUN: not ssdc run %s --target=host --arg n=8 --arg scale=1 --arg floor=0 --arg shift=70000 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// RUN: not ssdc run %s --target=host --arg n=8 --arg scale=half --arg floor=0 --arg shift=0 2>&1 | FileCheck %s --check-prefix=NOT-A-NUMBER
// RUN: not ssdc run %s --target=host --arg n=8 --arg floor=0 --arg shift=0 2>&1 | FileCheck %s --check-prefix=MISSING

// out[i] = max(i * scale, floor) + shift, where shift is an f16: 0.1 rounds to
// 0.0999755859375, so the sum is 16.25 + 8 * 0.0999755859375.
// CHECK: ran @scale_floor on the host: grid (1)
// CHECK-NEXT: out: 8 x f32, sum 17.0498047, min 1.34997559, max 3.59997559, NaN 0{{$}}
// The max of a load whose every element is `other` (-inf), then exp of it.
// CHECK-NEXT: peak: 2 x f32, sum -inf, min -inf, max 0, NaN 0{{$}}

// NEG-INF: out: 8 x f32, sum 14, min 0, max 3.5, NaN 0{{$}}

// OVERFLOW: error: --arg shift=70000 rounds to infinity in f16, the argument's type
// NOT-A-NUMBER: error: --arg scale=half is not a number
// MISSING: error: float argument 'scale' needs --arg scale=VALUE (an f32)

tile.kernel @scale_floor(%x: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>,
                         %peak: !tile.buffer<f32, write>, %n: i64, %scale: f32, %floor: f32,
                         %shift: f16)
    grid (1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %bound = arith.index_cast %n : i64 to index
  %lanes = tile.range : tensor<8xi32>
  %i = arith.sitofp %lanes : tensor<8xi32> to tensor<8xf32>
  %scale_t = tile.splat %scale : f32 -> tensor<8xf32>
  %scaled = arith.mulf %i, %scale_t : tensor<8xf32>
  %floor_t = tile.splat %floor : f32 -> tensor<8xf32>
  %floored = arith.maximumf %scaled, %floor_t : tensor<8xf32>
  %shift32 = arith.extf %shift : f16 to f32
  %shift_t = tile.splat %shift32 : f32 -> tensor<8xf32>
  %y = arith.addf %floored, %shift_t : tensor<8xf32>
  tile.store %y, %out[%c0] at (%c0) strides (%c1) bounds (%bound)
      : tensor<8xf32>, !tile.buffer<f32, write>

  %none = arith.constant dense<false> : tensor<8xi1>
  %masked = tile.load %x[%c0] at (%c0) strides (%c1) mask %none : tensor<8xi1>
      other 0xFF800000 : f32 : !tile.buffer<f32, read> -> tensor<8xf32>
  %max = tile.reduce max %masked along 0 : tensor<8xf32> -> f32
  %max_t = tile.splat %max : f32 -> tensor<2xf32>
  %decay = tile.exp %max_t : tensor<2xf32>
  %first = arith.constant dense<[true, false]> : tensor<2xi1>
  %both = arith.select %first, %max_t, %decay : tensor<2xi1>, tensor<2xf32>
  tile.store %both, %peak[%c0] at (%c0) strides (%c1) : tensor<2xf32>, !tile.buffer<f32, write>
}
