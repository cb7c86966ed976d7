// A config is kept or left out by the chip's shared memory per program:
// 196 KiB of dot staging (operands and accumulator) fits sm_90 (227 KiB) but not
// sm_89 (99 KiB).
// RUN: ssdc compile %s --emit=specialize --chip=sm_90 2>&1 | FileCheck %s --check-prefix=SM90
// RUN: ssdc compile %s --emit=specialize --chip=sm_89 2>&1 | FileCheck %s --check-prefix=SM89
// RUN: ssdc compile %s --chip=sm_89 --no-cubin -o %t.ssdcpkg 2>&1 | FileCheck %s --check-prefix=PKG89
// RUN: not ssdc compile %s --chip=sm_89 --config BM=128,BN=128 -o %t.one.ssdcpkg 2>&1 | FileCheck %s --check-prefix=ASKED
// A config asked for by name is the package's default; the kernel's default
// was not selected, which is no reason for a warning:
// RUN: ssdc compile %s --chip=sm_89 --config BM=128,BN=16 --no-cubin -o %t.other.ssdcpkg 2>&1 | count 0
// The kernel's default is left out only when it does not fit:
// RUN: sed -e 's/BM in \[16, 128\] = 16/BM in [16, 128] = 128/' -e 's/BN in \[16, 128\] = 16/BN in [16, 128] = 128/' %s > %t.big-default.mlir
// RUN: ssdc compile %t.big-default.mlir --chip=sm_89 --no-cubin -o %t.big.ssdcpkg 2>&1 | FileCheck %s --check-prefix=DEFAULT

// SM90-NOT: warning
// SM90-COUNT-4: tile.kernel @mm__

// SM89: warning: config mm__BM_128__BK_128__BN_128 needs 200704 bytes of shared memory to exchange tiles; the target has 101376; config dropped
// SM89-COUNT-3: tile.kernel @mm__

// PKG89: warning: config mm__BM_128__BK_128__BN_128 needs 200704 bytes of shared memory to exchange tiles; the target has 101376; left out of the package
// PKG89-NOT: error

// DEFAULT: warning: the default config of @mm does not fit the target; the package's default is mm__BM_16__BK_128__BN_16
// ASKED: error: config mm__BM_128__BK_128__BN_128 needs 200704 bytes of shared memory to exchange tiles; the target has 101376{{$}}

tile.kernel @mm(%a: !tile.buffer<f32, read>, %b: !tile.buffer<f32, read>, %c: !tile.buffer<f32, write>)
    params [BM in [16, 128] = 16, BK in [128] = 128, BN in [16, 128] = 16]
    grid (1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %ld = arith.constant 128 : index
  %ta = tile.load %a[%c0] at (%c0, %c0) strides (%ld, %c1)
      : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BM, BK>>
  %tb = tile.load %b[%c0] at (%c0, %c0) strides (%ld, %c1)
      : !tile.buffer<f32, read> -> tensor<?x?xf32, #tile.dims<BK, BN>>
  %zero = arith.constant 0.0 : f32
  %acc = tile.splat %zero : f32 -> tensor<?x?xf32, #tile.dims<BM, BN>>
  %d = tile.dot %ta, %tb, %acc : tensor<?x?xf32, #tile.dims<BM, BK>>, tensor<?x?xf32, #tile.dims<BK, BN>> -> tensor<?x?xf32, #tile.dims<BM, BN>>
  tile.store %d, %c[%c0] at (%c0, %c0) strides (%ld, %c1) : tensor<?x?xf32, #tile.dims<BM, BN>>, !tile.buffer<f32, write>
}
