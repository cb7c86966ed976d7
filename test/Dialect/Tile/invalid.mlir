// Every verifier rule and parse error of the tile dialect, one case each, with
// the message it gives.
// RUN: ssdc-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// Types and attributes
//===----------------------------------------------------------------------===//

// expected-error@+1 {{buffer element type must be one of f32, f16, bf16, i32, i64, got 'f64'}}
tile.kernel @buffer_f64(%a: !tile.buffer<f64, read>) grid (1) {
}

// -----

// expected-error@+1 {{buffer element type must be one of f32, f16, bf16, i32, i64, got 'i8'}}
tile.kernel @buffer_i8(%a: !tile.buffer<i8, write>) grid (1) {
}

// -----

// expected-error@+1 {{expected read, write or readwrite, got 'readonly'}}
tile.kernel @buffer_bad_access(%a: !tile.buffer<f32, readonly>) grid (1) {
}

// -----

tile.kernel @dims_too_many(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  // expected-error@+1 {{#tile.dims names 2 dimension(s) but the tile has 1 dynamic dimension(s); name each `?` dimension once}}
  %r = tile.range : tensor<?xi32, #tile.dims<BM, BN>>
}

// -----

tile.kernel @dims_on_static(%n: i64) params [BM in [16] = 16] grid (%n) {
  // expected-error@+1 {{#tile.dims names 1 dimension(s) but the tile has 0 dynamic dimension(s)}}
  %r = tile.range : tensor<16xi32, #tile.dims<BM>>
}

// -----

tile.kernel @dims_not_a_name(%n: i64) params [BM in [16] = 16] grid (%n) {
  // expected-error@+1 {{expected valid keyword or string}}
  %r = tile.range : tensor<?xi32, #tile.dims<16>>
}

// -----

tile.kernel @unnamed_dynamic_dim(%n: i64) params [BM in [16] = 16] grid (%n) {
  // expected-error@+1 {{'tile.range' op tile 'tensor<?xi32>' has a dynamic dimension 0 that no #tile.dims parameter names}}
  %r = tile.range : tensor<?xi32>
}

// -----

tile.kernel @dims_undeclared_param(%n: i64) params [BM in [16] = 16] grid (%n) {
  // expected-error@+1 {{'tile.range' op tile 'tensor<?xi32, #tile.dims<BK>>' names 'BK', which is not a declared parameter of @dims_undeclared_param}}
  %r = tile.range : tensor<?xi32, #tile.dims<BK>>
}

//===----------------------------------------------------------------------===//
// Kernel signature
//===----------------------------------------------------------------------===//

// -----

// expected-error@+1 {{argument 1 has type 'f64'; kernel arguments are !tile.buffer<...>, i32, i64, f32, f16 or bf16}}
tile.kernel @scalar_f64(%n: i64, %x: f64) grid (%n) {
}

// -----

// expected-error@+1 {{argument 0 has type 'index'; kernel arguments are !tile.buffer<...>, i32, i64, f32, f16 or bf16}}
tile.kernel @scalar_index(%n: index) grid (1) {
}

// -----

// expected-error@+1 {{argument 0 has type 'i16'}}
tile.kernel @scalar_i16(%n: i16) grid (1) {
}

// -----

// expected-error@+1 {{a kernel returns nothing; it writes its results into buffers}}
tile.kernel @returns_value(%n: i64) -> i64 grid (%n) {
}

// -----

// The generic form can state results; the verifier rejects them too.
// expected-error@+1 {{'tile.kernel' op a kernel returns nothing; it writes its results into buffers}}
"tile.kernel"() <{function_type = (i64) -> i64, grid = affine_map<()[s0] -> (s0)>, key = array<i64>, params = [], sym_name = "returns_value_generic"}> ({
^bb0(%n: i64):
  "tile.return"() : () -> ()
}) : () -> ()

// -----

// expected-error@+1 {{'tile.kernel' op entry block must have 1 arguments to match function signature}}
"tile.kernel"() <{function_type = (i64) -> (), grid = affine_map<()[s0] -> (s0)>, key = array<i64>, params = [], sym_name = "body_args"}> ({
^bb0(%n: i64, %m: i64):
  "tile.return"() : () -> ()
}) : () -> ()

//===----------------------------------------------------------------------===//
// Tuning parameters
//===----------------------------------------------------------------------===//

// -----

// expected-error@+1 {{parameter 'BM' is declared twice}}
tile.kernel @param_twice(%n: i64) params [BM in [16] = 16, BM in [32] = 32] grid (%n) {
}

// -----

// expected-error@+1 {{parameter 'BM' has no candidate values}}
tile.kernel @param_no_candidates(%n: i64) params [BM in [] = 16] grid (%n) {
}

// -----

// expected-error@+1 {{parameter 'BM' defaults to 48, which is not one of its candidates}}
tile.kernel @param_default_not_candidate(%n: i64) params [BM in [16, 32, 64] = 48] grid (%n) {
}

// -----

// expected-error@+1 {{parameter 'BM' has candidate 0; candidates must be positive}}
tile.kernel @param_zero(%n: i64) params [BM in [0, 16] = 16] grid (%n) {
}

// -----

// expected-error@+1 {{parameter 'num_stages' has candidate -1; candidates must be positive}}
tile.kernel @param_negative(%n: i64) params [num_stages in [-1, 2] = 2] grid (%n) {
}

// -----

// expected-error@+1 {{parameter 'BM' lists candidate 32 twice}}
tile.kernel @param_duplicate_candidate(%n: i64) params [BM in [16, 32, 32] = 16] grid (%n) {
}

// -----

// expected-error@+1 {{num_warps candidate 6 is not a power of two}}
tile.kernel @num_warps_not_pow2(%n: i64) params [num_warps in [4, 6] = 4] grid (%n) {
}

// -----

// expected-error@+1 {{num_warps candidate 64 is above 32, the most warps a program has (1024 threads, CUDA's limit per block)}}
tile.kernel @too_many_warps(%n: i64) params [num_warps in [4, 64] = 4] grid (%n) {
}

// -----

// expected-error@+1 {{min_programs_per_sm candidate 33 is above 32, the most programs a multiprocessor holds}}
tile.kernel @too_many_programs(%n: i64) params [min_programs_per_sm in [2, 33] = 2] grid (%n) {
}

// -----

// The size of the tuning space is checked before anything enumerates it.
// expected-error@+1 {{'tile.kernel' op has a tuning space of more than 4096 configs (the product of its parameters' candidate counts); the limit is 4096}}
tile.kernel @huge_space(%n: i64) params [A in [1, 2, 3, 4, 5, 6, 7, 8] = 1, B in [1, 2, 3, 4, 5, 6, 7, 8] = 1, C in [1, 2, 3, 4, 5, 6, 7, 8] = 1, D in [1, 2, 3, 4, 5, 6, 7, 8, 9] = 1] grid (%n) {
}

// -----

// expected-error@+1 {{parameter name 'BLOCK M' is not an identifier ([A-Za-z_][A-Za-z0-9_]*)}}
tile.kernel @param_not_identifier(%n: i64) params ["BLOCK M" in [16] = 16] grid (%n) {
}

// -----

// expected-error@+1 {{parameter name 'cdiv' is reserved: it is an operator of grid expressions}}
tile.kernel @param_reserved(%n: i64) params [cdiv in [16] = 16] grid (%n) {
}

// -----

// expected-error@+1 {{expected 'in'}}
tile.kernel @param_syntax(%n: i64) params [BM = 16] grid (%n) {
}

// -----

// expected-error@+1 {{expected '='}}
tile.kernel @param_no_default(%n: i64) params [BM in [16, 32]] grid (%n) {
}

//===----------------------------------------------------------------------===//
// Key
//===----------------------------------------------------------------------===//

// -----

// expected-error@+1 {{key names argument 0 of type '!tile.buffer<f32, read>'; the key holds integer arguments only}}
tile.kernel @key_buffer(%a: !tile.buffer<f32, read>, %n: i64) key [%a] grid (%n) {
}

// -----

// expected-error@+1 {{key names argument 1 of type 'f32'; the key holds integer arguments only}}
tile.kernel @key_float(%n: i64, %scale: f32) key [%scale] grid (%n) {
}

// -----

// expected-error@+1 {{key names argument 1 twice}}
tile.kernel @key_twice(%m: i32, %n: i64) key [%n, %n] grid (%n) {
}

// -----

// expected-error@+1 {{key names '%x', which is not an argument of the kernel}}
tile.kernel @key_unknown(%n: i64) key [%x] grid (%n) {
}

// -----

// expected-error@+1 {{'tile.kernel' op key names argument 3, but the kernel has 1 arguments}}
"tile.kernel"() <{function_type = (i64) -> (), grid = affine_map<()[s0] -> (s0)>, key = array<i64: 3>, params = [], sym_name = "key_out_of_range"}> ({
^bb0(%n: i64):
  "tile.return"() : () -> ()
}) : () -> ()

//===----------------------------------------------------------------------===//
// Grid
//===----------------------------------------------------------------------===//

// -----

// expected-error@+1 {{expected 'grid'}}
tile.kernel @no_grid(%n: i64) {
}

// -----

// expected-error@+1 {{grid has 0 dimensions; a grid has 1 to 3}}
tile.kernel @grid_0d(%n: i64) grid () {
}

// -----

// expected-error@+1 {{grid has 4 dimensions; a grid has 1 to 3}}
tile.kernel @grid_4d(%n: i64) grid (%n, %n, %n, %n) {
}

// -----

// expected-error@+1 {{grid uses buffer argument 0; grid expressions use integer arguments only}}
tile.kernel @grid_buffer(%a: !tile.buffer<f32, read>, %n: i64) grid (%a) {
}

// -----

// expected-error@+1 {{grid uses 'bf16' argument 1; grid expressions use integer arguments only}}
tile.kernel @grid_float(%n: i64, %scale: bf16) grid (cdiv(%n, 2) * %scale) {
}

// -----

// expected-error@+1 {{grid names '%m', which is not an argument of the kernel}}
tile.kernel @grid_unknown_arg(%n: i64) grid (%m) {
}

// -----

// expected-error@+1 {{grid names 'BLOCK', which is neither an argument nor a declared parameter}}
tile.kernel @grid_unknown_param(%n: i64) params [BM in [16] = 16] grid (cdiv(%n, BLOCK)) {
}

// -----

// expected-error@+1 {{expected an integer, an argument, a parameter, 'cdiv(a, b)' or '(' in the grid expression}}
tile.kernel @grid_bad_token(%n: i64) grid (%n, [) {
}

// -----

// expected-error@+1 {{expected ')'}}
tile.kernel @grid_unbalanced(%n: i64) grid ((%n + 1) {
}

// -----

// expected-error@+1 {{grid expression divides by 0; divisors must be positive}}
tile.kernel @grid_div_by_zero(%t: i64) grid (%t / 0) {
}

// -----

// expected-error@+1 {{grid expression divides by -2; divisors must be positive}}
tile.kernel @grid_cdiv_by_negative(%t: i64) grid (cdiv(%t, -2)) {
}

// -----

// Nesting is limited (GridExpr.h: kMaxGridNesting); the 33rd '(' is the error.
// expected-error@+1 {{grid expression nests parentheses and cdiv deeper than 32 levels (the limit)}}
tile.kernel @grid_too_deep(%n: i64) grid ((((((((((((((((((((((((((((((((((%n)))))))))))))))))))))))))))))))))) {
}

// -----

// Constants are combined with checked 64-bit arithmetic.
// expected-error@+1 {{grid expression overflows 64 bits: 4611686018427387904 * 4}}
tile.kernel @grid_constant_overflow(%n: i64) grid (4611686018427387904 * 4) {
}

// -----

// expected-error@+1 {{grid expression overflows 64 bits: 9223372036854775807 + 1}}
tile.kernel @grid_folded_overflow(%n: i64) grid (%n + 9223372036854775807 + 1) {
}

// -----

// expected-error@+1 {{grid expression overflows 64 bits: -9223372036854775808 * -1}}
tile.kernel @grid_negated_overflow(%n: i64) grid (%n - -9223372036854775808) {
}

// -----

// The generic form states the grid as an affine map: the same rules apply.
// expected-error@+1 {{'tile.kernel' op grid dimension 1 divides by 0; divisors must be positive}}
"tile.kernel"() <{function_type = (i64) -> (), grid = affine_map<()[s0] -> (s0, s0 floordiv 0)>, key = array<i64>, params = [], sym_name = "grid_generic_div_by_zero"}> ({
^bb0(%n: i64):
  "tile.return"() : () -> ()
}) : () -> ()

// -----

// expected-error@+1 {{'tile.kernel' op grid map must have no dimensions and one symbol per argument (1) then per parameter (0)}}
"tile.kernel"() <{function_type = (i64) -> (), grid = affine_map<()[s0, s1] -> (s0)>, key = array<i64>, params = [], sym_name = "grid_map_dims"}> ({
^bb0(%n: i64):
  "tile.return"() : () -> ()
}) : () -> ()

//===----------------------------------------------------------------------===//
// Program ids and parameters
//===----------------------------------------------------------------------===//

// -----

tile.kernel @program_id_beyond_grid(%n: i64) grid (%n, 4) {
  %x = tile.program_id 1
  // expected-error@+1 {{'tile.program_id' op uses grid axis 2, but the grid of @program_id_beyond_grid has 2 dimension(s)}}
  %z = tile.program_id 2
}

// -----

tile.kernel @program_id_negative(%n: i64) grid (%n) {
  // expected-error@+1 {{attribute 'axis' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  %x = tile.program_id -1
}

// -----

func.func @program_id_outside_kernel() {
  // expected-error@+1 {{'tile.program_id' op must be inside a tile.kernel}}
  %x = tile.program_id 0
  return
}

// -----

tile.kernel @param_undeclared(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  // expected-error@+1 {{'tile.param' op names 'BK', which @param_undeclared does not declare (declared: BM, BN)}}
  %bk = tile.param BK
}

// -----

tile.kernel @param_none_declared(%n: i64) grid (%n) {
  // expected-error@+1 {{'tile.param' op names 'BM', which @param_none_declared does not declare (declared: none)}}
  %bm = tile.param BM
}

// -----

func.func @param_outside_kernel() {
  // expected-error@+1 {{'tile.param' op must be inside a tile.kernel}}
  %x = tile.param BM
  return
}

//===----------------------------------------------------------------------===//
// Ranges, splats and broadcasts
//===----------------------------------------------------------------------===//

// -----

tile.kernel @range_2d(%n: i64) grid (%n) {
  // expected-error@+1 {{'tile.range' op produces a 1-D tile, not one of rank 2}}
  %r = tile.range : tensor<4x4xi32>
}

// -----

tile.kernel @range_i1_wraps(%n: i64) grid (%n) {
  // expected-error@+1 {{'tile.range' op holds 0 .. 31, which 'i1' does not hold (at most 0); use a wider element type}}
  %r = tile.range : tensor<32xi1>
}

// -----

// i0 holds only 0 (the verifier used to shift by its width minus one).
tile.kernel @range_i0(%n: i64) grid (%n) {
  // expected-error@+1 {{'tile.range' op holds 0 .. 31, which 'i0' does not hold (at most 0); use a wider element type}}
  %r = tile.range : tensor<32xi0>
}

// -----

// A symbolic length is checked against the parameter's largest candidate.
tile.kernel @range_i8_param(%n: i64) params [BM in [64, 256] = 64] grid (%n) {
  // expected-error@+1 {{'tile.range' op holds 0 .. 255, which 'i8' does not hold (at most 127); use a wider element type}}
  %r = tile.range : tensor<?xi8, #tile.dims<BM>>
}

// -----

tile.kernel @range_float(%n: i64) grid (%n) {
  // expected-error@+1 {{'tile.range' op result #0 must be ranked tensor of signless integer or index values}}
  %r = tile.range : tensor<4xf32>
}

// -----

tile.kernel @splat_type(%n: i64) params [BM in [16] = 16] grid (%n) {
  %f = arith.constant 1.0 : f32
  // expected-error@+1 {{'tile.splat' op splats a 'f32' into a tile of 'f16'; the element types must match}}
  %t = tile.splat %f : f32 -> tensor<?xf16, #tile.dims<BM>>
}

// -----

tile.kernel @broadcast_shape(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %r = tile.range : tensor<?xi32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.broadcast' op result shape BN x BM without its new axes [1] is BN, but the input has shape BM}}
  %b = tile.broadcast %r [1] : tensor<?xi32, #tile.dims<BM>> -> tensor<?x?xi32, #tile.dims<BN, BM>>
}

// -----

tile.kernel @broadcast_element_type(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %r = tile.range : tensor<?xi32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.broadcast' op input and result element types differ}}
  %b = tile.broadcast %r [1] : tensor<?xi32, #tile.dims<BM>> -> tensor<?x?xi64, #tile.dims<BM, BN>>
}

// -----

tile.kernel @broadcast_axes_order(%n: i64) params [BM in [16] = 16] grid (%n) {
  %r = tile.range : tensor<?xi32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.broadcast' op new axes must be increasing and within the result's rank 3}}
  %b = tile.broadcast %r [2, 0] : tensor<?xi32, #tile.dims<BM>> -> tensor<4x?x8xi32, #tile.dims<BM>>
}

// -----

tile.kernel @broadcast_axis_range(%n: i64) params [BM in [16] = 16] grid (%n) {
  %r = tile.range : tensor<?xi32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.broadcast' op new axes must be increasing and within the result's rank 2}}
  %b = tile.broadcast %r [2] : tensor<?xi32, #tile.dims<BM>> -> tensor<?x4xi32, #tile.dims<BM>>
}

// -----

tile.kernel @broadcast_static_size(%n: i64) grid (%n) {
  %r = tile.range : tensor<8xi32>
  // expected-error@+1 {{'tile.broadcast' op result shape 4 x 16 without its new axes [1] is 4, but the input has shape 8}}
  %b = tile.broadcast %r [1] : tensor<8xi32> -> tensor<4x16xi32>
}

// -----

tile.kernel @transpose_rank(%n: i64) params [BM in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.transpose' op transposes 2-D tiles; the input has rank 1}}
  %t = tile.transpose %x : tensor<?xf32, #tile.dims<BM>> -> tensor<?xf32, #tile.dims<BM>>
}

// -----

tile.kernel @transpose_shape(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  // expected-error@+1 {{'tile.transpose' op result has shape BM x BN; transposing BM x BN gives BN x BM}}
  %t = tile.transpose %x : tensor<?x?xf32, #tile.dims<BM, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
}

// -----

tile.kernel @transpose_element_type(%n: i64) params [BM in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?x8xf32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.transpose' op input and result element types differ}}
  %t = tile.transpose %x : tensor<?x8xf32, #tile.dims<BM>> -> tensor<8x?xf16, #tile.dims<BM>>
}

//===----------------------------------------------------------------------===//
// Loads and stores
//===----------------------------------------------------------------------===//

// -----

tile.kernel @load_scalar_write_only(%o: !tile.buffer<f32, write>) grid (1) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.load_scalar' op loads from a write-only buffer ('!tile.buffer<f32, write>'); declare it readwrite to read it}}
  %a = tile.load_scalar %o[%c0] : !tile.buffer<f32, write> -> f32
}

// -----

tile.kernel @load_scalar_type(%a: !tile.buffer<f32, read>) grid (1) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.load_scalar' op scalar element type 'f16' does not fit the buffer's 'f32'; a scalar holds the buffer's element type, or f32 for an f16 or bf16 buffer}}
  %x = tile.load_scalar %a[%c0] : !tile.buffer<f32, read> -> f16
}

// -----

tile.kernel @load_scalar_tile(%a: !tile.buffer<f32, read>) grid (1) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.load_scalar' op result #0 must be floating-point or signless integer}}
  %x = tile.load_scalar %a[%c0] : !tile.buffer<f32, read> -> tensor<4xf32>
}

// -----

tile.kernel @load_write_only(%o: !tile.buffer<f32, write>, %n: i64) params [BM in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.load' op loads from a write-only buffer ('!tile.buffer<f32, write>'); declare it readwrite to read it}}
  %t = tile.load %o[%c0] at (%c0) strides (%c0) : !tile.buffer<f32, write> -> tensor<?xf32, #tile.dims<BM>>
}

// -----

tile.kernel @store_read_only(%a: !tile.buffer<f32, read>, %n: i64) params [BM in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  %f = arith.constant 0.0 : f32
  %t = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.store' op stores into a read-only buffer ('!tile.buffer<f32, read>'); declare the argument write or readwrite}}
  tile.store %t, %a[%c0] at (%c0) strides (%c0) : tensor<?xf32, #tile.dims<BM>>, !tile.buffer<f32, read>
}

// -----

tile.kernel @load_mask_shape(%a: !tile.buffer<f32, read>, %n: i64)
    params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  %true = arith.constant true
  %m = tile.splat %true : i1 -> tensor<?x?xi1, #tile.dims<BN, BM>>
  // expected-error@+1 {{'tile.load' op the mask has shape BN x BM but the tile has shape BM x BN; they must be equal}}
  %t = tile.load %a[%c0] at (%c0, %c0) strides (%c0, %c0) mask %m : tensor<?x?xi1, #tile.dims<BN, BM>>
      : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BM, BN>>
}

// -----

tile.kernel @store_mask_shape(%o: !tile.buffer<f32, write>, %n: i64)
    params [BM in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  %true = arith.constant true
  %f = arith.constant 0.0 : f32
  %m = tile.splat %true : i1 -> tensor<16xi1>
  %t = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.store' op the mask has shape 16 but the tile has shape BM; they must be equal}}
  tile.store %t, %o[%c0] at (%c0) strides (%c0) mask %m : tensor<16xi1> : tensor<?xf32, #tile.dims<BM>>, !tile.buffer<f32, write>
}

// -----

tile.kernel @load_mask_element_type(%a: !tile.buffer<f32, read>, %n: i64) grid (%n) {
  %c0 = arith.constant 0 : index
  %m = tile.range : tensor<16xi32>
  // expected-error@+1 {{'tile.load' op operand #4 must be ranked tensor of 1-bit signless integer values, but got 'tensor<16xi32>'}}
  %t = tile.load %a[%c0] at (%c0) strides (%c0) mask %m : tensor<16xi32> : !tile.buffer<f32, read> -> tensor<16xf32>
}

// -----

tile.kernel @load_element_type(%a: !tile.buffer<bf16, read>, %n: i64) params [BM in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.load' op tile element type 'f16' does not fit the buffer's 'bf16'; a tile holds the buffer's element type, or f32 for an f16 or bf16 buffer}}
  %t = tile.load %a[%c0] at (%c0) strides (%c0) : !tile.buffer<bf16, read> -> tensor<?xf16, #tile.dims<BM>>
}

// -----

tile.kernel @store_element_type(%o: !tile.buffer<i32, write>, %n: i64) params [BM in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  %t = tile.range : tensor<?xi64, #tile.dims<BM>>
  // expected-error@+1 {{'tile.store' op tile element type 'i64' does not fit the buffer's 'i32'; a tile holds the buffer's element type, or f32 for an f16 or bf16 buffer}}
  tile.store %t, %o[%c0] at (%c0) strides (%c0) : tensor<?xi64, #tile.dims<BM>>, !tile.buffer<i32, write>
}

// -----

tile.kernel @load_offsets(%a: !tile.buffer<f32, read>, %n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.load' op has 1 offset(s) and 2 stride(s) for a tile of rank 2; it needs one of each per axis}}
  %t = tile.load %a[%c0] at (%c0) strides (%c0, %c0) : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BM, BN>>
}

// -----

tile.kernel @store_strides(%o: !tile.buffer<f32, write>, %n: i64) params [BM in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  %f = arith.constant 0.0 : f32
  %t = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.store' op has 1 offset(s) and 2 stride(s) for a tile of rank 1; it needs one of each per axis}}
  tile.store %t, %o[%c0] at (%c0) strides (%c0, %c0) : tensor<?xf32, #tile.dims<BM>>, !tile.buffer<f32, write>
}

// -----

tile.kernel @load_bounds(%a: !tile.buffer<f32, read>, %n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.load' op has 1 bound(s) for a tile of rank 2; give one per axis or none}}
  %t = tile.load %a[%c0] at (%c0, %c0) strides (%c0, %c0) bounds (%c0) : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BM, BN>>
}

// -----

tile.kernel @load_other_type(%a: !tile.buffer<f32, read>, %n: i64) params [BM in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.load' op 'other' has type 'i32' but the tile holds 'f32'}}
  %t = tile.load %a[%c0] at (%c0) strides (%c0) bounds (%c0) other 0 : i32 : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BM>>
}

// -----

// expected-note@+1 {{prior use here}}
tile.kernel @load_offset_not_index(%a: !tile.buffer<f32, read>, %n: i64) params [BM in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{use of value '%n' expects different type than prior uses: 'index' vs 'i64'}}
  %t = tile.load %a[%c0] at (%n) strides (%c0) : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BM>>
}

//===----------------------------------------------------------------------===//
// segsum
//===----------------------------------------------------------------------===//

// -----

tile.kernel @segsum_result_shape(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  %f = arith.constant 0.0 : f32
  %r = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  %c = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BN>>
  // expected-error@+1 {{'tile.segsum' op result has shape BN x BM; rows x cols is BM x BN}}
  %s = tile.segsum %r, %c at (%c0, %c0) : tensor<?xf32, #tile.dims<BM>>, tensor<?xf32, #tile.dims<BN>> -> tensor<?x?xf32, #tile.dims<BN, BM>>
}

// -----

tile.kernel @segsum_rows_2d(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  %f = arith.constant 0.0 : f32
  %r = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %c = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BN>>
  // expected-error@+1 {{'tile.segsum' op rows and cols must be 1-D tiles of the cumulative sum}}
  %s = tile.segsum %r, %c at (%c0, %c0) : tensor<?x?xf32, #tile.dims<BM, BN>>, tensor<?xf32, #tile.dims<BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
}

// -----

tile.kernel @segsum_result_1d(%n: i64) params [BM in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  %f = arith.constant 0.0 : f32
  %r = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.segsum' op produces a 2-D tile}}
  %s = tile.segsum %r, %r at (%c0, %c0) : tensor<?xf32, #tile.dims<BM>>, tensor<?xf32, #tile.dims<BM>> -> tensor<?xf32, #tile.dims<BM>>
}

// -----

tile.kernel @segsum_element_types(%n: i64) params [BM in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  %f = arith.constant 0.0 : f32
  %h = arith.constant 0.0 : f16
  %r = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  %c = tile.splat %h : f16 -> tensor<?xf16, #tile.dims<BM>>
  // expected-error@+1 {{'tile.segsum' op rows ('f32'), cols ('f16') and result ('f32') must have one element type}}
  %s = tile.segsum %r, %c at (%c0, %c0) : tensor<?xf32, #tile.dims<BM>>, tensor<?xf16, #tile.dims<BM>> -> tensor<?x?xf32, #tile.dims<BM, BM>>
}

// -----

tile.kernel @segsum_integer(%n: i64) grid (%n) {
  %c0 = arith.constant 0 : index
  %r = tile.range : tensor<16xi32>
  // expected-error@+1 {{'tile.segsum' op operand #0 must be ranked tensor of floating-point values}}
  %s = tile.segsum %r, %r at (%c0, %c0) : tensor<16xi32>, tensor<16xi32> -> tensor<16x16xi32>
}

//===----------------------------------------------------------------------===//
// exp, activations, cumsum, reduce
//===----------------------------------------------------------------------===//

// -----

tile.kernel @exp_integer(%n: i64) grid (%n) {
  %r = tile.range : tensor<16xi32>
  // expected-error@+1 {{'tile.exp' op operand #0 must be ranked tensor of floating-point values}}
  %e = tile.exp %r : tensor<16xi32>
}

// -----

tile.kernel @exp_type_change(%n: i64) grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<16xf32>
  // expected-error@+1 {{'tile.exp' op requires the same type for all operands and results}}
  %e = "tile.exp"(%x) : (tensor<16xf32>) -> tensor<8xf32>
}

// -----

tile.kernel @softplus_integer(%n: i64) grid (%n) {
  %r = tile.range : tensor<16xi32>
  // expected-error@+1 {{'tile.softplus' op operand #0 must be ranked tensor of floating-point values}}
  %e = tile.softplus %r : tensor<16xi32>
}

// -----

tile.kernel @sigmoid_type_change(%n: i64) grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<16xf32>
  // expected-error@+1 {{'tile.sigmoid' op requires the same type for all operands and results}}
  %e = "tile.sigmoid"(%x) : (tensor<16xf32>) -> tensor<16xf16>
}

// -----

tile.kernel @silu_scalar(%n: i64) grid (%n) {
  %f = arith.constant 0.0 : f32
  // expected-error@+1 {{'tile.silu' op operand #0 must be ranked tensor of floating-point values}}
  %e = "tile.silu"(%f) : (f32) -> f32
}

// -----

tile.kernel @cumsum_axis(%n: i64) params [BM in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.cumsum' op axis 1 is out of range for a tile of rank 1}}
  %c = tile.cumsum %x along 1 : tensor<?xf32, #tile.dims<BM>>
}

// -----

tile.kernel @cumsum_negative_axis(%n: i64) params [BM in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.cumsum' op axis -1 is out of range for a tile of rank 1}}
  %c = tile.cumsum %x along -1 : tensor<?xf32, #tile.dims<BM>>
}

// -----

tile.kernel @reduce_axis(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  // expected-error@+1 {{'tile.reduce' op axis 2 is out of range for a tile of rank 2}}
  %r = tile.reduce sum %x along 2 : tensor<?x?xf32, #tile.dims<BM, BN>> -> tensor<?xf32, #tile.dims<BM>>
}

// -----

tile.kernel @reduce_shape(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  // expected-error@+1 {{'tile.reduce' op result has shape BN; reducing axis 1 of BM x BN gives BM}}
  %r = tile.reduce max %x along 1 : tensor<?x?xf32, #tile.dims<BM, BN>> -> tensor<?xf32, #tile.dims<BN>>
}

// -----

tile.kernel @reduce_rank_kept(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  // expected-error@+1 {{'tile.reduce' op result has shape BM x 1; reducing axis 1 of BM x BN gives BM}}
  %r = tile.reduce sum %x along 1 : tensor<?x?xf32, #tile.dims<BM, BN>> -> tensor<?x1xf32, #tile.dims<BM>>
}

// -----

tile.kernel @reduce_scalar_type(%n: i64) params [BM in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.reduce' op reducing a 1-D tile gives a scalar 'f32', not 'f16'}}
  %r = tile.reduce sum %x along 0 : tensor<?xf32, #tile.dims<BM>> -> f16
}

// -----

tile.kernel @reduce_1d_to_tile(%n: i64) params [BM in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  // expected-error@+1 {{'tile.reduce' op reducing a 1-D tile gives a scalar 'f32', not 'tensor<1xf32>'}}
  %r = tile.reduce sum %x along 0 : tensor<?xf32, #tile.dims<BM>> -> tensor<1xf32>
}

// -----

tile.kernel @reduce_2d_to_scalar(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  // expected-error@+1 {{'tile.reduce' op result must be a tile of 'f32'}}
  %r = tile.reduce sum %x along 0 : tensor<?x?xf32, #tile.dims<BM, BN>> -> f32
}

// -----

tile.kernel @reduce_element_type(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  // expected-error@+1 {{'tile.reduce' op result must be a tile of 'f32'}}
  %r = tile.reduce sum %x along 0 : tensor<?x?xf32, #tile.dims<BM, BN>> -> tensor<?xf16, #tile.dims<BN>>
}

// -----

tile.kernel @reduce_kind(%n: i64) params [BM in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  // expected-error@+1 {{expected string or keyword containing one of the following enum values for attribute 'kind' [sum, max, min, prod]}}
  %r = tile.reduce mean %x along 0 : tensor<?xf32, #tile.dims<BM>> -> f32
}

//===----------------------------------------------------------------------===//
// dot
//===----------------------------------------------------------------------===//

// -----

tile.kernel @dot_inner(%n: i64) params [BM in [16] = 16, BN in [16] = 16, BK in [16] = 16] grid (%n) {
  %h = arith.constant 0.0 : f16
  %f = arith.constant 0.0 : f32
  %a = tile.splat %h : f16 -> tensor<?x?xf16, #tile.dims<BM, BK>>
  %b = tile.splat %h : f16 -> tensor<?x?xf16, #tile.dims<BN, BK>>
  %acc = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BK>>
  // expected-error@+1 {{'tile.dot' op inner dimensions differ: a is BM x BK and b is BN x BK; a's columns (BK) must equal b's rows (BN)}}
  %d = tile.dot %a, %b, %acc : tensor<?x?xf16, #tile.dims<BM, BK>>, tensor<?x?xf16, #tile.dims<BN, BK>> -> tensor<?x?xf32, #tile.dims<BM, BK>>
}

// -----

tile.kernel @dot_inner_static(%n: i64) grid (%n) {
  %f = arith.constant 0.0 : f32
  %a = tile.splat %f : f32 -> tensor<16x32xf32>
  %b = tile.splat %f : f32 -> tensor<16x8xf32>
  %acc = tile.splat %f : f32 -> tensor<16x8xf32>
  // expected-error@+1 {{'tile.dot' op inner dimensions differ: a is 16 x 32 and b is 16 x 8; a's columns (32) must equal b's rows (16)}}
  %d = tile.dot %a, %b, %acc : tensor<16x32xf32>, tensor<16x8xf32> -> tensor<16x8xf32>
}

// -----

tile.kernel @dot_acc_f16(%n: i64) grid (%n) {
  %h = arith.constant 0.0 : f16
  %a = tile.splat %h : f16 -> tensor<16x16xf16>
  // expected-error@+1 {{'tile.dot' op accumulates in f32, not 'f16'}}
  %d = tile.dot %a, %a, %a : tensor<16x16xf16>, tensor<16x16xf16> -> tensor<16x16xf16>
}

// -----

tile.kernel @dot_tf32_of_bf16(%n: i64) grid (%n) {
  %h = arith.constant 0.0 : bf16
  %f = arith.constant 0.0 : f32
  %a = tile.splat %h : bf16 -> tensor<16x16xbf16>
  %acc = tile.splat %f : f32 -> tensor<16x16xf32>
  // expected-error@+1 {{'tile.dot' op precision tf32 rounds fp32 operands; these are 'bf16'}}
  %d = tile.dot %a, %a, %acc precision tf32 : tensor<16x16xbf16>, tensor<16x16xbf16> -> tensor<16x16xf32>
}

// -----

tile.kernel @dot_bf16x3_of_bf16(%n: i64) grid (%n) {
  %h = arith.constant 0.0 : bf16
  %f = arith.constant 0.0 : f32
  %a = tile.splat %h : bf16 -> tensor<16x16xbf16>
  %acc = tile.splat %f : f32 -> tensor<16x16xf32>
  // expected-error@+1 {{'tile.dot' op precision bf16x3 rounds fp32 operands; these are 'bf16'}}
  %d = tile.dot %a, %a, %acc precision bf16x3 : tensor<16x16xbf16>, tensor<16x16xbf16> -> tensor<16x16xf32>
}

// -----

tile.kernel @dot_precision_unknown(%n: i64) grid (%n) {
  %f = arith.constant 0.0 : f32
  %a = tile.splat %f : f32 -> tensor<16x16xf32>
  // expected-error@+1 {{expected string or keyword containing one of the following enum values for attribute 'input_precision' [ieee, tf32, tf32x3, bf16x3]}}
  %d = tile.dot %a, %a, %a precision tf16 : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
}

// -----

tile.kernel @dot_acc_shape(%n: i64) params [BM in [16] = 16, BN in [16] = 16, BK in [16] = 16] grid (%n) {
  %h = arith.constant 0.0 : f16
  %f = arith.constant 0.0 : f32
  %a = tile.splat %h : f16 -> tensor<?x?xf16, #tile.dims<BM, BK>>
  %b = tile.splat %h : f16 -> tensor<?x?xf16, #tile.dims<BK, BN>>
  %acc = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BN, BM>>
  // expected-error@+1 {{'tile.dot' op accumulator has shape BN x BM; a x b is BM x BN}}
  %d = tile.dot %a, %b, %acc : tensor<?x?xf16, #tile.dims<BM, BK>>, tensor<?x?xf16, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BN, BM>>
}

// -----

tile.kernel @dot_operand_types(%n: i64) grid (%n) {
  %h = arith.constant 0.0 : f16
  %g = arith.constant 0.0 : bf16
  %f = arith.constant 0.0 : f32
  %a = tile.splat %h : f16 -> tensor<16x16xf16>
  %b = tile.splat %g : bf16 -> tensor<16x16xbf16>
  %acc = tile.splat %f : f32 -> tensor<16x16xf32>
  // expected-error@+1 {{'tile.dot' op operand element types differ: 'f16' and 'bf16'}}
  %d = tile.dot %a, %b, %acc : tensor<16x16xf16>, tensor<16x16xbf16> -> tensor<16x16xf32>
}

// -----

tile.kernel @dot_f64(%n: i64) grid (%n) {
  %x = arith.constant 0.0 : f64
  %f = arith.constant 0.0 : f32
  %a = tile.splat %x : f64 -> tensor<16x16xf64>
  %acc = tile.splat %f : f32 -> tensor<16x16xf32>
  // expected-error@+1 {{'tile.dot' op operands must be f32, f16 or bf16, not 'f64'}}
  %d = tile.dot %a, %a, %acc : tensor<16x16xf64>, tensor<16x16xf64> -> tensor<16x16xf32>
}

// -----

tile.kernel @dot_rank(%n: i64) grid (%n) {
  %f = arith.constant 0.0 : f32
  %a = tile.splat %f : f32 -> tensor<16xf32>
  %acc = tile.splat %f : f32 -> tensor<16x16xf32>
  // expected-error@+1 {{'tile.dot' op operands and accumulator must be 2-D tiles}}
  %d = tile.dot %a, %a, %acc : tensor<16xf32>, tensor<16xf32> -> tensor<16x16xf32>
}

// -----

tile.kernel @dot_result_type(%n: i64) grid (%n) {
  %f = arith.constant 0.0 : f32
  %a = tile.splat %f : f32 -> tensor<16x16xf32>
  // expected-error@+1 {{'tile.dot' op failed to verify that all of {acc, result} have same type}}
  %d = "tile.dot"(%a, %a, %a) : (tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>) -> tensor<8x8xf32>
}

//===----------------------------------------------------------------------===//
// Upstream ops on tiles: a symbolic shape is part of the type
//===----------------------------------------------------------------------===//

// -----

tile.kernel @arith_shape_mismatch(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %y = tile.splat %f : f32 -> tensor<?x?xf32, #tile.dims<BN, BM>>
  // expected-error@+1 {{'arith.addf' op requires the same encoding for all operands and results}}
  %z = "arith.addf"(%x, %y) : (tensor<?x?xf32, #tile.dims<BM, BN>>, tensor<?x?xf32, #tile.dims<BN, BM>>) -> tensor<?x?xf32, #tile.dims<BM, BN>>
}

// -----

// BM may equal 16 in some config, but a BM tile is not a 16 tile.
tile.kernel @arith_symbolic_vs_static(%n: i64) params [BM in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  %y = tile.splat %f : f32 -> tensor<16xf32>
  // expected-error@+1 {{'arith.mulf' op requires the same encoding for all operands and results}}
  %z = "arith.mulf"(%x, %y) : (tensor<?xf32, #tile.dims<BM>>, tensor<16xf32>) -> tensor<?xf32, #tile.dims<BM>>
}

// -----

tile.kernel @arith_element_mismatch(%n: i64) params [BM in [16] = 16] grid (%n) {
  %f = arith.constant 0.0 : f32
  %h = arith.constant 0.0 : f16
  %x = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  %y = tile.splat %h : f16 -> tensor<?xf16, #tile.dims<BM>>
  // expected-error@+1 {{'arith.subf' op requires the same type for all operands and results}}
  %z = "arith.subf"(%x, %y) : (tensor<?xf32, #tile.dims<BM>>, tensor<?xf16, #tile.dims<BM>>) -> tensor<?xf32, #tile.dims<BM>>
}

// -----

tile.kernel @scf_yield_shape(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %f = arith.constant 0.0 : f32
  %x = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BM>>
  %y = tile.splat %f : f32 -> tensor<?xf32, #tile.dims<BN>>
  // expected-error@+1 {{'scf.for' op 0-th region iter_arg and 0-th yielded value have different type: 'tensor<?xf32, #tile.dims<BM>>' != 'tensor<?xf32, #tile.dims<BN>>'}}
  %r = scf.for %i = %c0 to %c1 step %c1 iter_args(%a = %x) -> (tensor<?xf32, #tile.dims<BM>>) {
    scf.yield %y : tensor<?xf32, #tile.dims<BN>>
  }
}

// -----

// expected-error@+1 {{'tile.kernel' op has 1 argument names for 2 arguments}}
"tile.kernel"() <{arg_names = ["n"], function_type = (i64, i64) -> (), grid = affine_map<()[s0, s1] -> (s0)>, key = array<i64>, params = [], sym_name = "arg_names_count"}> ({
^bb0(%n: i64, %m: i64):
  "tile.return"() : () -> ()
}) : () -> ()

// -----

// expected-error@+1 {{'tile.kernel' op names two arguments 'n'}}
"tile.kernel"() <{arg_names = ["n", "n"], function_type = (i64, i64) -> (), grid = affine_map<()[s0, s1] -> (s0)>, key = array<i64>, params = [], sym_name = "arg_names_twice"}> ({
^bb0(%n: i64, %m: i64):
  "tile.return"() : () -> ()
}) : () -> ()

// -----

// expected-error@+1 {{'tile.kernel' op is named 'mixed-types.v2'; a kernel name is an identifier ([A-Za-z_][A-Za-z0-9_]*), since it names PTX entries and C++ launchers}}
tile.kernel @"mixed-types.v2"(%n: i64) grid (%n) {
}

//===----------------------------------------------------------------------===//
// Element-type parameters
//===----------------------------------------------------------------------===//

// -----

// expected-error@+1 {{'tile.kernel' op argument 0 holds 'XT', which is not an element-type parameter of the kernel (declare it: types [XT in [...]])}}
tile.kernel @dtype_undeclared(%x: !tile.buffer<XT, read>) grid (1) {
}

// -----

// expected-error@+1 {{element-type parameter 'T' lists 'i8', which is not a buffer element type or is listed twice}}
tile.kernel @dtype_bad_candidate(%x: !tile.buffer<T, read>) types [T in [f32, i8]] grid (1) {
}

// -----

// expected-error@+1 {{element-type parameter 'T' lists 'f16', which is not a buffer element type or is listed twice}}
tile.kernel @dtype_twice(%x: !tile.buffer<T, read>) types [T in [f16, f16]] grid (1) {
}

// -----

// expected-error@+1 {{an element-type parameter is named by an identifier that is not a type}}
tile.kernel @dtype_named_f32(%x: !tile.buffer<f32, read>) types [f32 in [f16]] grid (1) {
}

// -----

tile.kernel @dtype_in_tile(%x: !tile.buffer<T, read>) types [T in [f16]] grid (1) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.load' op tile element type '!tile.dtype<T>' does not fit T = 'f16'; a tile holds the buffer's element type, or f32 for an f16 or bf16 buffer}}
  %t = tile.load %x[%c0] at (%c0) strides (%c0) : !tile.buffer<T, read> -> tensor<4x!tile.dtype<T>>
}

// -----

tile.kernel @dtype_int_candidate(%x: !tile.buffer<T, read>) types [T in [f32, i32]] grid (1) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tile.load' op tile element type 'f32' does not fit T = 'i32'; a tile holds the buffer's element type, or f32 for an f16 or bf16 buffer}}
  %t = tile.load %x[%c0] at (%c0) strides (%c0) : !tile.buffer<T, read> -> tensor<4xf32>
}
