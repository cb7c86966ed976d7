//===- SsdHostForward.h - the SSD forward's kernels chained on the host ---===//
//
// The forward of kernels/ssd/ as a plan would run it: chunk_states, then (for
// Y) chunk_outputs, on buffers laid out as strided views. The same argument
// lists serve the per-kernel rows of KernelTable.cpp and the end-to-end
// checks of SsdForwardTest.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_UNITTESTS_HOST_SSDHOSTFORWARD_H
#define SSDC_UNITTESTS_HOST_SSDHOSTFORWARD_H

#include "HostHarness.h"
#include "SsdReference.h"

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
};

/// The float64 truth of a problem, from the inputs its buffers hold.
reference::MambaOutputs ssdTruth(const SsdProblem &problem, const reference::MambaInputs &inputs);

/// The buffers of one forward, in f32, and the kernels' argument lists.
class SsdHostForward {
public:
  /// Rounds `inputs` to f32 into buffers laid out as `problem` says;
  /// outputs and intermediates are poisoned with NaN.
  SsdHostForward(const SsdProblem &problem, const reference::MambaInputs &inputs);

  /// The inputs as the buffers hold them (rounded to f32).
  const reference::MambaInputs &inputs() const { return rounded; }

  /// The arguments of @ssd_chunk_states, in signature order; `storeChunks`
  /// asks for the per-chunk states, cumsum and dt' that @ssd_chunk_outputs
  /// reads.
  std::vector<host::HostArgument> chunkStatesArgs(bool storeChunks);
  /// The arguments of @ssd_chunk_outputs, in signature order.
  std::vector<host::HostArgument> chunkOutputsArgs();

  /// Runs the chain with the kernels' default configs: an empty string, or
  /// why it failed. Y is computed only when `withY`.
  std::string run(LoadedKernel &chunkStates, LoadedKernel &chunkOutputs, bool withY);

  /// Y (b,s,h,p) read through its strides, and the final state (b,h,p,n).
  std::vector<double> y() const;
  std::vector<double> finalState() const { return contents(*final); }
  /// The intermediates: states entering each chunk (b,c,h,p,n), the chunk
  /// cumsum and dt' (b,h,s).
  std::vector<double> statesIn() const { return contents(*states); }
  std::vector<double> decayCumsum() const { return contents(*cs); }
  std::vector<double> dtScaled() const { return contents(*dtOut); }

  /// Fills the intermediates that @ssd_chunk_outputs reads from `truth`
  /// (rounded to f32), to run it alone.
  void setIntermediates(const reference::MambaOutputs &truth);
  /// `y` (b,s,h,p) laid out as the Y buffer is, NaN in the gaps.
  std::vector<double> yLayout(const std::vector<double> &y) const;

  /// Argument positions of the written buffers, for the kernel table.
  static constexpr size_t kStatesArg = 6, kFinalArg = 7, kCsArg = 8, kDtOutArg = 9;
  static constexpr size_t kYArg = 8;

private:
  static std::vector<double> contents(const HostBuffer &buffer);
  /// A (b, s, heads, width) view: its strides and a buffer with NaN gaps.
  struct View {
    int64_t batchStride = 0, tokenStride = 0, headStride = 0;
    std::unique_ptr<HostBuffer> buffer;
  };
  View makeView(int64_t heads, int64_t width, bool poison);
  void fill(View &view, int64_t heads, int64_t width, const std::vector<double> &values,
            std::vector<double> &roundedOut);
  std::unique_ptr<HostBuffer> makeFlat(const std::vector<double> &values,
                                       std::vector<double> &roundedOut);

  SsdProblem problem;
  reference::MambaInputs rounded;
  View x, z, dt, b, c, yView;
  std::unique_ptr<HostBuffer> a, dtBias, d, init, states, final, cs, dtOut;
};

/// The host-test-table row of a problem (KernelTable.cpp): its shape as
/// integers, with the options as 0/1 entries.
Shape ssdShapeOf(const SsdProblem &problem);
SsdProblem ssdProblemOf(const Shape &shape);

} // namespace ssdc::hosttest

#endif // SSDC_UNITTESTS_HOST_SSDHOSTFORWARD_H
