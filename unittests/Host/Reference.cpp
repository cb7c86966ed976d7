//===- Reference.cpp - double-precision references of the SSD pieces -----===//
#include "Reference.h"

#include <cassert>
#include <cmath>
#include <limits>

using namespace ssdc::reference;

std::vector<double> ssdc::reference::cumsum(const std::vector<double> &x) {
  std::vector<double> out(x.size());
  double sum = 0;
  for (size_t i = 0; i < x.size(); ++i)
    out[i] = sum += x[i];
  return out;
}

std::vector<double> ssdc::reference::segsum(const std::vector<double> &x) {
  size_t t = x.size();
  std::vector<double> out(t * t, -std::numeric_limits<double>::infinity());
  for (size_t i = 0; i < t; ++i)
    for (size_t j = 0; j <= i; ++j) {
      double sum = 0;
      for (size_t k = j + 1; k <= i; ++k)
        sum += x[k];
      out[i * t + j] = sum;
    }
  return out;
}

std::vector<double> ssdc::reference::segsumExpFromCumsum(const std::vector<double> &cs) {
  size_t t = cs.size();
  std::vector<double> out(t * t, 0.0);
  for (size_t i = 0; i < t; ++i)
    for (size_t j = 0; j <= i; ++j)
      out[i * t + j] = std::exp(cs[i] - cs[j]);
  return out;
}

namespace {
/// Row-major indexing of the inputs and outputs.
struct Indexer {
  const SsdShape &s;
  size_t x(int64_t b, int64_t t, int64_t h, int64_t p) const {
    return ((b * s.seqlen + t) * s.heads + h) * s.headDim + p;
  }
  size_t a(int64_t b, int64_t t, int64_t h) const { return (b * s.seqlen + t) * s.heads + h; }
  size_t bc(int64_t b, int64_t t, int64_t h, int64_t n) const {
    return ((b * s.seqlen + t) * s.heads + h) * s.stateDim + n;
  }
  size_t state(int64_t b, int64_t h, int64_t p, int64_t n) const {
    return ((b * s.heads + h) * s.headDim + p) * s.stateDim + n;
  }
};
} // namespace

SsdOutputs ssdc::reference::ssdForward(const SsdShape &shape, const SsdInputs &in) {
  assert(shape.seqlen % shape.chunk == 0 && "KernelBench's formulation needs whole chunks");
  const Indexer at{shape};
  const int64_t numChunks = shape.seqlen / shape.chunk, L = shape.chunk;
  const int64_t P = shape.headDim, N = shape.stateDim;
  SsdOutputs out;
  out.y.assign(shape.batch * shape.seqlen * shape.heads * P, 0.0);
  out.finalState.assign(shape.batch * shape.heads * P * N, 0.0);
  out.statesIn.assign(shape.batch * numChunks * shape.heads * P * N, 0.0);

  for (int64_t b = 0; b < shape.batch; ++b)
    for (int64_t h = 0; h < shape.heads; ++h) {
      // A_cs: the cumulative sum of A within each chunk; exp(segsum(A)) per chunk.
      std::vector<std::vector<double>> aCumsum(numChunks), decay(numChunks);
      for (int64_t c = 0; c < numChunks; ++c) {
        std::vector<double> chunkA(L);
        for (int64_t l = 0; l < L; ++l)
          chunkA[l] = in.a[at.a(b, c * L + l, h)];
        aCumsum[c] = cumsum(chunkA);
        decay[c] = segsum(chunkA);
        for (double &value : decay[c])
          value = std::exp(value);
      }

      // Y_diag: the output of each chunk from the inputs of the same chunk.
      for (int64_t c = 0; c < numChunks; ++c)
        for (int64_t l = 0; l < L; ++l)
          for (int64_t s = 0; s < L; ++s) {
            double cb = 0;
            for (int64_t n = 0; n < N; ++n)
              cb += in.c[at.bc(b, c * L + l, h, n)] * in.b[at.bc(b, c * L + s, h, n)];
            for (int64_t p = 0; p < P; ++p)
              out.y[at.x(b, c * L + l, h, p)] +=
                  cb * decay[c][l * L + s] * in.x[at.x(b, c * L + s, h, p)];
          }

      // states[z] for z = 0..numChunks: zero, then each chunk's final state
      // from its own inputs: sum_l B_l exp(A_cs[-1] - A_cs[l]) x_l.
      std::vector<std::vector<double>> states(numChunks + 1, std::vector<double>(P * N, 0.0));
      if (!in.initialStates.empty())
        for (int64_t p = 0; p < P; ++p)
          for (int64_t n = 0; n < N; ++n)
            states[0][p * N + n] = in.initialStates[at.state(b, h, p, n)];
      for (int64_t c = 0; c < numChunks; ++c)
        for (int64_t l = 0; l < L; ++l) {
          double decayToEnd = std::exp(aCumsum[c][L - 1] - aCumsum[c][l]);
          for (int64_t p = 0; p < P; ++p)
            for (int64_t n = 0; n < N; ++n)
              states[c + 1][p * N + n] +=
                  in.b[at.bc(b, c * L + l, h, n)] * decayToEnd * in.x[at.x(b, c * L + l, h, p)];
        }

      // The inter-chunk recurrence: new_states = exp(segsum(pad(A_cs[-1]))) @ states.
      std::vector<double> chunkDecay(numChunks + 1, 0.0);
      for (int64_t c = 0; c < numChunks; ++c)
        chunkDecay[c + 1] = aCumsum[c][L - 1];
      std::vector<double> chunkSegsum = segsum(chunkDecay);
      std::vector<std::vector<double>> newStates(numChunks + 1, std::vector<double>(P * N, 0.0));
      for (int64_t z = 0; z <= numChunks; ++z)
        for (int64_t c = 0; c <= z; ++c) {
          double weight = std::exp(chunkSegsum[z * (numChunks + 1) + c]);
          for (int64_t k = 0; k < P * N; ++k)
            newStates[z][k] += weight * states[c][k];
        }
      for (int64_t p = 0; p < P; ++p)
        for (int64_t n = 0; n < N; ++n)
          out.finalState[at.state(b, h, p, n)] = newStates[numChunks][p * N + n];
      for (int64_t c = 0; c < numChunks; ++c)
        for (int64_t k = 0; k < P * N; ++k)
          out.statesIn[((b * numChunks + c) * shape.heads + h) * P * N + k] = newStates[c][k];

      // Y_off: each chunk's output from the state entering it.
      for (int64_t c = 0; c < numChunks; ++c)
        for (int64_t l = 0; l < L; ++l) {
          double decayFromStart = std::exp(aCumsum[c][l]);
          for (int64_t p = 0; p < P; ++p) {
            double sum = 0;
            for (int64_t n = 0; n < N; ++n)
              sum += in.c[at.bc(b, c * L + l, h, n)] * newStates[c][p * N + n];
            out.y[at.x(b, c * L + l, h, p)] += sum * decayFromStart;
          }
        }
    }
  return out;
}

SsdOutputs ssdc::reference::ssdRecurrence(const SsdShape &shape, const SsdInputs &in) {
  const Indexer at{shape};
  const int64_t P = shape.headDim, N = shape.stateDim;
  SsdOutputs out;
  out.y.assign(shape.batch * shape.seqlen * shape.heads * P, 0.0);
  out.finalState.assign(shape.batch * shape.heads * P * N, 0.0);
  for (int64_t b = 0; b < shape.batch; ++b)
    for (int64_t h = 0; h < shape.heads; ++h) {
      std::vector<double> state(P * N, 0.0);
      if (!in.initialStates.empty())
        for (int64_t p = 0; p < P; ++p)
          for (int64_t n = 0; n < N; ++n)
            state[p * N + n] = in.initialStates[at.state(b, h, p, n)];
      for (int64_t t = 0; t < shape.seqlen; ++t) {
        double decay = std::exp(in.a[at.a(b, t, h)]);
        for (int64_t p = 0; p < P; ++p)
          for (int64_t n = 0; n < N; ++n)
            state[p * N + n] =
                decay * state[p * N + n] + in.b[at.bc(b, t, h, n)] * in.x[at.x(b, t, h, p)];
        for (int64_t p = 0; p < P; ++p)
          for (int64_t n = 0; n < N; ++n)
            out.y[at.x(b, t, h, p)] += in.c[at.bc(b, t, h, n)] * state[p * N + n];
      }
      for (int64_t p = 0; p < P; ++p)
        for (int64_t n = 0; n < N; ++n)
          out.finalState[at.state(b, h, p, n)] = state[p * N + n];
    }
  return out;
}
