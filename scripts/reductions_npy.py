"""NumPy side of the check of examples/reductions/row_reductions.mlir.

    python3 scripts/reductions_npy.py make DIR M C            # writes DIR/x.npy
    python3 scripts/reductions_npy.py check DIR M C BR [LABEL]  # reads DIR/{cs,sums,...}.npy

Compares every output with float64 NumPy of the same float32 input: every
element written (the outputs are poisoned with NaN first by ssdc-rt), sums
and cumsums within 1e-5 * (the sum of |x| over the same elements) plus one
float32 ulp of it, the max exact. Prints one line ending in PASS or FAIL.
"""
import sys

import numpy as np


def main(argv):
    mode, directory = argv[0], argv[1]
    M, C = int(argv[2]), int(argv[3])
    if mode == "make":
        rng = np.random.default_rng(M * 1000 + C)
        np.save(f"{directory}/x.npy", rng.standard_normal(M * C).astype(np.float32))
        return 0
    BR, label = int(argv[4]), argv[5] if len(argv) > 5 else ""
    x = np.load(f"{directory}/x.npy").astype(np.float64).reshape(M, C)
    programs = -(-M // BR)
    first = x[np.arange(programs) * BR]
    expected = {
        "cs": (np.cumsum(x, axis=1), np.cumsum(np.abs(x), axis=1)),
        "sums": (x.sum(axis=1), np.abs(x).sum(axis=1)),
        "maxes": (x.max(axis=1), None),
        "first_cs": (np.cumsum(first, axis=1), np.cumsum(np.abs(first), axis=1)),
        "first_sums": (first.sum(axis=1), np.abs(first).sum(axis=1)),
    }
    problems = []
    for name, (want, magnitude) in expected.items():
        got = np.load(f"{directory}/{name}.npy").astype(np.float64)
        # first_*: one row per program; the buffers have M rows.
        got = got.reshape(M, -1)[:want.shape[0]].reshape(want.shape)
        unwritten = int(np.isnan(got).sum())
        if magnitude is None:
            bad = int((got != want).sum())
        else:
            bound = 1e-5 * magnitude + np.spacing(np.float32(1)) * np.abs(want)
            bad = int((np.abs(got - want) > bound).sum())
        if unwritten or bad:
            problems.append(f"{name}: {unwritten} unwritten, {bad} off")
    ok = not problems
    print(f"row_reductions {label} M={M} C={C}: "
          f"{'; '.join(problems) if problems else 'all outputs within bounds'} -> "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
