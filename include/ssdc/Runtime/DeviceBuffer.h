//===- DeviceBuffer.h - Device memory owned by the runtime ------*- C++ -*-===//
//
// One allocation of device memory on a Device, freed with the object:
//
//   DeviceBuffer cs;
//   SSDC_RETURN_IF_ERROR(DeviceBuffer::allocate(device, bytes, cs));
//   SSDC_RETURN_IF_ERROR(cs.upload(host.data(), bytes));
//   args.set("cs", ArgValue::buffer(cs.data<float>(), count));
//
// Memory comes from cuMemAlloc, or from the caller's allocator (adopt(): an
// engine's pool, PyTorch's caching allocator), which then also frees it. A
// buffer keeps its device open. Copies are synchronous, in the device's
// primary context. Move-only; one thread at a time.
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_RUNTIME_DEVICEBUFFER_H
#define SSDC_RUNTIME_DEVICEBUFFER_H

#include "ssdc/Runtime/Status.h"

#include <cstddef>
#include <functional>
#include <memory>

namespace ssdc {

class Device;

class DeviceBuffer {
public:
  /// Frees a pointer that adopt() took; called once, in the device's context.
  using Release = std::function<void(void *pointer)>;

  /// An empty buffer: no device, size 0; copies fail.
  DeviceBuffer() = default;
  ~DeviceBuffer();
  DeviceBuffer(DeviceBuffer &&other) noexcept;
  DeviceBuffer &operator=(DeviceBuffer &&other) noexcept;
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;

  /// `bytes` bytes of device memory from cuMemAlloc (uninitialized; 0 bytes
  /// is allowed and still gives a distinct pointer).
  static Status allocate(std::shared_ptr<Device> device, size_t bytes, DeviceBuffer &out);
  /// Owns `pointer`, `bytes` long, allocated by the caller; `release` frees it.
  static Status adopt(std::shared_ptr<Device> device, void *pointer, size_t bytes, Release release,
                      DeviceBuffer &out);
  /// A new buffer of `bytes` bytes holding a copy of `host`.
  static Status fromHost(std::shared_ptr<Device> device, const void *host, size_t bytes,
                         DeviceBuffer &out);

  /// The device pointer (null for an empty buffer).
  void *data() const { return pointer_; }
  template <typename T> T *data() const { return static_cast<T *>(pointer_); }
  /// Its size in bytes.
  size_t size() const { return bytes_; }
  const std::shared_ptr<Device> &device() const { return device_; }
  explicit operator bool() const { return pointer_ != nullptr; }

  /// Copies `bytes` bytes from host memory to offset `offset` of the buffer.
  /// An empty buffer or a range past the end is an error, found before the
  /// driver is called.
  Status upload(const void *host, size_t bytes, size_t offset = 0);
  /// Copies `bytes` bytes at `offset` of the buffer into host memory.
  Status download(void *host, size_t bytes, size_t offset = 0) const;

  /// Frees the memory now; the buffer becomes empty.
  void reset();

private:
  /// Checks the range, then copies `bytes` bytes between `host` and `offset`
  /// of the buffer (`toDevice`: host to device; `host` is then only read).
  Status copy(bool toDevice, void *host, size_t bytes, size_t offset) const;

  std::shared_ptr<Device> device_;
  void *pointer_ = nullptr;
  size_t bytes_ = 0;
  Release release_; // empty: cuMemFree
};

} // namespace ssdc

#endif // SSDC_RUNTIME_DEVICEBUFFER_H
