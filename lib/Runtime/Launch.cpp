//===- Launch.cpp - Typed kernel arguments and launch configs -------------===//

#include "ssdc/Runtime/Launch.h"

#include <cmath>
#include <limits>

namespace ssdc {

namespace {

const char *kindName(pkg::ArgKind kind) {
  switch (kind) {
  case pkg::ArgKind::Buffer:
    return "a buffer";
  case pkg::ArgKind::Int:
    return "an integer";
  case pkg::ArgKind::Float:
    return "a float";
  }
  return "an unknown kind of argument";
}

Status checkArg(const pkg::Kernel &kernel, size_t index, const ArgValue &value) {
  const pkg::Arg &arg = kernel.args[index];
  // Every launch checks every argument: the description is built only for an
  // error, so the path that succeeds allocates nothing.
  auto which = [&] {
    return "argument " + std::to_string(index) + " '" + arg.name + "' of kernel '" + kernel.name +
           "'";
  };
  if (value.kind != arg.kind)
    return invalidArgument(which() + " is " + kindName(arg.kind) + " but was given " +
                           kindName(value.kind));
  if (arg.kind == pkg::ArgKind::Float) {
    // inf and NaN are values a caller may mean (a -inf bound); a finite value
    // that only rounding makes infinite is not.
    if (std::isfinite(value.real) && !std::isfinite(roundToElemType(arg.type, value.real)))
      return outOfRange(which() + " is " + elemTypeName(arg.type) + " but was given " +
                        std::to_string(value.real) + ", which rounds to infinity in it");
    return okStatus();
  }
  if (arg.kind == pkg::ArgKind::Int) {
    if (arg.type == pkg::ElemType::I32 && (value.value < std::numeric_limits<int32_t>::min() ||
                                           value.value > std::numeric_limits<int32_t>::max()))
      return outOfRange(which() + " is i32 but was given " + std::to_string(value.value));
    return okStatus();
  }
  if (value.type != arg.type)
    return invalidArgument(which() + " has element type " + elemTypeName(arg.type) +
                           " but was given a " + elemTypeName(value.type) + " buffer");
  if (value.data == nullptr && value.count != 0)
    return invalidArgument(which() + " is a null pointer with " + std::to_string(value.count) +
                           " elements");
  if (elemTypeSize(value.type) == 0 ||
      value.count > (std::numeric_limits<uint64_t>::max() >> 4) / elemTypeSize(value.type))
    return outOfRange(which() + " has an element count (" + std::to_string(value.count) +
                      ") whose byte size overflows");
  return okStatus();
}

} // namespace

Status bindArgs(const pkg::Kernel &kernel, const KernelArgs &args, BoundArgs &out) {
  const size_t expected = kernel.args.size();
  if (args.positional().size() > expected)
    return invalidArgument("kernel '" + kernel.name + "' takes " + std::to_string(expected) +
                           " arguments but was "
                           "given " +
                           std::to_string(args.positional().size()) + " positional ones");
  // Runs on every launch, so it avoids allocating: the vectors of `out`
  // keep their capacity when a caller reuses it.
  const size_t positional = args.positional().size();
  out.values.resize(expected);
  out.ints.assign(expected, 0);
  for (size_t i = 0; i < positional; ++i)
    out.values[i] = args.positional()[i];
  const std::vector<KernelArgs::Named> &named = args.named();
  for (size_t n = 0; n < named.size(); ++n) {
    size_t index = 0;
    while (index < expected && kernel.args[index].name != named[n].name)
      ++index;
    if (index == expected)
      return invalidArgument("kernel '" + kernel.name + "' has no argument named '" +
                             named[n].name + "'");
    bool twice = index < positional;
    for (size_t m = 0; m < n && !twice; ++m)
      twice = named[m].name == named[n].name;
    if (twice)
      return invalidArgument("argument '" + named[n].name + "' of kernel '" + kernel.name +
                             "' is given twice");
    out.values[index] = named[n].value;
  }
  // Named arguments are distinct and past the positional ones, so the counts
  // add up exactly when every argument is given.
  if (positional + named.size() != expected)
    for (size_t i = positional; i < expected; ++i) {
      bool given = false;
      for (const KernelArgs::Named &item : named)
        given = given || item.name == kernel.args[i].name;
      if (!given)
        return invalidArgument("argument " + std::to_string(i) + " '" + kernel.args[i].name +
                               "' of kernel '" + kernel.name + "' is missing");
    }
  for (size_t i = 0; i < expected; ++i) {
    SSDC_RETURN_IF_ERROR(checkArg(kernel, i, out.values[i]));
    if (kernel.args[i].kind == pkg::ArgKind::Int)
      out.ints[i] = out.values[i].value;
  }
  return okStatus();
}

uint64_t scalarBits(const pkg::Arg &arg, const ArgValue &value) {
  if (arg.kind == pkg::ArgKind::Float)
    return floatBits(arg.type, value.real);
  if (arg.type == pkg::ElemType::I32)
    return static_cast<uint32_t>(static_cast<int32_t>(value.value));
  return static_cast<uint64_t>(value.value);
}

namespace {

int64_t floorDiv(int64_t a, int64_t b) { // b > 0
  int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

} // namespace

Status evaluateExpr(const pkg::Expr &expr, const std::vector<int64_t> &ints,
                    const std::vector<int64_t> &paramValues, int64_t &out) {
  // Grid expressions are at most a few nodes deep; a fixed stack avoids an
  // allocation on every launch.
  constexpr size_t kMaxDepth = pkg::kMaxExprDepth;
  int64_t stack[kMaxDepth];
  size_t depth = 0;
  for (const pkg::ExprNode &node : expr) {
    using Op = pkg::ExprNode::Op;
    int64_t value = 0;
    switch (node.op) {
    case Op::Const:
      value = node.value;
      break;
    case Op::Arg:
      if (node.value < 0 || static_cast<uint64_t>(node.value) >= ints.size())
        return invalidArgument("grid expression refers to argument index " +
                               std::to_string(node.value));
      value = ints[node.value];
      break;
    case Op::Param:
      if (node.value < 0 || static_cast<uint64_t>(node.value) >= paramValues.size())
        return invalidArgument("grid expression refers to parameter index " +
                               std::to_string(node.value));
      value = paramValues[node.value];
      break;
    default: {
      if (depth < 2)
        return invalidArgument("grid expression has a binary operator "
                               "without two operands");
      int64_t rhs = stack[--depth];
      int64_t lhs = stack[--depth];
      bool overflow = false;
      switch (node.op) {
      case Op::Add:
        overflow = __builtin_add_overflow(lhs, rhs, &value);
        break;
      case Op::Sub:
        overflow = __builtin_sub_overflow(lhs, rhs, &value);
        break;
      case Op::Mul:
        overflow = __builtin_mul_overflow(lhs, rhs, &value);
        break;
      case Op::FloorDiv:
      case Op::CeilDiv:
      case Op::Mod:
        if (rhs <= 0)
          return invalidArgument("grid expression divides " + std::to_string(lhs) + " by " +
                                 std::to_string(rhs));
        if (node.op == Op::FloorDiv) {
          value = floorDiv(lhs, rhs);
        } else if (node.op == Op::Mod) {
          value = lhs - floorDiv(lhs, rhs) * rhs;
        } else {
          // ceil(a / b) = -floor(-a / b); only -INT64_MIN overflows.
          if (lhs == std::numeric_limits<int64_t>::min())
            overflow = true;
          else
            value = -floorDiv(-lhs, rhs);
        }
        break;
      default:
        return invalidArgument("grid expression has unknown operator " +
                               std::to_string(static_cast<int>(node.op)));
      }
      if (overflow)
        return outOfRange("grid expression overflows 64 bits computing " + std::to_string(lhs) +
                          " and " + std::to_string(rhs));
      break;
    }
    }
    if (depth == kMaxDepth)
      return invalidArgument("grid expression is deeper than " + std::to_string(kMaxDepth));
    stack[depth++] = value;
  }
  if (depth != 1)
    return invalidArgument("grid expression leaves " + std::to_string(depth) +
                           " values instead of one");
  out = stack[0];
  return okStatus();
}

Status computeLaunchConfig(const pkg::Kernel &kernel, uint32_t configIndex, const BoundArgs &args,
                           LaunchConfig &out, const GridLimits &limits) {
  if (configIndex >= kernel.configs.size())
    return notFound("kernel '" + kernel.name + "' has no config " + std::to_string(configIndex));
  if (kernel.grid.empty() || kernel.grid.size() > 3)
    return invalidArgument("kernel '" + kernel.name + "' has " +
                           std::to_string(kernel.grid.size()) +
                           " grid dimensions (1 to 3 allowed)");
  const pkg::Config &config = kernel.configs[configIndex];
  LaunchConfig launch;
  const uint64_t maxima[3] = {limits.maxX, limits.maxY, limits.maxZ};
  static const char *const kDimNames[3] = {"x", "y", "z"};
  for (size_t d = 0; d < kernel.grid.size(); ++d) {
    int64_t value = 0;
    Status status = evaluateExpr(kernel.grid[d], args.ints, config.paramValues, value);
    if (!status.ok())
      return status.withContext("grid " + std::string(kDimNames[d]) + " of kernel '" + kernel.name +
                                "'");
    if (value < 0)
      return outOfRange("grid " + std::string(kDimNames[d]) + " of kernel '" + kernel.name +
                        "' is negative (" + std::to_string(value) + ")");
    launch.grid[d] = static_cast<uint64_t>(value);
  }
  if (!launch.empty())
    for (size_t d = 0; d < 3; ++d)
      if (launch.grid[d] > maxima[d])
        return outOfRange("grid " + std::string(kDimNames[d]) + " of kernel '" + kernel.name +
                          "' is " + std::to_string(launch.grid[d]) + ", above the device limit " +
                          std::to_string(maxima[d]));
  launch.block[0] = config.blockThreads;
  launch.sharedBytes = config.sharedBytes;
  out = launch;
  return okStatus();
}

std::string LaunchConfig::toString() const {
  return "grid (" + std::to_string(grid[0]) + ", " + std::to_string(grid[1]) + ", " +
         std::to_string(grid[2]) + "), block (" + std::to_string(block[0]) + ", " +
         std::to_string(block[1]) + ", " + std::to_string(block[2]) + "), shared " +
         std::to_string(sharedBytes) + " B";
}

std::vector<int64_t> keyValues(const pkg::Kernel &kernel, const BoundArgs &args) {
  std::vector<int64_t> values;
  values.reserve(kernel.keyArgs.size());
  for (uint32_t index : kernel.keyArgs)
    values.push_back(index < args.ints.size() ? args.ints[index] : 0);
  return values;
}

std::string describeConfig(const pkg::Kernel &kernel, uint32_t configIndex) {
  if (configIndex >= kernel.configs.size())
    return "<no config " + std::to_string(configIndex) + ">";
  const pkg::Config &config = kernel.configs[configIndex];
  std::string text;
  for (size_t p = 0; p < kernel.params.size() && p < config.paramValues.size(); ++p) {
    if (!text.empty())
      text += ',';
    text += kernel.params[p].name + "=" + std::to_string(config.paramValues[p]);
  }
  return text.empty() ? "default" : text;
}

} // namespace ssdc
