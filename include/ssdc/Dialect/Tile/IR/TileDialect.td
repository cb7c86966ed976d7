//===- TileDialect.td - the tile dialect --------------------*- tablegen -*-===//
#ifndef SSDC_TILE_DIALECT
#define SSDC_TILE_DIALECT

include "mlir/IR/OpBase.td"

def Tile_Dialect : Dialect {
  let name = "tile";
  let cppNamespace = "::ssdc::tile";
  let summary = "Tiles, kernels and the SSD scan primitives (segsum, exp, cumsum, dot)";
  let description = [{
    The `tile` dialect expresses GPU kernels the way Triton does: each program
    (one point of the kernel's grid) computes on whole tiles. A tile is a
    builtin ranked `tensor`; a dimension that depends on a tuning parameter is
    dynamic (`?`) and named by the tensor's `#tile.dims<...>` encoding, e.g.
    `tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>`. Because tiles are builtin
    tensors, upstream `arith` and `math` elementwise ops and `scf` control flow
    apply to them unchanged, and two tiles have the same symbolic shape exactly
    when their types are equal. The `specialize` pass substitutes a tuning
    config and turns every tile into a static tensor such as `tensor<64x64xf32>`.

    Elementwise arithmetic on tiles uses upstream ops: `arith.addf/subf/mulf/
    divf/maximumf/minimumf/negf`, `arith.addi/subi/muli`, `arith.cmpf/cmpi`,
    `arith.andi/ori/xori`, `arith.select`, `arith.extf/truncf/sitofp/index_cast`,
    and `math.exp/exp2/log/log2/log1p/tanh/sqrt/absf`, which lower to NVVM
    intrinsics or formulas on them on NVPTX (no libdevice; other math ops,
    such as `math.sin`, run on the host target only and are rejected by the
    GPU lowering with a located error). The exponential of the SSD kernels
    is `tile.exp`, which carries the optional clamp and lowers to
    `ex2.approx` on NVPTX; `tile.softplus`, `tile.sigmoid` and `tile.silu`
    are the activations of a Mamba2 layer.
  }];
  // Specialization writes its params as arith constants, outside any pass
  // that would declare arith (ssdc compile, ssdc run and the fuzzer call it
  // directly): loading tile loads arith.
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
    void registerTypes();
  }];
}

/// Base class of every tile op: the dialect-wide traits live here.
class Tile_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tile_Dialect, mnemonic, traits>;

#endif // SSDC_TILE_DIALECT
