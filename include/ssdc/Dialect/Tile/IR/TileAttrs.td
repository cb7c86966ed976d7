//===- TileAttrs.td - tile dialect attributes and enums -----*- tablegen -*-===//
#ifndef SSDC_TILE_ATTRS
#define SSDC_TILE_ATTRS

include "ssdc/Dialect/Tile/IR/TileDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/TensorEncoding.td"

def Tile_Access : I32EnumAttr<"Access", "how a kernel uses a buffer argument", [
    I32EnumAttrCase<"read", 0>,
    I32EnumAttrCase<"write", 1>,
    I32EnumAttrCase<"readwrite", 2>]> {
  let cppNamespace = "::ssdc::tile";
  let genSpecializedAttr = 0;
}

def Tile_ReduceKind : I32EnumAttr<"ReduceKind", "a reduction", [
    I32EnumAttrCase<"sum", 0>,
    I32EnumAttrCase<"max", 1>,
    I32EnumAttrCase<"min", 2>,
    I32EnumAttrCase<"prod", 3>]> {
  let cppNamespace = "::ssdc::tile";
}

def Tile_InputPrecision : I32EnumAttr<"InputPrecision",
    "how tile.dot multiplies fp32 operands", [
    I32EnumAttrCase<"ieee", 0>,
    I32EnumAttrCase<"tf32", 1>,
    I32EnumAttrCase<"tf32x3", 2>,
    I32EnumAttrCase<"bf16x3", 3>]> {
  let cppNamespace = "::ssdc::tile";
}

class Tile_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Tile_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Tile_DimsAttr : Tile_Attr<"Dims", "dims",
    [DeclareAttrInterfaceMethods<VerifiableTensorEncoding>]> {
  let summary = "names the dynamic dimensions of a tile after tuning parameters";
  let description = [{
    The encoding of a symbolic tile: one tuning-parameter name per dynamic
    (`?`) dimension of the tensor, in order. `tensor<?x16xf32, #tile.dims<BLOCK_M>>`
    is a BLOCK_M x 16 tile. Static dimensions stay static.
  }];
  let parameters = (ins ArrayRefParameter<"::mlir::StringAttr", "parameter names">:$names);
  let hasCustomAssemblyFormat = 1;
}

def Tile_TypeParamAttr : Tile_Attr<"TypeParam", "type_param"> {
  let summary = "an element-type parameter: its name and candidate types";
  let description = [{
    `#tile.type_param<"XT", [f32, f16, bf16]>`: the kernel has one instance
    per candidate (with the kernel's other element-type parameters, per
    combination); `!tile.buffer<XT, read>` names it.
  }];
  let parameters = (ins "::mlir::StringAttr":$name,
                        ArrayRefParameter<"::mlir::Type", "candidate types">:$types);
  let assemblyFormat = "`<` $name `,` `[` $types `]` `>`";
}

def Tile_ParamAttr : Tile_Attr<"Param", "param"> {
  let summary = "a tuning parameter: its candidate values and default";
  let description = [{
    `#tile.param<"BLOCK_M", [32, 64, 128], 64>`. The names `num_warps` and
    `num_stages` are reserved: they set the program's thread count
    (num_warps x 32) and the software-pipelining depth.
  }];
  let parameters = (ins "::mlir::StringAttr":$name,
                        ArrayRefParameter<"int64_t", "candidate values">:$values,
                        "int64_t":$defaultValue);
  let assemblyFormat = "`<` $name `,` `[` $values `]` `,` $defaultValue `>`";
}

#endif // SSDC_TILE_ATTRS
