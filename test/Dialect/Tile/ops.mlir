// Round trip of every tile op and every attribute and type form: custom form
// printed and re-parsed, and the generic form re-parsed into the custom form.
// RUN: ssdc-opt %s -split-input-file | ssdc-opt -split-input-file | FileCheck %s
// RUN: ssdc-opt %s -split-input-file -mlir-print-op-generic | ssdc-opt -split-input-file | FileCheck %s
// RUN: ssdc-opt %s -split-input-file -mlir-print-op-generic -mlir-print-local-scope | FileCheck %s --check-prefix=GENERIC

//===----------------------------------------------------------------------===//
// Kernel headers
//===----------------------------------------------------------------------===//

// No arguments, no params, no key, a constant 1-D grid.
// CHECK-LABEL: tile.kernel @no_args()
// CHECK-NEXT:    grid (1) {
// CHECK-NEXT:  }
// GENERIC-LABEL: "tile.kernel"()
// GENERIC-SAME:    function_type = () -> ()
// GENERIC-SAME:    grid = affine_map<() -> (1)>
// GENERIC-SAME:    key = array<i64>
// GENERIC-SAME:    params = []
// GENERIC-SAME:    sym_name = "no_args"
// GENERIC:         "tile.return"() : () -> ()
tile.kernel @no_args() grid (1) {
}

// -----

// A 1-D grid over an i32 argument, params without a key.
// CHECK-LABEL: tile.kernel @grid_1d(
// CHECK-SAME:    %[[ARG0:[a-zA-Z0-9_]+]]: !tile.buffer<f32, readwrite>, %[[ARG1:[a-zA-Z0-9_]+]]: i32)
// CHECK-NEXT:    params [BLOCK in [128, 256] = 256]
// CHECK-NEXT:    grid (cdiv(%[[ARG1]], BLOCK)) {
// GENERIC-LABEL: "tile.kernel"()
// GENERIC-SAME:    grid = affine_map<()[s0, s1, s2] -> (s1 ceildiv s2)>
// GENERIC-SAME:    key = array<i64>
// GENERIC-SAME:    params = [#tile.param<"BLOCK", [128, 256], 256>]
tile.kernel @grid_1d(%x: !tile.buffer<f32, readwrite>, %n: i32)
    params [BLOCK in [128, 256] = 256]
    grid (cdiv(%n, BLOCK)) {
}

// -----

// Float scalar arguments (f32, f16, bf16) beside integer ones; a -inf
// constant in upstream's hexadecimal form, splatted.
// CHECK-LABEL: tile.kernel @float_scalars(
// CHECK-SAME:    %{{[a-z_]+}}: !tile.buffer<f32, write>, %{{[a-z_]+}}: i64, %[[LIMIT:[a-z_]+]]: f32, %{{[a-z_]+}}: f16, %{{[a-z_]+}}: bf16)
// CHECK-NEXT:    params [BLOCK in [32] = 32]
// CHECK-NEXT:    key [%{{[a-z_]+}}]
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT:    arith.maximumf %[[LIMIT]], %[[NEG_INF]] : f32
// CHECK-NEXT:    splat %[[NEG_INF]] : f32 -> tensor<?xf32, #tile.dims<BLOCK>>
// GENERIC-LABEL: "tile.kernel"()
// GENERIC-SAME:    function_type = (!tile.buffer<f32, write>, i64, f32, f16, bf16) -> ()
tile.kernel @float_scalars(%out: !tile.buffer<f32, write>, %n: i64, %limit: f32, %half: f16,
                           %brain: bf16)
    params [BLOCK in [32] = 32]
    key [%n]
    grid (cdiv(%n, BLOCK)) {
  %neg_inf = arith.constant 0xFF800000 : f32
  %m = arith.maximumf %limit, %neg_inf : f32
  %t = tile.splat %neg_inf : f32 -> tensor<?xf32, #tile.dims<BLOCK>>
}

// -----

// Element-type parameters: buffers of XT and YT, tiles of f32.
// CHECK-LABEL: tile.kernel @typed(
// CHECK-SAME:    %{{[a-z_]+}}: !tile.buffer<XT, read>, %{{[a-z_]+}}: !tile.buffer<YT, write>, %{{[a-z_]+}}: !tile.buffer<f32, read>)
// CHECK-NEXT:    types [XT in [f32, bf16], YT in [f16]]
// CHECK-NEXT:    grid (1) {
// CHECK:         load %{{.*}} : !tile.buffer<XT, read> -> tensor<4xf32>
// GENERIC-LABEL: "tile.kernel"()
// GENERIC-SAME:    function_type = (!tile.buffer<XT, read>, !tile.buffer<YT, write>, !tile.buffer<f32, read>) -> ()
// GENERIC-SAME:    type_params = [#tile.type_param<"XT", [f32, bf16]>, #tile.type_param<"YT", [f16]>]
tile.kernel @typed(%x: !tile.buffer<XT, read>, %y: !tile.buffer<YT, write>, %z: !tile.buffer<f32, read>)
    types [XT in [f32, bf16], YT in [f16]]
    grid (1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %t = tile.load %x[%c0] at (%c0) strides (%c1) : !tile.buffer<XT, read> -> tensor<4xf32>
  tile.store %t, %y[%c0] at (%c0) strides (%c1) : tensor<4xf32>, !tile.buffer<YT, write>
}

// -----

// A 2-D grid with a key of one argument.
// CHECK-LABEL: tile.kernel @grid_2d(
// CHECK-SAME:    %[[ARG0:[a-zA-Z0-9_]+]]: !tile.buffer<f16, read>, %[[ARG1:[a-zA-Z0-9_]+]]: i64, %[[ARG2:[a-zA-Z0-9_]+]]: i64)
// CHECK-NEXT:    params [BM in [32, 64] = 32]
// CHECK-NEXT:    key [%[[ARG2]]]
// CHECK-NEXT:    grid (%[[ARG1]], cdiv(%[[ARG2]], BM)) {
// GENERIC-LABEL: "tile.kernel"()
// GENERIC-SAME:    grid = affine_map<()[s0, s1, s2, s3] -> (s1, s2 ceildiv s3)>
// GENERIC-SAME:    key = array<i64: 2>
tile.kernel @grid_2d(%x: !tile.buffer<f16, read>, %B: i64, %T: i64)
    params [BM in [32, 64] = 32]
    key [%T]
    grid (%B, cdiv(%T, BM)) {
}

// -----

// A 3-D grid, a key of two arguments (mixed i32/i64), the reserved params.
// CHECK-LABEL: tile.kernel @grid_3d(
// CHECK-SAME:    %[[ARG0:[a-zA-Z0-9_]+]]: !tile.buffer<bf16, write>, %[[ARG1:[a-zA-Z0-9_]+]]: i32, %[[ARG2:[a-zA-Z0-9_]+]]: i64, %[[ARG3:[a-zA-Z0-9_]+]]: i64)
// CHECK-NEXT:    params [BLOCK_M in [16, 32, 64, 128] = 64, BLOCK_N in [32, 64] = 32, num_warps in [4, 8] = 8, num_stages in [1, 2, 3] = 2]
// CHECK-NEXT:    key [%[[ARG2]], %[[ARG1]]]
// CHECK-NEXT:    grid (%[[ARG1]], cdiv(%[[ARG2]], BLOCK_M), cdiv(%[[ARG3]], BLOCK_N)) {
// GENERIC-LABEL: "tile.kernel"()
// GENERIC-SAME:    grid = affine_map<()[s0, s1, s2, s3, s4, s5, s6, s7] -> (s1, s2 ceildiv s4, s3 ceildiv s5)>
// GENERIC-SAME:    key = array<i64: 2, 1>
// GENERIC-SAME:    params = [#tile.param<"BLOCK_M", [16, 32, 64, 128], 64>, #tile.param<"BLOCK_N", [32, 64], 32>, #tile.param<"num_warps", [4, 8], 8>, #tile.param<"num_stages", [1, 2, 3], 2>]
tile.kernel @grid_3d(%out: !tile.buffer<bf16, write>, %B: i32, %T: i64, %S: i64)
    params [BLOCK_M in [16, 32, 64, 128] = 64, BLOCK_N in [32, 64] = 32,
            num_warps in [4, 8] = 8, num_stages in [1, 2, 3] = 2]
    key [%T, %B]
    grid (%B, cdiv(%T, BLOCK_M), cdiv(%S, BLOCK_N)) {
}

// -----

// Grid expressions: + - * / mod cdiv and parentheses. The grid is stored as an
// affine map and printed back in simplified form.
// CHECK-LABEL: tile.kernel @grid_exprs(
// CHECK-SAME:    %[[ARG0:[a-zA-Z0-9_]+]]: i32, %[[ARG1:[a-zA-Z0-9_]+]]: i64)
// CHECK-NEXT:    params [BM in [16, 32] = 16, BN in [16] = 16]
// CHECK-NEXT:    grid (%[[ARG1]] - BM * 2 + 1, (%[[ARG1]] + BM) / BN mod 3, cdiv(%[[ARG1]] - 1, BM) * (BN + 2) - %[[ARG0]] * 3) {
// GENERIC-LABEL: "tile.kernel"()
// GENERIC-SAME:    grid = affine_map<()[s0, s1, s2, s3] -> (s1 - s2 * 2 + 1, ((s1 + s2) floordiv s3) mod 3, ((s1 - 1) ceildiv s2) * (s3 + 2) - s0 * 3)>
tile.kernel @grid_exprs(%B: i32, %T: i64)
    params [BM in [16, 32] = 16, BN in [16] = 16]
    grid (%T + 1 - BM * 2, ((%T + BM) / BN) mod 3, cdiv(%T - 1, BM) * (BN + 2) - %B * 3) {
}

// -----

// More grid forms: a constant factor on the left, a redundant parenthesis, a
// difference of arguments, a floor division by a constant, nested cdiv.
// CHECK-LABEL: tile.kernel @grid_exprs_2(
// CHECK-SAME:    %[[ARG0:[a-zA-Z0-9_]+]]: i32, %[[ARG1:[a-zA-Z0-9_]+]]: i64)
// CHECK-NEXT:    params [BM in [16, 32] = 16]
// CHECK-NEXT:    grid (%[[ARG1]] * 2, cdiv(cdiv(%[[ARG1]], BM), 2), %[[ARG0]] - %[[ARG1]] / 4) {
tile.kernel @grid_exprs_2(%B: i32, %T: i64)
    params [BM in [16, 32] = 16]
    grid (2 * (%T), cdiv(cdiv(%T, BM), 2), %B - %T / 4) {
}

// -----

// Products, quotients and moduli of arguments: the grid's symbols are the
// arguments and the parameters, so any of them may multiply or divide.
// CHECK-LABEL: tile.kernel @grid_products(
// CHECK-SAME:    %[[B:[a-zA-Z0-9_]+]]: i64, %[[H:[a-zA-Z0-9_]+]]: i64, %[[T:[a-zA-Z0-9_]+]]: i64, %[[C:[a-zA-Z0-9_]+]]: i64)
// CHECK-NEXT:    params [BM in [16] = 16]
// CHECK-NEXT:    grid (%[[B]] * %[[H]], cdiv(%[[T]], %[[C]]) * cdiv(%[[T]], BM), %[[T]] / (%[[C]] + 1) + %[[T]] mod %[[C]]) {
// GENERIC: grid = affine_map<()[s0, s1, s2, s3, s4] -> (s0 * s1, (s2 ceildiv s3) * (s2 ceildiv s4), s2 floordiv (s3 + 1) + s2 mod s3)>
tile.kernel @grid_products(%B: i64, %H: i64, %T: i64, %C: i64)
    params [BM in [16] = 16]
    grid (%B * %H, cdiv(%T, %C) * cdiv(%T, BM), %T / (%C + 1) + %T mod %C) {
}

// -----

// Every buffer element type and access mode.
// CHECK-LABEL: tile.kernel @buffers(
// CHECK-SAME:    %[[ARG0:[a-zA-Z0-9_]+]]: !tile.buffer<f32, read>, %[[ARG1:[a-zA-Z0-9_]+]]: !tile.buffer<f32, write>, %[[ARG2:[a-zA-Z0-9_]+]]: !tile.buffer<f32, readwrite>,
// CHECK-SAME:    %[[ARG3:[a-zA-Z0-9_]+]]: !tile.buffer<f16, read>, %[[ARG4:[a-zA-Z0-9_]+]]: !tile.buffer<bf16, readwrite>,
// CHECK-SAME:    %[[ARG5:[a-zA-Z0-9_]+]]: !tile.buffer<i32, write>, %[[ARG6:[a-zA-Z0-9_]+]]: !tile.buffer<i64, read>, %[[ARG7:[a-zA-Z0-9_]+]]: i32, %[[ARG8:[a-zA-Z0-9_]+]]: i64)
// CHECK-NEXT:    grid (%[[ARG8]]) {
tile.kernel @buffers(%a: !tile.buffer<f32, read>, %b: !tile.buffer<f32, write>,
                     %c: !tile.buffer<f32, readwrite>, %d: !tile.buffer<f16, read>,
                     %e: !tile.buffer<bf16, readwrite>, %f: !tile.buffer<i32, write>,
                     %g: !tile.buffer<i64, read>, %n: i32, %m: i64)
    grid (%m) {
}

// -----

// A kernel carries extra attributes after `attributes`.
// CHECK-LABEL: tile.kernel @with_attrs(
// CHECK-SAME:    %[[ARG0:[a-zA-Z0-9_]+]]: i64)
// CHECK-NEXT:    params [BM in [16] = 16]
// CHECK-NEXT:    grid (%[[ARG0]]) attributes {tile.config = {BM = 16 : i64}, tile.note = "kept"} {
tile.kernel @with_attrs(%n: i64) params [BM in [16] = 16] grid (%n) attributes {tile.config = {BM = 16 : i64}, tile.note = "kept"} {
}

//===----------------------------------------------------------------------===//
// Program ids, parameters, ranges, splats, broadcasts
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: tile.kernel @program_ids_and_params(
// CHECK:         %[[X:.*]] = program_id 0
// CHECK-NEXT:    %[[Y:.*]] = program_id 1
// CHECK-NEXT:    %[[Z:.*]] = program_id 2
// CHECK-NEXT:    %[[BM:.*]] = param BM
// CHECK-NEXT:    %[[NW:.*]] = param num_warps
// CHECK-NEXT:    arith.addi %[[X]], %[[Y]] : index
// CHECK-NEXT:    arith.muli %[[Z]], %[[BM]] : index
// CHECK-NEXT:    arith.addi %{{.*}}, %[[NW]] : index
// GENERIC-LABEL: sym_name = "program_ids_and_params"
// GENERIC:         "tile.program_id"() <{axis = 0 : i64}> : () -> index
// GENERIC:         "tile.param"() <{name = "BM"}> : () -> index
tile.kernel @program_ids_and_params(%n: i64)
    params [BM in [16, 32] = 16, num_warps in [4] = 4]
    grid (%n, 2, 3) {
  %x = tile.program_id 0
  %y = tile.program_id 1
  %z = tile.program_id 2
  %bm = tile.param BM
  %nw = tile.param num_warps
  %0 = arith.addi %x, %y : index
  %1 = arith.muli %z, %bm : index
  %2 = arith.addi %1, %nw : index
}

// -----

// Ranges of every integer element type, symbolic and static.
// CHECK-LABEL: tile.kernel @ranges(
// CHECK:         range : tensor<?xi32, #tile.dims<BM>>
// CHECK-NEXT:    range : tensor<?xi64, #tile.dims<BM>>
// CHECK-NEXT:    range : tensor<?xindex, #tile.dims<BM>>
// CHECK-NEXT:    range : tensor<16xi32>
tile.kernel @ranges(%n: i64) params [BM in [16, 32] = 16] grid (%n) {
  %0 = tile.range : tensor<?xi32, #tile.dims<BM>>
  %1 = tile.range : tensor<?xi64, #tile.dims<BM>>
  %2 = tile.range : tensor<?xindex, #tile.dims<BM>>
  %3 = tile.range : tensor<16xi32>
}

// -----

// Splats of float, integer and index scalars into 1-D, 2-D, mixed and static tiles.
// CHECK-LABEL: tile.kernel @splats(
// CHECK:         %[[F:.*]] = arith.constant 1.500000e+00 : f32
// CHECK-NEXT:    %[[I:.*]] = arith.constant 7 : i32
// CHECK-NEXT:    %[[X:.*]] = program_id 0
// CHECK-NEXT:    splat %[[F]] : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    splat %[[I]] : i32 -> tensor<?xi32, #tile.dims<BN>>
// CHECK-NEXT:    splat %[[X]] : index -> tensor<?x8xindex, #tile.dims<BM>>
// CHECK-NEXT:    splat %[[F]] : f32 -> tensor<4x8xf32>
// GENERIC-LABEL: sym_name = "splats"
// GENERIC:         "tile.splat"(%{{.*}}) : (f32) -> tensor<?x?xf32, #tile.dims<BM, BN>>
tile.kernel @splats(%n: i64) params [BM in [16] = 16, BN in [32] = 32] grid (%n) {
  %f = arith.constant 1.5 : f32
  %i = arith.constant 7 : i32
  %x = tile.program_id 0
  %0 = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %1 = tile.splat %i : i32 -> tensor<?xi32, #tile.dims<BN>>
  %2 = tile.splat %x : index -> tensor<?x8xindex, #tile.dims<BM>>
  %3 = tile.splat %f : f32 -> tensor<4x8xf32>
}

// -----

// Broadcasts: a column (new axis 1), a row (new axis 0), two new axes, static.
// CHECK-LABEL: tile.kernel @broadcasts(
// CHECK:         %[[R:.*]] = range : tensor<?xi32, #tile.dims<BM>>
// CHECK-NEXT:    %[[C:.*]] = range : tensor<?xi32, #tile.dims<BN>>
// CHECK-NEXT:    broadcast %[[R]] [1] : tensor<?xi32, #tile.dims<BM>> -> tensor<?x?xi32, #tile.dims<BM, BN>>
// CHECK-NEXT:    broadcast %[[C]] [0] : tensor<?xi32, #tile.dims<BN>> -> tensor<?x?xi32, #tile.dims<BM, BN>>
// CHECK-NEXT:    broadcast %[[R]] [0, 2] : tensor<?xi32, #tile.dims<BM>> -> tensor<4x?x8xi32, #tile.dims<BM>>
// CHECK-NEXT:    %[[S:.*]] = range : tensor<8xi32>
// CHECK-NEXT:    broadcast %[[S]] [1] : tensor<8xi32> -> tensor<8x2xi32>
// GENERIC-LABEL: sym_name = "broadcasts"
// GENERIC:         "tile.broadcast"(%{{.*}}) <{new_axes = array<i64: 1>}>
tile.kernel @broadcasts(%n: i64) params [BM in [16] = 16, BN in [32] = 32] grid (%n) {
  %r = tile.range : tensor<?xi32, #tile.dims<BM>>
  %c = tile.range : tensor<?xi32, #tile.dims<BN>>
  %0 = tile.broadcast %r [1] : tensor<?xi32, #tile.dims<BM>> -> tensor<?x?xi32, #tile.dims<BM, BN>>
  %1 = tile.broadcast %c [0] : tensor<?xi32, #tile.dims<BN>> -> tensor<?x?xi32, #tile.dims<BM, BN>>
  %2 = tile.broadcast %r [0, 2] : tensor<?xi32, #tile.dims<BM>> -> tensor<4x?x8xi32, #tile.dims<BM>>
  %s = tile.range : tensor<8xi32>
  %3 = tile.broadcast %s [1] : tensor<8xi32> -> tensor<8x2xi32>
}

//===----------------------------------------------------------------------===//
// Loads and stores
//===----------------------------------------------------------------------===//

// -----

// Loads: plain 1-D, with bounds, with a mask, with a mask and `other`, with
// bounds, mask and `other`; integer and half-precision buffers.
// CHECK-LABEL: tile.kernel @loads(
// CHECK-SAME:    %[[A:[^:]*]]: !tile.buffer<f32, read>, %[[B:[^:]*]]: !tile.buffer<f32, readwrite>, %[[C:[^:]*]]: !tile.buffer<i32, read>, %[[D:[^:]*]]: !tile.buffer<bf16, read>
// CHECK:         %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT:    %[[N:.*]] = arith.constant 100 : index
// CHECK-NEXT:    %[[M:.*]] = arith.constant dense<true> : tensor<16x32xi1>
// CHECK-NEXT:    %[[TRUE:.*]] = arith.constant true
// CHECK-NEXT:    %[[MS:.*]] = splat %[[TRUE]] : i1 -> tensor<?x?xi1, #tile.dims<BM, BN>>
// CHECK-NEXT:    load %[[A]][%[[C0]]] at(%[[C1]]) strides(%[[C1]]) : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BM>>
// CHECK-NEXT:    load %[[A]][%[[C0]]] at(%[[C0]], %[[C1]]) strides(%[[N]], %[[C1]]) bounds(%[[N]], %[[N]]) : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    load %[[B]][%[[C1]]] at(%[[C0]], %[[C0]]) strides(%[[N]], %[[C1]]) mask %[[M]] : tensor<16x32xi1> : !tile.buffer<f32, readwrite> -> tensor<16x32xf32>
// CHECK-NEXT:    load %[[A]][%[[C0]]] at(%[[C0]], %[[C0]]) strides(%[[N]], %[[C1]]) mask %[[MS]] : tensor<?x?xi1, #tile.dims<BM, BN>> other 0xFF800000 : f32 : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    load %[[C]][%[[C0]]] at(%[[C0]], %[[C0]]) strides(%[[N]], %[[C1]]) bounds(%[[N]], %[[N]]) mask %[[MS]] : tensor<?x?xi1, #tile.dims<BM, BN>> other -1 : i32 : !tile.buffer<i32, read> -> tensor<?x?xi32, #tile.dims<BM, BN>>
// CHECK-NEXT:    load %[[D]][%[[C0]]] at(%[[C0]]) strides(%[[C1]]) bounds(%[[N]]) other 0.000000e+00 : bf16 : !tile.buffer<bf16, read> -> tensor<?xbf16, #tile.dims<BN>>
// GENERIC-LABEL: sym_name = "loads"
// GENERIC:         "tile.load"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0>}>
// GENERIC:         "tile.load"(%{{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 2, 2, 2, 0>}>
// GENERIC:         "tile.load"(%{{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 2, 2, 0, 1>}>
// GENERIC:         "tile.load"(%{{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 2, 2, 0, 1>, other = 0xFF800000 : f32}>
// GENERIC:         "tile.load"(%{{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 2, 2, 2, 1>, other = -1 : i32}>
// GENERIC:         "tile.load"(%{{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0>, other = 0.000000e+00 : bf16}>
tile.kernel @loads(%a: !tile.buffer<f32, read>, %b: !tile.buffer<f32, readwrite>,
                   %c: !tile.buffer<i32, read>, %d: !tile.buffer<bf16, read>, %n: i64)
    params [BM in [16] = 16, BN in [32] = 32] grid (%n) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %mask = arith.constant dense<true> : tensor<16x32xi1>
  %true = arith.constant true
  %smask = tile.splat %true : i1 -> tensor<?x?xi1, #tile.dims<BM, BN>>
  %0 = tile.load %a[%c0] at (%c1) strides (%c1)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BM>>
  %1 = tile.load %a[%c0] at (%c0, %c1) strides (%c100, %c1) bounds (%c100, %c100)
      : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %2 = tile.load %b[%c1] at (%c0, %c0) strides (%c100, %c1) mask %mask : tensor<16x32xi1>
      : !tile.buffer<f32, readwrite> -> tensor<16x32xf32>
  %3 = tile.load %a[%c0] at (%c0, %c0) strides (%c100, %c1)
      mask %smask : tensor<?x?xi1, #tile.dims<BM, BN>> other 0xFF800000 : f32
      : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %4 = tile.load %c[%c0] at (%c0, %c0) strides (%c100, %c1) bounds (%c100, %c100)
      mask %smask : tensor<?x?xi1, #tile.dims<BM, BN>> other -1 : i32
      : !tile.buffer<i32, read> -> tensor<?x?xi32, #tile.dims<BM, BN>>
  %5 = tile.load %d[%c0] at (%c0) strides (%c1) bounds (%c100) other 0.0 : bf16
      : !tile.buffer<bf16, read> -> tensor<?xbf16, #tile.dims<BN>>
}

// -----

// Stores: plain, with bounds, with a mask, with both; i64 and f16 buffers.
// CHECK-LABEL: tile.kernel @stores(
// CHECK-SAME:    %[[O:[^:]*]]: !tile.buffer<f32, write>, %[[RW:[^:]*]]: !tile.buffer<f16, readwrite>, %[[I:[^:]*]]: !tile.buffer<i64, write>
// CHECK:         %[[TRUE:.*]] = arith.constant true
// CHECK-NEXT:    %[[T:.*]] = splat %{{.*}} : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    %[[H:.*]] = splat %{{.*}} : f16 -> tensor<?xf16, #tile.dims<BM>>
// CHECK-NEXT:    %[[L:.*]] = splat %{{.*}} : i64 -> tensor<8xi64>
// CHECK-NEXT:    %[[M:.*]] = splat %[[TRUE]] : i1 -> tensor<?x?xi1, #tile.dims<BM, BN>>
// CHECK-NEXT:    %[[M1:.*]] = splat %[[TRUE]] : i1 -> tensor<?xi1, #tile.dims<BM>>
// CHECK-NEXT:    store %[[T]], %[[O]][%[[C0:.*]]] at(%[[C0]], %[[C1:.*]]) strides(%[[N:.*]], %[[C1]]) : tensor<?x?xf32, #tile.dims<BM, BN>>, !tile.buffer<f32, write>
// CHECK-NEXT:    store %[[T]], %[[O]][%[[C0]]] at(%[[C0]], %[[C0]]) strides(%[[N]], %[[C1]]) bounds(%[[N]], %[[N]]) : tensor<?x?xf32, #tile.dims<BM, BN>>, !tile.buffer<f32, write>
// CHECK-NEXT:    store %[[T]], %[[O]][%[[C0]]] at(%[[C0]], %[[C0]]) strides(%[[N]], %[[C1]]) mask %[[M]] : tensor<?x?xi1, #tile.dims<BM, BN>> : tensor<?x?xf32, #tile.dims<BM, BN>>, !tile.buffer<f32, write>
// CHECK-NEXT:    store %[[H]], %[[RW]][%[[C1]]] at(%[[C0]]) strides(%[[C1]]) bounds(%[[N]]) mask %[[M1]] : tensor<?xi1, #tile.dims<BM>> : tensor<?xf16, #tile.dims<BM>>, !tile.buffer<f16, readwrite>
// CHECK-NEXT:    store %[[L]], %[[I]][%[[C0]]] at(%[[C0]]) strides(%[[C1]]) : tensor<8xi64>, !tile.buffer<i64, write>
// GENERIC-LABEL: sym_name = "stores"
// GENERIC:         "tile.store"({{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 1, 2, 2, 0, 0>}>
// GENERIC:         "tile.store"({{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 1, 2, 2, 2, 0>}>
// GENERIC:         "tile.store"({{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 1, 2, 2, 0, 1>}>
// GENERIC:         "tile.store"({{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1, 1>}>
tile.kernel @stores(%o: !tile.buffer<f32, write>, %rw: !tile.buffer<f16, readwrite>,
                    %i: !tile.buffer<i64, write>, %n: i64)
    params [BM in [16] = 16, BN in [32] = 32] grid (%n) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %f = arith.constant 2.0 : f32
  %h = arith.constant 2.0 : f16
  %l = arith.constant 2 : i64
  %true = arith.constant true
  %t = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %th = tile.splat %h : f16 -> tensor<?xf16, #tile.dims<BM>>
  %tl = tile.splat %l : i64 -> tensor<8xi64>
  %m = tile.splat %true : i1 -> tensor<?x?xi1, #tile.dims<BM, BN>>
  %m1 = tile.splat %true : i1 -> tensor<?xi1, #tile.dims<BM>>
  tile.store %t, %o[%c0] at (%c0, %c1) strides (%c100, %c1)
      : tensor<?x?xf32, #tile.dims<BM, BN>>, !tile.buffer<f32, write>
  tile.store %t, %o[%c0] at (%c0, %c0) strides (%c100, %c1) bounds (%c100, %c100)
      : tensor<?x?xf32, #tile.dims<BM, BN>>, !tile.buffer<f32, write>
  tile.store %t, %o[%c0] at (%c0, %c0) strides (%c100, %c1)
      mask %m : tensor<?x?xi1, #tile.dims<BM, BN>>
      : tensor<?x?xf32, #tile.dims<BM, BN>>, !tile.buffer<f32, write>
  tile.store %th, %rw[%c1] at (%c0) strides (%c1) bounds (%c100)
      mask %m1 : tensor<?xi1, #tile.dims<BM>>
      : tensor<?xf16, #tile.dims<BM>>, !tile.buffer<f16, readwrite>
  tile.store %tl, %i[%c0] at (%c0) strides (%c1)
      : tensor<8xi64>, !tile.buffer<i64, write>
}

//===----------------------------------------------------------------------===//
// Compute
//===----------------------------------------------------------------------===//

// -----

// segsum over symbolic and static tiles.
// CHECK-LABEL: tile.kernel @segsum(
// CHECK:         %[[R:.*]] = splat %{{.*}} : f32 -> tensor<?xf32, #tile.dims<BM>>
// CHECK-NEXT:    %[[C:.*]] = splat %{{.*}} : f32 -> tensor<?xf32, #tile.dims<BN>>
// CHECK-NEXT:    segsum %[[R]], %[[C]] at(%[[I:.*]], %[[J:.*]]) : tensor<?xf32, #tile.dims<BM>>, tensor<?xf32, #tile.dims<BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    %[[RS:.*]] = splat %{{.*}} : f32 -> tensor<8xf32>
// CHECK-NEXT:    segsum %[[RS]], %[[C]] at(%[[I]], %[[J]]) : tensor<8xf32>, tensor<?xf32, #tile.dims<BN>> -> tensor<8x?xf32, #tile.dims<BN>>
// GENERIC-LABEL: sym_name = "segsum"
// GENERIC:         "tile.segsum"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (tensor<?xf32, #tile.dims<BM>>, tensor<?xf32, #tile.dims<BN>>, index, index) -> tensor<?x?xf32, #tile.dims<BM, BN>>
tile.kernel @segsum(%n: i64) params [BM in [16] = 16, BN in [32] = 32] grid (%n, %n) {
  %i = tile.program_id 0
  %j = tile.program_id 1
  %f = arith.constant 0.5 : f32
  %rows = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  %cols = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BN>>
  %0 = tile.segsum %rows, %cols at (%i, %j)
      : tensor<?xf32, #tile.dims<BM>>, tensor<?xf32, #tile.dims<BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %rs = tile.splat %f : f32 -> tensor<8xf32>
  %1 = tile.segsum %rs, %cols at (%i, %j)
      : tensor<8xf32>, tensor<?xf32, #tile.dims<BN>> -> tensor<8x?xf32, #tile.dims<BN>>
}

// -----

// exp with and without the clamp; cumsum along each axis.
// CHECK-LABEL: tile.kernel @exp_and_cumsum(
// CHECK:         %[[X:.*]] = splat %{{.*}} : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    %[[XH:.*]] = splat %{{.*}} : f16 -> tensor<8xf16>
// CHECK-NEXT:    %[[E:.*]] = exp %[[X]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    %[[EC:.*]] = exp %[[X]] clamp : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    exp %[[XH]] : tensor<8xf16>
// CHECK-NEXT:    cumsum %[[E]] along 0 : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    cumsum %[[EC]] along 1 : tensor<?x?xf32, #tile.dims<BM, BN>>
// GENERIC-LABEL: sym_name = "exp_and_cumsum"
// GENERIC:         "tile.exp"(%{{.*}}) : (tensor
// GENERIC:         "tile.exp"(%{{.*}}) <{clamp}> : (tensor
// GENERIC:         "tile.cumsum"(%{{.*}}) <{axis = 0 : i64}>
tile.kernel @exp_and_cumsum(%n: i64) params [BM in [16] = 16, BN in [32] = 32] grid (%n) {
  %f = arith.constant 0.5 : f32
  %h = arith.constant 0.5 : f16
  %x = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %xh = tile.splat %h : f16 -> tensor<8xf16>
  %0 = tile.exp %x : tensor<?x?xf32, #tile.dims<BM, BN>>
  %1 = tile.exp %x clamp : tensor<?x?xf32, #tile.dims<BM, BN>>
  %2 = tile.exp %xh : tensor<8xf16>
  %3 = tile.cumsum %0 along 0 : tensor<?x?xf32, #tile.dims<BM, BN>>
  %4 = tile.cumsum %1 along 1 : tensor<?x?xf32, #tile.dims<BM, BN>>
}

// -----

// The activations, on symbolic and static tiles of any float type.
// CHECK-LABEL: tile.kernel @activations(
// CHECK:         %[[X:.*]] = splat %{{.*}} : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    %[[XH:.*]] = splat %{{.*}} : bf16 -> tensor<8xbf16>
// CHECK-NEXT:    softplus %[[X]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    sigmoid %[[X]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    silu %[[X]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    softplus %[[XH]] : tensor<8xbf16>
// GENERIC-LABEL: sym_name = "activations"
// GENERIC:         "tile.softplus"(%{{.*}}) : (tensor
// GENERIC:         "tile.sigmoid"(%{{.*}}) : (tensor
// GENERIC:         "tile.silu"(%{{.*}}) : (tensor
tile.kernel @activations(%n: i64) params [BM in [16] = 16, BN in [32] = 32] grid (%n) {
  %f = arith.constant 0.5 : f32
  %h = arith.constant 0.5 : bf16
  %x = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %xh = tile.splat %h : bf16 -> tensor<8xbf16>
  %0 = tile.softplus %x : tensor<?x?xf32, #tile.dims<BM, BN>>
  %1 = tile.sigmoid %x : tensor<?x?xf32, #tile.dims<BM, BN>>
  %2 = tile.silu %x : tensor<?x?xf32, #tile.dims<BM, BN>>
  %3 = tile.softplus %xh : tensor<8xbf16>
}

// -----

// load_scalar of a float and an integer buffer, at a 64-bit index.
// CHECK-LABEL: tile.kernel @load_scalars(
// CHECK:         load_scalar %{{.*}}[%{{.*}}] : !tile.buffer<f32, read> -> f32
// CHECK-NEXT:    load_scalar %{{.*}}[%{{.*}}] : !tile.buffer<i64, readwrite> -> i64
// GENERIC-LABEL: sym_name = "load_scalars"
// GENERIC:         "tile.load_scalar"(%{{.*}}, %{{.*}}) : (!tile.buffer<f32, read>, index) -> f32
tile.kernel @load_scalars(%a: !tile.buffer<f32, read>, %s: !tile.buffer<i64, readwrite>, %h: i64)
    grid (1) {
  %i = arith.index_cast %h : i64 to index
  %0 = tile.load_scalar %a[%i] : !tile.buffer<f32, read> -> f32
  %1 = tile.load_scalar %s[%i] : !tile.buffer<i64, readwrite> -> i64
}

// -----

// transpose of symbolic, mixed and integer tiles.
// CHECK-LABEL: tile.kernel @transposes(
// CHECK:         transpose %{{.*}} : tensor<?x?xf32, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BN, BK>>
// CHECK-NEXT:    transpose %{{.*}} : tensor<?x8xi32, #tile.dims<BK>> -> tensor<8x?xi32, #tile.dims<BK>>
// GENERIC-LABEL: sym_name = "transposes"
// GENERIC:         "tile.transpose"(%{{.*}}) : (tensor<?x?xf32, #tile.dims<BK, BN>>) -> tensor<?x?xf32, #tile.dims<BN, BK>>
tile.kernel @transposes(%n: i64) params [BK in [16] = 16, BN in [32] = 32] grid (%n) {
  %f = arith.constant 0.5 : f32
  %c = arith.constant 3 : i32
  %b = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BK, BN>>
  %i = tile.splat %c : i32 -> tensor<?x8xi32, #tile.dims<BK>>
  %bt = tile.transpose %b : tensor<?x?xf32, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BN, BK>>
  %it = tile.transpose %i : tensor<?x8xi32, #tile.dims<BK>> -> tensor<8x?xi32, #tile.dims<BK>>
}

// -----

// reduce: sum and max, to a tile and to a scalar.
// CHECK-LABEL: tile.kernel @reduces(
// CHECK:         %[[X:.*]] = splat %{{.*}} : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    %[[X3:.*]] = splat %{{.*}} : f32 -> tensor<4x?x8xf32, #tile.dims<BN>>
// CHECK-NEXT:    %[[S:.*]] = reduce sum %[[X]] along 1 : tensor<?x?xf32, #tile.dims<BM, BN>> -> tensor<?xf32, #tile.dims<BM>>
// CHECK-NEXT:    reduce max %[[X]] along 0 : tensor<?x?xf32, #tile.dims<BM, BN>> -> tensor<?xf32, #tile.dims<BN>>
// CHECK-NEXT:    reduce max %[[S]] along 0 : tensor<?xf32, #tile.dims<BM>> -> f32
// CHECK-NEXT:    reduce sum %[[S]] along 0 : tensor<?xf32, #tile.dims<BM>> -> f32
// CHECK-NEXT:    reduce sum %[[X3]] along 1 : tensor<4x?x8xf32, #tile.dims<BN>> -> tensor<4x8xf32>
// CHECK-NEXT:    reduce min %[[X]] along 1 : tensor<?x?xf32, #tile.dims<BM, BN>> -> tensor<?xf32, #tile.dims<BM>>
// CHECK-NEXT:    reduce prod %[[S]] along 0 : tensor<?xf32, #tile.dims<BM>> -> f32
// GENERIC-LABEL: sym_name = "reduces"
// GENERIC:         "tile.reduce"(%{{.*}}) <{axis = 1 : i64, kind = 0 : i32}>
// GENERIC:         "tile.reduce"(%{{.*}}) <{axis = 0 : i64, kind = 1 : i32}>
// GENERIC:         "tile.reduce"(%{{.*}}) <{axis = 1 : i64, kind = 2 : i32}>
// GENERIC:         "tile.reduce"(%{{.*}}) <{axis = 0 : i64, kind = 3 : i32}>
tile.kernel @reduces(%n: i64) params [BM in [16] = 16, BN in [32] = 32] grid (%n) {
  %f = arith.constant 0.5 : f32
  %x = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %x3 = tile.splat %f : f32 -> tensor<4x?x8xf32, #tile.dims<BN>>
  %0 = tile.reduce sum %x along 1 : tensor<?x?xf32, #tile.dims<BM, BN>> -> tensor<?xf32, #tile.dims<BM>>
  %1 = tile.reduce max %x along 0 : tensor<?x?xf32, #tile.dims<BM, BN>> -> tensor<?xf32, #tile.dims<BN>>
  %2 = tile.reduce max %0 along 0 : tensor<?xf32, #tile.dims<BM>> -> f32
  %3 = tile.reduce sum %0 along 0 : tensor<?xf32, #tile.dims<BM>> -> f32
  %4 = tile.reduce sum %x3 along 1 : tensor<4x?x8xf32, #tile.dims<BN>> -> tensor<4x8xf32>
  %5 = tile.reduce min %x along 1 : tensor<?x?xf32, #tile.dims<BM, BN>> -> tensor<?xf32, #tile.dims<BM>>
  %6 = tile.reduce prod %0 along 0 : tensor<?xf32, #tile.dims<BM>> -> f32
}

// -----

// dot with f32, f16 and bf16 operands and an f32 accumulator.
// CHECK-LABEL: tile.kernel @dots(
// CHECK:         %[[ACC:.*]] = splat %{{.*}} : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK:         dot %{{.*}}, %{{.*}}, %[[ACC]] : tensor<?x?xf32, #tile.dims<BM, BK>>, tensor<?x?xf32, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    dot %{{.*}}, %{{.*}}, %[[ACC]] : tensor<?x?xf16, #tile.dims<BM, BK>>, tensor<?x?xf16, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    dot %{{.*}}, %{{.*}}, %[[ACC]] : tensor<?x?xbf16, #tile.dims<BM, BK>>, tensor<?x?xbf16, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    dot %{{.*}}, %{{.*}}, %{{.*}} : tensor<16x?xf16, #tile.dims<BK>>, tensor<?x8xf16, #tile.dims<BK>> -> tensor<16x8xf32>
// CHECK-NEXT:    dot %{{.*}}, %{{.*}}, %[[ACC]] precision tf32 : tensor<?x?xf32
// CHECK-NEXT:    dot %{{.*}}, %{{.*}}, %[[ACC]] precision tf32x3 : tensor<?x?xf32
// CHECK-NEXT:    dot %{{.*}}, %{{.*}}, %[[ACC]] : tensor<?x?xf32
// GENERIC-LABEL: sym_name = "dots"
// GENERIC:         "tile.dot"(%{{.*}}, %{{.*}}, %{{.*}}) <{input_precision = 0 : i32}> : (tensor<?x?xf32, #tile.dims<BM, BK>>, tensor<?x?xf32, #tile.dims<BK, BN>>, tensor<?x?xf32, #tile.dims<BM, BN>>) -> tensor<?x?xf32, #tile.dims<BM, BN>>
tile.kernel @dots(%n: i64)
    params [BM in [16] = 16, BN in [32] = 32, BK in [16, 32] = 16] grid (%n) {
  %f = arith.constant 0.5 : f32
  %h = arith.constant 0.5 : f16
  %b = arith.constant 0.5 : bf16
  %acc = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %a32 = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BK>>
  %b32 = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BK, BN>>
  %a16 = tile.splat %h : f16 -> tensor<?x?xf16, #tile.dims<BM, BK>>
  %b16 = tile.splat %h : f16 -> tensor<?x?xf16, #tile.dims<BK, BN>>
  %abf = tile.splat %b : bf16 -> tensor<?x?xbf16, #tile.dims<BM, BK>>
  %bbf = tile.splat %b : bf16 -> tensor<?x?xbf16, #tile.dims<BK, BN>>
  %as = tile.splat %h : f16 -> tensor<16x?xf16, #tile.dims<BK>>
  %bs = tile.splat %h : f16 -> tensor<?x8xf16, #tile.dims<BK>>
  %accs = tile.splat %f : f32 -> tensor<16x8xf32>
  %0 = tile.dot %a32, %b32, %acc : tensor<?x?xf32, #tile.dims<BM, BK>>, tensor<?x?xf32, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %1 = tile.dot %a16, %b16, %acc : tensor<?x?xf16, #tile.dims<BM, BK>>, tensor<?x?xf16, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %2 = tile.dot %abf, %bbf, %acc : tensor<?x?xbf16, #tile.dims<BM, BK>>, tensor<?x?xbf16, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %3 = tile.dot %as, %bs, %accs : tensor<16x?xf16, #tile.dims<BK>>, tensor<?x8xf16, #tile.dims<BK>> -> tensor<16x8xf32>
  %4 = tile.dot %a32, %b32, %acc precision tf32 : tensor<?x?xf32, #tile.dims<BM, BK>>, tensor<?x?xf32, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %5 = tile.dot %a32, %b32, %acc precision tf32x3 : tensor<?x?xf32, #tile.dims<BM, BK>>, tensor<?x?xf32, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %6 = tile.dot %a32, %b32, %acc precision ieee : tensor<?x?xf32, #tile.dims<BM, BK>>, tensor<?x?xf32, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
}

//===----------------------------------------------------------------------===//
// Upstream scf, arith and math on tiles
//===----------------------------------------------------------------------===//

// -----

// An scf.for loop that carries an accumulator tile and a scalar through
// iter_args, loading and dotting in its body.
// CHECK-LABEL: tile.kernel @scf_for_over_tiles(
// CHECK:         %[[INIT:.*]] = splat %{{.*}} : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK:         %[[RES:.*]]:2 = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]], %[[M:.*]] = %{{.*}}) -> (tensor<?x?xf32, #tile.dims<BM, BN>>, f32) {
// CHECK:           %[[A:.*]] = tile.load %{{.*}} at(%{{.*}}, %[[K]]) strides(%{{.*}}) : !tile.buffer<f16, read> -> tensor<?x?xf16, #tile.dims<BM, BK>>
// CHECK:           %[[D:.*]] = tile.dot %[[A]], %{{.*}}, %[[ACC]] :
// CHECK:           %[[MX:.*]] = tile.reduce max %{{.*}} along 0 : tensor<?xf32, #tile.dims<BM>> -> f32
// CHECK:           %[[M2:.*]] = arith.maximumf %[[M]], %[[MX]] : f32
// CHECK:           scf.yield %[[D]], %[[M2]] : tensor<?x?xf32, #tile.dims<BM, BN>>, f32
// CHECK:         }
// CHECK:         store %[[RES]]#0, {{.*}} : tensor<?x?xf32, #tile.dims<BM, BN>>, !tile.buffer<f32, write>
tile.kernel @scf_for_over_tiles(%a: !tile.buffer<f16, read>, %b: !tile.buffer<f16, read>,
                                %c: !tile.buffer<f32, write>, %K: i64)
    params [BM in [16] = 16, BN in [32] = 32, BK in [16, 32] = 16] grid (1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %k = arith.index_cast %K : i64 to index
  %bk = tile.param BK
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %init = tile.splat %zero : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %res:2 = scf.for %kk = %c0 to %k step %bk iter_args(%acc = %init, %m = %ninf)
      -> (tensor<?x?xf32, #tile.dims<BM, BN>>, f32) {
    %ta = tile.load %a[%c0] at (%c0, %kk) strides (%k, %c1)
        : !tile.buffer<f16, read> -> tensor<?x?xf16, #tile.dims<BM, BK>>
    %tb = tile.load %b[%c0] at (%kk, %c0) strides (%c1, %k)
        : !tile.buffer<f16, read> -> tensor<?x?xf16, #tile.dims<BK, BN>>
    %d = tile.dot %ta, %tb, %acc : tensor<?x?xf16, #tile.dims<BM, BK>>, tensor<?x?xf16, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
    %row = tile.reduce max %d along 1 : tensor<?x?xf32, #tile.dims<BM, BN>> -> tensor<?xf32, #tile.dims<BM>>
    %mx = tile.reduce max %row along 0 : tensor<?xf32, #tile.dims<BM>> -> f32
    %m2 = arith.maximumf %m, %mx : f32
    scf.yield %d, %m2 : tensor<?x?xf32, #tile.dims<BM, BN>>, f32
  }
  tile.store %res#0, %c[%c0] at (%c0, %c0) strides (%c1, %c1)
      : tensor<?x?xf32, #tile.dims<BM, BN>>, !tile.buffer<f32, write>
}

// -----

// scf.if yielding tiles.
// CHECK-LABEL: tile.kernel @scf_if_over_tiles(
// CHECK:         scf.if %{{.*}} -> (tensor<?xf32, #tile.dims<BM>>) {
// CHECK:           tile.exp %{{.*}} clamp : tensor<?xf32, #tile.dims<BM>>
// CHECK:           scf.yield %{{.*}} : tensor<?xf32, #tile.dims<BM>>
// CHECK:         } else {
// CHECK:           scf.yield %{{.*}} : tensor<?xf32, #tile.dims<BM>>
tile.kernel @scf_if_over_tiles(%n: i64) params [BM in [16] = 16] grid (%n) {
  %pid = tile.program_id 0
  %c0 = arith.constant 0 : index
  %is_first = arith.cmpi eq, %pid, %c0 : index
  %f = arith.constant 0.5 : f32
  %x = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  %y = scf.if %is_first -> (tensor<?xf32, #tile.dims<BM>>) {
    %e = tile.exp %x clamp : tensor<?xf32, #tile.dims<BM>>
    scf.yield %e : tensor<?xf32, #tile.dims<BM>>
  } else {
    scf.yield %x : tensor<?xf32, #tile.dims<BM>>
  }
}

// -----

// The upstream elementwise ops the dialect supports on tiles (tile.exp is the
// exponential; see the dialect description).
// CHECK-LABEL: tile.kernel @arith_math_on_tiles(
// CHECK:         arith.addf %[[X:.*]], %[[Y:.*]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.subf %[[X]], %[[Y]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.mulf %[[X]], %[[Y]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.divf %[[X]], %[[Y]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.maximumf %[[X]], %[[Y]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.minimumf %[[X]], %[[Y]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.negf %[[X]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    %[[LT:.*]] = arith.cmpf olt, %[[X]], %[[Y]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.select %[[LT]], %[[X]], %[[Y]] : tensor<?x?xi1, #tile.dims<BM, BN>>, tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.addi %[[I:.*]], %[[J:.*]] : tensor<?x?xi32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.subi %[[I]], %[[J]] : tensor<?x?xi32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.muli %[[I]], %[[J]] : tensor<?x?xi32, #tile.dims<BM, BN>>
// CHECK-NEXT:    %[[GE:.*]] = arith.cmpi sge, %[[I]], %[[J]] : tensor<?x?xi32, #tile.dims<BM, BN>>
// CHECK-NEXT:    %[[NE:.*]] = arith.cmpi ne, %[[I]], %[[J]] : tensor<?x?xi32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.andi %[[GE]], %[[NE]] : tensor<?x?xi1, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.ori %[[GE]], %[[NE]] : tensor<?x?xi1, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.xori %[[GE]], %[[NE]] : tensor<?x?xi1, #tile.dims<BM, BN>>
// CHECK-NEXT:    %[[H:.*]] = arith.truncf %[[X]] : tensor<?x?xf32, #tile.dims<BM, BN>> to tensor<?x?xf16, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.extf %[[H]] : tensor<?x?xf16, #tile.dims<BM, BN>> to tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.sitofp %[[I]] : tensor<?x?xi32, #tile.dims<BM, BN>> to tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    arith.index_cast %[[I]] : tensor<?x?xi32, #tile.dims<BM, BN>> to tensor<?x?xindex, #tile.dims<BM, BN>>
// CHECK-NEXT:    math.log %[[X]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    math.tanh %[[X]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    math.sqrt %[[X]] : tensor<?x?xf32, #tile.dims<BM, BN>>
// CHECK-NEXT:    math.log1p %[[X]] : tensor<?x?xf32, #tile.dims<BM, BN>>
tile.kernel @arith_math_on_tiles(%n: i64) params [BM in [16] = 16, BN in [32] = 32] grid (%n) {
  %f = arith.constant 0.5 : f32
  %g = arith.constant 2.0 : f32
  %c3 = arith.constant 3 : i32
  %x = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %y = tile.splat %g : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %r = tile.range : tensor<?xi32, #tile.dims<BM>>
  %i = tile.broadcast %r [1] : tensor<?xi32, #tile.dims<BM>> -> tensor<?x?xi32, #tile.dims<BM, BN>>
  %j = tile.splat %c3 : i32 -> tensor<?x?xi32, #tile.dims<BM, BN>>
  %0 = arith.addf %x, %y : tensor<?x?xf32, #tile.dims<BM, BN>>
  %1 = arith.subf %x, %y : tensor<?x?xf32, #tile.dims<BM, BN>>
  %2 = arith.mulf %x, %y : tensor<?x?xf32, #tile.dims<BM, BN>>
  %3 = arith.divf %x, %y : tensor<?x?xf32, #tile.dims<BM, BN>>
  %4 = arith.maximumf %x, %y : tensor<?x?xf32, #tile.dims<BM, BN>>
  %5 = arith.minimumf %x, %y : tensor<?x?xf32, #tile.dims<BM, BN>>
  %6 = arith.negf %x : tensor<?x?xf32, #tile.dims<BM, BN>>
  %lt = arith.cmpf olt, %x, %y : tensor<?x?xf32, #tile.dims<BM, BN>>
  %7 = arith.select %lt, %x, %y : tensor<?x?xi1, #tile.dims<BM, BN>>, tensor<?x?xf32, #tile.dims<BM, BN>>
  %8 = arith.addi %i, %j : tensor<?x?xi32, #tile.dims<BM, BN>>
  %9 = arith.subi %i, %j : tensor<?x?xi32, #tile.dims<BM, BN>>
  %10 = arith.muli %i, %j : tensor<?x?xi32, #tile.dims<BM, BN>>
  %ge = arith.cmpi sge, %i, %j : tensor<?x?xi32, #tile.dims<BM, BN>>
  %ne = arith.cmpi ne, %i, %j : tensor<?x?xi32, #tile.dims<BM, BN>>
  %11 = arith.andi %ge, %ne : tensor<?x?xi1, #tile.dims<BM, BN>>
  %12 = arith.ori %ge, %ne : tensor<?x?xi1, #tile.dims<BM, BN>>
  %13 = arith.xori %ge, %ne : tensor<?x?xi1, #tile.dims<BM, BN>>
  %h = arith.truncf %x : tensor<?x?xf32, #tile.dims<BM, BN>> to tensor<?x?xf16, #tile.dims<BM, BN>>
  %14 = arith.extf %h : tensor<?x?xf16, #tile.dims<BM, BN>> to tensor<?x?xf32, #tile.dims<BM, BN>>
  %15 = arith.sitofp %i : tensor<?x?xi32, #tile.dims<BM, BN>> to tensor<?x?xf32, #tile.dims<BM, BN>>
  %16 = arith.index_cast %i : tensor<?x?xi32, #tile.dims<BM, BN>> to tensor<?x?xindex, #tile.dims<BM, BN>>
  %17 = math.log %x : tensor<?x?xf32, #tile.dims<BM, BN>>
  %18 = math.tanh %x : tensor<?x?xf32, #tile.dims<BM, BN>>
  %19 = math.sqrt %x : tensor<?x?xf32, #tile.dims<BM, BN>>
  %20 = math.log1p %x : tensor<?x?xf32, #tile.dims<BM, BN>>
}

// -----

// A specialized kernel (what tile-specialize produces): static tiles only.
// CHECK-LABEL: tile.kernel @specialized__BM_16(
// CHECK-SAME:    %[[ARG0:[a-zA-Z0-9_]+]]: !tile.buffer<f32, read>, %[[ARG1:[a-zA-Z0-9_]+]]: i64)
// CHECK-NEXT:    params [BM in [16, 32] = 16]
// CHECK-NEXT:    grid (cdiv(%[[ARG1]], BM)) attributes {tile.config = {BM = 16 : i64}} {
// CHECK:         load %[[ARG0]]{{.*}} : !tile.buffer<f32, read> -> tensor<16xf32>
tile.kernel @specialized__BM_16(%a: !tile.buffer<f32, read>, %n: i64)
    params [BM in [16, 32] = 16]
    grid (cdiv(%n, BM)) attributes {tile.config = {BM = 16 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = tile.load %a[%c0] at (%c0) strides (%c1) : !tile.buffer<f32, read> -> tensor<16xf32>
}
