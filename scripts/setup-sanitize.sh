#!/usr/bin/env bash
# Configures and builds the sanitizer build: every target compiled with
# -fsanitize=address,undefined and libFuzzer's coverage instrumentation, in a
# build directory of its own (default: build/sanitize), and only the targets
# asked for (default: the unit tests and the compiler fuzzer).
#
#   scripts/setup-sanitize.sh [TARGET...]
#
# $SSDC_BUILD_DIR is the main build (build/ by default); the sanitizer build
# is $SSDC_SANITIZE_BUILD_DIR, else $SSDC_BUILD_DIR/sanitize. docs/sanitizers.md.
#
# SSDC_STATIC_LLVM=1 makes it the statically linked build instead (default
# directory $SSDC_BUILD_DIR/fuzz-static): the same instrumentation of ssdc's
# code, but MLIR and LLVM linked from their static archives, so that the
# compiler fuzzer runs on a machine without LLVM, e.g. the GPU machine
# (scripts/fuzz-compiler-static.sh, fuzz/README.md).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${SSDC_BUILD_DIR:-$root/build}"
static=${SSDC_STATIC_LLVM:-0}
if [ "$static" = 1 ]; then
  sanitize="${SSDC_SANITIZE_BUILD_DIR:-$build/fuzz-static}"
  link=(-DMLIR_LINK_MLIR_DYLIB=OFF -DSSDC_LINK_LLVM_STATIC=ON)
else
  sanitize="${SSDC_SANITIZE_BUILD_DIR:-$build/sanitize}"
  link=(-DMLIR_LINK_MLIR_DYLIB=ON)
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(SSDCUnitTests ssdc-compiler-fuzzer)

# The SSD packages the main build compiled (same compiler source) are embedded
# as they are: compiling kernels/ssd's instances again with the sanitized
# compiler would take minutes of CI for no other check (the compiler fuzzer
# runs the compiler under the sanitizers).
packages=()
if ls "$build"/lib/SSD/packages/*.ssdcpkg >/dev/null 2>&1; then
  packages=(-DSSDC_SSD_PACKAGE_DIR="$build/lib/SSD/packages")
fi

if [ ! -f "$sanitize/build.ninja" ]; then
  # -O1: the usual optimization for sanitized code (clang's AddressSanitizer
  # documentation); it also keeps this second build short.
  cmake -G Ninja -S "$root" -B "$sanitize" "${packages[@]}" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" \
    -DCMAKE_C_FLAGS_RELEASE="-O1 -DNDEBUG" \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir "${link[@]}" \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DSSDC_SANITIZE=address,undefined -DSSDC_FUZZER=ON >&2
fi
cmake --build "$sanitize" -j "$(nproc)" --target "${targets[@]}" >&2
