//===- CApiHandles.h - what the C API's opaque handles hold -----*- C++ -*-===//
//
// The definitions behind ssdc-c/runtime.h's handles and statuses, shared by
// the runtime's C API (CApi.cpp) and the C APIs built on it (lib/SSD/CApi.cpp),
// so that a handle made by one is usable by the other.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_LIB_RUNTIME_CAPIHANDLES_H
#define SSDC_LIB_RUNTIME_CAPIHANDLES_H

#include "ssdc-c/runtime.h"
#include "ssdc/Runtime/DeviceBuffer.h"
#include "ssdc/Runtime/Runtime.h"

#include <atomic>
#include <new>

struct ssdc_status_s {
  ssdc::Status status;
};

namespace ssdc::capi {

/// Returned when a status cannot be allocated; never freed.
inline ssdc_status_s outOfMemoryStatus{internalError("out of memory")};

/// NULL for success, else a status the caller owns.
inline ssdc_status_t wrap(Status status) {
  if (status.ok())
    return nullptr;
  ssdc_status_t wrapped = new (std::nothrow) ssdc_status_s{std::move(status)};
  return wrapped ? wrapped : &outOfMemoryStatus;
}

/// An intrusive reference count shared by the handle types.
template <typename Derived> struct RefCounted {
  std::atomic<int> references{1};
  void retain() { references.fetch_add(1, std::memory_order_relaxed); }
  void release() {
    if (references.fetch_sub(1, std::memory_order_acq_rel) == 1)
      delete static_cast<Derived *>(this);
  }
};

} // namespace ssdc::capi

struct ssdc_package_s : ssdc::capi::RefCounted<ssdc_package_s> {
  std::shared_ptr<const ssdc::LoadedPackage> package;
};
struct ssdc_device_s : ssdc::capi::RefCounted<ssdc_device_s> {
  std::shared_ptr<ssdc::Device> device;
};
struct ssdc_kernel_s : ssdc::capi::RefCounted<ssdc_kernel_s> {
  std::shared_ptr<ssdc::DeviceKernel> kernel;
};
struct ssdc_device_buffer_s {
  ssdc::DeviceBuffer buffer;
};

#endif // SSDC_LIB_RUNTIME_CAPIHANDLES_H
