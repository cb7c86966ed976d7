//===- SsdForwardTest.cpp - the whole SSD forward on the host interpreter -===//
//
// kernels/ssd/ chained as a plan runs them (SsdHostForward), against the
// float64 reference, with KernelBench's check (allclose, atol = rtol = 1e-4)
// for fp32: both parameterisations, every option but dt_limit, ReturnY and
// ReturnFinalState.
//
//===----------------------------------------------------------------------===//
#include "SsdHostForward.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ssdc;
using namespace ssdc::hosttest;
using namespace ssdc::reference;

namespace {
/// KernelBench's allclose: why `actual` is not within atol + rtol |truth| of
/// `truth` (or NaN where it is finite), or an empty string.
std::string allClose(const std::vector<double> &actual, const std::vector<double> &truth) {
  constexpr double kTolerance = 1e-4;
  if (actual.size() != truth.size())
    return std::to_string(actual.size()) + " elements, the truth has " +
           std::to_string(truth.size());
  size_t bad = 0, worstAt = 0;
  double worst = 0;
  for (size_t k = 0; k < truth.size(); ++k) {
    double error = std::fabs(actual[k] - truth[k]);
    if (!(error <= kTolerance + kTolerance * std::fabs(truth[k])))
      ++bad;
    if (!(error <= worst)) {
      worst = error;
      worstAt = k;
    }
  }
  if (!bad)
    return "";
  return std::to_string(bad) + " element(s) not allclose; worst at " + std::to_string(worstAt) +
         ": " + std::to_string(actual[worstAt]) + " vs " + std::to_string(truth[worstAt]);
}

struct ForwardCase {
  std::string name;
  SsdProblem problem;
};

class SsdForwardTest : public testing::TestWithParam<ForwardCase> {
protected:
  static void SetUpTestSuite() {
    chunkStates = new LoadedKernel("kernels/ssd/chunk_states.mlir", "ssd_chunk_states");
    chunkOutputs = new LoadedKernel("kernels/ssd/chunk_outputs.mlir", "ssd_chunk_outputs");
  }
  static void TearDownTestSuite() {
    delete chunkStates;
    delete chunkOutputs;
  }
  static LoadedKernel *chunkStates, *chunkOutputs;
};
LoadedKernel *SsdForwardTest::chunkStates = nullptr;
LoadedKernel *SsdForwardTest::chunkOutputs = nullptr;

TEST_P(SsdForwardTest, ReturnYMatchesTheReference) {
  ASSERT_EQ(chunkStates->error(), "");
  ASSERT_EQ(chunkOutputs->error(), "");
  const SsdProblem &problem = GetParam().problem;
  SsdHostForward forward(problem, randomMambaInputs(problem.shape, problem.options, 29));
  ASSERT_EQ(forward.run(*chunkStates, *chunkOutputs, /*withY=*/true), "");
  MambaOutputs truth = ssdTruth(problem, forward.inputs());
  EXPECT_EQ(allClose(forward.y(), truth.y), "");
  EXPECT_EQ(allClose(forward.finalState(), truth.finalState), "");
}

// ReturnFinalState runs chunk_states alone, and it stores no intermediate (a
// store would fall outside the one-element buffers it is given then).
TEST_P(SsdForwardTest, ReturnFinalStateRunsOneKernel) {
  const SsdProblem &problem = GetParam().problem;
  SsdHostForward forward(problem, randomMambaInputs(problem.shape, problem.options, 31));
  ASSERT_EQ(forward.run(*chunkStates, *chunkOutputs, /*withY=*/false), "");
  EXPECT_EQ(allClose(forward.finalState(), ssdTruth(problem, forward.inputs()).finalState), "");
  EXPECT_TRUE(std::isnan(forward.y()[0])) << "Y was written";
}

MambaOptions every(bool dPerChannel) { return {true, dPerChannel, true, true, true, true}; }

// Sequence lengths that are not a multiple of the chunk, g = 1 and g = h,
// odd batch and head counts, chunks, p and n that are not powers of two and
// chunks longer than a tile.
std::vector<ForwardCase> forwardCases() {
  return {
      {"KernelBench", {{2, 32, 4, 8, 16, 4, 16}, {}, true, false}},
      {"KernelBenchInitialStatesOddSizes",
       {{3, 36, 3, 5, 7, 3, 12}, {.hasInitialStates = true}, true, false}},
      {"KernelBenchStrided", {{1, 40, 2, 3, 6, 2, 40}, {}, true, true}},
      {"MambaPlain", {{2, 20, 4, 8, 8, 2, 8}, {}, false, false}},
      {"MambaEveryOptionG1", {{3, 37, 3, 6, 5, 1, 10}, every(false), false, false}},
      {"MambaEveryOptionGH", {{1, 45, 3, 5, 9, 3, 24}, every(true), false, false}},
      {"MambaStridedLongChunk", {{2, 50, 2, 33, 3, 1, 48}, every(true), false, true}},
      {"MambaChunkLongerThanSequence", {{2, 5, 2, 4, 4, 2, 16}, every(false), false, false}},
      {"MambaOneTokenChunks", {{1, 7, 3, 2, 3, 1, 1}, every(false), false, true}},
      {"MambaSoftplusOnly", {{1, 19, 2, 4, 4, 1, 6}, {.dtSoftplus = true}, false, false}},
  };
}

INSTANTIATE_TEST_SUITE_P(Ssd, SsdForwardTest, testing::ValuesIn(forwardCases()),
                         [](const testing::TestParamInfo<ForwardCase> &info) {
                           return info.param.name;
                         });
} // namespace
