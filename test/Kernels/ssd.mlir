// The kernels of kernels/ssd/ parse, verify and round-trip, and their default
// configs specialize (their numbers are checked by unittests/Host:
// KernelTable.cpp and SsdForwardTest.cpp).
// RUN: for k in chunk_states chunk_outputs; do \
// RUN:   ssdc-opt %ssdc_src_root/kernels/ssd/$k.mlir > %t.$k.1.mlir && \
// RUN:   ssdc-opt %t.$k.1.mlir > %t.$k.2.mlir && diff %t.$k.1.mlir %t.$k.2.mlir || exit 1; \
// RUN: done
// RUN: FileCheck %s --check-prefix=STATES --input-file=%t.chunk_states.1.mlir
// RUN: FileCheck %s --check-prefix=OUTPUTS --input-file=%t.chunk_outputs.1.mlir
// RUN: ssdc-opt %ssdc_src_root/kernels/ssd/chunk_states.mlir -tile-specialize=default-only | FileCheck %s --check-prefix=SPEC-STATES
// RUN: ssdc-opt %ssdc_src_root/kernels/ssd/chunk_outputs.mlir -tile-specialize=default-only | FileCheck %s --check-prefix=SPEC-OUTPUTS

// The grids: one program per (batch, head, state block) walks the sequence;
// one per (batch x chunk, head, row block x p block) computes Y.
// STATES-LABEL: tile.kernel @ssd_chunk_states(
// STATES:       grid (%{{.*}}, %{{.*}}, cdiv(%[[P:[a-zA-Z0-9_]+]], BP) * cdiv(%[[N:[a-zA-Z0-9_]+]], BN))
// STATES:       scf.for
// STATES:       tile.cumsum
// STATES:       tile.dot
// OUTPUTS-LABEL: tile.kernel @ssd_chunk_outputs(
// OUTPUTS:       grid (%{{.*}} * cdiv(%[[S:[a-zA-Z0-9_]+]], %[[L:[a-zA-Z0-9_]+]]), %{{.*}}, cdiv(%[[L]], BM) * cdiv(%{{.*}}, BP))
// OUTPUTS:       tile.segsum
// OUTPUTS:       tile.dot

// SPEC-STATES: tile.kernel @ssd_chunk_states__BP_32__BN_32__BL_32__num_warps_4(
// SPEC-STATES: tile.dot {{.*}} : tensor<32x32xf32>, tensor<32x32xf32> -> tensor<32x32xf32>
// SPEC-OUTPUTS: tile.kernel @ssd_chunk_outputs__BM_32__BK_32__BN_32__BP_32__num_warps_4(
// SPEC-OUTPUTS: tile.segsum {{.*}} : tensor<32xf32>, tensor<32xf32> -> tensor<32x32xf32>
