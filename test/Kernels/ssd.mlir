// The kernels of kernels/ssd/ parse, verify and round-trip, and their default
// configs specialize (their numbers are checked by unittests/Host:
// SsdForwardTest.cpp, every config of each through the library's launches).
// RUN: for k in chunk_state state_passing chunk_cb chunk_outputs; do \
// RUN:   ssdc-opt %ssdc_src_root/kernels/ssd/$k.mlir > %t.$k.1.mlir && \
// RUN:   ssdc-opt %t.$k.1.mlir > %t.$k.2.mlir && diff %t.$k.1.mlir %t.$k.2.mlir || exit 1; \
// RUN: done
// RUN: FileCheck %s --check-prefix=STATE --input-file=%t.chunk_state.1.mlir
// RUN: FileCheck %s --check-prefix=PASSING --input-file=%t.state_passing.1.mlir
// RUN: FileCheck %s --check-prefix=CB --input-file=%t.chunk_cb.1.mlir
// RUN: FileCheck %s --check-prefix=OUTPUTS --input-file=%t.chunk_outputs.1.mlir
// RUN: ssdc-opt %ssdc_src_root/kernels/ssd/chunk_state.mlir -tile-specialize=default-only | FileCheck %s --check-prefix=SPEC-STATE
// RUN: ssdc-opt %ssdc_src_root/kernels/ssd/chunk_outputs.mlir -tile-specialize=default-only | FileCheck %s --check-prefix=SPEC-OUTPUTS

// The grids: one program per (batch x chunk, head, state block) computes a
// chunk's own state; one per (batch, head, state block) walks the chunks;
// one per (batch x chunk, group, block) forms C B^T when groups < heads;
// one per (batch x chunk, head, row block x p block) computes Y.
// STATE-LABEL: tile.kernel @ssd_chunk_state(
// STATE-SAME:  %dt_lo: f32, %dt_hi: f32
// STATE:       types [T in [f32, f16, bf16]]
// STATE:       grid (%{{.*}} * cdiv(%[[S:[a-zA-Z0-9_]+]], %[[L:[a-zA-Z0-9_]+]]), %{{.*}}, cdiv(%{{.*}}, BN) * cdiv(%{{.*}}, BP))
// STATE:       scf.for
// STATE:       tile.cumsum
// STATE:       tile.dot {{.*}} precision tf32x3
// PASSING-LABEL: tile.kernel @ssd_state_passing(
// PASSING:       grid (%{{.*}}, %{{.*}}, cdiv(%{{.*}}, BN) * cdiv(%{{.*}}, BP))
// PASSING:       scf.for
// PASSING-NOT:   tile.dot
// CB-LABEL:    tile.kernel @ssd_chunk_cb(
// CB:          types [T in [f32, f16, bf16]]
// CB:          grid (%{{.*}} * cdiv(%{{.*}}, %[[L:[a-zA-Z0-9_]+]]), %{{.*}}, cdiv(%[[L]], BM) * cdiv(%[[L]], BK))
// CB:          tile.dot {{.*}} precision tf32x3
// OUTPUTS-LABEL: tile.kernel @ssd_chunk_outputs(
// OUTPUTS:       types [T in [f32, f16, bf16]]
// OUTPUTS:       grid (%{{.*}} * cdiv(%[[S:[a-zA-Z0-9_]+]], %[[L:[a-zA-Z0-9_]+]]), %{{.*}}, cdiv(%[[L]], BM) * cdiv(%{{.*}}, BP))
// OUTPUTS:       tile.dot {{.*}} precision tf32x3
// OUTPUTS:       tile.segsum
// OUTPUTS:       tile.dot {{.*}} precision tf32x3

// One instance per element type, each specialized; the tiles are f32 in
// every instance, x, B (C, z, y) buffers of the instance's type.
// SPEC-STATE: tile.kernel @ssd_chunk_state_f32__BN_16__BP_64__BL_64__num_warps_4(%x: !tile.buffer<f32, read>
// SPEC-STATE: tile.dot {{.*}} : tensor<16x64xf32>, tensor<64x64xf32> -> tensor<16x64xf32>
// SPEC-STATE: tile.kernel @ssd_chunk_state_f16__BN_16__BP_64__BL_64__num_warps_4(%x: !tile.buffer<f16, read>
// SPEC-STATE: tile.kernel @ssd_chunk_state_bf16__BN_16__BP_64__BL_64__num_warps_4(%x: !tile.buffer<bf16, read>
// SPEC-STATE: tile.load %x{{.*}} : !tile.buffer<bf16, read> -> tensor<64x64xf32>
// SPEC-STATE: tile.dot {{.*}} : tensor<16x64xf32>, tensor<64x64xf32> -> tensor<16x64xf32>
// SPEC-OUTPUTS: tile.kernel @ssd_chunk_outputs_f32__BM_64__BK_64__BN_64__BP_64__num_warps_4__min_programs_per_sm_1(
// SPEC-OUTPUTS: tile.segsum {{.*}} : tensor<64xf32>, tensor<64xf32> -> tensor<64x64xf32>
// SPEC-OUTPUTS: tile.kernel @ssd_chunk_outputs_bf16__BM_64__BK_64__BN_64__BP_64__num_warps_4__min_programs_per_sm_1(
// SPEC-OUTPUTS: tile.store {{.*}} : tensor<64x64xf32>, !tile.buffer<bf16, write>
