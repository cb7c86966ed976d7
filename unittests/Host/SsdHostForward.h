//===- SsdHostForward.h - the SSD library's forward on host buffers ------===//
//
// One problem's buffers in host memory, laid out as strided views when asked,
// a ForwardPlan of it, and the library's host forward (ssd::executeOnHost):
// the launch lists the GPU runs, on the interpreter. SsdForwardTest.cpp
// checks the outputs against the float64 reference.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_UNITTESTS_HOST_SSDHOSTFORWARD_H
#define SSDC_UNITTESTS_HOST_SSDHOSTFORWARD_H

#include "SsdReference.h"

#include "ssdc/SSD/HostForward.h"
#include "ssdc/Tooling/HostBuffer.h"

#include <memory>

namespace ssdc::hosttest {

/// One forward problem: sizes, options and memory layout.
struct SsdProblem {
  reference::MambaShape shape;
  reference::MambaOptions options;
  /// KernelBench's parameterisation: dt holds A per token (b,s,h), X is not
  /// scaled, groups == heads and no D, z or dt_bias.
  bool kernelBench = false;
  /// x, z, dt, B, C and y as views whose token and batch strides leave gaps
  /// (filled with NaN), as slices of one projection would: strides, not
  /// copies.
  bool strided = false;
  /// The element type of x, B, C, z and y (the rest is f32).
  pkg::ElemType dtype = pkg::ElemType::F32;
};

/// The float64 truth of a problem, from the inputs its buffers hold.
reference::MambaOutputs ssdTruth(const SsdProblem &problem, const reference::MambaInputs &inputs);

/// The buffers of one forward and the library's plan of it.
class SsdHostForward {
public:
  /// Rounds `inputs` into buffers laid out as `problem` says (x, B, C, z to
  /// its dtype, the rest to f32); the outputs are poisoned with NaN.
  SsdHostForward(const SsdProblem &problem, const reference::MambaInputs &inputs);

  /// The inputs as the buffers hold them (rounded).
  const reference::MambaInputs &inputs() const { return rounded; }

  /// The library's problem: these buffers' strides, the options, and what
  /// to return.
  ssd::ForwardProblem forwardProblem(bool returnY, bool returnFinalStates) const;

  /// Plans and runs the forward on the host with `configs`: an empty
  /// string, or why it failed. The workspace is poisoned first.
  std::string run(bool returnY, bool returnFinalStates,
                  const ssd::HostConfigs &configs = ssd::HostConfigs());

  /// Y (b,s,h,p) read through its strides, and the final state (b,h,p,n).
  std::vector<double> y() const;
  std::vector<double> finalState() const;
  /// Elements of Y's buffer outside the view (the gaps of a strided one)
  /// that are no longer NaN.
  int64_t yGapsWritten() const;

private:
  /// A (b, s, heads, width) view: its strides and a buffer with NaN gaps.
  struct View {
    ssd::ViewStrides strides;
    std::unique_ptr<HostBuffer> buffer;
  };
  View makeView(int64_t heads, int64_t width, pkg::ElemType type) const;
  View filledView(int64_t heads, int64_t width, pkg::ElemType type,
                  const std::vector<double> &values, std::vector<double> &roundedOut) const;
  std::unique_ptr<HostBuffer> flat(const std::vector<double> &values,
                                   std::vector<double> &roundedOut) const;

  SsdProblem problem;
  reference::MambaInputs rounded;
  View x, z, dt, b, c, yView;
  std::unique_ptr<HostBuffer> a, dtBias, d, init, final;
};

} // namespace ssdc::hosttest

#endif // SSDC_UNITTESTS_HOST_SSDHOSTFORWARD_H
