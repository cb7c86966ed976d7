//===- KernelDescription.cpp - a tile.kernel as the runtime sees it -------===//
#include "ssdc/Compiler/KernelDescription.h"

#include "ssdc/Dialect/Tile/IR/GridExpr.h"

using namespace mlir;
using namespace ssdc::tile;

namespace ssdc {
namespace {
pkg::Access accessOf(Access access) {
  switch (access) {
  case Access::read:
    return pkg::Access::Read;
  case Access::write:
    return pkg::Access::Write;
  case Access::readwrite:
    return pkg::Access::ReadWrite;
  }
  llvm_unreachable("unknown access");
}
} // namespace

pkg::Kernel describeKernel(KernelOp kernel) {
  pkg::Kernel described;
  described.name = kernel.getSymName().str();
  for (auto [index, type] : llvm::enumerate(kernel.getArgumentTypes())) {
    pkg::Arg arg;
    arg.name = kernel.getArgName(index);
    // The verifier admits buffers of the element types and scalars of i32,
    // i64, f32, f16 or bf16.
    if (auto buffer = llvm::dyn_cast<BufferType>(type)) {
      arg.kind = pkg::ArgKind::Buffer;
      arg.type = *getElemType(buffer.getElementType());
      arg.access = accessOf(buffer.getAccess());
    } else {
      arg.kind = llvm::isa<FloatType>(type) ? pkg::ArgKind::Float : pkg::ArgKind::Int;
      arg.type = *getElemType(type);
    }
    described.args.push_back(std::move(arg));
  }
  for (Attribute attr : kernel.getParams()) {
    auto param = llvm::cast<ParamAttr>(attr);
    described.params.push_back({param.getName().str(),
                                {param.getValues().begin(), param.getValues().end()},
                                param.getDefaultValue()});
  }
  for (int64_t index : kernel.getKey())
    described.keyArgs.push_back(static_cast<uint32_t>(index));
  for (AffineExpr expr : kernel.getGrid().getResults())
    described.grid.push_back(toPostfix(expr, kernel.getNumArguments()));
  return described;
}

} // namespace ssdc
