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

bool parseChip(const std::string &name, Chip &out) {
  if (name.compare(0, 3, "sm_") != 0)
    return false;
  size_t end = name.size();
  char suffix = '\0';
  if (end > 3 && (name[end - 1] == 'a' || name[end - 1] == 'f'))
    suffix = name[--end];
  // Two or three digits: sm_80 to sm_121 today; a few more leave room.
  size_t digits = end - 3;
  if (digits < 2 || digits > 3 || name[3] == '0')
    return false;
  int value = 0;
  for (size_t i = 3; i < end; ++i) {
    if (name[i] < '0' || name[i] > '9')
      return false;
    value = value * 10 + (name[i] - '0');
  }
  out.major = value / 10;
  out.minor = value % 10;
  out.suffix = suffix;
  return true;
}

namespace {

/// Whether code for `chip` runs on major.minor within one major version,
/// where the rules for PTX and cubins agree.
bool runsWithinMajor(const Chip &chip, int major, int minor) {
  if (chip.suffix == 'a')
    return chip.major == major && chip.minor == minor;
  return chip.major == major && chip.minor <= minor;
}

} // namespace

bool cubinRunsOn(const std::string &cubinChip, int major, int minor) {
  Chip chip;
  return parseChip(cubinChip, chip) && runsWithinMajor(chip, major, minor);
}

Status checkPackageChip(const std::string &packageChip, int major, int minor) {
  Chip chip;
  if (!parseChip(packageChip, chip))
    return invalidArgument("package compiled for '" + packageChip +
                           "', which is not a chip name (sm_XY, sm_XYa or sm_XYf); device is " +
                           chipName(major, minor));
  // Plain PTX is forward compatible: the driver JITs it for any newer chip.
  if (chip.suffix == '\0' && (chip.major < major || (chip.major == major && chip.minor <= minor)))
    return okStatus();
  if (runsWithinMajor(chip, major, minor))
    return okStatus();
  std::string base = chipName(chip.major, chip.minor);
  std::string rule = chip.suffix == 'a'   ? packageChip + " code runs on " + base + " only"
                     : chip.suffix == 'f' ? packageChip + " code runs on " + base +
                                                " and newer chips of compute capability " +
                                                std::to_string(chip.major) + ".x"
                                          : packageChip + " code runs on " + base + " and newer";
  return invalidArgument("package compiled for " + packageChip + "; device is " +
                         chipName(major, minor) + " (" + rule + ")");
}

} // namespace cuda
} // namespace ssdc
