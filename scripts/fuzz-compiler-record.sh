#!/usr/bin/env bash
# The record of a compiler fuzzer run, for bench/results/, from what
# scripts/fuzz-compiler.sh left in WORKDIR (run.txt, fuzz.log with
# libFuzzer's -print_final_stats, crashes/):
#
#   scripts/fuzz-compiler-record.sh WORKDIR > bench/results/fuzz-compiler-DATE.txt
#
# Exits non-zero when the run found something (a crash, hang, leak, OOM or
# sanitizer report) or did not finish, so the record says so first.
set -u -o pipefail
work=${1:?usage: scripts/fuzz-compiler-record.sh WORKDIR}
log="$work/fuzz.log"
[ -f "$log" ] || { echo "fuzz-compiler-record: no $log" >&2; exit 2; }
stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
executions=$(stat number_of_executed_units)
seconds=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
last=$(grep -E '^#[0-9]+' "$log" | tail -1)
# libFuzzer's artifacts: crash-, timeout-, leak- and oom- files are findings;
# slow-unit- files (inputs over -report_slow_units, 10 s) are not.
findings=$(find "$work/crashes" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'leak-*' \
  -o -name 'oom-*' \) 2>/dev/null | wc -l)
slow=$(find "$work/crashes" -type f -name 'slow-unit-*' 2>/dev/null | wc -l)
reports=$(grep -cE '^==[0-9]+==ERROR|runtime error:|deadly signal|ERROR: libFuzzer' "$log")
echo "Compiler fuzzer (fuzz/CompilerFuzzer.cpp), long run"
cat "$work/run.txt" 2>/dev/null || echo "(no run.txt: run through scripts/fuzz-compiler.sh)"
echo "build: the sanitizer build (ASan + UBSan + libFuzzer coverage over ssdc's code, -O1;"
echo "Debian's libMLIR.so and libLLVM.so uninstrumented; docs/sanitizers.md)"
echo
echo "executions: ${executions:-unknown} in ${seconds:-unknown} s ($(stat average_exec_per_sec) per s)"
echo "last status line: ${last:-none}"
echo "new units: $(stat new_units_added); slowest input: $(stat slowest_unit_time_sec) s; peak RSS $(stat peak_rss_mb) MB"
echo "findings in crashes/ (crash-, timeout-, leak-, oom- files): $findings"
echo "inputs slower than 10 s (slow-unit- files, not findings): $slow"
echo "sanitizer or libFuzzer reports in fuzz.log: $reports"
if [ -z "$executions" ]; then
  echo "verdict: the run did not finish (no final statistics in fuzz.log)"
  exit 1
fi
if [ "$findings" != 0 ] || [ "$reports" != 0 ]; then
  echo "verdict: FOUND SOMETHING: reproduce with build/sanitize/bin/ssdc-compiler-fuzzer FILE (fuzz/README.md)"
  exit 1
fi
echo "verdict: 0 crashes, 0 hangs, 0 sanitizer reports, 0 silent failures"
