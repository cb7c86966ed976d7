#!/usr/bin/env bash
# Builds the compiler fuzzer (the sanitizer build: ASan, UBSan and libFuzzer's
# coverage over ssdc's code; scripts/setup-sanitize.sh) and runs it on `.mlir`
# text, seeded from the lit tests, kernels and examples, with the dialect's
# dictionary. fuzz/README.md.
#
#   scripts/fuzz-compiler.sh [WORKDIR] [LIBFUZZER-OPTION...]
#
# WORKDIR (default build/fuzz-compiler) keeps the corpus between runs and the
# crashes in WORKDIR/crashes. Options go to libFuzzer and replace the default
# -max_total_time=60, e.g. -runs=10000000 or -max_total_time=36000 for a
# long run, -jobs=N -workers=N for several processes. Exits non-zero when the
# fuzzer finds a crash, a hang (-timeout), a leak or a sanitizer report.
set -eu -o pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="${SSDC_BUILD_DIR:-$root/build}"
sanitize="${SSDC_SANITIZE_BUILD_DIR:-$build/sanitize}"
work=${1:-$build/fuzz-compiler}
shift || true
options=("$@")
[ ${#options[@]} -gt 0 ] || options=(-max_total_time=60)

SSDC_BUILD_DIR="$build" SSDC_SANITIZE_BUILD_DIR="$sanitize" \
  "$root/scripts/setup-sanitize.sh" ssdc-compiler-fuzzer
mkdir -p "$work/corpus" "$work/crashes"
rm -rf "$work/seeds"
python3 "$root/fuzz/split-seeds.py" "$work/seeds" "$root/test" "$root/kernels" "$root/examples" \
  "$root/fuzz/regressions"

echo "fuzzing the compiler (${options[*]}) in $work"
# What scripts/fuzz-compiler-record.sh puts in the record of this run.
{
  echo "started: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "machine: $(nproc) cores, $(uname -sr)"
  echo "command: scripts/fuzz-compiler.sh $work ${options[*]}"
  echo "seeds: $(ls "$work/seeds" | wc -l) (test/, kernels/, examples/, fuzz/regressions/ split on // -----)"
} >"$work/run.txt"
# The sanitizer options of docs/sanitizers.md: UBSan's reports fatal except
# the known ones, and no user poisoning (LLVM's allocators poison from inline
# code that Debian's libMLIR.so runs uninstrumented).
ASAN_OPTIONS=allow_user_poisoning=0 \
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/unittests/ubsan-suppressions.txt" \
  "$sanitize/bin/ssdc-compiler-fuzzer" "$work/corpus" "$work/seeds" \
  -dict="$root/fuzz/compiler.dict" -max_len=16384 -timeout=60 -rss_limit_mb=4096 \
  -artifact_prefix="$work/crashes/" -print_final_stats=1 "${options[@]}" >"$work/fuzz.log" 2>&1 ||
  status=$?
# The whole log stays in WORKDIR/fuzz.log; here the reports and the summary.
grep -E -A12 "ERROR: |runtime error:|deadly signal|Test unit written" "$work/fuzz.log" | head -60 || true
tail -12 "$work/fuzz.log"
exit "${status:-0}"
