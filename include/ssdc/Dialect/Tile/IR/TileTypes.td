//===- TileTypes.td - tile dialect types --------------------*- tablegen -*-===//
#ifndef SSDC_TILE_TYPES
#define SSDC_TILE_TYPES

include "ssdc/Dialect/Tile/IR/TileAttrs.td"

def Tile_DTypeType : TypeDef<Tile_Dialect, "DType"> {
  let mnemonic = "dtype";
  let summary = "an element-type parameter of a kernel, as a buffer's element type";
  let description = [{
    In a kernel that declares `types [XT in [f32, f16, bf16]]`,
    `!tile.buffer<XT, read>` holds elements of type XT (on its own the
    parameter prints as `!tile.dtype<XT>`). Every compile, and
    `tile-specialize`, first makes one instance of the kernel per
    combination of candidates, named `<kernel>_<type>...`, with XT replaced;
    tiles stay f32 and loads and stores convert. Only buffer element types
    may be parameters.
  }];
  let parameters = (ins "::mlir::StringAttr":$name);
  let hasCustomAssemblyFormat = 1;
}

def Tile_BufferType : TypeDef<Tile_Dialect, "Buffer"> {
  let mnemonic = "buffer";
  let summary = "a kernel's global-memory buffer argument";
  let description = [{
    `!tile.buffer<f32, read>`: a flat array of elements in device memory and
    how the kernel may use it (`read`, `write` or `readwrite`). Element types:
    f32, f16, bf16, i32, i64, or an element-type parameter of the kernel
    (`!tile.buffer<XT, read>`). Stores into a `read` buffer and loads from a
    `write` buffer are rejected; the autotuner relies on the access mode to
    protect `readwrite` buffers.
  }];
  let parameters = (ins "::mlir::Type":$elementType,
                        EnumParameter<Tile_Access>:$access);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    bool isReadable() const { return getAccess() != Access::write; }
    bool isWritable() const { return getAccess() != Access::read; }
  }];
}

#endif // SSDC_TILE_TYPES
