// f16/bf16 tile.dot on tensor cores, from sm_80: ldmatrix loads a's
// fragments (x4) and b's (x4 trans, from row-major staging), mma.sync
// m16n8k16 accumulates in f32; no FMA remains.
// RUN: ssdc compile %s --emit=ptx --chip=sm_80 | FileCheck %s --check-prefix=SM80
// RUN: ssdc compile %s --emit=ptx --chip=sm_90 | FileCheck %s --check-prefix=SM90

// SM80: .target sm_80
// SM80: .visible .entry dot_f16__num_warps_4(
// SM80: bar.sync 0;
// SM80: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// SM80: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// SM80-COUNT-8: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// SM80-NOT: fma.rn.f32
// SM80: ret;

// SM90: .target sm_90
// SM90: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32

// fp32 with precision tf32: operands rounded by cvt.rna.tf32.f32, then
// mma.sync m16n8k8 tf32.
// SM80: .visible .entry dot_tf32__num_warps_4(
// SM80: cvt.rna.tf32.f32
// SM80: mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32
// SM80-NOT: fma.rn.f32
// SM80: ret;

// fp32 with precision bf16x3: f32 pairs split into bf16 big and small parts
// (cvt.rn.bf16.f32), then three mma.sync m16n8k16 bf16 per tile.
// SM80: .visible .entry dot_bf16x3__num_warps_4(
// SM80: cvt.rn.bf16.f32
// SM80: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// SM80-NOT: fma.rn.f32
// SM80: ret;
tile.kernel @dot_f16(%a: !tile.buffer<f16, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c16, %c1) : !tile.buffer<f16, read> -> tensor<64x16xf16>
  %y = tile.load %a[%c0] at (%c0, %c0) strides (%c64, %c1) : !tile.buffer<f16, read> -> tensor<16x64xf16>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<64x64xf32>
  %d = tile.dot %x, %y, %acc : tensor<64x16xf16>, tensor<16x64xf16> -> tensor<64x64xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c64, %c1) : tensor<64x64xf32>, !tile.buffer<f32, write>
}

tile.kernel @dot_tf32(%a: !tile.buffer<f32, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c16, %c1) : !tile.buffer<f32, read> -> tensor<64x16xf32>
  %y = tile.load %a[%c0] at (%c0, %c0) strides (%c64, %c1) : !tile.buffer<f32, read> -> tensor<16x64xf32>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<64x64xf32>
  %d = tile.dot %x, %y, %acc precision tf32 : tensor<64x16xf32>, tensor<16x64xf32> -> tensor<64x64xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c64, %c1) : tensor<64x64xf32>, !tile.buffer<f32, write>
}

tile.kernel @dot_bf16x3(%a: !tile.buffer<f32, read>, %c: !tile.buffer<f32, write>, %n: i64)
    params [num_warps in [4] = 4] grid (%n) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %x = tile.load %a[%c0] at (%c0, %c0) strides (%c16, %c1) : !tile.buffer<f32, read> -> tensor<64x16xf32>
  %y = tile.load %a[%c0] at (%c0, %c0) strides (%c64, %c1) : !tile.buffer<f32, read> -> tensor<16x64xf32>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<64x64xf32>
  %d = tile.dot %x, %y, %acc precision bf16x3 : tensor<64x16xf32>, tensor<16x64xf32> -> tensor<64x64xf32>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%c64, %c1) : tensor<64x64xf32>, !tile.buffer<f32, write>
}
