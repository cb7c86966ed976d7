// One kernel source for f32, f16 and bf16 buffers: y = scale * x. `types`
// declares the element-type parameter T; the kernel stands for three
// instances, scale_copy_f32, scale_copy_f16 and scale_copy_bf16, which every
// compile makes (each its own kernel in the package, tuned and cached on its
// own). The tiles are f32 in every instance: the load widens T to f32 and the
// store rounds back to T (to nearest even).
//
//   ssdc compile examples/dtypes/scale_copy.mlir -o scale_copy.ssdcpkg
//   ssdc run examples/dtypes/scale_copy.mlir --target=host --kernel scale_copy_bf16 \
//       --arg n=1000 --arg scale=0.5 --arg x=1000
!tile_t = tensor<?xf32, #tile.dims<BLOCK>>
tile.kernel @scale_copy(%x: !tile.buffer<T, read>, %y: !tile.buffer<T, write>, %n: i64,
                        %scale: f32)
    types [T in [f32, f16, bf16]]
    params [BLOCK in [256, 1024] = 256, num_warps in [4] = 4]
    key [%n]
    grid (cdiv(%n, BLOCK)) {
  %pid = tile.program_id 0
  %block = tile.param BLOCK
  %start = arith.muli %pid, %block : index
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %bound = arith.index_cast %n : i64 to index
  %xs = tile.load %x[%c0] at (%start) strides (%c1) bounds (%bound)
      : !tile.buffer<T, read> -> !tile_t
  %s = tile.splat %scale : f32 -> !tile_t
  %ys = arith.mulf %xs, %s : !tile_t
  tile.store %ys, %y[%c0] at (%start) strides (%c1) bounds (%bound)
      : !tile_t, !tile.buffer<T, write>
}
