//===- HostBuffer.cpp - a kernel buffer argument in host memory -----------===//
#include "ssdc/Tooling/HostBuffer.h"

#include "ssdc/Runtime/Launch.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace ssdc {

HostBuffer::HostBuffer(pkg::ElemType type, int64_t count)
    : type(type), count(count), bytes(static_cast<size_t>(count) * elemTypeSize(type)) {
  assert(count >= 0 && "a buffer has a non-negative size");
}

bool HostBuffer::isFloat() const { return isFloatElemType(type); }

namespace {

template <typename T> T loadAs(const std::vector<uint8_t> &bytes, int64_t index) {
  T value;
  std::memcpy(&value, bytes.data() + index * sizeof(T), sizeof(T));
  return value;
}

template <typename T> void storeAs(std::vector<uint8_t> &bytes, int64_t index, T value) {
  std::memcpy(bytes.data() + index * sizeof(T), &value, sizeof(T));
}

/// splitmix64: a small generator whose output depends on nothing but its seed.
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [-1, 1).
  double nextSigned() { return static_cast<double>(next() >> 11) * 0x1.0p-52 - 1.0; }

private:
  uint64_t state;
};

} // namespace

double HostBuffer::loadFloat(int64_t index) const {
  assert(isFloat() && index >= 0 && index < count);
  if (type == pkg::ElemType::F32)
    return loadAs<float>(bytes, index);
  return decodeHalf(loadAs<uint16_t>(bytes, index), type == pkg::ElemType::BF16);
}

void HostBuffer::storeFloat(int64_t index, double value) {
  assert(isFloat() && index >= 0 && index < count);
  if (type == pkg::ElemType::F32)
    storeAs<float>(bytes, index, static_cast<float>(value));
  else
    storeAs<uint16_t>(bytes, index, encodeHalf(value, type == pkg::ElemType::BF16));
}

int64_t HostBuffer::loadInt(int64_t index) const {
  assert(!isFloat() && index >= 0 && index < count);
  if (type == pkg::ElemType::I32)
    return loadAs<int32_t>(bytes, index);
  return loadAs<int64_t>(bytes, index);
}

void HostBuffer::storeInt(int64_t index, int64_t value) {
  assert(!isFloat() && index >= 0 && index < count);
  if (type == pkg::ElemType::I32)
    storeAs<int32_t>(bytes, index, static_cast<int32_t>(value));
  else
    storeAs<int64_t>(bytes, index, value);
}

void generateContents(HostBuffer &buffer, uint64_t seed, uint64_t argIndex) {
  SplitMix64 generator(seed ^ (0x632be59bd9b4e019ull * (argIndex + 1)));
  for (int64_t i = 0; i < buffer.size(); ++i) {
    if (buffer.isFloat())
      buffer.storeFloat(i, generator.nextSigned());
    else
      buffer.storeInt(i, static_cast<int64_t>(generator.nextSigned() * 100));
  }
}

void poisonContents(HostBuffer &buffer) {
  int64_t leastInt = buffer.elementType() == pkg::ElemType::I32
                         ? std::numeric_limits<int32_t>::min()
                         : std::numeric_limits<int64_t>::min();
  for (int64_t i = 0; i < buffer.size(); ++i) {
    if (buffer.isFloat())
      buffer.storeFloat(i, std::numeric_limits<double>::quiet_NaN());
    else
      buffer.storeInt(i, leastInt);
  }
}

std::string describeContents(const HostBuffer &buffer, bool poisoned) {
  std::string text = std::to_string(buffer.size()) + " x " + elemTypeName(buffer.elementType());
  if (buffer.size() == 0)
    return text;
  if (!buffer.isFloat()) {
    uint64_t sum = 0; // wraps, like the kernel's own integers
    for (int64_t i = 0; i < buffer.size(); ++i)
      sum += static_cast<uint64_t>(buffer.loadInt(i));
    return text + ", sum " + std::to_string(static_cast<int64_t>(sum));
  }
  double sum = 0, low = std::numeric_limits<double>::infinity(), high = -low;
  int64_t nans = 0;
  for (int64_t i = 0; i < buffer.size(); ++i) {
    double value = buffer.loadFloat(i);
    if (std::isnan(value)) {
      ++nans;
      continue;
    }
    sum += value;
    low = std::min(low, value);
    high = std::max(high, value);
  }
  char numbers[128];
  std::snprintf(numbers, sizeof(numbers), ", sum %.9g, min %.9g, max %.9g, NaN %lld", sum, low,
                high, static_cast<long long>(nans));
  text += numbers;
  if (nans && poisoned)
    text += " (a write-only buffer starts as NaN: elements never written stay NaN)";
  return text;
}

} // namespace ssdc
