//===- GridExpr.cpp - the grid expressions of tile.kernel -----------------===//
#include "ssdc/Dialect/Tile/IR/GridExpr.h"

#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace ssdc;
using namespace ssdc::tile;

namespace {

/// Why `lhs <kind> rhs` cannot be part of a grid expression, or an empty
/// string. The grid is stored as an affine map whose symbols are the kernel's
/// arguments followed by its parameters, so products, quotients and moduli of
/// any of them print back in a form that parses (generic form, bytecode); only
/// a constant divisor that is not positive is wrong before launch time.
std::string gridOperationError(AffineExprKind kind, AffineExpr rhs) {
  if (kind != AffineExprKind::FloorDiv && kind != AffineExprKind::CeilDiv &&
      kind != AffineExprKind::Mod)
    return "";
  auto cst = llvm::dyn_cast<AffineConstantExpr>(rhs);
  if (!cst || cst.getValue() > 0)
    return "";
  return (llvm::Twine(kind == AffineExprKind::Mod ? "takes a modulo by " : "divides by ") +
          llvm::Twine(cst.getValue()) + "; divisors must be positive")
      .str();
}

/// The constant MLIR folds into when it builds `expr <kind> c`: `expr` itself
/// when constant, or the constant right operand of an `expr` of the same kind
/// (MLIR keeps constants on the right and combines them).
std::optional<int64_t> foldedConstant(AffineExpr expr, AffineExprKind kind) {
  if (auto cst = llvm::dyn_cast<AffineConstantExpr>(expr))
    return cst.getValue();
  auto bin = llvm::dyn_cast<AffineBinaryOpExpr>(expr);
  if (!bin || bin.getKind() != kind)
    return std::nullopt;
  if (auto cst = llvm::dyn_cast<AffineConstantExpr>(bin.getRHS()))
    return cst.getValue();
  return std::nullopt;
}

/// Parses a grid expression into an affine expression over symbols: the
/// kernel's arguments first, then its parameters (grammar in GridExpr.h).
class GridExprParser {
public:
  GridExprParser(OpAsmParser &parser, ArrayRef<OpAsmParser::Argument> args,
                 ArrayRef<Attribute> params)
      : parser(parser), args(args), params(params) {}

  ParseResult parseExpr(AffineExpr &result) {
    if (parseTerm(result))
      return failure();
    while (true) {
      SMLoc opLoc = parser.getCurrentLocation();
      AffineExpr rhs;
      if (succeeded(parser.parseOptionalPlus())) {
        if (parseTerm(rhs) || combine(opLoc, AffineExprKind::Add, result, rhs, result))
          return failure();
      } else if (succeeded(parser.parseOptionalMinus())) {
        // a - b is a + b * -1 in an affine expression.
        AffineExpr minusOne = getAffineConstantExpr(-1, parser.getContext());
        if (parseTerm(rhs) || combine(opLoc, AffineExprKind::Mul, rhs, minusOne, rhs) ||
            combine(opLoc, AffineExprKind::Add, result, rhs, result))
          return failure();
      } else {
        return success();
      }
    }
  }

private:
  ParseResult parseTerm(AffineExpr &result) {
    if (parseFactor(result))
      return failure();
    while (true) {
      AffineExpr rhs;
      SMLoc opLoc = parser.getCurrentLocation();
      AffineExprKind kind;
      if (succeeded(parser.parseOptionalStar()))
        kind = AffineExprKind::Mul;
      else if (succeeded(parser.parseOptionalSlash()))
        kind = AffineExprKind::FloorDiv;
      else if (succeeded(parser.parseOptionalKeyword("mod")))
        kind = AffineExprKind::Mod;
      else
        return success();
      if (parseFactor(rhs) || combine(opLoc, kind, result, rhs, result))
        return failure();
    }
  }

  /// `lhs <kind> rhs` into `result`, or an error at `loc` for a divisor that
  /// is not positive or constants whose combination overflows 64 bits.
  ParseResult combine(SMLoc loc, AffineExprKind kind, AffineExpr lhs, AffineExpr rhs,
                      AffineExpr &result) {
    if (std::string message = gridOperationError(kind, rhs); !message.empty())
      return parser.emitError(loc) << "grid expression " << message;
    if (kind == AffineExprKind::Add || kind == AffineExprKind::Mul) {
      std::optional<int64_t> a = foldedConstant(lhs, kind), b = foldedConstant(rhs, kind);
      if (a && b &&
          !(kind == AffineExprKind::Add ? llvm::checkedAdd(*a, *b) : llvm::checkedMul(*a, *b)))
        return parser.emitError(loc) << "grid expression overflows 64 bits: " << *a
                                     << (kind == AffineExprKind::Add ? " + " : " * ") << *b;
    }
    result = getAffineBinaryOpExpr(kind, lhs, rhs);
    return success();
  }

  ParseResult parseNested(SMLoc loc, function_ref<ParseResult()> parseInside) {
    if (nesting == kMaxGridNesting)
      return parser.emitError(loc) << "grid expression nests parentheses and cdiv deeper than "
                                   << kMaxGridNesting << " levels (the limit)";
    ++nesting;
    ParseResult result = parseInside();
    --nesting;
    return result;
  }

  ParseResult parseFactor(AffineExpr &result) {
    MLIRContext *ctx = parser.getContext();
    SMLoc loc = parser.getCurrentLocation();
    int64_t value;
    OptionalParseResult integer = parser.parseOptionalInteger(value);
    if (integer.has_value()) {
      if (failed(*integer))
        return failure();
      result = getAffineConstantExpr(value, ctx);
      return success();
    }
    if (succeeded(parser.parseOptionalLParen()))
      return parseNested(loc, [&] { return failure(parseExpr(result) || parser.parseRParen()); });
    OpAsmParser::UnresolvedOperand operand;
    OptionalParseResult isOperand = parser.parseOptionalOperand(operand);
    if (isOperand.has_value()) {
      if (failed(*isOperand))
        return failure();
      for (auto [index, arg] : llvm::enumerate(args))
        if (arg.ssaName.name == operand.name && arg.ssaName.number == operand.number) {
          result = getAffineSymbolExpr(index, ctx);
          return success();
        }
      return parser.emitError(loc)
             << "grid names '" << operand.name << "', which is not an argument of the kernel";
    }
    std::string name;
    if (failed(parser.parseOptionalKeywordOrString(&name)))
      return parser.emitError(loc, "expected an integer, an argument, a parameter, "
                                   "'cdiv(a, b)' or '(' in the grid expression");
    if (name == "cdiv")
      return parseNested(loc, [&]() -> ParseResult {
        AffineExpr lhs, rhs;
        if (parser.parseLParen() || parseExpr(lhs) || parser.parseComma())
          return failure();
        SMLoc rhsLoc = parser.getCurrentLocation();
        return failure(parseExpr(rhs) ||
                       combine(rhsLoc, AffineExprKind::CeilDiv, lhs, rhs, result) ||
                       parser.parseRParen());
      });
    for (auto [index, attr] : llvm::enumerate(params))
      if (llvm::cast<ParamAttr>(attr).getName().getValue() == name) {
        result = getAffineSymbolExpr(args.size() + index, ctx);
        return success();
      }
    return parser.emitError(loc) << "grid names '" << name
                                 << "', which is neither an argument nor a declared parameter";
  }

  OpAsmParser &parser;
  ArrayRef<OpAsmParser::Argument> args;
  ArrayRef<Attribute> params;
  unsigned nesting = 0;
};

/// Prints a grid expression in the syntax GridExprParser reads.
class GridExprPrinter {
public:
  GridExprPrinter(OpAsmPrinter &printer, KernelOp kernel) : p(printer), kernel(kernel) {}

  void print(AffineExpr expr, int minPrecedence = 0) {
    int precedence = precedenceOf(expr);
    bool parens = precedence < minPrecedence;
    if (parens)
      p << '(';
    printUnparenthesized(expr);
    if (parens)
      p << ')';
  }

private:
  static int precedenceOf(AffineExpr expr) {
    switch (expr.getKind()) {
    case AffineExprKind::Add:
      return 1;
    case AffineExprKind::Mul:
    case AffineExprKind::FloorDiv:
    case AffineExprKind::Mod:
      return 2;
    default:
      return 3;
    }
  }

  void printUnparenthesized(AffineExpr expr) {
    if (auto sym = llvm::dyn_cast<AffineSymbolExpr>(expr)) {
      unsigned numArgs = kernel.getNumArguments();
      if (sym.getPosition() < numArgs)
        p.printOperand(kernel.getBody().getArgument(sym.getPosition()));
      else
        p << llvm::cast<ParamAttr>(kernel.getParams()[sym.getPosition() - numArgs])
                 .getName()
                 .getValue();
      return;
    }
    if (auto cst = llvm::dyn_cast<AffineConstantExpr>(expr)) {
      p << cst.getValue();
      return;
    }
    auto bin = llvm::cast<AffineBinaryOpExpr>(expr);
    AffineExpr lhs = bin.getLHS(), rhs = bin.getRHS();
    switch (expr.getKind()) {
    case AffineExprKind::Add: {
      print(lhs, 1);
      // `a + b * -1` and `a + -c` read better as subtractions.
      auto rhsMul = llvm::dyn_cast<AffineBinaryOpExpr>(rhs);
      auto rhsCst = llvm::dyn_cast<AffineConstantExpr>(rhs);
      if (rhsMul && rhsMul.getKind() == AffineExprKind::Mul) {
        if (auto factor = llvm::dyn_cast<AffineConstantExpr>(rhsMul.getRHS());
            factor && factor.getValue() < 0) {
          p << " - ";
          print(rhsMul.getLHS(), 2);
          if (factor.getValue() != -1)
            p << " * " << -factor.getValue();
          return;
        }
      }
      if (rhsCst && rhsCst.getValue() < 0) {
        p << " - " << -rhsCst.getValue();
        return;
      }
      p << " + ";
      print(rhs, 1);
      return;
    }
    case AffineExprKind::Mul:
    case AffineExprKind::FloorDiv:
    case AffineExprKind::Mod:
      print(lhs, 2);
      p << (expr.getKind() == AffineExprKind::Mul        ? " * "
            : expr.getKind() == AffineExprKind::FloorDiv ? " / "
                                                         : " mod ");
      print(rhs, 3);
      return;
    case AffineExprKind::CeilDiv:
      p << "cdiv(";
      print(lhs);
      p << ", ";
      print(rhs);
      p << ')';
      return;
    default:
      llvm_unreachable("leaf kinds handled above");
    }
  }

  OpAsmPrinter &p;
  KernelOp kernel;
};
void appendPostfix(AffineExpr expr, unsigned numArgs, pkg::Expr &out) {
  using Op = pkg::ExprNode::Op;
  if (auto cst = llvm::dyn_cast<AffineConstantExpr>(expr)) {
    out.push_back({Op::Const, cst.getValue()});
    return;
  }
  if (auto sym = llvm::dyn_cast<AffineSymbolExpr>(expr)) {
    unsigned position = sym.getPosition();
    out.push_back(position < numArgs ? pkg::ExprNode{Op::Arg, position}
                                     : pkg::ExprNode{Op::Param, position - numArgs});
    return;
  }
  auto bin = llvm::cast<AffineBinaryOpExpr>(expr);
  appendPostfix(bin.getLHS(), numArgs, out);
  appendPostfix(bin.getRHS(), numArgs, out);
  switch (expr.getKind()) {
  case AffineExprKind::Add:
    return out.push_back({Op::Add, 0});
  case AffineExprKind::Mul:
    return out.push_back({Op::Mul, 0});
  case AffineExprKind::FloorDiv:
    return out.push_back({Op::FloorDiv, 0});
  case AffineExprKind::CeilDiv:
    return out.push_back({Op::CeilDiv, 0});
  case AffineExprKind::Mod:
    return out.push_back({Op::Mod, 0});
  default:
    llvm_unreachable("leaf kinds handled above");
  }
}
} // namespace

ParseResult ssdc::tile::parseGridExpr(OpAsmParser &parser, ArrayRef<OpAsmParser::Argument> args,
                                      ArrayRef<Attribute> params, AffineExpr &result) {
  return GridExprParser(parser, args, params).parseExpr(result);
}

void ssdc::tile::printGridExpr(OpAsmPrinter &printer, KernelOp kernel, AffineExpr expr) {
  GridExprPrinter(printer, kernel).print(expr);
}

pkg::Expr ssdc::tile::toPostfix(AffineExpr expr, unsigned numArgs) {
  pkg::Expr postfix;
  appendPostfix(expr, numArgs, postfix);
  return postfix;
}

std::string ssdc::tile::checkGridExpr(AffineExpr expr, unsigned numArgs) {
  std::string message;
  expr.walk([&](AffineExpr sub) {
    auto bin = llvm::dyn_cast<AffineBinaryOpExpr>(sub);
    if (bin && message.empty())
      message = gridOperationError(bin.getKind(), bin.getRHS());
  });
  if (!message.empty())
    return message;
  pkg::Expr postfix = toPostfix(expr, numArgs);
  if (postfix.size() > pkg::kMaxExprNodes)
    return "has " + std::to_string(postfix.size()) +
           " operands and operators; a grid expression has at most " +
           std::to_string(pkg::kMaxExprNodes);
  if (size_t depth = pkg::exprDepth(postfix); depth > pkg::kMaxExprDepth)
    return "needs " + std::to_string(depth) +
           " values at once to evaluate; the runtime's evaluator holds at most " +
           std::to_string(pkg::kMaxExprDepth);
  return "";
}
