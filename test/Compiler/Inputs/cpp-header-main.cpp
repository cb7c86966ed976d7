// A program that calls segsum_exp through the header `ssdc compile
// --emit=cpp-header` generates (cpp-header-program.test): it plans launches
// without a device, lets the runtime reject an argument that compiles but is
// wrong at run time, then opens device 0 and launches. Without a CUDA driver
// the open fails with a status that the program prints; nothing crashes.
//
// With -DWRONG_ELEMENT_TYPE or -DREAD_ONLY_OUTPUT it must not compile.

#include "segsum_exp.h"

#include <cstdio>
#include <type_traits>

namespace {

void print(const char *what, const ssdc::Status &status,
           const ssdc::LaunchConfig *launch = nullptr) {
  if (!status.ok())
    std::printf("%s: %s\n", what, status.toString().c_str());
  else if (launch)
    std::printf("%s: %s\n", what, launch->toString().c_str());
  else
    std::printf("%s: ok\n", what);
}

// Device addresses are never dereferenced on the host, so made-up ones do for
// planning.
template <typename T> T *deviceAddress(uintptr_t address) { return reinterpret_cast<T *>(address); }

} // namespace

int main() {
  using namespace segsum_exp;
  static_assert(std::is_same<decltype(SegsumExpArgs::cs), ssdc::DeviceSpan<const float>>::value,
                "a read buffer is a span of const");
  static_assert(std::is_same<decltype(SegsumExpArgs::out), ssdc::DeviceSpan<float>>::value,
                "a write buffer is a span of non-const");
  static_assert(std::is_same<decltype(SegsumExpArgs::T), int64_t>::value, "an i64 is an int64_t");

  const int64_t B = 2, T = 200;
  float *cs = deviceAddress<float>(0x10000);
  float *out = deviceAddress<float>(0x20000);
  SegsumExpArgs args{{cs, B * T}, {out, B * T * T}, B, T};
  // A writable span is accepted where the kernel only reads.
  args.cs = ssdc::DeviceSpan<float>(cs, B * T);
#ifdef WRONG_ELEMENT_TYPE
  int64_t *ids = deviceAddress<int64_t>(0x30000);
  SegsumExpArgs wrongType{{ids, B * T}, {out, B * T * T}, B, T};
#endif
#ifdef READ_ONLY_OUTPUT
  SegsumExpArgs readOnlyOutput{args.cs, ssdc::DeviceSpan<const float>(cs, B * T), B, T};
#endif

  std::printf("configs: %zu, default %u\n",
              sizeof(kSegsumExpConfigs) / sizeof(kSegsumExpConfigs[0]), kSegsumExpDefaultConfig);
  for (const SegsumExpParams &params : kSegsumExpConfigs)
    std::printf("config BLOCK_M=%lld BLOCK_N=%lld num_warps=%lld\n",
                static_cast<long long>(params.BLOCK_M), static_cast<long long>(params.BLOCK_N),
                static_cast<long long>(params.num_warps));

  ssdc::LaunchConfig launch;
  print("plan", plan_segsum_exp(args, launch), &launch);
  print("plan config 1", plan_segsum_exp(args, launch, 1));

  SegsumExpArgs empty = args;
  empty.T = 0;
  ssdc::LaunchConfig emptyLaunch;
  print("plan T=0", plan_segsum_exp(empty, emptyLaunch), &emptyLaunch);
  std::printf("empty: %s\n", emptyLaunch.empty() ? "yes" : "no");

  // Compiles (the types are right) but the runtime's checks still apply.
  SegsumExpArgs nullOutput = args;
  nullOutput.out = ssdc::DeviceSpan<float>(nullptr, B * T * T);
  print("plan null out", plan_segsum_exp(nullOutput, launch));
  SegsumExpArgs negativeCount = args;
  negativeCount.cs = ssdc::DeviceSpan<const float>(cs, -1);
  print("plan negative count", plan_segsum_exp(negativeCount, launch));

  SegsumExpKernel unloaded;
  print("unloaded launch", unloaded.launch(args));

  std::shared_ptr<ssdc::Device> device;
  ssdc::Status status = ssdc::Device::open(ssdc::DeviceOptions(), device);
  print("open device", status);
  if (status.ok()) {
    print("launch", launch_segsum_exp(*device, args, /*stream=*/nullptr));
    SegsumExpKernel kernel;
    status = SegsumExpKernel::load(*device, kernel);
    print("load", status);
  }
  return 0;
}
