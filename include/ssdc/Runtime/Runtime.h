//===- Runtime.h - Loading packages and launching kernels on devices ------===//
//
// The runtime's main API:
//
//   std::shared_ptr<const LoadedPackage> package;
//   SSDC_RETURN_IF_ERROR(LoadedPackage::fromFile("segsum.ssdcpkg", package));
//   std::shared_ptr<Device> device;
//   SSDC_RETURN_IF_ERROR(Device::open(DeviceOptions(), device));
//   std::shared_ptr<DeviceKernel> kernel;
//   SSDC_RETURN_IF_ERROR(device->kernel(package, "segsum_exp", kernel));
//   KernelArgs args;
//   args.set("cs", ArgValue::buffer(cs, B * T)).set("out", ...)
//       .set("B", ArgValue::scalar(B)).set("T", ArgValue::scalar(T));
//   SSDC_RETURN_IF_ERROR(kernel->launch(args, stream));
//
// Thread safety: LoadedPackage is immutable and may be shared freely. Device
// and DeviceKernel may be used from several threads at once; a first launch
// for a new key tunes while other threads wait for that key's choice.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_RUNTIME_RUNTIME_H
#define SSDC_RUNTIME_RUNTIME_H

#include "ssdc/Runtime/Driver.h"
#include "ssdc/Runtime/Launch.h"
#include "ssdc/Runtime/Package.h"
#include "ssdc/Runtime/Status.h"
#include "ssdc/Runtime/Tuner.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace ssdc {

/// A package read and validated once, with the hash of its bytes.
class LoadedPackage {
public:
  static Status fromBytes(const void *bytes, size_t size,
                          std::shared_ptr<const LoadedPackage> &out);
  static Status fromFile(const std::string &path, std::shared_ptr<const LoadedPackage> &out);

  const pkg::Package &package() const { return package_; }
  uint64_t hash() const { return hash_; }
  /// The kernel named `name`, or nullptr.
  const pkg::Kernel *findKernel(const std::string &name) const;

private:
  pkg::Package package_;
  uint64_t hash_ = 0;
};

struct DeviceOptions {
  int ordinal = 0;
  TuningOptions tuning = TuningOptions::fromEnvironment();
};

class DeviceKernel;

/// One CUDA device, used through its primary context (what the CUDA runtime
/// and PyTorch use, so pointers and streams are shared with them). Several
/// devices may be open in one process. Loaded modules are cached per
/// (package hash, kernel, config) and unloaded with the device.
class Device : public std::enable_shared_from_this<Device> {
public:
  /// Loads the driver on first use; no driver or no such device is an
  /// Unavailable / NotFound status.
  static Status open(const DeviceOptions &options, std::shared_ptr<Device> &out);
  static Status count(int &out);
  ~Device();
  Device(const Device &) = delete;
  Device &operator=(const Device &) = delete;

  int ordinal() const { return ordinal_; }
  const std::string &name() const { return name_; }
  int computeMajor() const { return major_; }
  int computeMinor() const { return minor_; }
  /// "sm_90" etc.
  std::string chip() const { return cuda::chipName(major_, minor_); }
  /// Name and chip: what tuning results are keyed by.
  std::string identity() const { return name_ + " " + chip(); }
  const GridLimits &gridLimits() const { return limits_; }
  const TuningOptions &tuningOptions() const { return tuning_; }
  const cuda::DriverApi &api() const { return *api_; }

  /// The kernel `name` of `package` on this device; modules load lazily.
  Status kernel(std::shared_ptr<const LoadedPackage> package, const std::string &name,
                std::shared_ptr<DeviceKernel> &out);

  /// Makes the primary context current on this thread for the guard's life
  /// (a no-op when it already is).
  class ContextGuard {
  public:
    explicit ContextGuard(const Device &device);
    ~ContextGuard();
    const Status &status() const { return status_; }

  private:
    const Device &device_;
    bool pushed_ = false;
    Status status_;
  };

  /// Loads (once) the module of one config and returns its entry function.
  /// Picks the config's cubin when it was built for this device's chip, else
  /// JITs the PTX. `fromCubin` says which one it was.
  Status function(const LoadedPackage &package, uint32_t kernelIndex, uint32_t configIndex,
                  cuda::CUfunction &out, bool *fromCubin = nullptr);

private:
  Device() = default;
  Status loadModule(const pkg::Kernel &kernel, const pkg::Config &config, cuda::CUmodule &module,
                    bool &fromCubin);

  const cuda::DriverApi *api_ = nullptr;
  int ordinal_ = 0;
  cuda::CUdevice device_ = 0;
  cuda::CUcontext context_ = nullptr;
  std::string name_;
  int major_ = 0, minor_ = 0;
  int maxSharedOptin_ = 48 * 1024;
  GridLimits limits_;
  TuningOptions tuning_;

  struct LoadedModule {
    cuda::CUmodule module = nullptr;
    cuda::CUfunction function = nullptr;
    bool fromCubin = false;
  };
  std::mutex modulesMutex_;
  // Keyed by (package hash, kernel index, config index).
  std::map<std::tuple<uint64_t, uint32_t, uint32_t>, LoadedModule> modules_;
};

/// What a launch did.
struct LaunchReport {
  uint32_t configIndex = 0;
  ConfigSource source = ConfigSource::Default;
  LaunchConfig launch;
  bool launched = false; // false for an empty grid
};

/// One launch checked once and enqueued many times (DeviceKernel::prepare):
/// the arguments bound and checked, the grid evaluated and checked against
/// the device's limits, the module loaded and the parameters packed when it
/// is made, so that launch() only writes the buffer addresses of the call
/// into a copy of the parameters and calls cuLaunchKernel. For callers that
/// repeat one problem with new buffers (a framework's fresh output tensor
/// each call): the SSD forward keeps one per launch of a plan. It keeps its
/// device and package alive; launch() may run from several threads at once.
class PreparedLaunch {
public:
  PreparedLaunch() = default;

  uint32_t configIndex() const { return configIndex_; }
  const LaunchConfig &config() const { return config_; }
  /// The signature indices of the kernel's buffer arguments, in signature
  /// order: what launch()'s `addresses` follow.
  const std::vector<uint32_t> &bufferArgs() const { return bufferArgs_; }

  /// Enqueues the launch on `stream` (a CUstream; nullptr is the legacy
  /// default stream) with `addresses[j]` for buffer bufferArgs()[j]; `count`
  /// must be bufferArgs().size(). Each buffer must hold the element count it
  /// was prepared with; a null address for a buffer with elements is an
  /// InvalidArgument naming the argument, as in bindArgs. An empty grid
  /// enqueues nothing. A default-constructed one is an InvalidArgument.
  Status launch(void *const *addresses, size_t count, void *stream) const;

private:
  friend class DeviceKernel;
  friend class LaunchGraph;
  /// The kernel parameters of a launch with `addresses` (checked as launch()
  /// says) in `slots`, one per argument.
  Status fillSlots(void *const *addresses, size_t count, uint64_t *slots) const;
  /// Enqueues the launch with the filled `slots` (nothing for an empty grid).
  Status enqueueSlots(uint64_t *slots, void *stream) const;

  std::shared_ptr<Device> device_;
  std::shared_ptr<const LoadedPackage> package_; // keeps kernel_ valid
  const pkg::Kernel *kernel_ = nullptr;
  uint32_t configIndex_ = 0;
  LaunchConfig config_;
  cuda::CUfunction function_ = nullptr;
  std::vector<uint64_t> slots_; // one per argument, as the device entry takes them
  std::vector<uint32_t> bufferArgs_;
  std::vector<uint64_t> bufferCounts_; // elements, by bufferArgs_ entry
};

/// A fixed sequence of PreparedLaunches of one device enqueued as one CUDA
/// graph launch: cuGraphLaunch takes about 2 us of host time for the whole
/// sequence where each cuLaunchKernel takes 3.5-4.6 us on the H200 machine
/// (bench/launch/graph_launch.cu, bench/results/2026-12-02-h200-graph-launch.txt),
/// and a forward is two to four launches. Each stream gets its own graph (a
/// graph's launches are ordered behind its earlier ones, which would order
/// work on different streams); a launch whose buffers differ from the
/// previous one on that stream updates the changed nodes' parameters first
/// (cuGraphExecKernelNodeSetParams, about 0.6 us a node). The launches are
/// enqueued one by one instead, with the same effect, on a stream that is
/// being captured (so that the caller's graph holds the kernels), past
/// kMaxStreams streams, while another thread is enqueuing the sequence, when
/// a graph cannot be made, and always with SSDC_LAUNCH_GRAPHS=0 in the
/// environment. Safe to call from several threads at once.
class LaunchGraph {
public:
  static constexpr size_t kMaxStreams = 8;

  explicit LaunchGraph(std::vector<PreparedLaunch> steps);
  ~LaunchGraph();
  LaunchGraph(const LaunchGraph &) = delete;
  LaunchGraph &operator=(const LaunchGraph &) = delete;

  const std::vector<PreparedLaunch> &steps() const { return steps_; }
  /// The buffer addresses launch() takes: steps()[i].bufferArgs().size() of
  /// them for each step, the steps' one after another.
  size_t addressCount() const { return addressCount_; }

  /// Enqueues every step on `stream` (a CUstream; null: the legacy stream)
  /// with `addresses` (addressCount() of them); the checks and errors are
  /// PreparedLaunch::launch()'s, made before anything is enqueued.
  /// `asGraph`, when given, says whether it went as one graph launch.
  Status launch(void *const *addresses, size_t count, void *stream, bool *asGraph = nullptr) const;

private:
  struct StreamGraph;
  /// The steps one by one, with their filled `slots` (flat).
  Status launchEach(uint64_t *slots, void *stream) const;
  /// The graph of `stream`, its nodes given `slots` (all steps', flat).
  Status makeGraph(void *stream, const uint64_t *slots, StreamGraph &out) const;
  /// Updates the nodes of `graph` whose slots differ from `slots`.
  Status updateGraph(const uint64_t *slots, StreamGraph &graph) const;
  void destroyGraph(StreamGraph &graph) const;
  /// Step `step`'s node parameters, pointing into `pointers` (to `slots`).
  cuda::KernelNodeParams nodeParams(size_t step, uint64_t *slots, void **pointers) const;

  std::vector<PreparedLaunch> steps_;
  std::vector<size_t> slotOffsets_; // where each step's slots start, flat; then the total
  size_t addressCount_ = 0;
  bool enabled_ = false;
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<StreamGraph>> graphs_;
};

/// A kernel of a package on a device: checks arguments, picks the config
/// (tuning on the first launch of a new key) and launches.
class DeviceKernel {
public:
  const pkg::Kernel &kernel() const { return *kernel_; }
  const std::shared_ptr<Device> &device() const { return device_; }

  /// Binds and checks `args`, chooses the config and launches it on `stream`
  /// (a CUstream; nullptr is the legacy default stream). An empty grid
  /// returns success without launching or tuning.
  Status launch(const KernelArgs &args, void *stream, LaunchReport *report = nullptr);

  /// Launches config `configIndex` without consulting the tuner.
  Status launchWithConfig(uint32_t configIndex, const KernelArgs &args, void *stream,
                          LaunchReport *report = nullptr);

  /// The launch config that `args` would use with config `configIndex`.
  Status plan(uint32_t configIndex, const KernelArgs &args, LaunchConfig &out) const;

  /// Checks `args` with config `configIndex` as launchWithConfig() would
  /// (binding, grid and its limits, the module loaded) and packs them into
  /// `out`, whose launches then skip all of it.
  Status prepare(uint32_t configIndex, const KernelArgs &args, PreparedLaunch &out);

  /// Chooses the config for `args` as a launch would, tuning if needed; with
  /// `force`, tunes again whatever the cache or memory holds.
  Status tune(const KernelArgs &args, void *stream, TuningResult &result, bool force = false);

  /// The CUfunction of config `configIndex` (loading it if needed), e.g. to
  /// compare with a raw cuLaunchKernel.
  Status function(uint32_t configIndex, cuda::CUfunction &out, bool *fromCubin = nullptr);

private:
  friend class Device;
  friend class DeviceTuningLauncher;
  DeviceKernel(std::shared_ptr<Device> device, std::shared_ptr<const LoadedPackage> package,
               uint32_t kernelIndex);
  Status chooseConfig(const BoundArgs &args, void *stream, TuningResult &result, bool force);
  /// The remembered choice for `args`' key values; call with mutex_ held.
  bool findChoice(const BoundArgs &args, uint64_t keyHash, TuningResult &result) const;
  Status launchBound(uint32_t configIndex, const BoundArgs &args, void *stream,
                     LaunchConfig *launchOut);

  std::shared_ptr<Device> device_;
  std::shared_ptr<const LoadedPackage> package_;
  uint32_t kernelIndex_;
  const pkg::Kernel *kernel_;

  struct Choice {
    std::vector<int64_t> key;
    uint32_t configIndex;
    ConfigSource source;
  };
  std::mutex mutex_; // guards chosen_ and functions_
  // By a hash of the key values, so that a launch finds its choice without
  // building a key (no allocation on the launch path).
  std::unordered_map<uint64_t, std::vector<Choice>> chosen_;
  std::vector<cuda::CUfunction> functions_; // by config
  std::mutex tuningMutex_;                  // one tuning at a time per kernel
};

} // namespace ssdc

#endif // SSDC_RUNTIME_RUNTIME_H
