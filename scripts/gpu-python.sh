#!/usr/bin/env bash
# The `ssdc` Python package on the GPU machine (no MLIR, no network): builds
# it from the working tree with the documented command (docs/python.md), over
# the SSD packages scripts/stage-gpu.sh put in stage/ssd-packages, into a
# folder of its own, then runs bench/python/host_time.py (where a call's host
# time goes) and bench/python/check_python.py, which prints a table last.
# Logs go to $OUT.
#   bash scripts/gpu-python.sh [--quick]   (--quick: batch 16 only)
set -u -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/unstage-gpu.sh"  # stage-gpu.sh gzips what would not fit
out="${OUT:-/tmp/ssdc-gpu-python}"
prefix=/tmp/ssdc-python
mkdir -p "$out"
[ -d "$root/stage/ssd-packages" ] ||
  { echo "no stage/ssd-packages: run scripts/stage-gpu.sh first" >&2; exit 1; }
rm -rf "$prefix"
start=$(date +%s)
# The documented command, with --target so that the machine's Python stays as it was.
if ! python3 -m pip install --no-build-isolation --no-deps --no-index --target "$prefix" \
    "$root/python-bindings" >"$out/python-build.txt" 2>&1; then
  tail -30 "$out/python-build.txt"
  echo "python-gpu: 0 passed, 1 failed (the package did not build)"
  exit 1
fi
echo "built the ssdc package in $(( $(date +%s) - start )) s (log: python-build.txt)"
cd /tmp # import the installed package, not the source tree's
# Where a call's host time goes, beside the raw cuLaunchKernel cost in C++
# (the staged runtime GPU tests), first: it is short.
gpu_tests=()
[ -x "$root/stage/bin/SSDCGPUTests" ] && gpu_tests=(--gpu-tests "$root/stage/bin/SSDCGPUTests")
PYTHONPATH="$prefix" PYTHONUNBUFFERED=1 python3 "$root/bench/python/host_time.py" \
  "${gpu_tests[@]}" 2>&1 | tee "$out/python-host-time.txt"
PYTHONPATH="$prefix" PYTHONUNBUFFERED=1 python3 "$root/bench/python/check_python.py" "$@" \
  2>&1 | tee "$out/python-check.txt"
exit "${PIPESTATUS[0]}"
