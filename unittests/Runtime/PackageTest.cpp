//===- PackageTest.cpp - Package writer and robust reader -----------------===//

#include "ssdc/Runtime/Package.h"
#include "SyntheticPackage.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace ssdc;

namespace {

constexpr size_t kHeaderSize = 32;

void putU64(std::string &bytes, size_t offset, uint64_t value) {
  for (int i = 0; i < 8; ++i)
    bytes[offset + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

/// Rewrites the header's size and checksum so that a damaged payload reaches
/// the record parser instead of being stopped by the checksum.
std::string reseal(std::string bytes) {
  putU64(bytes, 16, bytes.size());
  putU64(bytes, 24, pkg::hashBytes(bytes.data() + kHeaderSize, bytes.size() - kHeaderSize));
  return bytes;
}

Status read(const std::string &bytes, pkg::Package &out) {
  return pkg::readPackage(bytes.data(), bytes.size(), out);
}

TEST(PackageTest, RoundTripKeepsEveryField) {
  pkg::Package original = synthetic::syntheticPackage();
  std::string bytes = pkg::writePackage(original);
  pkg::Package parsed;
  Status status = read(bytes, parsed);
  ASSERT_TRUE(status.ok()) << status.toString();
  EXPECT_EQ(parsed.version, pkg::kFormatVersion);
  EXPECT_EQ(parsed.chip, "sm_90");
  EXPECT_EQ(parsed.producer, original.producer);
  ASSERT_EQ(parsed.kernels.size(), 2u);
  const pkg::Kernel &k = parsed.kernels[0];
  EXPECT_EQ(k.name, "segsum_exp");
  ASSERT_EQ(k.args.size(), 4u);
  EXPECT_EQ(k.args[1].name, "out");
  EXPECT_EQ(k.args[1].access, pkg::Access::Write);
  EXPECT_EQ(k.args[3].type, pkg::ElemType::I64);
  EXPECT_EQ(k.params[0].values, (std::vector<int64_t>{16, 32, 64}));
  EXPECT_EQ(k.params[1].defaultValue, 32);
  EXPECT_EQ(k.keyArgs, (std::vector<uint32_t>{2, 3}));
  ASSERT_EQ(k.grid.size(), 3u);
  EXPECT_EQ(k.grid[1][2].op, pkg::ExprNode::Op::CeilDiv);
  EXPECT_EQ(k.defaultConfig, 2u);
  ASSERT_EQ(k.configs.size(), 6u);
  EXPECT_EQ(k.configs[5].cubinChip, "sm_90a");
  EXPECT_EQ(k.configs[5].cubin, original.kernels[0].configs[5].cubin);
  EXPECT_EQ(k.configs[5].sharedBytes, 256u);
  EXPECT_EQ(parsed.kernels[1].args[0].access, pkg::Access::ReadWrite);
  // Writing what was read reproduces the bytes exactly.
  EXPECT_EQ(pkg::writePackage(parsed), bytes);
}

TEST(PackageTest, HashIsFnv1a64) {
  EXPECT_EQ(pkg::hashBytes("", 0), 0xcbf29ce484222325ull);
  EXPECT_EQ(pkg::hashBytes("a", 1), 0xaf63dc4c8601ec8cull);
}

TEST(PackageTest, EveryTruncationIsRejected) {
  std::string bytes = pkg::writePackage(synthetic::syntheticPackage());
  for (size_t size = 0; size < bytes.size(); ++size) {
    pkg::Package parsed;
    Status status = pkg::readPackage(bytes.data(), size, parsed);
    ASSERT_FALSE(status.ok()) << "size " << size;
    EXPECT_NE(status.message().find("byte offset"), std::string::npos) << status.message();
    EXPECT_TRUE(parsed.kernels.empty());
  }
}

TEST(PackageTest, EveryResealedTruncationIsRejectedByTheParser) {
  std::string bytes = pkg::writePackage(synthetic::syntheticPackage());
  for (size_t size = kHeaderSize; size < bytes.size(); ++size) {
    pkg::Package parsed;
    Status status = read(reseal(bytes.substr(0, size)), parsed);
    ASSERT_FALSE(status.ok()) << "size " << size;
    EXPECT_EQ(status.code(), StatusCode::DataLoss) << status.toString();
    EXPECT_NE(status.message().find("byte offset"), std::string::npos);
  }
}

TEST(PackageTest, TruncationMessageNamesFieldAndOffset) {
  std::string bytes = pkg::writePackage(synthetic::syntheticPackage());
  // 32-byte header, then u32 length + "sm_90": cut inside the producer length.
  pkg::Package parsed;
  Status status = read(reseal(bytes.substr(0, kHeaderSize + 9 + 2)), parsed);
  EXPECT_EQ(status.message(), "package: truncated: package producer needs 4 bytes, 2 remain at "
                              "byte offset 41");
}

TEST(PackageTest, CorruptedPayloadFailsTheChecksum) {
  std::string bytes = pkg::writePackage(synthetic::syntheticPackage());
  bytes[bytes.size() / 2] ^= 0x40;
  pkg::Package parsed;
  Status status = read(bytes, parsed);
  EXPECT_EQ(status.code(), StatusCode::DataLoss);
  EXPECT_NE(status.message().find("checksum"), std::string::npos);
}

TEST(PackageTest, WrongVersionIsNamed) {
  std::string bytes = pkg::writePackage(synthetic::syntheticPackage());
  bytes[8] = static_cast<char>(pkg::kFormatVersion + 1);
  pkg::Package parsed;
  Status status = read(bytes, parsed);
  EXPECT_EQ(status.code(), StatusCode::Unimplemented);
  EXPECT_NE(status.message().find("format version 2 is not supported"), std::string::npos)
      << status.message();
}

TEST(PackageTest, BadMagicIsRejected) {
  std::string bytes = pkg::writePackage(synthetic::syntheticPackage());
  bytes[0] = 'X';
  pkg::Package parsed;
  EXPECT_NE(read(bytes, parsed).message().find("bad magic"), std::string::npos);
  EXPECT_FALSE(pkg::readPackage(nullptr, 0, parsed).ok());
}

TEST(PackageTest, TrailingBytesAreRejected) {
  std::string bytes = pkg::writePackage(synthetic::syntheticPackage());
  pkg::Package parsed;
  Status status = read(reseal(bytes + "xx"), parsed);
  EXPECT_NE(status.message().find("2 unread trailing bytes"), std::string::npos)
      << status.message();
}

/// Writes a package whose single kernel has been altered by `mutate`, reads it
/// back and returns the reader's message.
template <typename Mutate> std::string readMutated(Mutate mutate) {
  pkg::Package package = synthetic::syntheticPackage();
  mutate(package.kernels[0]);
  std::string bytes = pkg::writePackage(package);
  pkg::Package parsed;
  Status status = read(bytes, parsed);
  return status.ok() ? "ok" : status.message();
}

TEST(PackageTest, SemanticErrorsAreRejected) {
  using Op = pkg::ExprNode::Op;
  EXPECT_NE(readMutated([](pkg::Kernel &k) { k.keyArgs = {0}; }).find("key argument index 0"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) { k.keyArgs = {9}; }).find("key argument index 9"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) {
              k.grid[0] = {synthetic::node(Op::Arg, 7)};
            }).find("refers to argument index 7"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) {
              k.grid[0] = {synthetic::node(Op::Arg, 0)};
            }).find("refers to buffer argument 'cs'"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) {
              k.grid[0] = {synthetic::node(Op::Param, 5)};
            }).find("parameter index 5"),
            std::string::npos);
  // A float scalar: f32, f16 or bf16 only, and never in a grid or a key.
  auto floatArg = [](pkg::ElemType type) {
    return [type](pkg::Kernel &k) {
      k.args[2].kind = pkg::ArgKind::Float;
      k.args[2].type = type;
    };
  };
  EXPECT_NE(readMutated(floatArg(pkg::ElemType::I64)).find("float argument 'B'"),
            std::string::npos);
  EXPECT_NE(readMutated([&](pkg::Kernel &k) {
              floatArg(pkg::ElemType::F32)(k);
              k.keyArgs = {3};
            }).find("refers to float argument 'B'"),
            std::string::npos);
  EXPECT_NE(readMutated([&](pkg::Kernel &k) {
              floatArg(pkg::ElemType::BF16)(k);
              k.grid[0] = {synthetic::node(Op::Const, 1)};
              k.keyArgs = {2};
            }).find("key argument index 2"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) {
              k.grid[0] = {synthetic::node(Op::Const, 1), synthetic::node(Op::Add)};
            }).find("without two operands"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) {
              k.grid[0] = {synthetic::node(Op::Const, 1), synthetic::node(Op::Const, 1)};
            }).find("leaves 2 values"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) {
              k.grid[0] = {synthetic::node(static_cast<Op>(42))};
            }).find("unknown operator 42"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) { k.grid.clear(); }).find("has no grid"),
            std::string::npos);
  EXPECT_NE(
      readMutated([](pkg::Kernel &k) { k.grid.resize(4, k.grid[0]); }).find("exceeds the limit 3"),
      std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) { k.defaultConfig = 6; }).find("default config index 6"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) { k.configs.clear(); }).find("has no config"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) {
              k.configs[1].paramValues = {1};
            }).find("1 parameter values for 2 parameters"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) {
              k.configs[1].blockThreads = 0;
            }).find("0 threads per block"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) { k.configs[1].ptx.clear(); }).find("no PTX"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) {
              k.configs[1].cubinChip = "sm_90";
            }).find("chip without a cubin"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) {
              k.args[1].name = "cs";
            }).find("duplicate argument name 'cs'"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) {
              k.args[2].type = pkg::ElemType::F32;
            }).find("neither i32 nor i64"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) {
              k.args[2].access = static_cast<pkg::Access>(9);
            }).find("unknown kind"),
            std::string::npos);
  EXPECT_NE(readMutated([](pkg::Kernel &k) { k.name.clear(); }).find("empty kernel name"),
            std::string::npos);
}

TEST(PackageTest, DuplicateKernelNamesAreRejected) {
  pkg::Package package = synthetic::syntheticPackage();
  package.kernels[1] = package.kernels[0];
  pkg::Package parsed;
  Status status = read(pkg::writePackage(package), parsed);
  EXPECT_NE(status.message().find("duplicate kernel name 'segsum_exp'"), std::string::npos);
}

TEST(PackageTest, HugeCountsAreRejectedBeforeAllocating) {
  std::string bytes = pkg::writePackage(synthetic::syntheticPackage());
  // The kernel count follows the two strings of the payload.
  size_t countOffset = kHeaderSize + 4 + 5 + 4 + bytes[kHeaderSize + 9];
  auto readWithCount = [&](uint32_t count) {
    std::string damaged = bytes;
    for (int i = 0; i < 4; ++i)
      damaged[countOffset + i] = static_cast<char>((count >> (8 * i)) & 0xff);
    pkg::Package parsed;
    return read(reseal(damaged), parsed).message();
  };
  EXPECT_EQ(readWithCount(5000), "package: kernel count 5000 exceeds the "
                                 "limit 4096 at byte offset " +
                                     std::to_string(countOffset));
  EXPECT_NE(readWithCount(3).find("truncated: kernel record length"), std::string::npos);
}

TEST(PackageTest, EverySingleByteFlipFailsCleanlyOrParses) {
  std::string bytes = pkg::writePackage(synthetic::syntheticPackage());
  for (size_t offset = kHeaderSize; offset < bytes.size(); ++offset)
    for (uint8_t flip : {0x01, 0x80, 0xff}) {
      std::string damaged = bytes;
      damaged[offset] ^= static_cast<char>(flip);
      pkg::Package parsed;
      Status status = read(reseal(damaged), parsed);
      if (!status.ok()) {
        EXPECT_NE(status.message().find("byte offset"), std::string::npos);
      }
    }
}

} // namespace
