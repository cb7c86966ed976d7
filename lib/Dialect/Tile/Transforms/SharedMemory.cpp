//===- SharedMemory.cpp - how dots lower and where shared memory goes -----===//
//
// The decisions the shared-memory budget (sharedMemoryBytes, checked before
// a config is compiled) and the lowering (lib/Conversion/TileToGPU) must
// agree on: how each dot stages its operands and which layout its product
// takes (dotStaging), which accumulators stay in that layout through their
// loop (carriedAccumulatorDot), and where the operand rings lie
// (operandRings). Each is a function of the specialized kernel alone, so
// both sides compute the same answer.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace ssdc::tile;

/// Elements of a staged row of `length` elements: 16-byte aligned, the
/// fewest 16-byte units that are `residue` modulo `modulus`. By default an
/// odd number, so the eight rows that eight threads read 16 bytes of at once
/// fall in distinct banks.
static int64_t paddedPitch(int64_t length, int64_t elementBytes, int64_t modulus = 2,
                           int64_t residue = 1) {
  int64_t units = llvm::divideCeil(length * elementBytes, 16);
  while (units % modulus != residue)
    ++units;
  return units * 16 / elementBytes;
}

/// A gridRows x gridCols product grid over a rows x cols accumulator.
static void setProductGrid(DotStaging &staging, int64_t rows, int64_t cols, int64_t gridRows,
                           int64_t gridCols) {
  staging.gridRows = gridRows;
  staging.gridCols = gridCols;
  staging.blockRows = rows / gridRows;
  staging.blockCols = cols / gridCols;
}

/// The warp grid of the mma.sync product: the most warps busy, then the
/// fewest ldmatrix per mma (a: one per 16-row tile, b: one per pair of
/// 8-column tiles), then wider blocks.
static void chooseMmaGrid(DotStaging &staging, int64_t rows, int64_t cols, int64_t warps) {
  constexpr int64_t kM = 16, kN = 8;
  int64_t tilesM = rows / kM, tilesN = cols / kN;
  auto cost = [&](int64_t wm, int64_t wn) {
    int64_t m = tilesM / wm, n = tilesN / wn;
    return std::make_tuple(-(wm * wn), m + (n + 1) / 2, -n);
  };
  int64_t bestRows = 1, bestCols = 1;
  for (int64_t wm = 1; wm <= tilesM; ++wm)
    for (int64_t wn = 1; wn <= tilesN; ++wn)
      if (tilesM % wm == 0 && tilesN % wn == 0 && wm * wn <= warps &&
          cost(wm, wn) < cost(bestRows, bestCols)) {
        bestRows = wm;
        bestCols = wn;
      }
  setProductGrid(staging, rows, cols, bestRows, bestCols);
}

/// The thread grid of the register-block product: the smallest block that
/// keeps every element owned once (most threads busy), then the squarest
/// (most FMAs per operand read), then the widest (longer accumulator
/// vectors).
static void chooseRegisterBlockGrid(DotStaging &staging, int64_t rows, int64_t cols,
                                    int64_t threads) {
  auto better = [](int64_t tm, int64_t tn, int64_t bestTm, int64_t bestTn) {
    return std::make_tuple(tm * tn, tm + tn, -tn) <
           std::make_tuple(bestTm * bestTn, bestTm + bestTn, -bestTn);
  };
  int64_t bestTm = rows, bestTn = cols;
  for (int64_t tm = 1; tm <= rows; ++tm)
    for (int64_t tn = 1; tn <= cols; ++tn)
      if (rows % tm == 0 && cols % tn == 0 && (rows / tm) * (cols / tn) <= threads &&
          better(tm, tn, bestTm, bestTn)) {
        bestTm = tm;
        bestTn = tn;
      }
  setProductGrid(staging, rows, cols, rows / bestTm, cols / bestTn);
}

std::optional<WgmmaOperandLayout> ssdc::tile::wgmmaOperandLayout(RankedTensorType type,
                                                                 unsigned operand) {
  Type elementType = type.getElementType();
  if (type.getRank() != 2 || !(type.getElementTypeBitWidth() == 16 || elementType.isF32()))
    return std::nullopt;
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  bool transposed = operand == 1 && elementBytes == 4;
  int64_t rows = type.getDimSize(transposed ? 1 : 0), cols = type.getDimSize(transposed ? 0 : 1);
  int64_t rowBytes = cols * elementBytes;
  if (rows % 8 != 0 || !(rowBytes == 32 || rowBytes == 64 || rowBytes % 128 == 0))
    return std::nullopt;
  return WgmmaOperandLayout{rows, cols, std::min<int64_t>(rowBytes, 128), elementBytes, transposed};
}

/// The warpgroup grid of the wgmma product: warpgroups split the rows in
/// m64 blocks first (each block of a read by one warpgroup), then the
/// columns, each warpgroup's n <= 256 (the largest wgmma) and, when columns
/// are split, whole column blocks of b's layout (a descriptor starts at
/// one; a transposed b's columns are its rows, any 8 of them an atom).
/// False when no grid keeps every warpgroup busy.
static bool chooseWarpgroupGrid(DotStaging &staging, int64_t rows, int64_t cols, int64_t warpgroups,
                                const WgmmaOperandLayout &b) {
  for (int64_t wgRows = std::min(warpgroups, rows / 64); wgRows >= 1; --wgRows) {
    int64_t wgCols = warpgroups / wgRows;
    if (warpgroups % wgRows != 0 || (rows / 64) % wgRows != 0 || cols % wgCols != 0)
      continue;
    int64_t n = cols / wgCols;
    if (n % 8 != 0 || n > 256 || (wgCols > 1 && !b.transposed && n % b.atomColumns() != 0))
      continue;
    setProductGrid(staging, rows, cols, wgRows, wgCols);
    return true;
  }
  return false;
}

/// On a dot during its lowering (no longer inside its tile.kernel): the
/// wgmma decision dotStaging made before it (markWarpgroupDots).
static constexpr StringLiteral kWgmmaAttr = "tile_gpu.wgmma";

/// True when `dot` runs on wgmma (see DotStaging::wgmma); sets the grid.
static bool useWgmma(DotOp dot, DotStaging &staging, int64_t threads) {
  RankedTensorType a = dot.getA().getType(), b = dot.getB().getType();
  std::optional<WgmmaOperandLayout> aLayout = wgmmaOperandLayout(a, 0),
                                    bLayout = wgmmaOperandLayout(b, 1);
  if (!aLayout || !bLayout)
    return false;
  if (auto kernel = dot->getParentOfType<KernelOp>()) {
    // f32 only as tf32 and tf32x3 (wgmma m64nNk8), whose rings hold it
    // rounded, or split into big and small parts (OperandRing::roundedToTf32,
    // smallOffset); bf16x3's parts would be bf16 (wgmma k16), not split here.
    bool f32 = a.getElementType().isF32();
    int64_t inner = f32 ? 8 : 16;
    int64_t stages = stagesPerLoop(kernel);
    InputPrecision precision = dot.getInputPrecision();
    if (!warpgroupMmaChip(kernel) ||
        (f32 && precision != InputPrecision::tf32 && precision != InputPrecision::tf32x3) ||
        threads % 128 != 0 || a.getDimSize(0) % 64 != 0 || a.getDimSize(1) % inner != 0 ||
        !mayTakeRing(dot.getA(), stages) || !mayTakeRing(dot.getB(), stages))
      return false;
  } else if (!dot->hasAttr(kWgmmaAttr)) {
    return false;
  }
  return chooseWarpgroupGrid(staging, a.getDimSize(0), b.getDimSize(1), threads / 128, *bLayout);
}

void ssdc::tile::markWarpgroupDots(KernelOp specialized) {
  int64_t threads = threadsPerProgram(specialized);
  specialized.walk([&](DotOp dot) {
    if (dotStaging(dot, threads).wgmma)
      dot->setAttr(kWgmmaAttr, UnitAttr::get(dot.getContext()));
  });
}

DotStaging ssdc::tile::dotStaging(DotOp dot, int64_t threads) {
  RankedTensorType a = dot.getA().getType(), b = dot.getB().getType();
  int64_t elementBytes = a.getElementTypeBitWidth() / 8;
  int64_t rows = a.getDimSize(0), inner = a.getDimSize(1), cols = b.getDimSize(1);
  DotStaging staging;
  // m16n8k16 for f16/bf16 and bf16x3, m16n8k8 for tf32; fp32 ieee never.
  InputPrecision precision = dot.getInputPrecision();
  bool split = precision != InputPrecision::ieee;
  int64_t mmaInner = split && precision != InputPrecision::bf16x3 ? 8 : 16;
  staging.mmaSync = (split || !a.getElementType().isF32()) && rows % 16 == 0 && cols % 8 == 0 &&
                    inner % mmaInner == 0;
  staging.aPitch = paddedPitch(inner, elementBytes);
  // tf32 mma.sync reads b with scalar loads, lane l at row l % 4 and column
  // l / 4 (emitMmaProduct in lib/Conversion/TileToGPU/DotLowering.cpp): rows
  // 2 mod 4 units apart put those four rows 8 banks apart, so the warp's 32
  // lanes hit 32 banks (odd units: 4 banks apart, 2-way conflicts).
  bool tf32Fragments = staging.mmaSync && mmaInner == 8;
  staging.bPitch =
      tf32Fragments ? paddedPitch(cols, elementBytes, 4, 2) : paddedPitch(cols, elementBytes);
  staging.bOffset = rows * staging.aPitch * elementBytes;
  staging.accOffset = staging.bOffset + inner * staging.bPitch * elementBytes;
  staging.bytes = staging.accOffset + accumulatorBytes(dot);
  if (staging.mmaSync && useWgmma(dot, staging, threads))
    staging.wgmma = true;
  else if (staging.mmaSync)
    chooseMmaGrid(staging, rows, cols, threads / 32);
  else
    chooseRegisterBlockGrid(staging, rows, cols, threads);
  return staging;
}

int64_t ssdc::tile::accumulatorBytes(DotOp dot) {
  return llvm::alignTo(dot.getType().getNumElements() * 4, 16);
}

/// True when every element of the tile `value` is the same: a tile.splat,
/// or tile.exp or an elementwise arith op of such tiles. Such a tile is the
/// same vector in every layout.
static bool isUniformTile(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op)
    return false;
  if (llvm::isa<SplatOp>(op))
    return true;
  if (auto exp = llvm::dyn_cast<ExpOp>(op))
    return isUniformTile(exp.getInput());
  return llvm::isa<arith::ArithDialect>(op->getDialect()) && op->hasTrait<OpTrait::Elementwise>() &&
         op->getNumOperands() > 0 && llvm::all_of(op->getOperands(), isUniformTile);
}

DotOp ssdc::tile::accumulatingDot(scf::ForOp loop, BlockArgument arg) {
  if (!arg.hasOneUse())
    return DotOp();
  Value acc = arg;
  if (auto scale = llvm::dyn_cast<arith::MulFOp>(*arg.user_begin())) {
    Value factor = scale.getLhs() == arg ? scale.getRhs() : scale.getLhs();
    if (!isUniformTile(factor) || scale->getBlock() != loop.getBody() || !scale->hasOneUse())
      return DotOp();
    acc = scale.getResult();
  }
  auto dot = llvm::dyn_cast<DotOp>(*acc.user_begin());
  if (!dot || dot->getBlock() != loop.getBody() || dot.getAcc() != acc)
    return DotOp();
  return dot;
}

int64_t ssdc::tile::chunkedLayoutWidth(ArrayRef<int64_t> shape, int64_t threads) {
  int64_t inner = shape.empty() ? 1 : shape.back();
  int64_t elements = ShapedType::getNumElements(shape);
  for (int64_t width : {4, 2})
    if (inner % width == 0 && elements >= threads * width)
      return width;
  return 1;
}

DotOp ssdc::tile::carriedAccumulatorDot(scf::ForOp loop, BlockArgument arg, int64_t threads) {
  DotOp dot = accumulatingDot(loop, arg);
  if (!dot || !dot->hasOneUse())
    return DotOp();
  OpOperand &use = *dot->use_begin();
  unsigned index = arg.getArgNumber() - loop.getNumInductionVars();
  if (use.getOwner() != loop.getBody()->getTerminator() || use.getOperandNumber() != index)
    return DotOp();
  // Every thread busy with the same share; the chunked layout then has no
  // padding and gives each thread that share too when its chunks divide it.
  DotStaging staging = dotStaging(dot, threads);
  int64_t share = dot.getType().getNumElements() / threads;
  if (staging.productThreads() != threads || staging.productSlots() != share ||
      share % chunkedLayoutWidth(dot.getType().getShape(), threads) != 0)
    return DotOp();
  return dot;
}

/// True when `dot`'s accumulator is carried by its loop (carriedAccumulatorDot).
static bool isCarried(DotOp dot, int64_t threads) {
  auto loop = llvm::dyn_cast<scf::ForOp>(dot->getParentOp());
  return loop && llvm::any_of(loop.getRegionIterArgs(), [&](BlockArgument arg) {
           return carriedAccumulatorDot(loop, arg, threads) == dot;
         });
}

namespace {
/// Where the operand rings go and how much shared memory the program needs.
struct SharedMemoryPlan {
  SmallVector<OperandRing> rings;
  int64_t bytes = 0;
};
} // namespace

/// The shared memory `op` itself uses, from byte 0, given the dot operands
/// that `ringLoads` hold: ops whose results need elements other threads
/// hold (broadcast, segsum, cumsum, reduce, dot) stage their operands one op
/// at a time, each between barriers. A dot stages only what no ring or
/// carried accumulator already holds (its areas are a, b, then the
/// accumulator); a loop carrying accumulators converts each before (unless
/// it starts as a splat) and after it, through byte 0 (DotLowering.cpp).
static std::pair<int64_t, int64_t> stagingBytes(Operation *op, int64_t threads,
                                                const llvm::DenseSet<Operation *> &ringLoads) {
  auto staged = [](Value value) {
    return stagedTileBytes(llvm::cast<RankedTensorType>(value.getType()));
  };
  auto exchanged = [&](Value value) -> int64_t {
    return rereadableLoad(value) ? 0 : staged(value);
  };
  if (auto loop = llvm::dyn_cast<scf::ForOp>(op)) {
    // (before the loop, after it)
    int64_t before = 0, after = 0;
    for (auto [arg, init] : llvm::zip(loop.getRegionIterArgs(), loop.getInitArgs()))
      if (DotOp dot = carriedAccumulatorDot(loop, arg, threads)) {
        after = std::max(after, accumulatorBytes(dot));
        if (!init.getDefiningOp<SplatOp>())
          before = std::max(before, accumulatorBytes(dot));
      }
    return {before, after};
  }
  int64_t need =
      llvm::TypeSwitch<Operation *, int64_t>(op)
          .Case([&](BroadcastOp o) { return exchanged(o.getInput()); })
          .Case([&](TransposeOp o) { return staged(o.getInput()); })
          .Case([&](SegsumOp o) { return exchanged(o.getRows()) + exchanged(o.getCols()); })
          .Case([&](CumsumOp o) { return staged(o.getInput()); })
          .Case([&](ReduceOp o) {
            // A 1-D reduce combines one total per warp
            // (ReductionLowering.cpp), which may outgrow a tiny input.
            int64_t warpTotals = llvm::alignTo(
                threads / 32 * o.getInput().getType().getElementTypeBitWidth() / 8, 16);
            return std::max(staged(o.getInput()), warpTotals);
          })
          .Case([&](DotOp o) {
            DotStaging staging = dotStaging(o, threads);
            auto inRing = [&](Value operand) {
              Operation *def = operand.getDefiningOp();
              return def && ringLoads.contains(def);
            };
            if (!isCarried(o, threads))
              return staging.bytes;
            if (!inRing(o.getB()))
              return staging.accOffset;
            return inRing(o.getA()) ? int64_t(0) : staging.bOffset;
          })
          .Default([](Operation *) { return int64_t(0); });
  return {need, need};
}

/// Rings are live from their loop's first copies (just before it) to its
/// end, with copies in flight: whatever runs then (the loop's body, the
/// conversions of its carried accumulators on entry) must lie below them.
/// Whatever runs elsewhere may reuse their bytes.
static SharedMemoryPlan planSharedMemory(KernelOp specialized) {
  SharedMemoryPlan plan;
  int64_t threads = threadsPerProgram(specialized);
  int64_t stages = stagesPerLoop(specialized);
  llvm::DenseSet<Operation *> ringLoads, ringLoops;
  if (stages >= 2)
    specialized.walk([&](LoadOp load) {
      if (std::optional<OperandRing> ring = operandRingFor(load, stages)) {
        plan.rings.push_back(*ring);
        ringLoads.insert(load);
        ringLoops.insert(ring->loop);
      }
    });
  auto whileRingsLive = [&](Operation *op) {
    for (Operation *parent = op->getParentOp(); parent; parent = parent->getParentOp())
      if (ringLoops.contains(parent))
        return true;
    return false;
  };
  int64_t belowRings = 0;
  specialized.walk([&](Operation *op) {
    auto [before, after] = stagingBytes(op, threads, ringLoads);
    plan.bytes = std::max({plan.bytes, before, after});
    bool inside = whileRingsLive(op);
    if (inside || ringLoops.contains(op))
      belowRings = std::max(belowRings, before);
    if (inside)
      belowRings = std::max(belowRings, after);
  });
  int64_t offset = llvm::alignTo(belowRings, 16);
  for (OperandRing &ring : plan.rings) {
    if (ring.swizzled)
      offset = llvm::alignTo(offset, kSwizzledSlotAlignment);
    ring.offset = offset;
    offset += ring.stages * ring.slotBytes;
  }
  plan.bytes = std::max(plan.bytes, offset);
  return plan;
}

SmallVector<OperandRing> ssdc::tile::operandRings(KernelOp specialized) {
  return planSharedMemory(specialized).rings;
}

int64_t ssdc::tile::sharedMemoryBytes(KernelOp specialized) {
  return planSharedMemory(specialized).bytes;
}
