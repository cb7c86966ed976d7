"""NumPy side of the checks of examples/matmul (matmul.mlir, matmul_bf16.mlir).

    python3 scripts/matmul_npy.py make DIR M N K [bf16]      # writes DIR/a.npy, DIR/b.npy
    python3 scripts/matmul_npy.py check DIR M N K C.npy [LABEL] [bf16] [tf32|tf32x3]

With `bf16`, A and B are bfloat16 (stored as their 16-bit patterns, '<u2',
as the runtime reads bf16 buffers), rounded to nearest even from float32.
The check compares C with A x B in float64 (of the values the kernel read):
every element written (no NaN left from the poisoned output) and
|C - AB| <= 1e-5 * (|A| |B|), the bound of an fp32 sum of K products; bf16
products are exact in fp32, so the same bound holds for them, and for
tf32x3 (about fp32's accuracy). With tf32 (each operand rounded to 10
mantissa bits, 2 x 2^-11 a product) the bound is 2e-3 * (|A| |B|). Prints
one line ending in PASS or FAIL.
"""
import sys

import numpy as np


def to_bf16_bits(values):
    bits = values.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def from_bf16_bits(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def main(argv):
    bf16, tf32 = "bf16" in argv, "tf32" in argv
    argv = [arg for arg in argv if arg not in ("bf16", "tf32", "tf32x3")]
    mode, directory = argv[0], argv[1]
    M, N, K = (int(v) for v in argv[2:5])
    if mode == "make":
        rng = np.random.default_rng(0)
        a = rng.standard_normal(M * K).astype(np.float32)
        b = rng.standard_normal(K * N).astype(np.float32)
        if bf16:
            a, b = to_bf16_bits(a), to_bf16_bits(b)
        np.save(f"{directory}/a.npy", a)
        np.save(f"{directory}/b.npy", b)
        return 0
    decode = from_bf16_bits if bf16 else (lambda values: values)
    a = decode(np.load(f"{directory}/a.npy")).astype(np.float64).reshape(M, K)
    b = decode(np.load(f"{directory}/b.npy")).astype(np.float64).reshape(K, N)
    c = np.load(argv[5]).astype(np.float64).reshape(M, N)
    label = argv[6] if len(argv) > 6 else ""
    unwritten = int(np.isnan(c).sum())
    bound = (2e-3 if tf32 else 1e-5) * (np.abs(a) @ np.abs(b))
    excess = float((np.abs(c - a @ b) - bound).max())
    ok = unwritten == 0 and excess <= 0
    print(f"matmul {label} M={M} N={N} K={K}: unwritten {unwritten}, "
          f"max |C - AB| over its bound {excess:.2e} -> {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
