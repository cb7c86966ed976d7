//===- HostHarness.h - running kernels on the host against references ----===//
//
// The host tests are driven by one table (KernelTable.cpp): a row names a
// kernel file, the integer shapes to run it at, and how to build its
// arguments and the float64 truth of its outputs. Every config of every row
// runs at every shape; the bug-class tests reuse a row to run a copy of the
// kernel with a bug planted.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_UNITTESTS_HOST_HOSTHARNESS_H
#define SSDC_UNITTESTS_HOST_HOSTHARNESS_H

#include "ssdc/Dialect/Tile/Transforms/Passes.h"
#include "ssdc/Target/Host/Interpreter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ssdc::hosttest {

/// The integer arguments of one run, by name, e.g. {{"B", 2}, {"T", 100}}.
using Shape = std::map<std::string, int64_t>;

/// "B=2,T=100".
std::string formatShape(const Shape &shape);

/// One run's arguments, in signature order, and the float64 truth of every
/// buffer the kernel writes.
struct PreparedRun {
  std::vector<std::unique_ptr<HostBuffer>> buffers;
  std::vector<host::HostArgument> args;
  /// (argument index, expected elements) per written buffer.
  std::vector<std::pair<size_t, std::vector<double>>> expected;
  /// What owns buffers that `args` point to, when not `buffers`.
  std::shared_ptr<const void> owner;

  /// Adds a buffer argument and returns it.
  HostBuffer &addBuffer(pkg::ElemType type, int64_t count);
  void addInt(int64_t value) { args.push_back(host::HostArgument::ofInt(value)); }
};

/// A row of the host test table: one kernel of kernels/ and how to check it.
struct KernelCase {
  std::string name;   // test name: letters and digits
  std::string file;   // relative to the source root
  std::string kernel; // the kernel's symbol
  std::vector<Shape> shapes;
  /// The largest relative error accepted where the truth is finite and
  /// nonzero; where it is zero or infinite the output must equal it.
  double maxRelError = 1e-5;
  std::function<PreparedRun(const Shape &)> prepare;
  /// When positive, finite elements are compared as allclose instead:
  /// |actual - truth| <= absTolerance + maxRelError |truth| (KernelBench's
  /// check, for outputs that are sums of terms of both signs).
  double absTolerance = 0;
};

/// The table (KernelTable.cpp).
const std::vector<KernelCase> &kernelCases();
const KernelCase &kernelCase(const std::string &name);

/// The absolute path of `relative` in the source tree.
std::string sourcePath(const std::string &relative);

/// Why `actual` is not `expected` within `maxRelError` (unwritten NaN
/// elements, inexact zeros or infinities, relative errors, with the worst
/// element), or an empty string when it is.
std::string compareWithTruth(const HostBuffer &actual, const std::vector<double> &expected,
                             double maxRelError, double absTolerance = 0);

/// A kernel file parsed once, to be run in many configs.
class LoadedKernel {
public:
  /// Parses `file` (relative to the source root) and finds @`kernel`;
  /// failures are in error().
  LoadedKernel(const std::string &file, const std::string &kernel);

  const std::string &error() const { return loadError; }
  /// Every config of the kernel's tuning space, and the default one.
  std::vector<tile::Config> configs();
  tile::Config defaultConfig() { return tile::defaultConfig(generic); }
  /// Specializes `config` and runs it on `args`: an empty string, or the
  /// diagnostics of what failed.
  std::string run(const tile::Config &config, llvm::ArrayRef<host::HostArgument> args);
  /// Runs `config` at `shape` as `row` prescribes and compares every written
  /// buffer with the truth: an empty string when all match, else why not
  /// (including diagnostics of a failed run).
  std::string check(const KernelCase &row, const Shape &shape, const tile::Config &config);

private:
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  tile::KernelOp generic;
  std::string loadError;
};

} // namespace ssdc::hosttest

#endif // SSDC_UNITTESTS_HOST_HOSTHARNESS_H
