#!/usr/bin/env bash
# The row scans and reductions of examples/reductions/row_reductions.mlir
# (ReductionLowering.cpp) on the GPU: every config, through ssdc-rt from
# NumPy, against float64 (scripts/reductions_npy.py), with M = 37 rows (not a
# multiple of BR) and C = BC; then compute-sanitizer memcheck, racecheck and
# synccheck on every config. Uses what scripts/stage-gpu.sh staged;
# logs to $OUT/reductions (or /tmp/ssdc-gpu-run/reductions). Prints one line
# per check, ending in PASS or FAIL, and exits non-zero if any failed.
set -u -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stage="$root/stage"
out="${OUT:-/tmp/ssdc-gpu-run}/reductions"
bash "$root/scripts/unstage-gpu.sh"  # stage-gpu.sh gzips what would not fit
mkdir -p "$out"
package="$stage/packages/row_reductions.ssdcpkg"
[ -f "$package" ] || { echo "no $package: run scripts/stage-gpu.sh first" >&2; exit 1; }
M=37
status=0
run() { # CONFIG C [TOOL...]: one run of the kernel on $out/C/x.npy
  local config=$1 C=$2
  shift 2
  "$@" "$stage/bin/ssdc-rt" run </dev/null "$package" --kernel row_reductions --arg M=$M --arg C="$C" \
    --arg cs=M*C --arg sums=M --arg maxes=M --arg first_cs=M*C --arg first_sums=M \
    --input x="$out/$C/x.npy" --output cs="$out/$C/cs.npy" --output sums="$out/$C/sums.npy" \
    --output maxes="$out/$C/maxes.npy" --output first_cs="$out/$C/first_cs.npy" \
    --output first_sums="$out/$C/first_sums.npy" --config "$config"
}
while read -r config; do
  C=$(sed -n 's/.*BC=\([0-9]*\).*/\1/p' <<<"$config")
  BR=$(sed -n 's/.*BR=\([0-9]*\).*/\1/p' <<<"$config")
  if [ ! -f "$out/$C/x.npy" ]; then
    mkdir -p "$out/$C"
    python3 "$root/scripts/reductions_npy.py" make "$out/$C" $M "$C" || exit 1
  fi
  if run "$config" "$C" >"$out/run-${config//[=,]/_}.log" 2>&1; then
    python3 "$root/scripts/reductions_npy.py" check "$out/$C" $M "$C" "$BR" "[$config]" || status=1
  else
    echo "row_reductions [$config]: ssdc-rt failed ($(tail -1 "$out/run-${config//[=,]/_}.log")) -> FAIL"
    status=1
  fi
done <"$stage/packages/row_reductions.configs"

sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)
if [ -z "$sanitizer" ]; then
  echo "row_reductions sanitizer: compute-sanitizer not found -> FAIL"
  exit 1
fi
runs=0 clean=0
while read -r config; do
  C=$(sed -n 's/.*BC=\([0-9]*\).*/\1/p' <<<"$config")
  for tool in memcheck racecheck synccheck; do
    log="$out/$tool-${config//[=,]/_}.log"
    run "$config" "$C" "$sanitizer" --tool $tool --error-exitcode 99 >"$log" 2>&1
    code=$?
    summary=$(grep -Eo '(ERROR|RACECHECK) SUMMARY: [0-9]+ (errors|hazards)' "$log")
    runs=$((runs + 1))
    if [ $code -eq 0 ] && [[ "$summary" == *": 0 "* ]]; then
      clean=$((clean + 1))
    else
      echo "row_reductions [$config] $tool: ${summary:-no summary} (exit $code) -> FAIL"
      status=1
    fi
  done
done <"$stage/packages/row_reductions.configs"
echo "row_reductions compute-sanitizer memcheck, racecheck, synccheck over every config:" \
  "$clean of $runs runs clean -> $([ $clean -eq $runs ] && echo PASS || echo FAIL)"
exit $status
