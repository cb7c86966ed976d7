// `ssdc run KERNEL.mlir --target=host` from the command line: the summary of a
// run, the NaN of elements a kernel never writes, located errors for a live
// element outside its buffer. (--target=cuda: test/Runtime/run-*.test.)
//
// RUN: ssdc run %s --target=host --arg n=10 --output-dir %t | FileCheck %s
// RUN: ssdc run %s --target=host --arg n=10 --arg out=12 | FileCheck %s --check-prefix=UNWRITTEN
// RUN: not ssdc run %s --target=host --arg n=10 --arg x=8 2>&1 | FileCheck %s --check-prefix=OOB

// CHECK: ran @twice on the host: grid (1)
// CHECK-NEXT: out: 10 x f32, sum {{.*}}, NaN 0{{$}}
// CHECK-NEXT: -> {{.*}}out.npy

// UNWRITTEN: out: 12 x f32, sum {{.*}}, NaN 2 (a write-only buffer starts as NaN: elements never written stay NaN)

tile.kernel @twice(%x: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>, %n: i64)
    grid (1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %bound = arith.index_cast %n : i64 to index
  // OOB: run.mlir:[[@LINE+2]]:8: error: 'tile.load' op reads element 8 of %x (argument 0), a buffer of 8 elements: tile element (8) is live (inside the bounds and the mask) but outside the buffer
  // OOB: note: in program (0) of grid (1) of @twice
  %t = tile.load %x[%c0] at (%c0) strides (%c1) bounds (%bound)
      : !tile.buffer<f32, read> -> tensor<16xf32>
  %doubled = arith.addf %t, %t : tensor<16xf32>
  tile.store %doubled, %out[%c0] at (%c0) strides (%c1) bounds (%bound)
      : tensor<16xf32>, !tile.buffer<f32, write>
}
