//===- RunCommand.cpp - `ssdc run KERNEL.mlir` ----------------------------===//
//
// Runs one config of a kernel from source. With --target=host the kernel is
// specialized and interpreted on the CPU (lib/Target/Host): inputs come from
// .npy files or are generated from a seed, write-only buffers start as NaN
// (so elements the kernel never writes show), and written buffers are
// summarized and optionally saved as .npy. docs/host-target.md describes it.
//
// Exit codes, as for the runtime's commands: 0 success, 1 an error while
// running, 2 a usage error.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Tools/Commands.h"

#include "CommandOptions.h"

#include "ssdc/Dialect/Tile/Transforms/Passes.h"
#include "ssdc/InitAll.h"
#include "ssdc/Runtime/Launch.h"
#include "ssdc/Target/Host/Interpreter.h"
#include "ssdc/Target/Host/Npy.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <cmath>
#include <limits>
#include <memory>

using namespace mlir;
using namespace ssdc;
using namespace ssdc::host;

namespace {
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

/// The most bytes `ssdc run` allocates for one buffer: a size typo should be
/// an error, not the machine's memory.
constexpr int64_t kMaxBufferBytes = int64_t(16) << 30;

llvm::raw_ostream &usageError() { return llvm::errs() << "ssdc run: error: "; }

/// A kernel argument as the command line sees it.
struct ArgInfo {
  std::string name;
  Type type;
  tile::BufferType buffer; // null for integers
};

/// The kernel's arguments, by the names the source gave them.
SmallVector<ArgInfo> describeArguments(tile::KernelOp kernel) {
  SmallVector<ArgInfo> args;
  for (auto [index, type] : llvm::enumerate(kernel.getArgumentTypes()))
    args.push_back({kernel.getArgName(index), type, dyn_cast<tile::BufferType>(type)});
  return args;
}

/// Splits NAME=VALUE options into a map, rejecting malformed or repeated names.
FailureOr<llvm::StringMap<std::string>> parseAssignments(StringRef option,
                                                         ArrayRef<std::string> items) {
  llvm::StringMap<std::string> values;
  for (StringRef item : items) {
    auto [name, value] = item.split('=');
    if (name.empty() || value.empty() || !item.contains('=')) {
      usageError() << "--" << option << " takes NAME=VALUE, not '" << item << "'\n";
      return failure();
    }
    if (!values.try_emplace(name, value.str()).second) {
      usageError() << "--" << option << " names '" << name << "' twice\n";
      return failure();
    }
  }
  return values;
}

/// Checks that every name in `values` is an argument that `accepts` admits.
LogicalResult checkNames(StringRef option, const llvm::StringMap<std::string> &values,
                         ArrayRef<ArgInfo> args, function_ref<bool(const ArgInfo &)> accepts,
                         StringRef what) {
  for (const auto &entry : values) {
    const ArgInfo *arg = llvm::find_if(args, [&](const ArgInfo &a) { return a.name == entry.getKey(); });
    if (arg == args.end()) {
      usageError() << "--" << option << " names '" << entry.getKey()
                   << "', which is not an argument of the kernel (its arguments: "
                   << llvm::join(llvm::map_range(args, [](const ArgInfo &a) { return a.name; }),
                                 ", ")
                   << ")\n";
      return failure();
    }
    if (!accepts(*arg)) {
      usageError() << "--" << option << " names '" << entry.getKey() << "', which is not "
                   << what << "\n";
      return failure();
    }
  }
  return success();
}

/// Evaluates an element count: a product of integers and integer-argument
/// names ("8", "B*T*T"), the syntax of `ssdc run PACKAGE`.
FailureOr<int64_t> evaluateCount(StringRef name, StringRef text,
                                 const llvm::StringMap<int64_t> &ints) {
  SmallVector<StringRef> factors;
  text.split(factors, '*');
  int64_t count = 1;
  for (StringRef factor : factors) {
    factor = factor.trim();
    int64_t value;
    if (factor.getAsInteger(10, value)) {
      auto found = ints.find(factor);
      if (found == ints.end()) {
        usageError() << "the element count of '" << name << "' is '" << text << "': '" << factor
                     << "' is neither an integer nor an integer argument\n";
        return failure();
      }
      value = found->second;
    }
    std::optional<int64_t> product = llvm::checkedMul(count, value);
    if (!product || value < 0) {
      usageError() << "the element count of '" << name << "' (" << text
                   << ") is negative or overflows\n";
      return failure();
    }
    count = *product;
  }
  return count;
}

/// splitmix64: a small, portable generator, so that a seed gives the same
/// inputs on every machine and standard library.
class Generator {
public:
  explicit Generator(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [-1, 1).
  double nextSigned() { return static_cast<double>(next() >> 11) * 0x1.0p-52 - 1.0; }

private:
  uint64_t state;
};

/// Fills a readable buffer from the seed (floats uniform in [-1, 1), integers
/// in (-100, 100)) or poisons a write-only one (NaN, or the most negative
/// integer), so that elements the kernel never writes are visible.
void initializeBuffer(HostBuffer &buffer, bool writeOnly, uint64_t seed, size_t argIndex) {
  Generator generator(seed ^ (0x632be59bd9b4e019ull * (argIndex + 1)));
  for (int64_t i = 0; i < buffer.size(); ++i) {
    if (buffer.isFloat())
      buffer.storeFloat(i, writeOnly ? std::numeric_limits<double>::quiet_NaN()
                                     : generator.nextSigned());
    else
      buffer.storeInt(i, writeOnly ? (buffer.elementType() == pkg::ElemType::I32
                                          ? std::numeric_limits<int32_t>::min()
                                          : std::numeric_limits<int64_t>::min())
                                   : static_cast<int64_t>(generator.nextSigned() * 100));
  }
}

/// One line about a written buffer: enough to compare runs at a glance.
void printSummary(llvm::raw_ostream &os, const ArgInfo &arg, const HostBuffer &buffer) {
  os << "  " << arg.name << ": " << buffer.size() << " x " << elemTypeName(buffer.elementType());
  if (buffer.size() == 0) {
    os << "\n";
    return;
  }
  if (!buffer.isFloat()) {
    int64_t sum = 0;
    for (int64_t i = 0; i < buffer.size(); ++i)
      sum = static_cast<int64_t>(uint64_t(sum) + uint64_t(buffer.loadInt(i)));
    os << ", sum " << sum << "\n";
    return;
  }
  double sum = 0, low = std::numeric_limits<double>::infinity(), high = -low;
  int64_t nans = 0;
  for (int64_t i = 0; i < buffer.size(); ++i) {
    double value = buffer.loadFloat(i);
    if (std::isnan(value)) {
      ++nans;
      continue;
    }
    sum += value;
    low = std::min(low, value);
    high = std::max(high, value);
  }
  os << llvm::format(", sum %.9g, min %.9g, max %.9g, NaN %lld", sum, low, high,
                     static_cast<long long>(nans));
  if (nans && arg.buffer.getAccess() == tile::Access::write)
    os << " (a write-only buffer starts as NaN: elements never written stay NaN)";
  os << "\n";
}

/// Parses and verifies `path`.
OwningOpRef<ModuleOp> parseKernelFile(StringRef path, MLIRContext &context,
                                      llvm::SourceMgr &sourceMgr) {
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &error);
  if (!file) {
    usageError() << error << "\n";
    return nullptr;
  }
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  return parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
}

/// The kernel called `name`, or the only unspecialized kernel of `module`.
FailureOr<tile::KernelOp> selectKernel(ModuleOp module, StringRef name) {
  SmallVector<tile::KernelOp> kernels(module.getOps<tile::KernelOp>());
  if (!name.empty()) {
    for (tile::KernelOp kernel : kernels)
      if (kernel.getSymName() == name)
        return kernel;
  } else if (kernels.size() == 1) {
    return kernels.front();
  }
  auto names = llvm::map_range(kernels, [](tile::KernelOp k) { return k.getSymName(); });
  if (name.empty())
    usageError() << "the file has " << kernels.size() << " kernels; pick one with --kernel ("
                 << llvm::join(names, ", ") << ")\n";
  else
    usageError() << "the file has no kernel @" << name << " (it has: " << llvm::join(names, ", ")
                 << ")\n";
  return failure();
}
} // namespace

int ssdc::runKernelCommand(int argc, char **argv) {
  namespace cl = llvm::cl;
  cl::OptionCategory category("ssdc run KERNEL.mlir options");
  cl::opt<std::string> inputFile(cl::Positional, cl::desc("<kernel.mlir>"), cl::Required,
                                 cl::cat(category));
  cl::opt<std::string> target("target",
                              cl::desc("Where to run: host (the CPU interpreter) or cuda"),
                              cl::init("host"), cl::cat(category));
  cl::opt<std::string> kernelName("kernel", cl::desc("The kernel to run (needed when the file "
                                                     "has several)"),
                                  cl::value_desc("NAME"), cl::cat(category));
  cl::opt<std::string> config("config",
                              cl::desc("The config to run: NAME=VALUE,... (other params take "
                                       "their defaults; default: the kernel's default config)"),
                              cl::cat(category));
  cl::list<std::string> argOptions(
      "arg",
      cl::desc("NAME=VALUE: an integer argument's value, or a generated buffer's element count "
               "as a product of integers and integer-argument names (e.g. out=B*T*T; default: "
               "the elements the kernel touches)"),
      cl::cat(category));
  cl::list<std::string> inputOptions("input", cl::desc("NAME=FILE.npy: a buffer's contents"),
                                     cl::cat(category));
  cl::list<std::string> outputOptions(
      "output", cl::desc("NAME=FILE.npy: where to write a written buffer"), cl::cat(category));
  cl::opt<std::string> outputDir("output-dir",
                                 cl::desc("Write every written buffer to DIR/NAME.npy"),
                                 cl::value_desc("DIR"), cl::cat(category));
  cl::opt<uint64_t> seed("seed", cl::desc("Seed of the generated inputs"), cl::init(0),
                         cl::cat(category));
  OptionRegistration registration(inputFile, target, kernelName, config, argOptions, inputOptions,
                                  outputOptions, outputDir, seed);
  cl::HideUnrelatedOptions(category);
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "ssdc run: run one config of a kernel from source\n"
                                   "(a compiled package runs with `ssdc run PACKAGE --kernel NAME`)\n",
                                   &llvm::errs()))
    return kExitUsage;

  if (target == "cuda") {
    usageError() << "--target=cuda is not available yet for kernel sources: use `ssdc compile "
                 << inputFile << "` and then `ssdc run PACKAGE`\n";
    return kExitError;
  }
  if (target != "host") {
    usageError() << "unknown --target '" << target << "' (host or cuda)\n";
    return kExitUsage;
  }

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false); // the location says where; the op in generic form is noise
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseKernelFile(inputFile, context, sourceMgr);
  if (!module)
    return kExitError;
  FailureOr<tile::KernelOp> generic = selectKernel(*module, kernelName);
  if (failed(generic))
    return kExitUsage;
  SmallVector<ArgInfo> args = describeArguments(*generic);

  // The config: the one named, else the default; a file of specialized
  // kernels runs as it is.
  tile::KernelOp kernel = *generic;
  if (!kernel->hasAttr("tile.config")) {
    tile::Config values = tile::defaultConfig(kernel);
    if (!config.empty()) {
      FailureOr<SmallVector<tile::Config>> named = tile::enumerateConfigs(kernel, config);
      if (failed(named))
        return kExitUsage;
      values = named->front();
    }
    FailureOr<tile::KernelOp> specialized = tile::specializeKernel(kernel, values);
    if (failed(specialized) || failed(verify(*specialized)))
      return kExitError;
    kernel = *specialized;
  } else if (!config.empty()) {
    usageError() << "@" << kernel.getSymName() << " is already specialized; drop --config\n";
    return kExitUsage;
  }

  // Integer arguments, then buffers (whose counts may name integers).
  FailureOr<llvm::StringMap<std::string>> argValues = parseAssignments("arg", argOptions);
  FailureOr<llvm::StringMap<std::string>> inputs = parseAssignments("input", inputOptions);
  FailureOr<llvm::StringMap<std::string>> outputs = parseAssignments("output", outputOptions);
  if (failed(argValues) || failed(inputs) || failed(outputs) ||
      failed(checkNames("arg", *argValues, args, [](const ArgInfo &) { return true; }, "")) ||
      failed(checkNames(
          "input", *inputs, args,
          [](const ArgInfo &a) { return a.buffer && a.buffer.isReadable(); },
          "a buffer the kernel reads")) ||
      failed(checkNames(
          "output", *outputs, args,
          [](const ArgInfo &a) { return a.buffer && a.buffer.isWritable(); },
          "a buffer the kernel writes")))
    return kExitUsage;

  llvm::StringMap<int64_t> ints;
  SmallVector<HostArgument> hostArgs(args.size());
  for (auto [arg, hostArg] : llvm::zip(args, hostArgs)) {
    if (arg.buffer)
      continue;
    auto found = argValues->find(arg.name);
    if (found == argValues->end()) {
      usageError() << "@" << generic->getSymName() << " needs --arg " << arg.name
                   << "=VALUE (an " << arg.type << ")\n";
      return kExitUsage;
    }
    if (StringRef(found->second).getAsInteger(10, hostArg.value)) {
      usageError() << "--arg " << arg.name << "=" << found->second << " is not an integer\n";
      return kExitUsage;
    }
    ints[arg.name] = hostArg.value;
  }

  // Buffers from files, from explicit counts, or sized by a dry run.
  std::vector<std::unique_ptr<HostBuffer>> buffers(args.size());
  SmallVector<int64_t> counts(args.size(), -1);
  for (auto [index, arg] : llvm::enumerate(args)) {
    if (!arg.buffer)
      continue;
    pkg::ElemType type = getHostElemType(arg.buffer);
    auto file = inputs->find(arg.name);
    auto count = argValues->find(arg.name);
    if (file != inputs->end() && count != argValues->end()) {
      usageError() << "'" << arg.name << "' has both --input and --arg; its size is the file's\n";
      return kExitUsage;
    }
    if (file != inputs->end()) {
      llvm::Expected<HostBuffer> contents = readNpy(file->second, type);
      if (!contents) {
        usageError() << llvm::toString(contents.takeError()) << "\n";
        return kExitUsage;
      }
      buffers[index] = std::make_unique<HostBuffer>(std::move(*contents));
      hostArgs[index].buffer = buffers[index].get();
    } else if (count != argValues->end()) {
      FailureOr<int64_t> value = evaluateCount(arg.name, count->second, ints);
      if (failed(value))
        return kExitUsage;
      counts[index] = *value;
    }
  }
  if (llvm::any_of(llvm::zip(args, hostArgs, counts), [](auto entry) {
        auto [arg, hostArg, count] = entry;
        return arg.buffer && !hostArg.buffer && count < 0;
      })) {
    FailureOr<SmallVector<int64_t>> touched = measureBufferSizes(kernel, hostArgs);
    if (failed(touched))
      return kExitError;
    for (auto [count, size] : llvm::zip(counts, *touched))
      if (count < 0)
        count = size;
  }
  for (auto [index, arg] : llvm::enumerate(args)) {
    if (!arg.buffer || hostArgs[index].buffer)
      continue;
    pkg::ElemType type = getHostElemType(arg.buffer);
    if (counts[index] > kMaxBufferBytes / elemTypeSize(type)) {
      usageError() << "'" << arg.name << "' would have " << counts[index]
                   << " elements, more than the " << (kMaxBufferBytes >> 30)
                   << " GiB `ssdc run` allocates for one buffer\n";
      return kExitUsage;
    }
    buffers[index] = std::make_unique<HostBuffer>(type, counts[index]);
    initializeBuffer(*buffers[index], arg.buffer.getAccess() == tile::Access::write, seed, index);
    hostArgs[index].buffer = buffers[index].get();
  }

  FailureOr<SmallVector<int64_t, 3>> grid = evaluateGrid(kernel, hostArgs);
  if (failed(grid) || failed(runKernel(kernel, hostArgs)))
    return kExitError;

  llvm::outs() << "ran @" << kernel.getSymName() << " on the host: grid ("
               << llvm::join(llvm::map_range(*grid, [](int64_t n) { return std::to_string(n); }),
                             ", ")
               << ")\n";
  if (!outputDir.empty()) {
    if (std::error_code error = llvm::sys::fs::create_directories(outputDir)) {
      usageError() << "cannot create " << outputDir << ": " << error.message() << "\n";
      return kExitError;
    }
  }
  for (auto [index, arg] : llvm::enumerate(args)) {
    if (!arg.buffer || !arg.buffer.isWritable())
      continue;
    printSummary(llvm::outs(), arg, *buffers[index]);
    SmallVector<std::string, 2> paths;
    if (auto found = outputs->find(arg.name); found != outputs->end())
      paths.push_back(found->second);
    if (!outputDir.empty()) {
      SmallString<128> path(outputDir);
      llvm::sys::path::append(path, arg.name + ".npy");
      paths.push_back(path.str().str());
    }
    for (const std::string &path : paths) {
      if (llvm::Error error = writeNpy(path, *buffers[index])) {
        usageError() << llvm::toString(std::move(error)) << "\n";
        return kExitError;
      }
      llvm::outs() << "    -> " << path << "\n";
    }
  }
  return 0;
}
