"""NumPy side of the GPU check of examples/matmul/matmul.mlir.

    python3 scripts/matmul_npy.py make DIR M N K      # writes DIR/a.npy, DIR/b.npy
    python3 scripts/matmul_npy.py check DIR M N K C.npy [LABEL]

The check compares C with A x B in float64: every element written (no NaN
left from the poisoned output) and |C - AB| <= 1e-5 * (|A| |B|), the bound of
an fp32 sum of K products. Prints one line ending in PASS or FAIL.
"""
import sys

import numpy as np


def main(argv):
    mode, directory = argv[0], argv[1]
    M, N, K = (int(v) for v in argv[2:5])
    if mode == "make":
        rng = np.random.default_rng(0)
        np.save(f"{directory}/a.npy", rng.standard_normal(M * K).astype(np.float32))
        np.save(f"{directory}/b.npy", rng.standard_normal(K * N).astype(np.float32))
        return 0
    a = np.load(f"{directory}/a.npy").astype(np.float64).reshape(M, K)
    b = np.load(f"{directory}/b.npy").astype(np.float64).reshape(K, N)
    c = np.load(argv[5]).astype(np.float64).reshape(M, N)
    label = argv[6] if len(argv) > 6 else ""
    unwritten = int(np.isnan(c).sum())
    bound = 1e-5 * (np.abs(a) @ np.abs(b))
    excess = float((np.abs(c - a @ b) - bound).max())
    ok = unwritten == 0 and excess <= 0
    print(f"matmul {label} M={M} N={N} K={K}: unwritten {unwritten}, "
          f"max |C - AB| over its bound {excess:.2e} -> {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
