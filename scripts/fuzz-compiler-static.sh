#!/usr/bin/env bash
# Builds the statically linked compiler fuzzer and stages the bundle that
# runs it on a machine without LLVM (the GPU machine; scripts/gpu-fuzz.sh):
#
#   scripts/fuzz-compiler-static.sh [STAGE]        (default: stage-fuzz/, git-ignored)
#
# The build is scripts/setup-sanitize.sh with SSDC_STATIC_LLVM=1 (default
# directory build/fuzz-static): ssdc's code instrumented as in the sanitizer
# build (ASan, UBSan, libFuzzer coverage), MLIR and LLVM linked from their
# static archives with --gc-sections and --as-needed, so the binary needs
# only the C and C++ runtime, libz and libzstd. STAGE/ssdc-compiler-fuzzer.tar.xz
# holds the fuzzer with its debug info stripped (symbols kept; the unstripped
# binary stays in the build for llvm-symbolizer), the seeds (test/, kernels/,
# examples/, fuzz/regressions/ split on // -----), the dictionary, the UBSan
# suppressions and libzstd; fails when it is over 40 MiB. fuzz/README.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${SSDC_BUILD_DIR:-$root/build}"
static="${SSDC_SANITIZE_BUILD_DIR:-$build/fuzz-static}"
stage=${1:-$root/stage-fuzz}
limit_mib=40

SSDC_STATIC_LLVM=1 SSDC_BUILD_DIR="$build" SSDC_SANITIZE_BUILD_DIR="$static" \
  "$root/scripts/setup-sanitize.sh" ssdc-compiler-fuzzer
fuzzer="$static/bin/ssdc-compiler-fuzzer"
# Only system libraries that any Linux has: no LLVM, MLIR, z3, ICU or libxml2.
needed=$(ldd "$fuzzer" | awk '{print $1}')
unexpected=$(grep -vE '^(linux-vdso|/lib64/ld-linux-x86-64|libc|libm|libstdc\+\+|libgcc_s|libz|libzstd|libdl|librt|libpthread)\.so' <<<"$needed" || true)
if [ -n "$unexpected" ]; then
  echo "fuzz-compiler-static: $fuzzer needs libraries a bare machine lacks:" $unexpected >&2
  exit 1
fi

bundle=$(mktemp -d)
trap 'rm -rf "$bundle"' EXIT
mkdir -p "$bundle/fuzz/bin" "$bundle/fuzz/lib"
objcopy --strip-debug "$fuzzer" "$bundle/fuzz/bin/ssdc-compiler-fuzzer"
python3 "$root/fuzz/split-seeds.py" "$bundle/fuzz/seeds" "$root/test" "$root/kernels" \
  "$root/examples" "$root/fuzz/regressions" >&2
cp "$root/fuzz/compiler.dict" "$root/unittests/ubsan-suppressions.txt" "$bundle/fuzz/"
# libzstd.so.1, in case the machine lacks it (LD_LIBRARY_PATH=fuzz/lib).
zstd=$(ldd "$fuzzer" | awk '$1 ~ /^libzstd/ {print $3}')
[ -z "$zstd" ] || cp -L "$zstd" "$bundle/fuzz/lib/"
{
  echo "built: $(date -u '+%Y-%m-%d %H:%M UTC') on $(uname -n)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
  echo "binary: $(sha256sum "$fuzzer" | cut -c1-16) (unstripped, $fuzzer)"
  echo "needs: $(tr '\n' ' ' <<<"$needed")"
} >"$bundle/fuzz/build.txt"

rm -rf "$stage"
mkdir -p "$stage"
tar -C "$bundle" -cJf "$stage/ssdc-compiler-fuzzer.tar.xz" fuzz
size=$(du -m "$stage/ssdc-compiler-fuzzer.tar.xz" | cut -f1)
echo "staged $stage/ssdc-compiler-fuzzer.tar.xz: ${size} MiB ($(du -sm "$bundle/fuzz" | cut -f1) MiB unpacked, $(ls "$bundle/fuzz/seeds" | wc -l) seeds)"
if [ "$size" -gt $limit_mib ]; then
  echo "fuzz-compiler-static: the bundle is over $limit_mib MiB" >&2
  exit 1
fi
