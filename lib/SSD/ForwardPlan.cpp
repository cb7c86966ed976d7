//===- ForwardPlan.cpp - validating an SSD forward and building its launches ===//
//
// The argument names below are those of kernels/ssd/chunk_state.mlir,
// state_passing.mlir and chunk_outputs.mlir; the runtime checks every launch
// against the kernels' signatures, so a renamed argument is a status, not a
// wrong launch.
//
//===----------------------------------------------------------------------===//
#include "ssdc/SSD/Forward.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

namespace ssdc::ssd {

namespace {

/// The limits of kernels/ssd/ (docs/ssd.md): a chunk, a head and a state
/// fit one program's tiles.
constexpr int64_t kMaxChunk = 256, kMaxHeadDim = 256, kMaxStateDim = 256;
constexpr uint64_t kWorkspaceAlignment = 256;
/// Up to this many chunks, Y without the final states sums each chunk's
/// incoming state in the output kernel (chunk_outputs.mlir's %walk_states)
/// instead of a state-passing launch: a program reads at most this many
/// states, and the launch and a pass over the states are saved.
constexpr int64_t kMaxWalkedChunks = 4;

Status positive(const char *field, int64_t value) {
  if (value <= 0)
    return invalidArgument(std::string("ssd: ") + field + " must be positive, not " +
                           std::to_string(value));
  return okStatus();
}

Status atMost(const char *field, int64_t value, int64_t limit) {
  SSDC_RETURN_IF_ERROR(positive(field, value));
  if (value > limit)
    return outOfRange(std::string("ssd: ") + field + " is " + std::to_string(value) +
                      "; the SSD kernels take 1 to " + std::to_string(limit));
  return okStatus();
}

/// One dimension of a view: its extent and element stride.
struct Dim {
  int64_t extent, stride;
};

/// The elements a view spans (one past its largest offset), or an OutOfRange
/// status when that overflows 63 bits.
Status viewSpan(const char *name, const std::array<Dim, 4> &dims, int64_t &span) {
  int64_t last = 0;
  for (const Dim &dim : dims) {
    int64_t term = 0;
    if (__builtin_mul_overflow(dim.extent - 1, dim.stride, &term) ||
        __builtin_add_overflow(last, term, &last))
      return outOfRange(std::string("ssd: the view of ") + name + " spans more than 2^63 elements");
  }
  span = last + 1;
  return okStatus();
}

/// Whether two elements of a view can share an address: dimensions sorted by
/// stride, each must start past the whole span of the ones inside it.
bool mayOverlap(std::array<Dim, 4> dims) {
  std::sort(dims.begin(), dims.end(),
            [](const Dim &a, const Dim &b) { return a.stride < b.stride; });
  int64_t inner = 0; // largest offset of the dimensions seen
  for (const Dim &dim : dims) {
    if (dim.extent == 1)
      continue;
    if (dim.stride <= inner)
      return true;
    inner += (dim.extent - 1) * dim.stride;
  }
  return false;
}

/// Fills the zero strides of a (batch, token, heads, width) view as
/// contiguous and checks the rest.
Status completeStrides(const char *name, ViewStrides &strides, int64_t batch, int64_t seqlen,
                       int64_t heads, int64_t width, bool written, int64_t &span) {
  if (strides.batch < 0 || strides.token < 0 || strides.head < 0)
    return invalidArgument(std::string("ssd: a stride of ") + name + " is negative");
  int64_t head = strides.head ? strides.head : width;
  int64_t token = strides.token, batchStride = strides.batch;
  if (token == 0 && __builtin_mul_overflow(heads, head, &token))
    return outOfRange(std::string("ssd: ") + name + "'s token stride overflows");
  if (batchStride == 0 && __builtin_mul_overflow(seqlen, token, &batchStride))
    return outOfRange(std::string("ssd: ") + name + "'s batch stride overflows");
  strides = {batchStride, token, head};
  std::array<Dim, 4> dims = {Dim{batch, batchStride}, Dim{seqlen, token}, Dim{heads, head},
                             Dim{width, 1}};
  SSDC_RETURN_IF_ERROR(viewSpan(name, dims, span));
  if (written && mayOverlap(dims))
    return invalidArgument(std::string("ssd: the strides of ") + name + " (" +
                           std::to_string(batchStride) + ", " + std::to_string(token) + ", " +
                           std::to_string(head) + ", 1) make two of its elements share an address");
  return okStatus();
}

uint64_t alignUp(uint64_t value) {
  return (value + kWorkspaceAlignment - 1) / kWorkspaceAlignment * kWorkspaceAlignment;
}

/// Reserves `elements` f32 elements of the workspace; returns its offset.
Status reserve(uint64_t &size, int64_t elements, uint64_t &offset) {
  offset = size;
  uint64_t bytes = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(elements), uint64_t(4), &bytes) ||
      __builtin_add_overflow(size, alignUp(bytes), &size))
    return outOfRange("ssd: the workspace would exceed 2^64 bytes");
  return okStatus();
}

/// The product of `factors`, or an OutOfRange status naming `what`.
Status product(std::initializer_list<int64_t> factors, const char *what, int64_t &out) {
  out = 1;
  for (int64_t factor : factors)
    if (__builtin_mul_overflow(out, factor, &out))
      return outOfRange(std::string("ssd: ") + what + " has more than 2^63 elements");
  return okStatus();
}

/// mamba's default dt_limit, (0, inf): no clamp.
bool defaultDtLimit(const ForwardProblem &p) {
  return p.dtLimitLo == 0 && p.dtLimitHi == std::numeric_limits<double>::infinity();
}

/// `value` as printf's %g prints it (1e+39, 0.25).
std::string shortNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

/// dt_limit's ends are f32 kernel arguments: not NaN, in order, and finite
/// ones within f32's range.
Status checkDtLimit(const ForwardProblem &p) {
  constexpr double kLargest = std::numeric_limits<float>::max();
  for (auto [field, value] :
       {std::pair{"dtLimitLo", p.dtLimitLo}, std::pair{"dtLimitHi", p.dtLimitHi}}) {
    if (std::isnan(value))
      return invalidArgument(std::string("ssd: ") + field + " (dt_limit) is NaN");
    if (std::isfinite(value) && std::fabs(value) > kLargest)
      return outOfRange(std::string("ssd: ") + field + " (dt_limit) is " + shortNumber(value) +
                        ", beyond f32's range");
  }
  if (p.dtLimitLo > p.dtLimitHi)
    return invalidArgument("ssd: dt_limit's low end dtLimitLo (" + shortNumber(p.dtLimitLo) +
                           ") is above its high end dtLimitHi (" + shortNumber(p.dtLimitHi) + ")");
  return okStatus();
}

Status checkOptions(const ForwardProblem &p) {
  if (!p.returnY && !p.returnFinalStates)
    return invalidArgument("ssd: the problem asks for neither Y nor the final states");
  if (p.dtype != pkg::ElemType::F32 && p.dtype != pkg::ElemType::F16 &&
      p.dtype != pkg::ElemType::BF16)
    return invalidArgument(std::string("ssd: dtype (of x, B, C, z and y) is ") +
                           elemTypeName(p.dtype) + "; the SSD kernels take f32, f16 or bf16");
  SSDC_RETURN_IF_ERROR(checkDtLimit(p));
  if (p.form == Form::KernelBench) {
    if (p.hasD || p.hasZ || p.hasDtBias || p.dtSoftplus || !defaultDtLimit(p))
      return invalidArgument("ssd: KernelBench's parameterisation has no D, z, dt_bias, "
                             "dt_softplus or dt_limit (use Form::Mamba)");
    if (p.groups != p.heads)
      return invalidArgument("ssd: KernelBench's parameterisation has B and C per head: groups "
                             "must equal heads (" +
                             std::to_string(p.heads) + "), not " + std::to_string(p.groups));
  }
  if (p.dPerChannel && !p.hasD)
    return invalidArgument("ssd: dPerChannel is set without hasD");
  return okStatus();
}

} // namespace

const char *kernelName(Kernel kernel) {
  switch (kernel) {
  case Kernel::ChunkState:
    return "ssd_chunk_state";
  case Kernel::StatePassing:
    return "ssd_state_passing";
  case Kernel::ChunkCb:
    return "ssd_chunk_cb";
  case Kernel::ChunkOutputs:
    return "ssd_chunk_outputs";
  }
  return "?";
}

std::string kernelInstanceName(Kernel kernel, pkg::ElemType dtype) {
  if (kernel == Kernel::StatePassing)
    return kernelName(kernel);
  return std::string(kernelName(kernel)) + "_" + elemTypeName(dtype);
}

Status ForwardPlan::create(const ForwardProblem &problem, ForwardPlan &out) {
  ForwardProblem p = problem;
  if (p.groups == 0 && p.form == Form::KernelBench)
    p.groups = p.heads;
  SSDC_RETURN_IF_ERROR(positive("batch", p.batch));
  SSDC_RETURN_IF_ERROR(positive("seqlen", p.seqlen));
  SSDC_RETURN_IF_ERROR(positive("heads", p.heads));
  SSDC_RETURN_IF_ERROR(positive("groups", p.groups));
  SSDC_RETURN_IF_ERROR(atMost("chunk", p.chunk, kMaxChunk));
  SSDC_RETURN_IF_ERROR(atMost("headDim", p.headDim, kMaxHeadDim));
  SSDC_RETURN_IF_ERROR(atMost("stateDim", p.stateDim, kMaxStateDim));
  if (p.heads % p.groups != 0)
    return invalidArgument("ssd: groups (" + std::to_string(p.groups) + ") must divide heads (" +
                           std::to_string(p.heads) + ")");
  SSDC_RETURN_IF_ERROR(checkOptions(p));

  int64_t span = 0;
  SSDC_RETURN_IF_ERROR(
      completeStrides("x", p.x, p.batch, p.seqlen, p.heads, p.headDim, false, span));
  SSDC_RETURN_IF_ERROR(completeStrides("dt", p.dt, p.batch, p.seqlen, p.heads, 1, false, span));
  if (p.dt.head != 1)
    return invalidArgument("ssd: dt's head stride must be 1 (its heads contiguous), not " +
                           std::to_string(p.dt.head));
  SSDC_RETURN_IF_ERROR(
      completeStrides("B", p.b, p.batch, p.seqlen, p.groups, p.stateDim, false, span));
  SSDC_RETURN_IF_ERROR(
      completeStrides("C", p.c, p.batch, p.seqlen, p.groups, p.stateDim, false, span));
  SSDC_RETURN_IF_ERROR(
      completeStrides("z", p.z, p.batch, p.seqlen, p.heads, p.headDim, false, span));
  SSDC_RETURN_IF_ERROR(
      completeStrides("y", p.y, p.batch, p.seqlen, p.heads, p.headDim, true, span));

  int64_t chunks = (p.seqlen + p.chunk - 1) / p.chunk;
  int64_t states = 0, tokens = 0, finals = 0, products = 0;
  SSDC_RETURN_IF_ERROR(
      product({p.batch, chunks, p.heads, p.headDim, p.stateDim}, "the chunk states", states));
  SSDC_RETURN_IF_ERROR(product({p.batch, p.heads, p.seqlen}, "the chunk cumsum", tokens));
  SSDC_RETURN_IF_ERROR(
      product({p.batch, p.heads, p.headDim, p.stateDim}, "the final states", finals));
  SSDC_RETURN_IF_ERROR(
      product({p.batch, chunks, p.groups, p.chunk, p.chunk}, "C B^T per chunk", products));
  ForwardPlan plan;
  uint64_t size = 0;
  SSDC_RETURN_IF_ERROR(reserve(size, states, plan.statesOffset_));
  SSDC_RETURN_IF_ERROR(reserve(size, tokens, plan.cumsumOffset_));
  if (p.form == Form::Mamba)
    SSDC_RETURN_IF_ERROR(reserve(size, tokens, plan.dtOffset_));
  plan.walkStates_ = p.returnY && !p.returnFinalStates && chunks <= kMaxWalkedChunks;
  if (!p.returnFinalStates && !plan.walkStates_)
    SSDC_RETURN_IF_ERROR(reserve(size, finals, plan.finalOffset_));
  plan.sharedCb_ = p.returnY && p.groups < p.heads;
  if (plan.sharedCb_)
    SSDC_RETURN_IF_ERROR(reserve(size, products, plan.cbOffset_));
  plan.problem_ = p;
  plan.workspaceBytes_ = size;
  out = plan;
  return okStatus();
}

namespace {

/// Argument builders shared by the two launches.
class ArgsBuilder {
public:
  ArgsBuilder(const ForwardProblem &p, KernelArgs &args) : p(p), args(args) {}

  /// A buffer of `count` elements of `type`, or none (null, 0) when
  /// `present` is false.
  void buffer(const char *name, const void *data, int64_t count, bool present = true,
              pkg::ElemType type = pkg::ElemType::F32) {
    args.set(name, ArgValue::buffer(present ? const_cast<void *>(data) : nullptr,
                                    present ? static_cast<uint64_t>(count) : 0, type));
  }
  /// A (batch, token, heads, width) view of the problem's dtype (x, B, C, z,
  /// y), or of f32 with `f32` (dt).
  void view(const char *name, const void *data, const ViewStrides &s, int64_t heads, int64_t width,
            bool present = true, bool f32 = false) {
    int64_t span = (p.batch - 1) * s.batch + (p.seqlen - 1) * s.token + (heads - 1) * s.head +
                   width; // checked for overflow by ForwardPlan::create
    buffer(name, data, span, present, f32 ? pkg::ElemType::F32 : p.dtype);
  }
  void integer(const char *name, int64_t value) { args.set(name, ArgValue::scalar(value)); }
  void real(const char *name, double value) { args.set(name, ArgValue::floatScalar(value)); }
  /// The tuning keys' scale of the problem: the bit width of batch x chunks
  /// x heads (the programs a launch runs, up to tile factors), so that a
  /// config is tuned once per scale and shapes of one scale share it.
  void sizeClass() {
    uint64_t programs = static_cast<uint64_t>(p.batch) *
                        static_cast<uint64_t>((p.seqlen + p.chunk - 1) / p.chunk) *
                        static_cast<uint64_t>(p.heads);
    integer("size_class", 64 - __builtin_clzll(programs));
  }
  /// PREFIX_sb, PREFIX_ss and, unless `headSuffix` is null, PREFIX + headSuffix
  /// ("_sh" for heads, "_sg" for groups).
  void strides(const char *prefix, const ViewStrides &s, const char *headSuffix) {
    std::string base(prefix);
    integer((base + "_sb").c_str(), s.batch);
    integer((base + "_ss").c_str(), s.token);
    if (headSuffix)
      integer((base + headSuffix).c_str(), s.head);
  }
  /// B S H P N L, and G when `withGroups`.
  void sizes(bool withGroups = true) {
    integer("B", p.batch);
    integer("S", p.seqlen);
    integer("H", p.heads);
    integer("P", p.headDim);
    integer("N", p.stateDim);
    if (withGroups)
      integer("G", p.groups);
    integer("L", p.chunk);
  }

private:
  const ForwardProblem &p;
  KernelArgs &args;
};

Status required(const char *name, const void *pointer, bool needed) {
  if (needed && pointer == nullptr)
    return invalidArgument(std::string("ssd: ") + name + " is null but the problem needs it");
  if (!needed && pointer != nullptr)
    return invalidArgument(std::string("ssd: ") + name +
                           " is given but the problem's options do not use it");
  return okStatus();
}

} // namespace

Status ForwardPlan::checkBuffers(const ForwardBuffers &buf, const void *workspace) const {
  const ForwardProblem &p = problem_;
  bool mamba = p.form == Form::Mamba;
  SSDC_RETURN_IF_ERROR(required("x", buf.x, true));
  SSDC_RETURN_IF_ERROR(required("dt", buf.dt, true));
  SSDC_RETURN_IF_ERROR(required("A", buf.a, mamba));
  SSDC_RETURN_IF_ERROR(required("B", buf.b, true));
  SSDC_RETURN_IF_ERROR(required("C", buf.c, p.returnY));
  SSDC_RETURN_IF_ERROR(required("D", buf.d, mamba && p.hasD && p.returnY));
  SSDC_RETURN_IF_ERROR(required("z", buf.z, mamba && p.hasZ && p.returnY));
  SSDC_RETURN_IF_ERROR(required("dt_bias", buf.dtBias, mamba && p.hasDtBias));
  SSDC_RETURN_IF_ERROR(required("initial_states", buf.initialStates, p.hasInitialStates));
  SSDC_RETURN_IF_ERROR(required("y", buf.y, p.returnY));
  SSDC_RETURN_IF_ERROR(required("final_states", buf.finalStates, p.returnFinalStates));
  if (workspaceBytes_ && workspace == nullptr)
    return invalidArgument("ssd: the workspace is null but the plan needs " +
                           std::to_string(workspaceBytes_) + " bytes");
  return okStatus();
}

Status ForwardPlan::launches(const ForwardBuffers &buf, void *workspace,
                             std::vector<Launch> &out) const {
  SSDC_RETURN_IF_ERROR(checkBuffers(buf, workspace));
  const ForwardProblem &p = problem_;
  bool mamba = p.form == Form::Mamba;
  char *space = static_cast<char *>(workspace);
  int64_t chunks = (p.seqlen + p.chunk - 1) / p.chunk;
  int64_t stateCount = p.batch * chunks * p.heads * p.headDim * p.stateDim;
  int64_t tokenCount = p.batch * p.heads * p.seqlen;
  int64_t finalCount = p.batch * p.heads * p.headDim * p.stateDim;
  void *states = space + statesOffset_;
  void *cumsum = space + cumsumOffset_;
  void *dtScaled = mamba ? space + dtOffset_ : nullptr;
  void *finals = p.returnFinalStates ? buf.finalStates
                 : walkStates_       ? nullptr
                                     : space + finalOffset_;

  out.clear();
  Launch first{Kernel::ChunkState, {}};
  ArgsBuilder s(p, first.args);
  s.view("x", buf.x, p.x, p.heads, p.headDim);
  s.view("dt", buf.dt, p.dt, p.heads, 1, true, /*f32=*/true);
  s.buffer("a", buf.a, p.heads, mamba);
  s.buffer("dt_bias", buf.dtBias, p.heads, mamba && p.hasDtBias);
  s.view("b", buf.b, p.b, p.groups, p.stateDim);
  s.buffer("states", states, stateCount);
  s.buffer("cs_out", cumsum, tokenCount);
  s.buffer("dt_out", dtScaled, tokenCount, mamba);
  s.sizes();
  s.strides("x", p.x, "_sh");
  s.strides("dt", p.dt, nullptr);
  s.strides("b", p.b, "_sg");
  s.integer("kernelbench", !mamba);
  s.integer("has_dt_bias", mamba && p.hasDtBias);
  s.integer("dt_softplus", mamba && p.dtSoftplus);
  // mamba clamps only when dt_limit is not its default; (-inf, inf) clamps
  // nothing.
  constexpr double kInf = std::numeric_limits<double>::infinity();
  bool clamps = !defaultDtLimit(p);
  s.real("dt_lo", clamps ? p.dtLimitLo : -kInf);
  s.real("dt_hi", clamps ? p.dtLimitHi : kInf);
  s.sizeClass();
  out.push_back(std::move(first));

  if (!walkStates_) {
    Launch passing{Kernel::StatePassing, {}};
    ArgsBuilder sp(p, passing.args);
    sp.buffer("states", states, stateCount);
    sp.buffer("cs", cumsum, tokenCount);
    sp.buffer("init", buf.initialStates, finalCount, p.hasInitialStates);
    sp.buffer("final", finals, finalCount);
    sp.sizes(/*withGroups=*/false);
    sp.integer("has_init", p.hasInitialStates);
    sp.sizeClass();
    out.push_back(std::move(passing));
  }
  if (!p.returnY)
    return okStatus();

  int64_t productCount = p.batch * chunks * p.groups * p.chunk * p.chunk;
  void *products = sharedCb_ ? space + cbOffset_ : nullptr;
  if (sharedCb_) {
    Launch cb{Kernel::ChunkCb, {}};
    ArgsBuilder m(p, cb.args);
    m.view("b", buf.b, p.b, p.groups, p.stateDim);
    m.view("c", buf.c, p.c, p.groups, p.stateDim);
    m.buffer("cb", products, productCount);
    for (auto [name, value] :
         {std::pair{"B", p.batch}, std::pair{"S", p.seqlen}, std::pair{"N", p.stateDim},
          std::pair{"G", p.groups}, std::pair{"L", p.chunk}})
      m.integer(name, value);
    m.strides("b", p.b, "_sg");
    m.strides("c", p.c, "_sg");
    m.sizeClass();
    out.push_back(std::move(cb));
  }

  Launch outputs{Kernel::ChunkOutputs, {}};
  ArgsBuilder o(p, outputs.args);
  o.view("x", buf.x, p.x, p.heads, p.headDim);
  o.view("z", buf.z, p.z, p.heads, p.headDim, mamba && p.hasZ);
  o.buffer("d", buf.d, p.dPerChannel ? p.heads * p.headDim : p.heads, mamba && p.hasD);
  o.view("b", buf.b, p.b, p.groups, p.stateDim);
  o.view("c", buf.c, p.c, p.groups, p.stateDim);
  o.buffer("states", states, stateCount);
  o.buffer("init", buf.initialStates, finalCount, walkStates_ && p.hasInitialStates);
  o.buffer("cb", products, productCount, sharedCb_);
  o.buffer("cs", cumsum, tokenCount);
  o.buffer("dt", dtScaled, tokenCount, mamba);
  o.view("y", buf.y, p.y, p.heads, p.headDim);
  o.sizes();
  o.strides("x", p.x, "_sh");
  o.strides("z", p.z, "_sh");
  o.strides("b", p.b, "_sg");
  o.strides("c", p.c, "_sg");
  o.strides("y", p.y, "_sh");
  // D (h) is read with a zero stride along p; D (h, p) row-major.
  o.integer("d_sh", p.dPerChannel ? p.headDim : 1);
  o.integer("d_sp", p.dPerChannel ? 1 : 0);
  o.integer("kernelbench", !mamba);
  o.integer("has_d", mamba && p.hasD);
  o.integer("has_z", mamba && p.hasZ);
  o.integer("walk_states", walkStates_);
  o.integer("has_init", walkStates_ && p.hasInitialStates);
  o.integer("has_cb", sharedCb_);
  o.sizeClass();
  out.push_back(std::move(outputs));
  return okStatus();
}

} // namespace ssdc::ssd
