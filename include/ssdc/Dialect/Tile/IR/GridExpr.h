//===- GridExpr.h - the grid expressions of tile.kernel ---------*- C++ -*-===//
//
// A kernel's grid is an affine map whose symbols are the kernel's arguments,
// then its parameters. This header has its syntax (parsed and printed by
// tile.kernel), the rules the verifier applies, and its translation into the
// package's postfix form, which the runtime evaluates (ssdc::evaluateExpr in
// include/ssdc/Runtime/Launch.h: the one grid evaluator, used by the host
// interpreter too).
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_DIALECT_TILE_IR_GRIDEXPR_H
#define SSDC_DIALECT_TILE_IR_GRIDEXPR_H

#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Runtime/Package.h"

#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/OpImplementation.h"

#include <string>

namespace ssdc::tile {

/// How deeply parentheses and `cdiv(` may nest in one grid expression: far
/// more than any grid needs, and few enough that the recursive parser's stack
/// stays small.
inline constexpr unsigned kMaxGridNesting = 32;

/// Parses one grid expression over `args` (the kernel's arguments) and
/// `params` (its ParamAttrs):
///   expr   := term (('+' | '-') term)*
///   term   := factor (('*' | '/' | 'mod') factor)*
///   factor := integer | '%'arg | PARAM | 'cdiv' '(' expr ',' expr ')' | '(' expr ')'
/// Constants are combined with 64-bit checked arithmetic: an overflow is an
/// error, as are a non-positive constant divisor and nesting deeper than
/// kMaxGridNesting.
mlir::ParseResult parseGridExpr(mlir::OpAsmParser &parser,
                                llvm::ArrayRef<mlir::OpAsmParser::Argument> args,
                                llvm::ArrayRef<mlir::Attribute> params, mlir::AffineExpr &result);

/// Prints a grid expression of `kernel` in the syntax parseGridExpr reads.
void printGridExpr(mlir::OpAsmPrinter &printer, KernelOp kernel, mlir::AffineExpr expr);

/// `expr` in the package's postfix form: symbols below `numArgs` are
/// arguments, the others parameters.
pkg::Expr toPostfix(mlir::AffineExpr expr, unsigned numArgs);

/// Why `expr` cannot be a grid dimension of a kernel with `numArgs`
/// arguments, or an empty string: a constant divisor that is not positive,
/// or a postfix form larger than the package holds (pkg::kMaxExprNodes) or
/// deeper than the runtime evaluates (pkg::kMaxExprDepth).
std::string checkGridExpr(mlir::AffineExpr expr, unsigned numArgs);

} // namespace ssdc::tile

#endif // SSDC_DIALECT_TILE_IR_GRIDEXPR_H
