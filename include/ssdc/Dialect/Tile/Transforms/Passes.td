//===- Passes.td - tile dialect passes ----------------------*- tablegen -*-===//
#ifndef SSDC_TILE_PASSES
#define SSDC_TILE_PASSES

include "mlir/Pass/PassBase.td"

def TileSpecialize : Pass<"tile-specialize", "::mlir::ModuleOp"> {
  let summary = "Instantiate each kernel once per tuning config, with static tile shapes";
  let description = [{
    Replaces every generic `tile.kernel` by its specializations: one per config
    of its tuning space (or only the config given by `config`). A
    specialization substitutes each `tile.param` by a constant and each
    symbolic tile `tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>` by the static
    `tensor<64x64xf32>`, is named `<kernel>__<NAME>_<value>...`, keeps the
    declaration (arguments, params, key, grid) and records its config in the
    `tile.config` attribute. A config that cannot run (its exchanges need more
    than `max-shared-bytes` of shared memory, or a tile gives a thread more
    than `max-elements-per-thread` elements) is dropped with a warning that
    names it, or is an error when it was asked for by `config=`/`default-only`.
    A kernel with element-type parameters (`types [XT in [...]]`) is first
    replaced by its instances, `<kernel>_<type>...`, each then specialized.
  }];
  let options = [
    Option<"config", "config", "std::string", /*default=*/"\"\"",
           "Build only this config: NAME=VALUE,... (unnamed params take their defaults)">,
    Option<"defaultOnly", "default-only", "bool", /*default=*/"false",
           "Build only each kernel's default config">,
    Option<"maxSharedBytes", "max-shared-bytes", "int64_t", /*default=*/"232448",
           "Shared memory per program on the target chip (sm_90: 227 KiB)">,
    Option<"chip", "chip", "std::string", /*default=*/"\"\"",
           "Chip the specializations are for, recorded as their tile.chip (sm_90a: wgmma "
           "dots); none: what every chip runs">,
    Option<"maxElementsPerThread", "max-elements-per-thread", "int64_t", /*default=*/"256",
           "Tile elements one thread may hold in registers">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

#endif // SSDC_TILE_PASSES
