//===- CompilerModule.cpp - ssdc._compiler: compile, and run on the host --===//
//
// The part of the `ssdc` package that links libMLIR, imported only when it is
// needed (ssdc.compile, and runs on NumPy arrays or CPU tensors):
//   * compile(): the one pipeline (ssdc/Compiler/Pipeline.h) from source text
//     to package bytes, with every diagnostic kept with its location;
//   * HostKernel: a kernel's source parsed once and run on the host
//     interpreter (ssdc/Target/Host/Interpreter.h) over host memory, after the
//     runtime's own argument checks (bindArgs);
//   * SsdHostForward: ssd::executeOnHost (ssdc/SSD/HostForward.h), so the
//     host path of ssdc.ssd runs exactly the launch lists the GPU path does.
//
//===----------------------------------------------------------------------===//
#include "Common.h"

#include "ssdc/Compiler/KernelDescription.h"
#include "ssdc/Compiler/Pipeline.h"
#include "ssdc/Compiler/SourceLimits.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"
#include "ssdc/InitAll.h"
#include "ssdc/SSD/HostForward.h"
#include "ssdc/Target/Host/Interpreter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cstring>
#include <map>
#include <mutex>

namespace nb = nanobind;
using namespace ssdc;
using namespace ssdc::python;

namespace {

mlir::DialectRegistry allDialects() {
  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  return registry;
}

const char *severityName(mlir::DiagnosticSeverity severity) {
  switch (severity) {
  case mlir::DiagnosticSeverity::Error:
    return "error";
  case mlir::DiagnosticSeverity::Warning:
    return "warning";
  case mlir::DiagnosticSeverity::Note:
    return "note";
  case mlir::DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

/// Every diagnostic of a context while it lives: as records (severity, file,
/// line, column, message), and as the text `ssdc compile` would print (the
/// source line and a caret, from SourceMgrDiagnosticHandler).
class Diagnostics {
public:
  Diagnostics(mlir::MLIRContext &context, llvm::SourceMgr &sourceMgr)
      : textStream(text), printer(sourceMgr, &context, textStream),
        recorder(&context, [this](mlir::Diagnostic &diagnostic) {
          record(diagnostic);
          for (mlir::Diagnostic &note : diagnostic.getNotes())
            record(note);
          return mlir::failure(); // on to the printer
        }) {}

  void addText(const std::string &more) { textStream << more; }
  nb::list records() const {
    nb::list out;
    for (const Record &r : recorded) {
      nb::dict d;
      d["severity"] = r.severity;
      d["file"] = r.file;
      d["line"] = r.line;
      d["column"] = r.column;
      d["message"] = r.message;
      out.append(d);
    }
    return out;
  }
  std::string str() {
    textStream.flush();
    return text;
  }

private:
  struct Record {
    std::string severity, file, message;
    unsigned line = 0, column = 0;
  };
  void record(mlir::Diagnostic &diagnostic) {
    Record r;
    r.severity = severityName(diagnostic.getSeverity());
    r.message = diagnostic.str();
    if (auto loc = diagnostic.getLocation()->findInstanceOf<mlir::FileLineColLoc>()) {
      r.file = loc.getFilename().str();
      r.line = loc.getLine();
      r.column = loc.getColumn();
    }
    recorded.push_back(std::move(r));
  }

  std::string text;
  llvm::raw_string_ostream textStream;
  mlir::SourceMgrDiagnosticHandler printer;
  mlir::ScopedDiagnosticHandler recorder;
  std::vector<Record> recorded;
};

/// Parses `source` (named `filename` in locations) after the source limits
/// check; null on failure, with the diagnostics in `diagnostics`.
mlir::OwningOpRef<mlir::ModuleOp>
parseSource(const std::string &source, const std::string &filename, mlir::MLIRContext &context,
            llvm::SourceMgr &sourceMgr, Diagnostics &diagnostics) {
  sourceMgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(source, filename),
                               llvm::SMLoc());
  std::string limitText;
  llvm::raw_string_ostream limitErrors(limitText);
  if (mlir::failed(checkSourceLimits(sourceMgr, limitErrors))) {
    limitErrors.flush();
    diagnostics.addText(limitText);
    return nullptr;
  }
  return mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
}

/// compile(source, filename, chip, config, cubins) -> (package bytes or None,
/// diagnostic records, diagnostic text).
nb::tuple compileSource(const std::string &source, const std::string &filename,
                        const std::string &chip, const std::string &config, bool cubins) {
  mlir::MLIRContext context(allDialects());
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  Diagnostics diagnostics(context, sourceMgr);
  std::string bytes;
  bool ok = false;
  {
    nb::gil_scoped_release release; // ptxas and LLVM take seconds
    mlir::OwningOpRef<mlir::ModuleOp> module =
        parseSource(source, filename, context, sourceMgr, diagnostics);
    if (module) {
      CompileOptions options;
      options.chip = chip;
      options.config = config;
      options.buildCubins = cubins;
      mlir::FailureOr<pkg::Package> package = compilePackage(*module, options);
      if (mlir::succeeded(package)) {
        bytes = pkg::writePackage(*package);
        ok = true;
      }
    }
  }
  nb::object result = ok ? nb::object(nb::bytes(bytes.data(), bytes.size())) : nb::none();
  return nb::make_tuple(result, diagnostics.records(), diagnostics.str());
}

/// One kernel of a source, parsed once; each config is specialized on first
/// use and kept. Runs take a mutex: an MLIRContext's IR is not for two
/// threads at once.
class HostKernel {
public:
  HostKernel(const std::string &source, const std::string &filename, const std::string &name)
      : context(allDialects()) {
    context.printOpOnDiagnostic(false);
    llvm::SourceMgr sourceMgr;
    Diagnostics diagnostics(context, sourceMgr);
    module = parseSource(source, filename, context, sourceMgr, diagnostics);
    if (!module)
      throw nb::value_error(("cannot parse " + filename + ":\n" + diagnostics.str()).c_str());
    for (tile::KernelOp op : module->getOps<tile::KernelOp>())
      if (op.getSymName() == name)
        generic = op;
    if (!generic)
      throwStatus(notFound(filename + " has no kernel @" + name));
    description = describeKernel(generic);
  }

  nb::dict describe() const { return describeKernelDict(description); }

  /// Runs `args` (argsFromList's form, over host memory) with the default
  /// config, or `configSpec` (NAME=V,...): the config's name and the grid.
  nb::dict run(const nb::list &args, const std::string &configSpec) {
    KernelArgs kernelArgs = argsFromList(args);
    std::string error;
    std::vector<int64_t> grid;
    std::string configName;
    {
      nb::gil_scoped_release release; // the interpreter is slow; let others run
      error = runArgs(kernelArgs, configSpec, grid, configName);
    }
    if (!error.empty())
      throw nb::value_error(error.c_str());
    nb::dict out;
    out["config"] = configName;
    out["grid"] = nb::make_tuple(grid[0], grid[1], grid[2]);
    return out;
  }

  /// The same, without Python: an empty string, or why it failed (a status
  /// from bindArgs, or the interpreter's located diagnostics).
  std::string runArgs(const KernelArgs &kernelArgs, const std::string &configSpec,
                      std::vector<int64_t> &grid, std::string &configName) {
    std::lock_guard<std::mutex> lock(mutex);
    BoundArgs bound;
    Status status = bindArgs(description, kernelArgs, bound);
    if (!status.ok())
      return status.message();
    llvm::SourceMgr noSource;
    Diagnostics diagnostics(context, noSource);
    mlir::FailureOr<tile::KernelOp> specialized = specialize(configSpec);
    if (mlir::failed(specialized))
      return "cannot specialize @" + description.name + ":\n" + diagnostics.str();
    configName = specialized->getSymName().str();

    // Copies of the caller's memory: the interpreter runs on HostBuffers and
    // checks every access against their sizes.
    std::vector<std::unique_ptr<HostBuffer>> buffers;
    std::vector<host::HostArgument> hostArgs;
    for (size_t i = 0; i < bound.values.size(); ++i) {
      const ArgValue &value = bound.values[i];
      if (value.kind == pkg::ArgKind::Float) {
        hostArgs.push_back(host::HostArgument::ofFloat(value.real));
        continue;
      }
      if (value.kind != pkg::ArgKind::Buffer) {
        hostArgs.push_back(host::HostArgument::ofInt(value.value));
        continue;
      }
      buffers.push_back(
          std::make_unique<HostBuffer>(value.type, static_cast<int64_t>(value.count)));
      if (value.count)
        std::memcpy(buffers.back()->data(), value.data, buffers.back()->byteSize());
      hostArgs.push_back(host::HostArgument::ofBuffer(*buffers.back()));
    }
    mlir::FailureOr<llvm::SmallVector<int64_t, 3>> programs =
        host::evaluateGrid(*specialized, hostArgs);
    if (mlir::failed(programs))
      return "@" + description.name + ": cannot evaluate the grid:\n" + diagnostics.str();
    grid.assign({1, 1, 1});
    for (size_t axis = 0; axis < programs->size() && axis < 3; ++axis)
      grid[axis] = (*programs)[axis];
    if (mlir::failed(host::runKernel(*specialized, hostArgs)))
      return "@" + description.name + " failed on the host:\n" + diagnostics.str();
    size_t next = 0;
    for (size_t i = 0; i < bound.values.size(); ++i) {
      const ArgValue &value = bound.values[i];
      if (value.kind != pkg::ArgKind::Buffer)
        continue;
      const HostBuffer &buffer = *buffers[next++];
      if (description.args[i].access != pkg::Access::Read && value.count)
        std::memcpy(value.data, buffer.data(), buffer.byteSize());
    }
    return "";
  }

  const std::string &name() const { return description.name; }

private:
  mlir::FailureOr<tile::KernelOp> specialize(const std::string &configSpec) {
    auto found = specialized.find(configSpec);
    if (found != specialized.end())
      return found->second;
    tile::Config config = tile::defaultConfig(generic);
    if (!configSpec.empty()) {
      mlir::FailureOr<llvm::SmallVector<tile::Config>> only =
          tile::enumerateConfigs(generic, configSpec);
      if (mlir::failed(only) || only->size() != 1)
        return mlir::failure();
      config = only->front();
    }
    mlir::FailureOr<tile::KernelOp> op = tile::specializeKernel(generic, config);
    if (mlir::succeeded(op))
      specialized.emplace(configSpec, *op);
    return op;
  }

  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  tile::KernelOp generic;
  pkg::Kernel description;
  std::map<std::string, tile::KernelOp> specialized; // by config spec ("" = default)
  std::mutex mutex;
};

/// The SSD forward on the host: a plan whose launches ssd::executeOnHost
/// runs on the interpreter (the same lists DeviceForward launches).
class SsdHostForward {
public:
  explicit SsdHostForward(const nb::dict &problem) {
    check(ssd::ForwardPlan::create(problemFromDict(problem), plan));
  }
  uint64_t workspaceBytes() const { return plan.workspaceBytes(); }
  void execute(const nb::tuple &addresses, uintptr_t workspace) {
    ssd::ForwardBuffers buffers = buffersFromAddresses(addresses);
    Status status;
    {
      nb::gil_scoped_release release; // the interpreter is slow; let others run
      status = ssd::executeOnHost(plan, buffers, reinterpret_cast<void *>(workspace));
    }
    check(status);
  }

private:
  ssd::ForwardPlan plan;
};

} // namespace

NB_MODULE(_compiler, m) {
  m.doc() = "ssdc's compiler and host interpreter (links libMLIR)";
  m.def("compile", &compileSource, nb::arg("source"), nb::arg("filename"), nb::arg("chip"),
        nb::arg("config"), nb::arg("cubins"));

  nb::class_<HostKernel>(m, "HostKernel")
      .def(nb::init<const std::string &, const std::string &, const std::string &>(),
           nb::arg("source"), nb::arg("filename"), nb::arg("name"))
      .def("describe", &HostKernel::describe)
      .def("run", &HostKernel::run, nb::arg("args"), nb::arg("config") = "");

  nb::class_<SsdHostForward>(m, "SsdHostForward")
      .def(nb::init<const nb::dict &>(), nb::arg("problem"))
      .def_prop_ro("workspace_bytes", &SsdHostForward::workspaceBytes)
      .def("execute", &SsdHostForward::execute, nb::arg("addresses"), nb::arg("workspace"));
}
