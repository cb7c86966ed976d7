//===- CApi.cpp - C API of the SSD forward --------------------------------===//
#include "ssdc-c/ssd.h"

#include "CApiHandles.h"
#include "ssdc/SSD/Forward.h"

#include <limits>
#include <new>

using namespace ssdc;
using namespace ssdc::capi;

struct ssdc_ssd_forward_s {
  std::unique_ptr<ssd::DeviceForward> forward;
  std::string configs;
};

namespace {

Status toProblem(const ssdc_ssd_problem_t &in, ssd::ForwardProblem &out) {
  if (in.form != SSDC_SSD_KERNELBENCH && in.form != SSDC_SSD_MAMBA)
    return invalidArgument("ssd: unknown form " + std::to_string(in.form));
  if (in.dtype < 0 || in.dtype > UINT8_MAX || !pkg::isElemTypeCode(static_cast<uint8_t>(in.dtype)))
    return invalidArgument("ssd: unknown element type " + std::to_string(in.dtype));
  out.form = in.form == SSDC_SSD_MAMBA ? ssd::Form::Mamba : ssd::Form::KernelBench;
  out.batch = in.batch;
  out.seqlen = in.seqlen;
  out.heads = in.heads;
  out.headDim = in.head_dim;
  out.stateDim = in.state_dim;
  out.groups = in.groups;
  out.chunk = in.chunk;
  out.dtype = static_cast<pkg::ElemType>(in.dtype);
  out.returnY = in.return_y;
  out.returnFinalStates = in.return_final_states;
  out.hasD = in.has_d;
  out.dPerChannel = in.d_per_channel;
  out.hasZ = in.has_z;
  out.hasDtBias = in.has_dt_bias;
  out.dtSoftplus = in.dt_softplus;
  out.hasInitialStates = in.has_initial_states;
  out.dtLimitLo = in.dt_limit_lo;
  out.dtLimitHi = in.dt_limit_hi;
  auto strides = [](const int64_t(&s)[3]) { return ssd::ViewStrides{s[0], s[1], s[2]}; };
  out.x = strides(in.x_strides);
  out.dt = strides(in.dt_strides);
  out.b = strides(in.b_strides);
  out.c = strides(in.c_strides);
  out.z = strides(in.z_strides);
  out.y = strides(in.y_strides);
  return okStatus();
}

ssd::ForwardBuffers toBuffers(const ssdc_ssd_buffers_t &in) {
  ssd::ForwardBuffers out;
  out.x = in.x;
  out.dt = in.dt;
  out.a = in.a;
  out.b = in.b;
  out.c = in.c;
  out.d = in.d;
  out.z = in.z;
  out.dtBias = in.dt_bias;
  out.initialStates = in.initial_states;
  out.y = in.y;
  out.finalStates = in.final_states;
  return out;
}

} // namespace

extern "C" {

void ssdc_ssd_problem_initialize(ssdc_ssd_problem_t *problem) {
  if (problem == nullptr)
    return;
  *problem = ssdc_ssd_problem_t{};
  problem->form = SSDC_SSD_MAMBA;
  problem->dtype = SSDC_F32;
  problem->return_y = 1;
  problem->dt_limit_hi = std::numeric_limits<double>::infinity();
}

ssdc_status_t ssdc_ssd_forward_create(ssdc_device_t *device, const ssdc_ssd_problem_t *problem,
                                      ssdc_ssd_forward_t **out) {
  constexpr const char *kNullHandle = "ssdc_ssd_forward_create: null device, problem or out";
  if (problem == nullptr || out == nullptr)
    return wrap(invalidArgument(kNullHandle));
  // The problem's fields first, so that a bad one is the same error with or
  // without a device.
  ssd::ForwardProblem converted;
  if (Status status = toProblem(*problem, converted); !status.ok())
    return wrap(std::move(status));
  if (device == nullptr)
    return wrap(invalidArgument(kNullHandle));
  auto *handle = new (std::nothrow) ssdc_ssd_forward_s();
  if (handle == nullptr)
    return wrap(internalError("out of memory"));
  if (Status status = ssd::DeviceForward::create(device->device, converted, handle->forward);
      !status.ok()) {
    delete handle;
    return wrap(std::move(status));
  }
  *out = handle;
  return nullptr;
}

void ssdc_ssd_forward_destroy(ssdc_ssd_forward_t *forward) { delete forward; }

uint64_t ssdc_ssd_forward_workspace_bytes(const ssdc_ssd_forward_t *forward) {
  return forward ? forward->forward->workspaceBytes() : 0;
}

ssdc_status_t ssdc_ssd_forward_tune(ssdc_ssd_forward_t *forward, const ssdc_ssd_buffers_t *buffers,
                                    void *workspace, void *stream) {
  if (forward == nullptr || buffers == nullptr)
    return wrap(invalidArgument("ssdc_ssd_forward_tune: null forward or buffers"));
  return wrap(forward->forward->tune(toBuffers(*buffers), workspace, stream));
}

ssdc_status_t ssdc_ssd_forward_execute(const ssdc_ssd_forward_t *forward,
                                       const ssdc_ssd_buffers_t *buffers, void *workspace,
                                       void *stream) {
  if (forward == nullptr || buffers == nullptr)
    return wrap(invalidArgument("ssdc_ssd_forward_execute: null forward or buffers"));
  return wrap(forward->forward->execute(toBuffers(*buffers), workspace, stream));
}

const char *ssdc_ssd_forward_describe_configs(ssdc_ssd_forward_t *forward) {
  if (forward == nullptr)
    return "";
  forward->configs = forward->forward->describeConfigs();
  return forward->configs.c_str();
}

} // extern "C"
