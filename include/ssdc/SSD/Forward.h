//===- Forward.h - the Mamba2 SSD forward: plan once, execute often -*- C++ -*-===//
//
// The SSD chunked scan of KernelBench level 3 problems 48/49 and of mamba_ssm's
// mamba_chunk_scan_combined, run by the kernels of kernels/ssd/ (docs/ssd.md).
//
//   ssd::ForwardProblem problem;            // shapes, dtypes, strides, options
//   problem.batch = 2; ...
//   std::unique_ptr<ssd::DeviceForward> forward;
//   SSDC_RETURN_IF_ERROR(ssd::DeviceForward::create(device, problem, forward));
//   DeviceBuffer workspace = ...forward->workspaceBytes()...;
//   SSDC_RETURN_IF_ERROR(forward->tune(buffers, workspace, stream));   // optional, once
//   SSDC_RETURN_IF_ERROR(forward->execute(buffers, workspace, stream)); // many times
//
// A ForwardPlan is the device-independent half: it validates a problem (every
// error a status naming the field), sizes the workspace and builds the
// argument lists of the launches. DeviceForward runs those launches with the
// packages the build compiled from kernels/ssd/ and embedded; the host tests
// run the same launch lists on the interpreter. execute() allocates no device
// memory and, once tune() has run, never synchronizes, so it can be captured
// in a CUDA graph.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_SSD_FORWARD_H
#define SSDC_SSD_FORWARD_H

#include "ssdc/Runtime/Launch.h"
#include "ssdc/Runtime/Status.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace ssdc {
class Device;
class DeviceKernel;
class LaunchGraph;
class LoadedPackage;

namespace ssd {

/// Which parameterisation the inputs follow (shared/reference/ssd_reference.py).
enum class Form : uint8_t {
  /// X (b,s,h,p), A (b,s,h) per token (may be positive), B and C (b,s,h,n).
  /// `dt` holds A; `a`, `d`, `z`, `dtBias` are unused.
  KernelBench,
  /// x (b,s,h,p), dt (b,s,h), A (h), B and C (b,s,g,n), optional D (h) or
  /// (h,p), z (b,s,h,p), dt_bias (h).
  Mamba,
};

/// Element strides of a (batch, token, head-or-group) view whose innermost
/// dimension is contiguous. A zero field means "contiguous" (derived from
/// the shape); strides are in elements, never negative.
struct ViewStrides {
  int64_t batch = 0, token = 0, head = 0;
};

struct ForwardProblem {
  Form form = Form::Mamba;
  int64_t batch = 0, seqlen = 0, heads = 0, headDim = 0, stateDim = 0;
  /// B/C groups; divides heads. KernelBench: equal to heads (0 means heads).
  int64_t groups = 0;
  /// Tokens per chunk, 1 to 256; the last chunk may be partial.
  int64_t chunk = 0;
  /// The element type of x, B, C, z and y: f32, f16 or bf16. The kernels
  /// accumulate in f32; dt, A, D, dt_bias and the states are f32.
  pkg::ElemType dtype = pkg::ElemType::F32;

  bool returnY = true;
  bool returnFinalStates = false;
  bool hasD = false, dPerChannel = false; // D (h), or (h,p) with dPerChannel
  bool hasZ = false, hasDtBias = false, dtSoftplus = false;
  bool hasInitialStates = false;
  /// mamba's dt_limit: dt' (after dt_bias and softplus) clamped to [lo, hi].
  /// The default (0, inf) clamps nothing, as in mamba_ssm (dt' may then be
  /// negative without softplus). Rounded to f32; lo <= hi, neither NaN.
  double dtLimitLo = 0, dtLimitHi = std::numeric_limits<double>::infinity();

  ViewStrides x, dt, b, c, z, y; // dt's head stride must be 1
};

/// Device (or, for the host tests, host) pointers of one forward. Inputs the
/// problem's options leave out must be null.
struct ForwardBuffers {
  const void *x = nullptr, *dt = nullptr, *a = nullptr, *b = nullptr, *c = nullptr;
  const void *d = nullptr, *z = nullptr, *dtBias = nullptr, *initialStates = nullptr;
  void *y = nullptr;           // (b,s,h,p) through problem.y's strides
  void *finalStates = nullptr; // (b,h,p,n) contiguous, f32
};

/// The kernels of kernels/ssd/, in launch order (docs/ssd.md).
enum class Kernel : uint8_t { ChunkState, StatePassing, ChunkCb, ChunkOutputs };
constexpr int kNumKernels = 4;
/// "ssd_chunk_state", "ssd_state_passing", "ssd_chunk_cb", "ssd_chunk_outputs":
/// the kernels' names in their packages.
const char *kernelName(Kernel kernel);
/// The instance of `kernel` for x/B/C/z/y of `dtype` in its package:
/// "ssd_chunk_state_bf16"; the kernels that hold no such buffer
/// (state_passing) have one instance, named as the kernel.
std::string kernelInstanceName(Kernel kernel, pkg::ElemType dtype);

/// One launch of a forward: a kernel and its arguments, every one by name.
struct Launch {
  Kernel kernel;
  KernelArgs args;
};

/// A validated problem: workspace size and launch lists; no device needed.
class ForwardPlan {
public:
  /// Checks every field of `problem`; an error names the field and the rule.
  static Status create(const ForwardProblem &problem, ForwardPlan &out);

  /// The problem, with zero strides and groups filled in.
  const ForwardProblem &problem() const { return problem_; }
  /// The kernel instance `kernel`'s launches run: kernelInstanceName of the
  /// problem's dtype.
  std::string kernelInstance(Kernel kernel) const {
    return kernelInstanceName(kernel, problem_.dtype);
  }
  /// Bytes of device memory execute() needs besides the buffers (256-byte
  /// aligned pieces: the chunk states, chunk cumsums, dt', C B^T per chunk
  /// and group when groups < heads, and the final states when the caller
  /// does not ask for them).
  uint64_t workspaceBytes() const { return workspaceBytes_; }
  /// Whether `buffers` are those the options need: a null pointer where a
  /// buffer is needed, or a pointer where none is, is an InvalidArgument
  /// status naming it; so is a null workspace when the plan needs one.
  Status checkBuffers(const ForwardBuffers &buffers, const void *workspace) const;
  /// The launches of one forward, in order, after checkBuffers().
  Status launches(const ForwardBuffers &buffers, void *workspace, std::vector<Launch> &out) const;

private:
  ForwardProblem problem_;
  uint64_t workspaceBytes_ = 0;
  uint64_t statesOffset_ = 0, cumsumOffset_ = 0, dtOffset_ = 0, finalOffset_ = 0, cbOffset_ = 0;
  /// Y alone over few chunks: no state-passing launch (ForwardPlan.cpp).
  bool walkStates_ = false;
  /// Y with B and C shared by heads: C B^T once per group (chunk_cb).
  bool sharedCb_ = false;
};

/// A plan bound to a device: the embedded packages for its chip, loaded.
class DeviceForward {
public:
  static Status create(std::shared_ptr<Device> device, const ForwardProblem &problem,
                       std::unique_ptr<DeviceForward> &out);
  ~DeviceForward();

  const ForwardPlan &plan() const { return plan_; }
  uint64_t workspaceBytes() const { return plan_.workspaceBytes(); }

  /// Chooses each launch's config through the runtime's tuner and cache on
  /// these buffers (read-write buffers are left as they were) and keeps the
  /// choice: later execute() calls neither tune nor synchronize. Without
  /// it, the first execute() of a new shape tunes. Then prepares the
  /// launches (PreparedLaunch: arguments, grids and modules checked once),
  /// so that execute() checks the buffers against the options and enqueues
  /// each launch with the call's addresses, nothing more.
  Status tune(const ForwardBuffers &buffers, void *workspace, void *stream);

  /// Enqueues the forward on `stream` (a CUstream; null: the legacy stream):
  /// once tuned, as one CUDA graph launch (LaunchGraph says when not);
  /// `asGraph`, when given, says whether it was.
  Status execute(const ForwardBuffers &buffers, void *workspace, void *stream,
                 bool *asGraph = nullptr) const;

  /// The launches execute() enqueues once tune() has prepared them; 0 before.
  size_t preparedLaunches() const;

  /// "ssd_chunk_state: BN=16,..." for each launch: the configs chosen.
  std::string describeConfigs() const;

private:
  DeviceForward() = default;
  /// Fills sources_ and launches_ from the tuned configs; `like` are buffers that passed
  /// checkBuffers() (which of them are null is all it reads).
  Status prepare(const ForwardBuffers &like);

  ForwardPlan plan_;
  std::shared_ptr<DeviceKernel> kernels_[kNumKernels];
  /// Chosen by tune(); -1 until then.
  int64_t configs_[kNumKernels] = {-1, -1, -1, -1};
  /// The launches of the tuned plan as one graph (LaunchGraph), and where
  /// each of their buffers comes from.
  struct Source;
  std::vector<Source> sources_;
  std::unique_ptr<LaunchGraph> launches_;
};

/// The chips the build embedded packages for, e.g. {"sm_80", "sm_90", "sm_90a"}.
std::vector<std::string> embeddedChips();

/// The embedded package of `kernel` compiled for `chip`; NotFound when the
/// build embedded none.
Status loadEmbeddedPackage(const std::string &chip, Kernel kernel,
                           std::shared_ptr<const LoadedPackage> &out);

} // namespace ssd
} // namespace ssdc

#endif // SSDC_SSD_FORWARD_H
