//===- CppHeader.cpp - A typed C++ header from a kernel package -----------===//
//
// The header's layout and API are documented in docs/cpp-header.md. Every
// name the header takes from the package (kernel, argument and parameter
// names) is made into a C++ identifier and checked for collisions, and every
// byte it embeds is escaped, so that any package the reader accepts yields a
// header that compiles or a clear error.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Compiler/CppHeader.h"

#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ssdc {
namespace {

/// C++ keywords and alternative tokens up to C++20: a generated header keeps
/// compiling when its users move to a newer standard.
bool isCppKeyword(const std::string &name) {
  static const std::set<std::string> keywords = {"alignas",       "alignof",     "and",
                                                 "and_eq",        "asm",         "auto",
                                                 "bitand",        "bitor",       "bool",
                                                 "break",         "case",        "catch",
                                                 "char",          "char8_t",     "char16_t",
                                                 "char32_t",      "class",       "compl",
                                                 "concept",       "const",       "consteval",
                                                 "constexpr",     "constinit",   "const_cast",
                                                 "continue",      "co_await",    "co_return",
                                                 "co_yield",      "decltype",    "default",
                                                 "delete",        "do",          "double",
                                                 "dynamic_cast",  "else",        "enum",
                                                 "explicit",      "export",      "extern",
                                                 "false",         "float",       "for",
                                                 "friend",        "goto",        "if",
                                                 "inline",        "int",         "long",
                                                 "mutable",       "namespace",   "new",
                                                 "noexcept",      "not",         "not_eq",
                                                 "nullptr",       "operator",    "or",
                                                 "or_eq",         "private",     "protected",
                                                 "public",        "register",    "reinterpret_cast",
                                                 "requires",      "return",      "short",
                                                 "signed",        "sizeof",      "static",
                                                 "static_assert", "static_cast", "struct",
                                                 "switch",        "template",    "this",
                                                 "thread_local",  "throw",       "true",
                                                 "try",           "typedef",     "typeid",
                                                 "typename",      "union",       "unsigned",
                                                 "using",         "virtual",     "void",
                                                 "volatile",      "wchar_t",     "while",
                                                 "xor",           "xor_eq"};
  return keywords.count(name) != 0;
}

// ASCII only, independent of the locale (unlike <cctype>).
bool isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isIdentifierChar(char c) { return isLetter(c) || isDigit(c) || c == '_'; }

bool isValidIdentifier(const std::string &name) {
  if (name.empty() || isDigit(name[0]))
    return false;
  for (char c : name)
    if (!isIdentifierChar(c))
      return false;
  return !isCppKeyword(name);
}

/// "segsum_exp" -> "SegsumExp": the stem of a kernel's type names.
std::string camelCase(const std::string &identifier) {
  std::string out;
  bool upperNext = true;
  for (char c : identifier) {
    if (c == '_') {
      upperNext = true;
      continue;
    }
    out += upperNext && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upperNext = false;
  }
  // Names of only underscores and digits have no letter to start a type name.
  if (out.empty() || isDigit(out[0]))
    out = "Kernel" + out;
  return out;
}

/// `text` as the body of a C++ string literal. Octal escapes always take
/// three digits, so a digit that follows one is never read as part of it;
/// '?' is escaped so that no trigraph forms under pre-C++17 rules.
void appendEscaped(std::string &out, unsigned char byte) {
  static const char kOctal[] = "01234567";
  switch (byte) {
  case '\\':
    out += "\\\\";
    return;
  case '"':
    out += "\\\"";
    return;
  case '?':
    out += "\\?";
    return;
  default:
    break;
  }
  if (byte >= 0x20 && byte < 0x7f) {
    out += static_cast<char>(byte);
    return;
  }
  out += '\\';
  out += kOctal[(byte >> 6) & 7];
  out += kOctal[(byte >> 3) & 7];
  out += kOctal[byte & 7];
}

std::string stringLiteral(const std::string &text) {
  std::string out = "\"";
  for (char c : text)
    appendEscaped(out, static_cast<unsigned char>(c));
  return out + "\"";
}

/// `text` for a // comment: printable ASCII except '\', which at the end of a
/// line would continue the comment onto the next one.
std::string commentText(const std::string &text) {
  std::string out;
  for (char c : text)
    out += c >= 0x20 && c < 0x7f && c != '\\' ? c : '?';
  return out;
}

std::string int64Literal(int64_t value) {
  // -9223372036854775808 is the negation of a literal no integer type holds.
  if (value == std::numeric_limits<int64_t>::min())
    return "(-9223372036854775807 - 1)";
  return std::to_string(value);
}

/// Qualified, so that an argument named like a type (`int64_t`) cannot hide
/// it from the fields declared after it.
const char *cppElemType(pkg::ElemType type) {
  switch (type) {
#define SSDC_ELEMENT_TYPE(Enum, Name, Code, Bytes, IsFloat, CppType, ...)                          \
  case pkg::ElemType::Enum:                                                                        \
    return #CppType;
#include "ssdc/Runtime/ElementTypes.def"
  }
  return "void";
}

/// The C++ names of one kernel's declarations.
struct KernelNames {
  std::string snake;                    // launch_<snake>, plan_<snake>
  std::string camel;                    // <Camel>Args, <Camel>Kernel, ...
  std::vector<std::string> argFields;   // one per argument
  std::vector<std::string> paramFields; // one per parameter
};

/// A grid expression in the tile dialect's syntax over the C++ field names,
/// e.g. "cdiv(T, BLOCK_M)". `expr` has passed the package reader's checks
/// (operand counts, indices).
std::string renderExpr(const pkg::Expr &expr, const KernelNames &names) {
  using Op = pkg::ExprNode::Op;
  struct Term {
    std::string text;
    bool infix;            // needs parentheses as an operand of an infix operator
    bool negativeConstant; // "a + -1" reads better as "a - 1"
  };
  std::vector<Term> stack;
  for (const pkg::ExprNode &node : expr) {
    switch (node.op) {
    case Op::Const:
      stack.push_back({int64Literal(node.value), false, node.value < 0});
      continue;
    case Op::Arg:
      stack.push_back({names.argFields[node.value], false, false});
      continue;
    case Op::Param:
      stack.push_back({names.paramFields[node.value], false, false});
      continue;
    default:
      break;
    }
    Term rhs = stack.back();
    stack.pop_back();
    Term lhs = stack.back();
    stack.pop_back();
    if (node.op == Op::CeilDiv) {
      stack.push_back({"cdiv(" + lhs.text + ", " + rhs.text + ")", false, false});
      continue;
    }
    const char *symbol = node.op == Op::Add   ? " + "
                         : node.op == Op::Sub ? " - "
                         : node.op == Op::Mul ? " * "
                         : node.op == Op::Mod ? " mod "
                                              : " / ";
    if (node.op == Op::Add && rhs.negativeConstant && rhs.text[0] == '-') {
      symbol = " - ";
      rhs.text.erase(0, 1);
    }
    auto operand = [](const Term &term) { return term.infix ? "(" + term.text + ")" : term.text; };
    stack.push_back({operand(lhs) + symbol + operand(rhs), true, false});
  }
  return stack.back().text;
}

std::string gridText(const pkg::Kernel &kernel, const KernelNames &names) {
  std::string text = "(";
  for (size_t d = 0; d < kernel.grid.size(); ++d)
    text += (d ? ", " : "") + renderExpr(kernel.grid[d], names);
  return text + ")";
}

/// Identifiers for `names`, each distinct from the others and from `reserved`
/// (the name of the enclosing struct, which no member may take).
Status fieldNames(const std::vector<std::string> &names, const std::string &what,
                  const std::string &kernelName, const std::string &reserved,
                  std::vector<std::string> &out) {
  std::map<std::string, std::string> sources; // identifier -> its name
  for (const std::string &name : names) {
    std::string field = cppIdentifierFor(name, what + "_");
    if (field == reserved)
      field += '_';
    auto [it, inserted] = sources.emplace(field, name);
    if (!inserted)
      return invalidArgument("kernel '" + kernelName + "': " + what + "s '" + it->second +
                             "' and '" + name + "' both become the C++ name '" + field + "'");
    out.push_back(field);
  }
  return okStatus();
}

Status kernelNames(const pkg::Package &package, std::vector<KernelNames> &out) {
  std::map<std::string, std::string> snakeSources, camelSources;
  for (const pkg::Kernel &kernel : package.kernels) {
    KernelNames names;
    names.snake = cppIdentifierFor(kernel.name, "kernel_");
    names.camel = camelCase(names.snake);
    for (auto *sources : {&snakeSources, &camelSources}) {
      const std::string &key = sources == &snakeSources ? names.snake : names.camel;
      auto [it, inserted] = sources->emplace(key, kernel.name);
      if (!inserted)
        return invalidArgument("kernels '" + it->second + "' and '" + kernel.name +
                               "' both become the C++ name '" + key + "'");
    }
    std::vector<std::string> argNames, paramNames;
    for (const pkg::Arg &arg : kernel.args)
      argNames.push_back(arg.name);
    for (const pkg::Param &param : kernel.params)
      paramNames.push_back(param.name);
    SSDC_RETURN_IF_ERROR(
        fieldNames(argNames, "argument", kernel.name, names.camel + "Args", names.argFields));
    SSDC_RETURN_IF_ERROR(fieldNames(paramNames, "parameter", kernel.name, names.camel + "Params",
                                    names.paramFields));
    out.push_back(std::move(names));
  }
  return okStatus();
}

Status checkNamespace(const std::string &cppNamespace) {
  size_t start = 0;
  while (true) {
    size_t end = cppNamespace.find("::", start);
    std::string part = cppNamespace.substr(start, end == std::string::npos ? end : end - start);
    if (!isValidIdentifier(part))
      return invalidArgument("'" + cppNamespace +
                             "' is not a C++ namespace: expected identifiers separated by '::' "
                             "(not keywords)");
    if (end == std::string::npos)
      return okStatus();
    start = end + 2;
  }
}

std::string includeGuard(const std::string &cppNamespace) {
  std::string guard = "SSDC_GENERATED_";
  for (char c : cppNamespace)
    guard += c == ':' ? '_' : c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  return guard + "_H";
}

/// The package bytes as adjacent string literals of about 100 columns: a
/// string literal compiles many times faster than an initializer list of as
/// many bytes, which matters for packages of megabytes of PTX and cubins.
void appendPackageLiteral(std::string &out, const std::string &bytes) {
  constexpr size_t kColumns = 96;
  std::string line;
  for (char c : bytes) {
    appendEscaped(line, static_cast<unsigned char>(c));
    if (line.size() >= kColumns) {
      out += "    \"" + line + "\"\n";
      line.clear();
    }
  }
  if (!line.empty() || bytes.empty())
    out += "    \"" + line + "\"\n";
}

std::string signatureText(const pkg::Kernel &kernel) {
  std::string text = commentText(kernel.name) + "(";
  for (size_t i = 0; i < kernel.args.size(); ++i) {
    const pkg::Arg &arg = kernel.args[i];
    text += (i ? ", " : "") + commentText(arg.name) + ": ";
    if (arg.kind == pkg::ArgKind::Buffer)
      text += std::string(elemTypeName(arg.type)) + " " + pkg::accessName(arg.access) + " buffer";
    else
      text += elemTypeName(arg.type);
  }
  return text + ")";
}

/// The C++ names of one kernel's declarations in the header.
struct KernelDecls {
  explicit KernelDecls(const KernelNames &names)
      : names(names), args(names.camel + "Args"), params(names.camel + "Params"),
        configs("k" + names.camel + "Configs"), defaultConfig("k" + names.camel + "DefaultConfig"),
        kernelClass(names.camel + "Kernel") {}
  const KernelNames &names;
  const std::string args, params, configs, defaultConfig, kernelClass;
};

/// The kernel's banner: its signature, grid and tuning key.
void emitBanner(std::string &out, const pkg::Kernel &kernel, const KernelNames &names) {
  std::string keyText;
  for (uint32_t index : kernel.keyArgs)
    keyText += (keyText.empty() ? "" : ", ") + names.argFields[index];
  std::string banner = "//===-- " + commentText(kernel.name) + " ";
  out += banner + std::string(banner.size() < 76 ? 76 - banner.size() : 0, '-') + "===//\n";
  out += "//\n// " + signatureText(kernel) + "\n";
  out += "// grid " + gridText(kernel, names) + "; tuning key (" + keyText + ")\n//\n\n";
}

/// <Camel>Args: one field per argument.
void emitArgsStruct(std::string &out, const pkg::Kernel &kernel, const KernelDecls &decls) {
  const KernelNames &names = decls.names;
  const std::string &args = decls.args;
  std::set<uint32_t> keys(kernel.keyArgs.begin(), kernel.keyArgs.end());
  out += "/// The arguments of " + commentText(kernel.name) +
         ": buffers are spans of device memory, of\n"
         "/// const elements where the kernel only reads them.\n";
  out += "struct " + args + " {\n";
  for (size_t i = 0; i < kernel.args.size(); ++i) {
    const pkg::Arg &arg = kernel.args[i];
    std::string comment = elemTypeName(arg.type);
    if (arg.kind == pkg::ArgKind::Buffer) {
      const char *constness = arg.access == pkg::Access::Read ? "const " : "";
      out += "  ssdc::DeviceSpan<" + std::string(constness) + cppElemType(arg.type) + "> " +
             names.argFields[i] + ";";
      comment += std::string(", ") + pkg::accessName(arg.access);
    } else if (arg.kind == pkg::ArgKind::Float) {
      // float holds every f16 and bf16 value; the runtime rounds at launch.
      out += "  float " + names.argFields[i] + " = 0;";
    } else {
      out += "  " + std::string(cppElemType(arg.type)) + " " + names.argFields[i] + " = 0;";
    }
    if (keys.count(static_cast<uint32_t>(i)))
      comment += ", tuning key";
    if (names.argFields[i] != arg.name)
      comment += ", '" + commentText(arg.name) + "' in the kernel";
    out += " // " + comment + "\n";
  }
  out += "};\n\n";
}

/// <Camel>Params, the table of the package's configs and the default's index.
void emitConfigs(std::string &out, const pkg::Kernel &kernel, const KernelDecls &decls) {
  const KernelNames &names = decls.names;
  const std::string &params = decls.params, &configs = decls.configs;
  const std::string &defaultConfig = decls.defaultConfig;
  out += "/// The tuning parameters of one config of " + commentText(kernel.name) + ".\n";
  out += "struct " + params + " {\n";
  for (size_t p = 0; p < kernel.params.size(); ++p) {
    out += "  std::int64_t " + names.paramFields[p] + ";";
    if (names.paramFields[p] != kernel.params[p].name)
      out += " // '" + commentText(kernel.params[p].name) + "' in the kernel";
    out += "\n";
  }
  out += "};\n\n";

  out += "/// The configs in the package; a config index is an index into this array.\n";
  out += "inline constexpr " + params + " " + configs + "[] = {\n";
  for (const pkg::Config &config : kernel.configs) {
    out += "    {";
    for (size_t p = 0; p < config.paramValues.size(); ++p)
      out += (p ? ", " : "") + int64Literal(config.paramValues[p]);
    out += "},\n";
  }
  out += "};\n";
  out += "/// The config a launch uses when tuning is off (SSDC_TUNE=off).\n";
  out += "inline constexpr std::uint32_t " + defaultConfig + " = " +
         std::to_string(kernel.defaultConfig) + ";\n\n";
}

/// toKernelArgs: the typed arguments as the runtime's KernelArgs.
void emitToKernelArgs(std::string &out, const pkg::Kernel &kernel, const KernelDecls &decls) {
  const KernelNames &names = decls.names;
  const std::string &args = decls.args;
  out += "/// `args` by name, as the runtime's checked launch path takes them.\n";
  out += "inline ssdc::KernelArgs toKernelArgs(const " + args + " &args) {\n";
  out += "  ssdc::KernelArgs kernelArgs;\n";
  for (size_t i = 0; i < kernel.args.size(); ++i) {
    const std::string field = "args." + names.argFields[i];
    std::string value = field + ".toArg()";
    if (kernel.args[i].kind == pkg::ArgKind::Int)
      value = "ssdc::ArgValue::scalar(" + field + ")";
    else if (kernel.args[i].kind == pkg::ArgKind::Float)
      value = "ssdc::ArgValue::floatScalar(" + field + ")";
    out += "  kernelArgs.set(" + stringLiteral(kernel.args[i].name) + ", " + value + ");\n";
  }
  out += "  return kernelArgs;\n}\n\n";
}

/// <Camel>Kernel: the kernel loaded on one device, its lifetime the caller's.
void emitKernelClass(std::string &out, const pkg::Kernel &kernel, const KernelDecls &decls) {
  const std::string &args = decls.args, &defaultConfig = decls.defaultConfig;
  const std::string &kernelClass = decls.kernelClass;
  const std::string kernelName = stringLiteral(kernel.name);
  out += "/// " + commentText(kernel.name) +
         " on one device. Copies share the loaded kernel and its tuning choices;\n"
         "/// the kernel keeps its Device open. Thread-safe once loaded.\n";
  out += "class " + kernelClass + " {\npublic:\n";
  out += "  static ssdc::Status load(ssdc::Device &device, " + kernelClass + " &out) {\n";
  out += "    std::shared_ptr<const ssdc::LoadedPackage> package;\n";
  out += "    SSDC_RETURN_IF_ERROR(loadPackage(package));\n";
  out += "    return device.kernel(std::move(package), " + kernelName + ", out.kernel_);\n";
  out += "  }\n\n";
  out += "  /// Checks `args`, chooses the config (tuning on the first launch of a new key)\n"
         "  /// and launches on `stream` (a CUstream or cudaStream_t; nullptr is the legacy\n"
         "  /// default stream).\n";
  out += "  ssdc::Status launch(const " + args +
         " &args, void *stream = nullptr,\n"
         "                      ssdc::LaunchReport *report = nullptr) const {\n";
  out += "    SSDC_RETURN_IF_ERROR(checkLoaded());\n";
  out += "    return kernel_->launch(toKernelArgs(args), stream, report);\n  }\n\n";
  out += "  /// The launch config of config `configIndex` for `args` on this device.\n";
  out += "  ssdc::Status plan(const " + args +
         " &args, ssdc::LaunchConfig &out,\n"
         "                    std::uint32_t configIndex = " +
         defaultConfig + ") const {\n";
  out += "    SSDC_RETURN_IF_ERROR(checkLoaded());\n";
  out += "    return kernel_->plan(configIndex, toKernelArgs(args), out);\n  }\n\n";
  out += "  /// The runtime's kernel (tune, launchWithConfig, ...); null before load().\n";
  out += "  ssdc::DeviceKernel *runtimeKernel() const { return kernel_.get(); }\n\n";
  out += "private:\n";
  out += "  ssdc::Status checkLoaded() const {\n";
  out += "    return kernel_ ? ssdc::okStatus()\n";
  out += "                   : ssdc::invalidArgument(\"" + kernelClass +
         " used before load()\");\n  }\n\n";
  out += "  std::shared_ptr<ssdc::DeviceKernel> kernel_;\n};\n\n";
}

/// launch_<snake> and plan_<snake>: the functions that need no kernel object.
void emitLaunchFunctions(std::string &out, const pkg::Kernel &kernel, const KernelDecls &decls) {
  const KernelNames &names = decls.names;
  const std::string &args = decls.args, &defaultConfig = decls.defaultConfig;
  const std::string &kernelClass = decls.kernelClass;
  const std::string kernelName = stringLiteral(kernel.name);
  out += "/// Launches " + commentText(kernel.name) +
         " on `device` and `stream` (a CUstream or cudaStream_t;\n"
         "/// nullptr is the legacy default stream). The first launch on a device loads\n"
         "/// the kernel there and keeps it, with its tuning choices, for the rest of the\n"
         "/// process; " +
         kernelClass + " leaves that lifetime to the caller.\n";
  out += "inline ssdc::Status launch_" + names.snake + "(ssdc::Device &device, const " + args +
         " &args,\n"
         "    void *stream = nullptr, ssdc::LaunchReport *report = nullptr) {\n";
  out += "  // Never destroyed: the kernels it keeps own Devices, whose destructors call\n"
         "  // the driver, which may be gone when static destructors run.\n";
  out += "  static ssdc::DeviceKernelCache &kernels = *new ssdc::DeviceKernelCache();\n";
  out += "  std::shared_ptr<const ssdc::LoadedPackage> package;\n";
  out += "  SSDC_RETURN_IF_ERROR(loadPackage(package));\n";
  out += "  ssdc::DeviceKernel *kernel = nullptr;\n";
  out += "  SSDC_RETURN_IF_ERROR(kernels.get(device, package, " + kernelName + ", kernel));\n";
  out += "  return kernel->launch(toKernelArgs(args), stream, report);\n}\n\n";

  out += "/// The launch config (grid from the kernel's grid expression, block, shared\n"
         "/// memory) of config `configIndex` for `args`, without a device: arguments\n"
         "/// are checked as a launch checks them, grid limits are those of every CUDA\n"
         "/// device. A launch may choose another config by tuning; its LaunchReport\n"
         "/// says which.\n";
  out += "inline ssdc::Status plan_" + names.snake + "(const " + args +
         " &args, ssdc::LaunchConfig &out,\n"
         "    std::uint32_t configIndex = " +
         defaultConfig + ") {\n";
  out += "  std::shared_ptr<const ssdc::LoadedPackage> package;\n";
  out += "  SSDC_RETURN_IF_ERROR(loadPackage(package));\n";
  out += "  return ssdc::planLaunch(package, " + kernelName +
         ", toKernelArgs(args), configIndex, out);\n}\n\n";
}

void emitKernel(std::string &out, const pkg::Kernel &kernel, const KernelNames &names) {
  KernelDecls decls(names);
  emitBanner(out, kernel, names);
  emitArgsStruct(out, kernel, decls);
  emitConfigs(out, kernel, decls);
  emitToKernelArgs(out, kernel, decls);
  emitKernelClass(out, kernel, decls);
  emitLaunchFunctions(out, kernel, decls);
}

} // namespace

std::string cppIdentifierFor(const std::string &name, const std::string &prefix) {
  std::string identifier;
  for (char c : name)
    identifier += isIdentifierChar(c) ? c : '_';
  if (identifier.empty() || isDigit(identifier[0]))
    identifier = prefix + identifier;
  if (isCppKeyword(identifier))
    identifier += '_';
  return identifier;
}

Status generateCppHeader(const pkg::Package &package, const CppHeaderOptions &options,
                         std::string &out) {
  SSDC_RETURN_IF_ERROR(checkNamespace(options.cppNamespace));
  // What the header embeds is read back as the runtime will read it, and the
  // declarations are made from what was read: a package the runtime would
  // reject never becomes a header, and the generator may rely on the
  // reader's checks (grid expressions, indices, one value per parameter).
  const std::string bytes = pkg::writePackage(package);
  pkg::Package embedded;
  Status readBack = pkg::readPackage(bytes.data(), bytes.size(), embedded);
  if (!readBack.ok())
    return internalError("the compiled package does not read back: " + readBack.message());
  std::vector<KernelNames> names;
  SSDC_RETURN_IF_ERROR(kernelNames(embedded, names));
  const std::string header = commentText(options.headerName);

  std::string text;
  text += "//===- " + header + " - generated by ssdc compile --emit=cpp-header ";
  text += std::string(text.size() < 76 ? 76 - text.size() : 0, '-') + "===//\n";
  text += "//\n// Do not edit: regenerate it from " + commentText(options.source) +
          " with ssdc compile.\n";
  text += "// Package: " + std::to_string(bytes.size()) + " bytes, format " +
          std::to_string(embedded.version) + ", PTX for " + commentText(embedded.chip) +
          ", produced by " + commentText(embedded.producer) + ".\n";
  text += "// Kernels:\n";
  for (const pkg::Kernel &kernel : embedded.kernels)
    text += "//   " + signatureText(kernel) + "\n";
  text += "//\n// Needs the ssdc runtime only: include/ssdc/Runtime on the include path and\n"
          "// libSSDCRuntime.a -ldl -lpthread at link time; no CUDA headers or libraries.\n"
          "// The API is described in docs/cpp-header.md.\n//\n";
  text += "//===" + std::string(70, '-') + "===//\n";
  const std::string guard = includeGuard(options.cppNamespace);
  text += "#ifndef " + guard + "\n#define " + guard + "\n\n";
  text += "#if __cplusplus < 201703L\n#error \"" + header + " needs C++17 or later\"\n#endif\n\n";
  text += "#include \"ssdc/Runtime/TypedLaunch.h\"\n\n";
  text += "#include <cstdint>\n#include <memory>\n#include <utility>\n\n";
  text += "namespace " + options.cppNamespace + " {\n\n";

  text += "namespace detail {\n";
  text += "// One string literal; clang -Wpedantic would flag its length (over the 65536\n"
          "// characters the standard asks compilers to support).\n";
  text += "#pragma GCC diagnostic push\n";
  text += "#pragma GCC diagnostic ignored \"-Woverlength-strings\"\n";
  text += "alignas(8) inline constexpr char kPackageBytes[] =\n";
  appendPackageLiteral(text, bytes);
  text += "    ;\n#pragma GCC diagnostic pop\n} // namespace detail\n\n";

  text += "/// The embedded package, read and validated on first use; later calls share\n"
          "/// it (or its error).\n";
  text += "inline ssdc::Status loadPackage(std::shared_ptr<const ssdc::LoadedPackage> &out) {\n";
  text += "  static const ssdc::EmbeddedPackage package(\n"
          "      detail::kPackageBytes, sizeof(detail::kPackageBytes) - 1, " +
          stringLiteral(options.headerName) + ");\n";
  text += "  return package.get(out);\n}\n\n";

  for (size_t k = 0; k < embedded.kernels.size(); ++k)
    emitKernel(text, embedded.kernels[k], names[k]);

  text += "} // namespace " + options.cppNamespace + "\n\n#endif // " + guard + "\n";
  out = std::move(text);
  return okStatus();
}

} // namespace ssdc
