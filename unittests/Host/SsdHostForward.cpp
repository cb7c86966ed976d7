//===- SsdHostForward.cpp - the SSD forward's kernels chained on the host -===//
#include "SsdHostForward.h"

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
  out.decayCumsum.resize(s.batch * s.heads * s.seqlen);
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t h = 0; h < s.heads; ++h) {
      double sum = 0;
      for (int64_t t = 0; t < s.seqlen; ++t) {
        sum = (t % s.chunk ? sum : 0) + in.dt[(b * s.seqlen + t) * s.heads + h];
        out.decayCumsum[(b * s.heads + h) * s.seqlen + t] = sum;
      }
    }
  return out;
}

SsdHostForward::View SsdHostForward::makeView(int64_t heads, int64_t width, bool poison) {
  const MambaShape &s = problem.shape;
  View view;
  view.headStride = width;
  view.tokenStride = heads * width + (problem.strided ? 3 : 0);
  view.batchStride = s.seqlen * view.tokenStride + (problem.strided ? 5 : 0);
  view.buffer = std::make_unique<HostBuffer>(pkg::ElemType::F32, s.batch * view.batchStride);
  if (poison || problem.strided)
    poisonContents(*view.buffer);
  return view;
}

void SsdHostForward::fill(View &view, int64_t heads, int64_t width,
                          const std::vector<double> &values, std::vector<double> &roundedOut) {
  view = makeView(heads, width, /*poison=*/false);
  roundedOut.resize(values.size());
  const MambaShape &s = problem.shape;
  size_t k = 0;
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t t = 0; t < s.seqlen; ++t)
      for (int64_t h = 0; h < heads; ++h)
        for (int64_t e = 0; e < width; ++e, ++k) {
          int64_t at = b * view.batchStride + t * view.tokenStride + h * view.headStride + e;
          view.buffer->storeFloat(at, values[k]);
          roundedOut[k] = view.buffer->loadFloat(at);
        }
}

std::unique_ptr<HostBuffer> SsdHostForward::makeFlat(const std::vector<double> &values,
                                                     std::vector<double> &roundedOut) {
  auto buffer =
      std::make_unique<HostBuffer>(pkg::ElemType::F32, std::max<int64_t>(1, values.size()));
  roundedOut.resize(values.size());
  for (size_t k = 0; k < values.size(); ++k) {
    buffer->storeFloat(k, values[k]);
    roundedOut[k] = buffer->loadFloat(k);
  }
  return buffer;
}

namespace {
std::unique_ptr<HostBuffer> poisoned(int64_t count) {
  auto buffer = std::make_unique<HostBuffer>(pkg::ElemType::F32, std::max<int64_t>(1, count));
  poisonContents(*buffer);
  return buffer;
}
} // namespace

SsdHostForward::SsdHostForward(const SsdProblem &problem, const MambaInputs &in)
    : problem(problem) {
  const MambaShape &s = problem.shape;
  const MambaOptions &o = problem.options;
  const int64_t P = s.headDim, N = s.stateDim;
  fill(x, s.heads, P, in.x, rounded.x);
  fill(dt, s.heads, 1, in.dt, rounded.dt);
  fill(b, s.groups, N, in.b, rounded.b);
  fill(c, s.groups, N, in.c, rounded.c);
  if (o.hasZ && !problem.kernelBench)
    fill(z, s.heads, P, in.z, rounded.z);
  else
    z = makeView(1, 1, /*poison=*/true);
  bool mamba = !problem.kernelBench;
  a = makeFlat(mamba ? in.a : std::vector<double>(), rounded.a);
  dtBias = makeFlat(mamba && o.hasDtBias ? in.dtBias : std::vector<double>(), rounded.dtBias);
  d = makeFlat(mamba && o.hasD ? in.d : std::vector<double>(), rounded.d);
  init = makeFlat(o.hasInitialStates ? in.initialStates : std::vector<double>(),
                  rounded.initialStates);
  states = poisoned(s.batch * s.numChunks() * s.heads * P * N);
  final = poisoned(s.batch * s.heads * P * N);
  cs = poisoned(s.batch * s.heads * s.seqlen);
  dtOut = poisoned(mamba ? s.batch * s.heads * s.seqlen : 0);
  yView = makeView(s.heads, P, /*poison=*/true);
}

std::vector<host::HostArgument> SsdHostForward::chunkStatesArgs(bool storeChunks) {
  const MambaShape &s = problem.shape;
  const MambaOptions &o = problem.options;
  // Without stored chunks, the intermediates are single elements: a store
  // into one would be an out-of-bounds error, not a silent write.
  if (!storeChunks) {
    states = poisoned(1);
    cs = poisoned(1);
    dtOut = poisoned(1);
  }
  using host::HostArgument;
  bool mamba = !problem.kernelBench;
  return {HostArgument::ofBuffer(*x.buffer),
          HostArgument::ofBuffer(*dt.buffer),
          HostArgument::ofBuffer(*a),
          HostArgument::ofBuffer(*dtBias),
          HostArgument::ofBuffer(*b.buffer),
          HostArgument::ofBuffer(*init),
          HostArgument::ofBuffer(*states),
          HostArgument::ofBuffer(*final),
          HostArgument::ofBuffer(*cs),
          HostArgument::ofBuffer(*dtOut),
          HostArgument::ofInt(s.batch),
          HostArgument::ofInt(s.seqlen),
          HostArgument::ofInt(s.heads),
          HostArgument::ofInt(s.headDim),
          HostArgument::ofInt(s.stateDim),
          HostArgument::ofInt(s.groups),
          HostArgument::ofInt(s.chunk),
          HostArgument::ofInt(x.batchStride),
          HostArgument::ofInt(x.tokenStride),
          HostArgument::ofInt(x.headStride),
          HostArgument::ofInt(dt.batchStride),
          HostArgument::ofInt(dt.tokenStride),
          HostArgument::ofInt(b.batchStride),
          HostArgument::ofInt(b.tokenStride),
          HostArgument::ofInt(b.headStride),
          HostArgument::ofInt(problem.kernelBench),
          HostArgument::ofInt(mamba && o.hasDtBias),
          HostArgument::ofInt(mamba && o.dtSoftplus),
          HostArgument::ofInt(o.hasInitialStates),
          HostArgument::ofInt(storeChunks)};
}

std::vector<host::HostArgument> SsdHostForward::chunkOutputsArgs() {
  const MambaShape &s = problem.shape;
  const MambaOptions &o = problem.options;
  using host::HostArgument;
  bool mamba = !problem.kernelBench;
  // D (h) is read with a zero stride along p; D (h, p) row-major.
  int64_t dHeadStride = o.dPerChannel ? s.headDim : 1, dDimStride = o.dPerChannel ? 1 : 0;
  return {HostArgument::ofBuffer(*x.buffer),
          HostArgument::ofBuffer(*z.buffer),
          HostArgument::ofBuffer(*d),
          HostArgument::ofBuffer(*b.buffer),
          HostArgument::ofBuffer(*c.buffer),
          HostArgument::ofBuffer(*states),
          HostArgument::ofBuffer(*cs),
          HostArgument::ofBuffer(*dtOut),
          HostArgument::ofBuffer(*yView.buffer),
          HostArgument::ofInt(s.batch),
          HostArgument::ofInt(s.seqlen),
          HostArgument::ofInt(s.heads),
          HostArgument::ofInt(s.headDim),
          HostArgument::ofInt(s.stateDim),
          HostArgument::ofInt(s.groups),
          HostArgument::ofInt(s.chunk),
          HostArgument::ofInt(x.batchStride),
          HostArgument::ofInt(x.tokenStride),
          HostArgument::ofInt(x.headStride),
          HostArgument::ofInt(z.batchStride),
          HostArgument::ofInt(z.tokenStride),
          HostArgument::ofInt(z.headStride),
          HostArgument::ofInt(b.batchStride),
          HostArgument::ofInt(b.tokenStride),
          HostArgument::ofInt(b.headStride),
          HostArgument::ofInt(c.batchStride),
          HostArgument::ofInt(c.tokenStride),
          HostArgument::ofInt(c.headStride),
          HostArgument::ofInt(yView.batchStride),
          HostArgument::ofInt(yView.tokenStride),
          HostArgument::ofInt(yView.headStride),
          HostArgument::ofInt(dHeadStride),
          HostArgument::ofInt(dDimStride),
          HostArgument::ofInt(problem.kernelBench),
          HostArgument::ofInt(mamba && o.hasD),
          HostArgument::ofInt(mamba && o.hasZ)};
}

std::string SsdHostForward::run(LoadedKernel &chunkStates, LoadedKernel &chunkOutputs, bool withY) {
  std::string error = chunkStates.run(chunkStates.defaultConfig(), chunkStatesArgs(withY));
  if (error.empty() && withY)
    error = chunkOutputs.run(chunkOutputs.defaultConfig(), chunkOutputsArgs());
  return error;
}

std::vector<double> SsdHostForward::contents(const HostBuffer &buffer) {
  std::vector<double> values(buffer.size());
  for (int64_t k = 0; k < buffer.size(); ++k)
    values[k] = buffer.loadFloat(k);
  return values;
}

namespace {
/// Calls `visit(logical, physical)` for every element of a (b, s, h, p) view.
template <typename Visit>
void forEachElement(const MambaShape &s, int64_t batchStride, int64_t tokenStride,
                    int64_t headStride, Visit visit) {
  int64_t logical = 0;
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t t = 0; t < s.seqlen; ++t)
      for (int64_t h = 0; h < s.heads; ++h)
        for (int64_t p = 0; p < s.headDim; ++p)
          visit(logical++, b * batchStride + t * tokenStride + h * headStride + p);
}

void store(HostBuffer &buffer, const std::vector<double> &values) {
  for (size_t k = 0; k < values.size(); ++k)
    buffer.storeFloat(k, values[k]);
}
} // namespace

std::vector<double> SsdHostForward::y() const {
  std::vector<double> values(problem.shape.batch * problem.shape.seqlen * problem.shape.heads *
                             problem.shape.headDim);
  forEachElement(problem.shape, yView.batchStride, yView.tokenStride, yView.headStride,
                 [&](int64_t logical, int64_t physical) {
                   values[logical] = yView.buffer->loadFloat(physical);
                 });
  return values;
}

std::vector<double> SsdHostForward::yLayout(const std::vector<double> &y) const {
  std::vector<double> values(yView.buffer->size(), std::numeric_limits<double>::quiet_NaN());
  forEachElement(problem.shape, yView.batchStride, yView.tokenStride, yView.headStride,
                 [&](int64_t logical, int64_t physical) { values[physical] = y[logical]; });
  return values;
}

void SsdHostForward::setIntermediates(const MambaOutputs &truth) {
  store(*states, truth.statesIn);
  store(*cs, truth.decayCumsum);
  store(*dtOut, truth.dtScaled);
}

Shape ssdc::hosttest::ssdShapeOf(const SsdProblem &problem) {
  const MambaShape &s = problem.shape;
  const MambaOptions &o = problem.options;
  return {{"B", s.batch},
          {"S", s.seqlen},
          {"H", s.heads},
          {"P", s.headDim},
          {"N", s.stateDim},
          {"G", s.groups},
          {"L", s.chunk},
          {"kb", problem.kernelBench},
          {"strided", problem.strided},
          {"D", o.hasD},
          {"Dp", o.dPerChannel},
          {"z", o.hasZ},
          {"bias", o.hasDtBias},
          {"softplus", o.dtSoftplus},
          {"init", o.hasInitialStates}};
}

SsdProblem ssdc::hosttest::ssdProblemOf(const Shape &shape) {
  SsdProblem problem;
  problem.shape = {shape.at("B"), shape.at("S"), shape.at("H"), shape.at("P"),
                   shape.at("N"), shape.at("G"), shape.at("L")};
  problem.kernelBench = shape.at("kb");
  problem.strided = shape.at("strided");
  problem.options = {shape.at("D") != 0,    shape.at("Dp") != 0,       shape.at("z") != 0,
                     shape.at("bias") != 0, shape.at("softplus") != 0, shape.at("init") != 0};
  return problem;
}
