//===- SourceLimits.cpp - Limits checked before a source is parsed --------===//
#include "ssdc/Compiler/SourceLimits.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"

namespace ssdc {

std::optional<size_t> findExcessNesting(llvm::StringRef text, unsigned limit) {
  unsigned depth = 0;
  for (size_t i = 0, size = text.size(); i < size; ++i) {
    char c = text[i];
    char next = i + 1 < size ? text[i + 1] : '\0';
    switch (c) {
    case '"': // a string literal, with backslash escapes, up to its quote
      for (++i; i < size && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\')
          ++i;
      break;
    case '/':
      if (next == '/')
        i = std::min(text.find('\n', i), size);
      break;
    case '(':
    case '[':
    case '{':
    case '<':
      if (++depth > limit)
        return i;
      break;
    case '-': // `->` is an arrow, not a closing angle bracket
      if (next == '>')
        ++i;
      break;
    case '>':
      if (next == '=') { // `>=` in an integer set
        ++i;
        break;
      }
      [[fallthrough]];
    case ')':
    case ']':
    case '}':
      // Only the depth matters here; unbalanced text is the parser's to report.
      if (depth > 0)
        --depth;
      break;
    default:
      break;
    }
  }
  return std::nullopt;
}

namespace {

/// Where the text has a dense array of index elements (`array<index...>`)
/// outside a `//` comment: MLIR 22's parser admits index there, then asks
/// index for its bit width and crashes (the compiler fuzzer found it).
std::optional<size_t> findIndexDenseArray(llvm::StringRef text) {
  for (size_t at = text.find("array<"); at != llvm::StringRef::npos;
       at = text.find("array<", at + 1)) {
    llvm::StringRef rest = text.substr(at + 6).ltrim();
    if (!rest.consume_front("index") ||
        (!rest.empty() && (llvm::isAlnum(rest[0]) || rest[0] == '_')))
      continue;
    size_t lineStart = text.rfind('\n', at) + 1; // npos + 1 is 0
    if (text.substr(lineStart, at - lineStart).contains("//"))
      continue;
    return at;
  }
  return std::nullopt;
}

} // namespace

mlir::LogicalResult checkSourceLimits(const llvm::SourceMgr &sourceMgr, llvm::raw_ostream &errors) {
  const llvm::MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  if (mlir::isBytecode(*buffer))
    return mlir::success();
  if (std::optional<size_t> array = findIndexDenseArray(buffer->getBuffer())) {
    sourceMgr.PrintMessage(errors, llvm::SMLoc::getFromPointer(buffer->getBufferStart() + *array),
                           llvm::SourceMgr::DK_Error,
                           "dense arrays of index elements are not supported (MLIR's parser "
                           "crashes on them; docs/limits.md)");
    return mlir::failure();
  }
  std::optional<size_t> excess = findExcessNesting(buffer->getBuffer());
  if (!excess)
    return mlir::success();
  llvm::SMLoc loc = llvm::SMLoc::getFromPointer(buffer->getBufferStart() + *excess);
  std::string message = "nesting deeper than the limit of " +
                        std::to_string(kMaxSourceNestingDepth) +
                        " brackets, braces, parentheses and angle brackets (docs/limits.md)";
  // Deep inputs tend to be one long line: past a screen's width the line is
  // left out, as quoting it would bury the message.
  constexpr size_t kMaxQuotedLine = 200;
  llvm::StringRef text = buffer->getBuffer();
  size_t lineStart = text.rfind('\n', *excess) + 1; // npos + 1 is 0
  size_t lineEnd = std::min(text.find('\n', *excess), text.size());
  if (lineEnd - lineStart <= kMaxQuotedLine) {
    sourceMgr.PrintMessage(errors, loc, llvm::SourceMgr::DK_Error, message);
  } else {
    auto [line, column] = sourceMgr.getLineAndColumn(loc);
    errors << buffer->getBufferIdentifier() << ":" << line << ":" << column
           << ": error: " << message << "\n";
  }
  return mlir::failure();
}

} // namespace ssdc
