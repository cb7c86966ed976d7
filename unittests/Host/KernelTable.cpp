//===- KernelTable.cpp - the kernels of kernels/ and their references ----===//
//
// One row per kernel file in kernels/ (KernelTest checks that none is
// missing). A row gives the shapes to run at (T not a multiple of any tile
// size, B > 1), builds the arguments in signature order with the outputs
// poisoned, and computes the float64 truth from the very inputs it built.
//
//===----------------------------------------------------------------------===//
#include "HostHarness.h"
#include "Reference.h"

#include <random>

using namespace ssdc;
using namespace ssdc::hosttest;

namespace {
/// Uniform doubles in [low, high) from a fixed engine, the same on every
/// platform (unlike std::uniform_real_distribution).
class Uniform {
public:
  Uniform(uint64_t seed, double low, double high) : engine(seed), low(low), high(high) {}
  double operator()() {
    return low + (high - low) * static_cast<double>(engine() >> 11) * 0x1.0p-53;
  }

private:
  std::mt19937_64 engine;
  double low, high;
};

/// kernels/segsum_exp.mlir. Each row of cs is the f32 cumulative sum of
/// steps in [-0.8, 0.2), so that cs[i] - cs[j] spans [-0.8 (T-1), 0.2 (T-1)]:
/// at T = 100, exp of it runs from 1e-35 to 1e8, all normal f32 numbers.
PreparedRun prepareSegsumExp(const Shape &shape) {
  int64_t batch = shape.at("B"), t = shape.at("T");
  PreparedRun run;
  HostBuffer &cs = run.addBuffer(pkg::ElemType::F32, batch * t);
  HostBuffer &out = run.addBuffer(pkg::ElemType::F32, batch * t * t);
  poisonContents(out);
  run.addInt(batch);
  run.addInt(t);
  Uniform step(static_cast<uint64_t>(batch * 1000 + t), -0.8, 0.2);
  std::vector<double> truth;
  for (int64_t b = 0; b < batch; ++b) {
    std::vector<double> steps(t);
    for (double &x : steps)
      x = step();
    std::vector<double> sums = reference::cumsum(steps), row(t);
    for (int64_t i = 0; i < t; ++i) {
      cs.storeFloat(b * t + i, sums[i]);
      row[i] = cs.loadFloat(b * t + i); // the f32 value the kernel reads
    }
    std::vector<double> expected = reference::segsumExpFromCumsum(row);
    truth.insert(truth.end(), expected.begin(), expected.end());
  }
  run.expected.push_back({1, std::move(truth)});
  return run;
}

} // namespace

const std::vector<KernelCase> &ssdc::hosttest::kernelCases() {
  static const std::vector<KernelCase> table = {
      {"SegsumExp",
       "kernels/segsum_exp.mlir",
       "segsum_exp",
       {{{"B", 2}, {"T", 100}}, {{"B", 3}, {"T", 37}}, {{"B", 2}, {"T", 1}}},
       1e-5,
       prepareSegsumExp},
  };
  return table;
}
