//===- SsdReference.h - mamba's SSD forward in double precision ---------===//
//
// mamba_ssm's mamba_chunk_scan_combined (shared/reference/ssd_reference.py,
// ssd_mamba) in double precision: through KernelBench's chunked forward
// (Reference.h) exactly as the oracle maps it, and independently as the
// token-by-token recurrence. Every option.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_UNITTESTS_HOST_SSDREFERENCE_H
#define SSDC_UNITTESTS_HOST_SSDREFERENCE_H

#include "Reference.h"

#include <limits>

namespace ssdc::reference {

/// The sizes of a problem in mamba's parameterisation. Any seqlen (the last
/// chunk may be partial); groups divides heads.
struct MambaShape {
  int64_t batch = 1, seqlen = 1, heads = 1, headDim = 1, stateDim = 1, groups = 1, chunk = 1;
  int64_t numChunks() const { return (seqlen + chunk - 1) / chunk; }
};

/// Which optional inputs are given, and what is done to dt.
struct MambaOptions {
  bool hasD = false;
  bool dPerChannel = false; // D is (h, p) rather than (h)
  bool hasZ = false;
  bool hasDtBias = false;
  bool dtSoftplus = false;
  bool hasInitialStates = false;
  /// dt_limit: dt' clamped to [lo, hi] after the bias and softplus; mamba's
  /// default (0, inf) clamps nothing.
  double dtLimitLo = 0, dtLimitHi = std::numeric_limits<double>::infinity();
};

/// Row-major: x (b,s,h,p), dt (b,s,h), a (h), b and c (b,s,g,n), d (h) or
/// (h,p), z (b,s,h,p), dtBias (h), initialStates (b,h,p,n). Inputs an option
/// leaves out are ignored.
struct MambaInputs {
  std::vector<double> x, dt, a, b, c, d, z, dtBias, initialStates;
};

/// Row-major: y (b,s,h,p), finalState (b,h,p,n); from the chunked forward
/// also the state entering each chunk (b,c,h,p,n), dt after bias and
/// softplus (b,h,s) and the within-chunk inclusive cumsum of dt * A (b,h,s).
struct MambaOutputs {
  std::vector<double> y, finalState, statesIn, dtScaled, decayCumsum;
};

/// Inputs of `shape` from `seed` (portable: the same on every platform), in
/// the ranges of a Mamba2 layer: x, B, C, z, D, initial states in [-1, 1),
/// A in [-2, -0.25), dt in [-4, -1) before a softplus (else [0.01, 0.3)),
/// dt_bias in [-0.5, 0.5).
MambaInputs randomMambaInputs(const MambaShape &shape, const MambaOptions &options, uint64_t seed);

/// softplus(x) = log(1 + exp(x)), accurate for every x.
double softplus(double x);

/// ssd_mamba: dt' = dt + dt_bias, softplus when asked, clamped to dt_limit
/// unless it is (0, inf); KernelBench's forward
/// of A = dt' A[h], X = dt' x, B and C repeated from groups to heads, zero
/// steps padding the last chunk; then + D x, times silu(z).
MambaOutputs ssdMamba(const MambaShape &shape, const MambaOptions &options,
                      const MambaInputs &inputs);

/// The same model token by token: state <- state exp(dt' A[h]) + dt' x B^T,
/// y = C . state + D x, times silu(z). Gives y and finalState only.
MambaOutputs mambaRecurrence(const MambaShape &shape, const MambaOptions &options,
                             const MambaInputs &inputs);

} // namespace ssdc::reference

#endif // SSDC_UNITTESTS_HOST_SSDREFERENCE_H
