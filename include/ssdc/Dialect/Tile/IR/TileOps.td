//===- TileOps.td - tile dialect operations -----------------*- tablegen -*-===//
#ifndef SSDC_TILE_OPS
#define SSDC_TILE_OPS

include "ssdc/Dialect/Tile/IR/TileTypes.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/Interfaces/FunctionInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/CallInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def Tile_Tile : RankedTensorOf<[AnyType]>;
def Tile_FloatTile : RankedTensorOf<[AnyFloat]>;
def Tile_MaskTile : RankedTensorOf<[I1]>;
def Tile_IntTile : RankedTensorOf<[AnySignlessIntegerOrIndex]>;

//===----------------------------------------------------------------------===//
// The kernel
//===----------------------------------------------------------------------===//

def Tile_KernelOp : Tile_Op<"kernel", [
    IsolatedFromAbove, Symbol, FunctionOpInterface,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>,
    SingleBlockImplicitTerminator<"ReturnOp">]> {
  let summary = "a GPU kernel: typed arguments, tuning space, cache key and grid";
  let description = [{
    ```mlir
    tile.kernel @segsum_exp(%cs: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>,
                            %B: i64, %T: i64)
        params [BLOCK_M in [32, 64, 128] = 64, BLOCK_N in [32, 64] = 64,
                num_warps in [4, 8] = 4]
        key [%T]
        grid (%B, cdiv(%T, BLOCK_M), cdiv(%T, BLOCK_N)) {
      ...
    }
    ```
    The kernel's name is an identifier (`[A-Za-z_][A-Za-z0-9_]*`): it names
    the PTX entry of each config and generated C++ launchers. Arguments are
    buffers (`!tile.buffer`), integer scalars (`i32`, `i64`) or float
    scalars (`f32`, `f16`, `bf16`: the caller's value rounded to nearest
    even into the type); grid expressions and the key use integer
    arguments only.
    `params` is the tuning space: every combination of candidate values is a
    config, and each parameter has a default. `key` names the integer
    arguments whose values key the tuning cache. `grid` gives the number of
    programs along each of up to three axes as an expression over integer
    arguments, parameters and integer constants using `+`, `-`, `*`, `/`
    (floor division), `mod` and `cdiv(a, b)` (ceiling division), with
    parentheses; `tile.program_id` may only name axes the grid has. It is
    stored as an affine map whose symbols are the kernel's arguments followed
    by its params (`%B * %H` and `cdiv(%T, %C)` are fine), and constant
    divisors are positive; a divisor that is zero at launch is a launch
    error. Parameter
    names are identifiers other than `cdiv` and `mod`; every candidate is
    positive, and `num_warps` candidates are powers of two.
    The arguments' source names are kept (`arg_names`): the package records
    them so that launchers bind arguments by name.

    `types [XT in [f32, f16, bf16]]` (before `params`) declares element-type
    parameters: a buffer argument may hold `XT` (`!tile.buffer<XT, read>`),
    and the kernel stands for one instance per combination of candidates,
    named `<kernel>_<type>...` (`scale_copy_bf16`), which every compile
    makes first (`tile-specialize` too). Tiles stay f32: a load from an XT
    buffer widens and a store rounds, so one source serves every instance.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<FunctionType>:$function_type,
                       OptionalAttr<DictArrayAttr>:$arg_attrs,
                       OptionalAttr<DictArrayAttr>:$res_attrs,
                       TypedArrayAttrBase<Tile_ParamAttr, "tuning parameters">:$params,
                       DenseI64ArrayAttr:$key,
                       AffineMapAttr:$grid,
                       OptionalAttr<StrArrayAttr>:$arg_names,
                       OptionalAttr<TypedArrayAttrBase<Tile_TypeParamAttr,
                                                       "element-type parameters">>:$type_params);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    ::llvm::ArrayRef<::mlir::Type> getArgumentTypes() { return getFunctionType().getInputs(); }
    ::llvm::ArrayRef<::mlir::Type> getResultTypes() { return getFunctionType().getResults(); }
    ::mlir::Region *getCallableRegion() { return &getBody(); }
    /// The declared parameter called `name`, or null.
    ParamAttr lookupParam(::llvm::StringRef name);
    /// The declared element-type parameter called `name`, or null.
    TypeParamAttr lookupTypeParam(::llvm::StringRef name);
    /// The position of `name` in `params`, or -1.
    int64_t getParamIndex(::llvm::StringRef name);
    static ::llvm::StringRef getDefaultDialect() { return "tile"; }
    /// The argument's name as written in the source (`cs` for `%cs`), which
    /// launchers bind arguments by; `argN` when the source gave none.
    std::string getArgName(unsigned index);
  }];
}

def Tile_ReturnOp : Tile_Op<"return", [Pure, HasParent<"KernelOp">, ReturnLike, Terminator]> {
  let summary = "ends a kernel";
  let assemblyFormat = "attr-dict";
}

//===----------------------------------------------------------------------===//
// Program ids, parameters, index ranges
//===----------------------------------------------------------------------===//

def Tile_ProgramIdOp : Tile_Op<"program_id", [Pure]> {
  let summary = "this program's position along one axis of the grid";
  let description = [{
    `%pid = tile.program_id 1` is in `[0, grid[1])`. The axis must be one the
    enclosing kernel's grid declares.
  }];
  let arguments = (ins ConfinedAttr<I64Attr, [IntNonNegative]>:$axis);
  let results = (outs Index:$result);
  let assemblyFormat = "$axis attr-dict";
  let hasVerifier = 1;
}

def Tile_ParamOp : Tile_Op<"param", [Pure]> {
  let summary = "the value of a tuning parameter";
  let description = [{
    `%bm = tile.param BLOCK_M` is the value BLOCK_M has in the config being
    run; `specialize` replaces it with a constant.
  }];
  let arguments = (ins StrAttr:$name);
  let results = (outs Index:$result);
  let assemblyFormat = "custom<ParamName>($name) attr-dict";
  let hasVerifier = 1;
}

def Tile_RangeOp : Tile_Op<"range", [Pure]> {
  let summary = "the 1-D tile [0, 1, ..., n-1]";
  let description = [{
    `%r = tile.range : tensor<?xi32, #tile.dims<BLOCK_M>>` holds 0 .. BLOCK_M-1
    (Triton's `tl.arange(0, BLOCK_M)`); its length is its type's.
  }];
  let results = (outs RankedTensorOf<[AnySignlessIntegerOrIndex]>:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Tile_SplatOp : Tile_Op<"splat", [Pure]> {
  let summary = "a tile with every element equal to a scalar";
  let description = [{
    `%t = tile.splat %x : f32 -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>`
    (Triton's `tl.full`); the scalar's type is the tile's element type. This is
    how constant tiles of symbolic shape are made (`arith.constant dense<...>`
    needs a static shape).
  }];
  let arguments = (ins AnyTypeOf<[AnyFloat, AnySignlessIntegerOrIndex]>:$value);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = "$value attr-dict `:` type($value) `->` type($result)";
  let hasVerifier = 1;
}

def Tile_BroadcastOp : Tile_Op<"broadcast", [Pure]> {
  let summary = "a tile repeated along new axes";
  let description = [{
    `tile.broadcast %col [1] : tensor<?xf32, #tile.dims<BLOCK_M>> -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>`
    inserts axis 1: `result[i, j] = col[i]` (Triton's `col[:, None]` broadcast).
    Removing the `new_axes` from the result's shape must give the input's shape.
  }];
  let arguments = (ins Tile_Tile:$input, DenseI64ArrayAttr:$new_axes);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = "$input $new_axes attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Tile_TransposeOp : Tile_Op<"transpose", [Pure]> {
  let summary = "a 2-D tile with its axes swapped, in registers";
  let description = [{
    `%bt = tile.transpose %b : tensor<?x?xf32, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BN, BK>>`
    gives `bt[j, i] = b[i, j]` (Triton's `tl.trans`): a tile already loaded
    used both ways (`C . B^T` and `B` itself) without loading it twice. The
    result's shape is the input's, swapped.
  }];
  let arguments = (ins Tile_Tile:$input);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

def Tile_LoadOp : Tile_Op<"load", [AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "loads a strided tile from a buffer, masked";
  let description = [{
    ```mlir
    %t = tile.load %buf[%base] at (%i0, %j0) strides (%s0, %s1) bounds (%n0, %n1)
           mask %m : tensor<?x?xi1, #tile.dims<BLOCK_M, BLOCK_N>>
           other 0.000000e+00 : f32
         : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
    ```
    Element `a` of the tile (a multi-index) is at global position
    `g = offsets + a`; it is *live* when `0 <= g[k] < bounds[k]` for every axis
    (if `bounds` is given) and `mask[a]` (if a mask is given). A live element
    is read from `buffer[base + sum_k g[k] * strides[k]]`; every other element
    is `other` (zero when `other` is absent), and nothing is read for it.
    There is one offset, stride and (optional) bound per tile axis; all are
    `index` values, so addresses are 64-bit. The tile holds the buffer's
    element type, or f32 for an f16 or bf16 buffer (widened exactly).
  }];
  let arguments = (ins Tile_BufferType:$buffer, Index:$base,
                       Variadic<Index>:$offsets, Variadic<Index>:$strides,
                       Variadic<Index>:$bounds, Optional<Tile_MaskTile>:$mask,
                       OptionalAttr<TypedAttrInterface>:$other);
  let results = (outs Tile_Tile:$result);
  let assemblyFormat = [{
    $buffer `[` $base `]` `at` `(` $offsets `)` `strides` `(` $strides `)`
    (`bounds` `(` $bounds^ `)`)? (`mask` $mask^ `:` type($mask))?
    (`other` $other^)? attr-dict `:` qualified(type($buffer)) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Tile_LoadScalarOp : Tile_Op<"load_scalar", [
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "loads one element of a buffer as a scalar";
  let description = [{
    `%a = tile.load_scalar %A[%h] : !tile.buffer<f32, read> -> f32` reads
    `A[h]`: a per-head parameter, a sequence offset. Every thread of the
    program reads the same element; `tile.splat` makes a tile of it. The
    index is an `index` (64-bit) and must be inside the buffer. The result
    is the buffer's element type, or f32 for an f16 or bf16 buffer.
  }];
  let arguments = (ins Tile_BufferType:$buffer, Index:$index);
  let results = (outs AnyTypeOf<[AnyFloat, AnySignlessInteger]>:$result);
  let assemblyFormat = [{
    $buffer `[` $index `]` attr-dict `:` qualified(type($buffer)) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Tile_StoreOp : Tile_Op<"store", [AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "stores a tile into a buffer, masked";
  let description = [{
    ```mlir
    tile.store %t, %buf[%base] at (%i0, %j0) strides (%s0, %s1) bounds (%n0, %n1)
        mask %m : tensor<?x?xi1, #tile.dims<BLOCK_M, BLOCK_N>>
        : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>, !tile.buffer<f32, write>
    ```
    Addressing and liveness are those of `tile.load`; a live element is
    written, every other element writes nothing. The buffer must be `write` or
    `readwrite`. An f32 tile may be stored into an f16 or bf16 buffer: each
    element is rounded to nearest even.
  }];
  let arguments = (ins Tile_Tile:$value, Tile_BufferType:$buffer, Index:$base,
                       Variadic<Index>:$offsets, Variadic<Index>:$strides,
                       Variadic<Index>:$bounds, Optional<Tile_MaskTile>:$mask);
  let assemblyFormat = [{
    $value `,` $buffer `[` $base `]` `at` `(` $offsets `)` `strides` `(` $strides `)`
    (`bounds` `(` $bounds^ `)`)? (`mask` $mask^ `:` type($mask))?
    attr-dict `:` type($value) `,` qualified(type($buffer))
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Compute
//===----------------------------------------------------------------------===//

def Tile_SegsumOp : Tile_Op<"segsum", [Pure]> {
  let summary = "segment sums from a cumulative sum (KernelBench's segsum)";
  let description = [{
    `%s = tile.segsum %rows, %cols at (%i0, %j0) : tensor<?xf32, #tile.dims<BM>>, tensor<?xf32, #tile.dims<BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>`

    `rows` and `cols` are tiles of one inclusive cumulative sum `cs`, at global
    positions `i = i0 + a` and `j = j0 + b`. The result is
    `out[a, b] = cs[i] - cs[j]` where `j <= i`, and `-inf` where `j > i`:
    the sum of `x[j+1 .. i]`, so the diagonal is 0 (exp gives 1) and the first
    sub-diagonal is `x[i]`.
  }];
  let arguments = (ins Tile_FloatTile:$rows, Tile_FloatTile:$cols,
                       Index:$row_start, Index:$col_start);
  let results = (outs Tile_FloatTile:$result);
  let assemblyFormat = [{
    $rows `,` $cols `at` `(` $row_start `,` $col_start `)` attr-dict `:`
    type($rows) `,` type($cols) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Tile_ExpOp : Tile_Op<"exp", [Pure, SameOperandsAndResultType]> {
  let summary = "elementwise exp, optionally clamped: exp(min(x, 0))";
  let description = [{
    `exp(-inf)` is 0. With `clamp`, the argument is first clamped to at most 0
    (what mamba_ssm does against a rounded-up cumsum difference); without it
    positive arguments are exponentiated as they are (the KernelBench
    formulation, where A may be positive).
  }];
  let arguments = (ins Tile_FloatTile:$input, UnitAttr:$clamp);
  let results = (outs Tile_FloatTile:$result);
  let assemblyFormat = "$input (`clamp` $clamp^)? attr-dict `:` type($input)";
}

// The activations of a Mamba2 layer: each is one op so that it lowers to an
// accurate formula on exp (NVPTX: ex2.approx) rather than one a kernel writer
// would get wrong at the ends of the range (log(1 + exp(x)) is 0 for
// x < -17 in f32, and inf for x > 88).
class Tile_ActivationOp<string mnemonic, string formula> :
    Tile_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = "elementwise " # mnemonic # ": " # formula;
  let arguments = (ins Tile_FloatTile:$input);
  let results = (outs Tile_FloatTile:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Tile_SoftplusOp : Tile_ActivationOp<"softplus", "log(1 + exp(x))"> {
  let description = [{
    `%d = tile.softplus %x : tensor<?xf32, #tile.dims<BL>>` (mamba's
    `dt_softplus`), accurate over the whole range: `max(x, 0) +
    log1p(exp(-|x|))`, so `softplus(-40)` is `exp(-40)`, not 0, and
    `softplus(100)` is 100, not inf.
  }];
}

def Tile_SigmoidOp : Tile_ActivationOp<"sigmoid", "1 / (1 + exp(-x))"> {
  let description = [{
    `%s = tile.sigmoid %x : tensor<?x?xf32, #tile.dims<BM, BN>>`; 0 at `-inf`,
    1 at `+inf`.
  }];
}

def Tile_SiluOp : Tile_ActivationOp<"silu", "x / (1 + exp(-x))"> {
  let description = [{
    `%g = tile.silu %z : tensor<?x?xf32, #tile.dims<BM, BP>>`, i.e.
    `z * sigmoid(z)` (the gate of a Mamba2 layer's output); `-0` at `-inf`.
  }];
}

def Tile_CumsumOp : Tile_Op<"cumsum", [Pure, SameOperandsAndResultType]> {
  let summary = "inclusive cumulative sum along an axis";
  let description = [{
    `%c = tile.cumsum %x along 1 : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>`
    gives `c[i, j] = x[i, 0] + ... + x[i, j]` (inclusive, like `torch.cumsum`).
    The sum runs within the tile; carrying it across tiles is up to the kernel.
  }];
  let arguments = (ins Tile_FloatTile:$input, I64Attr:$axis);
  let results = (outs Tile_FloatTile:$result);
  let assemblyFormat = "$input `along` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Tile_ReduceOp : Tile_Op<"reduce", [Pure]> {
  let summary = "sum, max, min or product along an axis";
  let description = [{
    Removes `axis` from the shape; reducing a 1-D tile gives a scalar.
    `max` of nothing but `-inf` is `-inf`, `min` of nothing but `+inf` is
    `+inf`; `max` and `min` propagate NaN (`arith.maximumf`/`minimumf`).
    `prod` multiplies in order along the axis.
  }];
  let arguments = (ins Tile_ReduceKind:$kind, Tile_FloatTile:$input, I64Attr:$axis);
  let results = (outs AnyTypeOf<[AnyFloat, Tile_FloatTile]>:$result);
  let assemblyFormat = "$kind $input `along` $axis attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Tile_DotOp : Tile_Op<"dot", [Pure, AllTypesMatch<["acc", "result"]>]> {
  let summary = "tile matrix product with an fp32 accumulator";
  let description = [{
    `%d = tile.dot %a, %b, %acc : tensor<MxK x T>, tensor<KxN x T> -> tensor<MxN x f32>`
    computes `d = a x b + acc`. `a` and `b` are 2-D with the same element type
    (f32, f16 or bf16); the inner dimensions must agree and the accumulator is
    f32. f16/bf16 products are exact in f32. fp32 operands are multiplied as
    `precision` says (`ieee` when it is left out):
    - `ieee`: in full fp32 precision (fp32 FMAs);
    - `tf32`: each operand rounded to tf32 (10 mantissa bits, to nearest with
      ties away from zero, as PTX's cvt.rna.tf32.f32), products exact, sums
      in f32 (tensor cores, mma.sync);
    - `tf32x3`: `a = a_big + a_small` with `a_big = tf32(a)` and
      `a_small = tf32(a - a_big)`, likewise `b`, and
      `a_small b_big + a_big b_small + a_big b_big` (three tf32 products),
      about fp32's accuracy on tensor cores;
    - `bf16x3`: the same split with bf16 parts (each rounded to nearest
      even): `a_big = bf16(a)`, `a_small = bf16(a - a_big)`, three bf16
      products (mma.sync m16n8k16, twice tf32's inner step), about 16 bits
      of each operand: for operands that came from bf16 or f16 data, where
      fp32's accuracy is not needed.
    `tile.dot %a, %b, %acc precision tf32 : ...`; these modes take f32
    operands only.
  }];
  let arguments = (ins Tile_FloatTile:$a, Tile_FloatTile:$b, Tile_FloatTile:$acc,
                       DefaultValuedAttr<Tile_InputPrecision,
                                         "::ssdc::tile::InputPrecision::ieee">:$input_precision);
  let results = (outs Tile_FloatTile:$result);
  let assemblyFormat = [{
    $a `,` $b `,` $acc (`precision` $input_precision^)? attr-dict `:` type($a) `,` type($b)
    `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // SSDC_TILE_OPS
