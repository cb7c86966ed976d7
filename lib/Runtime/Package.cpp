//===- Package.cpp - The kernel package byte format -----------------------===//
//
// Layout (all integers little-endian; see docs/package-format.md):
//   header  : magic "SSDCPKG\0" | u32 version | u32 flags (0) |
//             u64 total size | u64 FNV-1a 64 of the payload
//   payload : str chip | str producer | u32 kernel count |
//             per kernel: u64 record length | kernel record
// The reader trusts nothing: every length, count and index is checked against
// the bytes that remain and against sanity limits before it is used.
//
//===----------------------------------------------------------------------===//

#include "ssdc/Runtime/Package.h"

#include <cstring>
#include <set>

namespace ssdc {
namespace pkg {
namespace {

constexpr char kMagic[8] = {'S', 'S', 'D', 'C', 'P', 'K', 'G', '\0'};
constexpr uint64_t kHeaderSize = 32;

// Sanity limits of the reader alone (the others, which the compiler checks
// too, are in Package.h): low enough that a corrupted count cannot make the
// reader allocate or loop without bound.
constexpr uint32_t kMaxKernels = 4096;
constexpr uint32_t kMaxKeyArgs = kMaxArgs;
constexpr uint32_t kMaxGridDims = 3;
constexpr uint32_t kMaxNameLength = 4096;

class ByteWriter {
public:
  void u8(uint8_t value) { bytes_.push_back(static_cast<char>(value)); }
  void u32(uint32_t value) { little(value, 4); }
  void u64(uint64_t value) { little(value, 8); }
  void i64(int64_t value) { u64(static_cast<uint64_t>(value)); }
  void str(const std::string &value) {
    u32(static_cast<uint32_t>(value.size()));
    bytes_ += value;
  }
  void blob(const std::string &value) {
    u64(value.size());
    bytes_ += value;
  }
  void raw(const std::string &value) { bytes_ += value; }
  std::string &bytes() { return bytes_; }

private:
  void little(uint64_t value, int width) {
    for (int i = 0; i < width; ++i)
      bytes_.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
  std::string bytes_;
};

void writeKernel(ByteWriter &w, const Kernel &kernel) {
  w.str(kernel.name);
  w.u32(static_cast<uint32_t>(kernel.args.size()));
  for (const Arg &arg : kernel.args) {
    w.str(arg.name);
    w.u8(static_cast<uint8_t>(arg.kind));
    w.u8(static_cast<uint8_t>(arg.type));
    w.u8(static_cast<uint8_t>(arg.access));
  }
  w.u32(static_cast<uint32_t>(kernel.params.size()));
  for (const Param &param : kernel.params) {
    w.str(param.name);
    w.u32(static_cast<uint32_t>(param.values.size()));
    for (int64_t value : param.values)
      w.i64(value);
    w.i64(param.defaultValue);
  }
  w.u32(static_cast<uint32_t>(kernel.keyArgs.size()));
  for (uint32_t index : kernel.keyArgs)
    w.u32(index);
  w.u32(static_cast<uint32_t>(kernel.grid.size()));
  for (const Expr &expr : kernel.grid) {
    w.u32(static_cast<uint32_t>(expr.size()));
    for (const ExprNode &node : expr) {
      w.u8(static_cast<uint8_t>(node.op));
      w.i64(node.value);
    }
  }
  w.u32(kernel.defaultConfig);
  w.u32(static_cast<uint32_t>(kernel.configs.size()));
  for (const Config &config : kernel.configs) {
    w.u32(static_cast<uint32_t>(config.paramValues.size()));
    for (int64_t value : config.paramValues)
      w.i64(value);
    w.str(config.entry);
    w.u32(config.blockThreads);
    w.u32(config.sharedBytes);
    w.blob(config.ptx);
    w.blob(config.cubin);
    w.str(config.cubinChip);
  }
}

/// Reads little-endian values from a bounded byte range. The first failure is
/// sticky: later reads return zeros and the status names the first problem
/// and its absolute byte offset.
class ByteReader {
public:
  ByteReader(const uint8_t *data, uint64_t size, uint64_t baseOffset)
      : data_(data), size_(size), base_(baseOffset) {}

  bool failed() const { return !status_.ok(); }
  const Status &status() const { return status_; }
  uint64_t offset() const { return base_ + pos_; }
  uint64_t remaining() const { return size_ - pos_; }

  void fail(const std::string &what) { failAt(offset(), what); }
  void failAt(uint64_t offset, const std::string &what) {
    if (!failed())
      status_ = dataLoss("package: " + what + " at byte offset " + std::to_string(offset));
  }

  uint8_t u8(const char *what) { return static_cast<uint8_t>(little(1, what)); }
  uint32_t u32(const char *what) { return static_cast<uint32_t>(little(4, what)); }
  uint64_t u64(const char *what) { return little(8, what); }
  int64_t i64(const char *what) { return static_cast<int64_t>(little(8, what)); }

  /// A u32 count, rejected when above `limit` or when `count` items of at
  /// least `minItemBytes` each cannot fit in what remains.
  uint32_t count(const char *what, uint32_t limit, uint64_t minItemBytes) {
    uint64_t at = offset();
    uint32_t value = u32(what);
    if (failed())
      return 0;
    if (value > limit) {
      failAt(at, std::string(what) + " " + std::to_string(value) + " exceeds the limit " +
                     std::to_string(limit));
      return 0;
    }
    if (value * minItemBytes > remaining()) {
      failAt(at, std::string(what) + " " + std::to_string(value) +
                     " does not fit in the remaining " + std::to_string(remaining()) + " bytes");
      return 0;
    }
    return value;
  }

  std::string str(const char *what, uint32_t limit = kMaxNameLength) {
    uint64_t at = offset();
    uint32_t length = u32(what);
    if (failed())
      return {};
    if (length > limit) {
      failAt(at, std::string(what) + " length " + std::to_string(length) + " exceeds the limit " +
                     std::to_string(limit));
      return {};
    }
    return take(length, what);
  }

  std::string blob(const char *what) {
    uint64_t length = u64(what);
    if (failed())
      return {};
    return take(length, what);
  }

  /// Returns a reader over the next `length` bytes and skips them here.
  ByteReader sub(uint64_t length, const char *what) {
    if (!failed() && length > remaining())
      fail(std::string(what) + " length " + std::to_string(length) + " runs past the end (" +
           std::to_string(remaining()) + " bytes remain)");
    if (failed())
      return ByteReader(data_, 0, offset());
    ByteReader inner(data_ + pos_, length, offset());
    pos_ += length;
    return inner;
  }

private:
  uint64_t little(int width, const char *what) {
    if (failed())
      return 0;
    if (remaining() < static_cast<uint64_t>(width)) {
      fail(std::string("truncated: ") + what + " needs " + std::to_string(width) + " bytes, " +
           std::to_string(remaining()) + " remain");
      return 0;
    }
    uint64_t value = 0;
    for (int i = 0; i < width; ++i)
      value |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += width;
    return value;
  }

  std::string take(uint64_t length, const char *what) {
    if (length > remaining()) {
      fail(std::string("truncated: ") + what + " of " + std::to_string(length) + " bytes, " +
           std::to_string(remaining()) + " remain");
      return {};
    }
    std::string value(reinterpret_cast<const char *>(data_ + pos_), length);
    pos_ += length;
    return value;
  }

  const uint8_t *data_;
  uint64_t size_;
  uint64_t base_;
  uint64_t pos_ = 0;
  Status status_;
};

/// Checks that `expr` is a well-formed postfix expression over Int args and
/// params that leaves exactly one value on the stack.
void validateExpr(ByteReader &r, uint64_t at, const Kernel &kernel, const Expr &expr, size_t dim) {
  std::string where = "grid dimension " + std::to_string(dim) + " of kernel '" + kernel.name + "'";
  if (expr.empty())
    return r.failAt(at, where + " is empty");
  size_t depth = 0;
  for (const ExprNode &node : expr) {
    switch (node.op) {
    case ExprNode::Op::Const:
      break;
    case ExprNode::Op::Arg:
      if (node.value < 0 || static_cast<uint64_t>(node.value) >= kernel.args.size())
        return r.failAt(at, where + " refers to argument index " + std::to_string(node.value) +
                                " of " + std::to_string(kernel.args.size()));
      if (kernel.args[node.value].kind != ArgKind::Int)
        return r.failAt(at,
                        where + " refers to " +
                            (kernel.args[node.value].kind == ArgKind::Buffer ? "buffer" : "float") +
                            " argument '" + kernel.args[node.value].name + "'");
      break;
    case ExprNode::Op::Param:
      if (node.value < 0 || static_cast<uint64_t>(node.value) >= kernel.params.size())
        return r.failAt(at, where + " refers to parameter index " + std::to_string(node.value) +
                                " of " + std::to_string(kernel.params.size()));
      break;
    case ExprNode::Op::Add:
    case ExprNode::Op::Sub:
    case ExprNode::Op::Mul:
    case ExprNode::Op::FloorDiv:
    case ExprNode::Op::CeilDiv:
    case ExprNode::Op::Mod:
      if (depth < 2)
        return r.failAt(at, where + " has a binary operator without two "
                                    "operands");
      --depth;
      continue;
    default:
      return r.failAt(at,
                      where + " has unknown operator " + std::to_string(static_cast<int>(node.op)));
    }
    if (++depth > kMaxExprDepth)
      return r.failAt(at, where + " holds more than " + std::to_string(kMaxExprDepth) +
                              " values at once; the runtime evaluates at most that many");
  }
  if (depth != 1)
    r.failAt(at, where + " leaves " + std::to_string(depth) + " values instead of one");
}

/// The arguments of `kernel`; `in` is " of kernel 'NAME'" for messages.
void readArgs(ByteReader &r, Kernel &kernel, const std::string &in) {
  uint32_t argCount = r.count("argument count", kMaxArgs, 7);
  std::set<std::string> argNames;
  for (uint32_t i = 0; i < argCount && !r.failed(); ++i) {
    uint64_t at = r.offset();
    Arg arg;
    arg.name = r.str("argument name");
    uint8_t kind = r.u8("argument kind");
    uint8_t type = r.u8("argument element type");
    uint8_t access = r.u8("argument access");
    if (r.failed())
      break;
    if (arg.name.empty() || !argNames.insert(arg.name).second)
      return r.failAt(at, "empty or duplicate argument name '" + arg.name + "'" + in);
    if (kind > static_cast<uint8_t>(ArgKind::Float) || !isElemTypeCode(type) ||
        access > static_cast<uint8_t>(Access::ReadWrite))
      return r.failAt(at, "argument '" + arg.name + "'" + in +
                              " has an unknown kind, element type or access");
    arg.kind = static_cast<ArgKind>(kind);
    arg.type = static_cast<ElemType>(type);
    arg.access = static_cast<Access>(access);
    if (arg.kind == ArgKind::Int && arg.type != ElemType::I32 && arg.type != ElemType::I64)
      return r.failAt(at, "integer argument '" + arg.name + "'" + in + " is neither i32 nor i64");
    if (arg.kind == ArgKind::Float && !isFloatElemType(arg.type))
      return r.failAt(at, "float argument '" + arg.name + "'" + in + " is not f32, f16 or bf16");
    kernel.args.push_back(std::move(arg));
  }
}

/// The tuning parameters of `kernel`.
void readParams(ByteReader &r, Kernel &kernel, const std::string &in) {
  uint32_t paramCount = r.count("parameter count", kMaxParams, 16);
  std::set<std::string> paramNames;
  for (uint32_t i = 0; i < paramCount && !r.failed(); ++i) {
    uint64_t at = r.offset();
    Param param;
    param.name = r.str("parameter name");
    uint32_t valueCount = r.count("parameter value count", kMaxParamValues, 8);
    for (uint32_t v = 0; v < valueCount && !r.failed(); ++v)
      param.values.push_back(r.i64("parameter value"));
    param.defaultValue = r.i64("parameter default");
    if (r.failed())
      break;
    if (param.name.empty() || !paramNames.insert(param.name).second)
      return r.failAt(at, "empty or duplicate parameter name '" + param.name + "'" + in);
    kernel.params.push_back(std::move(param));
  }
}

/// The key arguments of `kernel`, which are its integer arguments.
void readKeyArgs(ByteReader &r, Kernel &kernel, const std::string &in) {
  uint32_t keyCount = r.count("key argument count", kMaxKeyArgs, 4);
  for (uint32_t i = 0; i < keyCount && !r.failed(); ++i) {
    uint64_t at = r.offset();
    uint32_t index = r.u32("key argument index");
    if (r.failed())
      break;
    if (index >= kernel.args.size() || kernel.args[index].kind != ArgKind::Int)
      return r.failAt(at, "key argument index " + std::to_string(index) + in +
                              " is not an integer argument");
    kernel.keyArgs.push_back(index);
  }
}

/// The grid expressions of `kernel`, each validated.
void readGrid(ByteReader &r, Kernel &kernel) {
  uint64_t gridAt = r.offset();
  uint32_t gridDims = r.count("grid dimension count", kMaxGridDims, 4);
  if (!r.failed() && gridDims == 0)
    return r.failAt(gridAt, "kernel '" + kernel.name + "' has no grid");
  for (uint32_t d = 0; d < gridDims && !r.failed(); ++d) {
    uint64_t at = r.offset();
    uint32_t nodeCount = r.count("grid expression length", kMaxExprNodes, 9);
    Expr expr;
    for (uint32_t n = 0; n < nodeCount && !r.failed(); ++n) {
      ExprNode node;
      node.op = static_cast<ExprNode::Op>(r.u8("grid expression operator"));
      node.value = r.i64("grid expression value");
      expr.push_back(node);
    }
    if (r.failed())
      break;
    validateExpr(r, at, kernel, expr, d);
    kernel.grid.push_back(std::move(expr));
  }
}

/// The default config index and the configs of `kernel`.
void readConfigs(ByteReader &r, Kernel &kernel, const std::string &in) {
  uint64_t defaultAt = r.offset();
  kernel.defaultConfig = r.u32("default config index");
  uint32_t configCount = r.count("config count", kMaxConfigs, 36);
  if (r.failed())
    return;
  if (configCount == 0)
    return r.failAt(defaultAt, "kernel '" + kernel.name + "' has no config");
  if (kernel.defaultConfig >= configCount)
    return r.failAt(defaultAt, "default config index " + std::to_string(kernel.defaultConfig) + in +
                                   " is not below the config count " + std::to_string(configCount));
  for (uint32_t c = 0; c < configCount && !r.failed(); ++c) {
    uint64_t at = r.offset();
    Config config;
    uint32_t valueCount = r.count("config value count", kMaxParams, 8);
    for (uint32_t v = 0; v < valueCount && !r.failed(); ++v)
      config.paramValues.push_back(r.i64("config parameter value"));
    config.entry = r.str("config entry name");
    config.blockThreads = r.u32("config block threads");
    config.sharedBytes = r.u32("config shared bytes");
    config.ptx = r.blob("config PTX");
    config.cubin = r.blob("config cubin");
    config.cubinChip = r.str("config cubin chip");
    if (r.failed())
      break;
    std::string which = "config " + std::to_string(c) + in;
    if (config.paramValues.size() != kernel.params.size())
      return r.failAt(at, which + " has " + std::to_string(config.paramValues.size()) +
                              " parameter values for " + std::to_string(kernel.params.size()) +
                              " parameters");
    if (config.entry.empty() || config.ptx.empty())
      return r.failAt(at, which + " has no entry name or no PTX");
    if (config.blockThreads == 0 || config.blockThreads > kMaxBlockThreads)
      return r.failAt(at, which + " has " + std::to_string(config.blockThreads) +
                              " threads per block (1 to 1024 allowed)");
    if (config.cubin.empty() != config.cubinChip.empty())
      return r.failAt(at, which + " has a cubin without a chip or a chip "
                                  "without a cubin");
    kernel.configs.push_back(std::move(config));
  }
}

void readKernel(ByteReader &r, Kernel &kernel) {
  kernel.name = r.str("kernel name");
  if (!r.failed() && kernel.name.empty())
    r.fail("empty kernel name");
  const std::string in = " of kernel '" + kernel.name + "'";
  // Each part stops at the first failure; the later ones then read nothing.
  readArgs(r, kernel, in);
  readParams(r, kernel, in);
  readKeyArgs(r, kernel, in);
  readGrid(r, kernel);
  readConfigs(r, kernel, in);
}

} // namespace

uint64_t hashBytes(const void *bytes, size_t size) {
  const uint8_t *data = static_cast<const uint8_t *>(bytes);
  uint64_t hash = 0xcbf29ce484222325ull; // FNV-1a 64 offset basis
  for (size_t i = 0; i < size; ++i) {
    hash ^= data[i];
    hash *= 0x100000001b3ull; // FNV-1a 64 prime
  }
  return hash;
}

std::string writePackage(const Package &package) {
  ByteWriter payload;
  payload.str(package.chip);
  payload.str(package.producer);
  payload.u32(static_cast<uint32_t>(package.kernels.size()));
  for (const Kernel &kernel : package.kernels) {
    ByteWriter record;
    writeKernel(record, kernel);
    payload.u64(record.bytes().size());
    payload.raw(record.bytes());
  }
  ByteWriter out;
  out.raw(std::string(kMagic, sizeof(kMagic)));
  out.u32(kFormatVersion);
  out.u32(0); // flags: none defined
  out.u64(kHeaderSize + payload.bytes().size());
  out.u64(hashBytes(payload.bytes().data(), payload.bytes().size()));
  out.raw(payload.bytes());
  return std::move(out.bytes());
}

Status readPackage(const void *bytes, size_t size, Package &out) {
  out = Package();
  if (bytes == nullptr && size != 0)
    return invalidArgument("package: null data with nonzero size");
  const uint8_t *data = static_cast<const uint8_t *>(bytes);
  ByteReader header(data, size, 0);
  if (size < sizeof(kMagic) || std::memcmp(data, kMagic, sizeof(kMagic)) != 0)
    return dataLoss("package: not an ssdc package (bad magic) at byte "
                    "offset 0");
  header.sub(sizeof(kMagic), "magic");
  uint32_t version = header.u32("format version");
  if (!header.failed() && version != kFormatVersion)
    return unimplemented("package: format version " + std::to_string(version) +
                         " is not supported (this runtime reads version " +
                         std::to_string(kFormatVersion) + ") at byte offset 8");
  uint32_t flags = header.u32("flags");
  uint64_t totalSize = header.u64("total size");
  uint64_t checksum = header.u64("checksum");
  if (header.failed())
    return header.status();
  if (flags != 0)
    return dataLoss("package: unknown flags " + std::to_string(flags) + " at byte offset 12");
  if (totalSize != size)
    return dataLoss("package: header says " + std::to_string(totalSize) + " bytes but " +
                    std::to_string(size) + " were given (truncated or padded) at byte offset 16");
  uint64_t actual = hashBytes(data + kHeaderSize, size - kHeaderSize);
  if (actual != checksum)
    return dataLoss("package: payload checksum mismatch (corrupted) at byte "
                    "offset 24");

  ByteReader r(data + kHeaderSize, size - kHeaderSize, kHeaderSize);
  Package package;
  package.version = version;
  package.chip = r.str("package chip");
  package.producer = r.str("package producer");
  uint32_t kernelCount = r.count("kernel count", kMaxKernels, 8);
  std::set<std::string> kernelNames;
  for (uint32_t k = 0; k < kernelCount && !r.failed(); ++k) {
    uint64_t recordLength = r.u64("kernel record length");
    ByteReader record = r.sub(recordLength, "kernel record");
    if (r.failed())
      break;
    uint64_t at = record.offset();
    Kernel kernel;
    readKernel(record, kernel);
    if (record.failed())
      return record.status();
    if (record.remaining() != 0)
      return dataLoss("package: kernel record '" + kernel.name + "' has " +
                      std::to_string(record.remaining()) +
                      " unread trailing bytes at byte offset " + std::to_string(record.offset()));
    if (!kernelNames.insert(kernel.name).second)
      return dataLoss("package: duplicate kernel name '" + kernel.name + "' at byte offset " +
                      std::to_string(at));
    package.kernels.push_back(std::move(kernel));
  }
  if (r.failed())
    return r.status();
  if (r.remaining() != 0)
    return dataLoss("package: " + std::to_string(r.remaining()) +
                    " unread trailing bytes at byte offset " + std::to_string(r.offset()));
  out = std::move(package);
  return okStatus();
}

const char *accessName(Access access) {
  switch (access) {
  case Access::Read:
    return "read";
  case Access::Write:
    return "write";
  case Access::ReadWrite:
    return "readwrite";
  }
  return "?";
}

} // namespace pkg
} // namespace ssdc
