//===- Passes.h - tile dialect passes ---------------------------*- C++ -*-===//
#ifndef SSDC_DIALECT_TILE_TRANSFORMS_PASSES_H
#define SSDC_DIALECT_TILE_TRANSFORMS_PASSES_H

#include "ssdc/Dialect/Tile/IR/Tile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace ssdc::tile {

#define GEN_PASS_DECL
#include "ssdc/Dialect/Tile/Transforms/Passes.h.inc"

/// A tuning config: one value per parameter of a kernel, in declaration order.
using Config = llvm::SmallVector<int64_t, 4>;

/// Replaces every kernel of `module` that declares element-type parameters
/// (`types [XT in [...]]`) by its instances, one per combination of
/// candidates (first parameter slowest), each named `<kernel>_<type>...` and
/// verified. Every path from source to a package or a run calls it first, so
/// that an instance is an ordinary kernel for the runtime, the tuner and its
/// cache. A name another symbol already has is an error at the kernel.
mlir::LogicalResult instantiateElementTypes(mlir::ModuleOp module);

/// Every config of `kernel`'s tuning space (the cartesian product of its
/// candidates, first parameter slowest), or, if `only` is non-empty, the
/// single config it describes (NAME=VALUE,...; other params take defaults).
mlir::FailureOr<llvm::SmallVector<Config>> enumerateConfigs(KernelOp kernel,
                                                            llvm::StringRef only = {});

/// The config of defaults.
Config defaultConfig(KernelOp kernel);

/// `<kernel>__<NAME>_<value>...`: the specialized kernel's symbol and PTX entry.
std::string specializedName(KernelOp kernel, llvm::ArrayRef<int64_t> config);

/// A copy of `kernel` with `config` substituted: static tiles, constant params.
/// A non-empty `chip` (sm_80, sm_90a, ...) is recorded on it (kChipAttrName)
/// for the decisions that depend on the chip (warpgroupMmaChip); without one
/// it lowers to what every supported chip runs.
mlir::FailureOr<KernelOp> specializeKernel(KernelOp kernel, llvm::ArrayRef<int64_t> config,
                                           llvm::StringRef chip = {});

/// The attribute on a specialized kernel naming the chip it is compiled for
/// (as Triton's module attribute `ttg.target`).
inline constexpr llvm::StringLiteral kChipAttrName = "tile.chip";

/// True when the chip `specialized` is compiled for runs wgmma (sm_90a:
/// wgmma is architecture-specific, PTX ISA "Target ISA notes").
bool warpgroupMmaChip(KernelOp specialized);

/// The value a specialized kernel's config gives parameter `name` (its
/// tile.config entry), or nothing when the kernel has no such parameter.
std::optional<int64_t> configValue(KernelOp specialized, llvm::StringRef name);

/// Threads per program of a specialized kernel: num_warps x 32, or 4 warps
/// when the kernel has no num_warps parameter.
int64_t threadsPerProgram(KernelOp specialized);

/// Shared-memory bytes one staged tile takes (16-byte aligned; i1 is a byte).
int64_t stagedTileBytes(mlir::RankedTensorType tile);

/// When `tile` is a 1-D tile.load of a read-only buffer with no mask: that
/// load, whose elements any thread can read again from memory (the L1 cache
/// serves the repeats) instead of receiving them through shared memory.
/// Segsum's rows and columns and a broadcast's input are read so
/// (lib/Conversion/TileToGPU/ExchangeLowering.cpp), and are not staged.
LoadOp rereadableLoad(mlir::Value tile);

/// How a tile.dot lowers and where it stages its operands and accumulator in
/// shared memory (lib/Conversion/TileToGPU/DotLowering.cpp), in a program of
/// `threads` threads. With `mmaSync`
/// (f16/bf16 operands and M, N, K multiples of 16, 8, 16, fp32 operands
/// with precision tf32/tf32x3 and multiples of 16, 8, 8, or with bf16x3 and
/// multiples of 16, 8, 16) warps run mma.sync, otherwise threads run fp32
/// FMAs on register blocks; either way on a (M x K) and b (K x N) staged
/// row-major, as their rings' 16-byte copies write them. Staged rows are
/// `aPitch` and `bPitch` elements apart, padded to an odd number of 16-byte
/// units, so that the rows eight threads read at once (16 bytes each:
/// ld.shared.v4, ldmatrix) fall in distinct banks (tf32's b, read by
/// scalar loads four rows at once, 32 bytes apart modulo 128 instead). The f32 accumulator (M x N,
/// unpadded) follows. The product layout is a gridRows x gridCols grid of warps (mma.sync) or
/// threads (FMA), each owning a blockRows x blockCols block of the
/// accumulator.
struct DotStaging {
  bool mmaSync;
  /// With `wgmma` (and mmaSync): warpgroups run wgmma.mma_async on both
  /// operands where their rings hold them (wgmmaOperandLayout); the grid is
  /// of warpgroups, each owning blockRows x blockCols (blockRows a multiple
  /// of 64). Chosen on a chip that runs it (warpgroupMmaChip) for f16/bf16
  /// dots and f32 dots of precision tf32 or tf32x3 whose a and b both take
  /// rings (num_stages >= 2) and whose shapes give every warpgroup whole
  /// m64 blocks and n <= 256 columns.
  bool wgmma = false;
  int64_t aPitch, bPitch;
  int64_t bOffset, accOffset; // bytes
  int64_t bytes;              // in all
  int64_t gridRows, gridCols;
  int64_t blockRows, blockCols;
  /// Threads the product keeps busy (the others idle in it).
  int64_t productThreads() const { return gridRows * gridCols * threadsPerCell(); }
  /// Accumulator elements each of those threads holds.
  int64_t productSlots() const { return blockRows * blockCols / threadsPerCell(); }
  /// Threads of one grid cell: a warpgroup, a warp or a thread.
  int64_t threadsPerCell() const { return wgmma ? 128 : mmaSync ? 32 : 1; }
};
DotStaging dotStaging(DotOp dot, int64_t threads);

/// Records on each dot of `specialized` that runs on wgmma that it does, for
/// dotStaging during the dot's lowering (when the dot is no longer inside
/// its tile.kernel, whose chip and num_stages decide). Runs before the
/// conversion.
void markWarpgroupDots(KernelOp specialized);

/// The shared-memory layout in which wgmma reads an operand tile, the
/// canonical swizzled layout of PTX ISA "Shared Memory Matrix Layout"
/// (CUTLASS's GMMA::Layout_K/MN_SW*_Atom) of a `rows` x `cols` matrix:
/// it is cut into column blocks of `swizzleBytes` (128, or the whole row
/// when it is 32 or 64 bytes), each a stack of 8-row atoms of 8 x
/// swizzleBytes bytes; in row r of an atom the 16-byte unit u is stored at
/// unit u ^ (r x swizzleBytes / 128). Atoms must start 8 x
/// swizzleBytes-aligned; slots are 1024-aligned. A 16-bit tile is the
/// matrix as it is, row-major as in global memory (a is K-major, b
/// N-major). wgmma reads 32-bit (tf32) operands K-major only (PTX ISA
/// "wgmma.mma_async": imm-trans only for .f16/.bf16), so b's matrix is then
/// the tile's transpose (`transposed`: rows are the tile's N columns, cols
/// its K rows), as Triton stores it for tf32.
struct WgmmaOperandLayout {
  int64_t rows, cols, swizzleBytes, elementBytes;
  bool transposed = false;
  int64_t atomColumns() const { return swizzleBytes / elementBytes; }
  /// Bytes from one column block to the next.
  int64_t blockBytes() const { return rows * swizzleBytes; }
  int64_t bytes() const { return cols / atomColumns() * blockBytes(); }
  /// The descriptor's swizzle mode (bits 62-63): 1 = 128B, 2 = 64B, 3 = 32B.
  int64_t descriptorMode() const { return swizzleBytes == 128 ? 1 : swizzleBytes == 64 ? 2 : 3; }
};
/// The layout for operand `operand` (0: a, 1: b) of a dot, a tile of
/// `type`, or nothing when wgmma cannot read it (elements neither 16-bit
/// nor f32, the matrix's rows not a multiple of 8 or of other than 32, 64
/// or a multiple of 128 bytes).
std::optional<WgmmaOperandLayout> wgmmaOperandLayout(mlir::RankedTensorType type, unsigned operand);

/// Bytes of a dot's f32 accumulator in shared memory (16-byte aligned).
int64_t accumulatorBytes(DotOp dot);

/// The dot in `loop`'s body that the iter_arg `arg` is the accumulator of:
/// directly, or through an arith.mulf by a uniform tile (a splat, or
/// tile.exp/elementwise arith of splats: a scale that is the same in every
/// layout; chunk_state.mlir decays its state by exp(total) before each
/// block), each the one use of what it takes.
DotOp accumulatingDot(mlir::scf::ForOp loop, mlir::BlockArgument arg);

/// The chunk width of the chunked layout of a tile of `shape` over
/// `threads` threads (lib/Conversion/TileToGPU/Layout.h): 4, 2 or 1, the
/// most contiguous elements a thread can own in a chunk without leaving
/// threads idle that a narrower chunk would use. It depends on the shape and
/// thread count alone, so tiles of one shape (an f32 tile and its i1 mask)
/// always share one layout.
int64_t chunkedLayoutWidth(llvm::ArrayRef<int64_t> shape, int64_t threads);

/// The dot whose accumulator `arg` (an iter_arg of `loop`) carries, when it
/// stays in the dot's product layout through the loop: the dot takes it
/// (accumulatingDot), its one use is the yield of the same iter_arg, and the
/// product keeps every thread busy with as many elements as the chunked
/// layout gives it, so the loop-carried vector keeps its type.
DotOp carriedAccumulatorDot(mlir::scf::ForOp loop, mlir::BlockArgument arg, int64_t threads);

/// The `num_stages` of a specialized kernel's config (1 without the param).
int64_t stagesPerLoop(KernelOp specialized);

/// A dot operand loaded `stages - 1` iterations ahead of its scf.for into a
/// ring of `stages` shared-memory slots, each in the dot's staged layout
/// (rows `pitch` elements apart), so that the loads of later iterations are
/// in flight while this one computes (cp.async on the GPU:
/// lib/Conversion/TileToGPU/Pipelining.cpp). Taken by every tile.load, in a
/// kernel whose num_stages is 2 or more, that is directly in an scf.for's
/// body and used only as operand a or b of a tile.dot in the same block; of a
/// `read` buffer (no store in the program can change it); 2-D, without a mask
/// or with `other` zero; not widening (the buffer holds the tile's element
/// type); contiguous rows of a multiple of 16 bytes; with
/// buffer, base, strides and bounds loop-invariant and offsets computed from
/// the induction variable and loop-invariant values alone; and staged
/// row-major by its dot (b always, a on the mma.sync path).
struct OperandRing {
  LoadOp load;
  DotOp dot;
  mlir::scf::ForOp loop;
  unsigned operand; // 0: a, 1: b
  int64_t stages;
  int64_t pitch; // elements between staged rows (padded layout)
  /// For a wgmma dot: slots in this layout instead of rows `pitch` apart.
  std::optional<WgmmaOperandLayout> swizzled;
  int64_t slotBytes; // 16-byte aligned, 1024 when swizzled
  int64_t offset;    // byte offset of slot 0 in shared memory
  /// For an f32 operand of a tf32 dot: each element is rounded to tf32 in
  /// its slot once it has landed, by the thread that copied it, so that the
  /// dot's warps, each reading it, need not round it again (mma.sync), or
  /// read it rounded to nearest at all (wgmma, which takes the bits in
  /// shared memory as they are, where tile.dot's tf32 rounds with cvt.rna).
  bool roundedToTf32 = false;
  /// For an f32 operand of a tf32x3 wgmma dot: the same pass splits each
  /// element into big = tf32(x), left in place, and small = tf32(x - big),
  /// written `smallOffset` bytes further into the slot (the slot holds both
  /// halves, each in `swizzled`'s layout), for wgmma's three products.
  int64_t smallOffset = 0;
};

/// Swizzled slots start at multiples of this many bytes from the start of
/// shared memory, which the lowered kernel aligns so too: the swizzle is a
/// function of address bits (PTX ISA "Shared Memory Matrix Layout").
inline constexpr int64_t kSwizzledSlotAlignment = 1024;

/// True when `operand` is a tile.load that takes a ring in a kernel of
/// `stages` stages whatever its dot's staging: every condition above but
/// the last.
bool mayTakeRing(mlir::Value operand, int64_t stages);

/// The ring `load` takes in a kernel of `stages` stages (see OperandRing),
/// with its offset not yet set.
std::optional<OperandRing> operandRingFor(LoadOp load, int64_t stages);

/// The rings of `specialized`, one after another, above the shared memory of
/// whatever runs while copies into them are in flight (their loop's body
/// and the conversions of its carried accumulators on entry); what runs
/// elsewhere reuses their bytes (lib/Dialect/Tile/Transforms/SharedMemory.cpp).
llvm::SmallVector<OperandRing> operandRings(KernelOp specialized);

/// Shared memory a specialized kernel's program needs: ops whose results
/// need elements other threads hold (broadcast, segsum, cumsum, reduce, dot)
/// stage their operands one op at a time, so the largest one sets it, with
/// the operand rings (operandRings) where they lie.
int64_t sharedMemoryBytes(KernelOp specialized);

/// What a target gives one program.
struct TargetLimits {
  int64_t sharedBytes = 232448;    // sm_90: 227 KiB
  int64_t elementsPerThread = 256; // tile elements a thread holds in registers
};

/// Why `specialized` cannot run within `limits`, or an empty string.
std::string checkConfigFits(KernelOp specialized, const TargetLimits &limits);

#define GEN_PASS_REGISTRATION
#include "ssdc/Dialect/Tile/Transforms/Passes.h.inc"

} // namespace ssdc::tile

#endif // SSDC_DIALECT_TILE_TRANSFORMS_PASSES_H
