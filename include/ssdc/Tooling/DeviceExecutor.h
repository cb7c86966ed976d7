//===- DeviceExecutor.h - Runs `ssdc run`'s kernel on a GPU -----*- C++ -*-===//
//
// The executor of `ssdc run PACKAGE`, `ssdc tune PACKAGE` and `ssdc run
// KERNEL.mlir --target=cuda`: uploads the host arguments into DeviceBuffers,
// then launches the named config once, or times every config and launches
// the fastest (tune: fills the tuning cache instead), and downloads what the
// kernel wrote.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_TOOLING_DEVICEEXECUTOR_H
#define SSDC_TOOLING_DEVICEEXECUTOR_H

#include "ssdc/Tooling/RunCommand.h"

namespace ssdc::tooling {

class DeviceExecutor : public Executor {
public:
  /// The executor of `options.kernel` of `package`; a kernel or --config the
  /// package lacks is an error (a usage error: nothing has run).
  static Status create(std::shared_ptr<const LoadedPackage> package, const RunOptions &options,
                       std::unique_ptr<DeviceExecutor> &out);

  const pkg::Kernel &kernel() const { return *kernel_; }
  Status grid(const std::vector<int64_t> &ints, std::vector<int64_t> &out) override;
  Status run(HostArgs &host) override;

private:
  DeviceExecutor() = default;

  std::shared_ptr<const LoadedPackage> package_;
  const pkg::Kernel *kernel_ = nullptr;
  const RunOptions *options_ = nullptr;
  /// The config to launch; none: time every config.
  std::optional<uint32_t> config_;
};

} // namespace ssdc::tooling

#endif // SSDC_TOOLING_DEVICEEXECUTOR_H
