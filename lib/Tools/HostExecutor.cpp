//===- HostExecutor.cpp - `ssdc run`'s executors for source kernels -------===//

#include "HostExecutor.h"

#include "ssdc/Runtime/Runtime.h"
#include "ssdc/Target/Host/Interpreter.h"
#include "ssdc/Tooling/DeviceExecutor.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace ssdc;
using namespace ssdc::host;

namespace {

/// The interpreter's view of `ints` and `host` (buffers not built yet are
/// null: a dry run reads them as unbounded zeros).
SmallVector<HostArgument> hostArguments(const std::vector<int64_t> &ints,
                                        const tooling::HostArgs *host) {
  SmallVector<HostArgument> args(ints.size());
  for (size_t index = 0; index < ints.size(); ++index) {
    args[index].value = ints[index];
    if (host && index < host->buffers.size() && host->buffers[index])
      args[index].buffer = const_cast<HostBuffer *>(&*host->buffers[index]);
  }
  return args;
}

/// What a failed interpreter call returns; its diagnostics are printed.
Status reported(const char *what) {
  return internalError(std::string(what) + " failed (see the diagnostics above)");
}

} // namespace

Status HostExecutor::grid(const std::vector<int64_t> &ints, std::vector<int64_t> &out) {
  FailureOr<SmallVector<int64_t, 3>> grid = evaluateGrid(kernel, hostArguments(ints, nullptr));
  if (failed(grid))
    return invalidArgument("the grid of @" + kernel.getSymName().str() + " does not evaluate");
  out.assign(grid->begin(), grid->end());
  return okStatus();
}

Status HostExecutor::run(tooling::HostArgs &host) {
  SmallVector<HostArgument> args = hostArguments(host.ints, &host);
  FailureOr<SmallVector<int64_t, 3>> grid = evaluateGrid(kernel, args);
  if (failed(grid) || failed(runKernel(kernel, args)))
    return reported("the run on the host");
  llvm::outs() << "ran @" << kernel.getSymName() << " on the host: grid ("
               << llvm::join(llvm::map_range(*grid, [](int64_t n) { return std::to_string(n); }),
                             ", ")
               << ")\n";
  llvm::outs().flush();
  return okStatus();
}

Status CompilingCudaExecutor::run(tooling::HostArgs &host) {
  // Only this kernel: --config names its parameters, and the file's other
  // kernels need not compile.
  OwningOpRef<ModuleOp> single = ModuleOp::create(generic.getLoc());
  single->push_back(generic->clone());
  FailureOr<pkg::Package> package = compilePackage(*single, compileOptions);
  if (failed(package))
    return reported("compiling the package");
  std::string bytes = pkg::writePackage(*package);
  std::shared_ptr<const LoadedPackage> loaded;
  SSDC_RETURN_IF_ERROR(LoadedPackage::fromBytes(bytes.data(), bytes.size(), loaded)
                           .withContext("the compiled package does not load"));
  std::unique_ptr<tooling::DeviceExecutor> device;
  SSDC_RETURN_IF_ERROR(tooling::DeviceExecutor::create(std::move(loaded), options, device));
  return device->run(host);
}

tooling::MeasureBuffers ssdc::measureBuffers(tile::KernelOp kernel) {
  return [kernel](const tooling::HostArgs &host, std::vector<int64_t> &counts) {
    FailureOr<SmallVector<int64_t>> touched =
        measureBufferSizes(kernel, hostArguments(host.ints, &host));
    if (failed(touched))
      return reported("sizing the buffers by a dry run");
    counts.assign(touched->begin(), touched->end());
    return okStatus();
  };
}
