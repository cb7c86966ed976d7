//===- HostForward.h - the SSD forward on the host interpreter -*- C++ -*-===//
//
// Runs a ForwardPlan's launches, exactly the lists DeviceForward launches, on
// the host interpreter (docs/host-target.md) over host pointers: CPU tensors
// of an FFI, and the CI tests of the whole forward. The kernels' source text
// is embedded by the build (lib/SSD/CMakeLists.txt), parsed and instantiated
// per element type once per process, and specialized once per config. It lives in its own library,
// SSDCSsdHost, since it links MLIR; the header needs neither MLIR nor CUDA.
//
//   ssd::ForwardPlan plan;
//   SSDC_RETURN_IF_ERROR(ssd::ForwardPlan::create(problem, plan));
//   std::vector<char> workspace(plan.workspaceBytes());
//   SSDC_RETURN_IF_ERROR(ssd::executeOnHost(plan, hostBuffers, workspace.data()));
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_SSD_HOSTFORWARD_H
#define SSDC_SSD_HOSTFORWARD_H

#include "ssdc/SSD/Forward.h"

#include <cstdint>

namespace ssdc::ssd {

/// Which config of each kernel's tuning space a host run uses: an index into
/// the order the tuning space enumerates (hostConfigCount), or -1 for the
/// kernel's default config.
struct HostConfigs {
  int64_t index[kNumKernels];
  HostConfigs() {
    for (int64_t &k : index)
      k = -1;
  }
};

/// Runs `plan`'s launches on the interpreter. `hostBuffers` and
/// `hostWorkspace` (plan.workspaceBytes() bytes, any alignment) are host
/// memory laid out as for the device; outputs are written through them. An
/// element a launch would touch outside its buffer, a kernel that cannot run
/// and a bad argument are statuses naming what failed. Calls are serialized
/// (one interpreter per process); each launch runs its programs in order.
Status executeOnHost(const ForwardPlan &plan, const ForwardBuffers &hostBuffers,
                     void *hostWorkspace, const HostConfigs &configs = HostConfigs());

/// The number of configs of `kernel`'s tuning space (the same for each of
/// its element-type instances), and the specialized name of config `index`
/// of its f32 instance (e.g. "ssd_chunk_state_f32__BN_16__...", for test
/// names and failure messages).
Status hostConfigCount(Kernel kernel, int64_t &count);
Status describeHostConfig(Kernel kernel, int64_t index, std::string &out);

} // namespace ssdc::ssd

#endif // SSDC_SSD_HOSTFORWARD_H
