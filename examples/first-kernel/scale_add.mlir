// A first tile kernel: y = a * x + y over n elements, BLOCK elements per
// program. Everything a launcher needs is in the declaration: the typed
// arguments (x is only read, y is read and written), the tuning space, the
// argument that keys the tuning cache, and the grid.
//
//   ssdc compile examples/first-kernel/scale_add.mlir -o scale_add.ssdcpkg
//   ssdc run examples/first-kernel/scale_add.mlir --target=host --arg n=1000 --arg a=1.5
tile.kernel @scale_add(%x: !tile.buffer<f32, read>, %y: !tile.buffer<f32, readwrite>,
                       %n: i64, %a: f32)
    params [BLOCK in [128, 256, 512] = 256, num_warps in [4, 8] = 4]
    key [%n]
    grid (cdiv(%n, BLOCK)) {
  %pid = tile.program_id 0
  %block = tile.param BLOCK
  %start = arith.muli %pid, %block : index
  %zero = arith.constant 0 : index
  %one = arith.constant 1 : index
  %bound = arith.index_cast %n : i64 to index

  // Elements past n are outside `bounds`: loads give 0 there, stores skip them.
  %xs = tile.load %x[%zero] at (%start) strides (%one) bounds (%bound)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK>>
  %ys = tile.load %y[%zero] at (%start) strides (%one) bounds (%bound)
      : !tile.buffer<f32, readwrite> -> tensor<?xf32, #tile.dims<BLOCK>>
  %as = tile.splat %a : f32 -> tensor<?xf32, #tile.dims<BLOCK>>
  %ax = arith.mulf %as, %xs : tensor<?xf32, #tile.dims<BLOCK>>
  %sum = arith.addf %ax, %ys : tensor<?xf32, #tile.dims<BLOCK>>
  tile.store %sum, %y[%zero] at (%start) strides (%one) bounds (%bound)
      : tensor<?xf32, #tile.dims<BLOCK>>, !tile.buffer<f32, readwrite>
}
