#!/usr/bin/env bash
# Sets up, builds, and runs every test: the lit suite (FileCheck tests of every
# pass and op, ptxas checks, host-execution tests) and the GoogleTest unit
# tests, through one lit invocation, with the unit tests a second time from
# the sanitizer build (scripts/setup-sanitize.sh). Ends with "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${SSDC_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh" || { echo "0 passed, 1 failed (setup or build failed)"; exit 1; }
cmake --build "$build" --target SSDCUnitTests -j "$(nproc)" >&2 ||
  { echo "0 passed, 1 failed (unit-test build failed)"; exit 1; }

# The sanitizer build (ASan + UBSan, docs/sanitizers.md): the unit tests
# again, and the compiler fuzzer that test/Compiler/fuzz-compiler.test runs.
sanitize="${SSDC_SANITIZE_BUILD_DIR:-$build/sanitize}"
sanitize_failed=0
suites=("$build/test" "$build/test/Unit")
if SSDC_BUILD_DIR="$build" SSDC_SANITIZE_BUILD_DIR="$sanitize" "$root/scripts/setup-sanitize.sh"; then
  suites+=("$sanitize/test/Unit")
else
  echo "test-all: the sanitizer build failed" >&2
  sanitize_failed=1
fi

log=$(mktemp)
SSDC_SANITIZE_BUILD_DIR="$sanitize" /usr/lib/llvm-22/bin/lit -v "${suites[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# lit aligns the colons ("Passed : 161") when some category is wider.
count() { grep -E "^ *$1 *: +[0-9]+" "$log" | sed -E 's/.*: +([0-9]+).*/\1/' | head -n 1; }
passed=$(( $(count Passed || true) + 0 ))
expected_fail=$(( $(count "Expectedly Failed" || true) + 0 ))
failed=$(( $(count Failed || true) + $(count Unresolved || true) + $(count "Unexpectedly Passed" || true) + $(count "Timed Out" || true) + sanitize_failed ))
skipped=$(( $(count Unsupported || true) + $(count Skipped || true) + 0 ))
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
[ "$sanitize_failed" -eq 0 ] || status=1
echo "$((passed + expected_fail)) passed, $failed failed, $skipped skipped"
exit "$status"
