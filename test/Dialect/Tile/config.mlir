// The config a specialized kernel records (tile.config) is verified against
// the kernel's parameters: the lowering sizes layouts by num_warps and takes
// tile shapes from the config, so a hand-written or mutated config that is not
// one of the declared candidates is an error here, never a crash later
// (test/Conversion/TileToGPU/config-num-warps.mlir).
// RUN: ssdc-opt %s -split-input-file -verify-diagnostics

// expected-error@+1 {{tile.config sets num_warps = 0, which is not one of its candidates [1, 2, 4]}}
tile.kernel @zero_warps(%n: i64) params [num_warps in [1, 2, 4] = 1] grid (%n)
    attributes {tile.config = {num_warps = 0 : i64}} {
}

// -----

// expected-error@+1 {{tile.config sets num_warps = -4, which is not one of its candidates [4]}}
tile.kernel @negative_warps(%n: i64) params [num_warps in [4] = 4] grid (%n)
    attributes {tile.config = {num_warps = -4 : i64}} {
}

// -----

// Not a power of two: candidates never are (invalid.mlir), so neither is a config.
// expected-error@+1 {{tile.config sets num_warps = 3, which is not one of its candidates [2, 4]}}
tile.kernel @three_warps(%n: i64) params [num_warps in [2, 4] = 2] grid (%n)
    attributes {tile.config = {num_warps = 3 : i64}} {
}

// -----

// expected-error@+1 {{tile.config sets num_warps = 64, which is not one of its candidates [32]}}
tile.kernel @too_many_warps(%n: i64) params [num_warps in [32] = 32] grid (%n)
    attributes {tile.config = {num_warps = 64 : i64}} {
}

// -----

// A block size of 0 would give empty tiles and a zero-sized grid divisor.
// expected-error@+1 {{tile.config sets BLOCK = 0, which is not one of its candidates [16, 32]}}
tile.kernel @zero_block(%n: i64) params [BLOCK in [16, 32] = 16] grid (cdiv(%n, BLOCK))
    attributes {tile.config = {BLOCK = 0 : i64}} {
}

// -----

// expected-error@+1 {{tile.config sets BLOCK = 24, which is not one of its candidates [16, 32]}}
tile.kernel @block_not_a_candidate(%n: i64) params [BLOCK in [16, 32] = 16] grid (cdiv(%n, BLOCK))
    attributes {tile.config = {BLOCK = 24 : i64}} {
}

// -----

// expected-error@+1 {{tile.config sets 'BM', which @undeclared does not declare}}
tile.kernel @undeclared(%n: i64) grid (%n) attributes {tile.config = {BM = 16 : i64}} {
}

// -----

// expected-error@+1 {{tile.config gives no value for parameter 'BN'}}
tile.kernel @missing(%n: i64) params [BM in [16] = 16, BN in [16] = 16] grid (%n)
    attributes {tile.config = {BM = 16 : i64}} {
}

// -----

// Wider than 64 bits: read as an int64 it would not be this value.
// expected-error@+1 {{tile.config sets 'BM' to 18446744073709551632 : i128; a config value is an i64}}
tile.kernel @wide(%n: i64) params [BM in [16] = 16] grid (%n)
    attributes {tile.config = {BM = 18446744073709551632 : i128}} {
}

// -----

// expected-error@+1 {{tile.config sets 'BM' to "16"; a config value is an i64}}
tile.kernel @string_value(%n: i64) params [BM in [16] = 16] grid (%n)
    attributes {tile.config = {BM = "16"}} {
}

// -----

// expected-error@+1 {{has tile.config = [16]; it must be a dictionary from parameter name to value}}
tile.kernel @not_a_dictionary(%n: i64) params [BM in [16] = 16] grid (%n)
    attributes {tile.config = [16]} {
}

// -----

// What tile-specialize writes verifies: every parameter, each a candidate.
tile.kernel @specialized(%n: i64) params [BM in [16, 32] = 16, num_warps in [4, 8] = 4]
    grid (cdiv(%n, BM)) attributes {tile.config = {BM = 32 : i64, num_warps = 8 : i64}} {
}
