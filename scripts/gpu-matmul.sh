#!/usr/bin/env bash
# Issue 9's GPU run in one call, on what scripts/stage-gpu.sh staged: the GPU
# checks (scripts/gpu-run.sh), the benchmark table (bench/matmul/bench.py),
# the SSD forward's correctness checks (bench/ssd/check_ssd.py), Triton's
# mma.sync matmul (bench/matmul/triton_sm80_peer.py), the H200's mma.sync
# ceiling (bench/matmul/mma_sync_peak.cu, built there by nvcc) and, with
# NCU=1, one ncu line each of the wgmma and tf32 kernels. Full logs go to
# $OUT (or /tmp/ssdc-gpu-matmul); a summary is printed, the table last.
# Not timed as a whole yet: its parts took about 6 minutes on the H200 on
# 2026-12-04 (gpu-run.sh, bench.py and check_ssd.py, before the CUDA-graph
# replays, and before the f32_tf32_sm90a row). On an H100 on 2026-12-07:
# bench.py's bf16_sm80, f32_ieee and both sm_90a tf32 rows 105 s, the other
# four rows 67 s; gpu-run.sh over 240 s (its matmul block and half of
# gpu-reductions.sh fit in 240 s). Keep the call inside the
# device tool's 10 minutes: BENCH_ROWS=ROW,... passes bench.py --rows (a
# share of the table's rows), and ONLY=bench runs the benchmark alone, so
# that the run can be split over calls.
#
#   [NCU=1] [BENCH_ROWS=ROW,...] [ONLY=bench] bash scripts/gpu-matmul.sh
set -u -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="${OUT:-/tmp/ssdc-gpu-matmul}"
mkdir -p "$out/gpu"
cd "$root"
[ -f stage/COMMIT ] && echo "stage from commit $(cat stage/COMMIT)"
bash scripts/unstage-gpu.sh # stage-gpu.sh gzips what would not fit
python3 bench/matmul/bench.py --json "$out/matmul-bench.json" ${BENCH_ROWS:+--rows "$BENCH_ROWS"} \
  >"$out/matmul-bench.txt" 2>&1
if [ "${ONLY:-}" = bench ]; then
  sed -n '/^| row |/,$p' "$out/matmul-bench.txt"
  grep -E '^WRONG' "$out/matmul-bench.txt"
  exit 0
fi
OUT="$out/gpu" bash scripts/gpu-run.sh >"$out/gpu-run.txt" 2>&1
python3 bench/ssd/check_ssd.py --lib stage/lib/libssdc.so --no-long >"$out/ssd-check.txt" 2>&1
python3 bench/matmul/triton_sm80_peer.py >"$out/triton-sm80.txt" 2>&1
nvcc -O3 -arch=sm_90a bench/matmul/mma_sync_peak.cu -o "$out/mma_sync_peak" >"$out/mma-sync-peak.txt" 2>&1 &&
  "$out/mma_sync_peak" >>"$out/mma-sync-peak.txt" 2>&1

metrics=smsp__issue_active.avg.pct_of_peak_sustained_active,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active,sm__inst_executed.sum,gpu__time_duration.sum
ncu_one() { # NAME DTYPE PACKAGE KERNEL
  timeout 120 ncu --clock-control none -k regex:matmul --launch-skip 2 --launch-count 1 \
    --metrics "$metrics" python3 bench/matmul/launch_one.py "$2" --package "stage/bench/$3" \
    --kernel "$4" >"$out/ncu-$1.txt" 2>&1
  echo "ncu $1: $(grep -E 'duration|issue_active|hmma|inst_executed' "$out/ncu-$1.txt" |
    awk '{print $1 "=" $NF}' | tr '\n' ' ')"
}

echo "gpu checks: $(grep -c 'PASS' "$out/gpu-run.txt") PASS, $(grep -c 'FAIL' "$out/gpu-run.txt") FAIL"
grep -E 'FAIL' "$out/gpu-run.txt" | head -20
grep -hE '(ERROR|RACECHECK) SUMMARY' "$out/gpu-run.txt" | sed 's/.*: //' | sort | uniq -c
tail -1 "$out/ssd-check.txt"
grep -E 'TFLOP/s' "$out/mma-sync-peak.txt" || tail -3 "$out/mma-sync-peak.txt"
grep -E 'TFLOP/s' "$out/triton-sm80.txt" || tail -3 "$out/triton-sm80.txt"
if [ "${NCU:-0}" = 1 ]; then
  ncu_one wgmma bfloat16 bf16_sm90a.BM_128_BN_256_BK_64_num_warps_8_num_stages_4.ssdcpkg matmul_bf16
  ncu_one tf32 float32 f32_tf32.BM_128_BN_128_BK_32_num_warps_8_num_stages_3.ssdcpkg matmul
  ncu_one tf32-wgmma float32 f32_tf32_sm90a.BM_128_BN_128_BK_32_num_warps_8_num_stages_3.ssdcpkg matmul
fi
sed -n '/^| row |/,$p' "$out/matmul-bench.txt"
