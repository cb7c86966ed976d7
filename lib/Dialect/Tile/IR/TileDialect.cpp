//===- TileDialect.cpp - tile dialect, attributes and types ---------------===//
#include "ssdc/Dialect/Tile/IR/Tile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace ssdc::tile;

#include "ssdc/Dialect/Tile/IR/TileDialect.cpp.inc"
#include "ssdc/Dialect/Tile/IR/TileEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "ssdc/Dialect/Tile/IR/TileAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "ssdc/Dialect/Tile/IR/TileTypes.cpp.inc"

void TileDialect::initialize() {
  registerAttributes();
  registerTypes();
  addOperations<
#define GET_OP_LIST
#include "ssdc/Dialect/Tile/IR/TileOps.cpp.inc"
      >();
}

void TileDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "ssdc/Dialect/Tile/IR/TileAttrs.cpp.inc"
      >();
}

void TileDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "ssdc/Dialect/Tile/IR/TileTypes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// #tile.dims
//===----------------------------------------------------------------------===//

Attribute DimsAttr::parse(AsmParser &parser, Type) {
  SmallVector<StringAttr> names;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::LessGreater, [&] {
        std::string name;
        if (parser.parseKeywordOrString(&name))
          return failure();
        names.push_back(StringAttr::get(parser.getContext(), name));
        return success();
      }))
    return {};
  return DimsAttr::get(parser.getContext(), names);
}

void DimsAttr::print(AsmPrinter &printer) const {
  printer << '<';
  llvm::interleaveComma(getNames(), printer,
                        [&](StringAttr name) { printer.printKeywordOrString(name.getValue()); });
  printer << '>';
}

LogicalResult DimsAttr::verifyEncoding(ArrayRef<int64_t> shape, Type,
                                       function_ref<InFlightDiagnostic()> emitError) const {
  int64_t dynamic = llvm::count_if(shape, ShapedType::isDynamic);
  if (dynamic != static_cast<int64_t>(getNames().size()))
    return emitError() << "#tile.dims names " << getNames().size()
                       << " dimension(s) but the tile has " << dynamic
                       << " dynamic dimension(s); name each `?` dimension once";
  return success();
}

//===----------------------------------------------------------------------===//
// !tile.buffer
//===----------------------------------------------------------------------===//

std::optional<ssdc::pkg::ElemType> ssdc::tile::getElemType(Type type) {
  MLIRContext *ctx = type.getContext();
#define SSDC_ELEMENT_TYPE(Enum, Name, Code, Bytes, IsFloat, CppType, NpyDescr, MlirType)           \
  if (type == MlirType)                                                                            \
    return pkg::ElemType::Enum;
#include "ssdc/Runtime/ElementTypes.def"
  return std::nullopt;
}

Type DTypeType::parse(AsmParser &parser) {
  std::string name;
  if (parser.parseLess() || parser.parseKeywordOrString(&name) || parser.parseGreater())
    return {};
  return DTypeType::get(parser.getContext(), StringAttr::get(parser.getContext(), name));
}

void DTypeType::print(AsmPrinter &printer) const {
  printer << '<';
  printer.printKeywordOrString(getName().getValue());
  printer << '>';
}

/// `<f32, read>`, or `<XT, read>` for an element-type parameter: a bare name
/// where a type would be (no builtin type is a bare identifier other than its
/// own keyword).
Type BufferType::parse(AsmParser &parser) {
  MLIRContext *ctx = parser.getContext();
  Type elementType;
  if (parser.parseLess())
    return {};
  OptionalParseResult typed = parser.parseOptionalType(elementType);
  if (typed.has_value() && failed(*typed))
    return {};
  if (!typed.has_value()) {
    std::string name;
    if (parser.parseKeywordOrString(&name))
      return {};
    elementType = DTypeType::get(ctx, StringAttr::get(ctx, name));
  }
  std::string access;
  SMLoc accessLoc;
  if (parser.parseComma() || parser.getCurrentLocation(&accessLoc) ||
      parser.parseKeywordOrString(&access) || parser.parseGreater())
    return {};
  std::optional<Access> mode = symbolizeAccess(access);
  if (!mode) {
    parser.emitError(accessLoc) << "expected read, write or readwrite, got '" << access << "'";
    return {};
  }
  return parser.getChecked<BufferType>(ctx, elementType, *mode);
}

void BufferType::print(AsmPrinter &printer) const {
  printer << '<';
  if (auto parameter = llvm::dyn_cast<DTypeType>(getElementType()))
    printer.printKeywordOrString(parameter.getName().getValue());
  else
    printer << getElementType();
  printer << ", " << stringifyAccess(getAccess()) << '>';
}

LogicalResult BufferType::verify(function_ref<InFlightDiagnostic()> emitError, Type elementType,
                                 Access) {
  // A parameter's candidates are checked where it is declared (tile.kernel).
  if (getElemType(elementType) || llvm::isa<DTypeType>(elementType))
    return success();
  static const StringRef kNames[] = {
#define SSDC_ELEMENT_TYPE(Enum, Name, ...) #Name,
#include "ssdc/Runtime/ElementTypes.def"
  };
  return emitError() << "buffer element type must be one of "
                     << llvm::join(ArrayRef<StringRef>(kNames), ", ") << ", got " << elementType;
}

//===----------------------------------------------------------------------===//
// Symbolic shapes
//===----------------------------------------------------------------------===//

FailureOr<SymShape> ssdc::tile::getSymShape(RankedTensorType type,
                                            function_ref<InFlightDiagnostic()> emitError) {
  auto dims = llvm::dyn_cast_or_null<DimsAttr>(type.getEncoding());
  ArrayRef<StringAttr> names = dims ? dims.getNames() : ArrayRef<StringAttr>();
  SymShape shape;
  size_t nextName = 0;
  for (auto [axis, size] : llvm::enumerate(type.getShape())) {
    if (!ShapedType::isDynamic(size)) {
      shape.push_back({size, nullptr});
      continue;
    }
    if (nextName >= names.size()) {
      if (emitError)
        emitError() << "tile " << type << " has a dynamic dimension " << axis
                    << " that no #tile.dims parameter names";
      return failure();
    }
    shape.push_back({0, names[nextName++]});
  }
  return shape;
}

RankedTensorType ssdc::tile::getTileType(MLIRContext *ctx, ArrayRef<SymDim> shape,
                                         Type elementType) {
  SmallVector<int64_t> sizes;
  SmallVector<StringAttr> names;
  for (const SymDim &dim : shape) {
    sizes.push_back(dim.param ? ShapedType::kDynamic : dim.size);
    if (dim.param)
      names.push_back(dim.param);
  }
  Attribute encoding = names.empty() ? Attribute() : DimsAttr::get(ctx, names);
  return RankedTensorType::get(sizes, elementType, encoding);
}

std::string ssdc::tile::formatSymShape(ArrayRef<SymDim> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (shape.empty())
    os << "scalar";
  llvm::interleave(
      shape, os,
      [&](const SymDim &dim) {
        if (dim.param)
          os << dim.param.getValue();
        else
          os << dim.size;
      },
      " x ");
  return text;
}
