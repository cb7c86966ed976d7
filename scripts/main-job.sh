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

"$python" "$root/scripts/segsum_exp_npy.py" make "$work/cs.npy" "$batch" "$length"

# Compile it for the GPU too (PTX for sm_90, cubins when ptxas is present).
"$build/bin/ssdc" compile "$root/kernels/segsum_exp.mlir" -o "$work/segsum_exp.ssdcpkg"
echo "ssdc compile kernels/segsum_exp.mlir: $(stat -c %s "$work/segsum_exp.ssdcpkg") byte package, every tuning config"

"$build/bin/ssdc" run "$root/kernels/segsum_exp.mlir" --target=host \
  --arg B=$batch --arg T=$length --input cs="$work/cs.npy" --output out="$work/out.npy"

"$python" "$root/scripts/segsum_exp_npy.py" check "$work/cs.npy" "$work/out.npy" "on the host"
