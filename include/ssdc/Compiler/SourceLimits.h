//===- SourceLimits.h - Limits checked before a source is parsed -*- C++ -*-===//
//
// MLIR's parser, and the parsers of the tile dialect's attributes, recurse
// once per nesting level, so a deep enough input overflows the stack before
// any verifier runs. Every tool that parses a user's file checks the text
// first, with this one function, and rejects it with a located error naming
// the limit (docs/limits.md).
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_COMPILER_SOURCELIMITS_H
#define SSDC_COMPILER_SOURCELIMITS_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <optional>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace ssdc {

/// The deepest nesting of brackets, braces, parentheses and angle brackets
/// (of all kinds together) that a source may have. Real kernels stay below
/// 20; MLIR's parser needs a few KiB of stack per level.
constexpr unsigned kMaxSourceNestingDepth = 256;

/// The offset of the first opening bracket, brace, parenthesis or `<` of
/// `text` that is nested deeper than `limit`, or none. String literals and
/// `//` comments are skipped; `->` and `>=` close nothing.
std::optional<size_t> findExcessNesting(llvm::StringRef text,
                                        unsigned limit = kMaxSourceNestingDepth);

/// Checks the main buffer of `sourceMgr` against the limits above and prints
/// a located error (file:line:col) to `errors` for the first one exceeded.
/// MLIR bytecode is not text and is not checked.
mlir::LogicalResult checkSourceLimits(const llvm::SourceMgr &sourceMgr,
                                      llvm::raw_ostream &errors = llvm::errs());

} // namespace ssdc

#endif // SSDC_COMPILER_SOURCELIMITS_H
