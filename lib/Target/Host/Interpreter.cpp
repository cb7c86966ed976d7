//===- Interpreter.cpp - runs specialized tile kernels on the CPU ---------===//
//
// Values are held per program in a map from SSA value to `Tensor` (a scalar
// is a tensor of rank 0). Float elements are doubles that are always exactly
// a value of their element type: every operation computes in double and
// rounds its result once to the element type, which is the correctly rounded
// result for + - * / and sqrt of f32, f16 and bf16, and within an ulp for
// exp, log and tanh. Integers are int64 sign-extended from their width, and
// wrap like the hardware does.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Target/Host/Interpreter.h"

#include "ssdc/Dialect/Tile/IR/GridExpr.h"
#include "ssdc/Runtime/Launch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <limits>
#include <optional>

using namespace mlir;
using namespace ssdc;
using namespace ssdc::host;
using ssdc::tile::KernelOp;

pkg::ElemType ssdc::host::getHostElemType(tile::BufferType type) {
  // The buffer type verifier admits only element types that have one.
  return *tile::getElemType(type.getElementType());
}

//===----------------------------------------------------------------------===//
// Elements
//===----------------------------------------------------------------------===//

namespace {
/// A scalar or a tile: its element type, its shape (empty for a scalar) and
/// its elements in row-major order.
struct Tensor {
  Type elementType;
  SmallVector<int64_t, 2> shape;
  std::vector<double> floats; // float element types
  std::vector<int64_t> ints;  // integer and index element types

  /// A scalar or static tile of `type` with zero elements.
  static Tensor zeros(Type type) {
    Tensor result;
    if (auto tile = dyn_cast<RankedTensorType>(type)) {
      result.elementType = tile.getElementType();
      result.shape.assign(tile.getShape().begin(), tile.getShape().end());
    } else {
      result.elementType = type;
    }
    if (result.isFloat())
      result.floats.assign(result.numElements(), 0.0);
    else
      result.ints.assign(result.numElements(), 0);
    return result;
  }

  bool isFloat() const { return isa<FloatType>(elementType); }
  int64_t numElements() const {
    int64_t count = 1;
    for (int64_t size : shape)
      count *= size;
    return count;
  }
};
} // namespace

static unsigned bitWidth(Type type) { return type.isIndex() ? 64 : type.getIntOrFloatBitWidth(); }

/// The low `width` bits of `value`, sign-extended.
static int64_t wrapInt(int64_t value, unsigned width) {
  if (width >= 64)
    return value;
  unsigned shift = 64 - width;
  return static_cast<int64_t>(static_cast<uint64_t>(value) << shift) >> shift;
}

/// Whether `value` is the most negative `width`-bit integer, the one whose
/// division by -1 overflows.
static bool isMostNegative(int64_t value, unsigned width) {
  return value == wrapInt(static_cast<int64_t>(uint64_t(1) << (width - 1)), width);
}

/// The low `width` bits of `value`, zero-extended.
static uint64_t zeroExtend(int64_t value, unsigned width) {
  return width >= 64 ? static_cast<uint64_t>(value)
                     : static_cast<uint64_t>(value) & ((uint64_t(1) << width) - 1);
}

/// `value` rounded to nearest-even in float type `type`.
static double roundFloat(double value, Type type) {
  if (type.isF64())
    return value;
  if (type.isF32())
    return static_cast<float>(value);
  APFloat rounded(value);
  bool losesInfo;
  rounded.convert(cast<FloatType>(type).getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
  rounded.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
  return rounded.convertToDouble();
}

/// The f32 `value` rounded to tf32 as PTX's cvt.rna.tf32.f32 does: to 10
/// mantissa bits, to nearest with ties away from zero (adding half of the
/// last kept bit to the magnitude, then truncating); infinities and NaNs stay.
static double roundToTF32(double value) {
  uint32_t bits = llvm::bit_cast<uint32_t>(static_cast<float>(value));
  if ((bits & 0x7f800000u) != 0x7f800000u)
    bits = (bits + 0x1000u) & 0xffffe000u;
  return llvm::bit_cast<float>(bits);
}

/// `value` (an integer of `width` bits, signed or not) rounded to float
/// type `type` once, which going through double would not do for i64.
static double intToFloat(int64_t value, unsigned width, bool isSigned, Type type) {
  APFloat result(cast<FloatType>(type).getFloatSemantics());
  APInt bits(64, isSigned ? static_cast<uint64_t>(value) : zeroExtend(value, width));
  result.convertFromAPInt(bits, isSigned, APFloat::rmNearestTiesToEven);
  bool losesInfo;
  result.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
  return result.convertToDouble();
}

/// NaN-propagating maximum with -0 < +0 (arith.maximumf).
static double maximumF(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<double>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

/// NaN-propagating minimum with -0 < +0 (arith.minimumf).
static double minimumF(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<double>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

/// Strides of a row-major array of `shape`.
static SmallVector<int64_t, 4> rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t, 4> strides(shape.size(), 1);
  for (int64_t axis = static_cast<int64_t>(shape.size()) - 2; axis >= 0; --axis)
    strides[axis] = strides[axis + 1] * shape[axis + 1];
  return strides;
}

/// The multi-index of row-major position `linear` in `shape`.
static SmallVector<int64_t, 4> delinearize(int64_t linear, ArrayRef<int64_t> shape) {
  SmallVector<int64_t, 4> index(shape.size());
  for (int64_t axis = static_cast<int64_t>(shape.size()) - 1; axis >= 0; --axis) {
    index[axis] = linear % shape[axis];
    linear /= shape[axis];
  }
  return index;
}

static std::string formatIndex(ArrayRef<int64_t> index) {
  std::string text = "(";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(index, os);
  os << ')';
  return text;
}

//===----------------------------------------------------------------------===//
// The grid
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t, 3>> ssdc::host::evaluateGrid(KernelOp kernel,
                                                            ArrayRef<HostArgument> args) {
  // The runtime's evaluator, on the grid in the package's form, so that the
  // host runs exactly the grid a GPU launch would.
  std::vector<int64_t> ints, paramValues;
  for (const HostArgument &arg : args)
    ints.push_back(arg.value);
  if (!kernel.getParams().empty()) {
    auto config = kernel->getAttrOfType<DictionaryAttr>(tile::kConfigAttrName);
    if (!config)
      return kernel.emitError() << "@" << kernel.getSymName()
                                << " is not specialized: run tile-specialize (or pick a "
                                   "config) before running it on the host";
    for (Attribute attr : kernel.getParams()) {
      StringAttr name = cast<tile::ParamAttr>(attr).getName();
      auto value = dyn_cast_or_null<IntegerAttr>(config.get(name));
      if (!value)
        return kernel.emitError() << "tile.config of @" << kernel.getSymName()
                                  << " has no integer value for parameter '" << name.getValue()
                                  << "'";
      paramValues.push_back(value.getInt());
    }
  }
  AffineMap grid = kernel.getGrid();
  if (args.size() != kernel.getNumArguments())
    return kernel.emitError() << "@" << kernel.getSymName() << " takes " << kernel.getNumArguments()
                              << " arguments, but " << args.size() << " were given";

  SmallVector<int64_t, 3> sizes;
  int64_t programs = 1;
  for (auto [axis, expr] : llvm::enumerate(grid.getResults())) {
    int64_t size = 0;
    Status status =
        evaluateExpr(tile::toPostfix(expr, kernel.getNumArguments()), ints, paramValues, size);
    if (!status.ok())
      return kernel.emitError() << "grid axis " << axis << " of @" << kernel.getSymName() << ": "
                                << status.message();
    if (size < 0)
      return kernel.emitError() << "grid axis " << axis << " of @" << kernel.getSymName() << " is "
                                << size << " for these arguments";
    std::optional<int64_t> total = llvm::checkedMul(programs, size);
    if (!total)
      return kernel.emitError() << "the grid of @" << kernel.getSymName()
                                << " has more than 2^63 programs";
    programs = *total;
    sizes.push_back(size);
  }
  return sizes;
}

//===----------------------------------------------------------------------===//
// The interpreter
//===----------------------------------------------------------------------===//

/// The largest tile the interpreter holds (2^24 elements, 128 MiB of
/// doubles); GPU tiles are far smaller, so a bigger one is a mistake.
static constexpr int64_t kMaxTileElements = int64_t(1) << 24;

namespace {
/// A buffer argument as the programs see it.
struct BufferState {
  HostBuffer *buffer = nullptr; // null: unbounded and reading zeros (measuring only)
  int64_t touched = 0;          // one more than the largest live index accessed
};

/// The result of an integer operation, or why it has none.
struct IntResult {
  int64_t value = 0;
  const char *undefined = nullptr;
};

class Interpreter {
public:
  Interpreter(KernelOp kernel, const InterpreterOptions &options, bool dryRun)
      : kernel(kernel), options(options), dryRun(dryRun) {}

  /// Checks the kernel and binds `args`; then runs every program.
  LogicalResult run(ArrayRef<HostArgument> args);

  ArrayRef<BufferState> bufferStates() const { return buffers; }

private:
  /// Checks, before anything runs, that every value is one the interpreter
  /// holds: specialized tiles and scalars of supported types, buffers only
  /// as kernel arguments of loads and stores.
  LogicalResult checkRunnable();
  LogicalResult bind(ArrayRef<HostArgument> args);
  LogicalResult runProgram();
  /// Runs the operations of `block`, whose arguments are bound, and returns
  /// the operands of its terminator in `yielded`.
  LogicalResult runBlock(Block &block, SmallVectorImpl<Tensor> &yielded);
  /// Binds `values` to the arguments of `block`.
  void bindArguments(Block &block, ArrayRef<Tensor> values);
  LogicalResult execute(Operation *op);
  // The op families of execute(): each returns none for an op not its own.
  std::optional<LogicalResult> executeTileOp(Operation *op);
  std::optional<LogicalResult> executeFloatOp(Operation *op);
  std::optional<LogicalResult> executeIntegerArithmeticOp(Operation *op);
  std::optional<LogicalResult> executeIntegerLogicOp(Operation *op);
  std::optional<LogicalResult> executeCompareOrCastOp(Operation *op);
  std::optional<LogicalResult> executeMathOp(Operation *op);
  std::optional<LogicalResult> executeControlFlowOp(Operation *op);
  /// Counts one operation or loop iteration against the per-program limit.
  LogicalResult spend(Operation *op);

  /// An error at `op` that says which program hit it.
  InFlightDiagnostic error(Operation *op);
  /// "'op' is not supported by the host interpreter", to which callers may
  /// add ": why".
  InFlightDiagnostic unsupported(Operation *op);

  const Tensor &get(Value value) const { return values.find(value)->second; }
  int64_t getIndex(Value value) const { return get(value).ints.front(); }
  void set(Value value, Tensor tensor) { values[value] = std::move(tensor); }

  // Op families.
  LogicalResult constant(arith::ConstantOp op);
  template <typename Fn> LogicalResult mapFloats(Operation *op, Fn fn);
  template <typename Fn> LogicalResult zipFloats(Operation *op, Fn fn);
  template <typename Fn> LogicalResult zipInts(Operation *op, Fn fn);
  LogicalResult castInt(Operation *op, bool fromUnsigned);
  LogicalResult intToFloatOp(Operation *op, bool isSigned);
  LogicalResult floatToInt(Operation *op, bool isSigned);
  LogicalResult cmpi(arith::CmpIOp op);
  LogicalResult cmpf(arith::CmpFOp op);
  LogicalResult select(arith::SelectOp op);
  LogicalResult forOp(scf::ForOp op);
  LogicalResult ifOp(scf::IfOp op);
  LogicalResult whileOp(scf::WhileOp op);
  LogicalResult range(tile::RangeOp op);
  LogicalResult splat(tile::SplatOp op);
  LogicalResult broadcast(tile::BroadcastOp op);
  LogicalResult transpose(tile::TransposeOp op);
  LogicalResult segsum(tile::SegsumOp op);
  LogicalResult exp(tile::ExpOp op);
  LogicalResult cumsum(tile::CumsumOp op);
  LogicalResult reduce(tile::ReduceOp op);
  LogicalResult dot(tile::DotOp op);
  LogicalResult load(tile::LoadOp op);
  LogicalResult loadScalar(tile::LoadScalarOp op);
  LogicalResult store(tile::StoreOp op);

  /// Calls `fn(linear, address)` for every live element of a load or store of
  /// a tile of `shape`, after checking that its address is inside the buffer.
  LogicalResult forEachLiveElement(Operation *op, bool isStore, Value buffer, Value base,
                                   ValueRange offsets, ValueRange strides, ValueRange bounds,
                                   Value mask, ArrayRef<int64_t> shape,
                                   function_ref<void(BufferState &, int64_t, int64_t)> fn);

  KernelOp kernel;
  const InterpreterOptions &options;
  bool dryRun;
  SmallVector<BufferState> buffers;     // by argument number; unused for integers
  SmallVector<HostArgument> scalarArgs; // by argument number; their buffers unused
  SmallVector<int64_t, 3> grid;
  int64_t programId[3] = {0, 0, 0};
  uint64_t opsLeft = 0;
  DenseMap<Value, Tensor> values;
};
} // namespace

InFlightDiagnostic Interpreter::error(Operation *op) {
  InFlightDiagnostic diag = op->emitOpError();
  diag.attachNote(kernel.getLoc())
      << "in program " << formatIndex(ArrayRef<int64_t>(programId, grid.size())) << " of grid "
      << formatIndex(grid) << " of @" << kernel.getSymName();
  return diag;
}

InFlightDiagnostic Interpreter::unsupported(Operation *op) {
  return op->emitOpError() << "is not supported by the host interpreter";
}

/// Whether the interpreter can hold a scalar of `type`: integers and index up
/// to 64 bits, floats whose values a double holds exactly.
static bool isHeldScalar(Type type) {
  if (type.isIndex())
    return true;
  if (auto integer = dyn_cast<IntegerType>(type))
    return integer.getWidth() <= 64;
  if (auto real = dyn_cast<FloatType>(type))
    return APFloat::isRepresentableBy(real.getFloatSemantics(), APFloat::IEEEdouble());
  return false;
}

LogicalResult Interpreter::checkRunnable() {
  if (kernel.getTypeParamsAttr())
    return kernel.emitError() << "@" << kernel.getSymName()
                              << " has element-type parameters: run one of its instances "
                                 "(tile-specialize makes them)";
  WalkResult walk = kernel.walk([&](Operation *op) {
    if (isa<tile::ParamOp>(op)) {
      op->emitOpError() << "is left in @" << kernel.getSymName()
                        << ": run tile-specialize before running a kernel on the host";
      return WalkResult::interrupt();
    }
    bool isMemoryOp = isa<tile::LoadOp, tile::LoadScalarOp, tile::StoreOp>(op);
    auto check = [&](Type type) {
      if (isa<tile::BufferType>(type)) {
        if (isMemoryOp || op == kernel.getOperation())
          return true;
        unsupported(op) << ": buffers as values of operations other than tile.load, "
                           "tile.load_scalar and tile.store are not";
        return false;
      }
      auto tile = dyn_cast<RankedTensorType>(type);
      if (tile && !tile.hasStaticShape()) {
        op->emitOpError() << "has the symbolic tile type " << type
                          << ": run tile-specialize before running a kernel on the host";
        return false;
      }
      if (!isHeldScalar(tile ? tile.getElementType() : type)) {
        unsupported(op) << ": values of type " << type << " are not";
        return false;
      }
      if (tile && tile.getNumElements() > kMaxTileElements) {
        op->emitOpError() << "has a tile of " << tile.getNumElements()
                          << " elements; the host interpreter holds at most " << kMaxTileElements;
        return false;
      }
      return true;
    };
    for (Type type : llvm::concat<const Type>(op->getOperandTypes(), op->getResultTypes()))
      if (!check(type))
        return WalkResult::interrupt();
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          if (!check(arg.getType()))
            return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

LogicalResult Interpreter::bind(ArrayRef<HostArgument> args) {
  ArrayRef<Type> types = kernel.getArgumentTypes();
  if (args.size() != types.size())
    return kernel.emitError() << "@" << kernel.getSymName() << " takes " << types.size()
                              << " arguments, but " << args.size() << " were given";
  buffers.assign(types.size(), BufferState());
  scalarArgs.assign(args.begin(), args.end());
  for (auto [index, type, arg] : llvm::enumerate(types, args)) {
    if (auto bufferType = dyn_cast<tile::BufferType>(type)) {
      if (!arg.buffer) {
        if (dryRun)
          continue;
        return kernel.emitError() << "argument " << index << " of @" << kernel.getSymName()
                                  << " is a " << type << " but no buffer was given";
      }
      pkg::ElemType expected = getHostElemType(bufferType);
      if (arg.buffer->elementType() != expected)
        return kernel.emitError() << "argument " << index << " of @" << kernel.getSymName()
                                  << " is a " << type << " but was given a buffer of "
                                  << elemTypeName(arg.buffer->elementType());
      buffers[index].buffer = arg.buffer;
      continue;
    }
    const bool isFloat = isa<FloatType>(type);
    if (arg.buffer || arg.isFloat != isFloat)
      return kernel.emitError() << "argument " << index << " of @" << kernel.getSymName() << " is "
                                << (isFloat ? "a float" : "an integer") << " (" << type
                                << ") but was given "
                                << (arg.buffer    ? "a buffer"
                                    : arg.isFloat ? "a float"
                                                  : "an integer");
    if (isFloat) {
      // What the runtime's launch checks (bindArgs): a finite value that
      // rounding makes infinite is a mistake, inf and NaN are not.
      if (std::isfinite(arg.real) && !std::isfinite(roundFloat(arg.real, type)))
        return kernel.emitError() << "argument " << index << " of @" << kernel.getSymName()
                                  << " is " << type << " but was given " << arg.real
                                  << ", which rounds to infinity in it";
      continue;
    }
    if (wrapInt(arg.value, bitWidth(type)) != arg.value)
      return kernel.emitError() << "argument " << index << " of @" << kernel.getSymName() << " is "
                                << type << " but was given " << arg.value << ", which does not fit";
  }
  return success();
}

LogicalResult Interpreter::run(ArrayRef<HostArgument> args) {
  if (failed(checkRunnable()) || failed(bind(args)))
    return failure();
  FailureOr<SmallVector<int64_t, 3>> sizes = evaluateGrid(kernel, args);
  if (failed(sizes))
    return failure();
  grid = *sizes;
  SmallVector<int64_t, 3> padded(grid);
  padded.resize(3, 1);
  for (programId[0] = 0; programId[0] < padded[0]; ++programId[0])
    for (programId[1] = 0; programId[1] < padded[1]; ++programId[1])
      for (programId[2] = 0; programId[2] < padded[2]; ++programId[2])
        if (failed(runProgram()))
          return failure();
  return success();
}

LogicalResult Interpreter::runProgram() {
  values.clear();
  opsLeft = options.maxOpsPerProgram;
  Block &entry = kernel.getBody().front();
  for (auto [arg, value] : llvm::zip(entry.getArguments(), scalarArgs)) {
    if (isa<tile::BufferType>(arg.getType()))
      continue;
    Tensor scalar = Tensor::zeros(arg.getType());
    if (scalar.isFloat())
      scalar.floats[0] = roundFloat(value.real, arg.getType());
    else
      scalar.ints[0] = value.value;
    set(arg, std::move(scalar));
  }
  SmallVector<Tensor> none;
  return runBlock(entry, none);
}

void Interpreter::bindArguments(Block &block, ArrayRef<Tensor> args) {
  for (auto [arg, value] : llvm::zip(block.getArguments(), args))
    set(arg, value);
}

LogicalResult Interpreter::runBlock(Block &block, SmallVectorImpl<Tensor> &yielded) {
  for (Operation &op : block) {
    if (op.hasTrait<OpTrait::IsTerminator>()) {
      if (!isa<tile::ReturnOp, scf::YieldOp, scf::ConditionOp>(op))
        return unsupported(&op) << ": control flow between blocks is not";
      yielded.clear();
      for (Value operand : op.getOperands())
        yielded.push_back(get(operand));
      return success();
    }
    if (failed(execute(&op)))
      return failure();
  }
  return success();
}

LogicalResult Interpreter::execute(Operation *op) {
  if (failed(spend(op)))
    return failure();
  for (Region &region : op->getRegions())
    if (!region.empty() && !region.hasOneBlock())
      return unsupported(op) << ": regions of more than one block are not";
  // Each family answers for its own operations and returns none for others.
  for (auto family : {&Interpreter::executeTileOp, &Interpreter::executeFloatOp,
                      &Interpreter::executeIntegerArithmeticOp, &Interpreter::executeIntegerLogicOp,
                      &Interpreter::executeCompareOrCastOp, &Interpreter::executeMathOp,
                      &Interpreter::executeControlFlowOp})
    if (std::optional<LogicalResult> result = (this->*family)(op))
      return *result;
  return unsupported(op);
}

/// The tile dialect.
std::optional<LogicalResult> Interpreter::executeTileOp(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case([&](tile::ProgramIdOp op) {
        Tensor result = Tensor::zeros(op.getType());
        result.ints[0] = programId[op.getAxis()];
        set(op, std::move(result));
        return success();
      })
      .Case([&](tile::RangeOp op) { return range(op); })
      .Case([&](tile::SplatOp op) { return splat(op); })
      .Case([&](tile::BroadcastOp op) { return broadcast(op); })
      .Case([&](tile::TransposeOp op) { return transpose(op); })
      .Case([&](tile::LoadOp op) { return load(op); })
      .Case([&](tile::LoadScalarOp op) { return loadScalar(op); })
      .Case([&](tile::StoreOp op) { return store(op); })
      .Case([&](tile::SegsumOp op) { return segsum(op); })
      .Case([&](tile::ExpOp op) { return exp(op); })
      .Case([&](tile::SoftplusOp op) {
        return mapFloats(op, [](double x) {
          return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
        });
      })
      .Case([&](tile::SigmoidOp op) {
        return mapFloats(op, [](double x) { return 1 / (1 + std::exp(-x)); });
      })
      .Case([&](tile::SiluOp op) {
        return mapFloats(
            op, [](double x) { return std::isinf(x) && x < 0 ? -0.0 : x / (1 + std::exp(-x)); });
      })
      .Case([&](tile::CumsumOp op) { return cumsum(op); })
      .Case([&](tile::ReduceOp op) { return reduce(op); })
      .Case([&](tile::DotOp op) { return dot(op); })
      .Default([](Operation *) { return std::nullopt; });
}

/// arith constants and float arithmetic.
std::optional<LogicalResult> Interpreter::executeFloatOp(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case([&](arith::ConstantOp op) { return constant(op); })
      .Case(
          [&](arith::AddFOp op) { return zipFloats(op, [](double a, double b) { return a + b; }); })
      .Case(
          [&](arith::SubFOp op) { return zipFloats(op, [](double a, double b) { return a - b; }); })
      .Case(
          [&](arith::MulFOp op) { return zipFloats(op, [](double a, double b) { return a * b; }); })
      .Case(
          [&](arith::DivFOp op) { return zipFloats(op, [](double a, double b) { return a / b; }); })
      .Case([&](arith::RemFOp op) {
        return zipFloats(op, [](double a, double b) { return std::fmod(a, b); });
      })
      .Case([&](arith::MaximumFOp op) { return zipFloats(op, maximumF); })
      .Case([&](arith::MinimumFOp op) { return zipFloats(op, minimumF); })
      .Case([&](arith::MaxNumFOp op) {
        return zipFloats(op, [](double a, double b) { return std::fmax(a, b); });
      })
      .Case([&](arith::MinNumFOp op) {
        return zipFloats(op, [](double a, double b) { return std::fmin(a, b); });
      })
      .Case([&](arith::NegFOp op) { return mapFloats(op, [](double x) { return -x; }); })
      .Default([](Operation *) { return std::nullopt; });
}

/// arith integer arithmetic: wrapping +, - and *, checked division.
std::optional<LogicalResult> Interpreter::executeIntegerArithmeticOp(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case([&](arith::AddIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          return IntResult{wrapInt(static_cast<int64_t>(uint64_t(a) + uint64_t(b)), width)};
        });
      })
      .Case([&](arith::SubIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          return IntResult{wrapInt(static_cast<int64_t>(uint64_t(a) - uint64_t(b)), width)};
        });
      })
      .Case([&](arith::MulIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          return IntResult{wrapInt(static_cast<int64_t>(uint64_t(a) * uint64_t(b)), width)};
        });
      })
      .Case([&](arith::DivSIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          if (b == 0)
            return IntResult{0, "divides by zero"};
          if (b == -1 && isMostNegative(a, width))
            return IntResult{0, "overflows"};
          return IntResult{a / b};
        });
      })
      .Case([&](arith::RemSIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned) {
          if (b == 0)
            return IntResult{0, "divides by zero"};
          return IntResult{b == -1 ? 0 : a % b};
        });
      })
      .Case([&](arith::CeilDivSIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          if (b == 0)
            return IntResult{0, "divides by zero"};
          if (b == -1 && isMostNegative(a, width))
            return IntResult{0, "overflows"};
          return IntResult{llvm::divideCeilSigned(a, b)};
        });
      })
      .Case([&](arith::FloorDivSIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          if (b == 0)
            return IntResult{0, "divides by zero"};
          if (b == -1 && isMostNegative(a, width))
            return IntResult{0, "overflows"};
          return IntResult{llvm::divideFloorSigned(a, b)};
        });
      })
      .Case([&](arith::DivUIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          if (zeroExtend(b, width) == 0)
            return IntResult{0, "divides by zero"};
          return IntResult{wrapInt(zeroExtend(a, width) / zeroExtend(b, width), width)};
        });
      })
      .Case([&](arith::RemUIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          if (zeroExtend(b, width) == 0)
            return IntResult{0, "divides by zero"};
          return IntResult{wrapInt(zeroExtend(a, width) % zeroExtend(b, width), width)};
        });
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// arith integer minima, maxima, bitwise operations and shifts.
std::optional<LogicalResult> Interpreter::executeIntegerLogicOp(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case([&](arith::MinSIOp op) {
        return zipInts(op,
                       [](int64_t a, int64_t b, unsigned) { return IntResult{std::min(a, b)}; });
      })
      .Case([&](arith::MaxSIOp op) {
        return zipInts(op,
                       [](int64_t a, int64_t b, unsigned) { return IntResult{std::max(a, b)}; });
      })
      .Case([&](arith::MinUIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          return IntResult{zeroExtend(a, width) < zeroExtend(b, width) ? a : b};
        });
      })
      .Case([&](arith::MaxUIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          return IntResult{zeroExtend(a, width) > zeroExtend(b, width) ? a : b};
        });
      })
      .Case([&](arith::AndIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned) { return IntResult{a & b}; });
      })
      .Case([&](arith::OrIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned) { return IntResult{a | b}; });
      })
      .Case([&](arith::XOrIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned) { return IntResult{a ^ b}; });
      })
      .Case([&](arith::ShLIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          if (zeroExtend(b, width) >= width)
            return IntResult{0, "shifts by at least the bit width"};
          return IntResult{wrapInt(static_cast<int64_t>(uint64_t(a) << b), width)};
        });
      })
      .Case([&](arith::ShRSIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          if (zeroExtend(b, width) >= width)
            return IntResult{0, "shifts by at least the bit width"};
          return IntResult{a >> b};
        });
      })
      .Case([&](arith::ShRUIOp op) {
        return zipInts(op, [](int64_t a, int64_t b, unsigned width) {
          if (zeroExtend(b, width) >= width)
            return IntResult{0, "shifts by at least the bit width"};
          return IntResult{wrapInt(static_cast<int64_t>(zeroExtend(a, width) >> b), width)};
        });
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// arith comparisons, select and casts.
std::optional<LogicalResult> Interpreter::executeCompareOrCastOp(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case([&](arith::CmpIOp op) { return cmpi(op); })
      .Case([&](arith::CmpFOp op) { return cmpf(op); })
      .Case([&](arith::SelectOp op) { return select(op); })
      .Case<arith::IndexCastOp, arith::ExtSIOp, arith::TruncIOp>(
          [&](Operation *op) { return castInt(op, /*fromUnsigned=*/false); })
      .Case<arith::IndexCastUIOp, arith::ExtUIOp>(
          [&](Operation *op) { return castInt(op, /*fromUnsigned=*/true); })
      .Case([&](arith::SIToFPOp op) { return intToFloatOp(op, /*isSigned=*/true); })
      .Case([&](arith::UIToFPOp op) { return intToFloatOp(op, /*isSigned=*/false); })
      .Case([&](arith::FPToSIOp op) { return floatToInt(op, /*isSigned=*/true); })
      .Case([&](arith::FPToUIOp op) { return floatToInt(op, /*isSigned=*/false); })
      .Case([&](arith::ExtFOp op) { return mapFloats(op, [](double x) { return x; }); })
      .Case([&](arith::TruncFOp op) -> LogicalResult {
        if (op.getRoundingmodeAttr())
          return unsupported(op) << ": only the default rounding (to nearest even) is";
        return mapFloats(op, [](double x) { return x; });
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// math.
std::optional<LogicalResult> Interpreter::executeMathOp(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case([&](math::ExpOp op) { return mapFloats(op, [](double x) { return std::exp(x); }); })
      .Case([&](math::Exp2Op op) { return mapFloats(op, [](double x) { return std::exp2(x); }); })
      .Case([&](math::LogOp op) { return mapFloats(op, [](double x) { return std::log(x); }); })
      .Case([&](math::Log2Op op) { return mapFloats(op, [](double x) { return std::log2(x); }); })
      .Case([&](math::Log1pOp op) { return mapFloats(op, [](double x) { return std::log1p(x); }); })
      .Case([&](math::TanhOp op) { return mapFloats(op, [](double x) { return std::tanh(x); }); })
      .Case([&](math::SqrtOp op) { return mapFloats(op, [](double x) { return std::sqrt(x); }); })
      .Case([&](math::RsqrtOp op) {
        return mapFloats(op, [](double x) { return 1.0 / std::sqrt(x); });
      })
      .Case([&](math::AbsFOp op) { return mapFloats(op, [](double x) { return std::fabs(x); }); })
      .Default([](Operation *) { return std::nullopt; });
}

/// scf.
std::optional<LogicalResult> Interpreter::executeControlFlowOp(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<LogicalResult>>(op)
      .Case([&](scf::ForOp op) { return forOp(op); })
      .Case([&](scf::IfOp op) { return ifOp(op); })
      .Case([&](scf::WhileOp op) { return whileOp(op); })
      .Default([](Operation *) { return std::nullopt; });
}

LogicalResult Interpreter::spend(Operation *op) {
  if (opsLeft == 0)
    return error(op) << "is past the limit of " << options.maxOpsPerProgram
                     << " operations per program; does a loop not terminate?";
  --opsLeft;
  return success();
}

//===----------------------------------------------------------------------===//
// arith and math
//===----------------------------------------------------------------------===//

/// The value of a float attribute as a double (exact: every float type the
/// interpreter holds fits in a double).
static double toDouble(APFloat value) {
  bool losesInfo;
  value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
  return value.convertToDouble();
}

LogicalResult Interpreter::constant(arith::ConstantOp op) {
  Tensor result = Tensor::zeros(op.getType());
  Attribute value = op.getValue();
  if (auto integer = dyn_cast<IntegerAttr>(value)) {
    result.ints[0] = integer.getValue().getSExtValue();
  } else if (auto real = dyn_cast<FloatAttr>(value)) {
    result.floats[0] = toDouble(real.getValue());
  } else if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(value)) {
    if (result.isFloat())
      llvm::transform(dense.getValues<APFloat>(), result.floats.begin(), toDouble);
    else
      llvm::transform(dense.getValues<APInt>(), result.ints.begin(),
                      [](const APInt &element) { return element.getSExtValue(); });
  } else {
    return unsupported(op) << ": only integer, float and dense constants are";
  }
  set(op, std::move(result));
  return success();
}

template <typename Fn> LogicalResult Interpreter::mapFloats(Operation *op, Fn fn) {
  const Tensor &input = get(op->getOperand(0));
  Tensor result = Tensor::zeros(op->getResult(0).getType());
  for (auto [out, in] : llvm::zip(result.floats, input.floats))
    out = roundFloat(fn(in), result.elementType);
  set(op->getResult(0), std::move(result));
  return success();
}

template <typename Fn> LogicalResult Interpreter::zipFloats(Operation *op, Fn fn) {
  const Tensor &lhs = get(op->getOperand(0)), &rhs = get(op->getOperand(1));
  Tensor result = Tensor::zeros(op->getResult(0).getType());
  for (auto [out, a, b] : llvm::zip(result.floats, lhs.floats, rhs.floats))
    out = roundFloat(fn(a, b), result.elementType);
  set(op->getResult(0), std::move(result));
  return success();
}

template <typename Fn> LogicalResult Interpreter::zipInts(Operation *op, Fn fn) {
  const Tensor &lhs = get(op->getOperand(0)), &rhs = get(op->getOperand(1));
  Tensor result = Tensor::zeros(op->getResult(0).getType());
  unsigned width = bitWidth(result.elementType);
  for (int64_t i = 0, e = result.numElements(); i < e; ++i) {
    IntResult element = fn(lhs.ints[i], rhs.ints[i], width);
    if (element.undefined) {
      InFlightDiagnostic diag = error(op) << element.undefined << " (" << lhs.ints[i] << " and "
                                          << rhs.ints[i];
      if (!result.shape.empty())
        diag << " at tile element " << formatIndex(delinearize(i, result.shape));
      return diag << ")";
    }
    result.ints[i] = element.value;
  }
  set(op->getResult(0), std::move(result));
  return success();
}

LogicalResult Interpreter::castInt(Operation *op, bool fromUnsigned) {
  const Tensor &input = get(op->getOperand(0));
  Tensor result = Tensor::zeros(op->getResult(0).getType());
  unsigned from = bitWidth(input.elementType), to = bitWidth(result.elementType);
  for (auto [out, in] : llvm::zip(result.ints, input.ints))
    out = wrapInt(fromUnsigned ? static_cast<int64_t>(zeroExtend(in, from)) : in, to);
  set(op->getResult(0), std::move(result));
  return success();
}

LogicalResult Interpreter::intToFloatOp(Operation *op, bool isSigned) {
  const Tensor &input = get(op->getOperand(0));
  Tensor result = Tensor::zeros(op->getResult(0).getType());
  unsigned width = bitWidth(input.elementType);
  for (auto [out, in] : llvm::zip(result.floats, input.ints))
    out = intToFloat(in, width, isSigned, result.elementType);
  set(op->getResult(0), std::move(result));
  return success();
}

LogicalResult Interpreter::floatToInt(Operation *op, bool isSigned) {
  const Tensor &input = get(op->getOperand(0));
  Tensor result = Tensor::zeros(op->getResult(0).getType());
  unsigned width = bitWidth(result.elementType);
  double low = isSigned ? -std::ldexp(1.0, width - 1) : 0.0;
  double high = std::ldexp(1.0, isSigned ? width - 1 : width);
  for (int64_t i = 0, e = result.numElements(); i < e; ++i) {
    double truncated = std::trunc(input.floats[i]);
    if (!(truncated >= low && truncated < high)) {
      InFlightDiagnostic diag = error(op) << "converts " << input.floats[i]
                                          << ", which is out of range of " << result.elementType;
      if (!result.shape.empty())
        diag << " (tile element " << formatIndex(delinearize(i, result.shape)) << ")";
      return diag;
    }
    result.ints[i] = wrapInt(isSigned ? static_cast<int64_t>(truncated)
                                      : static_cast<int64_t>(static_cast<uint64_t>(truncated)),
                             width);
  }
  set(op->getResult(0), std::move(result));
  return success();
}

LogicalResult Interpreter::cmpi(arith::CmpIOp op) {
  const Tensor &lhs = get(op.getLhs()), &rhs = get(op.getRhs());
  Tensor result = Tensor::zeros(op.getType());
  unsigned width = bitWidth(lhs.elementType);
  for (auto [out, a, b] : llvm::zip(result.ints, lhs.ints, rhs.ints))
    out = arith::applyCmpPredicate(op.getPredicate(), APInt(width, zeroExtend(a, width)),
                                   APInt(width, zeroExtend(b, width)))
              ? -1
              : 0;
  set(op, std::move(result));
  return success();
}

LogicalResult Interpreter::cmpf(arith::CmpFOp op) {
  const Tensor &lhs = get(op.getLhs()), &rhs = get(op.getRhs());
  Tensor result = Tensor::zeros(op.getType());
  for (auto [out, a, b] : llvm::zip(result.ints, lhs.floats, rhs.floats))
    out = arith::applyCmpPredicate(op.getPredicate(), APFloat(a), APFloat(b)) ? -1 : 0;
  set(op, std::move(result));
  return success();
}

LogicalResult Interpreter::select(arith::SelectOp op) {
  const Tensor &condition = get(op.getCondition());
  const Tensor &onTrue = get(op.getTrueValue()), &onFalse = get(op.getFalseValue());
  Tensor result = Tensor::zeros(op.getType());
  bool scalarCondition = condition.shape.empty();
  for (int64_t i = 0, e = result.numElements(); i < e; ++i) {
    const Tensor &chosen = condition.ints[scalarCondition ? 0 : i] ? onTrue : onFalse;
    if (result.isFloat())
      result.floats[i] = chosen.floats[i];
    else
      result.ints[i] = chosen.ints[i];
  }
  set(op, std::move(result));
  return success();
}

//===----------------------------------------------------------------------===//
// scf
//===----------------------------------------------------------------------===//

LogicalResult Interpreter::forOp(scf::ForOp op) {
  if (op.getUnsignedCmp())
    return unsupported(op) << ": unsigned loop bounds are not";
  int64_t lower = getIndex(op.getLowerBound()), upper = getIndex(op.getUpperBound());
  int64_t step = getIndex(op.getStep());
  if (step <= 0)
    return error(op) << "has step " << step << "; a loop needs a positive step";
  Block &body = *op.getBody();
  Type ivType = op.getInductionVar().getType();
  unsigned ivWidth = bitWidth(ivType);
  SmallVector<Tensor> carried;
  for (Value init : op.getInitArgs())
    carried.push_back(get(init));
  for (int64_t iv = lower; iv < upper;) {
    if (failed(spend(op)))
      return failure();
    Tensor ivValue = Tensor::zeros(ivType);
    ivValue.ints[0] = iv;
    set(op.getInductionVar(), std::move(ivValue));
    for (auto [arg, value] : llvm::zip(op.getRegionIterArgs(), carried))
      set(arg, value);
    SmallVector<Tensor> yielded;
    if (failed(runBlock(body, yielded)))
      return failure();
    carried = std::move(yielded);
    std::optional<int64_t> next = llvm::checkedAdd(iv, step);
    if (!next || wrapInt(*next, ivWidth) != *next)
      break;
    iv = *next;
  }
  for (auto [result, value] : llvm::zip(op.getResults(), carried))
    set(result, std::move(value));
  return success();
}

LogicalResult Interpreter::ifOp(scf::IfOp op) {
  Region &taken = get(op.getCondition()).ints[0] ? op.getThenRegion() : op.getElseRegion();
  if (taken.empty())
    return success();
  SmallVector<Tensor> yielded;
  if (failed(runBlock(taken.front(), yielded)))
    return failure();
  for (auto [result, value] : llvm::zip(op.getResults(), yielded))
    set(result, std::move(value));
  return success();
}

LogicalResult Interpreter::whileOp(scf::WhileOp op) {
  SmallVector<Tensor> carried;
  for (Value init : op.getInits())
    carried.push_back(get(init));
  while (true) {
    if (failed(spend(op)))
      return failure();
    bindArguments(*op.getBeforeBody(), carried);
    SmallVector<Tensor> condition;
    if (failed(runBlock(*op.getBeforeBody(), condition)))
      return failure();
    bool proceed = condition.front().ints[0] != 0;
    SmallVector<Tensor> forwarded(std::make_move_iterator(condition.begin() + 1),
                                  std::make_move_iterator(condition.end()));
    if (!proceed) {
      for (auto [result, value] : llvm::zip(op.getResults(), forwarded))
        set(result, std::move(value));
      return success();
    }
    bindArguments(*op.getAfterBody(), forwarded);
    if (failed(runBlock(*op.getAfterBody(), carried)))
      return failure();
  }
}

//===----------------------------------------------------------------------===//
// tile
//===----------------------------------------------------------------------===//

LogicalResult Interpreter::range(tile::RangeOp op) {
  Tensor result = Tensor::zeros(op.getType());
  unsigned width = bitWidth(result.elementType);
  for (auto [index, out] : llvm::enumerate(result.ints))
    out = wrapInt(static_cast<int64_t>(index), width);
  set(op, std::move(result));
  return success();
}

LogicalResult Interpreter::splat(tile::SplatOp op) {
  const Tensor &value = get(op.getValue());
  Tensor result = Tensor::zeros(op.getType());
  if (result.isFloat())
    llvm::fill(result.floats, value.floats[0]);
  else
    llvm::fill(result.ints, value.ints[0]);
  set(op, std::move(result));
  return success();
}

LogicalResult Interpreter::broadcast(tile::BroadcastOp op) {
  const Tensor &input = get(op.getInput());
  Tensor result = Tensor::zeros(op.getType());
  // The input's stride along each result axis: 0 along the new axes.
  SmallVector<int64_t, 4> inputStrides = rowMajorStrides(input.shape);
  SmallVector<int64_t, 4> strides;
  size_t next = 0;
  for (int64_t axis = 0, rank = result.shape.size(); axis < rank; ++axis)
    strides.push_back(llvm::is_contained(op.getNewAxes(), axis) ? 0 : inputStrides[next++]);
  for (int64_t i = 0, e = result.numElements(); i < e; ++i) {
    int64_t source = 0;
    for (auto [index, stride] : llvm::zip(delinearize(i, result.shape), strides))
      source += index * stride;
    if (result.isFloat())
      result.floats[i] = input.floats[source];
    else
      result.ints[i] = input.ints[source];
  }
  set(op, std::move(result));
  return success();
}

LogicalResult Interpreter::transpose(tile::TransposeOp op) {
  const Tensor &input = get(op.getInput());
  Tensor result = Tensor::zeros(op.getType());
  int64_t rows = input.shape[0], cols = input.shape[1];
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      if (input.isFloat())
        result.floats[j * rows + i] = input.floats[i * cols + j];
      else
        result.ints[j * rows + i] = input.ints[i * cols + j];
    }
  set(op, std::move(result));
  return success();
}

LogicalResult Interpreter::segsum(tile::SegsumOp op) {
  const Tensor &rows = get(op.getRows()), &cols = get(op.getCols());
  int64_t rowStart = getIndex(op.getRowStart()), colStart = getIndex(op.getColStart());
  Tensor result = Tensor::zeros(op.getType());
  int64_t numCols = result.shape[1];
  for (int64_t a = 0; a < result.shape[0]; ++a)
    for (int64_t b = 0; b < numCols; ++b) {
      int64_t i = static_cast<int64_t>(uint64_t(rowStart) + uint64_t(a));
      int64_t j = static_cast<int64_t>(uint64_t(colStart) + uint64_t(b));
      result.floats[a * numCols + b] =
          j <= i ? roundFloat(rows.floats[a] - cols.floats[b], result.elementType)
                 : -std::numeric_limits<double>::infinity();
    }
  set(op, std::move(result));
  return success();
}

LogicalResult Interpreter::exp(tile::ExpOp op) {
  if (op.getClamp())
    return mapFloats(op, [](double x) { return std::exp(std::min(x, 0.0)); });
  return mapFloats(op, [](double x) { return std::exp(x); });
}

/// The sizes before, along and after `axis` of `shape`: a row-major array
/// seen as [outer][along][inner].
static std::tuple<int64_t, int64_t, int64_t> splitAtAxis(ArrayRef<int64_t> shape, int64_t axis) {
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= shape[i];
  for (int64_t i = axis + 1, rank = shape.size(); i < rank; ++i)
    inner *= shape[i];
  return {outer, shape[axis], inner};
}

LogicalResult Interpreter::cumsum(tile::CumsumOp op) {
  const Tensor &input = get(op.getInput());
  Tensor result = Tensor::zeros(op.getType());
  auto [outer, along, inner] = splitAtAxis(input.shape, op.getAxis());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      double sum = 0;
      for (int64_t k = 0; k < along; ++k) {
        int64_t position = (o * along + k) * inner + in;
        sum += input.floats[position];
        result.floats[position] = roundFloat(sum, result.elementType);
      }
    }
  set(op, std::move(result));
  return success();
}

LogicalResult Interpreter::reduce(tile::ReduceOp op) {
  const Tensor &input = get(op.getInput());
  Tensor result = Tensor::zeros(op.getType());
  auto [outer, along, inner] = splitAtAxis(input.shape, op.getAxis());
  constexpr double inf = std::numeric_limits<double>::infinity();
  tile::ReduceKind kind = op.getKind();
  double identity = kind == tile::ReduceKind::max    ? -inf
                    : kind == tile::ReduceKind::min  ? inf
                    : kind == tile::ReduceKind::prod ? 1.0
                                                     : 0.0;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      double value = identity;
      for (int64_t k = 0; k < along; ++k) {
        double element = input.floats[(o * along + k) * inner + in];
        switch (kind) {
        case tile::ReduceKind::sum:
          value += element;
          break;
        case tile::ReduceKind::max:
          value = maximumF(value, element);
          break;
        case tile::ReduceKind::min:
          value = minimumF(value, element);
          break;
        case tile::ReduceKind::prod:
          value *= element;
          break;
        }
      }
      result.floats[o * inner + in] = roundFloat(value, result.elementType);
    }
  set(op, std::move(result));
  return success();
}

LogicalResult Interpreter::dot(tile::DotOp op) {
  const Tensor &a = get(op.getA()), &b = get(op.getB()), &acc = get(op.getAcc());
  Tensor result = Tensor::zeros(op.getType());
  int64_t rows = a.shape[0], inner = a.shape[1], cols = b.shape[1];
  // Each operand as big + small, what the GPU multiplies (tile.dot's
  // precisions): ieee the value and 0; tf32 its tf32 rounding and 0; tf32x3
  // that and the tf32 rounding of the (exact f32) rest; bf16x3 the same with
  // bf16 roundings (to nearest even). The products and their sum are exact
  // in double, rounded to f32 once.
  tile::InputPrecision precision = op.getInputPrecision();
  Type bf16 = Builder(op.getContext()).getBF16Type();
  auto split = [&](const std::vector<double> &values, std::vector<double> &big,
                   std::vector<double> &small) {
    big = values;
    small.assign(values.size(), 0.0);
    if (precision == tile::InputPrecision::ieee)
      return;
    for (auto [index, value] : llvm::enumerate(values)) {
      if (precision == tile::InputPrecision::bf16x3) {
        big[index] = roundFloat(value, bf16);
        small[index] = roundFloat(static_cast<float>(value - big[index]), bf16);
        continue;
      }
      big[index] = roundToTF32(value);
      if (precision == tile::InputPrecision::tf32x3)
        small[index] = roundToTF32(static_cast<float>(value - big[index]));
    }
  };
  std::vector<double> aBig, aSmall, bBig, bSmall;
  split(a.floats, aBig, aSmall);
  split(b.floats, bBig, bSmall);
  for (int64_t m = 0; m < rows; ++m)
    for (int64_t n = 0; n < cols; ++n) {
      double sum = acc.floats[m * cols + n];
      for (int64_t k = 0; k < inner; ++k) {
        int64_t ai = m * inner + k, bi = k * cols + n;
        sum += aSmall[ai] * bBig[bi] + aBig[ai] * bSmall[bi] + aBig[ai] * bBig[bi];
      }
      result.floats[m * cols + n] = roundFloat(sum, result.elementType);
    }
  set(op, std::move(result));
  return success();
}

LogicalResult
Interpreter::forEachLiveElement(Operation *op, bool isStore, Value buffer, Value base,
                                ValueRange offsets, ValueRange strides, ValueRange bounds,
                                Value mask, ArrayRef<int64_t> shape,
                                function_ref<void(BufferState &, int64_t, int64_t)> fn) {
  auto arg = dyn_cast<BlockArgument>(buffer);
  if (!arg || arg.getOwner() != &kernel.getBody().front())
    return unsupported(op) << ": buffers other than the kernel's arguments are not";
  BufferState &state = buffers[arg.getArgNumber()];
  auto indices = [&](ValueRange range) {
    return llvm::to_vector<4>(llvm::map_range(range, [&](Value v) { return getIndex(v); }));
  };
  SmallVector<int64_t, 4> offsetValues = indices(offsets), strideValues = indices(strides),
                          boundValues = indices(bounds);
  const Tensor *maskValues = mask ? &get(mask) : nullptr;
  int64_t baseValue = getIndex(base);
  int64_t count = ShapedType::getNumElements(shape);
  for (int64_t linear = 0; linear < count; ++linear) {
    if (maskValues && maskValues->ints[linear] == 0)
      continue;
    SmallVector<int64_t, 4> element = delinearize(linear, shape);
    std::optional<int64_t> address = baseValue;
    bool live = true;
    for (auto [axis, index] : llvm::enumerate(element)) {
      std::optional<int64_t> position = llvm::checkedAdd(offsetValues[axis], index);
      if (position && !boundValues.empty() && (*position < 0 || *position >= boundValues[axis])) {
        live = false;
        break;
      }
      std::optional<int64_t> term =
          position ? llvm::checkedMul(*position, strideValues[axis]) : std::nullopt;
      address = address && term ? llvm::checkedAdd(*address, *term) : std::nullopt;
    }
    if (!live)
      continue;
    StringRef verb = isStore ? "writes" : "reads";
    if (!address)
      return error(op) << verb << " an element whose address overflows 64 bits (tile element "
                       << formatIndex(element) << " is live)";
    if (*address < 0 || (state.buffer && *address >= state.buffer->size())) {
      InFlightDiagnostic diag = error(op) << verb << " element " << *address << " of %"
                                          << kernel.getArgName(arg.getArgNumber()) << " (argument "
                                          << arg.getArgNumber() << ")";
      if (state.buffer)
        diag << ", a buffer of " << state.buffer->size() << " elements";
      return diag << ": tile element " << formatIndex(element)
                  << " is live (inside the bounds and the mask) but outside the buffer";
    }
    state.touched = std::max(state.touched, *address + 1);
    fn(state, linear, *address);
  }
  return success();
}

namespace {
/// Element `address` of a load's buffer into element `linear` of `result`;
/// zero when the buffer is absent (measureBufferSizes' dry run).
void readElement(const BufferState &state, int64_t address, Tensor &result, int64_t linear) {
  if (result.isFloat())
    result.floats[linear] = state.buffer ? state.buffer->loadFloat(address) : 0.0;
  else
    result.ints[linear] = state.buffer ? state.buffer->loadInt(address) : 0;
}
} // namespace

LogicalResult Interpreter::load(tile::LoadOp op) {
  Tensor result = Tensor::zeros(op.getType());
  if (TypedAttr other = op.getOtherAttr()) {
    if (auto real = dyn_cast<FloatAttr>(other))
      llvm::fill(result.floats, toDouble(real.getValue()));
    else if (auto integer = dyn_cast<IntegerAttr>(other))
      llvm::fill(result.ints, integer.getValue().getSExtValue());
    else
      return unsupported(op) << ": an 'other' value that is not an integer or float is not";
  }
  if (failed(forEachLiveElement(op, /*isStore=*/false, op.getBuffer(), op.getBase(),
                                op.getOffsets(), op.getStrides(), op.getBounds(), op.getMask(),
                                result.shape,
                                [&](BufferState &state, int64_t linear, int64_t address) {
                                  readElement(state, address, result, linear);
                                })))
    return failure();
  set(op, std::move(result));
  return success();
}

LogicalResult Interpreter::loadScalar(tile::LoadScalarOp op) {
  Tensor result = Tensor::zeros(op.getType());
  // A rank-0 access: the one element at `index`, checked like a load's.
  if (failed(forEachLiveElement(op, /*isStore=*/false, op.getBuffer(), op.getIndex(), {}, {}, {},
                                Value(), {},
                                [&](BufferState &state, int64_t linear, int64_t address) {
                                  readElement(state, address, result, linear);
                                })))
    return failure();
  set(op, std::move(result));
  return success();
}

LogicalResult Interpreter::store(tile::StoreOp op) {
  const Tensor &value = get(op.getValue());
  return forEachLiveElement(op, /*isStore=*/true, op.getBuffer(), op.getBase(), op.getOffsets(),
                            op.getStrides(), op.getBounds(), op.getMask(), value.shape,
                            [&](BufferState &state, int64_t linear, int64_t address) {
                              if (dryRun)
                                return;
                              if (value.isFloat())
                                state.buffer->storeFloat(address, value.floats[linear]);
                              else
                                state.buffer->storeInt(address, value.ints[linear]);
                            });
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

LogicalResult ssdc::host::runKernel(KernelOp kernel, ArrayRef<HostArgument> args,
                                    const InterpreterOptions &options) {
  return Interpreter(kernel, options, /*dryRun=*/false).run(args);
}

FailureOr<SmallVector<int64_t>> ssdc::host::measureBufferSizes(KernelOp kernel,
                                                               ArrayRef<HostArgument> args,
                                                               const InterpreterOptions &options) {
  Interpreter interpreter(kernel, options, /*dryRun=*/true);
  if (failed(interpreter.run(args)))
    return failure();
  return llvm::to_vector(
      llvm::map_range(interpreter.bufferStates(), [](const BufferState &s) { return s.touched; }));
}
