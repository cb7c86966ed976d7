#!/usr/bin/env bash
# Installs everything the build and the tests need from Debian's packages, then
# configures and builds ssdc into build/. Idempotent: when everything is there
# it only runs an incremental build.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${SSDC_BUILD_DIR:-$root/build}"

packages=(
  cmake ninja-build clang lld                    # toolchain
  llvm-22-dev libmlir-22-dev mlir-22-tools       # LLVM/MLIR 22 (libMLIR.so)
  llvm-22-tools lld-22                           # lit, FileCheck, not
  libgtest-dev                                   # unit tests
  clang-format                                   # the format check (test/Format)
  libclang-rt-14-dev                             # libFuzzer and ASan for the fuzz target
  python3-numpy python3-torch                    # Python references and .npy tests
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir -DMLIR_LINK_MLIR_DYLIB=ON \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit >&2
fi
cmake --build "$build" -j "$(nproc)" "$@" >&2
