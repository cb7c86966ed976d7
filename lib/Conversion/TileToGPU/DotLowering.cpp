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
// Two product layouts so far. f16/bf16 operands whose shapes allow it
// (tile::dotStaging) run on tensor cores: warps tile the accumulator in
// mma.sync.m16n8k16 fragments (f32 accumulators, PTX ISA "Matrix Fragments
// for mma.m16n8k16"), loading a's fragments with ldmatrix and b's with
// ldmatrix.trans from row-major staging. Upstream's nvgpu.ldmatrix takes the
// shared memref as it is; nvgpu.mma.sync is not used because its lowering
// knows no bf16 (LLVM 22: "failed to deduce operand PTX types"), so the
// product is nvvm.mma.sync with the operand types given.
//
// Otherwise the product layout is a register block (FMA, exact fp32): each thread
// owns a TM x TN block of the accumulator and, for U inner indices at a time,
// reads U elements of each of its TM rows of a and, per inner index k, its TN
// elements of row k of b, with up-to-16-byte shared loads, then does U
// outer products of TM x TN FMAs (fp16/bf16 operands are widened exactly to
// f32). a stays row-major, as its ring's copies write it (a transposed tile
// would have to go through registers, its global loads waiting in every
// iteration).
//
//===----------------------------------------------------------------------===//
#include "Layout.h"
#include "ssdc/Dialect/Tile/IR/Tile.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {
namespace {

/// On the scf.for over a dot's inner dimension: unrollDotInnerLoops
/// unrolls it; with kUnrollCappedAttr, only in a kernel whose registers
/// min_programs_per_sm >= 2 caps (.minnctapersm).
constexpr StringLiteral kUnrollAttr = "tile_gpu.unroll";
constexpr StringLiteral kUnrollCappedAttr = "tile_gpu.unroll_capped";

/// The largest power of two at most `limit` that divides `n`.
int64_t widestDividing(int64_t n, int64_t limit) {
  int64_t width = 1;
  while (width * 2 <= limit && n % (width * 2) == 0)
    width *= 2;
  return width;
}

/// The shapes of one dot: a is rows x inner, b inner x cols.
struct DotShape {
  DotShape(DotOp op, int64_t threads)
      : rows(op.getA().getType().getDimSize(0)), inner(op.getA().getType().getDimSize(1)),
        cols(op.getB().getType().getDimSize(1)), elementType(op.getA().getType().getElementType()),
        elementBytes(op.getA().getType().getElementTypeBitWidth() / 8),
        staging(tile::dotStaging(op, threads)) {}
  int64_t rows, inner, cols;
  Type elementType;
  int64_t elementBytes;
  tile::DotStaging staging;
};

/// The register-block product layout: thread t < gridRows x gridCols (the
/// grid tile::dotStaging chooses) owns a TM x TN block of the accumulator, interleaved in pieces of
/// contiguous rows and columns so that neighbour threads read neighbour pieces of shared memory (no
/// bank conflicts): with r = t / gridCols and c = t % gridCols, block row i is row (i / R) *
/// gridRows * R + r * R + i % R and block column j is column (j / C) * gridCols * C + c * C + j %
/// C, for R = rowWidth and C = colWidth. The other threads (tiles smaller than the program) idle.
struct RegisterBlocks {
  RegisterBlocks(const DotShape &shape)
      : rowsPerThread(shape.staging.blockRows), colsPerThread(shape.staging.blockCols),
        gridRows(shape.staging.gridRows), gridCols(shape.staging.gridCols) {
    int64_t vectorElements = 16 / shape.elementBytes;
    rowWidth = widestDividing(rowsPerThread, vectorElements);
    colWidth = widestDividing(colsPerThread, vectorElements);
    accWidth = std::min<int64_t>(colWidth, 4);
    kUnroll = widestDividing(shape.inner, kMaxUnroll);
  }
  int64_t activeThreads() const { return gridRows * gridCols; }
  int64_t rowsPerThread, colsPerThread; // TM, TN
  int64_t gridRows, gridCols;
  int64_t rowWidth; // contiguous rows per piece (R)
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

/// Where this thread's register block lies in the accumulator: block
/// element (i, j), slot i * TN + j, is at row rowBase + rowOffset(i) and
/// column colBase + colOffset(j) (see RegisterBlocks).
struct RegisterBlockSites {
  RegisterBlockSites(OpBuilder &b, Location loc, const DotShape &shape,
                     const RegisterBlocks &blocks, Value tid)
      : loc(loc), shape(shape), blocks(blocks) {
    Value gridCols = constantIndex(b, loc, blocks.gridCols);
    rowBase = arith::MulIOp::create(b, loc, arith::DivUIOp::create(b, loc, tid, gridCols),
                                    constantIndex(b, loc, blocks.rowWidth));
    colBase = arith::MulIOp::create(b, loc, arith::RemUIOp::create(b, loc, tid, gridCols),
                                    constantIndex(b, loc, blocks.colWidth));
  }
  int64_t rowOffset(int64_t i) const {
    return (i / blocks.rowWidth) * blocks.gridRows * blocks.rowWidth + i % blocks.rowWidth;
  }
  int64_t colOffset(int64_t j) const {
    return (j / blocks.colWidth) * blocks.gridCols * blocks.colWidth + j % blocks.colWidth;
  }
  /// The row of block row i.
  Value row(OpBuilder &b, int64_t i) const {
    return arith::AddIOp::create(b, loc, rowBase, constantIndex(b, loc, rowOffset(i)));
  }
  /// The row-major index of block element (i, j) in the M x N accumulator.
  Value accIndex(OpBuilder &b, int64_t i, int64_t j) const {
    return affineIndex(b, loc, colBase, row(b, i), shape.cols, colOffset(j));
  }
  Location loc;
  const DotShape &shape;
  const RegisterBlocks &blocks;
  Value rowBase, colBase;
};

/// This thread's register block of the row-major M x N array `accShared`.
Value readRegisterBlock(OpBuilder &b, const RegisterBlockSites &sites, Value accShared) {
  Location loc = sites.loc;
  int64_t tm = sites.blocks.rowsPerThread, tn = sites.blocks.colsPerThread;
  int64_t width = sites.blocks.accWidth;
  auto accType = VectorType::get({tm * tn}, b.getF32Type());
  Value acc = arith::ConstantOp::create(b, loc, llvm::cast<TypedAttr>(b.getZeroAttr(accType)));
  for (int64_t i = 0; i < tm; ++i)
    for (int64_t j = 0; j < tn; j += width) {
      Value piece = loadVector(b, loc, accShared, sites.accIndex(b, i, j), width);
      for (int64_t e = 0; e < width; ++e)
        acc = vector::InsertOp::create(b, loc, vector::ExtractOp::create(b, loc, piece, e), acc,
                                       i * tn + j + e);
    }
  return acc;
}

/// Writes this thread's register block `acc` into `accShared`.
void writeRegisterBlock(OpBuilder &b, const RegisterBlockSites &sites, Value acc, Value accShared) {
  int64_t tm = sites.blocks.rowsPerThread, tn = sites.blocks.colsPerThread;
  int64_t width = sites.blocks.accWidth;
  for (int64_t i = 0; i < tm; ++i)
    for (int64_t j = 0; j < tn; j += width) {
      SmallVector<int64_t> slots =
          llvm::to_vector(llvm::seq<int64_t>(i * tn + j, i * tn + j + width));
      Value piece = vector::ShuffleOp::create(b, sites.loc, acc, acc, slots);
      storeVector(b, sites.loc, piece, accShared, sites.accIndex(b, i, j));
    }
}

/// Step 2 for register blocks: this thread's TM x TN block `acc` of the
/// accumulator gets a x b added, FMA by FMA in the order of the inner
/// dimension.
Value emitRegisterBlockProduct(OpBuilder &b, const RegisterBlockSites &sites, Value aShared,
                               Value bShared, Value acc) {
  Location loc = sites.loc;
  const DotShape &shape = sites.shape;
  const RegisterBlocks &blocks = sites.blocks;
  int64_t tm = blocks.rowsPerThread, tn = blocks.colsPerThread;
  int64_t colWidth = blocks.colWidth;

  // kUnroll inner indices per iteration: fewer loop and address updates per
  // FMA, with registers for kUnroll x (TM + TN) operands.
  auto loop =
      scf::ForOp::create(b, loc, constantIndex(b, loc, 0), constantIndex(b, loc, shape.inner),
                         constantIndex(b, loc, blocks.kUnroll), ValueRange{acc});
  {
    OpBuilder body = OpBuilder::atBlockBegin(loop.getBody(), b.getListener());
    Value sums = loop.getRegionIterArgs()[0];
    Value k0 = loop.getInductionVar();
    auto elements = [&](Value array, Value index, int64_t width, SmallVector<Value> &values) {
      Value piece = widenToF32(body, loc, loadVector(body, loc, array, index, width));
      for (int64_t e = 0; e < width; ++e)
        values.push_back(vector::ExtractOp::create(body, loc, piece, e));
    };
    // aRows[i][step]: a at this thread's row i and inner index k0 + step,
    // kUnroll of them a load (the pitch is a multiple of 16 bytes).
    SmallVector<SmallVector<Value>> aRows(tm);
    for (int64_t i = 0; i < tm; ++i)
      elements(aShared, affineIndex(body, loc, k0, sites.row(body, i), shape.staging.aPitch, 0),
               blocks.kUnroll, aRows[i]);
    for (int64_t step = 0; step < blocks.kUnroll; ++step) {
      Value k = k0;
      if (step != 0)
        k = arith::AddIOp::create(body, loc, k, constantIndex(body, loc, step));
      // This thread's pieces of row k of b.
      SmallVector<Value> bRow;
      for (int64_t first = 0; first < tn; first += colWidth)
        elements(
            bShared,
            affineIndex(body, loc, sites.colBase, k, shape.staging.bPitch, sites.colOffset(first)),
            colWidth, bRow);
      for (int64_t i = 0; i < tm; ++i)
        for (int64_t j = 0; j < tn; ++j) {
          Value sum = vector::ExtractOp::create(body, loc, sums, i * tn + j);
          sum = LLVM::FMAOp::create(body, loc, aRows[i][step], bRow[j], sum);
          sums = vector::InsertOp::create(body, loc, sum, sums, i * tn + j);
        }
    }
    scf::YieldOp::create(body, loc, sums);
  }
  return loop.getResult(0);
}

/// The tensor-core product layouts. mma.sync: warp w < warpRows x warpCols
/// (the grid tile::dotStaging chooses) owns a block of
/// mTiles x nTiles accumulator tiles of 16 x 8, rows
/// [(w / warpCols) mTiles 16, +mTiles 16) and columns
/// [(w % warpCols) nTiles 8, +nTiles 8); in each tile lane l holds
/// (l / 4, 2 (l % 4) + {0, 1}) and (l / 4 + 8, 2 (l % 4) + {0, 1}). The other
/// warps (tiles smaller than the program) idle. wgmma: the grid is of
/// warpgroups g = w / 4, each owning mTiles m64 blocks of nTiles 8-column
/// tiles (rows (g / warpCols) mTiles 64 + 64 i, columns (g % warpCols)
/// nTiles 8); warp w % 4 of it holds rows 16 (w % 4) + [0, 16) of each
/// block, lane by lane as in an mma.sync tile (PTX ISA "Register Fragments
/// and Shared Memory Matrix Layouts" for wgmma .m64nNk16: the accumulator
/// of one wgmma is this warp's row of its nTiles tiles).
struct MmaTiles {
  static constexpr int64_t kM = 16, kN = 8;
  MmaTiles(const DotShape &shape, tile::InputPrecision precision)
      : warpRows(shape.staging.gridRows), warpCols(shape.staging.gridCols),
        rowStep(shape.staging.wgmma ? 64 : kM), mTiles(shape.staging.blockRows / rowStep),
        nTiles(shape.staging.blockCols / kN),
        innerStep(shape.elementType.isF32() && precision != tile::InputPrecision::bf16x3 ? 8 : 16),
        precision(precision), wgmma(shape.staging.wgmma) {}
  int64_t activeThreads() const { return warpRows * warpCols * (wgmma ? 128 : 32); }
  int64_t warpRows, warpCols;
  int64_t rowStep; // rows from one of a warp's tiles to the next: 16, or 64 (wgmma)
  int64_t mTiles, nTiles;
  int64_t innerStep; // K of the mma: 16 (f16/bf16, bf16x3), 8 (tf32)
  tile::InputPrecision precision;
  bool wgmma;
  /// Per operand (a, b): its ring slot holds it rounded to tf32 already
  /// (layout::ringRoundedToTf32).
  std::array<bool, 2> roundedInSlot = {false, false};
  /// Per operand, for tf32x3 on wgmma: bytes from an element's big part to
  /// its small part in the ring slot (layout::ringSmallOffset); else 0.
  std::array<int64_t, 2> smallInSlot = {0, 0};
};

/// One mma.sync operand register: `big`, and for tf32x3 also `small`.
struct MmaOperand {
  Value big, small;
};

/// The f32 `value` as tf32 operands (i32 bits): big = cvt.rna(value), and for
/// tf32x3 small = cvt.rna(value - big) (the difference is exact in f32).
/// A value its ring slot already holds rounded (`rounded`, tf32 only) is
/// big as it is.
MmaOperand tf32Operand(OpBuilder &b, Location loc, Value value, bool split, bool rounded) {
  if (rounded)
    return {arith::BitcastOp::create(b, loc, b.getI32Type(), value), Value()};
  auto round = [&](Value x) {
    return NVVM::ConvertFloatToTF32Op::create(b, loc, b.getI32Type(), x, NVVM::FPRoundingMode::RNA);
  };
  Value big = round(value);
  if (!split)
    return {big, Value()};
  Value rest =
      arith::SubFOp::create(b, loc, value, arith::BitcastOp::create(b, loc, b.getF32Type(), big));
  return {big, round(rest)};
}

/// The f32 pair `pair` (vector<2xf32>) as one bf16x3 mma.sync operand
/// register (two bf16 packed in an i32, the lower element first): big =
/// bf16(value) to nearest even (arith.truncf: cvt.rn.bf16x2.f32), small =
/// bf16(value - big) (the difference is exact in f32).
MmaOperand bf16PairOperand(OpBuilder &b, Location loc, Value pair) {
  auto halves = VectorType::get({2}, b.getBF16Type());
  auto pack = [&](Value value) -> Value {
    Value packed = vector::BitCastOp::create(b, loc, VectorType::get({1}, b.getI32Type()), value);
    return vector::ExtractOp::create(b, loc, packed, 0);
  };
  Value big = arith::TruncFOp::create(b, loc, halves, pair);
  Value rest =
      arith::SubFOp::create(b, loc, pair, arith::ExtFOp::create(b, loc, pair.getType(), big));
  return {pack(big), pack(arith::TruncFOp::create(b, loc, halves, rest))};
}

/// The mma.sync operand of row `row` of an ldmatrix result: two f16 as
/// vector<2xf16>, two bf16 packed in an i32 (what nvvm.mma.sync takes), one
/// f32 rounded to tf32 (unless `rounded` in its slot).
MmaOperand mmaOperand(OpBuilder &b, Location loc, Value fragment, int64_t row, bool split,
                      bool rounded) {
  Value piece = vector::ExtractOp::create(b, loc, fragment, row);
  Type elementType = llvm::cast<VectorType>(piece.getType()).getElementType();
  if (elementType.isF16())
    return {piece, Value()};
  if (elementType.isF32())
    return tf32Operand(b, loc, vector::ExtractOp::create(b, loc, piece, 0), split, rounded);
  Value packed = vector::BitCastOp::create(b, loc, VectorType::get({1}, b.getI32Type()), piece);
  return {vector::ExtractOp::create(b, loc, packed, 0), Value()};
}

/// Where this warp's and lane's accumulator elements lie: element e of tile
/// (i, j) is slot ((i nTiles) + j) 4 + e; elements 2 h, 2 h + 1 are at row
/// rowBase + group + 16 i + 8 h, columns colBase + pairCol + 8 j + {0, 1}
/// (see MmaTiles).
struct MmaSites {
  static constexpr int64_t kM = MmaTiles::kM;
  MmaSites(OpBuilder &b, Location loc, const DotShape &shape, const MmaTiles &tiles, Value tid)
      : loc(loc), shape(shape), tiles(tiles) {
    warp = arith::DivUIOp::create(b, loc, tid, constantIndex(b, loc, 32));
    // wgmma's descriptors are computed from the warpgroup: read from lane 0,
    // ptxas knows the warp index is the same in every lane and keeps them in
    // uniform registers, which wgmma reads them from (as Triton's warp id).
    if (tiles.wgmma)
      warp = layout::sameInEveryLane(b, loc, warp);
    lane = arith::RemUIOp::create(b, loc, tid, constantIndex(b, loc, 32));
    Value warpCols = constantIndex(b, loc, tiles.warpCols);
    // The grid cell: the warp, or its warpgroup.
    Value cell =
        tiles.wgmma ? arith::DivUIOp::create(b, loc, warp, constantIndex(b, loc, 4)) : warp;
    cellRow = arith::MulIOp::create(b, loc, arith::DivUIOp::create(b, loc, cell, warpCols),
                                    constantIndex(b, loc, tiles.mTiles * tiles.rowStep));
    rowBase =
        tiles.wgmma
            ? affineIndex(b, loc, cellRow,
                          arith::RemUIOp::create(b, loc, warp, constantIndex(b, loc, 4)), kM, 0)
            : cellRow;
    colBase = arith::MulIOp::create(b, loc, arith::RemUIOp::create(b, loc, cell, warpCols),
                                    constantIndex(b, loc, tiles.nTiles * MmaTiles::kN));
    group = arith::DivUIOp::create(b, loc, lane, constantIndex(b, loc, 4));
    quad = arith::RemUIOp::create(b, loc, lane, constantIndex(b, loc, 4));
    pairCol = arith::MulIOp::create(b, loc, quad, constantIndex(b, loc, 2));
  }
  int64_t slot(int64_t i, int64_t j, int64_t half) const {
    return (i * tiles.nTiles + j) * 4 + 2 * half;
  }
  /// The row-major index of elements 2 half, 2 half + 1 of tile (i, j).
  Value accIndex(OpBuilder &b, int64_t i, int64_t j, int64_t half) const {
    Value row = arith::AddIOp::create(b, loc, rowBase, group);
    row = arith::AddIOp::create(b, loc, row, constantIndex(b, loc, i * tiles.rowStep + 8 * half));
    Value col = arith::AddIOp::create(b, loc, colBase, pairCol);
    return affineIndex(b, loc, col, row, shape.cols, j * MmaTiles::kN);
  }
  Location loc;
  const DotShape &shape;
  const MmaTiles &tiles;
  Value warp, lane;
  Value cellRow, colBase; // the first row and column of this warp's (warpgroup's) cell
  Value rowBase;          // the first row of this warp's tiles
  Value group, quad, pairCol;
};

/// This warp's and lane's mma accumulator elements of the row-major M x N
/// array `accShared`.
Value readMmaTiles(OpBuilder &b, const MmaSites &sites, Value accShared) {
  Location loc = sites.loc;
  int64_t slots = sites.tiles.mTiles * sites.tiles.nTiles * 4;
  Value acc = arith::ConstantOp::create(
      b, loc, llvm::cast<TypedAttr>(b.getZeroAttr(VectorType::get({slots}, b.getF32Type()))));
  for (int64_t i = 0; i < sites.tiles.mTiles; ++i)
    for (int64_t j = 0; j < sites.tiles.nTiles; ++j)
      for (int64_t half = 0; half < 2; ++half) {
        Value pair = loadVector(b, loc, accShared, sites.accIndex(b, i, j, half), 2);
        for (int64_t e = 0; e < 2; ++e)
          acc = vector::InsertOp::create(b, loc, vector::ExtractOp::create(b, loc, pair, e), acc,
                                         sites.slot(i, j, half) + e);
      }
  return acc;
}

/// Writes this warp's and lane's mma accumulator elements `acc` into
/// `accShared`.
void writeMmaTiles(OpBuilder &b, const MmaSites &sites, Value acc, Value accShared) {
  for (int64_t i = 0; i < sites.tiles.mTiles; ++i)
    for (int64_t j = 0; j < sites.tiles.nTiles; ++j)
      for (int64_t half = 0; half < 2; ++half) {
        int64_t first = sites.slot(i, j, half);
        Value pair =
            vector::ShuffleOp::create(b, sites.loc, acc, acc, ArrayRef<int64_t>{first, first + 1});
        storeVector(b, sites.loc, pair, accShared, sites.accIndex(b, i, j, half));
      }
}

/// Step 2 for mma.sync: this warp's accumulator tiles `acc` get a x b
/// added, `innerStep` inner indices per mma (three mmas for tf32x3 and
/// bf16x3). a and b are staged row-major. a's fragments come from ldmatrix
/// x4 (for f32, each 8 x 8 b16 matrix is 8 x 4 f32, lane l getting element
/// (l / 4, l % 4): the m16n8k8 tf32 layout); b's from ldmatrix x4/x2 trans
/// for 16-bit elements, and for f32, which ldmatrix cannot transpose, from
/// two shared loads per tile: (k = l % 4 + {0, 4}, n = l / 4). bf16x3 takes
/// f32 pairs where the m16n8k16 bf16 layout puts them (PTX ISA, "Matrix
/// Fragments for mma.m16n8k16"), lane l with g = l / 4, q = l % 4: a's
/// register r holds row g + 8 (r % 2), columns 2 q + 8 (r / 2) + {0, 1} (one
/// 8-byte shared load); b's register r holds rows 2 q + 8 r + {0, 1} of
/// column g (two shared loads).
Value emitMmaProduct(OpBuilder &b, const MmaSites &sites, Value aShared, Value bShared, Value acc) {
  Location loc = sites.loc;
  const DotShape &shape = sites.shape;
  const MmaTiles &tiles = sites.tiles;
  constexpr int64_t kM = MmaTiles::kM, kN = MmaTiles::kN;
  int64_t kK = tiles.innerStep;
  bool isF32 = shape.elementType.isF32();
  bool bf16Split = tiles.precision == tile::InputPrecision::bf16x3;
  bool split = tiles.precision == tile::InputPrecision::tf32x3 || bf16Split;
  int64_t mTiles = tiles.mTiles, nTiles = tiles.nTiles;
  Value lane = sites.lane, rowBase = sites.rowBase, colBase = sites.colBase;
  Value group = sites.group, quad = sites.quad;
  // ldmatrix: lane l gives the address of row l % 16 of a 16-row piece, at
  // column (l / 16) x 16 bytes: the four 8 x 8 (b16) matrices of an a
  // fragment, or of two b fragments (k rows 0-15 at columns n and n + 8).
  Value laneRow = arith::RemUIOp::create(b, loc, lane, constantIndex(b, loc, 16));
  Value laneHalf = arith::DivUIOp::create(b, loc, lane, constantIndex(b, loc, 16));
  Value aLaneCol =
      arith::MulIOp::create(b, loc, laneHalf, constantIndex(b, loc, 16 / shape.elementBytes));
  Value bLaneCol = arith::MulIOp::create(b, loc, laneHalf, constantIndex(b, loc, kN));

  Type elementType = shape.elementType;
  auto ptxType = bf16Split             ? NVVM::MMATypes::bf16
                 : isF32               ? NVVM::MMATypes::tf32
                 : elementType.isF16() ? NVVM::MMATypes::f16
                                       : NVVM::MMATypes::bf16;
  auto shared = [&](int64_t tilesLoaded) {
    return VectorType::get({tilesLoaded, 32 / (8 * shape.elementBytes)}, elementType);
  };
  Type f32 = b.getF32Type();
  auto resultType = LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
  // The split precisions, as Triton's F32DotTC pass: a dot's products sum
  // from zero and join the accumulator in one f32 add (rounded to nearest).
  // The tensor cores truncate every addition into their accumulator, and
  // summed into the running accumulator over the whole inner dimension that
  // bias left tf32x3 5x less accurate than the f32 FMA loop
  // (bench/NOTES.md, "tf32 b loads side by side; split products summed from
  // zero").
  Value init = split ? Value(arith::ConstantOp::create(
                           b, loc, llvm::cast<TypedAttr>(b.getZeroAttr(acc.getType()))))
                     : acc;
  auto loop =
      scf::ForOp::create(b, loc, constantIndex(b, loc, 0), constantIndex(b, loc, shape.inner),
                         constantIndex(b, loc, kK), ValueRange{init});
  // Unrolled, a step's loads overlap the previous step's mmas. The 16-bit
  // (and bf16x3) loops only where that costs no occupancy: under a register
  // cap, or where the accumulators alone fill half of an SM's register file
  // (64 Ki 32-bit registers from sm_80 to sm_90), so that two programs
  // cannot share an SM anyway (128x256 on 8 warps: 128 a thread; unrolled,
  // ptxas gives it 247 registers without spills). Uncapped, ptxas gave the
  // unrolled bf16 128x128 kernel on 8 warps 166 registers, one program an SM
  // instead of two, and it lost 29% (bench/NOTES.md, "mma.sync inner loops
  // unrolled"); with min_programs_per_sm = 2 it fits 128 without spills.
  constexpr int64_t kRegistersPerSM = 64 * 1024;
  bool onePerSM = 2 * tiles.activeThreads() * mTiles * nTiles * 4 >= kRegistersPerSM;
  loop->setAttr((isF32 && !bf16Split) || onePerSM ? kUnrollAttr : kUnrollCappedAttr,
                b.getUnitAttr());
  {
    OpBuilder body = OpBuilder::atBlockBegin(loop.getBody(), b.getListener());
    Value k = loop.getInductionVar();
    Value sums = loop.getRegionIterArgs()[0];
    SmallVector<SmallVector<MmaOperand, 4>> aFragments;
    for (int64_t i = 0; bf16Split && i < mTiles; ++i) {
      aFragments.push_back({});
      for (int64_t r = 0; r < 4; ++r) {
        Value row = arith::AddIOp::create(body, loc, rowBase, group);
        row = arith::AddIOp::create(body, loc, row, constantIndex(body, loc, i * kM + 8 * (r % 2)));
        Value col = arith::AddIOp::create(
            body, loc, k, arith::MulIOp::create(body, loc, quad, constantIndex(body, loc, 2)));
        Value index = affineIndex(body, loc, col, row, shape.staging.aPitch, 8 * (r / 2));
        aFragments.back().push_back(
            bf16PairOperand(body, loc, loadVector(body, loc, aShared, index, 2)));
      }
    }
    for (int64_t i = 0; !bf16Split && i < mTiles; ++i) {
      Value row = arith::AddIOp::create(body, loc, rowBase, laneRow);
      row = arith::AddIOp::create(body, loc, row, constantIndex(body, loc, i * kM));
      Value col = arith::AddIOp::create(body, loc, k, aLaneCol);
      Value index = affineIndex(body, loc, col, row, shape.staging.aPitch, 0);
      Value fragment = nvgpu::LdMatrixOp::create(body, loc, shared(4), aShared, ValueRange{index},
                                                 /*transpose=*/false, /*numTiles=*/4);
      aFragments.push_back({});
      for (int64_t r = 0; r < 4; ++r)
        aFragments.back().push_back(
            mmaOperand(body, loc, fragment, r, split, tiles.roundedInSlot[0]));
    }
    SmallVector<SmallVector<MmaOperand, 2>> bFragments;
    for (int64_t j = 0; bf16Split && j < nTiles; ++j) {
      bFragments.push_back({});
      for (int64_t r = 0; r < 2; ++r) {
        Value row = arith::AddIOp::create(
            body, loc, k, arith::MulIOp::create(body, loc, quad, constantIndex(body, loc, 2)));
        row = arith::AddIOp::create(body, loc, row, constantIndex(body, loc, 8 * r));
        Value col = arith::AddIOp::create(body, loc, colBase, group);
        SmallVector<Value, 2> pair;
        for (int64_t e = 0; e < 2; ++e) {
          Value index = affineIndex(body, loc, col, row, shape.staging.bPitch,
                                    j * kN + e * shape.staging.bPitch);
          pair.push_back(memref::LoadOp::create(body, loc, bShared, ValueRange{index}));
        }
        Value elements =
            vector::FromElementsOp::create(body, loc, VectorType::get({2}, b.getF32Type()), pair);
        bFragments.back().push_back(bf16PairOperand(body, loc, elements));
      }
    }
    for (int64_t j = 0; isF32 && !bf16Split && j < nTiles; ++j) {
      bFragments.push_back({});
      for (int64_t half = 0; half < 2; ++half) {
        Value row = arith::AddIOp::create(body, loc, k, quad);
        row = arith::AddIOp::create(body, loc, row, constantIndex(body, loc, 4 * half));
        Value col = arith::AddIOp::create(body, loc, colBase, group);
        Value index = affineIndex(body, loc, col, row, shape.staging.bPitch, j * kN);
        Value element = memref::LoadOp::create(body, loc, bShared, ValueRange{index});
        bFragments.back().push_back(tf32Operand(body, loc, element, split, tiles.roundedInSlot[1]));
      }
    }
    for (int64_t j = 0; !isF32 && j < nTiles; j += 2) {
      int64_t pair = std::min<int64_t>(2, nTiles - j);
      Value row = arith::AddIOp::create(body, loc, k, laneRow);
      Value col = arith::AddIOp::create(body, loc, colBase, constantIndex(body, loc, j * kN));
      if (pair == 2)
        col = arith::AddIOp::create(body, loc, col, bLaneCol);
      Value index = affineIndex(body, loc, col, row, shape.staging.bPitch, 0);
      Value fragment =
          nvgpu::LdMatrixOp::create(body, loc, shared(2 * pair), bShared, ValueRange{index},
                                    /*transpose=*/true, /*numTiles=*/2 * pair);
      for (int64_t t = 0; t < pair; ++t)
        bFragments.push_back({mmaOperand(body, loc, fragment, 2 * t, split, false),
                              mmaOperand(body, loc, fragment, 2 * t + 1, split, false)});
    }
    for (int64_t i = 0; i < mTiles; ++i)
      for (int64_t j = 0; j < nTiles; ++j) {
        int64_t first = (i * nTiles + j) * 4;
        SmallVector<Value, 4> c;
        for (int64_t e = 0; e < 4; ++e)
          c.push_back(vector::ExtractOp::create(body, loc, sums, first + e));
        auto mma = [&](auto aPart, auto bPart) {
          SmallVector<Value, 4> aRegs, bRegs;
          for (const MmaOperand &operand : aFragments[i])
            aRegs.push_back(aPart(operand));
          for (const MmaOperand &operand : bFragments[j])
            bRegs.push_back(bPart(operand));
          Value d = NVVM::MmaOp::create(
              body, loc, resultType, aRegs, bRegs, c, {kM, kN, kK},
              /*b1Op=*/std::nullopt, /*intOverflow=*/std::nullopt,
              std::array<NVVM::MMATypes, 2>{ptxType, ptxType},
              std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row, NVVM::MMALayout::col});
          for (int64_t e = 0; e < 4; ++e)
            c[e] = LLVM::ExtractValueOp::create(body, loc, d, ArrayRef<int64_t>{e});
        };
        auto big = [](const MmaOperand &operand) { return operand.big; };
        auto small = [](const MmaOperand &operand) { return operand.small; };
        // tf32x3 as Triton orders it: the small cross terms first, the big
        // product last.
        if (split) {
          mma(small, big);
          mma(big, small);
        }
        mma(big, big);
        for (int64_t e = 0; e < 4; ++e)
          sums = vector::InsertOp::create(body, loc, c[e], sums, first + e);
      }
    scf::YieldOp::create(body, loc, sums);
  }
  if (split)
    return arith::AddFOp::create(b, loc, acc, loop.getResult(0));
  return loop.getResult(0);
}

/// The shared-memory address of `array`'s first element, as i64.
Value sharedAddress(OpBuilder &b, Location loc, Value array) {
  Value index = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, array);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

/// wgmma matrix descriptors (PTX ISA "Matrix Descriptor Format") of one
/// operand: the start address and the leading and stride byte offsets in
/// 16-byte units (bits 0-13, 16-29, 32-45), the swizzle mode in bits 62-63,
/// base offset 0 (the atoms are aligned). Built once from the operand's first
/// address; the descriptor of a byte past it is the low word plus
/// byte / 16, with no carry out of bits 0-13 (shared memory ends below
/// 2^18 bytes), so each wgmma costs one 32-bit add (as Triton increments its
/// descriptors) rather than the shifts and masks of a rebuilt one.
struct WgmmaDescriptors {
  WgmmaDescriptors(OpBuilder &b, Location loc, Value address, int64_t leadingBytes,
                   int64_t strideBytes, int64_t mode) {
    Type i32 = b.getI32Type();
    Value start = arith::AndIOp::create(
        b, loc,
        arith::ShRUIOp::create(b, loc, arith::TruncIOp::create(b, loc, i32, address),
                               arith::ConstantIntOp::create(b, loc, 4, 32)),
        arith::ConstantIntOp::create(b, loc, 0x3FFF, 32));
    low = arith::OrIOp::create(
        b, loc, start,
        arith::ConstantIntOp::create(b, loc, ((leadingBytes >> 4) & 0x3FFF) << 16, 32));
    high = (uint64_t(strideBytes >> 4) & 0x3FFF) << 32 | uint64_t(mode) << 62;
  }
  /// The descriptor of the matrix `byte` bytes (a multiple of 16) past the
  /// first address.
  Value at(OpBuilder &b, Location loc, int64_t byte) const {
    Value word =
        arith::AddIOp::create(b, loc, low, arith::ConstantIntOp::create(b, loc, byte >> 4, 32));
    return arith::OrIOp::create(b, loc, arith::ExtUIOp::create(b, loc, b.getI64Type(), word),
                                arith::ConstantIntOp::create(b, loc, int64_t(high), 64));
  }
  Value low;
  uint64_t high;
};

/// `acc` once at most `pending` wgmma groups of this thread are in flight
/// (wgmma.wait_group): inline PTX that takes the accumulator registers as
/// read-write operands (as Triton's warp_group_dot_wait), so that no read
/// of them moves above it; nvvm.wgmma.wait.group has none.
Value waitForWgmma(OpBuilder &b, Location loc, Value acc, int64_t pending) {
  int64_t count = llvm::cast<VectorType>(acc.getType()).getNumElements();
  Type f32 = b.getF32Type();
  SmallVector<Value> elements;
  for (int64_t e = 0; e < count; ++e)
    elements.push_back(vector::ExtractOp::create(b, loc, acc, e));
  std::string constraints;
  for (int64_t e = 0; e < count; ++e)
    constraints += "=f,";
  for (int64_t e = 0; e < count; ++e)
    constraints += std::to_string(e) + (e + 1 < count ? "," : "");
  auto allType = LLVM::LLVMStructType::getLiteral(b.getContext(), SmallVector<Type>(count, f32));
  std::string wait = "wgmma.wait_group.sync.aligned " + std::to_string(pending) + ";";
  Value waited = LLVM::InlineAsmOp::create(b, loc, allType, elements, wait, constraints,
                                           /*has_side_effects=*/true, /*is_align_stack=*/false,
                                           LLVM::tailcallkind::TailCallKind::None,
                                           /*asm_dialect=*/LLVM::AsmDialectAttr(),
                                           /*operand_attrs=*/ArrayAttr())
                     .getResult(0);
  for (int64_t e = 0; e < count; ++e)
    acc = vector::InsertOp::create(b, loc, LLVM::ExtractValueOp::create(b, loc, waited, e), acc, e);
  return acc;
}

/// Byte `k` (an inner index) of row 0 of a K-major operand in `layout`: in
/// column block k / atomColumns, at column k mod atomColumns.
int64_t kMajorByte(const tile::WgmmaOperandLayout &layout, int64_t k) {
  return k / layout.atomColumns() * layout.blockBytes() +
         k % layout.atomColumns() * layout.elementBytes;
}

/// Step 2 for wgmma: this warpgroup's accumulator blocks `acc` get a x b
/// added. a and b lie in their ring slots in the swizzled layout
/// (tile::WgmmaOperandLayout: a K-major; b N-major, which wgmma reads with
/// imm-trans-b = 1, or for tf32 transposed, K-major); per innerStep inner
/// indices (16, tf32 8), one wgmma.mma_async m64nNk16 (k8) per m64 block,
/// all in one group; `whileInFlight` emits what runs while it computes,
/// then the wait leaves at most `pending` groups in flight (1: the
/// accumulators flow on to the next iteration's wgmmas, which chain on
/// them, and are waited for after the loop).
Value emitWgmmaProduct(OpBuilder &b, const MmaSites &sites, Value aShared, Value bShared, Value acc,
                       function_ref<void()> whileInFlight, int64_t pending) {
  Location loc = sites.loc;
  const DotShape &shape = sites.shape;
  const MmaTiles &tiles = sites.tiles;
  MLIRContext *context = b.getContext();
  tile::WgmmaOperandLayout aLayout = *tile::wgmmaOperandLayout(
      RankedTensorType::get({shape.rows, shape.inner}, shape.elementType), 0);
  tile::WgmmaOperandLayout bLayout = *tile::wgmmaOperandLayout(
      RankedTensorType::get({shape.inner, shape.cols}, shape.elementType), 1);
  bool bKMajor = bLayout.transposed; // K-major like a (tf32), else N-major
  int64_t blockCols = tiles.nTiles * MmaTiles::kN;
  auto i64Of = [&](Value index) {
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), index).getResult();
  };
  // This warpgroup's first row of a; of b, its first row (K-major: the
  // layout's rows are b's columns) or first column block.
  Value aBase = arith::AddIOp::create(
      b, loc, sharedAddress(b, loc, aShared),
      i64Of(arith::MulIOp::create(b, loc, sites.cellRow,
                                  constantIndex(b, loc, aLayout.swizzleBytes))));
  Value bOffset = bKMajor ? arith::MulIOp::create(b, loc, sites.colBase,
                                                  constantIndex(b, loc, bLayout.swizzleBytes))
                          : arith::MulIOp::create(b, loc,
                                                  arith::DivUIOp::create(
                                                      b, loc, sites.colBase,
                                                      constantIndex(b, loc, bLayout.atomColumns())),
                                                  constantIndex(b, loc, bLayout.blockBytes()));
  Value bBase = arith::AddIOp::create(b, loc, sharedAddress(b, loc, bShared), i64Of(bOffset));
  // K-major with k inside one swizzle row: the leading offset is unused.
  WgmmaDescriptors aDescriptors(b, loc, aBase, 16, 8 * aLayout.swizzleBytes,
                                aLayout.descriptorMode());
  WgmmaDescriptors bDescriptors(b, loc, bBase, bKMajor ? 16 : bLayout.blockBytes(),
                                8 * bLayout.swizzleBytes, bLayout.descriptorMode());

  Type f32 = b.getF32Type();
  int64_t perBlock = tiles.nTiles * 4; // accumulator elements of one m64 block
  auto blockType = LLVM::LLVMStructType::getLiteral(context, SmallVector<Type>(perBlock, f32));
  // tf32x3: the three products of each element pair (small·big, big·small,
  // big·big, as on mma.sync) go into blocks that start from zero (scale-d 0
  // on the first wgmma), added to `acc` in f32 after the wait: the tensor
  // cores truncate each addition into their accumulator, which over the
  // whole inner dimension made tf32x3 less accurate than fp32 FMAs
  // (bench/NOTES.md). Both rings hold the small parts smallInSlot bytes past
  // the big ones.
  bool split = tiles.smallInSlot[0] != 0;
  SmallVector<Value> blocks;
  for (int64_t i = 0; i < tiles.mTiles; ++i) {
    Value block = LLVM::UndefOp::create(b, loc, blockType);
    for (int64_t e = 0; e < perBlock && !split; ++e)
      block = LLVM::InsertValueOp::create(
          b, loc, block, vector::ExtractOp::create(b, loc, acc, i * perBlock + e), e);
    blocks.push_back(block);
  }
  auto elementType = shape.elementType.isF16()    ? NVVM::WGMMATypes::f16
                     : shape.elementType.isBF16() ? NVVM::WGMMATypes::bf16
                                                  : NVVM::WGMMATypes::tf32;
  auto multiplyAdd = [&](Value block, Value aDescriptor, Value bDescriptor, bool fromZero) {
    return NVVM::WgmmaMmaAsyncOp::create(
        b, loc, blockType, block, aDescriptor, bDescriptor,
        NVVM::MMAShapeAttr::get(context, 64, blockCols, tiles.innerStep), elementType, elementType,
        NVVM::WGMMATypes::f32, fromZero ? NVVM::WGMMAScaleOut::zero : NVVM::WGMMAScaleOut::one,
        NVVM::WGMMAScaleIn::one, NVVM::WGMMAScaleIn::one, NVVM::MMALayout::row,
        bKMajor ? NVVM::MMALayout::col : NVVM::MMALayout::row,
        /*satfinite=*/nullptr);
  };
  NVVM::WgmmaFenceAlignedOp::create(b, loc);
  for (int64_t k = 0; k < shape.inner; k += tiles.innerStep) {
    // N-major b: k rows are k / 8 atoms of 8 rows.
    int64_t bByte = bKMajor ? kMajorByte(bLayout, k) : k * bLayout.swizzleBytes;
    Value bDescriptor = bDescriptors.at(b, loc, bByte);
    for (int64_t i = 0; i < tiles.mTiles; ++i) {
      int64_t aByte = kMajorByte(aLayout, k) + 64 * i * aLayout.swizzleBytes;
      Value aDescriptor = aDescriptors.at(b, loc, aByte);
      if (split) {
        blocks[i] = multiplyAdd(blocks[i], aDescriptors.at(b, loc, aByte + tiles.smallInSlot[0]),
                                bDescriptor, /*fromZero=*/k == 0);
        blocks[i] = multiplyAdd(blocks[i], aDescriptor,
                                bDescriptors.at(b, loc, bByte + tiles.smallInSlot[1]), false);
      }
      blocks[i] = multiplyAdd(blocks[i], aDescriptor, bDescriptor, false);
    }
  }
  NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
  whileInFlight();
  Value products = acc;
  for (int64_t i = 0; i < tiles.mTiles; ++i)
    for (int64_t e = 0; e < perBlock; ++e)
      products = vector::InsertOp::create(
          b, loc, LLVM::ExtractValueOp::create(b, loc, blocks[i], e), products, i * perBlock + e);
  products = waitForWgmma(b, loc, products, pending);
  return split ? arith::AddFOp::create(b, loc, acc, products).getResult() : products;
}

/// A dot's product layout: mma tiles or register blocks.
struct ProductLayout {
  ProductLayout(DotOp op, int64_t threads) : shape(op, threads) {
    if (shape.staging.mmaSync) {
      mma.emplace(shape, op.getInputPrecision());
      mma->roundedInSlot = {layout::ringRoundedToTf32(op, 0), layout::ringRoundedToTf32(op, 1)};
      mma->smallInSlot = {layout::ringSmallOffset(op, 0), layout::ringSmallOffset(op, 1)};
    } else
      blocks.emplace(shape);
  }
  int64_t activeThreads() const { return mma ? mma->activeThreads() : blocks->activeThreads(); }
  /// Accumulator elements an active thread holds.
  int64_t slots() const {
    return mma ? mma->mTiles * mma->nTiles * 4 : blocks->rowsPerThread * blocks->colsPerThread;
  }
  Value read(OpBuilder &b, Location loc, Value tid, Value accShared) const {
    if (mma)
      return readMmaTiles(b, MmaSites(b, loc, shape, *mma, tid), accShared);
    return readRegisterBlock(b, RegisterBlockSites(b, loc, shape, *blocks, tid), accShared);
  }
  void write(OpBuilder &b, Location loc, Value tid, Value acc, Value accShared) const {
    if (mma)
      return writeMmaTiles(b, MmaSites(b, loc, shape, *mma, tid), acc, accShared);
    writeRegisterBlock(b, RegisterBlockSites(b, loc, shape, *blocks, tid), acc, accShared);
  }
  /// With wgmma, `whileInFlight` emits what runs while the products
  /// compute and `pending` groups may stay in flight after; otherwise
  /// nothing is in flight and neither is used.
  Value product(
      OpBuilder &b, Location loc, Value tid, Value aShared, Value bShared, Value acc,
      function_ref<void()> whileInFlight = [] {}, int64_t pending = 0) const {
    if (mma && mma->wgmma)
      return emitWgmmaProduct(b, MmaSites(b, loc, shape, *mma, tid), aShared, bShared, acc,
                              whileInFlight, pending);
    if (mma)
      return emitMmaProduct(b, MmaSites(b, loc, shape, *mma, tid), aShared, bShared, acc);
    return emitRegisterBlockProduct(b, RegisterBlockSites(b, loc, shape, *blocks, tid), aShared,
                                    bShared, acc);
  }
  DotShape shape;
  std::optional<MmaTiles> mma;
  std::optional<RegisterBlocks> blocks;
};

/// On an scf.for: the iter_args (indices) that carry a dot's accumulator
/// in its product layout; on that dot: its accumulator comes and goes in
/// registers, in the product layout.
constexpr StringLiteral kCarriedAccAttr = "tile_gpu.carried_acc";

/// A row-major M x N f32 array `offset` bytes into shared memory.
Value accumulatorArray(OpBuilder &b, Location loc, const DotShape &shape, int64_t offset) {
  return layout::sharedArray(b, loc, b.getF32Type(), shape.rows * shape.cols, offset);
}

/// `chunked` (a tile in the chunked layout) in `product`'s layout, through
/// an accumulator array at byte 0: nothing else is staged then (the budget,
/// tile::sharedMemoryBytes, puts operand rings above it). Every thread takes
/// part in the product (tile::carriedAccumulatorDot).
Value chunkedToProduct(OpBuilder &b, Location loc, const ProductLayout &product,
                       const layout::TileLayout &chunkedLayout, Value chunked) {
  Value accShared = accumulatorArray(b, loc, product.shape, 0);
  layout::barrier(b, loc);
  layout::writeOwnedElements(b, loc, chunkedLayout, chunked, accShared);
  layout::barrier(b, loc);
  return product.read(b, loc, layout::threadId(b, loc), accShared);
}

/// `acc` (in `product`'s layout) in the chunked layout, through an
/// accumulator array at byte 0, as chunkedToProduct.
Value productToChunked(OpBuilder &b, Location loc, const ProductLayout &product,
                       const layout::TileLayout &chunkedLayout, Value acc) {
  Value accShared = accumulatorArray(b, loc, product.shape, 0);
  layout::barrier(b, loc);
  product.write(b, loc, layout::threadId(b, loc), acc, accShared);
  layout::barrier(b, loc);
  return layout::readOwnedElements(b, loc, chunkedLayout, accShared);
}

/// scf.for with iter_args marked kCarriedAccAttr: the structural type
/// conversion (as upstream's), with those accumulators converted to the
/// dot's product layout before the loop and back after it, once instead of
/// at every dot.
struct CarriedAccumulatorLoopLowering : public OpConversionPattern<scf::ForOp> {
  CarriedAccumulatorLoopLowering(const TypeConverter &converter, MLIRContext *context)
      : OpConversionPattern(converter, context, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(scf::ForOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto carried = op->getAttrOfType<DenseI64ArrayAttr>(kCarriedAccAttr);
    if (!carried)
      return failure();
    Location loc = op.getLoc();
    int64_t threads = layout::threadsOf(getTypeConverter());
    SmallVector<Value> inits = llvm::to_vector(adaptor.getInitArgs());
    SmallVector<std::pair<ProductLayout, layout::TileLayout>, 2> layouts;
    SmallVector<Operation *, 2> dots;
    for (int64_t index : carried.asArrayRef()) {
      DotOp dot = tile::accumulatingDot(op, op.getRegionIterArgs()[index]);
      dots.push_back(dot);
      layouts.emplace_back(ProductLayout(dot, threads), layout::TileLayout(dot.getType(), threads));
      // A splat is the same vector in every layout.
      if (!op.getInitArgs()[index].getDefiningOp<SplatOp>())
        inits[index] = chunkedToProduct(rewriter, loc, layouts.back().first, layouts.back().second,
                                        inits[index]);
    }
    // With wgmma groups in flight out of the last iteration, the wait for
    // them goes on the loop's exit edge, inside an scf.if that runs the loop
    // only when it has an iteration: waited for where the loop's results meet
    // the inits of a loop without iterations, the inits' moves define the
    // accumulators inside the pipeline stage, and ptxas serializes every
    // wgmma of it (its C7515 notice).
    bool inFlight =
        llvm::any_of(dots, [](Operation *dot) { return layout::wgmmaGroupsInFlight(dot) > 0; });
    scf::IfOp iterates;
    if (inFlight) {
      Value any = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt,
                                        adaptor.getLowerBound(), adaptor.getUpperBound());
      iterates = scf::IfOp::create(rewriter, loc, TypeRange(ValueRange(inits)), any,
                                   /*withElseRegion=*/true);
      rewriter.setInsertionPointToStart(iterates.elseBlock());
      scf::YieldOp::create(rewriter, loc, inits);
      rewriter.setInsertionPointToStart(iterates.thenBlock());
    }
    auto loop = scf::ForOp::create(rewriter, loc, adaptor.getLowerBound(), adaptor.getUpperBound(),
                                   adaptor.getStep(), inits);
    rewriter.eraseBlock(loop.getBody());
    rewriter.inlineRegionBefore(op.getRegion(), loop.getRegion(), loop.getRegion().end());
    if (failed(rewriter.convertRegionTypes(&loop.getRegion(), *getTypeConverter())))
      return failure();
    SmallVector<Value> results(loop.getResults());
    if (inFlight) {
      for (auto [index, dot] : llvm::zip(carried.asArrayRef(), dots))
        if (layout::wgmmaGroupsInFlight(dot) > 0)
          results[index] = waitForWgmma(rewriter, loc, results[index], 0);
      scf::YieldOp::create(rewriter, loc, results);
      rewriter.setInsertionPointAfter(iterates);
      results.assign(iterates.getResults().begin(), iterates.getResults().end());
    }
    for (auto [index, layouts] : llvm::zip(carried.asArrayRef(), layouts))
      results[index] =
          productToChunked(rewriter, loc, layouts.first, layouts.second, results[index]);
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct DotOpLowering : public OpConversionPattern<DotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(DotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t threads = layout::threadsOf(getTypeConverter());
    ProductLayout product(op, threads);
    const DotShape &shape = product.shape;
    const tile::DotStaging &staging = shape.staging;
    RankedTensorType aType = op.getA().getType(), bType = op.getB().getType();
    layout::TileLayout accLayout(op.getType(), threads);
    // The accumulator stays in registers in the product layout, carried
    // by its loop (CarriedAccumulatorLoopLowering): no steps 1 (for it) and 3.
    bool carried = op->hasAttr(kCarriedAccAttr);

    // Step 1: stage a, b and the accumulator.
    // An operand loaded ahead into a ring (Pipelining.cpp) is read from
    // its slot, already in the staged layout.
    Value aRing =
        layout::ringSlotArray(rewriter, loc, 0, op, shape.elementType, shape.rows * staging.aPitch);
    Value bRing = layout::ringSlotArray(rewriter, loc, 1, op, shape.elementType,
                                        shape.inner * staging.bPitch);
    Value aShared = aRing ? aRing
                          : layout::sharedArray(rewriter, loc, shape.elementType,
                                                shape.rows * staging.aPitch, 0);
    Value bShared = bRing ? bRing
                          : layout::sharedArray(rewriter, loc, shape.elementType,
                                                shape.inner * staging.bPitch, staging.bOffset);
    Value accShared = accumulatorArray(rewriter, loc, shape, staging.accOffset);
    // With nothing to stage (both operands in rings, which their loop's
    // barrier made visible, and the accumulator carried), no barrier either.
    bool stages = !aRing || !bRing || !carried;
    if (stages)
      layout::barrier(rewriter, loc);
    // Element (r, c) of a staged tile is at r * pitch + c.
    auto stagedIndex = [loc](ArrayRef<int64_t> shape, int64_t pitch) {
      return [loc, shape, pitch](OpBuilder &b, Value linear) {
        SmallVector<Value> rowCol = layout::delinearize(b, loc, linear, shape);
        return affineIndex(b, loc, rowCol[1], rowCol[0], pitch, 0);
      };
    };
    if (!aRing)
      layout::writeOwnedElements(rewriter, loc, layout::TileLayout(aType, threads), adaptor.getA(),
                                 aShared, stagedIndex(aType.getShape(), staging.aPitch));
    if (!bRing)
      layout::writeOwnedElements(rewriter, loc, layout::TileLayout(bType, threads), adaptor.getB(),
                                 bShared, stagedIndex(bType.getShape(), staging.bPitch));
    if (!carried)
      layout::writeOwnedElements(rewriter, loc, accLayout, adaptor.getAcc(), accShared);
    if (stages)
      layout::barrier(rewriter, loc);

    // Step 2: the product in the lowering's layout.
    Value tid = layout::threadId(rewriter, loc);
    if (carried) {
      rewriter.replaceOp(op, product.product(
                                 rewriter, loc, tid, aShared, bShared, adaptor.getAcc(),
                                 [&] { layout::moveNextRingCopies(rewriter, op); },
                                 layout::wgmmaGroupsInFlight(op)));
      return success();
    }
    // Threads the product leaves without work skip it.
    {
      OpBuilder::InsertionGuard guard(rewriter);
      if (product.activeThreads() < threads) {
        Value active = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ult, tid,
                                             constantIndex(rewriter, loc, product.activeThreads()));
        auto branch = scf::IfOp::create(rewriter, loc, active, /*withElse=*/false);
        rewriter.setInsertionPointToStart(branch.thenBlock());
      }
      Value acc = product.read(rewriter, loc, tid, accShared);
      product.write(rewriter, loc, tid, product.product(rewriter, loc, tid, aShared, bShared, acc),
                    accShared);
    }

    // Step 3: back to the chunked layout.
    layout::barrier(rewriter, loc);
    rewriter.replaceOp(op, layout::readOwnedElements(rewriter, loc, accLayout, accShared));
    return success();
  }
};

} // namespace

LogicalResult unrollDotInnerLoops(ModuleOp module) {
  SmallVector<scf::ForOp> loops;
  module.walk([&](scf::ForOp loop) {
    auto capped = [&] {
      auto func = loop->getParentOfType<gpu::GPUFuncOp>();
      auto programs =
          func ? func->getAttrOfType<IntegerAttr>(NVVM::NVVMDialect::getMinctasmAttrName())
               : IntegerAttr();
      return programs && programs.getInt() >= 2;
    };
    if (loop->hasAttr(kUnrollAttr) || (loop->hasAttr(kUnrollCappedAttr) && capped()))
      loops.push_back(loop);
    loop->removeAttr(kUnrollCappedAttr);
  });
  for (scf::ForOp loop : loops)
    if (failed(loopUnrollFull(loop)))
      return loop.emitError() << "could not unroll the loop over a dot's inner dimension";
  return success();
}

void markCarriedAccumulators(KernelOp kernel) {
  int64_t threads = threadsPerProgram(kernel);
  kernel.walk([&](scf::ForOp loop) {
    SmallVector<int64_t> carried;
    for (BlockArgument arg : loop.getRegionIterArgs())
      if (DotOp dot = tile::carriedAccumulatorDot(loop, arg, threads)) {
        dot->setAttr(kCarriedAccAttr, UnitAttr::get(loop.getContext()));
        carried.push_back(arg.getArgNumber() - loop.getNumInductionVars());
      }
    if (!carried.empty())
      loop->setAttr(kCarriedAccAttr, DenseI64ArrayAttr::get(loop.getContext(), carried));
  });
}

void populateTileDotLoweringPatterns(const TileLayoutTypeConverter &converter,
                                     RewritePatternSet &patterns) {
  patterns.add<DotOpLowering, CarriedAccumulatorLoopLowering>(converter, patterns.getContext());
}

} // namespace ssdc
