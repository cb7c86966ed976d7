//===- NpyTest.cpp - .npy reading and writing ----------------------------===//
#include "TempDir.h"

#include "ssdc/Target/Host/Npy.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace ssdc;
using namespace ssdc::host;

namespace {
TEST(Npy, RoundTripsEveryElementType) {
  hosttest::TempDir dir;
  for (pkg::ElemType type : {pkg::ElemType::F32, pkg::ElemType::F16, pkg::ElemType::BF16,
                             pkg::ElemType::I32, pkg::ElemType::I64}) {
    HostBuffer buffer(type, 5);
    for (int64_t i = 0; i < 5; ++i) {
      if (buffer.isFloat())
        buffer.storeFloat(i, 0.5 * i - 1);
      else
        buffer.storeInt(i, -3 * i);
    }
    std::string path = dir.path() + "/a.npy";
    ASSERT_FALSE(writeNpy(path, buffer));
    llvm::Expected<HostBuffer> read = readNpy(path, type);
    ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
    ASSERT_EQ(read->size(), 5);
    EXPECT_EQ(std::memcmp(read->data(), buffer.data(), buffer.byteSize()), 0);
  }
}

/// Writes a version-1 file with `header` (a dict literal) and `data`.
void writeRaw(const std::string &path, std::string header, const std::string &data) {
  header += std::string(63 - (10 + header.size()) % 64, ' ') + "\n";
  std::ofstream os(path, std::ios::binary);
  os << "\x93NUMPY" << '\x01' << '\x00' << char(header.size() & 0xff) << char(header.size() >> 8)
     << header << data;
}

TEST(Npy, ReadsAMultiDimensionalArrayAsFlat) {
  hosttest::TempDir dir;
  std::string path = dir.path() + "/m.npy";
  float values[6] = {1, 2, 3, 4, 5, 6};
  writeRaw(path, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
           std::string(reinterpret_cast<const char *>(values), sizeof(values)));
  llvm::Expected<HostBuffer> read = readNpy(path, pkg::ElemType::F32);
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  ASSERT_EQ(read->size(), 6);
  EXPECT_EQ(read->loadFloat(5), 6.0);
}

TEST(Npy, RejectsWrongDtypeFortranOrderAndTruncation) {
  hosttest::TempDir dir;
  std::string path = dir.path() + "/bad.npy";
  auto errorOf = [&](pkg::ElemType type) {
    llvm::Expected<HostBuffer> read = readNpy(path, type);
    return read ? std::string() : llvm::toString(read.takeError());
  };
  writeRaw(path, "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", std::string(8, '\0'));
  EXPECT_NE(errorOf(pkg::ElemType::F32).find("has dtype '<i4' but the buffer holds f32"),
            std::string::npos);
  writeRaw(path, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
           std::string(16, '\0'));
  EXPECT_NE(errorOf(pkg::ElemType::F32).find("Fortran order"), std::string::npos);
  writeRaw(path, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", std::string(8, '\0'));
  EXPECT_NE(errorOf(pkg::ElemType::F32).find("holds 8 data bytes"), std::string::npos);
  std::ofstream(path) << "not numpy";
  EXPECT_NE(errorOf(pkg::ElemType::F32).find("not a .npy file"), std::string::npos);
}
} // namespace
