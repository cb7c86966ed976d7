#!/usr/bin/env bash
# The runtime's GPU tests (test/GPU, GoogleTest) on a GPU machine.
#
#   scripts/gpu-runtime-checks.sh [PACKAGE] [--bin PATH] [--out FILE]
#
# PACKAGE is a package holding segsum_exp(cs f32 read [B*T], out f32 write
# [B*T*T], B i64, T i64); without one, the tests use a package of
# hand-written PTX, which checks the runtime alone. --bin names a prebuilt
# SSDCGPUTests; otherwise the runtime is built standalone from lib/Runtime
# (needs only cmake, a C++17 compiler and GoogleTest, installed or as the
# sources in stage/googletest or /usr/src/googletest: no MLIR, no CUDA
# toolkit, nothing fetched). The closing table is also written to --out.
#
# Checks: every config against a float64 reference on T in {64,100,256,1000},
# B in {1,37}; an in-place kernel tuned and still right; first call of a
# fresh process (load + tune + run) and a second process that reads the
# cache instead of retuning; host time per launch vs raw cuLaunchKernel;
# every device of the machine used from one process; compute-sanitizer
# memcheck when it is installed.
set -u -o pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
package=""
bin=""
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) package=$1; shift ;;
  esac
done

work=$(mktemp -d /tmp/ssdc-gpu-checks.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ -z "$bin" ]; then
  build="$repo/build-gpu-checks"
  echo "== building the runtime standalone in $build"
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake "${generator[@]}" -S "$repo/lib/Runtime" -B "$build" \
      -DCMAKE_BUILD_TYPE=Release >"$work/cmake.log" 2>&1 &&
    cmake --build "$build" -j 8 --target SSDCGPUTests \
      ssdc-embed-example >>"$work/cmake.log" 2>&1 ||
    { cat "$work/cmake.log"; echo "build failed"; exit 1; }
  bin="$build/bin/SSDCGPUTests"
fi

if [ -n "$package" ]; then
  export SSDC_GPU_PACKAGE="$package"
else
  package="(hand-written PTX: runtime self-test)"
  echo "== no package given: using hand-written PTX (runtime self-test)"
fi
# One test of test/GPU/RuntimeGpuTest.cpp.
gtest() { "$bin" --gtest_filter="GpuRuntime.$1"; }

results="$work/results"
: >"$results"
status=0
run() { # name, command...
  local name=$1; shift
  echo "== $name"
  "$@" >"$work/$name.log" 2>&1
  local rc=$?
  cat "$work/$name.log"
  grep '^RESULT' "$work/$name.log" >>"$results"
  # A test that skips (no GPU found) checked nothing: that is no pass.
  if grep -q '^\[  SKIPPED \]' "$work/$name.log"; then
    echo "RESULT $name skipped_no_gpu FAIL" >>"$results"
    status=1
  fi
  if [ $rc != 0 ]; then
    status=1
    grep -q '^RESULT' "$work/$name.log" || echo "RESULT $name exit_$rc FAIL" >>"$results"
  elif ! grep -q '^RESULT\|^\[  SKIPPED \]' "$work/$name.log"; then
    echo "RESULT $name gtest_passed PASS" >>"$results" # a test with no measurement to show
  fi
}

nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | sed 's/^/gpu: /'
run correctness gtest EveryConfigMatchesTheReference
run inplace gtest TunedInPlaceKernelKeepsItsResult
cache="$work/cache"
mkdir -p "$cache"
run first-call env SSDC_CACHE_DIR="$cache" SSDC_GPU_EXPECT_SOURCE=tuned "$bin" --gtest_filter=GpuRuntime.FirstCall
run second-process env SSDC_CACHE_DIR="$cache" SSDC_GPU_EXPECT_SOURCE=cache "$bin" --gtest_filter=GpuRuntime.FirstCall
run overhead gtest LaunchOverhead
run devices gtest EveryDeviceInOneProcess
run c-device-buffers gtest CDeviceBuffersRoundTrip
run another-chip gtest PackageForAnotherChipIsRefused
sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)
if [ -n "$sanitizer" ]; then
  echo "== compute-sanitizer memcheck"
  if SSDC_GPU_QUICK=1 "$sanitizer" --tool memcheck --error-exitcode 99 "$bin" \
      --gtest_filter=GpuRuntime.EveryConfigMatchesTheReference \
      >"$work/memcheck.log" 2>&1; then
    echo "RESULT memcheck $(grep -o 'ERROR SUMMARY: [0-9]* errors' "$work/memcheck.log" | tr ' ' '_') PASS" >>"$results"
  else
    tail -30 "$work/memcheck.log"
    echo "RESULT memcheck see_log FAIL" >>"$results"
    status=1
  fi
else
  echo "RESULT memcheck compute-sanitizer_not_found INFO" >>"$results"
fi

{
  echo
  echo "package: $package"
  printf '%-44s %-60s %s\n' check value verdict
  awk '{ printf "%-44s %-60s %s\n", $2, $3, $4 }' "$results"
  grep -q ' FAIL$' "$results" && status=1
  echo "overall: $([ $status = 0 ] && echo PASS || echo FAIL)"
} | tee "$work/table"
[ -n "$out" ] && cp "$work/table" "$out"
exit $status
