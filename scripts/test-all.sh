#!/usr/bin/env bash
# Sets up, builds, and runs every test: the lit suite (FileCheck tests of every
# pass and op, ptxas checks, host-execution tests) and the GoogleTest unit
# tests, through one lit invocation, with the unit tests a second time from
# the sanitizer build (scripts/setup-sanitize.sh). Ends with "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${SSDC_BUILD_DIR:-$root/build}"

# The Python environment first, so that configuring finds nanobind (docs/python.md).
"$root/scripts/setup-python.sh" || { echo "0 passed, 1 failed (Python setup failed)"; exit 1; }
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
# The Python package's tests (python-bindings/tests) on the modules built in
# build/python; pytest's "no tests collected" (exit 5) is a failure.
if cmake --build "$build" --target SSDCPython -j "$(nproc)" >&2; then
  PYTHONPATH="$build/python" "$build/python-venv/bin/python" -m pytest -q -p no:cacheprovider \
    "$root/python-bindings/tests" 2>&1 | tee "$log"
  py_status=${PIPESTATUS[0]}
  pytest_count() { grep -oE "[0-9]+ $1" "$log" | tail -n 1 | cut -d' ' -f1; }
  passed=$(( passed + $(pytest_count passed || true) + 0 ))
  failed=$(( failed + $(pytest_count failed || true) + $(pytest_count error || true) + 0 ))
  skipped=$(( skipped + $(pytest_count skipped || true) + 0 ))
  if [ "$py_status" -ne 0 ]; then status=1; [ "$py_status" -ne 5 ] || failed=$((failed + 1)); fi
else
  echo "test-all: the Python modules did not build" >&2
  failed=$((failed + 1)); status=1
fi
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
[ "$sanitize_failed" -eq 0 ] || status=1
echo "$((passed + expected_fail)) passed, $failed failed, $skipped skipped"
exit "$status"
