//===- ReferenceTest.cpp - the references agree with the definitions -----===//
#include "Reference.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

using namespace ssdc::reference;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(Reference, SegsumIsKernelBenchs) {
  // out[i][j] = x[j+1] + ... + x[i]: 0 on the diagonal, x[i] just below it.
  std::vector<double> out = segsum({1, 2, 4});
  std::vector<double> expected = {0, -kInf, -kInf, //
                                  2, 0,     -kInf, //
                                  6, 4,     0};
  EXPECT_EQ(out, expected);
}

TEST(Reference, SegsumExpFromCumsumIsExpOfTheSegsum) {
  std::mt19937_64 engine(7);
  std::vector<double> x(23);
  for (double &v : x)
    v = static_cast<double>(engine() >> 11) * 0x1.0p-53 * 2 - 1.5;
  std::vector<double> naive = segsum(x), fromCumsum = segsumExpFromCumsum(cumsum(x));
  for (size_t k = 0; k < naive.size(); ++k) {
    if (std::isinf(naive[k]))
      EXPECT_EQ(fromCumsum[k], 0.0) << k;
    else
      EXPECT_NEAR(fromCumsum[k], std::exp(naive[k]), 1e-12 * std::exp(naive[k])) << k;
  }
}

SsdInputs randomInputs(const SsdShape &s, uint64_t seed) {
  std::mt19937_64 engine(seed);
  auto uniform = [&](double low, double high) {
    return low + (high - low) * static_cast<double>(engine() >> 11) * 0x1.0p-53;
  };
  SsdInputs in;
  in.x.resize(s.batch * s.seqlen * s.heads * s.headDim);
  in.a.resize(s.batch * s.seqlen * s.heads);
  in.b.resize(s.batch * s.seqlen * s.heads * s.stateDim);
  in.c.resize(in.b.size());
  for (double &v : in.x)
    v = uniform(-1, 1);
  for (double &v : in.a) // KernelBench's A may be positive
    v = uniform(-0.5, 0.2);
  for (double &v : in.b)
    v = uniform(-1, 1);
  for (double &v : in.c)
    v = uniform(-1, 1);
  return in;
}

// The chunked KernelBench forward computes the state-space recurrence: Y and
// the final state agree with a sequential scan for any chunk length.
TEST(Reference, SsdForwardEqualsTheRecurrence) {
  for (int64_t chunk : {1, 4, 12}) {
    SsdShape shape{/*batch=*/2,   /*seqlen=*/24,  /*heads=*/3,
                   /*headDim=*/4, /*stateDim=*/5, chunk};
    SsdInputs in = randomInputs(shape, 11 + chunk);
    SsdOutputs chunked = ssdForward(shape, in), scan = ssdRecurrence(shape, in);
    ASSERT_EQ(chunked.y.size(), scan.y.size());
    for (size_t k = 0; k < scan.y.size(); ++k)
      EXPECT_NEAR(chunked.y[k], scan.y[k], 1e-10 * (1 + std::fabs(scan.y[k])))
          << "chunk " << chunk << " y[" << k << "]";
    for (size_t k = 0; k < scan.finalState.size(); ++k)
      EXPECT_NEAR(chunked.finalState[k], scan.finalState[k],
                  1e-10 * (1 + std::fabs(scan.finalState[k])))
          << "chunk " << chunk << " state[" << k << "]";
  }
}

// Swapping chunk and position order in Y (a permute before a reshape), a bug
// of hand-written KernelBench problem 49 kernels, changes the output:
// the comparison with the recurrence sees it whenever there are 2+ chunks.
TEST(Reference, ChunkPositionSwapOfYIsVisible) {
  SsdShape shape{1, 8, 1, 1, 2, 4};
  SsdInputs in = randomInputs(shape, 3);
  std::vector<double> y = ssdForward(shape, in).y, swapped(y.size());
  int64_t chunks = shape.seqlen / shape.chunk;
  for (int64_t c = 0; c < chunks; ++c)
    for (int64_t l = 0; l < shape.chunk; ++l)
      swapped[l * chunks + c] = y[c * shape.chunk + l];
  std::vector<double> truth = ssdRecurrence(shape, in).y;
  double worst = 0;
  for (size_t k = 0; k < truth.size(); ++k)
    worst = std::max(worst, std::fabs(swapped[k] - truth[k]));
  EXPECT_GT(worst, 1e-3);
}
} // namespace
