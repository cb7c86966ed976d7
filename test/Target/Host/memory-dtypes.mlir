// Tiles compute in f32 while buffers hold f16 or bf16: a load widens
// exactly, a store rounds to nearest even (tile::isComputeTypeOf). On the
// host, y = 3 * x with x in bf16 and y in f16, checked bit for bit against
// NumPy's float16 rounding of the f32 product.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: ssdc run %s --target=host --arg n=1000 --arg scale=3 --arg x=1000 --seed 7 --output y=%t/y.npy --output x_copy=%t/x.npy
// RUN: /usr/bin/python3 -c "import numpy as np; x = (np.load('%t/x.npy').astype(np.uint32) << 16).view(np.float32); y = np.load('%t/y.npy'); want = (np.float32(3) * x).astype(np.float16); print('mismatches', int((y.view(np.uint16) != want.view(np.uint16)).sum()), 'of', y.size)" | FileCheck %s
// CHECK: mismatches 0 of 1000

tile.kernel @scale_convert(%x: !tile.buffer<bf16, read>, %y: !tile.buffer<f16, write>,
                           %x_copy: !tile.buffer<bf16, write>, %n: i64, %scale: f32)
    params [BLOCK in [256] = 256]
    grid (cdiv(%n, BLOCK)) {
  %pid = tile.program_id 0
  %block = tile.param BLOCK
  %start = arith.muli %pid, %block : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %bound = arith.index_cast %n : i64 to index
  %xs = tile.load %x[%c0] at (%start) strides (%c1) bounds (%bound)
      : !tile.buffer<bf16, read> -> tensor<?xf32, #tile.dims<BLOCK>>
  %s = tile.splat %scale : f32 -> tensor<?xf32, #tile.dims<BLOCK>>
  %ys = arith.mulf %xs, %s : tensor<?xf32, #tile.dims<BLOCK>>
  tile.store %ys, %y[%c0] at (%start) strides (%c1) bounds (%bound)
      : tensor<?xf32, #tile.dims<BLOCK>>, !tile.buffer<f16, write>
  // Widened and rounded back, a bf16 value is itself.
  tile.store %xs, %x_copy[%c0] at (%start) strides (%c1) bounds (%bound)
      : tensor<?xf32, #tile.dims<BLOCK>>, !tile.buffer<bf16, write>
}
