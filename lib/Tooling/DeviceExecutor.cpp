//===- DeviceExecutor.cpp - Runs `ssdc run`'s kernel on a GPU -------------===//

#include "ssdc/Tooling/DeviceExecutor.h"
#include "ssdc/Runtime/DeviceBuffer.h"
#include "ssdc/Runtime/Runtime.h"

#include <cstdio>

namespace ssdc::tooling {

namespace {

void printTimings(const pkg::Kernel &kernel, const TuningResult &result) {
  std::printf("%-40s %12s\n", "config", "time (ms)");
  for (const ConfigTiming &timing : result.timings) {
    std::string config = describeConfig(kernel, timing.configIndex);
    if (timing.pruned)
      std::printf("%-40s %12s\n", config.c_str(), "pruned");
    else if (!timing.error.empty())
      std::printf("%-40s %12s  %s\n", config.c_str(), "failed", timing.error.c_str());
    else
      std::printf("%-40s %12.4f%s\n", config.c_str(), timing.milliseconds,
                  timing.configIndex == result.configIndex ? "  <- chosen" : "");
  }
}

bool isWriteOnly(const pkg::Arg &arg) {
  return arg.kind == pkg::ArgKind::Buffer && arg.access == pkg::Access::Write;
}

} // namespace

Status DeviceExecutor::create(std::shared_ptr<const LoadedPackage> package,
                              const RunOptions &options, std::unique_ptr<DeviceExecutor> &out) {
  const pkg::Kernel *kernel = package->findKernel(options.kernel);
  if (kernel == nullptr) {
    std::string names;
    for (const pkg::Kernel &k : package->package().kernels)
      names += (names.empty() ? "" : ", ") + k.name;
    return notFound("the package has no kernel '" + options.kernel + "' (it has: " + names + ")");
  }
  std::unique_ptr<DeviceExecutor> executor(new DeviceExecutor());
  if (!options.config.empty()) {
    uint32_t index = 0;
    SSDC_RETURN_IF_ERROR(findConfig(*kernel, options.config, index));
    executor->config_ = index;
  }
  executor->package_ = std::move(package);
  executor->kernel_ = kernel;
  executor->options_ = &options;
  out = std::move(executor);
  return okStatus();
}

Status DeviceExecutor::grid(const std::vector<int64_t> &ints, std::vector<int64_t> &out) {
  // Timing every config: the default config's grid stands for them (a grid
  // axis that is not positive comes from the integers, not the config).
  BoundArgs bound;
  bound.ints = ints;
  LaunchConfig launch;
  SSDC_RETURN_IF_ERROR(
      computeLaunchConfig(*kernel_, config_.value_or(kernel_->defaultConfig), bound, launch));
  out.assign(launch.grid, launch.grid + kernel_->grid.size());
  return okStatus();
}

Status DeviceExecutor::run(HostArgs &host) {
  const pkg::Kernel &described = *kernel_;
  const bool tune = options_->form == RunForm::Tune;
  DeviceOptions deviceOptions;
  deviceOptions.ordinal = options_->device;
  // `run` measures and reports only; `tune` is what fills the cache.
  if (!tune)
    deviceOptions.tuning.cacheDirectory.clear();
  std::shared_ptr<Device> device;
  std::shared_ptr<DeviceKernel> kernel;
  SSDC_RETURN_IF_ERROR(Device::open(deviceOptions, device));
  SSDC_RETURN_IF_ERROR(device->kernel(package_, described.name, kernel));
  std::vector<DeviceBuffer> buffers(described.args.size());
  KernelArgs args;
  for (size_t index = 0; index < described.args.size(); ++index) {
    const pkg::Arg &arg = described.args[index];
    if (arg.kind == pkg::ArgKind::Int) {
      args.set(arg.name, ArgValue::scalar(host.ints[index]));
      continue;
    }
    if (arg.kind == pkg::ArgKind::Float) {
      args.set(arg.name, ArgValue::floatScalar(host.floats[index]));
      continue;
    }
    const HostBuffer &buffer = *host.buffers[index];
    SSDC_RETURN_IF_ERROR(
        DeviceBuffer::fromHost(device, buffer.data(), buffer.byteSize(), buffers[index]));
    args.set(arg.name, ArgValue::buffer(buffers[index].data(), static_cast<uint64_t>(buffer.size()),
                                        arg.type));
  }
  std::printf("kernel %s on %s (%s)\n", described.name.c_str(), device->name().c_str(),
              device->chip().c_str());

  uint32_t configIndex = 0;
  if (config_) {
    configIndex = *config_;
    std::printf("config: %s\n", describeConfig(described, configIndex).c_str());
  } else {
    TuningResult result;
    SSDC_RETURN_IF_ERROR(kernel->tune(args, nullptr, result, /*force=*/true));
    printTimings(described, result);
    configIndex = result.configIndex;
    std::printf("chosen: %s\n", describeConfig(described, configIndex).c_str());
    if (tune) {
      const std::string &directory = deviceOptions.tuning.cacheDirectory;
      std::printf("cache: %s\n",
                  directory.empty() ? "none (no cache directory is set)" : directory.c_str());
      return okStatus();
    }
    // The timed runs wrote the write-only buffers; the launch whose results
    // are read starts from NaN again, so that what it leaves unwritten shows.
    for (size_t index = 0; index < described.args.size(); ++index)
      if (isWriteOnly(described.args[index]))
        SSDC_RETURN_IF_ERROR(
            buffers[index].upload(host.buffers[index]->data(), host.buffers[index]->byteSize()));
  }
  LaunchReport report;
  SSDC_RETURN_IF_ERROR(kernel->launchWithConfig(configIndex, args, nullptr, &report));
  {
    Device::ContextGuard guard(*device);
    SSDC_RETURN_IF_ERROR(guard.status());
    SSDC_RETURN_IF_ERROR(cuda::driverStatus(
        device->api(), device->api().cuStreamSynchronize(nullptr), "cuStreamSynchronize"));
  }
  std::printf("launched: %s\n", report.launch.toString().c_str());
  for (size_t index = 0; index < described.args.size(); ++index) {
    const pkg::Arg &arg = described.args[index];
    if (arg.kind == pkg::ArgKind::Buffer && arg.access != pkg::Access::Read)
      SSDC_RETURN_IF_ERROR(
          buffers[index].download(host.buffers[index]->data(), host.buffers[index]->byteSize()));
  }
  return okStatus();
}

} // namespace ssdc::tooling
