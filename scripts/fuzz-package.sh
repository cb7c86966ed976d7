#!/usr/bin/env bash
# Builds the libFuzzer target for the package reader (clang with
# -fsanitize=fuzzer,address,undefined) and runs it for a bounded time.
#
#   scripts/fuzz-package.sh [SECONDS] [WORKDIR]
#
# Defaults: 60 seconds, build/fuzz-package. Seeds are packages written by
# writePackage from the unit tests' synthetic package. Exits non-zero when
# the fuzzer finds a crash, a hang (-timeout) or an ASan/UBSan report.
set -eu -o pipefail

seconds=${1:-60}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${2:-$repo/build/fuzz-package}
clang=$(command -v clang++-14 || command -v clang++)
mkdir -p "$work/corpus" "$work/seeds" "$work/crashes"

sources=("$repo/lib/Runtime/Package.cpp" "$repo/lib/Runtime/Status.cpp")
"$clang" -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined -I"$repo/include" \
  "$repo/fuzz/PackageReaderFuzzer.cpp" "${sources[@]}" -o "$work/package-fuzzer"
"$clang" -std=c++17 -O1 -I"$repo/include" "$repo/fuzz/make-seeds.cpp" \
  "${sources[@]}" -o "$work/make-seeds"
"$work/make-seeds" "$work/seeds"

echo "fuzzing readPackage for $seconds s in $work"
"$work/package-fuzzer" "$work/corpus" "$work/seeds" \
  -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$work/crashes/" -print_final_stats=1 2>&1 | tail -25
