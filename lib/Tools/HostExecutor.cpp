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

/// The interpreter's view of `kernel`'s arguments in `ints`, and in `host`
/// when given (buffers not built yet are null: a dry run reads them as
/// unbounded zeros).
SmallVector<HostArgument> hostArguments(tile::KernelOp kernel, const std::vector<int64_t> &ints,
                                        const tooling::HostArgs *host) {
  SmallVector<HostArgument> args(ints.size());
  for (auto [index, type] : llvm::enumerate(kernel.getArgumentTypes())) {
    if (index >= ints.size())
      break;
    args[index].value = ints[index];
    args[index].isFloat = isa<FloatType>(type);
    if (host && index < host->floats.size())
      args[index].real = host->floats[index];
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
  FailureOr<SmallVector<int64_t, 3>> grid =
      evaluateGrid(kernel, hostArguments(kernel, ints, nullptr));
  if (failed(grid))
    return invalidArgument("the grid of @" + kernel.getSymName().str() + " does not evaluate");
  out.assign(grid->begin(), grid->end());
  return okStatus();
}

Status HostExecutor::run(tooling::HostArgs &host) {
  SmallVector<HostArgument> args = hostArguments(kernel, host.ints, &host);
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
        measureBufferSizes(kernel, hostArguments(kernel, host.ints, &host));
    if (failed(touched))
      return reported("sizing the buffers by a dry run");
    counts.assign(touched->begin(), touched->end());
    return okStatus();
  };
}
