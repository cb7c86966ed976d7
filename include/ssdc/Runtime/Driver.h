//===- Driver.h - The CUDA driver API, loaded at run time -----------------===//
//
// The runtime never links libcuda: it dlopens libcuda.so.1 and resolves the
// entry points it needs by their versioned ABI names (the names cuda.h maps
// the plain ones to), so the library builds and its CPU tests run on machines
// without a GPU. The few driver types used are declared here; their ABI has
// been stable since CUDA 4.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_RUNTIME_DRIVER_H
#define SSDC_RUNTIME_DRIVER_H

#include "ssdc/Runtime/Status.h"

#include <cstddef>
#include <string>

namespace ssdc {
namespace cuda {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;
using CUevent = struct CUevent_st *;

constexpr CUresult CUDA_SUCCESS = 0;

// CUdevice_attribute values.
constexpr int CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X = 5;
constexpr int CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y = 6;
constexpr int CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z = 7;
constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
constexpr int CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97;
// CUfunction_attribute values.
constexpr int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;
// CUjit_option values.
constexpr int CU_JIT_INFO_LOG_BUFFER = 3;
constexpr int CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4;
constexpr int CU_JIT_ERROR_LOG_BUFFER = 5;
constexpr int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;

/// The driver entry points the runtime uses, resolved from libcuda.so.1; the
/// list is DriverEntryPoints.def.
struct DriverApi {
#define SSDC_DRIVER_ENTRY_POINT(NAME, SYMBOL, RESULT, PARAMETERS) RESULT(*NAME) PARAMETERS;
#include "ssdc/Runtime/DriverEntryPoints.def"
};

/// Loads `libraryPath` and resolves every entry point. A missing library or
/// symbol is an Unavailable status; the handle stays open on success.
Status openDriverLibrary(const char *libraryPath, DriverApi &out);

/// The process-wide driver from libcuda.so.1, loaded and initialized (cuInit)
/// on first use; later calls return the same result.
Status driver(const DriverApi *&out);

/// A DriverError status for `result` with the driver's name and description
/// of it, e.g. "cuModuleLoadDataEx: device kernel image is invalid" with
/// driverError() "CUDA_ERROR_INVALID_SOURCE". Success gives an ok status.
Status driverStatus(const DriverApi &api, CUresult result, const char *call);

/// Whether a cubin built for `cubinChip` ("sm_90", "sm_90a") runs on a device
/// of compute capability major.minor. Only the exact chip is accepted: the
/// architecture-specific "a" variants run only there, and exact matching
/// keeps the rule simple for the rest.
bool cubinRunsOn(const std::string &cubinChip, int major, int minor);

/// "sm_" + major + minor, e.g. "sm_90".
std::string chipName(int major, int minor);

} // namespace cuda
} // namespace ssdc

#endif // SSDC_RUNTIME_DRIVER_H
