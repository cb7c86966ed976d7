//===- Runtime.cpp - Loading packages and launching kernels on devices ----===//

#include "ssdc/Runtime/Runtime.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ssdc {

using namespace cuda;

//===----------------------------------------------------------------------===//
// LoadedPackage
//===----------------------------------------------------------------------===//

Status LoadedPackage::fromBytes(const void *bytes, size_t size,
                                std::shared_ptr<const LoadedPackage> &out) {
  auto loaded = std::shared_ptr<LoadedPackage>(new LoadedPackage());
  SSDC_RETURN_IF_ERROR(pkg::readPackage(bytes, size, loaded->package_));
  loaded->hash_ = pkg::hashBytes(bytes, size);
  out = std::move(loaded);
  return okStatus();
}

Status LoadedPackage::fromFile(const std::string &path, std::shared_ptr<const LoadedPackage> &out) {
  // POSIX reads rather than iostreams: a directory or a read error becomes a
  // status, where std::istreambuf_iterator would throw out of the API.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return notFound("cannot open package " + path + ": " + std::strerror(errno));
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return invalidArgument("package " + path + " is not a regular file");
  }
  std::string bytes(static_cast<size_t>(info.st_size), '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t got = ::read(fd, &bytes[done], bytes.size() - done);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      ::close(fd);
      return dataLoss("cannot read package " + path +
                      (got < 0 ? std::string(": ") + std::strerror(errno) : ": it shrank"));
    }
    done += static_cast<size_t>(got);
  }
  ::close(fd);
  return fromBytes(bytes.data(), bytes.size(), out).withContext(path);
}

const pkg::Kernel *LoadedPackage::findKernel(const std::string &name) const {
  for (const pkg::Kernel &kernel : package_.kernels)
    if (kernel.name == name)
      return &kernel;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Device
//===----------------------------------------------------------------------===//

Status Device::count(int &out) {
  out = 0;
  const DriverApi *api = nullptr;
  SSDC_RETURN_IF_ERROR(driver(api));
  return driverStatus(*api, api->cuDeviceGetCount(&out), "cuDeviceGetCount");
}

Status Device::open(const DeviceOptions &options, std::shared_ptr<Device> &out) {
  const DriverApi *api = nullptr;
  SSDC_RETURN_IF_ERROR(driver(api));
  int count = 0;
  SSDC_RETURN_IF_ERROR(driverStatus(*api, api->cuDeviceGetCount(&count), "cuDeviceGetCount"));
  if (options.ordinal < 0 || options.ordinal >= count)
    return notFound("no CUDA device " + std::to_string(options.ordinal) + " (" +
                    std::to_string(count) + " present)");
  std::shared_ptr<Device> device(new Device());
  device->api_ = api;
  device->ordinal_ = options.ordinal;
  device->tuning_ = options.tuning;
  SSDC_RETURN_IF_ERROR(
      driverStatus(*api, api->cuDeviceGet(&device->device_, options.ordinal), "cuDeviceGet"));
  char name[256] = {};
  SSDC_RETURN_IF_ERROR(driverStatus(
      *api, api->cuDeviceGetName(name, sizeof(name) - 1, device->device_), "cuDeviceGetName"));
  device->name_ = name;
  struct {
    int attribute;
    int *value;
  } attributes[] = {
      {CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, &device->major_},
      {CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, &device->minor_},
      {CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, &device->maxSharedOptin_},
  };
  for (auto &[attribute, value] : attributes)
    SSDC_RETURN_IF_ERROR(driverStatus(*api,
                                      api->cuDeviceGetAttribute(value, attribute, device->device_),
                                      "cuDeviceGetAttribute"));
  int grid[3] = {};
  const int gridAttributes[3] = {CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X,
                                 CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y,
                                 CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z};
  for (int d = 0; d < 3; ++d)
    SSDC_RETURN_IF_ERROR(
        driverStatus(*api, api->cuDeviceGetAttribute(&grid[d], gridAttributes[d], device->device_),
                     "cuDeviceGetAttribute"));
  device->limits_.maxX = static_cast<uint64_t>(grid[0]);
  device->limits_.maxY = static_cast<uint64_t>(grid[1]);
  device->limits_.maxZ = static_cast<uint64_t>(grid[2]);
  SSDC_RETURN_IF_ERROR(
      driverStatus(*api, api->cuDevicePrimaryCtxRetain(&device->context_, device->device_),
                   "cuDevicePrimaryCtxRetain"));
  out = std::move(device);
  return okStatus();
}

Device::~Device() {
  if (context_ == nullptr)
    return;
  {
    ContextGuard guard(*this);
    if (guard.status().ok())
      for (auto &entry : modules_)
        api_->cuModuleUnload(entry.second.module);
  }
  api_->cuDevicePrimaryCtxRelease(device_);
}

Device::ContextGuard::ContextGuard(const Device &device) : device_(device) {
  const DriverApi &api = *device.api_;
  CUcontext current = nullptr;
  status_ = driverStatus(api, api.cuCtxGetCurrent(&current), "cuCtxGetCurrent");
  if (!status_.ok() || current == device.context_)
    return;
  status_ = driverStatus(api, api.cuCtxPushCurrent(device.context_), "cuCtxPushCurrent");
  pushed_ = status_.ok();
}

Device::ContextGuard::~ContextGuard() {
  if (pushed_) {
    CUcontext popped = nullptr;
    device_.api_->cuCtxPopCurrent(&popped);
  }
}

Status Device::kernel(std::shared_ptr<const LoadedPackage> package, const std::string &name,
                      std::shared_ptr<DeviceKernel> &out) {
  if (!package)
    return invalidArgument("no package");
  // Before anything is loaded or launched: a package for another chip fails
  // here with both chips named, not as a JIT error at the first launch.
  SSDC_RETURN_IF_ERROR(checkPackageChip(package->package().chip, major_, minor_));
  const pkg::Kernel *kernel = package->findKernel(name);
  if (kernel == nullptr) {
    std::string names;
    for (const pkg::Kernel &k : package->package().kernels)
      names += (names.empty() ? "" : ", ") + k.name;
    return notFound("the package has no kernel '" + name + "' (it has: " + names + ")");
  }
  uint32_t index = static_cast<uint32_t>(kernel - &package->package().kernels[0]);
  out.reset(new DeviceKernel(shared_from_this(), std::move(package), index));
  return okStatus();
}

Status Device::loadModule(const pkg::Kernel &kernel, const pkg::Config &config, CUmodule &module,
                          bool &fromCubin) {
  fromCubin = false;
  Status cubinStatus;
  if (cubinRunsOn(config.cubinChip, major_, minor_)) {
    cubinStatus = driverStatus(
        *api_, api_->cuModuleLoadDataEx(&module, config.cubin.data(), 0, nullptr, nullptr),
        "cuModuleLoadDataEx (cubin)");
    if (cubinStatus.ok()) {
      fromCubin = true;
      return okStatus();
    }
  }
  // The driver JITs the PTX; its error log says what it disliked.
  char errorLog[8192] = {};
  int options[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *values[] = {errorLog, reinterpret_cast<void *>(sizeof(errorLog) - 1)};
  Status status =
      driverStatus(*api_, api_->cuModuleLoadDataEx(&module, config.ptx.c_str(), 2, options, values),
                   "cuModuleLoadDataEx (PTX JIT)");
  if (status.ok())
    return status;
  std::string detail = "kernel '" + kernel.name + "' entry " + config.entry + " on " + chip();
  if (errorLog[0] != '\0')
    detail += ": JIT log: " + std::string(errorLog);
  if (!cubinStatus.ok())
    detail += "; the cubin failed too: " + cubinStatus.toString();
  return status.withContext(detail);
}

Status Device::function(const LoadedPackage &package, uint32_t kernelIndex, uint32_t configIndex,
                        CUfunction &out, bool *fromCubin) {
  if (kernelIndex >= package.package().kernels.size() ||
      configIndex >= package.package().kernels[kernelIndex].configs.size())
    return notFound("no kernel " + std::to_string(kernelIndex) + " config " +
                    std::to_string(configIndex));
  std::lock_guard<std::mutex> lock(modulesMutex_);
  auto key = std::make_tuple(package.hash(), kernelIndex, configIndex);
  auto found = modules_.find(key);
  if (found == modules_.end()) {
    const pkg::Kernel &kernel = package.package().kernels[kernelIndex];
    const pkg::Config &config = kernel.configs[configIndex];
    if (config.sharedBytes > static_cast<uint32_t>(maxSharedOptin_))
      return outOfRange("config " + describeConfig(kernel, configIndex) + " of kernel '" +
                        kernel.name + "' needs " + std::to_string(config.sharedBytes) +
                        " bytes of shared memory; " + name_ + " allows " +
                        std::to_string(maxSharedOptin_));
    ContextGuard guard(*this);
    SSDC_RETURN_IF_ERROR(guard.status());
    LoadedModule loaded;
    SSDC_RETURN_IF_ERROR(loadModule(kernel, config, loaded.module, loaded.fromCubin));
    Status status = driverStatus(
        *api_, api_->cuModuleGetFunction(&loaded.function, loaded.module, config.entry.c_str()),
        "cuModuleGetFunction");
    // Above 48 KB, dynamic shared memory must be opted into per function.
    if (status.ok() && config.sharedBytes > 48 * 1024)
      status = driverStatus(
          *api_,
          api_->cuFuncSetAttribute(loaded.function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                                   static_cast<int>(config.sharedBytes)),
          "cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES)");
    if (!status.ok()) {
      api_->cuModuleUnload(loaded.module);
      return status.withContext("kernel '" + kernel.name + "' entry " + config.entry);
    }
    found = modules_.emplace(key, loaded).first;
  }
  out = found->second.function;
  if (fromCubin)
    *fromCubin = found->second.fromCubin;
  return okStatus();
}

//===----------------------------------------------------------------------===//
// DeviceKernel
//===----------------------------------------------------------------------===//

/// Runs and times configs of a DeviceKernel for the tuner.
class DeviceTuningLauncher : public TuningLauncher {
public:
  explicit DeviceTuningLauncher(DeviceKernel &kernel)
      : kernel_(kernel), api_(kernel.device_->api()) {}
  ~DeviceTuningLauncher() override {
    if (start_ == nullptr && stop_ == nullptr)
      return;
    Device::ContextGuard guard(*kernel_.device_);
    if (start_)
      api_.cuEventDestroy(start_);
    if (stop_)
      api_.cuEventDestroy(stop_);
  }

  Status run(uint32_t configIndex, const BoundArgs &args, void *stream) override {
    return kernel_.launchBound(configIndex, args, stream, nullptr);
  }
  Status time(uint32_t configIndex, const BoundArgs &args, void *stream,
              float &milliseconds) override {
    Device::ContextGuard guard(*kernel_.device_);
    SSDC_RETURN_IF_ERROR(guard.status());
    if (start_ == nullptr) {
      SSDC_RETURN_IF_ERROR(driverStatus(api_, api_.cuEventCreate(&start_, 0), "cuEventCreate"));
      SSDC_RETURN_IF_ERROR(driverStatus(api_, api_.cuEventCreate(&stop_, 0), "cuEventCreate"));
    }
    CUstream cuStream = static_cast<CUstream>(stream);
    SSDC_RETURN_IF_ERROR(driverStatus(api_, api_.cuEventRecord(start_, cuStream), "cuEventRecord"));
    SSDC_RETURN_IF_ERROR(kernel_.launchBound(configIndex, args, stream, nullptr));
    SSDC_RETURN_IF_ERROR(driverStatus(api_, api_.cuEventRecord(stop_, cuStream), "cuEventRecord"));
    SSDC_RETURN_IF_ERROR(driverStatus(api_, api_.cuEventSynchronize(stop_), "cuEventSynchronize"));
    return driverStatus(api_, api_.cuEventElapsedTime(&milliseconds, start_, stop_),
                        "cuEventElapsedTime");
  }
  Status allocate(uint64_t bytes, void *&pointer) override {
    Device::ContextGuard guard(*kernel_.device_);
    SSDC_RETURN_IF_ERROR(guard.status());
    CUdeviceptr address = 0;
    SSDC_RETURN_IF_ERROR(driverStatus(api_, api_.cuMemAlloc(&address, bytes), "cuMemAlloc"));
    pointer = reinterpret_cast<void *>(address);
    return okStatus();
  }
  void release(void *pointer) override {
    Device::ContextGuard guard(*kernel_.device_);
    api_.cuMemFree(reinterpret_cast<CUdeviceptr>(pointer));
  }
  Status copy(void *dst, const void *src, uint64_t bytes, void *stream) override {
    Device::ContextGuard guard(*kernel_.device_);
    SSDC_RETURN_IF_ERROR(guard.status());
    return driverStatus(api_,
                        api_.cuMemcpyDtoDAsync(reinterpret_cast<CUdeviceptr>(dst),
                                               reinterpret_cast<CUdeviceptr>(src), bytes,
                                               static_cast<CUstream>(stream)),
                        "cuMemcpyDtoDAsync");
  }
  Status synchronize(void *stream) override {
    Device::ContextGuard guard(*kernel_.device_);
    SSDC_RETURN_IF_ERROR(guard.status());
    return driverStatus(api_, api_.cuStreamSynchronize(static_cast<CUstream>(stream)),
                        "cuStreamSynchronize");
  }

private:
  DeviceKernel &kernel_;
  const DriverApi &api_;
  CUevent start_ = nullptr;
  CUevent stop_ = nullptr;
};

DeviceKernel::DeviceKernel(std::shared_ptr<Device> device,
                           std::shared_ptr<const LoadedPackage> package, uint32_t kernelIndex)
    : device_(std::move(device)), package_(std::move(package)), kernelIndex_(kernelIndex),
      kernel_(&package_->package().kernels[kernelIndex]),
      functions_(kernel_->configs.size(), nullptr) {}

Status DeviceKernel::function(uint32_t configIndex, CUfunction &out, bool *fromCubin) {
  if (configIndex >= functions_.size())
    return notFound("kernel '" + kernel_->name + "' has no config " + std::to_string(configIndex));
  if (fromCubin == nullptr) {
    std::lock_guard<std::mutex> lock(mutex_);
    if ((out = functions_[configIndex]) != nullptr)
      return okStatus();
  }
  SSDC_RETURN_IF_ERROR(device_->function(*package_, kernelIndex_, configIndex, out, fromCubin));
  std::lock_guard<std::mutex> lock(mutex_);
  functions_[configIndex] = out;
  return okStatus();
}

namespace {

/// The device entry's parameter array has one slot per argument; the package
/// reader bounds the count, this guards the fixed arrays of the launch path.
Status checkArgCount(const pkg::Kernel &kernel) {
  if (kernel.args.size() > pkg::kMaxArgs)
    return invalidArgument("kernel '" + kernel.name + "' has more than " +
                           std::to_string(pkg::kMaxArgs) + " arguments");
  return okStatus();
}

/// cuLaunchKernel of `fn` with `count` parameter slots (paramBits), in the
/// device's context.
Status enqueue(const Device &device, CUfunction fn, const LaunchConfig &launch, uint64_t *slots,
               size_t count, void *stream) {
  void *params[pkg::kMaxArgs];
  for (size_t i = 0; i < count; ++i)
    params[i] = &slots[i];
  const DriverApi &api = device.api();
  Device::ContextGuard guard(device);
  SSDC_RETURN_IF_ERROR(guard.status());
  return driverStatus(api,
                      api.cuLaunchKernel(fn, static_cast<unsigned>(launch.grid[0]),
                                         static_cast<unsigned>(launch.grid[1]),
                                         static_cast<unsigned>(launch.grid[2]), launch.block[0],
                                         launch.block[1], launch.block[2], launch.sharedBytes,
                                         static_cast<CUstream>(stream), params, nullptr),
                      "cuLaunchKernel");
}

} // namespace

Status DeviceKernel::plan(uint32_t configIndex, const KernelArgs &args, LaunchConfig &out) const {
  BoundArgs bound;
  SSDC_RETURN_IF_ERROR(bindArgs(*kernel_, args, bound));
  return computeLaunchConfig(*kernel_, configIndex, bound, out, device_->gridLimits());
}

Status DeviceKernel::launchBound(uint32_t configIndex, const BoundArgs &args, void *stream,
                                 LaunchConfig *launchOut) {
  LaunchConfig launch;
  SSDC_RETURN_IF_ERROR(
      computeLaunchConfig(*kernel_, configIndex, args, launch, device_->gridLimits()));
  if (launchOut)
    *launchOut = launch;
  if (launch.empty())
    return okStatus();
  CUfunction fn = nullptr;
  SSDC_RETURN_IF_ERROR(function(configIndex, fn));
  const size_t count = kernel_->args.size();
  SSDC_RETURN_IF_ERROR(checkArgCount(*kernel_));
  uint64_t slots[pkg::kMaxArgs];
  for (size_t i = 0; i < count; ++i)
    slots[i] = paramBits(kernel_->args[i], args.values[i]);
  return enqueue(*device_, fn, launch, slots, count, stream);
}

Status DeviceKernel::prepare(uint32_t configIndex, const KernelArgs &args, PreparedLaunch &out) {
  BoundArgs bound;
  SSDC_RETURN_IF_ERROR(bindArgs(*kernel_, args, bound));
  SSDC_RETURN_IF_ERROR(checkArgCount(*kernel_));
  PreparedLaunch prepared;
  SSDC_RETURN_IF_ERROR(
      computeLaunchConfig(*kernel_, configIndex, bound, prepared.config_, device_->gridLimits()));
  if (!prepared.config_.empty())
    SSDC_RETURN_IF_ERROR(function(configIndex, prepared.function_));
  prepared.device_ = device_;
  prepared.package_ = package_;
  prepared.kernel_ = kernel_;
  prepared.configIndex_ = configIndex;
  for (size_t i = 0; i < kernel_->args.size(); ++i) {
    prepared.slots_.push_back(paramBits(kernel_->args[i], bound.values[i]));
    if (kernel_->args[i].kind == pkg::ArgKind::Buffer) {
      prepared.bufferArgs_.push_back(static_cast<uint32_t>(i));
      prepared.bufferCounts_.push_back(bound.values[i].count);
    }
  }
  out = std::move(prepared);
  return okStatus();
}

//===----------------------------------------------------------------------===//
// PreparedLaunch
//===----------------------------------------------------------------------===//

Status PreparedLaunch::fillSlots(void *const *addresses, size_t count, uint64_t *slots) const {
  if (kernel_ == nullptr)
    return invalidArgument("launch of an empty PreparedLaunch (DeviceKernel::prepare makes one)");
  if (count != bufferArgs_.size())
    return invalidArgument("kernel '" + kernel_->name + "' takes " +
                           std::to_string(bufferArgs_.size()) + " buffers but was given " +
                           std::to_string(count) + " addresses");
  std::copy(slots_.begin(), slots_.end(), slots);
  for (size_t j = 0; j < count; ++j) {
    if (addresses[j] == nullptr && bufferCounts_[j] != 0)
      return invalidArgument("argument " + std::to_string(bufferArgs_[j]) + " '" +
                             kernel_->args[bufferArgs_[j]].name + "' of kernel '" + kernel_->name +
                             "' is a null pointer with " + std::to_string(bufferCounts_[j]) +
                             " elements");
    slots[bufferArgs_[j]] = reinterpret_cast<uint64_t>(addresses[j]);
  }
  return okStatus();
}

Status PreparedLaunch::enqueueSlots(uint64_t *slots, void *stream) const {
  if (config_.empty())
    return okStatus();
  return enqueue(*device_, function_, config_, slots, slots_.size(), stream);
}

Status PreparedLaunch::launch(void *const *addresses, size_t count, void *stream) const {
  uint64_t slots[pkg::kMaxArgs];
  SSDC_RETURN_IF_ERROR(fillSlots(addresses, count, slots));
  return enqueueSlots(slots, stream);
}

namespace {

uint64_t hashKey(const pkg::Kernel &kernel, const BoundArgs &args) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (uint32_t index : kernel.keyArgs)
    hash = (hash ^ static_cast<uint64_t>(args.ints[index])) * 0x100000001b3ull;
  return hash;
}

} // namespace

bool DeviceKernel::findChoice(const BoundArgs &args, uint64_t keyHash, TuningResult &result) const {
  auto bucket = chosen_.find(keyHash);
  if (bucket == chosen_.end())
    return false;
  for (const Choice &choice : bucket->second) {
    bool same = true;
    for (size_t k = 0; k < kernel_->keyArgs.size() && same; ++k)
      same = choice.key[k] == args.ints[kernel_->keyArgs[k]];
    if (same) {
      result.configIndex = choice.configIndex;
      result.source = choice.source;
      return true;
    }
  }
  return false;
}

Status DeviceKernel::chooseConfig(const BoundArgs &args, void *stream, TuningResult &result,
                                  bool force) {
  const uint64_t keyHash = hashKey(*kernel_, args);
  if (!force) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (findChoice(args, keyHash, result))
      return okStatus();
  }
  // One tuning at a time: a second thread with the same new key waits here
  // and then finds the first one's choice.
  std::lock_guard<std::mutex> tuningLock(tuningMutex_);
  if (!force) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (findChoice(args, keyHash, result))
      return okStatus();
  }
  TuningOptions options = device_->tuningOptions();
  if (force) {
    options.mode = TuningMode::Force;
    options.pinnedConfig.clear();
  }
  TuningContext context{package_->hash(), device_->identity()};
  DeviceTuningLauncher launcher(*this);
  SSDC_RETURN_IF_ERROR(selectConfig(options, context, *kernel_, args, launcher, stream, result));
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Choice> &bucket = chosen_[keyHash];
  std::vector<int64_t> key = keyValues(*kernel_, args);
  for (Choice &choice : bucket)
    if (choice.key == key) {
      choice.configIndex = result.configIndex;
      choice.source = result.source;
      return okStatus();
    }
  bucket.push_back({std::move(key), result.configIndex, result.source});
  return okStatus();
}

Status DeviceKernel::launch(const KernelArgs &args, void *stream, LaunchReport *report) {
  // Reused by every launch on this thread, so binding does not allocate.
  thread_local BoundArgs bound;
  SSDC_RETURN_IF_ERROR(bindArgs(*kernel_, args, bound));
  // An empty problem launches nothing and is not worth tuning. Grids are
  // products of arguments and positive tile counts, so the default config
  // tells whether every config's grid is empty; limits are checked later,
  // for the config that is chosen.
  const GridLimits unlimited{UINT64_MAX, UINT64_MAX, UINT64_MAX};
  LaunchConfig launch;
  SSDC_RETURN_IF_ERROR(
      computeLaunchConfig(*kernel_, kernel_->defaultConfig, bound, launch, unlimited));
  TuningResult choice;
  choice.configIndex = kernel_->defaultConfig;
  if (!launch.empty())
    SSDC_RETURN_IF_ERROR(chooseConfig(bound, stream, choice, false));
  if (report) {
    report->configIndex = choice.configIndex;
    report->source = choice.source;
    report->launch = launch;
    report->launched = false;
  }
  if (launch.empty())
    return okStatus();
  SSDC_RETURN_IF_ERROR(
      launchBound(choice.configIndex, bound, stream, report ? &report->launch : nullptr));
  if (report)
    report->launched = !report->launch.empty();
  return okStatus();
}

Status DeviceKernel::launchWithConfig(uint32_t configIndex, const KernelArgs &args, void *stream,
                                      LaunchReport *report) {
  BoundArgs bound;
  SSDC_RETURN_IF_ERROR(bindArgs(*kernel_, args, bound));
  LaunchConfig launch;
  SSDC_RETURN_IF_ERROR(launchBound(configIndex, bound, stream, &launch));
  if (report) {
    report->configIndex = configIndex;
    report->source = ConfigSource::Pinned;
    report->launch = launch;
    report->launched = !launch.empty();
  }
  return okStatus();
}

Status DeviceKernel::tune(const KernelArgs &args, void *stream, TuningResult &result, bool force) {
  BoundArgs bound;
  SSDC_RETURN_IF_ERROR(bindArgs(*kernel_, args, bound));
  return chooseConfig(bound, stream, result, force);
}

} // namespace ssdc
