//===- HostHarness.cpp - running kernels on the host against references --===//
#include "HostHarness.h"

#include "ssdc/InitAll.h"
#include "ssdc/Target/Host/DiagnosticCollector.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace ssdc;
using namespace ssdc::hosttest;

std::string ssdc::hosttest::formatShape(const Shape &shape) {
  std::string text;
  for (const auto &[name, value] : shape)
    text += (text.empty() ? "" : ",") + name + "=" + std::to_string(value);
  return text;
}

HostBuffer &PreparedRun::addBuffer(pkg::ElemType type, int64_t count) {
  buffers.push_back(std::make_unique<HostBuffer>(type, count));
  args.push_back(host::HostArgument::ofBuffer(*buffers.back()));
  return *buffers.back();
}

const KernelCase &ssdc::hosttest::kernelCase(const std::string &name) {
  for (const KernelCase &row : kernelCases())
    if (row.name == name)
      return row;
  llvm::report_fatal_error(llvm::Twine("no host test row named ") + name);
}

std::string ssdc::hosttest::sourcePath(const std::string &relative) {
  return std::string(SSDC_SOURCE_DIR) + "/" + relative;
}

std::string ssdc::hosttest::compareWithTruth(const HostBuffer &actual,
                                             const std::vector<double> &expected,
                                             double maxRelError, double absTolerance) {
  if (actual.size() != static_cast<int64_t>(expected.size()))
    return "holds " + std::to_string(actual.size()) + " elements; the truth has " +
           std::to_string(expected.size());
  int64_t unwritten = 0, inexact = 0, far = 0, firstUnwritten = -1, firstInexact = -1;
  int64_t worstIndex = -1;
  double worst = 0;
  for (int64_t i = 0; i < actual.size(); ++i) {
    double value = actual.loadFloat(i), truth = expected[i];
    if (std::isnan(value) != std::isnan(truth)) {
      if (firstUnwritten < 0)
        firstUnwritten = i;
      ++unwritten;
      continue;
    }
    if (std::isnan(truth))
      continue;
    if (absTolerance > 0 && std::isfinite(truth)) {
      double error = std::fabs(value - truth);
      if (!(error <= absTolerance + maxRelError * std::fabs(truth)))
        ++far;
      if (!(error <= worst)) {
        worst = error;
        worstIndex = i;
      }
      continue;
    }
    if (truth == 0 || std::isinf(truth)) {
      if (value != truth && ++inexact == 1)
        firstInexact = i;
      continue;
    }
    double error = std::fabs(value - truth) / std::fabs(truth);
    if (!(error <= maxRelError))
      ++far;
    if (!(error <= worst)) {
      worst = error;
      worstIndex = i;
    }
  }
  if (!unwritten && !inexact && !far)
    return "";
  std::string text;
  llvm::raw_string_ostream os(text);
  if (unwritten)
    os << unwritten << " element(s) NaN where the truth is not (never written? first at "
       << firstUnwritten << "); ";
  if (inexact)
    os << inexact << " element(s) differ from an exact 0 or inf of the truth (first at "
       << firstInexact << ": " << actual.loadFloat(firstInexact) << " vs " << expected[firstInexact]
       << "); ";
  if (far && absTolerance > 0)
    os << far << " element(s) not within " << absTolerance << " + " << maxRelError << " |truth|; ";
  else if (far)
    os << far << " element(s) with relative error above " << maxRelError << "; ";
  if (worstIndex >= 0)
    os << llvm::format(absTolerance > 0 ? "worst absolute error %.3g at %lld (%.9g vs truth %.9g)"
                                        : "worst relative error %.3g at %lld (%.9g vs truth %.9g)",
                       worst, static_cast<long long>(worstIndex), actual.loadFloat(worstIndex),
                       expected[worstIndex]);
  return text;
}

namespace {
DialectRegistry allDialects() {
  DialectRegistry registry;
  registerAllDialects(registry);
  return registry;
}
} // namespace

LoadedKernel::LoadedKernel(const std::string &file, const std::string &kernel)
    : context(allDialects()) {
  host::DiagnosticCollector diagnostics(context);
  module = parseSourceFile<ModuleOp>(sourcePath(file), &context);
  if (!module) {
    loadError = "cannot parse " + file + ": " + diagnostics.str();
    return;
  }
  for (tile::KernelOp op : module->getOps<tile::KernelOp>())
    if (op.getSymName() == kernel)
      generic = op;
  if (!generic)
    loadError = file + " has no kernel @" + kernel;
}

std::vector<tile::Config> LoadedKernel::configs() {
  FailureOr<SmallVector<tile::Config>> all = tile::enumerateConfigs(generic);
  return failed(all) ? std::vector<tile::Config>()
                     : std::vector<tile::Config>(all->begin(), all->end());
}

std::string LoadedKernel::run(const tile::Config &config, llvm::ArrayRef<host::HostArgument> args) {
  host::DiagnosticCollector diagnostics(context);
  FailureOr<tile::KernelOp> specialized = tile::specializeKernel(generic, config);
  if (failed(specialized))
    return "cannot specialize: " + diagnostics.str();
  LogicalResult ran = host::runKernel(*specialized, args);
  specialized->erase();
  if (failed(ran))
    return tile::specializedName(generic, config) + ": the run failed:\n" + diagnostics.str();
  return "";
}

std::string LoadedKernel::check(const KernelCase &row, const Shape &shape,
                                const tile::Config &config) {
  std::string where = tile::specializedName(generic, config) + " at " + formatShape(shape) + ": ";
  PreparedRun run = row.prepare(shape);
  std::string error = this->run(config, run.args);
  if (!error.empty())
    return where + error;
  std::string failures;
  for (const auto &[index, truth] : run.expected) {
    std::string why =
        compareWithTruth(*run.args[index].buffer, truth, row.maxRelError, row.absTolerance);
    if (!why.empty())
      failures += where + "argument " + std::to_string(index) + ": " + why + "\n";
  }
  return failures;
}
