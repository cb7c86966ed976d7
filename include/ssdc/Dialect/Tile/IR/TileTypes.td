//===- TileTypes.td - tile dialect types --------------------*- tablegen -*-===//
#ifndef SSDC_TILE_TYPES
#define SSDC_TILE_TYPES

include "ssdc/Dialect/Tile/IR/TileAttrs.td"

def Tile_BufferType : TypeDef<Tile_Dialect, "Buffer"> {
  let mnemonic = "buffer";
  let summary = "a kernel's global-memory buffer argument";
  let description = [{
    `!tile.buffer<f32, read>`: a flat array of elements in device memory and
    how the kernel may use it (`read`, `write` or `readwrite`). Element types:
    f32, f16, bf16, i32, i64. Stores into a `read` buffer and loads from a
    `write` buffer are rejected; the autotuner relies on the access mode to
    protect `readwrite` buffers.
  }];
  let parameters = (ins "::mlir::Type":$elementType,
                        EnumParameter<Tile_Access>:$access);
  let assemblyFormat = "`<` $elementType `,` $access `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    bool isReadable() const { return getAccess() != Access::write; }
    bool isWritable() const { return getAccess() != Access::read; }
  }];
}

#endif // SSDC_TILE_TYPES
