//===- HostExecutor.h - `ssdc run`'s executors for source kernels -*- C++ -*-===//
//
// The two executors of `ssdc run KERNEL.mlir` behind the one run path
// (ssdc/Tooling/RunCommand.h): the host interpreter (lib/Target/Host), and
// a GPU, for which the kernel is compiled into a package in memory on the
// first run and run by the runtime as `ssdc run PACKAGE` runs a file. Both
// take the grid from the specialized kernel, and measureBuffers sizes the
// buffers the command line leaves unsized by a dry run of it.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_LIB_TOOLS_HOSTEXECUTOR_H
#define SSDC_LIB_TOOLS_HOSTEXECUTOR_H

#include "ssdc/Compiler/Pipeline.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Tooling/RunCommand.h"

namespace ssdc {

/// Runs the specialized `kernel` on the host interpreter.
class HostExecutor : public tooling::Executor {
public:
  explicit HostExecutor(tile::KernelOp kernel) : kernel(kernel) {}
  Status grid(const std::vector<int64_t> &ints, std::vector<int64_t> &out) override;
  Status run(tooling::HostArgs &host) override;

protected:
  tile::KernelOp kernel;
};

/// Compiles `generic` (every config, or the one `options` names) and runs it
/// on a GPU; `specialized` gives the grid.
class CompilingCudaExecutor : public HostExecutor {
public:
  CompilingCudaExecutor(tile::KernelOp generic, tile::KernelOp specialized,
                        const CompileOptions &compileOptions, const tooling::RunOptions &options)
      : HostExecutor(specialized), generic(generic), compileOptions(compileOptions),
        options(options) {}
  Status run(tooling::HostArgs &host) override;

private:
  tile::KernelOp generic;
  CompileOptions compileOptions;
  const tooling::RunOptions &options;
};

/// The element counts a dry run of the specialized `kernel` touches.
tooling::MeasureBuffers measureBuffers(tile::KernelOp kernel);

} // namespace ssdc

#endif // SSDC_LIB_TOOLS_HOSTEXECUTOR_H
