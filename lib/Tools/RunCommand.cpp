//===- RunCommand.cpp - `ssdc run KERNEL.mlir` ----------------------------===//
//
// Runs a kernel from source. With --target=host the kernel is specialized and
// interpreted on the CPU (lib/Target/Host): inputs come from .npy files or are
// generated from a seed, write-only buffers start as NaN (so elements the
// kernel never writes show), and written buffers are summarized and
// optionally saved as .npy. With --target=cuda the kernel is compiled into a
// package in memory and run by the runtime exactly as `ssdc run PACKAGE`
// runs a package file, with the same inputs for the same seed.
// docs/host-target.md describes both.
//
// Exit codes, as for the runtime's commands: 0 success, 1 an error while
// running, 2 a usage error.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Tools/Commands.h"

#include "CommandOptions.h"

#include "ssdc/Compiler/Pipeline.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"
#include "ssdc/InitAll.h"
#include "ssdc/Runtime/Launch.h"
#include "ssdc/Runtime/Runtime.h"
#include "ssdc/Target/Host/Interpreter.h"
#include "ssdc/Target/NVPTX/NVPTXTarget.h"
#include "ssdc/Tooling/Npy.h"
#include "ssdc/Tooling/RunCommand.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include <map>
#include <memory>
#include <optional>

using namespace mlir;
using namespace ssdc;
using namespace ssdc::host;

namespace {
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

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
    const ArgInfo *arg =
        llvm::find_if(args, [&](const ArgInfo &a) { return a.name == entry.getKey(); });
    if (arg == args.end()) {
      usageError() << "--" << option << " names '" << entry.getKey()
                   << "', which is not an argument of the kernel (its arguments: "
                   << llvm::join(llvm::map_range(args, [](const ArgInfo &a) { return a.name; }),
                                 ", ")
                   << ")\n";
      return failure();
    }
    if (!accepts(*arg)) {
      usageError() << "--" << option << " names '" << entry.getKey() << "', which is not " << what
                   << "\n";
      return failure();
    }
  }
  return success();
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
/// Compiles `kernel` into a package in memory (every config, or the one
/// `compileOptions` names) and runs it through the runtime, exactly as
/// `ssdc run PACKAGE` runs a package file.
int runOnCuda(tile::KernelOp kernel, const CompileOptions &compileOptions,
              const PackageRunOptions &runOptions) {
  // Only this kernel: --config names its parameters, and the file's other
  // kernels need not compile.
  OwningOpRef<ModuleOp> single = ModuleOp::create(kernel.getLoc());
  single->push_back(kernel->clone());
  FailureOr<pkg::Package> package = compilePackage(*single, compileOptions);
  if (failed(package))
    return kExitError;
  std::string bytes = pkg::writePackage(*package);
  std::shared_ptr<const LoadedPackage> loaded;
  if (Status status = LoadedPackage::fromBytes(bytes.data(), bytes.size(), loaded); !status.ok()) {
    llvm::errs() << "ssdc run: error: the compiled package does not load: " << status.toString()
                 << "\n";
    return kExitError;
  }
  return runPackage(std::move(loaded), runOptions);
}
} // namespace

int ssdc::runKernelCommand(int argc, char **argv) {
  namespace cl = llvm::cl;
  cl::OptionCategory category("ssdc run KERNEL.mlir options");
  cl::opt<std::string> inputFile(cl::Positional, cl::desc("<kernel.mlir>"), cl::Required,
                                 cl::cat(category));
  cl::opt<std::string> target("target",
                              cl::desc("Where to run: host (the CPU interpreter) or cuda (a GPU, "
                                       "through the runtime)"),
                              cl::init("host"), cl::cat(category));
  cl::opt<std::string> kernelName("kernel",
                                  cl::desc("The kernel to run (needed when the file "
                                           "has several)"),
                                  cl::value_desc("NAME"), cl::cat(category));
  cl::opt<std::string> config(
      "config",
      cl::desc("The config to run: NAME=VALUE,... (other params take their defaults; default: "
               "the kernel's default config on the host, every config timed on cuda)"),
      cl::cat(category));
  cl::opt<std::string> chip("chip", cl::desc("--target=cuda: the chip to compile for"),
                            cl::init("sm_90"), cl::cat(category));
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
  OptionRegistration registration(inputFile, target, kernelName, config, chip, argOptions,
                                  inputOptions, outputOptions, outputDir, seed);
  cl::HideUnrelatedOptions(category);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "ssdc run: run a kernel from source\n"
          "(a compiled package runs with `ssdc run PACKAGE --kernel NAME`)\n",
          &llvm::errs()))
    return kExitUsage;

  if (target != "host" && target != "cuda") {
    usageError() << "unknown --target '" << target << "' (host or cuda)\n";
    return kExitUsage;
  }
  bool onCuda = target == "cuda";
  if (!onCuda && chip.getNumOccurrences()) {
    usageError() << "--chip is for --target=cuda\n";
    return kExitUsage;
  }
  std::string chipError;
  if (onCuda && failed(nvptx::lookupChip(chip, chipError))) {
    usageError() << chipError << "\n";
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

  FailureOr<llvm::StringMap<std::string>> argValues = parseAssignments("arg", argOptions);
  FailureOr<llvm::StringMap<std::string>> inputs = parseAssignments("input", inputOptions);
  FailureOr<llvm::StringMap<std::string>> outputs = parseAssignments("output", outputOptions);
  if (failed(argValues) || failed(inputs) || failed(outputs) ||
      failed(checkNames(
          "arg", *argValues, args, [](const ArgInfo &) { return true; }, "")) ||
      failed(checkNames(
          "input", *inputs, args,
          [](const ArgInfo &a) { return a.buffer && a.buffer.isReadable(); },
          "a buffer the kernel reads")) ||
      failed(checkNames(
          "output", *outputs, args,
          [](const ArgInfo &a) { return a.buffer && a.buffer.isWritable(); },
          "a buffer the kernel writes")))
    return kExitUsage;

  // The config: the one named, else the default; a file of specialized
  // kernels runs as it is. On cuda the specialized kernel only sizes buffers
  // (below); the package is compiled from the generic one.
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
  std::map<std::string, int64_t> ints;
  SmallVector<HostArgument> hostArgs(args.size());
  for (auto [arg, hostArg] : llvm::zip(args, hostArgs)) {
    if (arg.buffer)
      continue;
    auto found = argValues->find(arg.name);
    if (found == argValues->end()) {
      usageError() << "@" << generic->getSymName() << " needs --arg " << arg.name << "=VALUE (an "
                   << arg.type << ")\n";
      return kExitUsage;
    }
    if (StringRef(found->second).getAsInteger(10, hostArg.value)) {
      usageError() << "--arg " << arg.name << "=" << found->second << " is not an integer\n";
      return kExitUsage;
    }
    ints[arg.name] = hostArg.value;
  }
  for (const ArgInfo &arg : args) {
    if (arg.buffer && inputs->count(arg.name) && argValues->count(arg.name)) {
      usageError() << "'" << arg.name << "' has both --input and --arg; its size is the file's\n";
      return kExitUsage;
    }
  }
  // A buffer neither read from a file nor given a count gets the elements
  // the kernel touches: measureBufferSizes, a dry run against the buffers
  // present in `hostArgs` (on cuda, none: files are the runtime's to read).
  auto isUnsized = [&](const ArgInfo &arg) {
    return arg.buffer && !inputs->count(arg.name) && !argValues->count(arg.name);
  };

  if (onCuda) {
    PackageRunOptions run;
    run.kernel = generic->getSymName().str();
    for (const auto &[option, into] :
         {std::pair(&*argValues, &run.args), std::pair(&*inputs, &run.inputs),
          std::pair(&*outputs, &run.outputs)})
      for (const auto &entry : *option)
        into->push_back({entry.getKey().str(), entry.getValue()});
    run.outputDir = outputDir;
    run.seed = seed;
    run.config = config;
    if (llvm::any_of(args, isUnsized)) {
      FailureOr<SmallVector<int64_t>> touched = measureBufferSizes(kernel, hostArgs);
      if (failed(touched))
        return kExitError;
      for (auto [arg, count] : llvm::zip(args, *touched))
        if (isUnsized(arg))
          run.args.push_back({arg.name, std::to_string(count)});
    }
    CompileOptions compileOptions;
    compileOptions.chip = chip;
    compileOptions.config = config;
    return runOnCuda(*generic, compileOptions, run);
  }

  // Buffers from files, from explicit counts, or sized by a dry run.
  std::vector<std::unique_ptr<HostBuffer>> buffers(args.size());
  SmallVector<std::optional<uint64_t>> counts(args.size());
  for (auto [index, arg] : llvm::enumerate(args)) {
    if (!arg.buffer)
      continue;
    pkg::ElemType type = getHostElemType(arg.buffer);
    if (auto file = inputs->find(arg.name); file != inputs->end()) {
      buffers[index] = std::make_unique<HostBuffer>(type, 0);
      if (Status status = readNpy(file->second, type, *buffers[index]); !status.ok()) {
        usageError() << status.message() << "\n";
        return kExitUsage;
      }
      hostArgs[index].buffer = buffers[index].get();
    } else if (auto count = argValues->find(arg.name); count != argValues->end()) {
      uint64_t value = 0;
      if (Status status = evaluateElementCount(count->second, ints, value); !status.ok()) {
        usageError() << "--arg " << arg.name << ": " << status.message() << "\n";
        return kExitUsage;
      }
      counts[index] = value;
    }
  }
  if (llvm::any_of(args, isUnsized)) {
    FailureOr<SmallVector<int64_t>> touched = measureBufferSizes(kernel, hostArgs);
    if (failed(touched))
      return kExitError;
    for (auto [arg, count, size] : llvm::zip(args, counts, *touched))
      if (isUnsized(arg))
        count = static_cast<uint64_t>(size);
  }
  for (auto [index, arg] : llvm::enumerate(args)) {
    if (!arg.buffer || hostArgs[index].buffer)
      continue;
    pkg::ElemType type = getHostElemType(arg.buffer);
    if (*counts[index] > uint64_t(kMaxRunBufferBytes) / elemTypeSize(type)) {
      usageError() << "'" << arg.name << "' would have " << *counts[index]
                   << " elements, more than the " << (kMaxRunBufferBytes >> 30)
                   << " GiB `ssdc run` allocates for one buffer\n";
      return kExitUsage;
    }
    buffers[index] = std::make_unique<HostBuffer>(type, static_cast<int64_t>(*counts[index]));
    if (arg.buffer.getAccess() == tile::Access::write)
      poisonContents(*buffers[index]);
    else
      generateContents(*buffers[index], seed, index);
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
    llvm::outs() << "  " << arg.name << ": "
                 << describeContents(*buffers[index], arg.buffer.getAccess() == tile::Access::write)
                 << "\n";
    SmallVector<std::string, 2> paths;
    if (auto found = outputs->find(arg.name); found != outputs->end())
      paths.push_back(found->second);
    if (!outputDir.empty()) {
      SmallString<128> path(outputDir);
      llvm::sys::path::append(path, arg.name + ".npy");
      paths.push_back(path.str().str());
    }
    for (const std::string &path : paths) {
      if (Status status = writeNpy(path, *buffers[index]); !status.ok()) {
        usageError() << status.message() << "\n";
        return kExitError;
      }
      llvm::outs() << "    -> " << path << "\n";
    }
  }
  return 0;
}
