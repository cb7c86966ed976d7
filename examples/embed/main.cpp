//===- main.cpp - Embedding the ssdc runtime ------------------------------===//
//
// Loads a kernel package, runs its segsum_exp kernel on device 0 and checks a
// few outputs against exp(cs[i] - cs[j]):
//
//   ssdc-embed-example segsum.ssdcpkg [B T]
//
// Device memory is the runtime's DeviceBuffer (the driver is dlopened), so this
// program, like an inference engine embedding the runtime, links nothing CUDA.
//
//===----------------------------------------------------------------------===//

#include "ssdc/Runtime/DeviceBuffer.h"
#include "ssdc/Runtime/Runtime.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace {

int fail(const ssdc::Status &status) {
  std::fprintf(stderr, "ssdc-embed-example: %s\n", status.toString().c_str());
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  using namespace ssdc;
  if (argc != 2 && argc != 4) {
    std::fprintf(stderr, "usage: %s PACKAGE [B T]\n", argv[0]);
    return 2;
  }
  const int64_t B = argc == 4 ? std::atoll(argv[2]) : 2;
  const int64_t T = argc == 4 ? std::atoll(argv[3]) : 256;
  if (B <= 0 || T <= 0) {
    std::fprintf(stderr, "B and T must be positive\n");
    return 2;
  }

  std::shared_ptr<const LoadedPackage> package;
  std::shared_ptr<Device> device;
  std::shared_ptr<DeviceKernel> kernel;
  Status status = LoadedPackage::fromFile(argv[1], package);
  if (status.ok())
    status = Device::open(DeviceOptions(), device);
  if (status.ok())
    status = device->kernel(package, "segsum_exp", kernel);
  if (!status.ok())
    return fail(status);
  std::printf("device %d: %s (%s)\n", device->ordinal(), device->name().c_str(),
              device->chip().c_str());

  std::vector<float> cs(B * T);
  for (int64_t i = 0; i < B * T; ++i)
    cs[i] = -0.01f * static_cast<float>(i % T); // a decaying cumsum
  const uint64_t outCount = static_cast<uint64_t>(B) * T * T;
  DeviceBuffer csDevice, outDevice;
  status = DeviceBuffer::fromHost(device, cs.data(), cs.size() * sizeof(float), csDevice);
  if (status.ok())
    status = DeviceBuffer::allocate(device, outCount * sizeof(float), outDevice);

  // The launch: typed arguments by name, checked against the signature; the
  // grid comes from the kernel's own grid expression.
  KernelArgs args;
  args.set("cs", ArgValue::buffer(csDevice.data<float>(), B * T))
      .set("out", ArgValue::buffer(outDevice.data<float>(), outCount))
      .set("B", ArgValue::scalar(B))
      .set("T", ArgValue::scalar(T));
  LaunchReport report;
  if (status.ok())
    status = kernel->launch(args, /*stream=*/nullptr, &report);
  std::vector<float> out(outCount);
  if (status.ok())
    status = outDevice.download(out.data(), outCount * sizeof(float));
  if (!status.ok())
    return fail(status);
  std::printf("config %s (%s), %s\n", describeConfig(kernel->kernel(), report.configIndex).c_str(),
              configSourceName(report.source), report.launch.toString().c_str());

  double worst = 0;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t i = 0; i < T; i += T / 7 + 1)
      for (int64_t j = 0; j < T; j += T / 5 + 1) {
        double expected = j <= i ? std::exp(double(cs[b * T + i]) - double(cs[b * T + j])) : 0.0;
        double got = out[(b * T + i) * T + j];
        worst = std::max(worst, std::fabs(got - expected) / std::max(std::fabs(expected), 1e-30));
      }
  std::printf("max relative error on sampled outputs: %.3g\n", worst);
  return worst <= 1e-5 ? 0 : 1;
}
