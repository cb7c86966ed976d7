//===- ElementTypeTest.cpp - the element-type table's columns agree -------===//
//
// Each line of include/ssdc/Runtime/ElementTypes.def names one type several
// ways; these tests check that the ways agree, so that a new line that gets
// one column wrong fails here rather than in a launch.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Dialect/Tile/IR/Tile.h"

#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace mlir;
using namespace ssdc;

namespace {

TEST(ElementTypeTest, ColumnsAgree) {
  MLIRContext context;
  MLIRContext *ctx = &context;
  std::set<int> codes;
#define SSDC_ELEMENT_TYPE(Enum, Name, Code, Bytes, IsFloat, CppType, NpyDescr, MlirType)           \
  {                                                                                                \
    SCOPED_TRACE(#Name);                                                                           \
    Type type = MlirType;                                                                          \
    std::string printed;                                                                           \
    llvm::raw_string_ostream(printed) << type;                                                     \
    EXPECT_EQ(printed, #Name);                                                                     \
    EXPECT_EQ(tile::getElemType(type), pkg::ElemType::Enum);                                       \
    EXPECT_EQ(static_cast<int>(pkg::ElemType::Enum), Code);                                        \
    EXPECT_TRUE(codes.insert(Code).second) << "code " << Code << " is used twice";                 \
    EXPECT_EQ(elemTypeSize(pkg::ElemType::Enum), uint32_t(type.getIntOrFloatBitWidth() / 8));      \
    EXPECT_EQ(elemTypeSize(pkg::ElemType::Enum), sizeof(CppType));                                 \
    EXPECT_EQ(isFloatElemType(pkg::ElemType::Enum), isa<FloatType>(type));                         \
    EXPECT_EQ(std::string(NpyDescr).back() - '0', Bytes) << "the .npy dtype's size";               \
    EXPECT_STREQ(elemTypeName(pkg::ElemType::Enum), #Name);                                        \
  }
#include "ssdc/Runtime/ElementTypes.def"
}

TEST(ElementTypeTest, OtherTypesHaveNone) {
  MLIRContext context;
  EXPECT_EQ(tile::getElemType(Float64Type::get(&context)), std::nullopt);
  EXPECT_EQ(tile::getElemType(IntegerType::get(&context, 8)), std::nullopt);
  EXPECT_EQ(tile::getElemType(IndexType::get(&context)), std::nullopt);
  EXPECT_FALSE(pkg::isElemTypeCode(200));
}

} // namespace
