//===- DeviceBufferTest.cpp - Device memory, the paths without a GPU ------===//
//
// What DeviceBuffer and its C twin decide before the driver is called: empty
// buffers, null pointers, ranges past the end, allocators missing a half.
// test/GPU covers the copies themselves.
//
//===----------------------------------------------------------------------===//

#include "ssdc/Runtime/DeviceBuffer.h"
#include "ssdc-c/runtime.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

using namespace ssdc;

namespace {

TEST(DeviceBufferTest, EmptyBufferRefusesCopies) {
  DeviceBuffer buffer;
  EXPECT_FALSE(buffer);
  EXPECT_EQ(buffer.size(), 0u);
  EXPECT_EQ(buffer.data(), nullptr);
  char byte = 0;
  Status status = buffer.upload(&byte, 1);
  EXPECT_EQ(status.code(), StatusCode::InvalidArgument);
  EXPECT_NE(status.message().find("the buffer is empty"), std::string::npos) << status.message();
  EXPECT_EQ(buffer.download(&byte, 1).code(), StatusCode::InvalidArgument);
}

TEST(DeviceBufferTest, MovedFromBufferIsEmpty) {
  DeviceBuffer first;
  DeviceBuffer second(std::move(first));
  first = std::move(second);
  EXPECT_FALSE(first);
  EXPECT_FALSE(second);
  first.reset();
  EXPECT_EQ(first.size(), 0u);
}

TEST(DeviceBufferTest, AllocationNeedsADevice) {
  DeviceBuffer buffer;
  EXPECT_EQ(DeviceBuffer::allocate(nullptr, 16, buffer).code(), StatusCode::InvalidArgument);
  EXPECT_EQ(DeviceBuffer::fromHost(nullptr, "abc", 3, buffer).code(), StatusCode::InvalidArgument);
  int memory = 0;
  Status status = DeviceBuffer::adopt(
      nullptr, &memory, sizeof(memory), [](void *) {}, buffer);
  EXPECT_EQ(status.code(), StatusCode::InvalidArgument);
  EXPECT_NE(status.message().find("needs a device, a pointer and a release"), std::string::npos);
  EXPECT_FALSE(buffer);
}

void expectStatus(ssdc_status_t status, ssdc_status_code_t code, const char *fragment) {
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(ssdc_status_code(status), code);
  EXPECT_NE(std::string(ssdc_status_message(status)).find(fragment), std::string::npos)
      << ssdc_status_message(status);
  ssdc_status_free(status);
}

TEST(DeviceBufferCApiTest, NullHandlesGiveStatuses) {
  ssdc_device_buffer_t *buffer = reinterpret_cast<ssdc_device_buffer_t *>(1);
  expectStatus(ssdc_device_buffer_create(nullptr, 16, nullptr, &buffer),
               SSDC_STATUS_INVALID_ARGUMENT, "null device or out");
  EXPECT_EQ(buffer, reinterpret_cast<ssdc_device_buffer_t *>(1)); // untouched: no device
  char byte = 0;
  expectStatus(ssdc_device_buffer_upload(nullptr, 0, &byte, 1), SSDC_STATUS_INVALID_ARGUMENT,
               "null buffer");
  expectStatus(ssdc_device_buffer_download(nullptr, 0, &byte, 1), SSDC_STATUS_INVALID_ARGUMENT,
               "null buffer");
  EXPECT_EQ(ssdc_device_buffer_size(nullptr), 0u);
  EXPECT_EQ(ssdc_device_buffer_data(nullptr), nullptr);
  ssdc_device_buffer_destroy(nullptr);
}

TEST(DeviceBufferCApiTest, OptionsStartWithTheDriversAllocator) {
  ssdc_device_buffer_options_t options;
  options.allocator.self = &options;
  ssdc_device_buffer_options_initialize(&options);
  EXPECT_EQ(options.allocator.self, nullptr);
  EXPECT_EQ(options.allocator.allocate, nullptr);
  EXPECT_EQ(options.allocator.free, nullptr);
  ssdc_device_buffer_options_initialize(nullptr);
}

TEST(DeviceBufferCApiTest, AllocatorNeedsBothHalves) {
  ssdc_device_buffer_options_t options;
  ssdc_device_buffer_options_initialize(&options);
  options.allocator.free = [](void *, void *) {};
  ssdc_device_buffer_t *buffer = nullptr;
  expectStatus(ssdc_device_buffer_create(nullptr, 16, &options, &buffer),
               SSDC_STATUS_INVALID_ARGUMENT, "needs both allocate and free");
  EXPECT_EQ(buffer, nullptr);
}

} // namespace
