//===- SsdReference.cpp - mamba's SSD forward in double precision -------===//
#include "SsdReference.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace ssdc::reference;

MambaInputs ssdc::reference::randomMambaInputs(const MambaShape &s, const MambaOptions &options,
                                               uint64_t seed) {
  std::mt19937_64 engine(seed);
  auto fill = [&](std::vector<double> &values, int64_t count, double low, double high) {
    values.resize(count);
    for (double &v : values)
      v = low + (high - low) * static_cast<double>(engine() >> 11) * 0x1.0p-53;
  };
  const int64_t tokens = s.batch * s.seqlen, P = s.headDim, N = s.stateDim;
  MambaInputs in;
  fill(in.x, tokens * s.heads * P, -1, 1);
  if (options.dtSoftplus)
    fill(in.dt, tokens * s.heads, -4, -1);
  else
    fill(in.dt, tokens * s.heads, 0.01, 0.3);
  fill(in.a, s.heads, -2, -0.25);
  fill(in.b, tokens * s.groups * N, -1, 1);
  fill(in.c, tokens * s.groups * N, -1, 1);
  if (options.hasD)
    fill(in.d, options.dPerChannel ? s.heads * P : s.heads, -1, 1);
  if (options.hasZ)
    fill(in.z, tokens * s.heads * P, -1, 1);
  if (options.hasDtBias)
    fill(in.dtBias, s.heads, -0.5, 0.5);
  if (options.hasInitialStates)
    fill(in.initialStates, s.batch * s.heads * P * N, -1, 1);
  return in;
}

double ssdc::reference::softplus(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

namespace {
/// dt' for token t of batch b, head h.
double scaledDt(const MambaShape &s, const MambaOptions &options, const MambaInputs &in, int64_t b,
                int64_t t, int64_t h) {
  double dt = in.dt[(b * s.seqlen + t) * s.heads + h];
  if (options.hasDtBias)
    dt += in.dtBias[h];
  if (options.dtSoftplus)
    dt = softplus(dt);
  if (options.dtLimitLo != 0 || options.dtLimitHi != std::numeric_limits<double>::infinity())
    dt = std::min(std::max(dt, options.dtLimitLo), options.dtLimitHi);
  return dt;
}

double silu(double z) { return z / (1 + std::exp(-z)); }

/// y += D x, then y *= silu(z), as the options say.
void addSkipAndGate(const MambaShape &s, const MambaOptions &options, const MambaInputs &in,
                    std::vector<double> &y) {
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t t = 0; t < s.seqlen; ++t)
      for (int64_t h = 0; h < s.heads; ++h)
        for (int64_t p = 0; p < s.headDim; ++p) {
          int64_t at = ((b * s.seqlen + t) * s.heads + h) * s.headDim + p;
          if (options.hasD)
            y[at] += in.x[at] * in.d[options.dPerChannel ? h * s.headDim + p : h];
          if (options.hasZ)
            y[at] *= silu(in.z[at]);
        }
}
} // namespace

MambaOutputs ssdc::reference::ssdMamba(const MambaShape &s, const MambaOptions &options,
                                       const MambaInputs &in) {
  const int64_t padded = s.numChunks() * s.chunk, P = s.headDim, N = s.stateDim;
  const int64_t headsPerGroup = s.heads / s.groups;
  SsdShape kb{s.batch, padded, s.heads, P, N, s.chunk};
  SsdInputs kbIn;
  kbIn.x.assign(s.batch * padded * s.heads * P, 0.0);
  kbIn.a.assign(s.batch * padded * s.heads, 0.0);
  kbIn.b.assign(s.batch * padded * s.heads * N, 0.0);
  kbIn.c.assign(kbIn.b.size(), 0.0);
  if (options.hasInitialStates)
    kbIn.initialStates = in.initialStates;
  MambaOutputs out;
  out.dtScaled.assign(s.batch * s.heads * s.seqlen, 0.0);
  out.decayCumsum.assign(out.dtScaled.size(), 0.0);
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t t = 0; t < s.seqlen; ++t)
      for (int64_t h = 0; h < s.heads; ++h) {
        double dt = scaledDt(s, options, in, b, t, h);
        int64_t row = (b * padded + t) * s.heads + h, g = h / headsPerGroup;
        kbIn.a[row] = dt * in.a[h];
        for (int64_t p = 0; p < P; ++p)
          kbIn.x[row * P + p] = dt * in.x[((b * s.seqlen + t) * s.heads + h) * P + p];
        for (int64_t n = 0; n < N; ++n) {
          int64_t source = ((b * s.seqlen + t) * s.groups + g) * N + n;
          kbIn.b[row * N + n] = in.b[source];
          kbIn.c[row * N + n] = in.c[source];
        }
        out.dtScaled[(b * s.heads + h) * s.seqlen + t] = dt;
      }
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t h = 0; h < s.heads; ++h) {
      double sum = 0;
      for (int64_t t = 0; t < s.seqlen; ++t) {
        if (t % s.chunk == 0)
          sum = 0;
        sum += kbIn.a[(b * padded + t) * s.heads + h];
        out.decayCumsum[(b * s.heads + h) * s.seqlen + t] = sum;
      }
    }
  SsdOutputs kbOut = ssdForward(kb, kbIn);
  out.finalState = std::move(kbOut.finalState);
  out.statesIn = std::move(kbOut.statesIn);
  // Y without the padding: the first seqlen tokens of each batch.
  int64_t perToken = s.heads * P;
  out.y.resize(s.batch * s.seqlen * perToken);
  for (int64_t b = 0; b < s.batch; ++b)
    std::copy(kbOut.y.begin() + b * padded * perToken,
              kbOut.y.begin() + (b * padded + s.seqlen) * perToken,
              out.y.begin() + b * s.seqlen * perToken);
  addSkipAndGate(s, options, in, out.y);
  return out;
}

MambaOutputs ssdc::reference::mambaRecurrence(const MambaShape &s, const MambaOptions &options,
                                              const MambaInputs &in) {
  const int64_t P = s.headDim, N = s.stateDim, headsPerGroup = s.heads / s.groups;
  MambaOutputs out;
  out.y.assign(s.batch * s.seqlen * s.heads * P, 0.0);
  out.finalState.assign(s.batch * s.heads * P * N, 0.0);
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t h = 0; h < s.heads; ++h) {
      int64_t g = h / headsPerGroup;
      std::vector<double> state(P * N, 0.0);
      if (options.hasInitialStates)
        std::copy_n(in.initialStates.begin() + (b * s.heads + h) * P * N, P * N, state.begin());
      for (int64_t t = 0; t < s.seqlen; ++t) {
        double dt = scaledDt(s, options, in, b, t, h), decay = std::exp(dt * in.a[h]);
        const double *x = &in.x[((b * s.seqlen + t) * s.heads + h) * P];
        const double *bt = &in.b[((b * s.seqlen + t) * s.groups + g) * N];
        const double *ct = &in.c[((b * s.seqlen + t) * s.groups + g) * N];
        double *y = &out.y[((b * s.seqlen + t) * s.heads + h) * P];
        for (int64_t p = 0; p < P; ++p)
          for (int64_t n = 0; n < N; ++n) {
            double &value = state[p * N + n];
            value = value * decay + dt * x[p] * bt[n];
            y[p] += ct[n] * value;
          }
      }
      std::copy(state.begin(), state.end(), out.finalState.begin() + (b * s.heads + h) * P * N);
    }
  addSkipAndGate(s, options, in, out.y);
  return out;
}
