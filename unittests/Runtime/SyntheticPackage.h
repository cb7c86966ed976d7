//===- SyntheticPackage.h - A package for tests and fuzz seeds ------------===//
//
// Two kernels shaped like what the compiler emits, with placeholder PTX:
//   segsum_exp(cs: f32 read, out: f32 write, B: i64, T: i64)
//     params BLOCK_M in {16, 32, 64}, BLOCK_N in {32, 64}; key (B, T)
//     grid (B, cdiv(T, BLOCK_M), cdiv(T, BLOCK_N))
//   scale_inplace(x: f32 readwrite, n: i32)
//     param BLOCK in {128, 256}; key (n); grid (cdiv(n, BLOCK))
//
//===----------------------------------------------------------------------===//
#ifndef SSDC_UNITTESTS_RUNTIME_SYNTHETICPACKAGE_H
#define SSDC_UNITTESTS_RUNTIME_SYNTHETICPACKAGE_H

#include "ssdc/Runtime/Package.h"

namespace ssdc {
namespace synthetic {

inline pkg::ExprNode node(pkg::ExprNode::Op op, int64_t value = 0) {
  pkg::ExprNode n;
  n.op = op;
  n.value = value;
  return n;
}

inline pkg::Arg arg(const char *name, pkg::ArgKind kind, pkg::ElemType type,
                    pkg::Access access = pkg::Access::Read) {
  pkg::Arg a;
  a.name = name;
  a.kind = kind;
  a.type = type;
  a.access = access;
  return a;
}

inline pkg::Kernel segsumExpKernel() {
  using Op = pkg::ExprNode::Op;
  pkg::Kernel k;
  k.name = "segsum_exp";
  k.args = {arg("cs", pkg::ArgKind::Buffer, pkg::ElemType::F32),
            arg("out", pkg::ArgKind::Buffer, pkg::ElemType::F32, pkg::Access::Write),
            arg("B", pkg::ArgKind::Int, pkg::ElemType::I64),
            arg("T", pkg::ArgKind::Int, pkg::ElemType::I64)};
  k.params = {{"BLOCK_M", {16, 32, 64}, 32}, {"BLOCK_N", {32, 64}, 32}};
  k.keyArgs = {2, 3};
  k.grid = {{node(Op::Arg, 2)},
            {node(Op::Arg, 3), node(Op::Param, 0), node(Op::CeilDiv)},
            {node(Op::Arg, 3), node(Op::Param, 1), node(Op::CeilDiv)}};
  for (int64_t m : {16, 32, 64})
    for (int64_t n : {32, 64}) {
      pkg::Config c;
      c.paramValues = {m, n};
      c.entry = "segsum_exp_" + std::to_string(m) + "_" + std::to_string(n);
      c.blockThreads = 128;
      c.sharedBytes = static_cast<uint32_t>(m * 4);
      c.ptx = "// placeholder PTX for " + c.entry + "\n";
      if (m == 64) {
        c.cubin = std::string("\x7f"
                              "ELF placeholder",
                              16);
        c.cubinChip = "sm_90a";
      }
      k.configs.push_back(c);
    }
  k.defaultConfig = 2; // BLOCK_M=32, BLOCK_N=32
  return k;
}

inline pkg::Kernel scaleInplaceKernel() {
  using Op = pkg::ExprNode::Op;
  pkg::Kernel k;
  k.name = "scale_inplace";
  k.args = {arg("x", pkg::ArgKind::Buffer, pkg::ElemType::F32, pkg::Access::ReadWrite),
            arg("n", pkg::ArgKind::Int, pkg::ElemType::I32)};
  k.params = {{"BLOCK", {128, 256}, 128}};
  k.keyArgs = {1};
  k.grid = {{node(Op::Arg, 1), node(Op::Param, 0), node(Op::CeilDiv)}};
  for (int64_t block : {128, 256}) {
    pkg::Config c;
    c.paramValues = {block};
    c.entry = "scale_inplace_" + std::to_string(block);
    c.blockThreads = static_cast<uint32_t>(block);
    c.ptx = "// placeholder PTX\n";
    k.configs.push_back(c);
  }
  return k;
}

inline pkg::Package syntheticPackage() {
  pkg::Package p;
  p.chip = "sm_90";
  p.producer = "ssdc unit tests";
  p.kernels = {segsumExpKernel(), scaleInplaceKernel()};
  return p;
}

} // namespace synthetic
} // namespace ssdc

#endif // SSDC_UNITTESTS_RUNTIME_SYNTHETICPACKAGE_H
