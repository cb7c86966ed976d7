//===- SsdReferenceTest.cpp - the SSD references agree with the recurrence ===//
#include "SsdReference.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace ssdc::reference;

namespace {
void expectClose(const std::vector<double> &actual, const std::vector<double> &expected,
                 const std::string &what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t k = 0; k < expected.size(); ++k)
    EXPECT_NEAR(actual[k], expected[k], 1e-10 * (1 + std::fabs(expected[k])))
        << what << "[" << k << "]";
}

TEST(SsdReference, SoftplusIsAccurateEverywhere) {
  EXPECT_DOUBLE_EQ(softplus(0), std::log(2.0));
  EXPECT_DOUBLE_EQ(softplus(-40), std::exp(-40.0)); // log(1 + e) would round to 0
  EXPECT_DOUBLE_EQ(softplus(40), 40 + std::exp(-40.0));
  EXPECT_NEAR(softplus(-3), std::log(1 + std::exp(-3.0)), 1e-15);
}

// KernelBench's chunked forward from initial states is the recurrence started
// there; the state entering chunk 0 is the initial state.
TEST(SsdReference, KernelBenchForwardFromInitialStatesEqualsTheRecurrence) {
  for (int64_t chunk : {1, 3, 8}) {
    SsdShape shape{3, 24, 2, 3, 5, chunk};
    MambaShape mamba{shape.batch,    shape.seqlen, shape.heads, shape.headDim,
                     shape.stateDim, shape.heads,  chunk};
    MambaInputs source = randomMambaInputs(mamba, {.hasInitialStates = true}, 5 + chunk);
    SsdInputs in{source.x, source.dt, source.b, source.c, source.initialStates};
    SsdOutputs chunked = ssdForward(shape, in), scan = ssdRecurrence(shape, in);
    std::string where = "chunk " + std::to_string(chunk) + " ";
    expectClose(chunked.y, scan.y, where + "y");
    expectClose(chunked.finalState, scan.finalState, where + "final state");
    std::vector<double> firstStatesIn;
    int64_t perHead = shape.headDim * shape.stateDim, chunks = shape.seqlen / chunk;
    for (int64_t b = 0; b < shape.batch; ++b)
      firstStatesIn.insert(firstStatesIn.end(),
                           chunked.statesIn.begin() + b * chunks * shape.heads * perHead,
                           chunked.statesIn.begin() + (b * chunks + 1) * shape.heads * perHead);
    expectClose(firstStatesIn, in.initialStates, where + "state into chunk 0");
  }
}

struct MambaCase {
  std::string name;
  MambaShape shape;
  MambaOptions options;
};

// ssd_mamba through the chunked forward equals the token-by-token recurrence,
// with each option, partial last chunks, and groups of every size.
TEST(SsdReference, MambaForwardEqualsTheRecurrence) {
  std::vector<MambaCase> cases = {
      {"plain", {2, 12, 2, 3, 4, 2, 4}, {}},
      {"partial chunk, g=1", {1, 13, 4, 2, 3, 1, 5}, {}},
      {"every option, D per head", {3, 10, 3, 2, 2, 3, 3}, {true, false, true, true, true, true}},
      {"every option, D per channel", {2, 9, 4, 3, 2, 2, 4}, {true, true, true, true, true, true}},
      {"softplus only", {1, 7, 2, 2, 2, 1, 7}, {.dtSoftplus = true}},
      {"one-token chunks", {2, 5, 2, 2, 3, 1, 1}, {.hasDtBias = true, .hasInitialStates = true}},
      {"dt_limit",
       {2, 11, 2, 3, 2, 1, 4},
       {.hasDtBias = true, .dtSoftplus = true, .dtLimitLo = 0.03, .dtLimitHi = 0.08}},
  };
  for (const MambaCase &c : cases) {
    MambaInputs in = randomMambaInputs(c.shape, c.options, 17);
    MambaOutputs chunked = ssdMamba(c.shape, c.options, in);
    MambaOutputs scan = mambaRecurrence(c.shape, c.options, in);
    expectClose(chunked.y, scan.y, c.name + " y");
    expectClose(chunked.finalState, scan.finalState, c.name + " final state");
    EXPECT_EQ(chunked.statesIn.size(),
              static_cast<size_t>(c.shape.batch * c.shape.numChunks() * c.shape.heads *
                                  c.shape.headDim * c.shape.stateDim))
        << c.name;
  }
}

// The options are not ignored: each changes y.
TEST(SsdReference, EachMambaOptionChangesTheOutput) {
  MambaShape shape{1, 6, 2, 2, 2, 1, 4};
  MambaOptions all{true, false, true, true, true, true};
  MambaInputs in = randomMambaInputs(shape, {true, true, true, true, true, true}, 3);
  std::vector<double> base = ssdMamba(shape, all, in).y;
  for (bool MambaOptions::*option :
       {&MambaOptions::hasD, &MambaOptions::dPerChannel, &MambaOptions::hasZ,
        &MambaOptions::hasDtBias, &MambaOptions::dtSoftplus, &MambaOptions::hasInitialStates}) {
    MambaOptions changed = all;
    changed.*option = !(all.*option);
    std::vector<double> y = ssdMamba(shape, changed, in).y;
    double worst = 0;
    for (size_t k = 0; k < y.size(); ++k)
      worst = std::max(worst, std::fabs(y[k] - base[k]));
    EXPECT_GT(worst, 1e-3);
  }
}

// dt_limit clamps dt' after the bias and softplus; mamba's default (0, inf)
// clamps nothing, not even a negative dt' (no softplus, a negative bias).
TEST(SsdReference, DtLimitClampsOnlyWhenNotTheDefault) {
  MambaShape shape{1, 9, 2, 2, 2, 1, 4};
  MambaOptions biased{.hasDtBias = true};
  MambaInputs in = randomMambaInputs(shape, biased, 5);
  in.dtBias = {-1.0, 0.2};
  std::vector<double> free = ssdMamba(shape, biased, in).dtScaled;
  EXPECT_LT(*std::min_element(free.begin(), free.end()), 0) << "no negative dt' to clamp";
  MambaOptions limited = biased;
  limited.dtLimitLo = 0.1;
  limited.dtLimitHi = 0.2;
  MambaOutputs clamped = ssdMamba(shape, limited, in);
  for (size_t k = 0; k < free.size(); ++k)
    EXPECT_EQ(clamped.dtScaled[k], std::min(std::max(free[k], 0.1), 0.2)) << k;
}
} // namespace
