#!/usr/bin/env bash
# Runs the statically linked compiler fuzzer on every core of a machine
# without LLVM (the GPU machine), from the bundle scripts/fuzz-compiler-static.sh
# staged in stage-fuzz/:
#
#   bash scripts/gpu-fuzz.sh [--workers N] [--seconds S]
#
# N worker processes (default: nproc) fuzz for S seconds each (default 500,
# under the device's 600 s a call) on one shared corpus (libFuzzer reloads
# the corpus folder, so each worker picks up what the others found), each
# with its own log. When stage-fuzz/corpus.tar.gz is there (the corpus a
# previous run returned, carried back), the run continues from it.
# Everything comes back in $OUT (else /tmp/ssdc-gpu-fuzz-out):
# fuzz-record.txt (scripts/fuzz-compiler-record.sh over the run, also
# printed), fuzz-logs.tar.gz (run.txt, build.txt, every worker's log, the
# crashes) and fuzz-corpus.tar.gz (the corpus, to continue from). Exits
# non-zero when the record does (a finding, or a worker that did not finish).
set -u -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bundle_dir="$root/stage-fuzz"
out="${OUT:-/tmp/ssdc-gpu-fuzz-out}"
work=${SSDC_GPU_FUZZ_WORK:-/tmp/ssdc-gpu-fuzz}
workers=$(nproc)
seconds=500
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) workers=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "gpu-fuzz: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[ -f "$bundle_dir/ssdc-compiler-fuzzer.tar.xz" ] ||
  { echo "gpu-fuzz: no $bundle_dir/ssdc-compiler-fuzzer.tar.xz: run scripts/fuzz-compiler-static.sh here" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/corpus" "$work/crashes" "$work/logs" "$out"
# (Python's lzma where the machine has no xz.)
if command -v xz >/dev/null; then
  tar -C "$work" -xJf "$bundle_dir/ssdc-compiler-fuzzer.tar.xz"
else
  python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' \
    "$bundle_dir/ssdc-compiler-fuzzer.tar.xz" "$work"
fi
fuzzer="$work/fuzz/bin/ssdc-compiler-fuzzer"
# The bundle's libzstd, only where the machine has none.
if ldd "$fuzzer" | grep -q "not found"; then
  export LD_LIBRARY_PATH="$work/fuzz/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  ldd "$fuzzer" | grep "not found" && { echo "gpu-fuzz: the fuzzer cannot load its libraries" >&2; exit 1; }
fi
continued=""
if [ -f "$bundle_dir/corpus.tar.gz" ]; then
  tar -C "$work/corpus" -xzf "$bundle_dir/corpus.tar.gz"
  continued=" (continues from the corpus of the previous run: $(ls "$work/corpus" | wc -l) inputs)"
fi
cp "$work/fuzz/build.txt" "$work/build.txt"
{
  echo "started: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "$(sed -n 's/^commit: /commit: /p' "$work/fuzz/build.txt") (the fuzzer's build)"
  echo "machine: $(nproc) cores, $(uname -sr)$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1 | sed 's/^/, GPU machine: /')"
  echo "command: scripts/gpu-fuzz.sh --workers $workers --seconds $seconds$continued"
  echo "seeds: $(ls "$work/fuzz/seeds" | wc -l) (test/, kernels/, examples/, fuzz/regressions/ split on // -----)"
} >"$work/run.txt"

# The options of scripts/fuzz-compiler.sh (docs/sanitizers.md); no
# symbolizer here: reports give module offsets, which llvm-symbolizer turns
# into lines with the unstripped build/fuzz-static/bin/ssdc-compiler-fuzzer.
export ASAN_OPTIONS=allow_user_poisoning=0
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$work/fuzz/ubsan-suppressions.txt"
# One seed first: the sanitizers start, and LeakSanitizer (which stops the
# process's threads through ptrace) works in this kernel; where it cannot
# run (a sandbox), leaks are not checked and the record says so.
probe=$("$fuzzer" -runs=1 "$(ls -d "$work"/fuzz/seeds/* | head -1)" 2>&1)
if grep -q "LeakSanitizer has encountered a fatal error\|LeakSanitizer does not work" <<<"$probe"; then
  export ASAN_OPTIONS=allow_user_poisoning=0:detect_leaks=0
  echo "leaks: not checked (LeakSanitizer cannot run here: $(grep -m1 LeakSanitizer <<<"$probe"))" >>"$work/run.txt"
elif ! grep -q "Executed .* in" <<<"$probe"; then
  echo "gpu-fuzz: the fuzzer does not run here:" >&2
  tail -20 <<<"$probe" >&2
  exit 1
fi
cat "$work/run.txt"
pids=()
for worker in $(seq 1 "$workers"); do
  timeout $((seconds + 15)) "$fuzzer" "$work/corpus" "$work/fuzz/seeds" \
    -dict="$work/fuzz/compiler.dict" -max_len=16384 -timeout=60 -rss_limit_mb=4096 \
    -artifact_prefix="$work/crashes/" -print_final_stats=1 -max_total_time="$seconds" \
    -seed="$worker" >"$work/logs/fuzz-$worker.log" 2>&1 &
  pids+=($!)
done
echo "gpu-fuzz: $workers workers for $seconds s"
for pid in "${pids[@]}"; do wait "$pid"; done

bash "$root/scripts/fuzz-compiler-record.sh" "$work" >"$out/fuzz-record.txt"
status=$?
cat "$out/fuzz-record.txt"
grep -h -E -A12 "ERROR: |runtime error:|deadly signal|Test unit written" "$work"/logs/fuzz-*.log | head -60
tar -C "$work" -czf "$out/fuzz-logs.tar.gz" run.txt build.txt logs crashes
tar -C "$work/corpus" -czf "$out/fuzz-corpus.tar.gz" .
ls -la "$out"
exit $status
