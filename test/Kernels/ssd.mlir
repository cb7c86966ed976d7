// The kernels of kernels/ssd/ parse, verify and round-trip, and their default
// configs specialize (their numbers are checked by unittests/Host:
// SsdForwardTest.cpp, every config of each through the library's launches).
// RUN: for k in chunk_state state_passing chunk_outputs; do \
// RUN:   ssdc-opt %ssdc_src_root/kernels/ssd/$k.mlir > %t.$k.1.mlir && \
// RUN:   ssdc-opt %t.$k.1.mlir > %t.$k.2.mlir && diff %t.$k.1.mlir %t.$k.2.mlir || exit 1; \
// RUN: done
// RUN: FileCheck %s --check-prefix=STATE --input-file=%t.chunk_state.1.mlir
// RUN: FileCheck %s --check-prefix=PASSING --input-file=%t.state_passing.1.mlir
// RUN: FileCheck %s --check-prefix=OUTPUTS --input-file=%t.chunk_outputs.1.mlir
// RUN: ssdc-opt %ssdc_src_root/kernels/ssd/chunk_state.mlir -tile-specialize=default-only | FileCheck %s --check-prefix=SPEC-STATE
// RUN: ssdc-opt %ssdc_src_root/kernels/ssd/chunk_outputs.mlir -tile-specialize=default-only | FileCheck %s --check-prefix=SPEC-OUTPUTS

// The grids: one program per (batch x chunk, head, state block) computes a
// chunk's own state; one per (batch, head, state block) walks the chunks;
// one per (batch x chunk, head, row block x p block) computes Y.
// STATE-LABEL: tile.kernel @ssd_chunk_state(
// STATE:       grid (%{{.*}} * cdiv(%[[S:[a-zA-Z0-9_]+]], %[[L:[a-zA-Z0-9_]+]]), %{{.*}}, cdiv(%{{.*}}, BN) * cdiv(%{{.*}}, BP))
// STATE:       scf.for
// STATE:       tile.cumsum
// STATE:       tile.dot {{.*}} precision tf32x3
// PASSING-LABEL: tile.kernel @ssd_state_passing(
// PASSING:       grid (%{{.*}}, %{{.*}}, cdiv(%{{.*}}, BN) * cdiv(%{{.*}}, BP))
// PASSING:       scf.for
// PASSING-NOT:   tile.dot
// OUTPUTS-LABEL: tile.kernel @ssd_chunk_outputs(
// OUTPUTS:       grid (%{{.*}} * cdiv(%[[S:[a-zA-Z0-9_]+]], %[[L:[a-zA-Z0-9_]+]]), %{{.*}}, cdiv(%[[L]], BM) * cdiv(%{{.*}}, BP))
// OUTPUTS:       tile.dot {{.*}} precision tf32x3
// OUTPUTS:       tile.segsum
// OUTPUTS:       tile.dot {{.*}} precision tf32x3

// SPEC-STATE: tile.kernel @ssd_chunk_state__BN_16__BP_64__BL_64__num_warps_4(
// SPEC-STATE: tile.dot {{.*}} : tensor<16x64xf32>, tensor<64x64xf32> -> tensor<16x64xf32>
// SPEC-OUTPUTS: tile.kernel @ssd_chunk_outputs__BM_64__BK_64__BN_64__BP_64__num_warps_4(
// SPEC-OUTPUTS: tile.segsum {{.*}} : tensor<64xf32>, tensor<64xf32> -> tensor<64x64xf32>
