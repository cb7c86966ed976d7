//===- SharedAlignment.cpp - the ssdc-align-dynamic-shared-memory pass ----===//
#include "ssdc/Conversion/Passes.h"
#include "ssdc/Dialect/Tile/Transforms/Passes.h"

namespace ssdc {
#define GEN_PASS_DEF_ALIGNDYNAMICSHAREDMEMORY
#include "ssdc/Conversion/Passes.h.inc"
} // namespace ssdc

using namespace mlir;

namespace ssdc {
namespace {

struct AlignDynamicSharedMemoryPass
    : public impl::AlignDynamicSharedMemoryBase<AlignDynamicSharedMemoryPass> {
  void runOnOperation() override {
    constexpr unsigned kSharedAddressSpace = 3;
    getOperation().walk([](LLVM::GlobalOp global) {
      // The dynamic shared memory: a zero-sized array (PTX .extern .shared).
      auto array = llvm::dyn_cast<LLVM::LLVMArrayType>(global.getGlobalType());
      if (global.getAddrSpace() != kSharedAddressSpace || !array || array.getNumElements() != 0)
        return;
      uint64_t alignment =
          std::max<uint64_t>(global.getAlignment().value_or(1), tile::kSwizzledSlotAlignment);
      global.setAlignment(alignment);
    });
  }
};

} // namespace
} // namespace ssdc
