//===- Driver.cpp - The CUDA driver API, loaded at run time ---------------===//

#include "ssdc/Runtime/Driver.h"

#include <dlfcn.h>
#include <mutex>

namespace ssdc {
namespace cuda {

namespace {

template <typename Fn>
bool resolve(void *library, const char *symbol, Fn &out, std::string &missing) {
  void *address = dlsym(library, symbol);
  if (address == nullptr) {
    if (!missing.empty())
      missing += ", ";
    missing += symbol;
    return false;
  }
  out = reinterpret_cast<Fn>(address);
  return true;
}

} // namespace

Status openDriverLibrary(const char *libraryPath, DriverApi &out) {
  void *library = dlopen(libraryPath, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char *reason = dlerror();
    return unavailable(std::string("no CUDA driver: cannot load ") + libraryPath + ": " +
                       (reason ? reason : "unknown"));
  }
  DriverApi api{};
  std::string missing;
  // Versioned ABI names: what cuda.h maps each plain name to.
  resolve(library, "cuInit", api.cuInit, missing);
  resolve(library, "cuDriverGetVersion", api.cuDriverGetVersion, missing);
  resolve(library, "cuGetErrorName", api.cuGetErrorName, missing);
  resolve(library, "cuGetErrorString", api.cuGetErrorString, missing);
  resolve(library, "cuDeviceGetCount", api.cuDeviceGetCount, missing);
  resolve(library, "cuDeviceGet", api.cuDeviceGet, missing);
  resolve(library, "cuDeviceGetName", api.cuDeviceGetName, missing);
  resolve(library, "cuDeviceGetAttribute", api.cuDeviceGetAttribute, missing);
  resolve(library, "cuDevicePrimaryCtxRetain", api.cuDevicePrimaryCtxRetain, missing);
  resolve(library, "cuDevicePrimaryCtxRelease_v2", api.cuDevicePrimaryCtxRelease, missing);
  resolve(library, "cuCtxGetCurrent", api.cuCtxGetCurrent, missing);
  resolve(library, "cuCtxPushCurrent_v2", api.cuCtxPushCurrent, missing);
  resolve(library, "cuCtxPopCurrent_v2", api.cuCtxPopCurrent, missing);
  resolve(library, "cuModuleLoadDataEx", api.cuModuleLoadDataEx, missing);
  resolve(library, "cuModuleUnload", api.cuModuleUnload, missing);
  resolve(library, "cuModuleGetFunction", api.cuModuleGetFunction, missing);
  resolve(library, "cuFuncSetAttribute", api.cuFuncSetAttribute, missing);
  resolve(library, "cuLaunchKernel", api.cuLaunchKernel, missing);
  resolve(library, "cuMemAlloc_v2", api.cuMemAlloc, missing);
  resolve(library, "cuMemFree_v2", api.cuMemFree, missing);
  resolve(library, "cuMemcpyHtoD_v2", api.cuMemcpyHtoD, missing);
  resolve(library, "cuMemcpyDtoH_v2", api.cuMemcpyDtoH, missing);
  resolve(library, "cuMemcpyDtoDAsync_v2", api.cuMemcpyDtoDAsync, missing);
  resolve(library, "cuStreamSynchronize", api.cuStreamSynchronize, missing);
  resolve(library, "cuEventCreate", api.cuEventCreate, missing);
  resolve(library, "cuEventDestroy_v2", api.cuEventDestroy, missing);
  resolve(library, "cuEventRecord", api.cuEventRecord, missing);
  resolve(library, "cuEventSynchronize", api.cuEventSynchronize, missing);
  resolve(library, "cuEventElapsedTime", api.cuEventElapsedTime, missing);
  if (!missing.empty()) {
    dlclose(library);
    return unavailable(std::string("CUDA driver ") + libraryPath +
                       " lacks entry points: " + missing);
  }
  out = api;
  return okStatus();
}

Status driver(const DriverApi *&out) {
  static std::once_flag once;
  static DriverApi api;
  static Status status;
  std::call_once(once, [] {
    status = openDriverLibrary("libcuda.so.1", api);
    if (status.ok())
      status = driverStatus(api, api.cuInit(0), "cuInit");
  });
  out = status.ok() ? &api : nullptr;
  return status;
}

Status driverStatus(const DriverApi &api, CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return okStatus();
  const char *name = nullptr;
  const char *text = nullptr;
  if (api.cuGetErrorName(result, &name) != CUDA_SUCCESS || name == nullptr)
    name = "CUDA_ERROR_UNKNOWN";
  if (api.cuGetErrorString(result, &text) != CUDA_SUCCESS || text == nullptr)
    text = "unknown error";
  return Status(StatusCode::DriverError,
                std::string(call) + ": " + text + " (error " + std::to_string(result) + ")", name);
}

std::string chipName(int major, int minor) {
  return "sm_" + std::to_string(major) + std::to_string(minor);
}

bool cubinRunsOn(const std::string &cubinChip, int major, int minor) {
  std::string chip = chipName(major, minor);
  return cubinChip == chip || cubinChip == chip + "a";
}

} // namespace cuda
} // namespace ssdc
