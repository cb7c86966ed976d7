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
#include "ssdc/Target/Host/DiagnosticCollector.h"
#include "ssdc/Target/Host/Interpreter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"

#include <cstring>
#include <map>
#include <mutex>

using namespace mlir;

namespace ssdc::ssd {

namespace {

DialectRegistry allDialects() {
  DialectRegistry registry;
  registerAllDialects(registry);
  return registry;
}

/// The kernel instances of kernels/ssd/ (one per element type of the
/// kernels with a `types` parameter), parsed from their embedded text once
/// per process; guarded by `mutex` (specialization adds ops to the module).
class HostKernels {
public:
  static HostKernels &get() {
    static HostKernels kernels;
    return kernels;
  }

  std::mutex mutex;

  /// The instance named `name` and its description, or why it is missing.
  Status kernel(const std::string &name, tile::KernelOp &op, const pkg::Kernel *&description) {
    auto found = instances.find(name);
    if (found == instances.end())
      return internalError("ssd: the host forward has no kernel " + name +
                           (loadErrors.empty() ? std::string() : " (" + loadErrors + ")"));
    op = found->second.op;
    description = &found->second.description;
    return okStatus();
  }

  Status configs(const std::string &name, SmallVector<tile::Config> &out) {
    tile::KernelOp op;
    const pkg::Kernel *description = nullptr;
    SSDC_RETURN_IF_ERROR(kernel(name, op, description));
    host::DiagnosticCollector diagnostics(context);
    FailureOr<SmallVector<tile::Config>> all = tile::enumerateConfigs(op);
    if (failed(all))
      return internalError("ssd: cannot enumerate the configs of " + name + ": " +
                           diagnostics.str());
    out = std::move(*all);
    return okStatus();
  }

  /// Instance `name` specialized for config `index` (-1: the default), kept
  /// for later runs.
  Status specialized(const std::string &name, int64_t index, tile::KernelOp &out) {
    auto key = std::make_pair(name, index);
    if (auto found = cache.find(key); found != cache.end()) {
      out = found->second;
      return okStatus();
    }
    tile::KernelOp op;
    const pkg::Kernel *description = nullptr;
    SSDC_RETURN_IF_ERROR(kernel(name, op, description));
    tile::Config config = tile::defaultConfig(op);
    if (index >= 0) {
      SmallVector<tile::Config> all;
      SSDC_RETURN_IF_ERROR(configs(name, all));
      if (index >= static_cast<int64_t>(all.size()))
        return outOfRange("ssd: " + name + " has " + std::to_string(all.size()) + " configs, not " +
                          std::to_string(index + 1));
      config = all[index];
    }
    host::DiagnosticCollector diagnostics(context);
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
  /// An instance of a kernel and its description (what bindArgs checks).
  struct Instance {
    tile::KernelOp op;
    pkg::Kernel description;
  };

  HostKernels() : context(allDialects()) {
    context.printOpOnDiagnostic(false);
    for (int k = 0; k < kNumKernels; ++k) {
      const char *name = kernelName(static_cast<Kernel>(k));
      const embedded::Package *source = nullptr;
      for (size_t i = 0; i < embedded::kNumSources; ++i)
        if (!std::strcmp(embedded::kSources[i].kernel, name))
          source = &embedded::kSources[i];
      if (!source) {
        loadErrors += std::string("the build embedded no source of ") + name + "; ";
        continue;
      }
      host::DiagnosticCollector diagnostics(context);
      llvm::StringRef text(reinterpret_cast<const char *>(source->bytes), source->size);
      OwningOpRef<ModuleOp> module =
          parseSourceString<ModuleOp>(text, ParserConfig(&context), name);
      // One instance per element type, named as the packages name them.
      if (!module || failed(tile::instantiateElementTypes(*module))) {
        loadErrors += std::string("cannot load @") + name + ": " + diagnostics.str();
        continue;
      }
      for (tile::KernelOp op : module->getOps<tile::KernelOp>())
        instances[op.getSymName().str()] = {op, describeKernel(op)};
      modules.push_back(std::move(module));
    }
  }

  std::vector<OwningOpRef<ModuleOp>> modules;
  std::map<std::string, Instance> instances;
  std::string loadErrors;
  std::map<std::pair<std::string, int64_t>, tile::KernelOp> cache;
};

/// Runs one launch: its buffers copied in, the kernel run, the buffers it
/// may write copied back.
Status runOnHost(HostKernels &kernels, const std::string &instance, const Launch &launch,
                 int64_t configIndex) {
  tile::KernelOp generic;
  const pkg::Kernel *description = nullptr;
  SSDC_RETURN_IF_ERROR(kernels.kernel(instance, generic, description));
  BoundArgs bound;
  SSDC_RETURN_IF_ERROR(bindArgs(*description, launch.args, bound));
  tile::KernelOp specialized;
  SSDC_RETURN_IF_ERROR(kernels.specialized(instance, configIndex, specialized));

  std::vector<std::unique_ptr<HostBuffer>> buffers(bound.values.size());
  std::vector<host::HostArgument> args;
  for (size_t i = 0; i < bound.values.size(); ++i) {
    const ArgValue &value = bound.values[i];
    if (value.kind == pkg::ArgKind::Float) {
      args.push_back(host::HostArgument::ofFloat(value.real));
      continue;
    }
    if (value.kind != pkg::ArgKind::Buffer) {
      args.push_back(host::HostArgument::ofInt(value.value));
      continue;
    }
    buffers[i] = std::make_unique<HostBuffer>(value.type, static_cast<int64_t>(value.count));
    if (value.count)
      std::memcpy(buffers[i]->data(), value.data, value.bytes());
    args.push_back(host::HostArgument::ofBuffer(*buffers[i]));
  }
  host::DiagnosticCollector diagnostics(kernels.context);
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
    SSDC_RETURN_IF_ERROR(runOnHost(kernels, plan.kernelInstance(launch.kernel), launch,
                                   configs.index[static_cast<int>(launch.kernel)]));
  return okStatus();
}

Status hostConfigCount(Kernel kernel, int64_t &count) {
  HostKernels &kernels = HostKernels::get();
  std::lock_guard<std::mutex> lock(kernels.mutex);
  SmallVector<tile::Config> all;
  SSDC_RETURN_IF_ERROR(kernels.configs(kernelInstanceName(kernel, pkg::ElemType::F32), all));
  count = static_cast<int64_t>(all.size());
  return okStatus();
}

Status describeHostConfig(Kernel kernel, int64_t index, std::string &out) {
  HostKernels &kernels = HostKernels::get();
  std::lock_guard<std::mutex> lock(kernels.mutex);
  std::string instance = kernelInstanceName(kernel, pkg::ElemType::F32);
  SmallVector<tile::Config> all;
  SSDC_RETURN_IF_ERROR(kernels.configs(instance, all));
  if (index < 0 || index >= static_cast<int64_t>(all.size()))
    return outOfRange("ssd: no config " + std::to_string(index) + " of " + kernelName(kernel));
  tile::KernelOp op;
  const pkg::Kernel *description = nullptr;
  SSDC_RETURN_IF_ERROR(kernels.kernel(instance, op, description));
  out = tile::specializedName(op, all[index]);
  return okStatus();
}

} // namespace ssdc::ssd
