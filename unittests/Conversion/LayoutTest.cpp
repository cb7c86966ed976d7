//===- LayoutTest.cpp - the chunked layout's slot split -------------------===//
//
// lib/Conversion/TileToGPU/Layout.cpp splits each owned element's
// multi-index into a thread part and a constant slot part where
// TileLayout::splitsBySlot says so; loads, stores and exchanges compute their
// addresses from the split. These tests check the claim against the layout's
// definition, element by element, over many shapes and thread counts, and
// that the shapes the kernels use do split.
//
//===----------------------------------------------------------------------===//
#include "Layout.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace ssdc;

namespace {

/// Whether every live element of `layout` has the split index.
bool splitHolds(const layout::TileLayout &layout) {
  for (int64_t tid = 0; tid < layout.threads; ++tid) {
    SmallVector<int64_t> threadPart = layout.indexOf(tid * layout.chunkWidth);
    for (int64_t slot = 0; slot < layout.perThread; ++slot) {
      int64_t first = layout.firstLinearIndex(slot);
      int64_t linear = tid * layout.chunkWidth + first;
      if (linear >= layout.numElements)
        continue; // padding: never accessed
      SmallVector<int64_t> slotPart = layout.indexOf(first);
      SmallVector<int64_t> index = layout.indexOf(linear);
      for (size_t axis = 0; axis < index.size(); ++axis)
        if (threadPart[axis] + slotPart[axis] != index[axis])
          return false;
    }
  }
  return true;
}

TEST(LayoutTest, SplitBySlotHoldsWhereClaimed) {
  MLIRContext context;
  Type f32 = Float32Type::get(&context);
  int64_t claimed = 0, checked = 0;
  SmallVector<SmallVector<int64_t>> shapes;
  for (int64_t n : {1, 3, 4, 12, 16, 24, 64, 100, 256, 1000})
    shapes.push_back({n});
  for (int64_t rows : {1, 2, 3, 8, 16, 32, 37, 64, 128})
    for (int64_t cols : {1, 4, 6, 12, 16, 32, 64, 128, 256})
      shapes.push_back({rows, cols});
  for (SmallVector<int64_t> shape :
       {SmallVector<int64_t>{2, 8, 64}, {4, 4, 4}, {3, 5, 8}, {2, 3, 128}, {16, 2, 12}})
    shapes.push_back(shape);
  for (const SmallVector<int64_t> &shape : shapes)
    for (int64_t threads : {32, 64, 128, 256}) {
      layout::TileLayout layout(RankedTensorType::get(shape, f32), threads);
      ++checked;
      if (!layout.splitsBySlot)
        continue;
      ++claimed;
      SCOPED_TRACE(::testing::Message() << "rank " << shape.size() << ", " << layout.numElements
                                        << " elements, " << threads << " threads");
      EXPECT_TRUE(splitHolds(layout));
    }
  // The test must exercise the claim, not only the fallback.
  EXPECT_GT(claimed, checked / 2);
}

TEST(LayoutTest, KernelShapesSplit) {
  MLIRContext context;
  Type f32 = Float32Type::get(&context);
  // segsum_exp's and the SSD kernels' tiles: (BM, BN) and (BK, BP) blocks
  // (state_passing's BN down to 8), row and column vectors, over 4 and 8
  // warps.
  for (int64_t threads : {128, 256})
    for (int64_t rows : {8, 16, 32, 64, 128})
      for (int64_t cols : {16, 32, 64, 128}) {
        layout::TileLayout layout(RankedTensorType::get({rows, cols}, f32), threads);
        EXPECT_TRUE(layout.splitsBySlot) << rows << "x" << cols << ", " << threads << " threads";
        layout::TileLayout vector(RankedTensorType::get({rows}, f32), threads);
        EXPECT_TRUE(vector.splitsBySlot) << rows << ", " << threads << " threads";
      }
}

TEST(LayoutTest, IndexOfIsRowMajor) {
  MLIRContext context;
  layout::TileLayout layout(RankedTensorType::get({3, 4, 5}, Float32Type::get(&context)), 32);
  EXPECT_EQ(layout.indexOf(0), (SmallVector<int64_t>{0, 0, 0}));
  EXPECT_EQ(layout.indexOf(7), (SmallVector<int64_t>{0, 1, 2}));
  EXPECT_EQ(layout.indexOf(59), (SmallVector<int64_t>{2, 3, 4}));
}

} // namespace
