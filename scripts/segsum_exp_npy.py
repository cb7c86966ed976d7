"""Inputs and the float64 check of segsum_exp through .npy files.

    segsum_exp_npy.py make CS.npy B T
        Writes a (B, T) float32 batch of cumulative sums whose segment sums
        make exp span many orders of magnitude (steps uniform in [-0.5, 0.1),
        NumPy seed 0).
    segsum_exp_npy.py check CS.npy OUT.npy WHERE
        Compares OUT (B*T*T elements, any shape) with the float64 truth
        out[b, i, j] = exp(cs[b, i] - cs[b, j]) for j <= i, else 0, and prints
        one line ending in PASS or FAIL (exit status 0 or 1): relative error
        <= 1e-5 wherever the truth is a normal float32, exact zeros above the
        diagonal, no NaN left (a write-only buffer starts as NaN).

Used by scripts/main-job.sh (the host target) and scripts/gpu-run.sh (a GPU,
through ssdc-rt), so both hold the kernel to the same standard.
"""
import sys

import numpy as np


def make(path, batch, length):
    steps = np.random.default_rng(0).uniform(-0.5, 0.1, size=(batch, length))
    np.save(path, np.cumsum(steps, axis=1).astype(np.float32))


def check(cs_path, out_path, where):
    cs = np.load(cs_path).astype(np.float64)
    batch, length = cs.shape
    out = np.load(out_path).astype(np.float64)
    if out.size != batch * length * length:
        print(f"segsum_exp {where}: {out_path} holds {out.size} elements, not "
              f"B*T*T = {batch * length * length} -> FAIL")
        return False
    out = out.reshape(batch, length, length)
    diff = cs[:, :, None] - cs[:, None, :]
    lower = np.broadcast_to(np.tril(np.ones((length, length), dtype=bool)), diff.shape)
    truth = np.where(lower, np.exp(np.where(lower, diff, 0.0)), 0.0)
    unwritten = int(np.isnan(out).sum())
    normal = (truth >= np.finfo(np.float32).tiny) & (truth <= np.finfo(np.float32).max)
    rel = np.abs(out[normal] - truth[normal]) / truth[normal]
    worst = float(rel.max()) if rel.size else 0.0
    exact_zeros = bool((out[~lower] == 0).all())
    span = np.log10(truth[normal].max() / truth[normal].min()) if normal.any() else 0.0
    ok = unwritten == 0 and exact_zeros and worst <= 1e-5
    print(f"segsum_exp {where}: B={batch} T={length}, exp spans {span:.0f} orders of "
          f"magnitude; checksum {np.nansum(out):.9g}; max relative error vs float64 "
          f"{worst:.2e}; unwritten {unwritten}; zeros above the diagonal exact: "
          f"{exact_zeros} -> {'PASS' if ok else 'FAIL'}")
    return ok


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) == 5 and sys.argv[1] == "check":
        sys.exit(0 if check(sys.argv[2], sys.argv[3], sys.argv[4]) else 1)
    else:
        sys.exit(__doc__)
