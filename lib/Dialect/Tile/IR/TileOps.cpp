//===- TileOps.cpp - tile dialect operations -------------------------------===//
#include "ssdc/Dialect/Tile/IR/GridExpr.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"

#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/FunctionImplementation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/InterleavedRange.h"

using namespace mlir;
using namespace ssdc::tile;

//===----------------------------------------------------------------------===//
// Helpers shared by the verifiers
//===----------------------------------------------------------------------===//

/// The symbolic shape of a tile operand or result of `op`, or a diagnostic.
static FailureOr<SymShape> shapeOf(Operation *op, Type type) {
  return getSymShape(llvm::cast<RankedTensorType>(type), [op] { return op->emitOpError(); });
}

/// Checks that two tiles have the same symbolic shape.
static LogicalResult verifySameShape(Operation *op, StringRef what, Type expected,
                                     StringRef whatActual, Type actual) {
  FailureOr<SymShape> lhs = shapeOf(op, expected), rhs = shapeOf(op, actual);
  if (failed(lhs) || failed(rhs))
    return failure();
  if (*lhs != *rhs)
    return op->emitOpError() << whatActual << " has shape " << formatSymShape(*rhs) << " but "
                             << what << " has shape " << formatSymShape(*lhs)
                             << "; they must be equal";
  return success();
}

static KernelOp parentKernel(Operation *op) { return op->getParentOfType<KernelOp>(); }

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

ParamAttr KernelOp::lookupParam(StringRef name) {
  for (Attribute attr : getParams())
    if (auto param = llvm::cast<ParamAttr>(attr); param.getName().getValue() == name)
      return param;
  return {};
}

std::string KernelOp::getArgName(unsigned index) {
  if (ArrayAttr names = getArgNamesAttr(); names && index < names.size())
    return llvm::cast<StringAttr>(names[index]).str();
  return "arg" + std::to_string(index);
}

void KernelOp::getAsmBlockArgumentNames(Region &region, OpAsmSetValueNameFn setName) {
  if (&region != &getBody() || !getArgNamesAttr())
    return;
  for (auto [arg, name] : llvm::zip(region.getArguments(), getArgNamesAttr()))
    setName(arg, llvm::cast<StringAttr>(name).getValue());
}

TypeParamAttr KernelOp::lookupTypeParam(StringRef name) {
  if (ArrayAttr typeParams = getTypeParamsAttr())
    for (Attribute attr : typeParams)
      if (auto param = llvm::cast<TypeParamAttr>(attr); param.getName().getValue() == name)
        return param;
  return {};
}

int64_t KernelOp::getParamIndex(StringRef name) {
  for (auto [index, attr] : llvm::enumerate(getParams()))
    if (llvm::cast<ParamAttr>(attr).getName().getValue() == name)
      return index;
  return -1;
}

/// `types [NAME in [type, ...], ...]`, which may be left out.
static ParseResult parseTypeParams(OpAsmParser &parser, SmallVectorImpl<Attribute> &typeParams) {
  MLIRContext *ctx = parser.getContext();
  if (failed(parser.parseOptionalKeyword("types")))
    return success();
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
    SMLoc loc = parser.getCurrentLocation();
    // A name that is a type (f32) would read as that type in a buffer.
    Type shadowed;
    if (parser.parseOptionalType(shadowed).has_value())
      return parser.emitError(loc) << "an element-type parameter is named by an identifier "
                                      "that is not a type";
    std::string name;
    SmallVector<Type> types;
    if (parser.parseKeywordOrString(&name) || parser.parseKeyword("in") ||
        parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
          return parser.parseType(types.emplace_back());
        }))
      return failure();
    typeParams.push_back(TypeParamAttr::get(ctx, StringAttr::get(ctx, name), types));
    return success();
  });
}

/// `params [NAME in [v, ...] = default, ...]`, which may be left out.
static ParseResult parseParams(OpAsmParser &parser, SmallVectorImpl<Attribute> &params) {
  MLIRContext *ctx = parser.getContext();
  if (failed(parser.parseOptionalKeyword("params")))
    return success();
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
    std::string paramName;
    SmallVector<int64_t> values;
    int64_t defaultValue;
    if (parser.parseKeywordOrString(&paramName) || parser.parseKeyword("in") ||
        parser.parseCommaSeparatedList(
            AsmParser::Delimiter::Square,
            [&]() -> ParseResult { return parser.parseInteger(values.emplace_back()); }) ||
        parser.parseEqual() || parser.parseInteger(defaultValue))
      return failure();
    params.push_back(ParamAttr::get(ctx, StringAttr::get(ctx, paramName), values, defaultValue));
    return success();
  });
}

/// `key [%arg, ...]` over `args`, which may be left out.
static ParseResult parseKey(OpAsmParser &parser, ArrayRef<OpAsmParser::Argument> args,
                            SmallVectorImpl<int64_t> &key) {
  if (failed(parser.parseOptionalKeyword("key")))
    return success();
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
    SMLoc loc = parser.getCurrentLocation();
    OpAsmParser::UnresolvedOperand operand;
    if (parser.parseOperand(operand))
      return failure();
    for (auto [index, arg] : llvm::enumerate(args))
      if (arg.ssaName.name == operand.name && arg.ssaName.number == operand.number) {
        key.push_back(index);
        return success();
      }
    return parser.emitError(loc) << "key names '" << operand.name
                                 << "', which is not an argument of the kernel";
  });
}

ParseResult KernelOp::parse(OpAsmParser &parser, OperationState &result) {
  MLIRContext *ctx = parser.getContext();
  Builder builder(ctx);
  StringAttr name;
  if (parser.parseSymbolName(name, getSymNameAttrName(result.name), result.attributes))
    return failure();

  SmallVector<OpAsmParser::Argument> args;
  SmallVector<Type> resultTypes;
  SmallVector<DictionaryAttr> resultAttrs;
  bool isVariadic = false;
  SMLoc signatureLoc = parser.getCurrentLocation();
  if (function_interface_impl::parseFunctionSignatureWithArguments(
          parser, /*allowVariadic=*/false, args, isVariadic, resultTypes, resultAttrs))
    return failure();
  if (!resultTypes.empty())
    return parser.emitError(signatureLoc,
                            "a kernel returns nothing; it writes its results into buffers");
  SmallVector<Type> argTypes;
  for (OpAsmParser::Argument &arg : args)
    argTypes.push_back(arg.type);
  result.addAttribute(getFunctionTypeAttrName(result.name),
                      TypeAttr::get(builder.getFunctionType(argTypes, {})));
  SmallVector<Attribute> argNames;
  for (OpAsmParser::Argument &arg : args)
    argNames.push_back(builder.getStringAttr(arg.ssaName.name.drop_front()));
  result.addAttribute(getArgNamesAttrName(result.name), builder.getArrayAttr(argNames));
  call_interface_impl::addArgAndResultAttrs(builder, result, args, resultAttrs,
                                            getArgAttrsAttrName(result.name),
                                            getResAttrsAttrName(result.name));

  SmallVector<Attribute> typeParams;
  if (parseTypeParams(parser, typeParams))
    return failure();
  if (!typeParams.empty())
    result.addAttribute(getTypeParamsAttrName(result.name), builder.getArrayAttr(typeParams));

  SmallVector<Attribute> params;
  if (parseParams(parser, params))
    return failure();
  result.addAttribute(getParamsAttrName(result.name), builder.getArrayAttr(params));

  SmallVector<int64_t> key;
  if (parseKey(parser, args, key))
    return failure();
  result.addAttribute(getKeyAttrName(result.name), builder.getDenseI64ArrayAttr(key));

  // grid (expr, ...)
  SmallVector<AffineExpr> grid;
  if (parser.parseKeyword("grid") ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Paren, [&]() -> ParseResult {
        return parseGridExpr(parser, args, params, grid.emplace_back());
      }))
    return failure();
  result.addAttribute(
      getGridAttrName(result.name),
      AffineMapAttr::get(AffineMap::get(0, args.size() + params.size(), grid, ctx)));

  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  Region *body = result.addRegion();
  if (parser.parseRegion(*body, args))
    return failure();
  KernelOp::ensureTerminator(*body, builder, result.location);
  return success();
}

void KernelOp::print(OpAsmPrinter &p) {
  p << ' ';
  p.printSymbolName(getSymName());
  function_interface_impl::printFunctionSignature(p, *this, getArgumentTypes(),
                                                  /*isVariadic=*/false, {});
  p.increaseIndent();
  if (ArrayAttr typeParams = getTypeParamsAttr()) {
    p.printNewline();
    p << "types [";
    llvm::interleaveComma(typeParams, p, [&](Attribute attr) {
      auto param = llvm::cast<TypeParamAttr>(attr);
      p.printKeywordOrString(param.getName().getValue());
      p << " in [";
      llvm::interleaveComma(param.getTypes(), p);
      p << ']';
    });
    p << ']';
  }
  if (!getParams().empty()) {
    p.printNewline();
    p << "params [";
    llvm::interleaveComma(getParams(), p, [&](Attribute attr) {
      auto param = llvm::cast<ParamAttr>(attr);
      p.printKeywordOrString(param.getName().getValue());
      p << " in [";
      llvm::interleaveComma(param.getValues(), p);
      p << "] = " << param.getDefaultValue();
    });
    p << ']';
  }
  if (!getKey().empty()) {
    p.printNewline();
    p << "key [";
    llvm::interleaveComma(getKey(), p,
                          [&](int64_t index) { p.printOperand(getBody().getArgument(index)); });
    p << ']';
  }
  p.printNewline();
  p << "grid (";
  llvm::interleaveComma(getGrid().getResults(), p,
                        [&](AffineExpr expr) { printGridExpr(p, *this, expr); });
  p << ')';
  p.decreaseIndent();
  function_interface_impl::printFunctionAttributes(
      p, *this,
      {getFunctionTypeAttrName(), getArgAttrsAttrName(), getResAttrsAttrName(), getParamsAttrName(),
       getKeyAttrName(), getGridAttrName(), getArgNamesAttrName(), getTypeParamsAttrName()});
  p << ' ';
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false, /*printBlockTerminators=*/false);
}

/// Checks the size of `kernel`'s tuning space before anything enumerates it:
/// a product of a few candidate lists is soon too large to hold or compile.
static LogicalResult verifyTuningSpace(KernelOp kernel) {
  ArrayAttr params = kernel.getParams();
  if (params.size() > ssdc::pkg::kMaxParams)
    return kernel.emitOpError() << "has " << params.size() << " parameters; a kernel has at most "
                                << ssdc::pkg::kMaxParams;
  uint64_t configs = 1;
  for (Attribute attr : params) {
    auto param = llvm::cast<ParamAttr>(attr);
    size_t candidates = param.getValues().size();
    if (candidates > ssdc::pkg::kMaxParamValues)
      return kernel.emitOpError() << "parameter '" << param.getName().getValue() << "' has "
                                  << candidates << " candidates; a parameter has at most "
                                  << ssdc::pkg::kMaxParamValues;
    configs = std::min<uint64_t>(configs * std::max<size_t>(candidates, 1),
                                 uint64_t(kMaxTuningConfigs) + 1);
  }
  if (configs > kMaxTuningConfigs)
    return kernel.emitOpError() << "has a tuning space of more than " << kMaxTuningConfigs
                                << " configs (the product of its parameters' candidate counts); "
                                   "the limit is "
                                << kMaxTuningConfigs;
  return success();
}

/// True for [A-Za-z_][A-Za-z0-9_]*: what PTX entries and C++ functions allow.
static bool isIdentifier(StringRef name) {
  return !name.empty() && (llvm::isAlpha(name.front()) || name.front() == '_') &&
         llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// The name, the results and the arguments of `kernel`.
static LogicalResult verifySignature(KernelOp kernel) {
  ArrayRef<Type> argTypes = kernel.getArgumentTypes();
  // The name becomes the PTX entry of every config and a C++ launcher's name.
  if (!isIdentifier(kernel.getSymName()))
    return kernel.emitOpError() << "is named '" << kernel.getSymName()
                                << "'; a kernel name is an identifier ([A-Za-z_][A-Za-z0-9_]*), "
                                   "since it names PTX entries and C++ launchers";
  if (!kernel.getResultTypes().empty())
    return kernel.emitOpError("a kernel returns nothing; it writes its results into buffers");
  if (argTypes.size() > ssdc::pkg::kMaxArgs)
    return kernel.emitOpError() << "has " << argTypes.size() << " arguments; a kernel has at most "
                                << ssdc::pkg::kMaxArgs;
  for (auto [index, type] : llvm::enumerate(argTypes))
    if (!llvm::isa<BufferType>(type) && !type.isSignlessInteger(32) &&
        !type.isSignlessInteger(64) && !type.isF32() && !type.isF16() && !type.isBF16())
      return kernel.emitOpError() << "argument " << index << " has type " << type
                                  << "; kernel arguments are !tile.buffer<...>, i32, i64, f32, "
                                     "f16 or bf16";
  ArrayAttr argNames = kernel.getArgNamesAttr();
  if (!argNames)
    return success();
  if (argNames.size() != argTypes.size())
    return kernel.emitOpError() << "has " << argNames.size() << " argument names for "
                                << argTypes.size() << " arguments";
  llvm::StringSet<> seen;
  for (Attribute name : argNames)
    if (!seen.insert(llvm::cast<StringAttr>(name).getValue()).second)
      return kernel.emitOpError() << "names two arguments '"
                                  << llvm::cast<StringAttr>(name).getValue() << "'";
  return success();
}

/// The element-type parameters: identifiers, declared once, each with
/// distinct buffer element types; and every one a buffer argument names is
/// declared.
static LogicalResult verifyTypeParams(KernelOp kernel) {
  llvm::StringSet<> names;
  if (ArrayAttr typeParams = kernel.getTypeParamsAttr())
    for (Attribute attr : typeParams) {
      auto param = llvm::cast<TypeParamAttr>(attr);
      StringRef name = param.getName().getValue();
      if (!isIdentifier(name) || !names.insert(name).second)
        return kernel.emitOpError() << "element-type parameter '" << name
                                    << "' is not an identifier or is declared twice";
      if (param.getTypes().empty())
        return kernel.emitOpError() << "element-type parameter '" << name << "' has no candidates";
      llvm::SmallDenseSet<Type> seen;
      for (Type type : param.getTypes())
        if (!getElemType(type) || !seen.insert(type).second)
          return kernel.emitOpError() << "element-type parameter '" << name << "' lists " << type
                                      << ", which is not a buffer element type or is listed twice";
    }
  for (auto [index, type] : llvm::enumerate(kernel.getArgumentTypes()))
    if (auto buffer = llvm::dyn_cast<BufferType>(type))
      if (auto parameter = llvm::dyn_cast<DTypeType>(buffer.getElementType());
          parameter && !kernel.lookupTypeParam(parameter.getName().getValue()))
        return kernel.emitOpError()
               << "argument " << index << " holds '" << parameter.getName().getValue()
               << "', which is not an element-type parameter of the kernel "
                  "(declare it: types ["
               << parameter.getName().getValue() << " in [...]])";
  return success();
}

/// One tuning parameter of `kernel`: its name, candidates and default.
static LogicalResult verifyParam(KernelOp kernel, ParamAttr param) {
  StringRef name = param.getName().getValue();
  // Parameter names appear bare in grid expressions and #tile.dims, and become
  // field names of generated launchers: they are identifiers, and not the
  // words of the grid syntax.
  if (!isIdentifier(name))
    return kernel.emitOpError() << "parameter name '" << name
                                << "' is not an identifier ([A-Za-z_][A-Za-z0-9_]*)";
  if (name == "cdiv" || name == "mod")
    return kernel.emitOpError() << "parameter name '" << name
                                << "' is reserved: it is an operator of grid expressions";
  if (param.getValues().empty())
    return kernel.emitOpError() << "parameter '" << name << "' has no candidate values";
  llvm::SmallDenseSet<int64_t> seen;
  for (int64_t value : param.getValues()) {
    if (value <= 0)
      return kernel.emitOpError() << "parameter '" << name << "' has candidate " << value
                                  << "; candidates must be positive";
    if (!seen.insert(value).second)
      return kernel.emitOpError() << "parameter '" << name << "' lists candidate " << value
                                  << " twice";
    if (name == kNumWarps && !llvm::isPowerOf2_64(value))
      return kernel.emitOpError() << "num_warps candidate " << value << " is not a power of two";
    if (name == kMinProgramsPerSM && value > kMaxProgramsPerSM)
      return kernel.emitOpError() << "min_programs_per_sm candidate " << value << " is above "
                                  << kMaxProgramsPerSM
                                  << ", the most programs a multiprocessor holds";
    if (name == kNumWarps && value > kMaxNumWarps)
      return kernel.emitOpError() << "num_warps candidate " << value << " is above " << kMaxNumWarps
                                  << ", the most warps a program has ("
                                  << ssdc::pkg::kMaxBlockThreads
                                  << " threads, CUDA's limit per block)";
  }
  if (!llvm::is_contained(param.getValues(), param.getDefaultValue()))
    return kernel.emitOpError() << "parameter '" << name << "' defaults to "
                                << param.getDefaultValue()
                                << ", which is not one of its candidates";
  return success();
}

/// The tuning key: distinct integer arguments.
static LogicalResult verifyKey(KernelOp kernel) {
  ArrayRef<Type> argTypes = kernel.getArgumentTypes();
  llvm::SmallDenseSet<int64_t> seen;
  for (int64_t index : kernel.getKey()) {
    if (index < 0 || index >= static_cast<int64_t>(argTypes.size()))
      return kernel.emitOpError() << "key names argument " << index << ", but the kernel has "
                                  << argTypes.size() << " arguments";
    if (!argTypes[index].isSignlessInteger())
      return kernel.emitOpError() << "key names argument " << index << " of type "
                                  << argTypes[index] << "; the key holds integer arguments only";
    if (!seen.insert(index).second)
      return kernel.emitOpError() << "key names argument " << index << " twice";
  }
  return success();
}

/// The grid: 1 to 3 expressions over the integer arguments and the
/// parameters that the package holds and the runtime evaluates.
static LogicalResult verifyGrid(KernelOp kernel) {
  ArrayRef<Type> argTypes = kernel.getArgumentTypes();
  AffineMap grid = kernel.getGrid();
  if (grid.getNumResults() < 1 || grid.getNumResults() > 3)
    return kernel.emitOpError() << "grid has " << grid.getNumResults()
                                << " dimensions; a grid has 1 to 3";
  if (grid.getNumDims() != 0 || grid.getNumSymbols() != argTypes.size() + kernel.getParams().size())
    return kernel.emitOpError() << "grid map must have no dimensions and one symbol per argument ("
                                << argTypes.size() << ") then per parameter ("
                                << kernel.getParams().size() << ")";
  for (auto [index, type] : llvm::enumerate(argTypes))
    if (!type.isSignlessInteger() && grid.isFunctionOfSymbol(index)) {
      InFlightDiagnostic diag = kernel.emitOpError() << "grid uses ";
      if (llvm::isa<BufferType>(type))
        diag << "buffer";
      else
        diag << type;
      return diag << " argument " << index << "; grid expressions use integer arguments only";
    }
  for (auto [index, expr] : llvm::enumerate(grid.getResults()))
    if (std::string message = checkGridExpr(expr, argTypes.size()); !message.empty())
      return kernel.emitOpError() << "grid dimension " << index << " " << message;
  return success();
}

/// The config a specialized kernel records (tile.config): one i64 per
/// declared parameter, each one of that parameter's candidates (which
/// verifyParam checked), and nothing else. The lowering trusts it: num_warps
/// sizes every layout, and a num_warps of 0 divided by zero in
/// lib/Conversion/TileToGPU/Layout.cpp before this check existed.
static LogicalResult verifyConfig(KernelOp kernel) {
  Attribute attr = kernel->getAttr(kConfigAttrName);
  if (!attr)
    return success();
  auto config = llvm::dyn_cast<DictionaryAttr>(attr);
  if (!config)
    return kernel.emitOpError() << "has " << kConfigAttrName << " = " << attr
                                << "; it must be a dictionary from parameter name to value";
  for (NamedAttribute entry : config) {
    StringRef name = entry.getName().getValue();
    ParamAttr param = kernel.lookupParam(name);
    if (!param)
      return kernel.emitOpError() << kConfigAttrName << " sets '" << name << "', which @"
                                  << kernel.getSymName() << " does not declare";
    auto value = llvm::dyn_cast<IntegerAttr>(entry.getValue());
    if (!value || !value.getType().isSignlessInteger(64))
      return kernel.emitOpError() << kConfigAttrName << " sets '" << name << "' to "
                                  << entry.getValue() << "; a config value is an i64";
    if (!llvm::is_contained(param.getValues(), value.getInt()))
      return kernel.emitOpError() << kConfigAttrName << " sets " << name << " = " << value.getInt()
                                  << ", which is not one of its candidates ["
                                  << llvm::interleaved(param.getValues()) << "]";
  }
  for (Attribute paramAttr : kernel.getParams()) {
    StringRef name = llvm::cast<ParamAttr>(paramAttr).getName().getValue();
    if (!config.get(name))
      return kernel.emitOpError() << kConfigAttrName << " gives no value for parameter '" << name
                                  << "'";
  }
  return success();
}

LogicalResult KernelOp::verify() {
  if (failed(verifySignature(*this)) || failed(verifyTypeParams(*this)) ||
      failed(verifyTuningSpace(*this)))
    return failure();
  llvm::StringSet<> names;
  for (Attribute attr : getParams()) {
    auto param = llvm::cast<ParamAttr>(attr);
    if (!names.insert(param.getName().getValue()).second)
      return emitOpError() << "parameter '" << param.getName().getValue() << "' is declared twice";
    if (failed(verifyParam(*this, param)))
      return failure();
  }
  return failure(failed(verifyKey(*this)) || failed(verifyGrid(*this)) ||
                 failed(verifyConfig(*this)));
}

LogicalResult KernelOp::verifyRegions() {
  Block &entry = getBody().front();
  if (entry.getNumArguments() != getArgumentTypes().size())
    return emitOpError("the body's arguments must match the signature");
  // Every tile shape must be well formed and name declared parameters only.
  auto checkType = [&](Operation *op, Type type) -> LogicalResult {
    auto tensor = llvm::dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return success();
    if (auto parameter = llvm::dyn_cast<DTypeType>(tensor.getElementType()))
      return op->emitOpError() << "tile " << type << " holds the element-type parameter '"
                               << parameter.getName().getValue()
                               << "'; only buffers do (tiles compute in f32: loads from an f16 "
                                  "or bf16 buffer widen)";
    FailureOr<SymShape> shape = getSymShape(tensor, [op] { return op->emitOpError(); });
    if (failed(shape))
      return failure();
    for (const SymDim &dim : *shape)
      if (dim.param && !lookupParam(dim.param.getValue()))
        return op->emitOpError() << "tile " << type << " names '" << dim.param.getValue()
                                 << "', which is not a declared parameter of @" << getSymName();
    return success();
  };
  WalkResult walk = getBody().walk([&](Operation *op) {
    for (Type type : op->getResultTypes())
      if (failed(checkType(op, type)))
        return WalkResult::interrupt();
    for (Region &region : op->getRegions())
      for (BlockArgument arg : region.getArguments())
        if (failed(checkType(op, arg.getType())))
          return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

//===----------------------------------------------------------------------===//
// Program ids and parameters
//===----------------------------------------------------------------------===//

LogicalResult ProgramIdOp::verify() {
  KernelOp kernel = parentKernel(*this);
  if (!kernel)
    return emitOpError("must be inside a tile.kernel");
  unsigned rank = kernel.getGrid().getNumResults();
  if (getAxis() >= rank)
    return emitOpError() << "uses grid axis " << getAxis() << ", but the grid of @"
                         << kernel.getSymName() << " has " << rank << " dimension(s)";
  return success();
}

static ParseResult parseParamName(OpAsmParser &parser, StringAttr &name) {
  std::string text;
  if (parser.parseKeywordOrString(&text))
    return failure();
  name = parser.getBuilder().getStringAttr(text);
  return success();
}

static void printParamName(OpAsmPrinter &printer, Operation *, StringAttr name) {
  printer.printKeywordOrString(name.getValue());
}

LogicalResult ParamOp::verify() {
  KernelOp kernel = parentKernel(*this);
  if (!kernel)
    return emitOpError("must be inside a tile.kernel");
  if (!kernel.lookupParam(getName())) {
    std::string declared;
    llvm::raw_string_ostream os(declared);
    llvm::interleaveComma(kernel.getParams(), os, [&](Attribute attr) {
      os << llvm::cast<ParamAttr>(attr).getName().getValue();
    });
    return emitOpError() << "names '" << getName() << "', which @" << kernel.getSymName()
                         << " does not declare (declared: "
                         << (declared.empty() ? "none" : declared) << ")";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Ranges, splats and broadcasts
//===----------------------------------------------------------------------===//

LogicalResult RangeOp::verify() {
  RankedTensorType type = getType();
  if (type.getRank() != 1)
    return emitOpError() << "produces a 1-D tile, not one of rank " << type.getRank();
  FailureOr<SymShape> shape = shapeOf(*this, type);
  if (failed(shape))
    return failure();
  // The largest length: the tile's, or that of the parameter's largest candidate.
  int64_t length = (*shape)[0].size;
  if (StringAttr param = (*shape)[0].param) {
    KernelOp kernel = parentKernel(*this);
    ParamAttr declared = kernel ? kernel.lookupParam(param.getValue()) : ParamAttr();
    if (!declared) // the kernel's verifier reports it
      return success();
    length = *llvm::max_element(declared.getValues());
  }
  // Elements are 0 .. length-1, each non-negative in the element type.
  // (i0 holds only 0.)
  unsigned width = type.getElementType().isIndex() ? 64 : type.getElementTypeBitWidth();
  int64_t largest = width == 0 ? 0 : width < 64 ? (int64_t(1) << (width - 1)) - 1 : INT64_MAX;
  if (length - 1 > largest)
    return emitOpError() << "holds 0 .. " << length - 1 << ", which " << type.getElementType()
                         << " does not hold (at most " << largest << "); use a wider element type";
  return success();
}

LogicalResult SplatOp::verify() {
  if (getValue().getType() != getType().getElementType())
    return emitOpError() << "splats a " << getValue().getType() << " into a tile of "
                         << getType().getElementType() << "; the element types must match";
  return success();
}

LogicalResult BroadcastOp::verify() {
  auto inputType = llvm::cast<RankedTensorType>(getInput().getType());
  auto resultType = llvm::cast<RankedTensorType>(getType());
  if (inputType.getElementType() != resultType.getElementType())
    return emitOpError("input and result element types differ");
  FailureOr<SymShape> in = shapeOf(*this, inputType), out = shapeOf(*this, resultType);
  if (failed(in) || failed(out))
    return failure();
  ArrayRef<int64_t> axes = getNewAxes();
  for (auto [i, axis] : llvm::enumerate(axes))
    if (axis < 0 || axis >= resultType.getRank() || (i > 0 && axis <= axes[i - 1]))
      return emitOpError() << "new axes must be increasing and within the result's rank "
                           << resultType.getRank();
  SymShape kept;
  for (auto [axis, dim] : llvm::enumerate(*out))
    if (!llvm::is_contained(axes, static_cast<int64_t>(axis)))
      kept.push_back(dim);
  if (kept != *in)
    return emitOpError() << "result shape " << formatSymShape(*out) << " without its new axes ["
                         << llvm::interleaved(axes) << "] is " << formatSymShape(kept)
                         << ", but the input has shape " << formatSymShape(*in);
  return success();
}

LogicalResult TransposeOp::verify() {
  RankedTensorType inputType = getInput().getType(), resultType = getType();
  if (inputType.getElementType() != resultType.getElementType())
    return emitOpError("input and result element types differ");
  if (inputType.getRank() != 2)
    return emitOpError() << "transposes 2-D tiles; the input has rank " << inputType.getRank();
  FailureOr<SymShape> in = shapeOf(*this, inputType), out = shapeOf(*this, resultType);
  if (failed(in) || failed(out))
    return failure();
  SymShape swapped = {(*in)[1], (*in)[0]};
  if (*out != swapped)
    return emitOpError() << "result has shape " << formatSymShape(*out) << "; transposing "
                         << formatSymShape(*in) << " gives " << formatSymShape(swapped);
  return success();
}

//===----------------------------------------------------------------------===//
// Loads and stores
//===----------------------------------------------------------------------===//

bool ssdc::tile::isComputeTypeOf(Type compute, Type storage) {
  return compute == storage || (compute.isF32() && (storage.isF16() || storage.isBF16()));
}

/// Checks that values of `compute` can be loaded from or stored to a buffer
/// of `storage` (isComputeTypeOf); `what` is "tile" or "scalar".
static LogicalResult verifyComputeType(Operation *op, StringRef what, Type compute, Type storage) {
  // An element-type parameter: every candidate must fit (the kernel's
  // verifier has checked that it is declared).
  if (auto parameter = llvm::dyn_cast<DTypeType>(storage)) {
    KernelOp kernel = parentKernel(op);
    TypeParamAttr declared =
        kernel ? kernel.lookupTypeParam(parameter.getName().getValue()) : TypeParamAttr();
    for (Type candidate : declared ? declared.getTypes() : ArrayRef<Type>())
      if (!isComputeTypeOf(compute, candidate))
        return op->emitOpError() << what << " element type " << compute << " does not fit "
                                 << parameter.getName().getValue() << " = " << candidate << "; a "
                                 << what
                                 << " holds the buffer's element type, or f32 for an f16 or "
                                    "bf16 buffer";
    return success();
  }
  if (isComputeTypeOf(compute, storage))
    return success();
  return op->emitOpError() << what << " element type " << compute << " does not fit the buffer's "
                           << storage << "; a " << what
                           << " holds the buffer's element type, or f32 for an f16 or bf16 "
                              "buffer";
}

/// The rules loads and stores share: one offset, stride and optional bound per
/// axis, element types that fit the buffer, a mask shaped like the tile.
static LogicalResult verifyAccess(Operation *op, BufferType buffer, RankedTensorType tile,
                                  size_t numOffsets, size_t numStrides, size_t numBounds,
                                  Value mask) {
  int64_t rank = tile.getRank();
  if (static_cast<int64_t>(numOffsets) != rank || static_cast<int64_t>(numStrides) != rank)
    return op->emitOpError() << "has " << numOffsets << " offset(s) and " << numStrides
                             << " stride(s) for a tile of rank " << rank
                             << "; it needs one of each per axis";
  if (numBounds != 0 && static_cast<int64_t>(numBounds) != rank)
    return op->emitOpError() << "has " << numBounds << " bound(s) for a tile of rank " << rank
                             << "; give one per axis or none";
  if (failed(verifyComputeType(op, "tile", tile.getElementType(), buffer.getElementType())))
    return failure();
  if (mask && failed(verifySameShape(op, "the tile", tile, "the mask", mask.getType())))
    return failure();
  return succeeded(shapeOf(op, tile)) ? success() : failure();
}

LogicalResult LoadOp::verify() {
  auto buffer = llvm::cast<BufferType>(getBuffer().getType());
  if (!buffer.isReadable())
    return emitOpError() << "loads from a write-only buffer (" << buffer
                         << "); declare it readwrite to read it";
  if (auto other = getOtherAttr(); other && other.getType() != getType().getElementType())
    return emitOpError() << "'other' has type " << other.getType() << " but the tile holds "
                         << getType().getElementType();
  return verifyAccess(*this, buffer, getType(), getOffsets().size(), getStrides().size(),
                      getBounds().size(), getMask());
}

void LoadOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  effects.emplace_back(MemoryEffects::Read::get(), &getBufferMutable());
}

LogicalResult LoadScalarOp::verify() {
  auto buffer = llvm::cast<BufferType>(getBuffer().getType());
  if (!buffer.isReadable())
    return emitOpError() << "loads from a write-only buffer (" << buffer
                         << "); declare it readwrite to read it";
  return verifyComputeType(*this, "scalar", getType(), buffer.getElementType());
}

void LoadScalarOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  effects.emplace_back(MemoryEffects::Read::get(), &getBufferMutable());
}

LogicalResult StoreOp::verify() {
  auto buffer = llvm::cast<BufferType>(getBuffer().getType());
  if (!buffer.isWritable())
    return emitOpError() << "stores into a read-only buffer (" << buffer
                         << "); declare the argument write or readwrite";
  return verifyAccess(*this, buffer, llvm::cast<RankedTensorType>(getValue().getType()),
                      getOffsets().size(), getStrides().size(), getBounds().size(), getMask());
}

void StoreOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  effects.emplace_back(MemoryEffects::Write::get(), &getBufferMutable());
}

//===----------------------------------------------------------------------===//
// Compute
//===----------------------------------------------------------------------===//

LogicalResult SegsumOp::verify() {
  RankedTensorType rows = getRows().getType(), cols = getCols().getType(), out = getType();
  if (rows.getRank() != 1 || cols.getRank() != 1)
    return emitOpError("rows and cols must be 1-D tiles of the cumulative sum");
  if (out.getRank() != 2)
    return emitOpError("produces a 2-D tile");
  if (rows.getElementType() != out.getElementType() ||
      cols.getElementType() != out.getElementType())
    return emitOpError() << "rows (" << rows.getElementType() << "), cols ("
                         << cols.getElementType() << ") and result (" << out.getElementType()
                         << ") must have one element type";
  FailureOr<SymShape> r = shapeOf(*this, rows), c = shapeOf(*this, cols), o = shapeOf(*this, out);
  if (failed(r) || failed(c) || failed(o))
    return failure();
  SymShape expected{(*r)[0], (*c)[0]};
  if (*o != expected)
    return emitOpError() << "result has shape " << formatSymShape(*o) << "; rows x cols is "
                         << formatSymShape(expected);
  return success();
}

static LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank) {
  if (axis < 0 || axis >= rank)
    return op->emitOpError() << "axis " << axis << " is out of range for a tile of rank " << rank;
  return success();
}

LogicalResult CumsumOp::verify() { return verifyAxis(*this, getAxis(), getType().getRank()); }

LogicalResult ReduceOp::verify() {
  RankedTensorType input = getInput().getType();
  if (failed(verifyAxis(*this, getAxis(), input.getRank())))
    return failure();
  FailureOr<SymShape> in = shapeOf(*this, input);
  if (failed(in))
    return failure();
  SymShape expected = *in;
  expected.erase(expected.begin() + getAxis());
  Type resultType = getType();
  if (expected.empty()) {
    if (resultType != input.getElementType())
      return emitOpError() << "reducing a 1-D tile gives a scalar " << input.getElementType()
                           << ", not " << resultType;
    return success();
  }
  auto result = llvm::dyn_cast<RankedTensorType>(resultType);
  if (!result || result.getElementType() != input.getElementType())
    return emitOpError() << "result must be a tile of " << input.getElementType();
  FailureOr<SymShape> out = shapeOf(*this, result);
  if (failed(out))
    return failure();
  if (*out != expected)
    return emitOpError() << "result has shape " << formatSymShape(*out) << "; reducing axis "
                         << getAxis() << " of " << formatSymShape(*in) << " gives "
                         << formatSymShape(expected);
  return success();
}

LogicalResult DotOp::verify() {
  RankedTensorType a = getA().getType(), b = getB().getType(), acc = getAcc().getType();
  if (a.getRank() != 2 || b.getRank() != 2 || acc.getRank() != 2)
    return emitOpError("operands and accumulator must be 2-D tiles");
  if (a.getElementType() != b.getElementType())
    return emitOpError() << "operand element types differ: " << a.getElementType() << " and "
                         << b.getElementType();
  Type elem = a.getElementType();
  if (!elem.isF32() && !elem.isF16() && !elem.isBF16())
    return emitOpError() << "operands must be f32, f16 or bf16, not " << elem;
  if (!acc.getElementType().isF32())
    return emitOpError() << "accumulates in f32, not " << acc.getElementType();
  if (getInputPrecision() != InputPrecision::ieee && !elem.isF32())
    return emitOpError() << "precision " << stringifyInputPrecision(getInputPrecision())
                         << " rounds fp32 operands; these are " << elem;
  FailureOr<SymShape> sa = shapeOf(*this, a), sb = shapeOf(*this, b), sc = shapeOf(*this, acc);
  if (failed(sa) || failed(sb) || failed(sc))
    return failure();
  if ((*sa)[1] != (*sb)[0])
    return emitOpError() << "inner dimensions differ: a is " << formatSymShape(*sa) << " and b is "
                         << formatSymShape(*sb) << "; a's columns (" << formatSymShape((*sa)[1])
                         << ") must equal b's rows (" << formatSymShape((*sb)[0]) << ")";
  SymShape expected{(*sa)[0], (*sb)[1]};
  if (*sc != expected)
    return emitOpError() << "accumulator has shape " << formatSymShape(*sc) << "; a x b is "
                         << formatSymShape(expected);
  return success();
}

#define GET_OP_CLASSES
#include "ssdc/Dialect/Tile/IR/TileOps.cpp.inc"
