//===- CApi.cpp - C API over the C++ runtime ------------------------------===//

#include "ssdc-c/runtime.h"

#include "CApiHandles.h"

#include <cstring>
#include <new>
#include <type_traits>

using namespace ssdc;
using namespace ssdc::capi;

// The C API's element types are the package's, value for value.
#define SSDC_ELEMENT_TYPE(Enum, Name, Code, ...)                                                   \
  static_assert(SSDC_##Enum == Code, "ssdc_elem_type_t must match ElementTypes.def");
#include "ssdc/Runtime/ElementTypes.def"

namespace {

/// The int a C caller stored in an enum field. C lets any int go there; C++
/// gives an enum without a fixed type only the values of its enumerators'
/// bits, so loading 99 as ssdc_arg_kind_t is undefined before any range
/// check runs (UBSan's -fsanitize=enum). The field's bytes are read as a
/// signed integer of its size instead (-1 stays -1), and checked as that.
template <typename Enum> int64_t storedEnumValue(const Enum &field) {
  std::make_signed_t<std::underlying_type_t<Enum>> value;
  static_assert(sizeof(value) == sizeof(field));
  std::memcpy(&value, &field, sizeof(value));
  return static_cast<int64_t>(value);
}

Status toKernelArgs(const ssdc_arg_t *args, size_t count, KernelArgs &out) {
  if (args == nullptr && count != 0)
    return invalidArgument("null argument array with a nonzero count");
  bool sawNamed = false;
  for (size_t i = 0; i < count; ++i) {
    const ssdc_arg_t &arg = args[i];
    ArgValue value;
    int64_t kind = storedEnumValue(arg.kind);
    if (kind == SSDC_ARG_BUFFER) {
      int64_t code = storedEnumValue(arg.type);
      if (code < 0 || code > UINT8_MAX || !pkg::isElemTypeCode(static_cast<uint8_t>(code)))
        return invalidArgument("argument " + std::to_string(i) + " has an unknown element type " +
                               std::to_string(code));
      value = ArgValue::buffer(arg.data, arg.count, static_cast<pkg::ElemType>(code));
    } else if (kind == SSDC_ARG_INT) {
      value = ArgValue::scalar(arg.value);
    } else if (kind == SSDC_ARG_FLOAT) {
      value = ArgValue::floatScalar(arg.real);
    } else {
      return invalidArgument("argument " + std::to_string(i) + " has an unknown kind " +
                             std::to_string(kind));
    }
    if (arg.name != nullptr) {
      sawNamed = true;
      out.set(arg.name, value);
    } else if (sawNamed) {
      return invalidArgument("positional argument " + std::to_string(i) + " follows a named one");
    } else {
      out.add(value);
    }
  }
  return okStatus();
}

void toLaunchConfig(const LaunchConfig &in, ssdc_launch_config_t &out) {
  for (int d = 0; d < 3; ++d) {
    out.grid[d] = in.grid[d];
    out.block[d] = in.block[d];
  }
  out.shared_bytes = in.sharedBytes;
}

} // namespace

extern "C" {

ssdc_status_code_t ssdc_status_code(ssdc_status_t status) {
  return status ? static_cast<ssdc_status_code_t>(status->status.code()) : SSDC_STATUS_OK;
}
const char *ssdc_status_message(ssdc_status_t status) {
  return status ? status->status.message().c_str() : "";
}
const char *ssdc_status_driver_error(ssdc_status_t status) {
  return status ? status->status.driverError().c_str() : "";
}
void ssdc_status_free(ssdc_status_t status) {
  if (status != &outOfMemoryStatus)
    delete status;
}

static ssdc_status_t finishPackage(Status status, std::shared_ptr<const LoadedPackage> loaded,
                                   ssdc_package_t **out) {
  if (!status.ok())
    return wrap(std::move(status));
  auto *handle = new (std::nothrow) ssdc_package_s();
  if (handle == nullptr)
    return wrap(internalError("out of memory"));
  handle->package = std::move(loaded);
  *out = handle;
  return nullptr;
}

ssdc_status_t ssdc_package_load_file(const char *path, ssdc_package_t **out) {
  if (path == nullptr || out == nullptr)
    return wrap(invalidArgument("ssdc_package_load_file: null path or out"));
  *out = nullptr;
  std::shared_ptr<const LoadedPackage> loaded;
  Status status = LoadedPackage::fromFile(path, loaded);
  return finishPackage(std::move(status), std::move(loaded), out);
}

ssdc_status_t ssdc_package_load_bytes(const void *data, size_t size, ssdc_package_t **out) {
  if (out == nullptr)
    return wrap(invalidArgument("ssdc_package_load_bytes: null out"));
  *out = nullptr;
  std::shared_ptr<const LoadedPackage> loaded;
  Status status = LoadedPackage::fromBytes(data, size, loaded);
  return finishPackage(std::move(status), std::move(loaded), out);
}

void ssdc_package_retain(ssdc_package_t *package) {
  if (package)
    package->retain();
}
void ssdc_package_release(ssdc_package_t *package) {
  if (package)
    package->release();
}

size_t ssdc_package_kernel_count(const ssdc_package_t *package) {
  return package ? package->package->package().kernels.size() : 0;
}

const char *ssdc_package_kernel_name(const ssdc_package_t *package, size_t index) {
  if (package == nullptr || index >= ssdc_package_kernel_count(package))
    return nullptr;
  return package->package->package().kernels[index].name.c_str();
}

ssdc_status_t ssdc_package_launch_config(const ssdc_package_t *package, const char *kernel_name,
                                         uint32_t config_index, const ssdc_arg_t *args,
                                         size_t arg_count, ssdc_launch_config_t *out) {
  if (package == nullptr || kernel_name == nullptr || out == nullptr)
    return wrap(invalidArgument("ssdc_package_launch_config: null package, "
                                "kernel name or out"));
  const pkg::Kernel *kernel = package->package->findKernel(kernel_name);
  if (kernel == nullptr)
    return wrap(notFound(std::string("the package has no kernel '") + kernel_name + "'"));
  KernelArgs kernelArgs;
  BoundArgs bound;
  LaunchConfig launch;
  Status status = toKernelArgs(args, arg_count, kernelArgs);
  if (status.ok())
    status = bindArgs(*kernel, kernelArgs, bound);
  if (status.ok())
    status = computeLaunchConfig(*kernel, config_index, bound, launch);
  if (status.ok())
    toLaunchConfig(launch, *out);
  return wrap(std::move(status));
}

void ssdc_device_options_initialize(ssdc_device_options_t *options) {
  if (options == nullptr)
    return;
  options->ordinal = 0;
  options->tuning = SSDC_TUNING_FROM_ENVIRONMENT;
  options->pinned_config = nullptr;
  options->cache_directory = nullptr;
}

ssdc_status_t ssdc_device_open(const ssdc_device_options_t *options, ssdc_device_t **out) {
  if (options == nullptr || out == nullptr)
    return wrap(invalidArgument("ssdc_device_open: null options or out"));
  *out = nullptr;
  DeviceOptions deviceOptions;
  deviceOptions.ordinal = options->ordinal;
  TuningOptions &tuning = deviceOptions.tuning;
  int64_t mode = storedEnumValue(options->tuning);
  switch (mode) {
  case SSDC_TUNING_FROM_ENVIRONMENT:
    break;
  case SSDC_TUNING_OFF:
    tuning.mode = TuningMode::Off;
    break;
  case SSDC_TUNING_ON:
    tuning.mode = TuningMode::On;
    break;
  case SSDC_TUNING_FORCE:
    tuning.mode = TuningMode::Force;
    break;
  default:
    return wrap(invalidArgument("ssdc_device_open: unknown tuning mode " + std::to_string(mode)));
  }
  if (options->pinned_config)
    tuning.pinnedConfig = options->pinned_config;
  if (options->cache_directory)
    tuning.cacheDirectory = options->cache_directory;
  std::shared_ptr<Device> device;
  Status status = Device::open(deviceOptions, device);
  if (!status.ok())
    return wrap(std::move(status));
  auto *handle = new (std::nothrow) ssdc_device_s();
  if (handle == nullptr)
    return wrap(internalError("out of memory"));
  handle->device = std::move(device);
  *out = handle;
  return nullptr;
}

void ssdc_device_retain(ssdc_device_t *device) {
  if (device)
    device->retain();
}
void ssdc_device_release(ssdc_device_t *device) {
  if (device)
    device->release();
}
const char *ssdc_device_name(const ssdc_device_t *device) {
  return device ? device->device->name().c_str() : "";
}

void ssdc_device_buffer_options_initialize(ssdc_device_buffer_options_t *options) {
  if (options == nullptr)
    return;
  options->allocator.self = nullptr;
  options->allocator.allocate = nullptr;
  options->allocator.free = nullptr;
}

/// Memory from the caller's allocator, owned by `out`, which frees it there.
static Status allocateFrom(const ssdc_device_allocator_t &allocator,
                           const std::shared_ptr<Device> &device, size_t bytes, DeviceBuffer &out) {
  void *pointer = nullptr;
  {
    Device::ContextGuard guard(*device);
    SSDC_RETURN_IF_ERROR(guard.status());
    if (ssdc_status_t status = allocator.allocate(allocator.self, bytes, &pointer)) {
      Status failed = status->status;
      ssdc_status_free(status);
      return failed;
    }
  }
  if (pointer == nullptr)
    return internalError("ssdc_device_buffer_create: the allocator returned no memory");
  void *self = allocator.self;
  auto release = allocator.free;
  return DeviceBuffer::adopt(
      device, pointer, bytes, [self, release](void *memory) { release(self, memory); }, out);
}

ssdc_status_t ssdc_device_buffer_create(ssdc_device_t *device, size_t bytes,
                                        const ssdc_device_buffer_options_t *options,
                                        ssdc_device_buffer_t **out) {
  const bool custom =
      options && (options->allocator.allocate != nullptr || options->allocator.free != nullptr);
  if (custom && (options->allocator.allocate == nullptr || options->allocator.free == nullptr))
    return wrap(
        invalidArgument("ssdc_device_buffer_create: the allocator needs both allocate and free"));
  if (device == nullptr || out == nullptr)
    return wrap(invalidArgument("ssdc_device_buffer_create: null device or out"));
  *out = nullptr;
  DeviceBuffer buffer;
  Status status = custom ? allocateFrom(options->allocator, device->device, bytes, buffer)
                         : DeviceBuffer::allocate(device->device, bytes, buffer);
  if (!status.ok())
    return wrap(std::move(status));
  auto *handle = new (std::nothrow) ssdc_device_buffer_s{std::move(buffer)};
  if (handle == nullptr)
    return wrap(internalError("out of memory"));
  *out = handle;
  return nullptr;
}

void ssdc_device_buffer_destroy(ssdc_device_buffer_t *buffer) { delete buffer; }

size_t ssdc_device_buffer_size(const ssdc_device_buffer_t *buffer) {
  return buffer ? buffer->buffer.size() : 0;
}

void *ssdc_device_buffer_data(const ssdc_device_buffer_t *buffer) {
  return buffer ? buffer->buffer.data() : nullptr;
}

ssdc_status_t ssdc_device_buffer_upload(ssdc_device_buffer_t *buffer, size_t offset,
                                        const void *host, size_t bytes) {
  if (buffer == nullptr)
    return wrap(invalidArgument("ssdc_device_buffer_upload: null buffer"));
  return wrap(buffer->buffer.upload(host, bytes, offset));
}

ssdc_status_t ssdc_device_buffer_download(const ssdc_device_buffer_t *buffer, size_t offset,
                                          void *host, size_t bytes) {
  if (buffer == nullptr)
    return wrap(invalidArgument("ssdc_device_buffer_download: null buffer"));
  return wrap(buffer->buffer.download(host, bytes, offset));
}

ssdc_status_t ssdc_kernel_create(ssdc_device_t *device, ssdc_package_t *package, const char *name,
                                 ssdc_kernel_t **out) {
  if (device == nullptr || package == nullptr || name == nullptr || out == nullptr)
    return wrap(invalidArgument("ssdc_kernel_create: null device, package, "
                                "name or out"));
  *out = nullptr;
  std::shared_ptr<DeviceKernel> kernel;
  Status status = device->device->kernel(package->package, name, kernel);
  if (!status.ok())
    return wrap(std::move(status));
  auto *handle = new (std::nothrow) ssdc_kernel_s();
  if (handle == nullptr)
    return wrap(internalError("out of memory"));
  handle->kernel = std::move(kernel);
  *out = handle;
  return nullptr;
}

void ssdc_kernel_retain(ssdc_kernel_t *kernel) {
  if (kernel)
    kernel->retain();
}
void ssdc_kernel_release(ssdc_kernel_t *kernel) {
  if (kernel)
    kernel->release();
}

ssdc_status_t ssdc_kernel_launch(ssdc_kernel_t *kernel, const ssdc_arg_t *args, size_t arg_count,
                                 void *stream, ssdc_launch_info_t *info) {
  if (kernel == nullptr)
    return wrap(invalidArgument("ssdc_kernel_launch: null kernel"));
  KernelArgs kernelArgs;
  Status status = toKernelArgs(args, arg_count, kernelArgs);
  if (!status.ok())
    return wrap(std::move(status));
  LaunchReport report;
  status = kernel->kernel->launch(kernelArgs, stream, &report);
  if (status.ok() && info != nullptr) {
    info->config_index = report.configIndex;
    toLaunchConfig(report.launch, info->config);
    info->launched = report.launched ? 1 : 0;
  }
  return wrap(std::move(status));
}

} // extern "C"
