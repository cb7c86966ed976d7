//===- DotLowering.cpp - tile.dot -----------------------------------------===//
//
// Every lowering of tile.dot has one shape, the one the layout system's mma
// layouts will keep:
//   1. barrier; each thread writes its chunked elements of a, b and acc into
//      shared memory (tile::dotStaging: row-major, rows padded against bank
//      conflicts); barrier;
//   2. each thread reads its part of the accumulator in the lowering's own
//      *product layout*, runs the loop over the inner dimension with operands
//      read from shared memory, and writes its part of the result back where
//      it read the accumulator (no other thread touches those elements, so no
//      barrier between);
//   3. barrier; each thread reads its chunked elements of the result.
// The acc write of step 1 and step 3 are the two conversions chunked <->
// product layout. Once tiles carry layout encodings they become
// convert_layout ops, which vanish when an accumulator stays in the product
// layout (through an scf.for, into the next dot); step 2 is then the whole
// lowering.
//
// The product layout here is a register block (FMA, exact fp32): each thread
// owns a TM x TN block of the accumulator and, per inner index k, reads its
// TM elements of column k of a (a is staged transposed, so they are
// contiguous) and its TN elements of row k of b with 16-byte shared loads,
// then does TM x TN FMAs (an outer product; fp16/bf16 operands are widened
// exactly to f32).
//
//===----------------------------------------------------------------------===//
#include "Layout.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {
namespace {

/// The largest power of two at most `limit` that divides `n`.
int64_t widestDividing(int64_t n, int64_t limit) {
  int64_t width = 1;
  while (width * 2 <= limit && n % (width * 2) == 0)
    width *= 2;
  return width;
}

/// The shapes of one dot: a is rows x inner, b inner x cols.
struct DotShape {
  DotShape(DotOp op)
      : rows(op.getA().getType().getDimSize(0)), inner(op.getA().getType().getDimSize(1)),
        cols(op.getB().getType().getDimSize(1)), elementType(op.getA().getType().getElementType()),
        elementBytes(op.getA().getType().getElementTypeBitWidth() / 8),
        staging(tile::dotStaging(op)) {}
  int64_t rows, inner, cols;
  Type elementType;
  int64_t elementBytes;
  tile::DotStaging staging;
};

/// The register-block product layout: thread t < gridRows x gridCols owns a
/// TM x TN block of the accumulator, interleaved in pieces of contiguous rows
/// and columns so that neighbour threads read neighbour pieces of shared
/// memory (no bank conflicts): with r = t / gridCols and c = t % gridCols,
/// block row i is row (i / R) * gridRows * R + r * R + i % R and block column
/// j is column (j / C) * gridCols * C + c * C + j % C, for R = rowWidth and
/// C = colWidth. The other threads (tiles smaller than the program) idle.
struct RegisterBlocks {
  RegisterBlocks(const DotShape &shape, int64_t threads) {
    // The smallest block that keeps every element owned once (most threads
    // busy), then the squarest (most FMAs per operand read), then the widest
    // (longer accumulator vectors).
    auto better = [](int64_t tm, int64_t tn, int64_t bestTm, int64_t bestTn) {
      return std::make_tuple(tm * tn, tm + tn, -tn) <
             std::make_tuple(bestTm * bestTn, bestTm + bestTn, -bestTn);
    };
    rowsPerThread = shape.rows;
    colsPerThread = shape.cols;
    for (int64_t tm = 1; tm <= shape.rows; ++tm)
      for (int64_t tn = 1; tn <= shape.cols; ++tn)
        if (shape.rows % tm == 0 && shape.cols % tn == 0 &&
            (shape.rows / tm) * (shape.cols / tn) <= threads &&
            better(tm, tn, rowsPerThread, colsPerThread)) {
          rowsPerThread = tm;
          colsPerThread = tn;
        }
    gridRows = shape.rows / rowsPerThread;
    gridCols = shape.cols / colsPerThread;
    int64_t vectorElements = 16 / shape.elementBytes;
    rowWidth = widestDividing(rowsPerThread, vectorElements);
    colWidth = widestDividing(colsPerThread, vectorElements);
    accWidth = std::min<int64_t>(colWidth, 4);
    kUnroll = widestDividing(shape.inner, kMaxUnroll);
  }
  int64_t activeThreads() const { return gridRows * gridCols; }
  int64_t rowsPerThread, colsPerThread; // TM, TN
  int64_t gridRows, gridCols;
  int64_t rowWidth; // contiguous rows per piece (R): elements of a column of a per load
  int64_t colWidth; // contiguous columns per piece (C): elements of a row of b per load
  int64_t accWidth; // accumulator elements per shared load or store
  int64_t kUnroll;  // inner indices per loop iteration
  static constexpr int64_t kMaxUnroll = 4;
};

Value constantIndex(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// `base + scale * index + offset`, in index arithmetic.
Value affineIndex(OpBuilder &b, Location loc, Value base, Value index, int64_t scale,
                  int64_t offset) {
  Value scaled = arith::MulIOp::create(b, loc, index, constantIndex(b, loc, scale));
  Value sum = arith::AddIOp::create(b, loc, base, scaled);
  return offset == 0 ? sum : arith::AddIOp::create(b, loc, sum, constantIndex(b, loc, offset));
}

Value loadVector(OpBuilder &b, Location loc, Value array, Value index, int64_t width) {
  auto type = VectorType::get({width}, llvm::cast<MemRefType>(array.getType()).getElementType());
  int64_t bytes = width * type.getElementTypeBitWidth() / 8;
  return vector::LoadOp::create(b, loc, type, array, ValueRange{index}, /*nontemporal=*/false,
                                llvm::MaybeAlign(bytes));
}

void storeVector(OpBuilder &b, Location loc, Value vector, Value array, Value index) {
  auto type = llvm::cast<VectorType>(vector.getType());
  int64_t bytes = type.getNumElements() * type.getElementTypeBitWidth() / 8;
  vector::StoreOp::create(b, loc, vector, array, ValueRange{index}, /*nontemporal=*/false,
                          llvm::MaybeAlign(bytes));
}

Value widenToF32(OpBuilder &b, Location loc, Value value) {
  auto type = llvm::cast<VectorType>(value.getType());
  if (type.getElementType().isF32())
    return value;
  return arith::ExtFOp::create(b, loc, VectorType::get(type.getShape(), b.getF32Type()), value);
}

/// Step 2 for register blocks: this thread's TM x TN block of the
/// accumulator (at `accShared`, M x N) gets a x b added, FMA by FMA in the
/// order of the inner dimension, and is written back. `aShared` holds a
/// transposed.
void emitRegisterBlockProduct(OpBuilder &b, Location loc, const DotShape &shape,
                              const RegisterBlocks &blocks, Value tid, Value aShared, Value bShared,
                              Value accShared) {
  int64_t tm = blocks.rowsPerThread, tn = blocks.colsPerThread;
  int64_t rowWidth = blocks.rowWidth, colWidth = blocks.colWidth;
  Value gridCols = constantIndex(b, loc, blocks.gridCols);
  Value rowBase = arith::MulIOp::create(b, loc, arith::DivUIOp::create(b, loc, tid, gridCols),
                                        constantIndex(b, loc, rowWidth));
  Value colBase = arith::MulIOp::create(b, loc, arith::RemUIOp::create(b, loc, tid, gridCols),
                                        constantIndex(b, loc, colWidth));
  auto rowOffset = [&](int64_t i) {
    return (i / rowWidth) * blocks.gridRows * rowWidth + i % rowWidth;
  };
  auto colOffset = [&](int64_t j) {
    return (j / colWidth) * blocks.gridCols * colWidth + j % colWidth;
  };
  // Accumulator element (i, j) of the block is slot i * TN + j.
  auto accIndex = [&](OpBuilder &builder, int64_t i, int64_t j) {
    Value row =
        arith::AddIOp::create(builder, loc, rowBase, constantIndex(builder, loc, rowOffset(i)));
    return affineIndex(builder, loc, colBase, row, shape.cols, colOffset(j));
  };
  auto accType = VectorType::get({tm * tn}, b.getF32Type());
  Value acc = arith::ConstantOp::create(b, loc, llvm::cast<TypedAttr>(b.getZeroAttr(accType)));
  for (int64_t i = 0; i < tm; ++i)
    for (int64_t j = 0; j < tn; j += blocks.accWidth) {
      Value piece = loadVector(b, loc, accShared, accIndex(b, i, j), blocks.accWidth);
      for (int64_t e = 0; e < blocks.accWidth; ++e)
        acc = vector::InsertOp::create(b, loc, vector::ExtractOp::create(b, loc, piece, e), acc,
                                       i * tn + j + e);
    }

  // kUnroll inner indices per iteration: fewer loop and address updates per
  // FMA, with registers for kUnroll x (TM + TN) operands.
  auto loop =
      scf::ForOp::create(b, loc, constantIndex(b, loc, 0), constantIndex(b, loc, shape.inner),
                         constantIndex(b, loc, blocks.kUnroll), ValueRange{acc});
  {
    OpBuilder body = OpBuilder::atBlockBegin(loop.getBody());
    Value sums = loop.getRegionIterArgs()[0];
    for (int64_t step = 0; step < blocks.kUnroll; ++step) {
      Value k = loop.getInductionVar();
      if (step != 0)
        k = arith::AddIOp::create(body, loc, k, constantIndex(body, loc, step));
      // This thread's pieces of column k of a and of row k of b.
      auto pieces = [&](Value array, Value base, int64_t pitch, int64_t count, int64_t width,
                        function_ref<int64_t(int64_t)> offset) {
        SmallVector<Value> values;
        for (int64_t first = 0; first < count; first += width) {
          Value index = affineIndex(body, loc, base, k, pitch, offset(first));
          Value piece = widenToF32(body, loc, loadVector(body, loc, array, index, width));
          for (int64_t e = 0; e < width; ++e)
            values.push_back(vector::ExtractOp::create(body, loc, piece, e));
        }
        return values;
      };
      SmallVector<Value> aColumn =
          pieces(aShared, rowBase, shape.staging.aPitch, tm, rowWidth, rowOffset);
      SmallVector<Value> bRow =
          pieces(bShared, colBase, shape.staging.bPitch, tn, colWidth, colOffset);
      for (int64_t i = 0; i < tm; ++i)
        for (int64_t j = 0; j < tn; ++j) {
          Value sum = vector::ExtractOp::create(body, loc, sums, i * tn + j);
          sum = LLVM::FMAOp::create(body, loc, aColumn[i], bRow[j], sum);
          sums = vector::InsertOp::create(body, loc, sum, sums, i * tn + j);
        }
    }
    scf::YieldOp::create(body, loc, sums);
  }

  Value result = loop.getResult(0);
  for (int64_t i = 0; i < tm; ++i)
    for (int64_t j = 0; j < tn; j += blocks.accWidth) {
      SmallVector<int64_t> slots =
          llvm::to_vector(llvm::seq<int64_t>(i * tn + j, i * tn + j + blocks.accWidth));
      Value piece = vector::ShuffleOp::create(b, loc, result, result, slots);
      storeVector(b, loc, piece, accShared, accIndex(b, i, j));
    }
}

struct DotOpLowering : public OpConversionPattern<DotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(DotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t threads = layout::threadsOf(getTypeConverter());
    DotShape shape(op);
    const tile::DotStaging &staging = shape.staging;
    RankedTensorType aType = op.getA().getType(), bType = op.getB().getType();
    RankedTensorType accType = op.getType();
    layout::TileLayout accLayout(accType, threads);

    // Step 1: stage a, b and the accumulator.
    layout::barrier(rewriter, loc);
    int64_t aStagedRows = staging.mmaSync ? shape.rows : shape.inner;
    Value aShared =
        layout::sharedArray(rewriter, loc, shape.elementType, aStagedRows * staging.aPitch, 0);
    Value bShared = layout::sharedArray(rewriter, loc, shape.elementType,
                                        shape.inner * staging.bPitch, staging.bOffset);
    Value accShared = layout::sharedArray(rewriter, loc, rewriter.getF32Type(),
                                          accLayout.numElements, staging.accOffset);
    // Element (r, c) of a row-major staged tile is at r * pitch + c; of a
    // transposed one at c * pitch + r.
    auto stagedIndex = [loc](ArrayRef<int64_t> shape, int64_t pitch, bool transposed) {
      return [loc, shape, pitch, transposed](OpBuilder &b, Value linear) {
        SmallVector<Value> rowCol = layout::delinearize(b, loc, linear, shape);
        if (transposed)
          std::swap(rowCol[0], rowCol[1]);
        return affineIndex(b, loc, rowCol[1], rowCol[0], pitch, 0);
      };
    };
    layout::writeOwnedElements(rewriter, loc, layout::TileLayout(aType, threads), adaptor.getA(),
                               aShared,
                               stagedIndex(aType.getShape(), staging.aPitch, !staging.mmaSync));
    layout::writeOwnedElements(rewriter, loc, layout::TileLayout(bType, threads), adaptor.getB(),
                               bShared, stagedIndex(bType.getShape(), staging.bPitch, false));
    layout::writeOwnedElements(rewriter, loc, accLayout, adaptor.getAcc(), accShared);
    layout::barrier(rewriter, loc);

    // Step 2: the product in the register-block layout.
    RegisterBlocks blocks(shape, threads);
    Value tid = layout::threadId(rewriter, loc);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      if (blocks.activeThreads() < threads) {
        Value active = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ult, tid,
                                             constantIndex(rewriter, loc, blocks.activeThreads()));
        auto branch = scf::IfOp::create(rewriter, loc, active, /*withElse=*/false);
        rewriter.setInsertionPointToStart(branch.thenBlock());
      }
      emitRegisterBlockProduct(rewriter, loc, shape, blocks, tid, aShared, bShared, accShared);
    }

    // Step 3: back to the chunked layout.
    layout::barrier(rewriter, loc);
    Value result = layout::buildOwnedVector(rewriter, loc, accLayout,
                                            [&](OpBuilder &b, Location l, int64_t, Value linear) {
                                              return layout::readShared(b, l, accShared, linear);
                                            });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateTileDotLoweringPatterns(const TileLayoutTypeConverter &converter,
                                     RewritePatternSet &patterns) {
  patterns.add<DotOpLowering>(converter, patterns.getContext());
}

} // namespace ssdc
