//===- Reference.h - double-precision references of the SSD pieces -------===//
//
// Plain loops in double precision, written from the definitions of
// KernelBench level 3 problem 49 (Mamba2ReturnFinalState: its segsum and
// SSD forward, as in mamba_ssm's ssd_minimal.py), with nothing shared with the
// interpreter: the truth the host tests compare kernels against.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_UNITTESTS_HOST_REFERENCE_H
#define SSDC_UNITTESTS_HOST_REFERENCE_H

#include <cstdint>
#include <vector>

namespace ssdc::reference {

/// The inclusive cumulative sum of `x`.
std::vector<double> cumsum(const std::vector<double> &x);

/// KernelBench's segsum, summed naively: a T x T row-major matrix with
/// out[i][j] = x[j+1] + ... + x[i] for j <= i (so 0 on the diagonal) and
/// -inf above it.
std::vector<double> segsum(const std::vector<double> &x);

/// exp of the segsum taken from an inclusive cumulative sum `cs`:
/// out[i][j] = exp(cs[i] - cs[j]) for j <= i and 0 above (what
/// kernels/segsum_exp.mlir computes for one batch row).
std::vector<double> segsumExpFromCumsum(const std::vector<double> &cs);

/// The sizes of an SSD problem in KernelBench's parameterisation.
struct SsdShape {
  int64_t batch = 1;    // b
  int64_t seqlen = 1;   // s, a multiple of chunk
  int64_t heads = 1;    // h
  int64_t headDim = 1;  // p
  int64_t stateDim = 1; // n
  int64_t chunk = 1;    // L
};

/// The inputs, row-major: X (b,s,h,p), A (b,s,h), B and C (b,s,h,n), and
/// the initial states (b,h,p,n), or nothing for zero initial states.
struct SsdInputs {
  std::vector<double> x, a, b, c, initialStates;
};

/// The outputs, row-major: Y (b,s,h,p) and the final state (b,h,p,n); the
/// chunked forward also gives the state entering each chunk (b,c,h,p,n).
struct SsdOutputs {
  std::vector<double> y, finalState, statesIn;
};

/// KernelBench's chunked SSD forward (ssd_kb: 48_Mamba2ReturnY and
/// 49_Mamba2ReturnFinalState), from the initial states when given.
SsdOutputs ssdForward(const SsdShape &shape, const SsdInputs &inputs);

/// The same model as a sequential scan, h_t = exp(A_t) h_{t-1} + B_t x_t^T and
/// y_t = C_t h_t: an independent check of ssdForward (the "duality").
SsdOutputs ssdRecurrence(const SsdShape &shape, const SsdInputs &inputs);

} // namespace ssdc::reference

#endif // SSDC_UNITTESTS_HOST_REFERENCE_H
