#!/usr/bin/env bash
# Sets up and builds ssdc, then runs the main job on the example kernel
# kernels/segsum_exp.mlir: compiles it into a kernel package, and runs it on
# the CPU, which needs no GPU: `ssdc run
# --target=host` specializes the kernel for its default tuning config and
# interprets every program of its grid (docs/host-target.md). The input is a
# batch of cumulative sums whose segment sums make exp span about 25 orders of
# magnitude; the output is compared with a float64 NumPy reference.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${SSDC_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
batch=4 length=300   # T is a multiple of no tile size: partial tiles at the edges
# Debian's python3 is the one setup.sh installs NumPy for.
python=/usr/bin/python3
[ -x "$python" ] || python=python3

"$python" - "$work/cs.npy" "$batch" "$length" <<'EOF'
import sys
import numpy as np
path, batch, length = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
steps = np.random.default_rng(0).uniform(-0.5, 0.1, size=(batch, length))
np.save(path, np.cumsum(steps, axis=1).astype(np.float32))
EOF

# Compile it for the GPU too (PTX for sm_90, cubins when ptxas is present).
"$build/bin/ssdc" compile "$root/kernels/segsum_exp.mlir" -o "$work/segsum_exp.ssdcpkg"
echo "ssdc compile kernels/segsum_exp.mlir: $(stat -c %s "$work/segsum_exp.ssdcpkg") byte package, every tuning config"

"$build/bin/ssdc" run "$root/kernels/segsum_exp.mlir" --target=host \
  --arg B=$batch --arg T=$length --input cs="$work/cs.npy" --output out="$work/out.npy"

"$python" - "$work/cs.npy" "$work/out.npy" <<'EOF'
import sys
import numpy as np
cs = np.load(sys.argv[1]).astype(np.float64)
out = np.load(sys.argv[2]).astype(np.float64).reshape(cs.shape[0], cs.shape[1], cs.shape[1])
diff = cs[:, :, None] - cs[:, None, :]
lower = np.tril(np.ones(diff.shape[1:], dtype=bool))
truth = np.where(lower, np.exp(np.where(lower, diff, 0.0)), 0.0)
unwritten = int(np.isnan(out).sum())
nonzero = truth != 0
rel = np.abs(out[nonzero] - truth[nonzero]) / truth[nonzero]
exact_zeros = bool((out[~nonzero] == 0).all())
span = np.log10(truth[nonzero].max() / truth[nonzero].min())
ok = unwritten == 0 and exact_zeros and rel.max() <= 1e-5
print(f"segsum_exp on the host: B={cs.shape[0]} T={cs.shape[1]}, exp spans {span:.0f} orders "
      f"of magnitude; checksum {out.sum():.9g}; max relative error vs float64 {rel.max():.2e}; "
      f"unwritten {unwritten}; zeros above the diagonal exact: {exact_zeros} -> "
      f"{'PASS' if ok else 'FAIL'}")
sys.exit(0 if ok else 1)
EOF
