#!/usr/bin/env bash
# The SSD forward on the GPU, from what scripts/stage-gpu.sh staged: the
# correctness matrix (bench/ssd/check_ssd.py, against a float64 oracle) and
# the benchmark against the peers (bench/ssd/bench_ssd.py) at every shape of
# shared/BENCHMARKS.md. The peers come from shared/peers/get-peers.sh, carried
# in .peers/. Logs and the JSON/PNG go to $OUT; a short table is printed last.
#   bash scripts/gpu-ssd.sh [--quick | --layers | --profile]
#     --quick: the matrix only, small shapes (fp32, fp16, bf16, dt_limit);
#     --layers: the bf16 layer shapes of BENCHMARKS.md alone: their checks and
#       their benchmark (ssd-bench-layers.json/.png), under 4 minutes;
#     --profile: each kernel's device time per forward, ssdc's against the
#       peers', at the layer shapes and KB-2048 (bench/ssd/profile_ssd.py).
set -u -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/unstage-gpu.sh"  # stage-gpu.sh gzips what would not fit
out="${OUT:-/tmp/ssdc-gpu-run}"
lib="$root/stage/lib/libssdc.so"
mkdir -p "$out"
[ -f "$lib" ] || { echo "no stage/lib/libssdc.so: run scripts/stage-gpu.sh first" >&2; exit 1; }
export PYTHONUNBUFFERED=1
if ls "$root"/.peers/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --target /tmp/ssdc-peers "$root"/.peers/*.whl
fi
export PYTHONPATH="$root/.peers:/tmp/ssdc-peers${PYTHONPATH:+:$PYTHONPATH}"
status=0
if [ "${1:-}" = --quick ]; then
  python3 "$root/bench/ssd/check_ssd.py" --lib "$lib" --quick --no-long 2>&1 | tee "$out/ssd-check.txt"
  exit "${PIPESTATUS[0]}"
fi
if [ "${1:-}" = --profile ]; then
  timeout 300 python3 "$root/bench/ssd/profile_ssd.py" --lib "$lib" --shapes 2.7B,780M,KB-2048 \
    2>&1 | tee "$out/ssd-profile.txt"
  exit "${PIPESTATUS[0]}"
fi
if [ "${1:-}" = --layers ]; then
  timeout 90 python3 "$root/bench/ssd/check_ssd.py" --lib "$lib" --no-long \
    --cases 2.7B-bf16,780M-bf16 2>&1 | tee "$out/ssd-check-layers.txt" || status=1
  timeout 150 python3 "$root/bench/ssd/bench_ssd.py" --lib "$lib" --out "$out" --layers \
    >"$out/ssd-bench-layers.txt" 2>&1 ||
    { status=1; echo "(bench_ssd.py --layers failed or ran past 150 s)" >>"$out/ssd-bench-layers.txt"; }
  tail -24 "$out/ssd-bench-layers.txt"
  exit $status
fi
# Time limits keep the whole run under 8 minutes of the device's 10: the
# benchmark stops starting new shapes after --budget seconds and still prints
# its tables; a part cut off by `timeout` says so in its log.
timeout 210 python3 "$root/bench/ssd/check_ssd.py" --lib "$lib" >"$out/ssd-check.txt" 2>&1 ||
  { status=1; echo "(check_ssd.py failed or ran past 210 s)" >>"$out/ssd-check.txt"; }
timeout 270 python3 "$root/bench/ssd/bench_ssd.py" --lib "$lib" --out "$out" --budget 200 >"$out/ssd-bench.txt" 2>&1 ||
  { status=1; echo "(bench_ssd.py failed or ran past 270 s)" >>"$out/ssd-bench.txt"; }
echo "== the SSD forward on the GPU vs float64 (bench/ssd/check_ssd.py)"
tail -16 "$out/ssd-check.txt"
echo "== the SSD forward against its peers (bench/ssd/bench_ssd.py)"
tail -32 "$out/ssd-bench.txt"
exit $status
