#!/usr/bin/env bash
# Runs the GPU checks and benchmarks on what scripts/stage-gpu.sh staged, on
# a machine with an NVIDIA GPU (no MLIR needed there). Full logs go to
# $OUT (or /tmp/ssdc-gpu-run); a short table is printed last.
set -u -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stage="$root/stage"
out="${OUT:-/tmp/ssdc-gpu-run}"
mkdir -p "$out"
[ -d "$stage/bin" ] || { echo "no stage/: run scripts/stage-gpu.sh first" >&2; exit 1; }

nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv,noheader | sed 's/^/gpu: /'
status=0
bash "$root/scripts/gpu-runtime-checks.sh" "$stage/packages/segsum_exp.ssdcpkg" \
  --bin "$stage/bin/ssdc-gpu-runtime-checks" --out "$out/segsum_exp-checks.txt" \
  >"$out/segsum_exp-checks.log" 2>&1 || status=1

echo
echo "== segsum_exp through the runtime (package compiled by ssdc, sm_90)"
cat "$out/segsum_exp-checks.txt" 2>/dev/null || tail -40 "$out/segsum_exp-checks.log"
exit $status
