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
#define SSDC_DRIVER_ENTRY_POINT(NAME, SYMBOL, RESULT, PARAMETERS)                                  \
  resolve(library, SYMBOL, api.NAME, missing);
#include "ssdc/Runtime/DriverEntryPoints.def"
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
