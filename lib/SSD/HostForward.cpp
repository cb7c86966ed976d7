//===- HostForward.cpp - the SSD forward's launches on the interpreter ----===//
//
// Each launch is bound against its kernel's description (the runtime's
// bindArgs: the same checks as on a device), its buffers are copied into host
// buffers of the interpreter, the kernel runs in the config asked for, and the
// buffers it may write are copied back. Copies rather than wrapping the
// caller's memory: a HostBuffer owns its bytes, and the interpreter's own run
// dominates the cost.
//
//===----------------------------------------------------------------------===//
#include "ssdc/SSD/HostForward.h"

#include "EmbeddedPackages.h"

#include "ssdc/Compiler/KernelDescription.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"
#include "ssdc/InitAll.h"
#include "ssdc/Target/Host/Interpreter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <map>
#include <mutex>

using namespace mlir;

namespace ssdc::ssd {

namespace {

/// Collects the diagnostics emitted while it lives.
class DiagnosticText {
public:
  explicit DiagnosticText(MLIRContext &context)
      : handler(&context, [this](Diagnostic &diag) {
          llvm::raw_string_ostream os(text);
          os << diag.getLocation() << ": " << diag << "\n";
          return success();
        }) {}
  const std::string &str() const { return text; }

private:
  std::string text;
  ScopedDiagnosticHandler handler;
};

DialectRegistry allDialects() {
  DialectRegistry registry;
  registerAllDialects(registry);
  return registry;
}

/// The kernels of kernels/ssd/, parsed from their embedded text once per
/// process; guarded by `mutex` (specialization adds ops to the module).
class HostKernels {
public:
  static HostKernels &get() {
    static HostKernels kernels;
    return kernels;
  }

  std::mutex mutex;

  /// The generic kernel and its description, or why it is missing.
  Status kernel(Kernel which, tile::KernelOp &op, const pkg::Kernel *&description) {
    int k = static_cast<int>(which);
    if (!loadError[k].empty())
      return internalError(loadError[k]);
    op = generic[k];
    description = &described[k];
    return okStatus();
  }

  Status configs(Kernel which, SmallVector<tile::Config> &out) {
    tile::KernelOp op;
    const pkg::Kernel *description = nullptr;
    SSDC_RETURN_IF_ERROR(kernel(which, op, description));
    DiagnosticText diagnostics(context);
    FailureOr<SmallVector<tile::Config>> all = tile::enumerateConfigs(op);
    if (failed(all))
      return internalError("ssd: cannot enumerate the configs of " + op.getSymName().str() + ": " +
                           diagnostics.str());
    out = std::move(*all);
    return okStatus();
  }

  /// `which` specialized for config `index` (-1: the default), kept for
  /// later runs.
  Status specialized(Kernel which, int64_t index, tile::KernelOp &out) {
    auto key = std::make_pair(static_cast<int>(which), index);
    if (auto found = cache.find(key); found != cache.end()) {
      out = found->second;
      return okStatus();
    }
    tile::KernelOp op;
    const pkg::Kernel *description = nullptr;
    SSDC_RETURN_IF_ERROR(kernel(which, op, description));
    tile::Config config = tile::defaultConfig(op);
    if (index >= 0) {
      SmallVector<tile::Config> all;
      SSDC_RETURN_IF_ERROR(configs(which, all));
      if (index >= static_cast<int64_t>(all.size()))
        return outOfRange("ssd: " + op.getSymName().str() + " has " + std::to_string(all.size()) +
                          " configs, not " + std::to_string(index + 1));
      config = all[index];
    }
    DiagnosticText diagnostics(context);
    FailureOr<tile::KernelOp> made = tile::specializeKernel(op, config);
    if (failed(made))
      return internalError("ssd: cannot specialize " + tile::specializedName(op, config) + ": " +
                           diagnostics.str());
    cache[key] = *made;
    out = *made;
    return okStatus();
  }

  MLIRContext context;

private:
  HostKernels() : context(allDialects()) {
    context.printOpOnDiagnostic(false);
    for (int k = 0; k < kNumKernels; ++k) {
      const char *name = kernelName(static_cast<Kernel>(k));
      const embedded::Package *source = nullptr;
      for (size_t i = 0; i < embedded::kNumSources; ++i)
        if (!std::strcmp(embedded::kSources[i].kernel, name))
          source = &embedded::kSources[i];
      if (!source) {
        loadError[k] = std::string("ssd: the build embedded no source of ") + name;
        continue;
      }
      DiagnosticText diagnostics(context);
      llvm::StringRef text(reinterpret_cast<const char *>(source->bytes), source->size);
      modules[k] = parseSourceString<ModuleOp>(text, ParserConfig(&context), name);
      if (modules[k])
        for (tile::KernelOp op : modules[k]->getOps<tile::KernelOp>())
          if (op.getSymName() == name)
            generic[k] = op;
      if (!generic[k]) {
        loadError[k] = std::string("ssd: cannot load @") + name + ": " + diagnostics.str();
        continue;
      }
      described[k] = describeKernel(generic[k]);
    }
  }

  OwningOpRef<ModuleOp> modules[kNumKernels];
  tile::KernelOp generic[kNumKernels];
  pkg::Kernel described[kNumKernels];
  std::string loadError[kNumKernels];
  std::map<std::pair<int, int64_t>, tile::KernelOp> cache;
};

/// Runs one launch: its buffers copied in, the kernel run, the buffers it
/// may write copied back.
Status runOnHost(HostKernels &kernels, const Launch &launch, int64_t configIndex) {
  tile::KernelOp generic;
  const pkg::Kernel *description = nullptr;
  SSDC_RETURN_IF_ERROR(kernels.kernel(launch.kernel, generic, description));
  BoundArgs bound;
  SSDC_RETURN_IF_ERROR(bindArgs(*description, launch.args, bound));
  tile::KernelOp specialized;
  SSDC_RETURN_IF_ERROR(kernels.specialized(launch.kernel, configIndex, specialized));

  std::vector<std::unique_ptr<HostBuffer>> buffers(bound.values.size());
  std::vector<host::HostArgument> args;
  for (size_t i = 0; i < bound.values.size(); ++i) {
    const ArgValue &value = bound.values[i];
    if (value.kind != pkg::ArgKind::Buffer) {
      args.push_back(host::HostArgument::ofInt(value.value));
      continue;
    }
    buffers[i] = std::make_unique<HostBuffer>(value.type, static_cast<int64_t>(value.count));
    if (value.count)
      std::memcpy(buffers[i]->data(), value.data, value.bytes());
    args.push_back(host::HostArgument::ofBuffer(*buffers[i]));
  }
  DiagnosticText diagnostics(kernels.context);
  if (failed(host::runKernel(specialized, args)))
    return internalError(std::string("ssd: ") + specialized.getSymName().str() +
                         " failed on the host: " + diagnostics.str());
  for (size_t i = 0; i < bound.values.size(); ++i)
    if (buffers[i] && bound.values[i].count && description->args[i].access != pkg::Access::Read)
      std::memcpy(bound.values[i].data, buffers[i]->data(), bound.values[i].bytes());
  return okStatus();
}

} // namespace

Status executeOnHost(const ForwardPlan &plan, const ForwardBuffers &hostBuffers,
                     void *hostWorkspace, const HostConfigs &configs) {
  std::vector<Launch> launches;
  SSDC_RETURN_IF_ERROR(plan.launches(hostBuffers, hostWorkspace, launches));
  HostKernels &kernels = HostKernels::get();
  std::lock_guard<std::mutex> lock(kernels.mutex);
  for (const Launch &launch : launches)
    SSDC_RETURN_IF_ERROR(
        runOnHost(kernels, launch, configs.index[static_cast<int>(launch.kernel)]));
  return okStatus();
}

Status hostConfigCount(Kernel kernel, int64_t &count) {
  HostKernels &kernels = HostKernels::get();
  std::lock_guard<std::mutex> lock(kernels.mutex);
  SmallVector<tile::Config> all;
  SSDC_RETURN_IF_ERROR(kernels.configs(kernel, all));
  count = static_cast<int64_t>(all.size());
  return okStatus();
}

Status describeHostConfig(Kernel kernel, int64_t index, std::string &out) {
  HostKernels &kernels = HostKernels::get();
  std::lock_guard<std::mutex> lock(kernels.mutex);
  SmallVector<tile::Config> all;
  SSDC_RETURN_IF_ERROR(kernels.configs(kernel, all));
  if (index < 0 || index >= static_cast<int64_t>(all.size()))
    return outOfRange("ssd: no config " + std::to_string(index) + " of " + kernelName(kernel));
  tile::KernelOp op;
  const pkg::Kernel *description = nullptr;
  SSDC_RETURN_IF_ERROR(kernels.kernel(kernel, op, description));
  out = tile::specializedName(op, all[index]);
  return okStatus();
}

} // namespace ssdc::ssd
