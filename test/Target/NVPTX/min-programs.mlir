// The reserved parameter min_programs_per_sm becomes PTX's .minnctapersm on
// the config's entry (ptxas then caps the registers a thread may use so that
// that many programs fit a multiprocessor); without it there is none.
// RUN: ssdc compile %s --emit=ptx | FileCheck %s
// RUN: ssdc compile %s --emit=ptx --config=min_programs_per_sm=1 | FileCheck %s --check-prefix=ONE
// CHECK-LABEL: .visible .entry copy__min_programs_per_sm_1(
// CHECK: .maxntid 128, 1, 1
// CHECK-NEXT: .minnctapersm 1
// CHECK-LABEL: .visible .entry copy__min_programs_per_sm_3(
// CHECK: .maxntid 128, 1, 1
// CHECK-NEXT: .minnctapersm 3
// ONE: .minnctapersm 1
// ONE-NOT: .minnctapersm
// RUN: ssdc compile %S/ptx.mlir --emit=ptx | FileCheck %s --check-prefix=NONE
// NONE-NOT: .minnctapersm
tile.kernel @copy(%x: !tile.buffer<f32, read>, %y: !tile.buffer<f32, write>, %n: i64)
    params [min_programs_per_sm in [1, 3] = 3] grid (cdiv(%n, 128)) {
  %p = tile.program_id 0
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  %bound = arith.index_cast %n : i64 to index
  %start = arith.muli %p, %c128 : index
  %t = tile.load %x[%c0] at (%start) strides (%c1) bounds (%bound)
      : !tile.buffer<f32, read> -> tensor<128xf32>
  tile.store %t, %y[%c0] at (%start) strides (%c1) bounds (%bound)
      : tensor<128xf32>, !tile.buffer<f32, write>
}
