//===- RuntimeGpuTest.cpp - The runtime's tests on a GPU ------------------===//
//
// GoogleTest, built everywhere (CI runs it through test/Unit, where without a
// GPU every test skips and says why) and run on the GPU machine by
// scripts/gpu-runtime-checks.sh. The environment chooses what runs:
//   SSDC_GPU_PACKAGE=PATH   a package holding segsum_exp(cs f32 read [B*T],
//                           out f32 write [B*T*T], B i64, T i64); unset: a
//                           package of hand-written PTX, which checks the
//                           runtime alone
//   SSDC_GPU_QUICK=1        correctness on one shape (for compute-sanitizer)
//   SSDC_GPU_EXPECT_SOURCE=tuned|cache
//                           FirstCall's expectation: the script runs it in
//                           two fresh processes sharing one SSDC_CACHE_DIR;
//                           unset, FirstCall skips
//   SSDC_GPU_LAUNCHES=N     launches LaunchOverhead times (default 20000)
// Besides gtest's verdicts each check prints "RESULT <check> <value>
// <PASS|FAIL|INFO>", which the script gathers into its closing table.
//
//===----------------------------------------------------------------------===//

#include "ssdc-c/runtime.h"
#include "ssdc/Runtime/DeviceBuffer.h"
#include "ssdc/Runtime/Runtime.h"

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

using namespace ssdc;
using Clock = std::chrono::steady_clock;

namespace {

#define ASSERT_OK(expr)                                                                            \
  do {                                                                                             \
    Status assertStatus_ = (expr);                                                                 \
    ASSERT_TRUE(assertStatus_.ok()) << #expr << ": " << assertStatus_.toString();                  \
  } while (false)

/// Prints a RESULT line for the script's table and records it as a test
/// property; an INFO result is a measurement, not a verdict.
void result(const std::string &check, const std::string &value, bool pass, bool info = false) {
  std::printf("RESULT %s %s %s\n", check.c_str(), value.c_str(),
              info ? "INFO" : (pass ? "PASS" : "FAIL"));
  std::fflush(stdout);
  ::testing::Test::RecordProperty(check, value);
  if (!info)
    EXPECT_TRUE(pass) << check << ": " << value;
}

const char *environment(const char *name) {
  const char *value = std::getenv(name);
  return value && *value ? value : nullptr;
}

Status synchronize(Device &device) {
  Device::ContextGuard guard(device);
  return cuda::driverStatus(device.api(), device.api().cuStreamSynchronize(nullptr),
                            "cuStreamSynchronize");
}

pkg::Package selftestPackage();

/// The package under test: $SSDC_GPU_PACKAGE, else the hand-written PTX one.
Status loadPackage(std::shared_ptr<const LoadedPackage> &out) {
  if (const char *path = environment("SSDC_GPU_PACKAGE"))
    return LoadedPackage::fromFile(path, out);
  std::string bytes = pkg::writePackage(selftestPackage());
  return LoadedPackage::fromBytes(bytes.data(), bytes.size(), out);
}

Status openKernel(const std::string &name, const TuningOptions &tuning,
                  std::shared_ptr<DeviceKernel> &kernel) {
  std::shared_ptr<const LoadedPackage> package;
  SSDC_RETURN_IF_ERROR(loadPackage(package));
  DeviceOptions options;
  options.tuning = tuning;
  std::shared_ptr<Device> device;
  SSDC_RETURN_IF_ERROR(Device::open(options, device));
  return device->kernel(package, name, kernel);
}

/// segsum_exp with tuning off (its default config): the tests of launch
/// mechanics, which need no tuned config.
Status openUntuned(std::shared_ptr<DeviceKernel> &kernel) {
  TuningOptions tuning;
  tuning.mode = TuningMode::Off;
  return openKernel("segsum_exp", tuning, kernel);
}

/// The median of `times` (reordered).
double median(std::vector<double> &times) {
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

/// Every test needs a GPU; without one it skips and says so.
class GpuRuntime : public ::testing::Test {
protected:
  void SetUp() override {
    int count = 0;
    Status status = Device::count(count);
    if (!status.ok() || count == 0)
      GTEST_SKIP() << "no CUDA GPU here ("
                   << (status.ok() ? std::string("no device") : status.toString())
                   << "); the GPU tests run on the GPU machine (scripts/gpu-run.sh)";
  }
};

KernelArgs segsumArgs(void *cs, void *out, int64_t B, int64_t T) {
  KernelArgs args;
  args.set("cs", ArgValue::buffer(cs, B * T, pkg::ElemType::F32))
      .set("out", ArgValue::buffer(out, B * T * T, pkg::ElemType::F32))
      .set("B", ArgValue::scalar(B))
      .set("T", ArgValue::scalar(T));
  return args;
}

/// Cumulative sums of steps in [-1, 0.25): exp of their differences spans
/// from overflow through 1 to underflow.
std::vector<float> segsumInput(int64_t B, int64_t T) {
  std::mt19937 random(1234);
  std::uniform_real_distribution<float> step(-1.0f, 0.25f);
  std::vector<float> cs(B * T);
  for (int64_t b = 0; b < B; ++b) {
    float sum = 0;
    for (int64_t t = 0; t < T; ++t)
      cs[b * T + t] = sum += step(random);
  }
  return cs;
}

const uint32_t kPoison = 0x7fbadbad; // a NaN no kernel computes

/// What a segsum_exp output holds against the float64 reference.
struct SegsumCheck {
  double worst = 0;
  uint64_t unwritten = 0, nonzeroAbove = 0, mismatches = 0, subnormal = 0;
  bool ok() const { return unwritten == 0 && nonzeroAbove == 0 && mismatches == 0; }
  std::string describe() const {
    char value[160];
    std::snprintf(value, sizeof(value),
                  "max_rel_err=%.2e,unwritten=%llu,nonzero_above_diag=%llu,"
                  "over_1e-5=%llu,subnormal_refs=%llu",
                  worst, (unsigned long long)unwritten, (unsigned long long)nonzeroAbove,
                  (unsigned long long)mismatches, (unsigned long long)subnormal);
    return value;
  }
};

/// Adds the comparison of `out` (B x T x T float bits, poisoned first) with
/// exp(cs[i] - cs[j]) below the diagonal and 0 above it to `check`.
void checkSegsum(const std::vector<float> &cs, const std::vector<uint32_t> &out, int64_t B,
                 int64_t T, SegsumCheck &check) {
  for (int64_t b = 0; b < B; ++b)
    for (int64_t i = 0; i < T; ++i)
      for (int64_t j = 0; j < T; ++j) {
        uint32_t bits = out[(b * T + i) * T + j];
        float got;
        std::memcpy(&got, &bits, 4);
        if (bits == kPoison) {
          ++check.unwritten;
          continue;
        }
        if (j > i) {
          check.nonzeroAbove += got != 0.0f;
          continue;
        }
        double reference = std::exp(double(cs[b * T + i]) - double(cs[b * T + j]));
        // Relative error <= 1e-5 where the reference is a normal float. Where
        // it is subnormal (or underflows), a float result is spaced 2^-149
        // apart, so one such step is allowed on top.
        if (!std::isfinite(static_cast<float>(reference)))
          continue;
        double error = std::fabs(got - reference);
        if (std::fabs(reference) < FLT_MIN) {
          ++check.subnormal;
          if (!(error <= 1e-5 * std::fabs(reference) + std::ldexp(1.0, -149)))
            ++check.mismatches;
          continue;
        }
        double relative = error / std::fabs(reference);
        if (!(relative <= 1e-5))
          ++check.mismatches;
        check.worst = std::max(check.worst, relative);
      }
}

/// Runs config `c` of segsum_exp on (B, T) with a poisoned output and checks it.
Status runAndCheckSegsum(DeviceKernel &kernel, uint32_t c, int64_t B, int64_t T,
                         SegsumCheck &check) {
  const std::shared_ptr<Device> &device = kernel.device();
  std::vector<float> cs = segsumInput(B, T);
  std::vector<uint32_t> out(B * T * T, kPoison);
  DeviceBuffer csDevice, outDevice;
  SSDC_RETURN_IF_ERROR(DeviceBuffer::fromHost(device, cs.data(), cs.size() * 4, csDevice));
  SSDC_RETURN_IF_ERROR(DeviceBuffer::fromHost(device, out.data(), out.size() * 4, outDevice));
  SSDC_RETURN_IF_ERROR(
      kernel.launchWithConfig(c, segsumArgs(csDevice.data(), outDevice.data(), B, T), nullptr));
  SSDC_RETURN_IF_ERROR(synchronize(*device));
  SSDC_RETURN_IF_ERROR(outDevice.download(out.data(), out.size() * 4));
  checkSegsum(cs, out, B, T, check);
  return okStatus();
}

// Every config of segsum_exp against the float64 reference on every shape.
TEST_F(GpuRuntime, EveryConfigMatchesTheReference) {
  std::shared_ptr<DeviceKernel> kernel;
  ASSERT_OK(openUntuned(kernel));
  std::vector<int64_t> Ts = {64, 100, 256, 1000};
  std::vector<int64_t> Bs = {1, 37};
  if (environment("SSDC_GPU_QUICK")) {
    Ts = {100};
    Bs = {2};
  }
  for (uint32_t c = 0; c < kernel->kernel().configs.size(); ++c) {
    std::string config = describeConfig(kernel->kernel(), c);
    SegsumCheck check;
    for (int64_t B : Bs)
      for (int64_t T : Ts)
        ASSERT_OK(runAndCheckSegsum(*kernel, c, B, T, check).withContext("config " + config));
    result("correctness[" + config + "]", check.describe(), check.ok());
  }
}

// Every device of the machine, each opened in this one process, runs the
// package's default config and is checked.
TEST_F(GpuRuntime, EveryDeviceInOneProcess) {
  int count = 0;
  ASSERT_OK(Device::count(count));
  std::shared_ptr<const LoadedPackage> package;
  ASSERT_OK(loadPackage(package));
  SegsumCheck check;
  for (int ordinal = 0; ordinal < count; ++ordinal) {
    DeviceOptions options;
    options.ordinal = ordinal;
    options.tuning.mode = TuningMode::Off;
    std::shared_ptr<Device> device;
    ASSERT_OK(Device::open(options, device));
    std::shared_ptr<DeviceKernel> kernel;
    ASSERT_OK(device->kernel(package, "segsum_exp", kernel));
    ASSERT_OK(runAndCheckSegsum(*kernel, kernel->kernel().defaultConfig, 3, 100, check)
                  .withContext("device " + std::to_string(ordinal)));
  }
  result("devices_in_one_process(" + std::to_string(count) + ")", check.describe(),
         count > 0 && check.ok());
}

//===----------------------------------------------------------------------===//
// Hand-written PTX: an in-place kernel and a naive segsum_exp
//===----------------------------------------------------------------------===//

const char *kScaleInplacePtx = R"(
.version 7.0
.target sm_70
.address_size 64
.visible .entry scale_inplace(.param .u64 x, .param .u32 n)
{
  .reg .pred %p<2>;
  .reg .b32 %r<6>;
  .reg .b64 %rd<5>;
  .reg .f32 %f<3>;
  ld.param.u64 %rd1, [x];
  ld.param.u32 %r1, [n];
  mov.u32 %r2, %ctaid.x;
  mov.u32 %r3, %ntid.x;
  mov.u32 %r4, %tid.x;
  mad.lo.s32 %r5, %r2, %r3, %r4;
  setp.ge.s32 %p1, %r5, %r1;
  @%p1 bra DONE;
  cvta.to.global.u64 %rd2, %rd1;
  mul.wide.s32 %rd3, %r5, 4;
  add.s64 %rd4, %rd2, %rd3;
  ld.global.f32 %f1, [%rd4];
  add.f32 %f2, %f1, %f1;
  st.global.f32 [%rd4], %f2;
DONE:
  ret;
}
)";

/// One program per (b, BM x BN tile); its threads stride over the tile.
/// exp(a - b) is computed with the subtraction's and the log2(e) product's
/// rounding errors carried separately, so the result is accurate to a few
/// ulp: this kernel checks the runtime, not an exp approximation.
std::string segsumPtx(int64_t bm, int64_t bn) {
  std::string ptx = R"(
.version 7.0
.target sm_70
.address_size 64
.visible .entry segsum_exp(.param .u64 cs, .param .u64 out, .param .u64 B, .param .u64 T)
{
  .reg .pred %p<4>;
  .reg .b32 %r<10>;
  .reg .b64 %rd<16>;
  .reg .f32 %f<16>;
  ld.param.u64 %rd1, [cs];
  ld.param.u64 %rd2, [out];
  ld.param.u64 %rd3, [T];
  cvta.to.global.u64 %rd1, %rd1;
  cvta.to.global.u64 %rd2, %rd2;
  mov.u32 %r1, %ctaid.x;
  mov.u32 %r2, %ctaid.y;
  mov.u32 %r3, %ctaid.z;
  mov.u32 %r4, %tid.x;
  mov.u32 %r5, %ntid.x;
  cvt.u64.u32 %rd4, %r1;
  mul.lo.u64 %rd5, %rd4, %rd3;
  mul.lo.u64 %rd6, %rd5, %rd3;
  cvt.u64.u32 %rd7, %r2;
  mul.lo.u64 %rd7, %rd7, @BM@;
  cvt.u64.u32 %rd8, %r3;
  mul.lo.u64 %rd8, %rd8, @BN@;
  mov.u32 %r6, %r4;
LOOP:
  setp.ge.u32 %p1, %r6, @BMBN@;
  @%p1 bra DONE;
  div.u32 %r7, %r6, @BN@;
  rem.u32 %r8, %r6, @BN@;
  cvt.u64.u32 %rd9, %r7;
  add.u64 %rd9, %rd9, %rd7;
  cvt.u64.u32 %rd10, %r8;
  add.u64 %rd10, %rd10, %rd8;
  setp.ge.u64 %p2, %rd9, %rd3;
  setp.ge.u64 %p3, %rd10, %rd3;
  or.pred %p2, %p2, %p3;
  @%p2 bra NEXT;
  mad.lo.u64 %rd11, %rd9, %rd3, %rd10;
  add.u64 %rd11, %rd11, %rd6;
  shl.b64 %rd11, %rd11, 2;
  add.u64 %rd11, %rd2, %rd11;
  mov.f32 %f1, 0f00000000;
  setp.gt.u64 %p3, %rd10, %rd9;
  @%p3 bra STORE;
  add.u64 %rd12, %rd5, %rd9;
  shl.b64 %rd12, %rd12, 2;
  add.u64 %rd12, %rd1, %rd12;
  add.u64 %rd13, %rd5, %rd10;
  shl.b64 %rd13, %rd13, 2;
  add.u64 %rd13, %rd1, %rd13;
  ld.global.f32 %f2, [%rd12];
  ld.global.f32 %f3, [%rd13];
  sub.rn.f32 %f4, %f2, %f3;
  sub.rn.f32 %f5, %f4, %f2;
  sub.rn.f32 %f6, %f4, %f5;
  sub.rn.f32 %f6, %f2, %f6;
  neg.f32 %f7, %f3;
  sub.rn.f32 %f8, %f7, %f5;
  add.rn.f32 %f9, %f6, %f8;
  mul.rn.f32 %f10, %f4, 0f3FB8AA3B;
  neg.f32 %f11, %f10;
  fma.rn.f32 %f11, %f4, 0f3FB8AA3B, %f11;
  fma.rn.f32 %f11, %f4, 0f32A57060, %f11;
  fma.rn.f32 %f11, %f9, 0f3FB8AA3B, %f11;
  ex2.approx.f32 %f12, %f10;
  fma.rn.f32 %f13, %f11, 0f3F317218, 0f3F800000;
  mul.rn.f32 %f1, %f12, %f13;
STORE:
  st.global.f32 [%rd11], %f1;
NEXT:
  add.u32 %r6, %r6, %r5;
  bra LOOP;
DONE:
  ret;
}
)";
  auto replace = [&](const std::string &from, const std::string &to) {
    for (size_t at; (at = ptx.find(from)) != std::string::npos;)
      ptx.replace(at, from.size(), to);
  };
  replace("@BMBN@", std::to_string(bm * bn));
  replace("@BM@", std::to_string(bm));
  replace("@BN@", std::to_string(bn));
  return ptx;
}

pkg::ExprNode node(pkg::ExprNode::Op op, int64_t value = 0) {
  pkg::ExprNode n;
  n.op = op;
  n.value = value;
  return n;
}

pkg::Package selftestPackage() {
  using Op = pkg::ExprNode::Op;
  pkg::Package package;
  package.chip = "sm_70";
  package.producer = "gpu-runtime-checks (hand-written PTX)";

  pkg::Kernel segsum;
  segsum.name = "segsum_exp";
  segsum.args = {{"cs", pkg::ArgKind::Buffer, pkg::ElemType::F32, pkg::Access::Read},
                 {"out", pkg::ArgKind::Buffer, pkg::ElemType::F32, pkg::Access::Write},
                 {"B", pkg::ArgKind::Int, pkg::ElemType::I64, pkg::Access::Read},
                 {"T", pkg::ArgKind::Int, pkg::ElemType::I64, pkg::Access::Read}};
  segsum.params = {
      {"BLOCK_M", {16, 32, 64}, 32}, {"BLOCK_N", {32, 64}, 32}, {"num_warps", {2, 4}, 4}};
  segsum.keyArgs = {2, 3};
  segsum.grid = {{node(Op::Arg, 2)},
                 {node(Op::Arg, 3), node(Op::Param, 0), node(Op::CeilDiv)},
                 {node(Op::Arg, 3), node(Op::Param, 1), node(Op::CeilDiv)}};
  for (int64_t bm : {16, 32, 64})
    for (int64_t bn : {32, 64})
      for (int64_t warps : {2, 4}) {
        pkg::Config config;
        config.paramValues = {bm, bn, warps};
        config.entry = "segsum_exp";
        config.blockThreads = static_cast<uint32_t>(warps * 32);
        config.ptx = segsumPtx(bm, bn);
        if (bm == 32 && bn == 32 && warps == 4)
          segsum.defaultConfig = static_cast<uint32_t>(segsum.configs.size());
        segsum.configs.push_back(config);
      }

  pkg::Kernel scale;
  scale.name = "scale_inplace";
  scale.args = {{"x", pkg::ArgKind::Buffer, pkg::ElemType::F32, pkg::Access::ReadWrite},
                {"n", pkg::ArgKind::Int, pkg::ElemType::I32, pkg::Access::Read}};
  scale.params = {{"BLOCK", {128, 256, 512}, 128}};
  scale.keyArgs = {1};
  scale.grid = {{node(Op::Arg, 1), node(Op::Param, 0), node(Op::CeilDiv)}};
  for (int64_t block : {128, 256, 512}) {
    pkg::Config config;
    config.paramValues = {block};
    config.entry = "scale_inplace";
    config.blockThreads = static_cast<uint32_t>(block);
    config.ptx = kScaleInplacePtx;
    scale.configs.push_back(config);
  }
  package.kernels = {segsum, scale};
  return package;
}

// An in-place kernel (hand-written PTX) is tuned on scratch copies: its
// result after the tuning launch is still right.
TEST_F(GpuRuntime, TunedInPlaceKernelKeepsItsResult) {
  std::string bytes = pkg::writePackage(selftestPackage());
  std::shared_ptr<const LoadedPackage> package;
  ASSERT_OK(LoadedPackage::fromBytes(bytes.data(), bytes.size(), package));
  DeviceOptions options;
  options.tuning.mode = TuningMode::Force;
  options.tuning.cacheDirectory.clear();
  std::shared_ptr<Device> device;
  std::shared_ptr<DeviceKernel> kernel;
  ASSERT_OK(Device::open(options, device));
  ASSERT_OK(device->kernel(package, "scale_inplace", kernel));
  const int32_t n = 1 << 20;
  std::vector<float> x(n);
  for (int32_t i = 0; i < n; ++i)
    x[i] = static_cast<float>(i % 1000);
  DeviceBuffer xDevice;
  ASSERT_OK(DeviceBuffer::fromHost(device, x.data(), x.size() * 4, xDevice));
  KernelArgs args;
  args.add(ArgValue::buffer(xDevice.data(), n, pkg::ElemType::F32)).add(ArgValue::scalar(n));
  LaunchReport report;
  ASSERT_OK(kernel->launch(args, nullptr, &report));
  ASSERT_OK(synchronize(*device));
  std::vector<float> after(n);
  ASSERT_OK(xDevice.download(after.data(), after.size() * 4));
  uint64_t wrong = 0;
  for (int32_t i = 0; i < n; ++i)
    wrong += after[i] != 2 * x[i];
  result("inplace_tuned_result",
         std::string("source=") + configSourceName(report.source) +
             ",wrong_elements=" + std::to_string(wrong),
         wrong == 0 && report.source == ConfigSource::Tuned);
}

// Load + tune + run time of a fresh process, and where its config came from
// (SSDC_GPU_EXPECT_SOURCE: "tuned" in the first process, "cache" in the
// second, which must read what the first wrote).
TEST_F(GpuRuntime, FirstCall) {
  const char *expect = environment("SSDC_GPU_EXPECT_SOURCE");
  if (expect == nullptr)
    GTEST_SKIP() << "needs SSDC_GPU_EXPECT_SOURCE=tuned|cache and a fresh process "
                    "(scripts/gpu-runtime-checks.sh runs it)";
  const int64_t B = 8, T = 1000;
  Clock::time_point start = Clock::now();
  std::shared_ptr<DeviceKernel> kernel;
  ASSERT_OK(openKernel("segsum_exp", TuningOptions::fromEnvironment(), kernel));
  const std::shared_ptr<Device> &device = kernel->device();
  std::vector<float> input = segsumInput(B, T);
  DeviceBuffer cs, out;
  ASSERT_OK(DeviceBuffer::fromHost(device, input.data(), input.size() * 4, cs));
  ASSERT_OK(DeviceBuffer::allocate(device, uint64_t(B) * T * T * 4, out));
  Clock::time_point loaded = Clock::now();
  LaunchReport report;
  ASSERT_OK(kernel->launch(segsumArgs(cs.data(), out.data(), B, T), nullptr, &report));
  ASSERT_OK(synchronize(*device));
  Clock::time_point done = Clock::now();
  bool fromCubin = false;
  cuda::CUfunction function = nullptr;
  ASSERT_OK(kernel->function(report.configIndex, function, &fromCubin));
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  char value[200];
  std::snprintf(value, sizeof(value), "total_ms=%.1f,launch_ms=%.1f,source=%s,config=%s,module=%s",
                ms(done - start), ms(done - loaded), configSourceName(report.source),
                describeConfig(kernel->kernel(), report.configIndex).c_str(),
                fromCubin ? "cubin" : "ptx-jit");
  result(std::string("first_call_expect_") + expect, value,
         std::string(expect) == configSourceName(report.source));
}

// Host time per launch: the runtime against a raw cuLaunchKernel of the same
// function, at most 1 us apart.
TEST_F(GpuRuntime, LaunchOverhead) {
  const int64_t B = 1, T = 64;
  const int launches =
      environment("SSDC_GPU_LAUNCHES") ? std::atoi(environment("SSDC_GPU_LAUNCHES")) : 20000;
  std::shared_ptr<DeviceKernel> kernel;
  ASSERT_OK(openUntuned(kernel));
  Device &device = *kernel->device();
  const cuda::DriverApi &api = device.api();
  DeviceBuffer cs, out;
  ASSERT_OK(DeviceBuffer::allocate(kernel->device(), B * T * 4, cs));
  ASSERT_OK(DeviceBuffer::allocate(kernel->device(), B * T * T * 4, out));
  KernelArgs args = segsumArgs(cs.data(), out.data(), B, T);
  LaunchReport report;
  ASSERT_OK(kernel->launch(args, nullptr, &report));
  ASSERT_OK(synchronize(device));
  cuda::CUfunction function = nullptr;
  ASSERT_OK(kernel->function(report.configIndex, function));
  const LaunchConfig &launch = report.launch;
  uint64_t csPointer = reinterpret_cast<uint64_t>(cs.data());
  uint64_t outPointer = reinterpret_cast<uint64_t>(out.data());
  int64_t bValue = B, tValue = T;
  void *params[] = {&csPointer, &outPointer, &bValue, &tValue};

  // The context is current for the raw launches, as an embedding engine's
  // would be; the runtime's launches find it current too.
  Device::ContextGuard guard(device);
  ASSERT_OK(guard.status());
  // Host time per launch is the time to enqueue a batch, with the stream
  // drained (untimed) between batches: a batch small enough never fills the
  // launch queue, so the figure is host overhead, not kernel run time.
  constexpr int kBatch = 100;
  auto timeBatch = [&](auto &&launchOne) {
    api.cuStreamSynchronize(nullptr);
    Clock::time_point start = Clock::now();
    for (int i = 0; i < kBatch; ++i)
      launchOne();
    double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count() / kBatch;
    api.cuStreamSynchronize(nullptr);
    return us;
  };
  auto launchRaw = [&] {
    api.cuLaunchKernel(function, launch.grid[0], launch.grid[1], launch.grid[2], launch.block[0],
                       launch.block[1], launch.block[2], launch.sharedBytes, nullptr, params,
                       nullptr);
  };
  Status launchStatus;
  auto launchRuntime = [&] {
    if (launchStatus.ok())
      launchStatus = kernel->launch(args, nullptr);
  };
  PreparedLaunch prepared;
  ASSERT_OK(kernel->prepare(report.configIndex, args, prepared));
  void *buffers[] = {cs.data(), out.data()};
  auto launchPrepared = [&] {
    if (launchStatus.ok())
      launchStatus = prepared.launch(buffers, 2, nullptr);
  };
  // Interleaved batches, median of each, so clock and queue effects hit all.
  std::vector<double> rawTimes, runtimeTimes, preparedTimes;
  for (int batch = 0; batch < std::max(1, launches / kBatch); ++batch) {
    rawTimes.push_back(timeBatch(launchRaw));
    runtimeTimes.push_back(timeBatch(launchRuntime));
    preparedTimes.push_back(timeBatch(launchPrepared));
  }
  double raw = median(rawTimes), runtime = median(runtimeTimes);
  double preparedTime = median(preparedTimes);
  ASSERT_OK(launchStatus);
  char value[120];
  std::snprintf(value, sizeof(value), "%.2f", raw);
  result("host_us_per_launch_raw", value, true, true);
  std::snprintf(value, sizeof(value), "%.2f", runtime);
  result("host_us_per_launch_runtime", value, true, true);
  std::snprintf(value, sizeof(value), "%.2f", runtime - raw);
  result("host_us_per_launch_difference(<=1)", value, runtime - raw <= 1.0);
  std::snprintf(value, sizeof(value), "%.2f", preparedTime);
  result("host_us_per_launch_prepared", value, true, true);
  std::snprintf(value, sizeof(value), "%.2f", preparedTime - raw);
  result("host_us_per_launch_prepared_difference(<=1)", value, preparedTime - raw <= 1.0);
}

// A prepared launch runs its config on the buffers of each call, and rejects
// what a launch would: a null buffer (named), a wrong number of addresses.
TEST_F(GpuRuntime, PreparedLaunchTakesEachCallsBuffers) {
  const int64_t B = 2, T = 100;
  std::shared_ptr<DeviceKernel> kernel;
  ASSERT_OK(openUntuned(kernel));
  const std::shared_ptr<Device> &device = kernel->device();
  std::vector<float> cs = segsumInput(B, T);
  std::vector<uint32_t> poison(B * T * T, kPoison);
  DeviceBuffer csDevice, first, second;
  ASSERT_OK(DeviceBuffer::fromHost(device, cs.data(), cs.size() * 4, csDevice));
  ASSERT_OK(DeviceBuffer::fromHost(device, poison.data(), poison.size() * 4, first));
  ASSERT_OK(DeviceBuffer::fromHost(device, poison.data(), poison.size() * 4, second));
  const uint32_t config = kernel->kernel().defaultConfig;
  PreparedLaunch prepared;
  ASSERT_OK(kernel->prepare(config, segsumArgs(csDevice.data(), first.data(), B, T), prepared));
  LaunchConfig expected;
  ASSERT_OK(kernel->plan(config, segsumArgs(csDevice.data(), first.data(), B, T), expected));
  EXPECT_EQ(prepared.config().toString(), expected.toString());
  ASSERT_EQ(prepared.bufferArgs(), (std::vector<uint32_t>{0, 1}));

  void *buffers[] = {csDevice.data(), second.data()};
  ASSERT_OK(prepared.launch(buffers, 2, nullptr));
  ASSERT_OK(synchronize(*device));
  std::vector<uint32_t> out(B * T * T);
  ASSERT_OK(second.download(out.data(), out.size() * 4));
  SegsumCheck check;
  checkSegsum(cs, out, B, T, check);
  EXPECT_TRUE(check.ok()) << check.describe();
  ASSERT_OK(first.download(out.data(), out.size() * 4));
  EXPECT_EQ(out, poison) << "the launch wrote the buffer it was prepared with";

  void *null[] = {nullptr, second.data()};
  Status status = prepared.launch(null, 2, nullptr);
  EXPECT_EQ(status.code(), StatusCode::InvalidArgument);
  EXPECT_NE(status.message().find("'cs'"), std::string::npos) << status.message();
  EXPECT_EQ(prepared.launch(buffers, 1, nullptr).code(), StatusCode::InvalidArgument);
  EXPECT_EQ(PreparedLaunch().launch(buffers, 2, nullptr).code(), StatusCode::InvalidArgument);
  result("prepared_launch_new_buffers", check.describe(), check.ok());
}

/// The driver calls a caller makes around ssdc's launches (streams, stream
/// capture) that the runtime itself does not need, from the library the
/// runtime loaded.
struct CallerDriver {
  cuda::CUresult (*streamCreate)(cuda::CUstream *, unsigned) = nullptr;
  cuda::CUresult (*streamDestroy)(cuda::CUstream) = nullptr;
  cuda::CUresult (*beginCapture)(cuda::CUstream, int) = nullptr;
  cuda::CUresult (*endCapture)(cuda::CUstream, cuda::CUgraph *) = nullptr;

  bool load() {
    void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_NOLOAD);
    if (library == nullptr)
      return false;
    streamCreate = reinterpret_cast<decltype(streamCreate)>(dlsym(library, "cuStreamCreate"));
    streamDestroy = reinterpret_cast<decltype(streamDestroy)>(dlsym(library, "cuStreamDestroy_v2"));
    beginCapture =
        reinterpret_cast<decltype(beginCapture)>(dlsym(library, "cuStreamBeginCapture_v2"));
    endCapture = reinterpret_cast<decltype(endCapture)>(dlsym(library, "cuStreamEndCapture"));
    return streamCreate && streamDestroy && beginCapture && endCapture;
  }
};

// A launch graph of two prepared launches runs both on each call's buffers,
// as one graph launch on the legacy stream, on a stream of its own and after
// new buffers (its nodes updated); one by one under a caller's stream capture
// (the caller's graph then holds the kernels) and with SSDC_LAUNCH_GRAPHS=0;
// it checks every address before enqueuing anything. Its host time per call
// against the two prepared launches one by one is measured (INFO).
TEST_F(GpuRuntime, LaunchGraphRunsEachCallsBuffers) {
  const int64_t B = 2, T = 100;
  std::shared_ptr<DeviceKernel> kernel;
  ASSERT_OK(openUntuned(kernel));
  const std::shared_ptr<Device> &device = kernel->device();
  const cuda::DriverApi &api = device->api();
  CallerDriver caller;
  ASSERT_TRUE(caller.load()) << "libcuda.so.1 lacks the stream or capture entry points";
  std::vector<float> cs = segsumInput(B, T);
  std::vector<uint32_t> poison(B * T * T, kPoison);
  DeviceBuffer csDevice, outs[4];
  ASSERT_OK(DeviceBuffer::fromHost(device, cs.data(), cs.size() * 4, csDevice));
  for (DeviceBuffer &out : outs)
    ASSERT_OK(DeviceBuffer::fromHost(device, poison.data(), poison.size() * 4, out));
  const uint32_t config = kernel->kernel().defaultConfig;
  auto makeGraph = [&](std::unique_ptr<LaunchGraph> &graph) {
    std::vector<PreparedLaunch> steps(2);
    for (PreparedLaunch &step : steps)
      ASSERT_OK(kernel->prepare(config, segsumArgs(csDevice.data(), outs[0].data(), B, T), step));
    graph = std::make_unique<LaunchGraph>(std::move(steps));
  };
  std::unique_ptr<LaunchGraph> graph;
  makeGraph(graph);
  ASSERT_EQ(graph->addressCount(), 4u);

  // Each output is poisoned again before the launch that should write it.
  std::vector<uint32_t> out(B * T * T);
  SegsumCheck check;
  int wrongWrites = 0;
  auto expectWritten = [&](int index) {
    ASSERT_OK(outs[index].download(out.data(), out.size() * 4));
    checkSegsum(cs, out, B, T, check);
  };
  auto expectPoisoned = [&](int index) {
    ASSERT_OK(outs[index].download(out.data(), out.size() * 4));
    wrongWrites += out != poison;
  };
  auto repoison = [&] {
    for (DeviceBuffer &buffer : outs)
      ASSERT_OK(buffer.upload(poison.data(), poison.size() * 4));
  };
  Device::ContextGuard guard(*device);
  ASSERT_OK(guard.status());
  cuda::CUstream stream = nullptr;
  ASSERT_EQ(caller.streamCreate(&stream, /*CU_STREAM_NON_BLOCKING*/ 1), cuda::CUDA_SUCCESS);
  auto drain = [&] {
    ASSERT_EQ(api.cuStreamSynchronize(stream), cuda::CUDA_SUCCESS);
    ASSERT_OK(synchronize(*device));
  };

  // First launch on the legacy stream, then new buffers, then another stream.
  bool asGraph = false;
  int graphLaunches = 0;
  const int pairs[3][2] = {{0, 1}, {2, 1}, {3, 0}};
  for (int call = 0; call < 3; ++call) {
    repoison();
    void *addresses[] = {csDevice.data(), outs[pairs[call][0]].data(), csDevice.data(),
                         outs[pairs[call][1]].data()};
    ASSERT_OK(graph->launch(addresses, 4, call == 2 ? stream : nullptr, &asGraph));
    graphLaunches += asGraph;
    drain();
    for (int index = 0; index < 4; ++index) {
      if (index == pairs[call][0] || index == pairs[call][1])
        expectWritten(index);
      else
        expectPoisoned(index);
    }
  }
  EXPECT_EQ(graphLaunches, 3);

  // Under the caller's capture the kernels go into the caller's graph.
  repoison();
  void *captured[] = {csDevice.data(), outs[1].data(), csDevice.data(), outs[2].data()};
  ASSERT_EQ(caller.beginCapture(stream, /*CU_STREAM_CAPTURE_MODE_RELAXED*/ 2), cuda::CUDA_SUCCESS);
  Status capturedStatus = graph->launch(captured, 4, stream, &asGraph);
  cuda::CUgraph callerGraph = nullptr;
  ASSERT_EQ(caller.endCapture(stream, &callerGraph), cuda::CUDA_SUCCESS);
  ASSERT_OK(capturedStatus);
  EXPECT_FALSE(asGraph) << "a launch under stream capture went as a graph launch of its own";
  drain();
  expectPoisoned(1); // capture enqueues nothing
  cuda::CUgraphExec callerExec = nullptr;
  ASSERT_EQ(api.cuGraphInstantiate(&callerExec, callerGraph, 0), cuda::CUDA_SUCCESS);
  ASSERT_EQ(api.cuGraphLaunch(callerExec, stream), cuda::CUDA_SUCCESS);
  drain();
  api.cuGraphExecDestroy(callerExec);
  api.cuGraphDestroy(callerGraph);
  expectWritten(1);
  expectWritten(2);

  // Bad addresses are refused before anything runs.
  repoison();
  void *withNull[] = {csDevice.data(), outs[0].data(), nullptr, outs[1].data()};
  Status status = graph->launch(withNull, 4, nullptr, &asGraph);
  EXPECT_EQ(status.code(), StatusCode::InvalidArgument);
  EXPECT_NE(status.message().find("'cs'"), std::string::npos) << status.message();
  EXPECT_EQ(graph->launch(captured, 3, nullptr).code(), StatusCode::InvalidArgument);
  drain();
  expectPoisoned(0);

  // SSDC_LAUNCH_GRAPHS=0: one by one, the same results.
  const char *saved = std::getenv("SSDC_LAUNCH_GRAPHS");
  std::string savedValue = saved ? saved : "";
  setenv("SSDC_LAUNCH_GRAPHS", "0", 1);
  std::unique_ptr<LaunchGraph> plain;
  makeGraph(plain);
  if (saved)
    setenv("SSDC_LAUNCH_GRAPHS", savedValue.c_str(), 1);
  else
    unsetenv("SSDC_LAUNCH_GRAPHS");
  repoison();
  ASSERT_OK(plain->launch(captured, 4, nullptr, &asGraph));
  EXPECT_FALSE(asGraph);
  drain();
  expectWritten(1);
  expectWritten(2);
  EXPECT_EQ(wrongWrites, 0) << "a launch wrote a buffer it was not given";
  result("launch_graph_each_calls_buffers",
         check.describe() + ",graph_launches=" + std::to_string(graphLaunches) +
             ",wrong_writes=" + std::to_string(wrongWrites),
         check.ok() && wrongWrites == 0 && graphLaunches == 3);

  // Host time: the batch method of LaunchOverhead, the graph against its two
  // steps launched one by one (plain), interleaved, medians.
  constexpr int kBatch = 100;
  Status timedStatus;
  auto timeBatch = [&](const LaunchGraph &launches) {
    api.cuStreamSynchronize(nullptr);
    Clock::time_point start = Clock::now();
    for (int i = 0; i < kBatch && timedStatus.ok(); ++i)
      timedStatus = launches.launch(captured, 4, nullptr);
    double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count() / kBatch;
    api.cuStreamSynchronize(nullptr);
    return us;
  };
  std::vector<double> graphTimes, plainTimes;
  for (int batch = 0; batch < 50; ++batch) {
    graphTimes.push_back(timeBatch(*graph));
    plainTimes.push_back(timeBatch(*plain));
  }
  ASSERT_OK(timedStatus);
  char value[120];
  std::snprintf(value, sizeof(value), "%.2f", median(graphTimes));
  result("host_us_per_2_launches_graph", value, true, true);
  std::snprintf(value, sizeof(value), "%.2f", median(plainTimes));
  result("host_us_per_2_launches_one_by_one", value, true, true);
  caller.streamDestroy(stream);
}

/// A caller's allocator for the C API: counts what it gives and takes back,
/// and gets its memory from the driver the runtime loaded.
struct CountingAllocator {
  const cuda::DriverApi *api = nullptr;
  int allocated = 0, freed = 0;

  static ssdc_status_t allocate(void *self, size_t bytes, void **out) {
    auto *allocator = static_cast<CountingAllocator *>(self);
    cuda::CUdeviceptr pointer = 0;
    if (allocator->api->cuMemAlloc(&pointer, bytes) != cuda::CUDA_SUCCESS)
      return nullptr; // leaves *out null: the runtime reports it
    ++allocator->allocated;
    *out = reinterpret_cast<void *>(pointer);
    return nullptr;
  }
  static void free(void *self, void *pointer) {
    auto *allocator = static_cast<CountingAllocator *>(self);
    ++allocator->freed;
    allocator->api->cuMemFree(reinterpret_cast<cuda::CUdeviceptr>(pointer));
  }
};

// The C API's device buffers round-trip data, from cuMemAlloc and from a
// caller's allocator, which gets back exactly what it gave.
TEST_F(GpuRuntime, CDeviceBuffersRoundTrip) {
  ssdc_device_options_t deviceOptions;
  ssdc_device_options_initialize(&deviceOptions);
  ssdc_device_t *device = nullptr;
  ASSERT_EQ(ssdc_device_open(&deviceOptions, &device), nullptr);
  CountingAllocator counting;
  ASSERT_OK(cuda::driver(counting.api));
  ssdc_device_buffer_options_t custom;
  ssdc_device_buffer_options_initialize(&custom);
  custom.allocator = {&counting, CountingAllocator::allocate, CountingAllocator::free};
  const ssdc_device_buffer_options_t *choices[] = {&custom, nullptr}; // nullptr: cuMemAlloc
  for (const ssdc_device_buffer_options_t *options : choices) {
    std::vector<int32_t> in(1000), out(1000, -1);
    for (int32_t i = 0; i < 1000; ++i)
      in[i] = i * 7;
    ssdc_device_buffer_t *buffer = nullptr;
    ASSERT_EQ(ssdc_device_buffer_create(device, in.size() * 4, options, &buffer), nullptr);
    EXPECT_EQ(ssdc_device_buffer_size(buffer), in.size() * 4);
    EXPECT_NE(ssdc_device_buffer_data(buffer), nullptr);
    EXPECT_EQ(ssdc_device_buffer_upload(buffer, 0, in.data(), in.size() * 4), nullptr);
    EXPECT_EQ(ssdc_device_buffer_download(buffer, 0, out.data(), out.size() * 4), nullptr);
    EXPECT_EQ(in, out);
    ssdc_status_t status = ssdc_device_buffer_download(buffer, 8, out.data(), in.size() * 4);
    EXPECT_EQ(ssdc_status_code(status), SSDC_STATUS_OUT_OF_RANGE);
    ssdc_status_free(status);
    ssdc_device_buffer_destroy(buffer);
  }
  EXPECT_EQ(counting.allocated, 1);
  EXPECT_EQ(counting.freed, 1);
  ssdc_device_release(device);
}

// A package for another chip is refused by ssdc_kernel_create with both
// chips named, before anything loads or launches (cuda::checkPackageChip);
// one for the device's own chip is accepted.
TEST_F(GpuRuntime, PackageForAnotherChipIsRefused) {
  std::shared_ptr<Device> opened;
  ASSERT_OK(Device::open(DeviceOptions(), opened));
  int major = opened->computeMajor(), minor = opened->computeMinor();
  ssdc_device_options_t deviceOptions;
  ssdc_device_options_initialize(&deviceOptions);
  ssdc_device_t *device = nullptr;
  ASSERT_EQ(ssdc_device_open(&deviceOptions, &device), nullptr);
  std::string own = cuda::chipName(major, minor);
  struct Case {
    std::string chip, error; // error empty: accepted
  } cases[] = {
      {own, ""},
      {cuda::chipName(major + 1, 0),
       "package compiled for " + cuda::chipName(major + 1, 0) + "; device is " + own},
      {cuda::chipName(major - 1, 0) + "a",
       "package compiled for " + cuda::chipName(major - 1, 0) + "a; device is " + own},
      {"sm_x", "package compiled for 'sm_x', which is not a chip name"},
  };
  for (const Case &c : cases) {
    pkg::Package package = selftestPackage();
    package.chip = c.chip;
    std::string bytes = pkg::writePackage(package);
    ssdc_package_t *loaded = nullptr;
    ASSERT_EQ(ssdc_package_load_bytes(bytes.data(), bytes.size(), &loaded), nullptr);
    ssdc_kernel_t *kernel = nullptr;
    ssdc_status_t status = ssdc_kernel_create(device, loaded, "segsum_exp", &kernel);
    std::string message = ssdc_status_message(status);
    bool pass = c.error.empty()
                    ? status == nullptr && kernel != nullptr
                    : ssdc_status_code(status) == SSDC_STATUS_INVALID_ARGUMENT &&
                          message.find(c.error) != std::string::npos && kernel == nullptr;
    result("another_chip_" + c.chip, status ? "refused" : "accepted", pass);
    if (!pass)
      ADD_FAILURE() << c.chip << ": " << message;
    ssdc_status_free(status);
    ssdc_kernel_release(kernel);
    ssdc_package_release(loaded);
  }
  ssdc_device_release(device);
}

} // namespace
