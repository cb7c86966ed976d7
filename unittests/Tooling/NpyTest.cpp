//===- NpyTest.cpp - .npy reading and writing ----------------------------===//
#include "TempDir.h"

#include "ssdc/Tooling/Npy.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

using namespace ssdc;
using synthetic::TempDir;

namespace {

const pkg::ElemType kEveryType[] = {pkg::ElemType::F32, pkg::ElemType::F16, pkg::ElemType::BF16,
                                    pkg::ElemType::I32, pkg::ElemType::I64};

TEST(Npy, RoundTripsEveryElementType) {
  TempDir dir;
  for (pkg::ElemType type : kEveryType) {
    HostBuffer buffer(type, 5);
    for (int64_t i = 0; i < 5; ++i) {
      if (buffer.isFloat())
        buffer.storeFloat(i, 0.5 * i - 1);
      else
        buffer.storeInt(i, -3 * i);
    }
    std::string path = dir.path() + "/a.npy";
    ASSERT_TRUE(writeNpy(path, buffer).ok());
    HostBuffer read(type, 0);
    Status status = readNpy(path, type, read);
    ASSERT_TRUE(status.ok()) << status.toString();
    ASSERT_EQ(read.size(), 5);
    EXPECT_EQ(read.elementType(), type);
    EXPECT_EQ(std::memcmp(read.data(), buffer.data(), buffer.byteSize()), 0);
  }
}

TEST(Npy, WritesWhatNumPyWrites) {
  TempDir dir;
  HostBuffer buffer(pkg::ElemType::I32, 3);
  ASSERT_TRUE(writeNpy(dir.path() + "/a.npy", buffer).ok());
  std::ifstream file(dir.path() + "/a.npy", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  ASSERT_EQ(bytes.size(), 128u + 12); // a 64-byte-aligned header, then the data
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  std::string dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }";
  EXPECT_EQ(bytes.substr(10, dict.size()), dict);
  EXPECT_EQ(bytes.find_first_not_of(' ', 10 + dict.size()), 127u); // padded with spaces
  EXPECT_EQ(bytes[127], '\n');
}

/// Writes a file of `version` with `header` (a dict literal) and `data`.
void writeRaw(const std::string &path, std::string header, const std::string &data,
              int version = 1) {
  size_t prefix = version == 1 ? 10 : 12;
  header += std::string(63 - (prefix + header.size()) % 64, ' ') + "\n";
  std::ofstream os(path, std::ios::binary);
  os << "\x93NUMPY" << char(version) << '\x00' << char(header.size() & 0xff)
     << char(header.size() >> 8);
  if (version != 1)
    os << '\x00' << '\x00';
  os << header << data;
}

TEST(Npy, ReadsAnyShapeAsFlatAndEveryVersion) {
  TempDir dir;
  std::string path = dir.path() + "/m.npy";
  float values[6] = {1, 2, 3, 4, 5, 6};
  std::string data(reinterpret_cast<const char *>(values), sizeof(values));
  for (int version : {1, 2, 3}) {
    writeRaw(path, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data, version);
    HostBuffer read(pkg::ElemType::F32, 0);
    Status status = readNpy(path, pkg::ElemType::F32, read);
    ASSERT_TRUE(status.ok()) << status.toString();
    ASSERT_EQ(read.size(), 6);
    EXPECT_EQ(read.loadFloat(5), 6.0);
  }
  // A 1-D array in "Fortran order" is the same array; a 0-d one has one element.
  writeRaw(path, "{'descr': '<f4', 'fortran_order': True, 'shape': (6,), }", data);
  HostBuffer read(pkg::ElemType::F32, 0);
  EXPECT_TRUE(readNpy(path, pkg::ElemType::F32, read).ok());
  writeRaw(path, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", data.substr(0, 4));
  ASSERT_TRUE(readNpy(path, pkg::ElemType::F32, read).ok());
  EXPECT_EQ(read.size(), 1);
  writeRaw(path, "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }", "");
  ASSERT_TRUE(readNpy(path, pkg::ElemType::F32, read).ok());
  EXPECT_EQ(read.size(), 0);
}

class NpyErrors : public testing::Test {
protected:
  /// The message of reading the file as `type`, or "" when it reads; the
  /// buffer passed in keeps its contents on failure.
  std::string errorOf(pkg::ElemType type = pkg::ElemType::F32) {
    HostBuffer read(type, 7);
    Status status = readNpy(path, type, read);
    if (status.ok())
      return "";
    EXPECT_EQ(read.size(), 7);
    EXPECT_EQ(status.message().rfind(path + ": ", 0), 0u) << "names the file";
    return status.message();
  }
  void writeHeader(const std::string &header, const std::string &data) {
    writeRaw(path, header, data);
  }
  void writeBytes(const std::string &bytes) { std::ofstream(path, std::ios::binary) << bytes; }

  TempDir dir;
  std::string path = dir.path() + "/bad.npy";
};

#define EXPECT_ERROR(text, type)                                                                   \
  EXPECT_NE(errorOf(type).find(text), std::string::npos) << errorOf(type)

TEST_F(NpyErrors, WrongDtypeForEveryElementType) {
  writeHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", std::string(16, '\0'));
  EXPECT_ERROR("has dtype '<f8' but the buffer holds f32, which needs '<f4'", pkg::ElemType::F32);
  EXPECT_ERROR("has dtype '<f8' but the buffer holds f16, which needs '<f2'", pkg::ElemType::F16);
  EXPECT_ERROR("has dtype '<f8' but the buffer holds bf16, which needs '<u2'", pkg::ElemType::BF16);
  EXPECT_ERROR("has dtype '<f8' but the buffer holds i32, which needs '<i4'", pkg::ElemType::I32);
  EXPECT_ERROR("has dtype '<f8' but the buffer holds i64, which needs '<i8'", pkg::ElemType::I64);
}

TEST_F(NpyErrors, BigEndianAndFortranOrder) {
  writeHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", std::string(8, '\0'));
  EXPECT_ERROR("is big-endian ('>f4'); write it little-endian (a.astype('<f4'))",
               pkg::ElemType::F32);
  writeHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", std::string(16, '\0'));
  EXPECT_ERROR("is in Fortran order; write it in C order", pkg::ElemType::F32);
}

TEST_F(NpyErrors, TruncatedOrExtraData) {
  writeHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", std::string(8, '\0'));
  EXPECT_ERROR("holds 8 data bytes but shape (4,) of <f4 needs 16", pkg::ElemType::F32);
  writeHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", std::string(8, '\0'));
  EXPECT_ERROR("holds 8 data bytes but shape (1,) of <f4 needs 4", pkg::ElemType::F32);
}

TEST_F(NpyErrors, TruncatedOrCorruptHeader) {
  writeBytes("not numpy");
  EXPECT_ERROR("not a .npy file (no \\x93NUMPY magic)", pkg::ElemType::F32);
  writeBytes("");
  EXPECT_ERROR("not a .npy file", pkg::ElemType::F32);
  writeBytes(std::string("\x93NUMPY\x01\x00\x40", 9));
  EXPECT_ERROR("truncated header", pkg::ElemType::F32);
  writeBytes(std::string("\x93NUMPY\x01\x00\x40\x00{'descr'", 17));
  EXPECT_ERROR("truncated header", pkg::ElemType::F32);
  writeBytes(std::string("\x93NUMPY\x04\x00\x00\x00", 10));
  EXPECT_ERROR("unsupported .npy version 4", pkg::ElemType::F32);
  writeHeader("{'descr': '<f4', 'shape': (2,), }", std::string(8, '\0'));
  EXPECT_ERROR("malformed header (needs 'descr', 'fortran_order' and 'shape')", pkg::ElemType::F32);
  writeHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", "");
  EXPECT_ERROR("malformed shape (2, x)", pkg::ElemType::F32);
  writeHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", "");
  EXPECT_ERROR("malformed shape (-2,)", pkg::ElemType::F32);
}

// A header that claims a huge array is rejected from its numbers, before
// anything is allocated.
TEST_F(NpyErrors, HugeShapes) {
  writeHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000,), }",
              std::string(8, '\0'));
  EXPECT_ERROR("shape (1000000000000,) is larger than the 16 GiB", pkg::ElemType::F32);
  writeHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
              std::string(8, '\0'));
  EXPECT_ERROR("is larger than the 16 GiB", pkg::ElemType::I64);
  writeHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", "");
  EXPECT_ERROR("malformed shape", pkg::ElemType::F32);
}

// libstdc++'s filebuf throws when read(2) fails; a directory was an uncaught
// std::ios_failure out of `ssdc run --input cs=DIR`.
TEST_F(NpyErrors, DirectoryIsAStatusNotAnException) {
  path = dir.path();
  EXPECT_ERROR("cannot read: Is a directory", pkg::ElemType::F32);
}

TEST_F(NpyErrors, MissingFileAndUnwritablePath) {
  path = dir.path() + "/missing.npy";
  EXPECT_ERROR("cannot read: No such file or directory", pkg::ElemType::F32);
  Status status = writeNpy(dir.path() + "/no/such/dir/a.npy", HostBuffer(pkg::ElemType::F32, 1));
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("cannot write " + dir.path() + "/no/such/dir/a.npy"),
            std::string::npos);
}

} // namespace
