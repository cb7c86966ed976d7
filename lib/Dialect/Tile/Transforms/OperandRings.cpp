//===- OperandRings.cpp - dot operands loaded ahead into shared memory -----===//
//
// Which tile.loads of a specialized kernel are loaded num_stages - 1
// iterations ahead of their scf.for into a ring of shared-memory slots
// (cp.async on the GPU, lib/Conversion/TileToGPU/Pipelining.cpp). Where the
// rings lie is SharedMemory.cpp's: one plan serves the shared-memory budget
// (sharedMemoryBytes) and the lowering, so both see the same rings.
//
//===----------------------------------------------------------------------===//
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace ssdc::tile;

int64_t ssdc::tile::stagesPerLoop(KernelOp specialized) {
  return configValue(specialized, kNumStages).value_or(1);
}

/// True when `value` is the same in every iteration of `loop` but for its
/// induction variable: defined outside it, the induction variable, or
/// computed in its body by side-effect-free ops without regions from such
/// values. Those computations can be repeated for another iteration.
static bool dependsOnlyOnInductionVariable(Value value, scf::ForOp loop) {
  if (value == loop.getInductionVar() || loop.isDefinedOutsideOfLoop(value))
    return true;
  Operation *def = value.getDefiningOp();
  if (!def || def->getBlock() != loop.getBody() || def->getNumRegions() != 0 ||
      !isMemoryEffectFree(def))
    return false;
  return llvm::all_of(def->getOperands(),
                      [&](Value operand) { return dependsOnlyOnInductionVariable(operand, loop); });
}

/// The dot `load` feeds as operand a or b, when the load can take a ring
/// whatever that dot's staging (OperandRing's conditions but the last).
static DotOp ringedDot(LoadOp load, int64_t stages) {
  auto loop = llvm::dyn_cast<scf::ForOp>(load->getParentOp());
  if (stages < 2 || !loop || !load->hasOneUse() || load.getMask() ||
      load.getOffsets().size() != 2 || load.getBuffer().getType().getAccess() != Access::read)
    return DotOp();
  if (auto other = llvm::dyn_cast_or_null<FloatAttr>(load.getOtherAttr());
      other && !other.getValue().isZero())
    return DotOp();
  auto dot = llvm::dyn_cast<DotOp>(*load->user_begin());
  // Only a and b are staged in a layout a ring can hold.
  if (!dot || dot->getBlock() != load->getBlock() || dot.getAcc() == load.getResult())
    return DotOp();
  RankedTensorType type = load.getType();
  // A slot holds the dot's staged tile byte for byte, so a load that widens
  // (an f16/bf16 buffer read into an f32 tile) cannot be copied into one.
  if (load.getBuffer().getType().getElementType() != type.getElementType())
    return DotOp();
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  if ((type.getDimSize(1) * elementBytes) % 16 != 0 || !matchPattern(load.getStrides()[1], m_One()))
    return DotOp();
  auto invariant = [&](ValueRange values) {
    return llvm::all_of(values, [&](Value v) { return loop.isDefinedOutsideOfLoop(v); });
  };
  if (!invariant(load.getBuffer()) || !invariant(load.getBase()) || !invariant(load.getStrides()) ||
      !invariant(load.getBounds()) || !llvm::all_of(load.getOffsets(), [&](Value v) {
        return dependsOnlyOnInductionVariable(v, loop);
      }))
    return DotOp();
  return dot;
}

bool ssdc::tile::mayTakeRing(Value operand, int64_t stages) {
  auto load = operand.getDefiningOp<LoadOp>();
  return load && ringedDot(load, stages);
}

std::optional<OperandRing> ssdc::tile::operandRingFor(LoadOp load, int64_t stages) {
  DotOp dot = ringedDot(load, stages);
  if (!dot)
    return std::nullopt;
  OperandRing ring;
  ring.load = load;
  ring.dot = dot;
  ring.loop = llvm::cast<scf::ForOp>(load->getParentOp());
  ring.stages = stages;
  ring.operand = dot.getA() == load.getResult() ? 0 : 1;
  DotStaging staging = dotStaging(dot, threadsPerProgram(load->getParentOfType<KernelOp>()));
  RankedTensorType type = load.getType();
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  ring.pitch = ring.operand == 0 ? staging.aPitch : staging.bPitch;
  ring.slotBytes = llvm::alignTo(type.getDimSize(0) * ring.pitch * elementBytes, 16);
  bool f32 = type.getElementType().isF32();
  if (staging.wgmma) {
    ring.swizzled = wgmmaOperandLayout(type, ring.operand);
    ring.slotBytes = llvm::alignTo(ring.swizzled->bytes(), kSwizzledSlotAlignment);
    if (f32 && dot.getInputPrecision() == InputPrecision::tf32x3) {
      ring.smallOffset = ring.slotBytes;
      ring.slotBytes *= 2;
    }
  }
  ring.roundedToTf32 = staging.mmaSync && f32 && dot.getInputPrecision() == InputPrecision::tf32;
  return ring;
}
