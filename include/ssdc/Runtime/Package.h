//===- Package.h - The ssdc kernel package: model, reader, writer ---------===//
//
// A kernel package is the one artifact `ssdc compile` produces and the runtime
// loads. This header is shared by both sides and depends on nothing but the
// C++ standard library: the compiler fills a `Package` and writes it; the
// runtime reads and validates it. The byte format is documented in
// docs/package-format.md.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_RUNTIME_PACKAGE_H
#define SSDC_RUNTIME_PACKAGE_H

#include "ssdc/Runtime/ElementType.h"
#include "ssdc/Runtime/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ssdc {
namespace pkg {

/// Bumped whenever the byte format changes; readers reject other versions.
constexpr uint32_t kFormatVersion = 1;

// Limits of the format, which the reader enforces and the compiler checks
// before it writes a package (docs/limits.md lists every limit).
/// Arguments of one kernel.
constexpr uint32_t kMaxArgs = 256;
/// Tuning parameters of one kernel, and candidate values of one parameter.
constexpr uint32_t kMaxParams = 64;
constexpr uint32_t kMaxParamValues = 4096;
/// Configs of one kernel.
constexpr uint32_t kMaxConfigs = 65536;
/// Threads of one program (CUDA's limit per block).
constexpr uint32_t kMaxBlockThreads = 1024;
/// Nodes of one grid expression, and values its evaluation holds at once.
constexpr uint32_t kMaxExprNodes = 256;
constexpr uint32_t kMaxExprDepth = 32;

/// Buffer: a device pointer; Int: an i32 or i64 scalar; Float: an f32, f16 or
/// bf16 scalar (which grid expressions and tuning keys never use).
enum class ArgKind : uint8_t { Buffer = 0, Int = 1, Float = 2 };
enum class Access : uint8_t { Read = 0, Write = 1, ReadWrite = 2 };
/// "read", "write" or "readwrite": the spelling of the dialect's buffer types.
const char *accessName(Access access);

/// One kernel argument. Buffers are passed to the device entry as a 64-bit
/// global pointer; Int and Float scalars as a value of `type`.
struct Arg {
  std::string name;
  ArgKind kind = ArgKind::Int;
  ElemType type = ElemType::I64;
  Access access = Access::Read; // meaningful for buffers only
};

/// A tuning parameter: its candidate values and its default.
struct Param {
  std::string name;
  std::vector<int64_t> values;
  int64_t defaultValue = 0;
};

/// One node of a grid expression in postfix order. `Arg` and `Param` carry an
/// index into Kernel::args / Kernel::params; `Const` carries the value.
struct ExprNode {
  enum class Op : uint8_t {
    Const = 0,
    Arg = 1,
    Param = 2,
    Add = 3,
    Sub = 4,
    Mul = 5,
    FloorDiv = 6,
    CeilDiv = 7,
    Mod = 8
  };
  Op op = Op::Const;
  int64_t value = 0;
};
using Expr = std::vector<ExprNode>;

/// The most values that evaluating `expr` holds at once (its stack depth),
/// counting a binary operator as taking two and giving one.
inline size_t exprDepth(const Expr &expr) {
  size_t depth = 0, deepest = 0;
  for (const ExprNode &node : expr) {
    bool leaf = node.op == ExprNode::Op::Const || node.op == ExprNode::Op::Arg ||
                node.op == ExprNode::Op::Param;
    depth = leaf ? depth + 1 : (depth > 0 ? depth - 1 : 0);
    deepest = depth > deepest ? depth : deepest;
  }
  return deepest;
}

/// One specialization of a kernel: one value per Kernel::params entry, in order.
struct Config {
  std::vector<int64_t> paramValues;
  std::string entry;         // the PTX entry symbol
  uint32_t blockThreads = 0; // num_warps * 32
  uint32_t sharedBytes = 0;  // dynamic shared memory per program
  std::string ptx;           // always present
  std::string cubin;         // may be empty
  std::string cubinChip;     // e.g. "sm_90a"; empty when no cubin
};

struct Kernel {
  std::string name;
  std::vector<Arg> args;
  std::vector<Param> params;
  std::vector<uint32_t> keyArgs; // indices into args (all Int)
  std::vector<Expr> grid;        // 1 to 3 dimensions, x first
  uint32_t defaultConfig = 0;    // index into configs
  std::vector<Config> configs;
};

struct Package {
  uint32_t version = kFormatVersion;
  std::string chip;     // the chip the PTX was generated for, e.g. "sm_90"
  std::string producer; // e.g. "ssdc 0.1 (LLVM 22.1.8)"
  std::vector<Kernel> kernels;
};

/// Serializes `package` into the byte format.
std::string writePackage(const Package &package);

/// Parses and validates `bytes`; any truncation, corruption, bad index or
/// unknown version is a status error that says what and where.
Status readPackage(const void *bytes, size_t size, Package &out);

/// A stable 64-bit hash of the serialized bytes (FNV-1a), used to key caches.
uint64_t hashBytes(const void *bytes, size_t size);

} // namespace pkg
} // namespace ssdc

#endif // SSDC_RUNTIME_PACKAGE_H
