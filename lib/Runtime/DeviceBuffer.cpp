//===- DeviceBuffer.cpp - Device memory owned by the runtime --------------===//

#include "ssdc/Runtime/DeviceBuffer.h"
#include "ssdc/Runtime/Runtime.h"

#include <string>
#include <utility>

namespace ssdc {

DeviceBuffer::~DeviceBuffer() { reset(); }

DeviceBuffer::DeviceBuffer(DeviceBuffer &&other) noexcept
    : device_(std::move(other.device_)), pointer_(std::exchange(other.pointer_, nullptr)),
      bytes_(std::exchange(other.bytes_, 0)), release_(std::move(other.release_)) {}

DeviceBuffer &DeviceBuffer::operator=(DeviceBuffer &&other) noexcept {
  if (this != &other) {
    reset();
    device_ = std::move(other.device_);
    pointer_ = std::exchange(other.pointer_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
    release_ = std::move(other.release_);
  }
  return *this;
}

Status DeviceBuffer::allocate(std::shared_ptr<Device> device, size_t bytes, DeviceBuffer &out) {
  if (!device)
    return invalidArgument("DeviceBuffer::allocate: no device");
  Device::ContextGuard guard(*device);
  SSDC_RETURN_IF_ERROR(guard.status());
  const cuda::DriverApi &api = device->api();
  cuda::CUdeviceptr pointer = 0;
  // cuMemAlloc rejects 0 bytes; an empty buffer still gets its own pointer.
  SSDC_RETURN_IF_ERROR(
      cuda::driverStatus(api, api.cuMemAlloc(&pointer, bytes ? bytes : 1), "cuMemAlloc"));
  out.reset();
  out.device_ = std::move(device);
  out.pointer_ = reinterpret_cast<void *>(pointer);
  out.bytes_ = bytes;
  return okStatus();
}

Status DeviceBuffer::adopt(std::shared_ptr<Device> device, void *pointer, size_t bytes,
                           Release release, DeviceBuffer &out) {
  if (!device || pointer == nullptr || !release)
    return invalidArgument("DeviceBuffer::adopt: needs a device, a pointer and a release");
  out.reset();
  out.device_ = std::move(device);
  out.pointer_ = pointer;
  out.bytes_ = bytes;
  out.release_ = std::move(release);
  return okStatus();
}

Status DeviceBuffer::fromHost(std::shared_ptr<Device> device, const void *host, size_t bytes,
                              DeviceBuffer &out) {
  DeviceBuffer buffer;
  SSDC_RETURN_IF_ERROR(allocate(std::move(device), bytes, buffer));
  SSDC_RETURN_IF_ERROR(buffer.upload(host, bytes));
  out = std::move(buffer);
  return okStatus();
}

Status DeviceBuffer::copy(bool toDevice, void *host, size_t bytes, size_t offset) const {
  const std::string what = std::string("DeviceBuffer::") + (toDevice ? "upload" : "download");
  if (pointer_ == nullptr)
    return invalidArgument(what + ": the buffer is empty");
  if (host == nullptr && bytes != 0)
    return invalidArgument(what + ": null host pointer");
  if (offset > bytes_ || bytes > bytes_ - offset)
    return outOfRange(what + ": " + std::to_string(bytes) + " bytes at offset " +
                      std::to_string(offset) + " pass the end of a " + std::to_string(bytes_) +
                      "-byte buffer");
  if (bytes == 0)
    return okStatus();
  Device::ContextGuard guard(*device_);
  SSDC_RETURN_IF_ERROR(guard.status());
  const cuda::DriverApi &api = device_->api();
  cuda::CUdeviceptr device = reinterpret_cast<cuda::CUdeviceptr>(pointer_) + offset;
  return toDevice ? cuda::driverStatus(api, api.cuMemcpyHtoD(device, host, bytes), "cuMemcpyHtoD")
                  : cuda::driverStatus(api, api.cuMemcpyDtoH(host, device, bytes), "cuMemcpyDtoH");
}

Status DeviceBuffer::upload(const void *host, size_t bytes, size_t offset) {
  return copy(/*toDevice=*/true, const_cast<void *>(host), bytes, offset);
}

Status DeviceBuffer::download(void *host, size_t bytes, size_t offset) const {
  return copy(/*toDevice=*/false, host, bytes, offset);
}

void DeviceBuffer::reset() {
  if (pointer_ != nullptr) {
    Device::ContextGuard guard(*device_);
    if (release_)
      release_(pointer_);
    else
      device_->api().cuMemFree(reinterpret_cast<cuda::CUdeviceptr>(pointer_));
  }
  device_.reset();
  pointer_ = nullptr;
  bytes_ = 0;
  release_ = nullptr;
}

} // namespace ssdc
