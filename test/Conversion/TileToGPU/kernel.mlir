// RUN: ssdc-opt %s -split-input-file -convert-tile-to-gpu -verify-diagnostics | FileCheck %s

// A specialized kernel becomes a gpu.func in gpu.module @ssdc_kernels with
// num_warps x 32 threads; buffers become global pointers; program ids are
// block ids; the function records its threads and shared memory.

// CHECK: module attributes {gpu.container_module}
// CHECK: gpu.module @ssdc_kernels
// CHECK-LABEL: gpu.func @ids
// CHECK-SAME: (%{{.*}}: !llvm.ptr<1>, %{{.*}}: i64)
// CHECK-SAME: kernel
// CHECK-SAME: known_block_size = array<i32: 64, 1, 1>
// CHECK-SAME: ssdc.block_threads = 64 : i64
// CHECK-SAME: ssdc.shared_bytes = 0 : i64
// CHECK-DAG: gpu.block_id x
// CHECK-DAG: gpu.block_id y
// CHECK-DAG: gpu.block_id z
// CHECK: gpu.return
tile.kernel @ids(%out: !tile.buffer<i64, write>, %n: i64)
    params [num_warps in [2] = 2]
    grid (%n, 2, 3) attributes {tile.config = {num_warps = 2 : i64}} {
  %x = tile.program_id 0
  %y = tile.program_id 1
  %z = tile.program_id 2
  %xy = arith.addi %x, %y : index
  %xyz = arith.addi %xy, %z : index
  %v = arith.index_cast %xyz : index to i64
  %s = tile.splat %v : i64 -> tensor<1xi64>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  tile.store %s, %out[%c0] at (%x) strides (%c1) : tensor<1xi64>, !tile.buffer<i64, write>
}

// -----

// Without a num_warps parameter a program has 4 warps.
// CHECK-LABEL: gpu.func @default_warps
// CHECK-SAME: known_block_size = array<i32: 128, 1, 1>
tile.kernel @default_warps(%n: i64) grid (%n) attributes {tile.config = {}} {
}

// -----

// expected-error@+1 {{@generic is generic; run tile-specialize before convert-tile-to-gpu}}
tile.kernel @generic(%n: i64) params [BLOCK in [16] = 16] grid (%n) {
}

// -----

tile.kernel @sin(%x: !tile.buffer<f32, readwrite>) grid (1) attributes {tile.config = {}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %x[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, readwrite> -> tensor<128xf32>
  // expected-error@+1 {{'math.sin' op has no GPU lowering; the math ops on tiles are exp, exp2, log, log2, log1p, tanh, sqrt and absf (tile.exp for exp with a clamp)}}
  %e = math.sin %t : tensor<128xf32>
  tile.store %e, %x[%c0] at (%c0) strides (%c1) : tensor<128xf32>, !tile.buffer<f32, readwrite>
}

// -----

// Float scalar arguments are kernel parameters of their own type, used as
// they are (the runtime passes them rounded into that type).
// CHECK-LABEL: gpu.func @float_scalars
// CHECK-SAME: (%{{.*}}: !llvm.ptr<1>, %[[LIMIT:.*]]: f32, %[[HALF:.*]]: f16, %{{.*}}: bf16)
// CHECK: %[[WIDE:.*]] = arith.extf %[[HALF]] : f16 to f32
// CHECK: arith.maximumf %[[LIMIT]], %[[WIDE]] : f32
tile.kernel @float_scalars(%out: !tile.buffer<f32, write>, %limit: f32, %half: f16, %brain: bf16)
    grid (1) attributes {tile.config = {}} {
  %wide = arith.extf %half : f16 to f32
  %m = arith.maximumf %limit, %wide : f32
  %s = tile.splat %m : f32 -> tensor<1xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  tile.store %s, %out[%c0] at (%c0) strides (%c1) : tensor<1xf32>, !tile.buffer<f32, write>
}
