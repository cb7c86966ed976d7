#!/usr/bin/env bash
# The record of a compiler fuzzer run, for bench/results/, from what
# scripts/fuzz-compiler.sh (WORKDIR/fuzz.log) or scripts/gpu-fuzz.sh
# (WORKDIR/logs/fuzz-N.log, one per worker) left in WORKDIR, with run.txt,
# libFuzzer's -print_final_stats and crashes/:
#
#   scripts/fuzz-compiler-record.sh WORKDIR [WORKDIR...] > bench/results/fuzz-compiler-DATE.txt
#
# Executions are summed over the workers of a run, and over the runs when
# several WORKDIRs are given (a run continued from the corpus of the one
# before). Exits non-zero when a run found something (a crash, hang, leak,
# OOM or sanitizer report) or a worker did not finish, so the record says so.
set -u -o pipefail
[ $# -gt 0 ] || { echo "usage: scripts/fuzz-compiler-record.sh WORKDIR [WORKDIR...]" >&2; exit 2; }

# One log's final statistic, empty when it has none.
stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -1; }
max() { sort -n | tail -1; }
sum() { awk '{ s += $1 } END { print s + 0 }'; }
total_executions=0 total_findings=0 total_reports=0 unfinished=0
echo "Compiler fuzzer (fuzz/CompilerFuzzer.cpp), long run"
for work in "$@"; do
  logs=()
  if [ -f "$work/fuzz.log" ]; then
    logs=("$work/fuzz.log")
  else
    for log in "$work"/logs/fuzz-*.log; do [ -f "$log" ] && logs+=("$log"); done
  fi
  [ ${#logs[@]} -gt 0 ] || { echo "fuzz-compiler-record: no fuzz.log or logs/fuzz-*.log in $work" >&2; exit 2; }
  [ $# -eq 1 ] || { echo; echo "== run $work"; }
  cat "$work/run.txt" 2>/dev/null || echo "(no run.txt: run through scripts/fuzz-compiler.sh)"
  cat "$work/build.txt" 2>/dev/null ||
    { echo "build: the sanitizer build (ASan + UBSan + libFuzzer coverage over ssdc's code, -O1;"
      echo "Debian's libMLIR.so and libLLVM.so uninstrumented; docs/sanitizers.md)"; }
  echo
  executions=0 finished=0 rates=()
  for log in "${logs[@]}"; do
    units=$(stat "$log" number_of_executed_units)
    if [ -n "$units" ]; then
      executions=$((executions + units)) finished=$((finished + 1))
      rates+=("$(stat "$log" average_exec_per_sec)")
    fi
  done
  seconds=$(for log in "${logs[@]}"; do sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log"; done | max)
  # libFuzzer's artifacts: crash-, timeout-, leak- and oom- files are findings;
  # slow-unit- files (inputs over -report_slow_units, 10 s) are not.
  findings=$(find "$work/crashes" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'leak-*' \
    -o -name 'oom-*' \) 2>/dev/null | wc -l)
  slow=$(find "$work/crashes" -type f -name 'slow-unit-*' 2>/dev/null | wc -l)
  reports=$(cat "${logs[@]}" | grep -cE '^==[0-9]+==ERROR|runtime error:|deadly signal|ERROR: libFuzzer')
  if [ ${#logs[@]} -eq 1 ]; then
    echo "executions: $executions in ${seconds:-unknown} s (${rates[0]:-unknown} per s)"
    echo "last status line: $(grep -E '^#[0-9]+' "${logs[0]}" | tail -1)"
  else
    echo "workers: ${#logs[@]} processes sharing one corpus, $finished with final statistics"
    echo "executions: $executions over the workers in ${seconds:-unknown} s" \
      "(per worker and second: $(printf '%s\n' "${rates[@]}" | sort -n | head -1) to" \
      "$(printf '%s\n' "${rates[@]}" | max))"
    echo "executions per worker: $(for log in "${logs[@]}"; do stat "$log" number_of_executed_units; done | tr '\n' ' ')"
    echo "last status line of worker 1: $(grep -E '^#[0-9]+' "${logs[0]}" | tail -1)"
  fi
  echo "new units: $(for log in "${logs[@]}"; do stat "$log" new_units_added; done | sum);" \
    "slowest input: $(for log in "${logs[@]}"; do stat "$log" slowest_unit_time_sec; done | max) s;" \
    "peak RSS $(for log in "${logs[@]}"; do stat "$log" peak_rss_mb; done | max) MB"
  echo "findings in crashes/ (crash-, timeout-, leak-, oom- files): $findings"
  echo "inputs slower than 10 s (slow-unit- files, not findings): $slow"
  echo "sanitizer or libFuzzer reports in the logs: $reports"
  total_executions=$((total_executions + executions))
  total_findings=$((total_findings + findings)) total_reports=$((total_reports + reports))
  unfinished=$((unfinished + ${#logs[@]} - finished))
done
if [ $# -gt 1 ]; then
  echo
  echo "total executions over the $# runs: $total_executions"
fi
if [ $unfinished != 0 ]; then
  echo "verdict: $unfinished worker(s) did not finish (no final statistics in the log)"
  exit 1
fi
if [ "$total_findings" != 0 ] || [ "$total_reports" != 0 ]; then
  echo "verdict: FOUND SOMETHING: reproduce with the fuzzer and the file (fuzz/README.md)"
  exit 1
fi
echo "verdict: 0 crashes, 0 hangs, 0 sanitizer reports, 0 silent failures"
