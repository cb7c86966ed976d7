//===- SsdHostForward.cpp - the SSD library's forward on host buffers ----===//
#include "SsdHostForward.h"

#include <cmath>
#include <limits>

using namespace ssdc;
using namespace ssdc::hosttest;
using namespace ssdc::reference;

MambaOutputs ssdc::hosttest::ssdTruth(const SsdProblem &problem, const MambaInputs &in) {
  if (!problem.kernelBench)
    return ssdMamba(problem.shape, problem.options, in);
  const MambaShape &s = problem.shape;
  SsdShape shape{s.batch, s.seqlen, s.heads, s.headDim, s.stateDim, s.chunk};
  SsdInputs kb{in.x, in.dt, in.b, in.c, {}};
  if (problem.options.hasInitialStates)
    kb.initialStates = in.initialStates;
  SsdOutputs chunked = ssdForward(shape, kb);
  MambaOutputs out;
  out.y = std::move(chunked.y);
  out.finalState = std::move(chunked.finalState);
  out.statesIn = std::move(chunked.statesIn);
  return out;
}

SsdHostForward::View SsdHostForward::makeView(int64_t heads, int64_t width,
                                              pkg::ElemType type) const {
  const MambaShape &s = problem.shape;
  View view;
  view.strides.head = width;
  view.strides.token = heads * width + (problem.strided ? 3 : 0);
  view.strides.batch = s.seqlen * view.strides.token + (problem.strided ? 5 : 0);
  view.buffer = std::make_unique<HostBuffer>(type, s.batch * view.strides.batch);
  poisonContents(*view.buffer);
  return view;
}

namespace {
/// Calls `visit(logical, physical)` for every element of a (b, s, heads,
/// width) view, in row-major logical order.
template <typename Visit>
void forEachElement(const MambaShape &s, int64_t heads, int64_t width,
                    const ssd::ViewStrides &strides, Visit visit) {
  int64_t logical = 0;
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t t = 0; t < s.seqlen; ++t)
      for (int64_t h = 0; h < heads; ++h)
        for (int64_t e = 0; e < width; ++e)
          visit(logical++, b * strides.batch + t * strides.token + h * strides.head + e);
}
} // namespace

SsdHostForward::View SsdHostForward::filledView(int64_t heads, int64_t width, pkg::ElemType type,
                                                const std::vector<double> &values,
                                                std::vector<double> &roundedOut) const {
  View view = makeView(heads, width, type);
  roundedOut.resize(values.size());
  forEachElement(problem.shape, heads, width, view.strides, [&](int64_t logical, int64_t physical) {
    view.buffer->storeFloat(physical, values[logical]);
    roundedOut[logical] = view.buffer->loadFloat(physical);
  });
  return view;
}

std::unique_ptr<HostBuffer> SsdHostForward::flat(const std::vector<double> &values,
                                                 std::vector<double> &roundedOut) const {
  if (values.empty())
    return nullptr;
  auto buffer = std::make_unique<HostBuffer>(pkg::ElemType::F32, values.size());
  roundedOut.resize(values.size());
  for (size_t k = 0; k < values.size(); ++k) {
    buffer->storeFloat(k, values[k]);
    roundedOut[k] = buffer->loadFloat(k);
  }
  return buffer;
}

SsdHostForward::SsdHostForward(const SsdProblem &problem, const MambaInputs &in)
    : problem(problem) {
  const MambaShape &s = problem.shape;
  const MambaOptions &o = problem.options;
  const bool mamba = !problem.kernelBench;
  const pkg::ElemType type = problem.dtype;
  x = filledView(s.heads, s.headDim, type, in.x, rounded.x);
  dt = filledView(s.heads, 1, pkg::ElemType::F32, in.dt, rounded.dt);
  b = filledView(s.groups, s.stateDim, type, in.b, rounded.b);
  c = filledView(s.groups, s.stateDim, type, in.c, rounded.c);
  if (mamba && o.hasZ)
    z = filledView(s.heads, s.headDim, type, in.z, rounded.z);
  a = flat(mamba ? in.a : std::vector<double>(), rounded.a);
  dtBias = flat(mamba && o.hasDtBias ? in.dtBias : std::vector<double>(), rounded.dtBias);
  d = flat(mamba && o.hasD ? in.d : std::vector<double>(), rounded.d);
  init = flat(o.hasInitialStates ? in.initialStates : std::vector<double>(), rounded.initialStates);
  final =
      std::make_unique<HostBuffer>(pkg::ElemType::F32, s.batch * s.heads * s.headDim * s.stateDim);
  yView = makeView(s.heads, s.headDim, type);
}

ssd::ForwardProblem SsdHostForward::forwardProblem(bool returnY, bool returnFinalStates) const {
  const MambaShape &s = problem.shape;
  const MambaOptions &o = problem.options;
  const bool mamba = !problem.kernelBench;
  ssd::ForwardProblem p;
  p.form = mamba ? ssd::Form::Mamba : ssd::Form::KernelBench;
  p.batch = s.batch;
  p.seqlen = s.seqlen;
  p.heads = s.heads;
  p.headDim = s.headDim;
  p.stateDim = s.stateDim;
  p.groups = s.groups;
  p.chunk = s.chunk;
  p.returnY = returnY;
  p.returnFinalStates = returnFinalStates;
  p.hasD = mamba && o.hasD;
  p.dPerChannel = mamba && o.hasD && o.dPerChannel;
  p.hasZ = mamba && o.hasZ;
  p.hasDtBias = mamba && o.hasDtBias;
  p.dtSoftplus = mamba && o.dtSoftplus;
  p.hasInitialStates = o.hasInitialStates;
  p.dtype = problem.dtype;
  if (mamba) {
    p.dtLimitLo = o.dtLimitLo;
    p.dtLimitHi = o.dtLimitHi;
  }
  p.x = x.strides;
  p.dt = dt.strides;
  p.b = b.strides;
  p.c = c.strides;
  p.y = yView.strides;
  if (z.buffer)
    p.z = z.strides;
  return p;
}

std::string SsdHostForward::run(bool returnY, bool returnFinalStates,
                                const ssd::HostConfigs &configs) {
  ssd::ForwardPlan plan;
  Status status = ssd::ForwardPlan::create(forwardProblem(returnY, returnFinalStates), plan);
  if (!status.ok())
    return status.toString();
  auto data = [](const std::unique_ptr<HostBuffer> &buffer) -> void * {
    return buffer ? buffer->data() : nullptr;
  };
  ssd::ForwardBuffers buffers;
  buffers.x = x.buffer->data();
  buffers.dt = dt.buffer->data();
  buffers.a = data(a);
  buffers.b = b.buffer->data();
  buffers.c = returnY ? c.buffer->data() : nullptr;
  buffers.d = returnY ? data(d) : nullptr;
  buffers.z = returnY ? data(z.buffer) : nullptr;
  buffers.dtBias = data(dtBias);
  buffers.initialStates = data(init);
  buffers.y = returnY ? yView.buffer->data() : nullptr;
  buffers.finalStates = returnFinalStates ? final->data() : nullptr;
  // NaN everywhere a launch might read before another wrote it.
  std::vector<float> workspace(plan.workspaceBytes() / sizeof(float) + 1,
                               std::numeric_limits<float>::quiet_NaN());
  poisonContents(*final);
  status = ssd::executeOnHost(plan, buffers, workspace.data(), configs);
  return status.ok() ? "" : status.toString();
}

std::vector<double> SsdHostForward::y() const {
  const MambaShape &s = problem.shape;
  std::vector<double> values(s.batch * s.seqlen * s.heads * s.headDim);
  forEachElement(s, s.heads, s.headDim, yView.strides, [&](int64_t logical, int64_t physical) {
    values[logical] = yView.buffer->loadFloat(physical);
  });
  return values;
}

std::vector<double> SsdHostForward::finalState() const {
  std::vector<double> values(final->size());
  for (int64_t k = 0; k < final->size(); ++k)
    values[k] = final->loadFloat(k);
  return values;
}

int64_t SsdHostForward::yGapsWritten() const {
  std::vector<bool> inView(yView.buffer->size());
  const MambaShape &s = problem.shape;
  forEachElement(s, s.heads, s.headDim, yView.strides,
                 [&](int64_t, int64_t physical) { inView[physical] = true; });
  int64_t written = 0;
  for (int64_t k = 0; k < yView.buffer->size(); ++k)
    written += !inView[k] && !std::isnan(yView.buffer->loadFloat(k));
  return written;
}
