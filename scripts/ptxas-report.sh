#!/usr/bin/env bash
# Records the ptxas -v resource report (registers, spills, stack, shared
# memory) of every config of every kernel in kernels/ and examples/, so that regressions
# show up in review as a diff of bench/results/ptxas-<chip>.txt.
#   scripts/ptxas-report.sh [CHIP]        (default sm_90)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${SSDC_BUILD_DIR:-$root/build}"
chip="${1:-sm_90}"
ptxas="${CUDA_HOME:-/usr/local/cuda}/bin/ptxas"
[ -x "$ptxas" ] || ptxas=$(command -v ptxas) || { echo "ptxas not found: install the CUDA toolkit or set CUDA_HOME" >&2; exit 1; }
report="$root/bench/results/ptxas-$chip.txt"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

{
  echo "# ptxas -v resource report, chip $chip"
  echo "# date: $(date -u +%Y-%m-%d), commit: $(git -C "$root" rev-parse --short HEAD), $("$ptxas" --version | tail -n 1)"
  printf '%-64s %5s %7s %7s %6s %6s\n' entry regs spill_st spill_ld stack smem
  for kernel in "$root"/kernels/*.mlir "$root"/kernels/ssd/*.mlir "$root"/examples/*/*.mlir; do
    name=$(basename "$kernel" .mlir)
    "$build/bin/ssdc" compile "$kernel" --emit=ptx --chip="$chip" -o "$work/$name.ptx"
    "$ptxas" -arch="$chip" -v "$work/$name.ptx" -o "$work/$name.cubin" 2>&1 | awk '
      /Compiling entry function/ { gsub(/\047/, "", $7); entry = $7 }
      /bytes stack frame/ { stack = $1; spill_st = $5; spill_ld = $9 }
      /Used [0-9]+ registers/ {
        regs = $5; smem = 0
        for (i = 1; i <= NF; ++i) if ($i == "smem") smem = $(i - 2)
        printf "%-64s %5s %7s %7s %6s %6s\n", entry, regs, spill_st, spill_ld, stack, smem
      }'
  done
} >"$report"
cat "$report"
