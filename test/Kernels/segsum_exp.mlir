// kernels/segsum_exp.mlir parses, verifies and round-trips; deliberately broken
// copies of it are rejected with located messages.
//
// The printed form is a fixed point of parse + print, and the generic form
// parses back to the same kernel:
// RUN: ssdc-opt %ssdc_src_root/kernels/segsum_exp.mlir > %t.1.mlir
// RUN: ssdc-opt %t.1.mlir > %t.2.mlir
// RUN: diff %t.1.mlir %t.2.mlir
// RUN: ssdc-opt %ssdc_src_root/kernels/segsum_exp.mlir -mlir-print-op-generic | ssdc-opt > %t.3.mlir
// RUN: diff %t.1.mlir %t.3.mlir
// RUN: FileCheck %s --input-file=%t.1.mlir
// It specializes (default config: 64 x 64 tiles):
// RUN: ssdc-opt %ssdc_src_root/kernels/segsum_exp.mlir -tile-specialize=default-only | FileCheck %s --check-prefix=SPEC
// The broken copies below (this file) are rejected:
// RUN: ssdc-opt %s -split-input-file -verify-diagnostics

// CHECK-LABEL: tile.kernel @segsum_exp(
// CHECK-SAME:    %[[CS:[a-zA-Z0-9_]+]]: !tile.buffer<f32, read>, %[[OUT:[a-zA-Z0-9_]+]]: !tile.buffer<f32, write>, %[[B:[a-zA-Z0-9_]+]]: i64, %[[T:[a-zA-Z0-9_]+]]: i64)
// CHECK-NEXT:    params [BLOCK_M in [16, 32, 64, 128] = 64, BLOCK_N in [16, 32, 64, 128] = 64, num_warps in [4, 8] = 4]
// CHECK-NEXT:    key [%[[T]]]
// CHECK-NEXT:    grid (%[[B]], cdiv(%[[T]], BLOCK_M), cdiv(%[[T]], BLOCK_N)) {
// CHECK-NEXT:    %[[BATCH:.*]] = program_id 0
// CHECK-NEXT:    %[[PM:.*]] = program_id 1
// CHECK-NEXT:    %[[PN:.*]] = program_id 2
// CHECK-NEXT:    %[[BM:.*]] = param BLOCK_M
// CHECK-NEXT:    %[[BN:.*]] = param BLOCK_N
// CHECK:         %[[ROW0:.*]] = arith.muli %[[PM]], %[[BM]] : index
// CHECK-NEXT:    %[[COL0:.*]] = arith.muli %[[PN]], %[[BN]] : index
// CHECK:         %[[ABOVE:.*]] = arith.cmpi sge, %[[COL0]], %{{.*}} : index
// CHECK-NEXT:    scf.if %[[ABOVE]] {
// CHECK:           %[[ZEROS:.*]] = tile.splat %{{.*}} : f32 -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
// CHECK-NEXT:      tile.store %[[ZEROS]], %[[OUT]][%{{.*}}] at(%[[ROW0]], %[[COL0]])
// CHECK-NEXT:    } else {
// CHECK:           %[[ROWS:.*]] = tile.load %[[CS]][%[[BASE:.*]]] at(%[[ROW0]]) strides(%{{.*}}) bounds(%{{.*}}) : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_M>>
// CHECK-NEXT:      %[[COLS:.*]] = tile.load %[[CS]][%[[BASE]]] at(%[[COL0]]) strides(%{{.*}}) bounds(%{{.*}}) : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_N>>
// CHECK-NEXT:      %[[SEG:.*]] = tile.segsum %[[ROWS]], %[[COLS]] at(%[[ROW0]], %[[COL0]]) : tensor<?xf32, #tile.dims<BLOCK_M>>, tensor<?xf32, #tile.dims<BLOCK_N>> -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
// CHECK-NEXT:      %[[DECAY:.*]] = tile.exp %[[SEG]] : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
// CHECK-NEXT:      tile.store %[[DECAY]], %[[OUT]][%{{.*}}] at(%[[ROW0]], %[[COL0]]) strides(%[[TI:.*]], %{{.*}}) bounds(%[[TI]], %[[TI]]) : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>, !tile.buffer<f32, write>
// CHECK-NEXT:    }
// CHECK-NEXT:  }

// SPEC-LABEL: tile.kernel @segsum_exp__BLOCK_M_64__BLOCK_N_64__num_warps_4(
// SPEC:         segsum {{.*}} : tensor<64xf32>, tensor<64xf32> -> tensor<64x64xf32>
// SPEC-NEXT:    exp {{.*}} : tensor<64x64xf32>
// SPEC:         store {{.*}} : tensor<64x64xf32>, !tile.buffer<f32, write>
// SPEC-NOT:     tile.kernel

// Broken copy 1: the store mask is BLOCK_N x BLOCK_M, the tile BLOCK_M x BLOCK_N.
tile.kernel @segsum_exp(%cs: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>,
                        %B: i64, %T: i64)
    params [BLOCK_M in [16, 32, 64, 128] = 64, BLOCK_N in [16, 32, 64, 128] = 64,
            num_warps in [4, 8] = 4]
    key [%T]
    grid (%B, cdiv(%T, BLOCK_M), cdiv(%T, BLOCK_N)) {
  %batch = tile.program_id 0
  %pid_m = tile.program_id 1
  %pid_n = tile.program_id 2
  %block_m = tile.param BLOCK_M
  %block_n = tile.param BLOCK_N
  %t = arith.index_cast %T : i64 to index
  %one = arith.constant 1 : index
  %row0 = arith.muli %pid_m, %block_m : index
  %col0 = arith.muli %pid_n, %block_n : index

  // The row and column vectors of this tile, from the same cumsum row.
  %cs_base = arith.muli %batch, %t : index
  %rows = tile.load %cs[%cs_base] at (%row0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_M>>
  %cols = tile.load %cs[%cs_base] at (%col0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_N>>

  // cs[i] - cs[j] below and on the diagonal, -inf above it; exp(-inf) = 0.
  %segsum = tile.segsum %rows, %cols at (%row0, %col0)
      : tensor<?xf32, #tile.dims<BLOCK_M>>, tensor<?xf32, #tile.dims<BLOCK_N>>
        -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
  %decay = tile.exp %segsum : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>

  %t_sq = arith.muli %t, %t : index
  %out_base = arith.muli %batch, %t_sq : index
  %true = arith.constant true
  %mask = tile.splat %true : i1 -> tensor<?x?xi1, #tile.dims<BLOCK_N, BLOCK_M>>
  // expected-error@+1 {{'tile.store' op the mask has shape BLOCK_N x BLOCK_M but the tile has shape BLOCK_M x BLOCK_N; they must be equal}}
  tile.store %decay, %out[%out_base] at (%row0, %col0) strides (%t, %one) bounds (%t, %t)
      mask %mask : tensor<?x?xi1, #tile.dims<BLOCK_N, BLOCK_M>>
      : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>, !tile.buffer<f32, write>
}

// -----

// Broken copy 2: the grid has two axes (the column blocks were left out), the body uses program id 2.
tile.kernel @segsum_exp(%cs: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>,
                        %B: i64, %T: i64)
    params [BLOCK_M in [16, 32, 64, 128] = 64, BLOCK_N in [16, 32, 64, 128] = 64,
            num_warps in [4, 8] = 4]
    key [%T]
    grid (%B, cdiv(%T, BLOCK_M)) {
  %batch = tile.program_id 0
  %pid_m = tile.program_id 1
  // expected-error@+1 {{'tile.program_id' op uses grid axis 2, but the grid of @segsum_exp has 2 dimension(s)}}
  %pid_n = tile.program_id 2
  %block_m = tile.param BLOCK_M
  %block_n = tile.param BLOCK_N
  %t = arith.index_cast %T : i64 to index
  %one = arith.constant 1 : index
  %row0 = arith.muli %pid_m, %block_m : index
  %col0 = arith.muli %pid_n, %block_n : index

  // The row and column vectors of this tile, from the same cumsum row.
  %cs_base = arith.muli %batch, %t : index
  %rows = tile.load %cs[%cs_base] at (%row0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_M>>
  %cols = tile.load %cs[%cs_base] at (%col0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_N>>

  // cs[i] - cs[j] below and on the diagonal, -inf above it; exp(-inf) = 0.
  %segsum = tile.segsum %rows, %cols at (%row0, %col0)
      : tensor<?xf32, #tile.dims<BLOCK_M>>, tensor<?xf32, #tile.dims<BLOCK_N>>
        -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
  %decay = tile.exp %segsum : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>

  %t_sq = arith.muli %t, %t : index
  %out_base = arith.muli %batch, %t_sq : index
  tile.store %decay, %out[%out_base] at (%row0, %col0) strides (%t, %one) bounds (%t, %t)
      : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>, !tile.buffer<f32, write>
}

// -----

// Broken copy 3: the output is declared read-only.
tile.kernel @segsum_exp(%cs: !tile.buffer<f32, read>, %out: !tile.buffer<f32, read>,
                        %B: i64, %T: i64)
    params [BLOCK_M in [16, 32, 64, 128] = 64, BLOCK_N in [16, 32, 64, 128] = 64,
            num_warps in [4, 8] = 4]
    key [%T]
    grid (%B, cdiv(%T, BLOCK_M), cdiv(%T, BLOCK_N)) {
  %batch = tile.program_id 0
  %pid_m = tile.program_id 1
  %pid_n = tile.program_id 2
  %block_m = tile.param BLOCK_M
  %block_n = tile.param BLOCK_N
  %t = arith.index_cast %T : i64 to index
  %one = arith.constant 1 : index
  %row0 = arith.muli %pid_m, %block_m : index
  %col0 = arith.muli %pid_n, %block_n : index

  // The row and column vectors of this tile, from the same cumsum row.
  %cs_base = arith.muli %batch, %t : index
  %rows = tile.load %cs[%cs_base] at (%row0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_M>>
  %cols = tile.load %cs[%cs_base] at (%col0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_N>>

  // cs[i] - cs[j] below and on the diagonal, -inf above it; exp(-inf) = 0.
  %segsum = tile.segsum %rows, %cols at (%row0, %col0)
      : tensor<?xf32, #tile.dims<BLOCK_M>>, tensor<?xf32, #tile.dims<BLOCK_N>>
        -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
  %decay = tile.exp %segsum : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>

  %t_sq = arith.muli %t, %t : index
  %out_base = arith.muli %batch, %t_sq : index
  // expected-error@+1 {{'tile.store' op stores into a read-only buffer ('!tile.buffer<f32, read>'); declare the argument write or readwrite}}
  tile.store %decay, %out[%out_base] at (%row0, %col0) strides (%t, %one) bounds (%t, %t)
      : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>, !tile.buffer<f32, read>
}

// -----

// Broken copy 4: the segsum result (and everything after it) is declared cols x rows.
tile.kernel @segsum_exp(%cs: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>,
                        %B: i64, %T: i64)
    params [BLOCK_M in [16, 32, 64, 128] = 64, BLOCK_N in [16, 32, 64, 128] = 64,
            num_warps in [4, 8] = 4]
    key [%T]
    grid (%B, cdiv(%T, BLOCK_M), cdiv(%T, BLOCK_N)) {
  %batch = tile.program_id 0
  %pid_m = tile.program_id 1
  %pid_n = tile.program_id 2
  %block_m = tile.param BLOCK_M
  %block_n = tile.param BLOCK_N
  %t = arith.index_cast %T : i64 to index
  %one = arith.constant 1 : index
  %row0 = arith.muli %pid_m, %block_m : index
  %col0 = arith.muli %pid_n, %block_n : index

  // The row and column vectors of this tile, from the same cumsum row.
  %cs_base = arith.muli %batch, %t : index
  %rows = tile.load %cs[%cs_base] at (%row0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_M>>
  %cols = tile.load %cs[%cs_base] at (%col0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_N>>

  // cs[i] - cs[j] below and on the diagonal, -inf above it; exp(-inf) = 0.
  // expected-error@+1 {{'tile.segsum' op result has shape BLOCK_N x BLOCK_M; rows x cols is BLOCK_M x BLOCK_N}}
  %segsum = tile.segsum %rows, %cols at (%row0, %col0)
      : tensor<?xf32, #tile.dims<BLOCK_M>>, tensor<?xf32, #tile.dims<BLOCK_N>>
        -> tensor<?x?xf32, #tile.dims<BLOCK_N, BLOCK_M>>
  %decay = tile.exp %segsum : tensor<?x?xf32, #tile.dims<BLOCK_N, BLOCK_M>>

  %t_sq = arith.muli %t, %t : index
  %out_base = arith.muli %batch, %t_sq : index
  tile.store %decay, %out[%out_base] at (%row0, %col0) strides (%t, %one) bounds (%t, %t)
      : tensor<?x?xf32, #tile.dims<BLOCK_N, BLOCK_M>>, !tile.buffer<f32, write>
}

// -----

// Broken copy 5: the grid names a parameter the kernel does not declare.
// expected-error@+6 {{grid names 'BLOCK_K', which is neither an argument nor a declared parameter}}
tile.kernel @segsum_exp(%cs: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>,
                        %B: i64, %T: i64)
    params [BLOCK_M in [16, 32, 64, 128] = 64, BLOCK_N in [16, 32, 64, 128] = 64,
            num_warps in [4, 8] = 4]
    key [%T]
    grid (%B, cdiv(%T, BLOCK_M), cdiv(%T, BLOCK_K)) {
  %batch = tile.program_id 0
  %pid_m = tile.program_id 1
  %pid_n = tile.program_id 2
  %block_m = tile.param BLOCK_M
  %block_n = tile.param BLOCK_N
  %t = arith.index_cast %T : i64 to index
  %one = arith.constant 1 : index
  %row0 = arith.muli %pid_m, %block_m : index
  %col0 = arith.muli %pid_n, %block_n : index

  // The row and column vectors of this tile, from the same cumsum row.
  %cs_base = arith.muli %batch, %t : index
  %rows = tile.load %cs[%cs_base] at (%row0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_M>>
  %cols = tile.load %cs[%cs_base] at (%col0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_N>>

  // cs[i] - cs[j] below and on the diagonal, -inf above it; exp(-inf) = 0.
  %segsum = tile.segsum %rows, %cols at (%row0, %col0)
      : tensor<?xf32, #tile.dims<BLOCK_M>>, tensor<?xf32, #tile.dims<BLOCK_N>>
        -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
  %decay = tile.exp %segsum : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>

  %t_sq = arith.muli %t, %t : index
  %out_base = arith.muli %batch, %t_sq : index
  tile.store %decay, %out[%out_base] at (%row0, %col0) strides (%t, %one) bounds (%t, %t)
      : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>, !tile.buffer<f32, write>
}

// -----

// Broken copy 6: the tuning key names a buffer.
// expected-error@+1 {{'tile.kernel' op key names argument 0 of type '!tile.buffer<f32, read>'; the key holds integer arguments only}}
tile.kernel @segsum_exp(%cs: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>,
                        %B: i64, %T: i64)
    params [BLOCK_M in [16, 32, 64, 128] = 64, BLOCK_N in [16, 32, 64, 128] = 64,
            num_warps in [4, 8] = 4]
    key [%cs]
    grid (%B, cdiv(%T, BLOCK_M), cdiv(%T, BLOCK_N)) {
  %batch = tile.program_id 0
  %pid_m = tile.program_id 1
  %pid_n = tile.program_id 2
  %block_m = tile.param BLOCK_M
  %block_n = tile.param BLOCK_N
  %t = arith.index_cast %T : i64 to index
  %one = arith.constant 1 : index
  %row0 = arith.muli %pid_m, %block_m : index
  %col0 = arith.muli %pid_n, %block_n : index

  // The row and column vectors of this tile, from the same cumsum row.
  %cs_base = arith.muli %batch, %t : index
  %rows = tile.load %cs[%cs_base] at (%row0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_M>>
  %cols = tile.load %cs[%cs_base] at (%col0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_N>>

  // cs[i] - cs[j] below and on the diagonal, -inf above it; exp(-inf) = 0.
  %segsum = tile.segsum %rows, %cols at (%row0, %col0)
      : tensor<?xf32, #tile.dims<BLOCK_M>>, tensor<?xf32, #tile.dims<BLOCK_N>>
        -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>
  %decay = tile.exp %segsum : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>

  %t_sq = arith.muli %t, %t : index
  %out_base = arith.muli %batch, %t_sq : index
  tile.store %decay, %out[%out_base] at (%row0, %col0) strides (%t, %one) bounds (%t, %t)
      : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_N>>, !tile.buffer<f32, write>
}

// -----

// Broken copy 7: the tiles name BLOCK_NN (a typo), which is not a parameter.
tile.kernel @segsum_exp(%cs: !tile.buffer<f32, read>, %out: !tile.buffer<f32, write>,
                        %B: i64, %T: i64)
    params [BLOCK_M in [16, 32, 64, 128] = 64, BLOCK_N in [16, 32, 64, 128] = 64,
            num_warps in [4, 8] = 4]
    key [%T]
    grid (%B, cdiv(%T, BLOCK_M), cdiv(%T, BLOCK_N)) {
  %batch = tile.program_id 0
  %pid_m = tile.program_id 1
  %pid_n = tile.program_id 2
  %block_m = tile.param BLOCK_M
  %block_n = tile.param BLOCK_N
  %t = arith.index_cast %T : i64 to index
  %one = arith.constant 1 : index
  %row0 = arith.muli %pid_m, %block_m : index
  %col0 = arith.muli %pid_n, %block_n : index

  // The row and column vectors of this tile, from the same cumsum row.
  %cs_base = arith.muli %batch, %t : index
  %rows = tile.load %cs[%cs_base] at (%row0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_M>>
  // expected-error@+1 {{'tile.load' op tile 'tensor<?xf32, #tile.dims<BLOCK_NN>>' names 'BLOCK_NN', which is not a declared parameter of @segsum_exp}}
  %cols = tile.load %cs[%cs_base] at (%col0) strides (%one) bounds (%t)
      : !tile.buffer<f32, read> -> tensor<?xf32, #tile.dims<BLOCK_NN>>

  // cs[i] - cs[j] below and on the diagonal, -inf above it; exp(-inf) = 0.
  %segsum = tile.segsum %rows, %cols at (%row0, %col0)
      : tensor<?xf32, #tile.dims<BLOCK_M>>, tensor<?xf32, #tile.dims<BLOCK_NN>>
        -> tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_NN>>
  %decay = tile.exp %segsum : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_NN>>

  %t_sq = arith.muli %t, %t : index
  %out_base = arith.muli %batch, %t_sq : index
  tile.store %decay, %out[%out_base] at (%row0, %col0) strides (%t, %one) bounds (%t, %t)
      : tensor<?x?xf32, #tile.dims<BLOCK_M, BLOCK_NN>>, !tile.buffer<f32, write>
}
