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
using CUgraph = struct CUgraph_st *;
using CUgraphNode = struct CUgraphNode_st *;
using CUgraphExec = struct CUgraphExec_st *;
using CUkernel = struct CUkern_st *;

/// cuda.h's CUDA_KERNEL_NODE_PARAMS_v2 (CUDA 12+), field for field: what
/// cuGraphAddKernelNode_v2 and cuGraphExecKernelNodeSetParams_v2 take.
struct KernelNodeParams {
  CUfunction func = nullptr;
  unsigned gridDimX = 1, gridDimY = 1, gridDimZ = 1;
  unsigned blockDimX = 1, blockDimY = 1, blockDimZ = 1;
  unsigned sharedMemBytes = 0;
  void **kernelParams = nullptr;
  void **extra = nullptr;
  CUkernel kern = nullptr; // read only when func is null
  CUcontext ctx = nullptr; // ignored when func is set
};

constexpr CUresult CUDA_SUCCESS = 0;
constexpr int CU_STREAM_CAPTURE_STATUS_NONE = 0;

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

/// A chip name: "sm_" then the compute capability's major and minor digits
/// (the minor is the last digit: sm_86 is 8.6, sm_100 is 10.0), then an
/// optional suffix: "a" for architecture-specific code (wgmma, setmaxnreg),
/// "f" for family-specific code (CUDA 12.9).
struct Chip {
  int major = 0;
  int minor = 0;
  char suffix = '\0'; // '\0', 'a' or 'f'
};

/// Parses "sm_90", "sm_90a", "sm_100f"; false for anything else.
bool parseChip(const std::string &name, Chip &out);

/// Whether a cubin built for `cubinChip` runs on a device of compute
/// capability major.minor, by NVIDIA's binary compatibility rule (CUDA
/// Compatibility Guide): a cubin for X.y runs on X.z with z >= y, an "f"
/// cubin likewise within its family, an "a" cubin on X.y only. Never across
/// major versions: an sm_80 cubin does not run on sm_90 (its PTX does).
bool cubinRunsOn(const std::string &cubinChip, int major, int minor);

/// Whether a package whose PTX was generated for `packageChip` runs on a
/// device of compute capability major.minor: ok, or an InvalidArgument
/// status such as "package compiled for sm_90a; device is sm_80 (sm_90a code
/// runs on sm_90 only)". PTX for X.y is JIT-compiled by the driver for any
/// device of X.y or newer; "a" PTX only for X.y, "f" PTX for X.z, z >= y.
/// Every config of a package holds PTX, so this decides whether a package
/// can run at all; its cubins are chosen per config by cubinRunsOn.
Status checkPackageChip(const std::string &packageChip, int major, int minor);

/// "sm_" + major + minor, e.g. "sm_90".
std::string chipName(int major, int minor);

} // namespace cuda
} // namespace ssdc

#endif // SSDC_RUNTIME_DRIVER_H
