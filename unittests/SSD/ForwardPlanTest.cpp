//===- ForwardPlanTest.cpp - validating SSD problems and their launches ---===//
//
// No GPU: every launch list is bound against the signature of the kernel the
// build embedded (bindArgs, as a device launch does) and its grid computed,
// and every bad problem or buffer set is a status naming what is wrong.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Runtime/Runtime.h"
#include "ssdc/SSD/Forward.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace ssdc;
using namespace ssdc::ssd;

namespace {

ForwardProblem mambaProblem() {
  ForwardProblem p;
  p.form = Form::Mamba;
  p.batch = 3;
  p.seqlen = 100;
  p.heads = 6;
  p.headDim = 24;
  p.stateDim = 12;
  p.groups = 2;
  p.chunk = 48;
  p.returnFinalStates = true;
  p.hasD = p.hasZ = p.hasDtBias = p.dtSoftplus = p.hasInitialStates = true;
  return p;
}

/// Distinct non-null pointers for every buffer a problem uses.
ForwardBuffers fakeBuffers(const ForwardProblem &p) {
  auto at = [](uintptr_t address) { return reinterpret_cast<void *>(address << 20); };
  ForwardBuffers b;
  b.x = at(1);
  b.dt = at(2);
  b.a = p.form == Form::Mamba ? at(3) : nullptr;
  b.b = at(4);
  b.c = p.returnY ? at(5) : nullptr;
  b.d = p.hasD && p.returnY ? at(6) : nullptr;
  b.z = p.hasZ && p.returnY ? at(7) : nullptr;
  b.dtBias = p.hasDtBias ? at(8) : nullptr;
  b.initialStates = p.hasInitialStates ? at(9) : nullptr;
  b.y = p.returnY ? at(10) : nullptr;
  b.finalStates = p.returnFinalStates ? at(11) : nullptr;
  return b;
}

std::string errorOf(const ForwardProblem &problem) {
  ForwardPlan plan;
  Status status = ForwardPlan::create(problem, plan);
  return status.ok() ? "ok" : status.message();
}

/// Binds every launch of `plan` against the embedded kernel of `chip` and
/// returns the launch configs of their default configs.
std::vector<LaunchConfig> bindAll(const ForwardPlan &plan, const std::string &chip) {
  std::vector<Launch> launches;
  void *workspace = reinterpret_cast<void *>(uintptr_t(1) << 40);
  Status status = plan.launches(fakeBuffers(plan.problem()), workspace, launches);
  EXPECT_TRUE(status.ok()) << status.toString();
  std::vector<LaunchConfig> configs;
  for (const Launch &launch : launches) {
    std::shared_ptr<const LoadedPackage> package;
    status = loadEmbeddedPackage(chip, launch.kernel, package);
    EXPECT_TRUE(status.ok()) << status.toString();
    if (!status.ok())
      return configs;
    const pkg::Kernel *kernel = package->findKernel(plan.kernelInstance(launch.kernel));
    EXPECT_NE(kernel, nullptr) << plan.kernelInstance(launch.kernel);
    if (!kernel)
      return configs;
    BoundArgs bound;
    status = bindArgs(*kernel, launch.args, bound);
    EXPECT_TRUE(status.ok()) << plan.kernelInstance(launch.kernel) << ": " << status.toString();
    LaunchConfig config;
    status = computeLaunchConfig(*kernel, kernel->defaultConfig, bound, config);
    EXPECT_TRUE(status.ok()) << status.toString();
    configs.push_back(config);
  }
  return configs;
}

TEST(ForwardPlan, EveryChipEmbedsEveryKernel) {
  std::vector<std::string> chips = embeddedChips();
  EXPECT_EQ(chips, (std::vector<std::string>{"sm_80", "sm_90", "sm_90a"}));
  for (const std::string &chip : chips)
    for (Kernel kernel :
         {Kernel::ChunkState, Kernel::StatePassing, Kernel::ChunkCb, Kernel::ChunkOutputs}) {
      std::shared_ptr<const LoadedPackage> package;
      Status status = loadEmbeddedPackage(chip, kernel, package);
      ASSERT_TRUE(status.ok()) << status.toString();
      EXPECT_EQ(package->package().chip, chip);
      for (pkg::ElemType type : {pkg::ElemType::F32, pkg::ElemType::F16, pkg::ElemType::BF16})
        EXPECT_NE(package->findKernel(kernelInstanceName(kernel, type)), nullptr)
            << kernelInstanceName(kernel, type) << " on " << chip;
    }
  std::shared_ptr<const LoadedPackage> package;
  EXPECT_EQ(loadEmbeddedPackage("sm_75", Kernel::ChunkState, package).code(), StatusCode::NotFound);
}

TEST(ForwardPlan, MambaWithEveryOptionBindsToTheKernels) {
  ForwardPlan plan;
  ASSERT_TRUE(ForwardPlan::create(mambaProblem(), plan).ok());
  std::vector<LaunchConfig> configs = bindAll(plan, "sm_90");
  ASSERT_EQ(configs.size(), 4u);
  // chunk_state: (B * chunks, H, state blocks); state_passing: (B, H, state
  // blocks); chunk_cb, as groups < heads: (B * chunks, G, blocks);
  // chunk_outputs: (B * chunks, H, row and p blocks).
  EXPECT_EQ(configs[0].grid[0], 3u * 3u);
  EXPECT_EQ(configs[0].grid[1], 6u);
  EXPECT_EQ(configs[1].grid[0], 3u);
  EXPECT_EQ(configs[1].grid[1], 6u);
  EXPECT_EQ(configs[2].grid[0], 3u * 3u);
  EXPECT_EQ(configs[2].grid[1], 2u);
  EXPECT_EQ(configs[3].grid[0], 3u * 3u);
  EXPECT_EQ(configs[3].grid[1], 6u);
}

// Each kernel that holds x, B, C, z or y has an instance per dtype; the plan
// names the one of its problem.
TEST(ForwardPlan, KernelInstancesFollowTheDtype) {
  EXPECT_EQ(kernelInstanceName(Kernel::ChunkState, pkg::ElemType::BF16), "ssd_chunk_state_bf16");
  EXPECT_EQ(kernelInstanceName(Kernel::ChunkCb, pkg::ElemType::F16), "ssd_chunk_cb_f16");
  EXPECT_EQ(kernelInstanceName(Kernel::ChunkOutputs, pkg::ElemType::F32), "ssd_chunk_outputs_f32");
  EXPECT_EQ(kernelInstanceName(Kernel::StatePassing, pkg::ElemType::BF16), "ssd_state_passing");
  for (pkg::ElemType type : {pkg::ElemType::F16, pkg::ElemType::BF16}) {
    ForwardProblem p = mambaProblem();
    p.dtype = type;
    p.dtLimitLo = 0.001;
    p.dtLimitHi = 0.1;
    ForwardPlan plan;
    Status status = ForwardPlan::create(p, plan);
    ASSERT_TRUE(status.ok()) << status.toString();
    EXPECT_EQ(plan.kernelInstance(Kernel::ChunkOutputs),
              std::string("ssd_chunk_outputs_") + elemTypeName(type));
    // x, B, C, z and y are bound as `type` buffers, the rest as f32 ones.
    EXPECT_EQ(bindAll(plan, "sm_90a").size(), 4u);
    std::vector<Launch> launches;
    ASSERT_TRUE(
        plan.launches(fakeBuffers(p), reinterpret_cast<void *>(uintptr_t(1) << 40), launches).ok());
    for (const KernelArgs::Named &arg : launches[3].args.named())
      if (arg.value.kind == pkg::ArgKind::Buffer && arg.value.data) {
        bool typed = arg.name == "x" || arg.name == "z" || arg.name == "b" || arg.name == "c" ||
                     arg.name == "y";
        EXPECT_EQ(arg.value.type, typed ? type : pkg::ElemType::F32) << arg.name;
      }
    // The f32 instance refuses them: the instance is not interchangeable.
    std::shared_ptr<const LoadedPackage> package;
    ASSERT_TRUE(loadEmbeddedPackage("sm_90", Kernel::ChunkOutputs, package).ok());
    const pkg::Kernel *f32 =
        package->findKernel(kernelInstanceName(Kernel::ChunkOutputs, pkg::ElemType::F32));
    ASSERT_NE(f32, nullptr);
    BoundArgs bound;
    EXPECT_FALSE(bindArgs(*f32, launches[3].args, bound).ok());
  }
}

// dt_limit reaches chunk_state as f32 arguments; mamba's default (0, inf)
// is passed as (-inf, inf), which clamps nothing.
TEST(ForwardPlan, DtLimitIsPassedToChunkState) {
  auto limits = [](const ForwardProblem &p) {
    ForwardPlan plan;
    std::vector<Launch> launches;
    EXPECT_TRUE(ForwardPlan::create(p, plan).ok());
    EXPECT_TRUE(
        plan.launches(fakeBuffers(p), reinterpret_cast<void *>(uintptr_t(1) << 40), launches).ok());
    std::pair<double, double> out{-1, -1};
    for (const KernelArgs::Named &arg : launches.at(0).args.named()) {
      if (arg.name == "dt_lo")
        out.first = arg.value.real;
      if (arg.name == "dt_hi")
        out.second = arg.value.real;
    }
    return out;
  };
  constexpr double kInf = std::numeric_limits<double>::infinity();
  ForwardProblem p = mambaProblem();
  EXPECT_EQ(limits(p), std::make_pair(-kInf, kInf));
  p.dtLimitLo = 0.25;
  EXPECT_EQ(limits(p), std::make_pair(0.25, kInf));
  p.dtLimitHi = 0.5;
  EXPECT_EQ(limits(p), std::make_pair(0.25, 0.5));
}

TEST(ForwardPlan, FinalStateAloneSkipsTheOutputs) {
  ForwardProblem p = mambaProblem();
  p.returnY = false;
  p.hasD = p.hasZ = false;
  ForwardPlan plan;
  ASSERT_TRUE(ForwardPlan::create(p, plan).ok());
  // The chunk states (b,c,h,p,n), the chunk cumsum and dt' (b,h,s); the
  // final state is the caller's.
  auto aligned = [](uint64_t bytes) { return (bytes + 255) / 256 * 256; };
  EXPECT_EQ(plan.workspaceBytes(),
            aligned(3ull * 3 * 6 * 24 * 12 * 4) + 2 * aligned(3ull * 6 * 100 * 4));
  EXPECT_EQ(bindAll(plan, "sm_80").size(), 2u);
}

TEST(ForwardPlan, KernelBenchBindsAndSizesItsWorkspace) {
  ForwardProblem p;
  p.form = Form::KernelBench;
  p.batch = 16;
  p.seqlen = 128;
  p.heads = 8;
  p.headDim = 64;
  p.stateDim = 16;
  p.chunk = 64;
  ForwardPlan plan;
  ASSERT_TRUE(ForwardPlan::create(p, plan).ok());
  EXPECT_EQ(plan.problem().groups, 8);
  // Y alone over two chunks: the output kernel sums the incoming states, so
  // there is no state-passing launch and no final state. The workspace holds
  // the chunk states (b,c,h,p,n) and the chunk cumsum (b,h,s), each 256-byte
  // aligned; no dt' in this parameterisation.
  uint64_t states = 16ull * 2 * 8 * 64 * 16 * 4, cumsum = 16ull * 8 * 128 * 4;
  EXPECT_EQ(plan.workspaceBytes(), states + cumsum);
  std::vector<Launch> launches;
  ASSERT_TRUE(
      plan.launches(fakeBuffers(plan.problem()), reinterpret_cast<void *>(1 << 30), launches).ok());
  ASSERT_EQ(launches.size(), 2u);
  EXPECT_EQ(launches[1].kernel, Kernel::ChunkOutputs);
  EXPECT_EQ(bindAll(plan, "sm_90a").size(), 2u);

  // With the final state, or over more chunks, the states pass in a launch
  // of their own.
  p.returnFinalStates = true;
  ASSERT_TRUE(ForwardPlan::create(p, plan).ok());
  EXPECT_EQ(bindAll(plan, "sm_90a").size(), 3u);
  p.returnFinalStates = false;
  p.chunk = 16;
  ASSERT_TRUE(ForwardPlan::create(p, plan).ok());
  EXPECT_EQ(bindAll(plan, "sm_90a").size(), 3u);
}

TEST(ForwardPlan, StridedViewsBindWithTheirSpans) {
  // x, z, B and C as slices of one projection (b, s, 2*h*p + 2*g*n + ...).
  ForwardProblem p = mambaProblem();
  int64_t row = 2 * p.heads * p.headDim + 2 * p.groups * p.stateDim + p.heads;
  p.x = {p.seqlen * row, row, p.headDim};
  p.z = {p.seqlen * row, row, p.headDim};
  p.b = {p.seqlen * row, row, p.stateDim};
  p.c = {p.seqlen * row, row, p.stateDim};
  p.dt = {p.seqlen * row, row, 1};
  ForwardPlan plan;
  Status status = ForwardPlan::create(p, plan);
  ASSERT_TRUE(status.ok()) << status.toString();
  std::vector<Launch> launches;
  ASSERT_TRUE(
      plan.launches(fakeBuffers(plan.problem()), reinterpret_cast<void *>(1 << 30), launches).ok());
  for (const KernelArgs::Named &arg : launches[0].args.named())
    if (arg.name == "x") // one past the last element of the view
      EXPECT_EQ(arg.value.count, uint64_t((p.batch - 1) * p.seqlen * row + (p.seqlen - 1) * row +
                                          (p.heads - 1) * p.headDim + p.headDim));
  EXPECT_EQ(bindAll(plan, "sm_90").size(), 4u);
}

TEST(ForwardPlan, BadProblemsNameTheirField) {
  auto with = [](auto change) {
    ForwardProblem p = mambaProblem();
    change(p);
    return errorOf(p);
  };
  EXPECT_EQ(errorOf(mambaProblem()), "ok");
  EXPECT_EQ(with([](ForwardProblem &p) { p.batch = 0; }), "ssd: batch must be positive, not 0");
  EXPECT_EQ(with([](ForwardProblem &p) { p.chunk = 257; }),
            "ssd: chunk is 257; the SSD kernels take 1 to 256");
  EXPECT_EQ(with([](ForwardProblem &p) { p.headDim = 300; }),
            "ssd: headDim is 300; the SSD kernels take 1 to 256");
  EXPECT_EQ(with([](ForwardProblem &p) { p.stateDim = -1; }),
            "ssd: stateDim must be positive, not -1");
  EXPECT_EQ(with([](ForwardProblem &p) { p.groups = 4; }), "ssd: groups (4) must divide heads (6)");
  EXPECT_EQ(with([](ForwardProblem &p) { p.returnY = p.returnFinalStates = false; }),
            "ssd: the problem asks for neither Y nor the final states");
  EXPECT_EQ(with([](ForwardProblem &p) { p.dtype = pkg::ElemType::I64; }),
            "ssd: dtype (of x, B, C, z and y) is i64; the SSD kernels take f32, f16 or bf16");
  EXPECT_EQ(with([](ForwardProblem &p) { p.dtype = pkg::ElemType::I32; }),
            "ssd: dtype (of x, B, C, z and y) is i32; the SSD kernels take f32, f16 or bf16");
  EXPECT_EQ(with([](ForwardProblem &p) {
              p.dtLimitLo = 0.5;
              p.dtLimitHi = 0.25;
            }),
            "ssd: dt_limit's low end dtLimitLo (0.5) is above its high end dtLimitHi (0.25)");
  EXPECT_EQ(with([](ForwardProblem &p) { p.dtLimitLo = std::nan(""); }),
            "ssd: dtLimitLo (dt_limit) is NaN");
  EXPECT_EQ(with([](ForwardProblem &p) { p.dtLimitHi = std::nan(""); }),
            "ssd: dtLimitHi (dt_limit) is NaN");
  EXPECT_EQ(with([](ForwardProblem &p) { p.dtLimitHi = 1e39; }),
            "ssd: dtLimitHi (dt_limit) is 1e+39, beyond f32's range");
  EXPECT_EQ(with([](ForwardProblem &p) { p.form = Form::KernelBench; }),
            "ssd: KernelBench's parameterisation has no D, z, dt_bias, dt_softplus or dt_limit "
            "(use Form::Mamba)");
  EXPECT_EQ(with([](ForwardProblem &p) {
              p.form = Form::KernelBench;
              p.hasD = p.hasZ = p.hasDtBias = p.dtSoftplus = false;
              p.dtLimitHi = 0.5;
            }),
            "ssd: KernelBench's parameterisation has no D, z, dt_bias, dt_softplus or dt_limit "
            "(use Form::Mamba)");
  EXPECT_EQ(with([](ForwardProblem &p) {
              p.form = Form::KernelBench;
              p.hasD = p.hasZ = p.hasDtBias = p.dtSoftplus = false;
            }),
            "ssd: KernelBench's parameterisation has B and C per head: groups must equal heads "
            "(6), not 2");
  EXPECT_EQ(with([](ForwardProblem &p) { p.dt.head = 2; }),
            "ssd: dt's head stride must be 1 (its heads contiguous), not 2");
  EXPECT_EQ(with([](ForwardProblem &p) { p.x.token = -5; }), "ssd: a stride of x is negative");
  EXPECT_EQ(with([](ForwardProblem &p) { p.y.token = 10; }),
            "ssd: the strides of y (1000, 10, 24, 1) make two of its elements share an address");
  EXPECT_EQ(with([](ForwardProblem &p) { p.x.batch = int64_t(1) << 62; }),
            "ssd: the view of x spans more than 2^63 elements");
  EXPECT_EQ(with([](ForwardProblem &p) {
              p.hasD = false;
              p.dPerChannel = true;
            }),
            "ssd: dPerChannel is set without hasD");
}

TEST(ForwardPlan, OutputsMayHaveGapsButNotAlias) {
  ForwardProblem p = mambaProblem();
  p.y = {0, p.heads * p.headDim + 7, p.headDim + 1}; // gaps between heads and tokens
  EXPECT_EQ(errorOf(p), "ok");
  p.y = {0, p.heads * p.headDim, p.headDim - 1}; // heads overlap by one element
  EXPECT_EQ(errorOf(p),
            "ssd: the strides of y (14400, 144, 23, 1) make two of its elements share an address");
}

TEST(ForwardPlan, BuffersMustMatchTheOptions) {
  ForwardPlan plan;
  ASSERT_TRUE(ForwardPlan::create(mambaProblem(), plan).ok());
  std::vector<Launch> launches;
  void *workspace = reinterpret_cast<void *>(uintptr_t(1) << 40);
  // checkBuffers() alone (what a prepared DeviceForward runs per call) says
  // what launches() says.
  auto errorWith = [&](auto change, void *space) {
    ForwardBuffers buffers = fakeBuffers(plan.problem());
    change(buffers);
    Status status = plan.launches(buffers, space, launches);
    Status checked = plan.checkBuffers(buffers, space);
    EXPECT_EQ(checked.ok() ? std::string("ok") : checked.message(),
              status.ok() ? std::string("ok") : status.message());
    return status.ok() ? std::string("ok") : status.message();
  };
  EXPECT_EQ(errorWith([](ForwardBuffers &) {}, workspace), "ok");
  EXPECT_EQ(errorWith([](ForwardBuffers &b) { b.z = nullptr; }, workspace),
            "ssd: z is null but the problem needs it");
  EXPECT_EQ(errorWith([](ForwardBuffers &b) { b.finalStates = nullptr; }, workspace),
            "ssd: final_states is null but the problem needs it");
  EXPECT_EQ(errorWith([](ForwardBuffers &) {}, nullptr),
            "ssd: the workspace is null but the plan needs " +
                std::to_string(plan.workspaceBytes()) + " bytes");

  ForwardProblem bare = mambaProblem();
  bare.hasZ = false;
  ASSERT_TRUE(ForwardPlan::create(bare, plan).ok());
  EXPECT_EQ(errorWith([](ForwardBuffers &b) { b.z = b.x; }, workspace),
            "ssd: z is given but the problem's options do not use it");
}

} // namespace
