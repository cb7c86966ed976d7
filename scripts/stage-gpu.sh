#!/usr/bin/env bash
# Stages everything a GPU run needs into stage/ (git-ignored, under 64 MiB):
# the kernel packages compiled here (kernels/ and the matmul example; the GPU
# machine has no MLIR), the
# runtime-side binaries (they link no MLIR, LLVM or CUDA library; libcuda is
# dlopened; SSDCGPUTests is test/GPU), GoogleTest's sources for a standalone
# build of the runtime there, and the scripts that run them. Then, on the GPU
# machine:
#   bash scripts/gpu-run.sh
#   python3 bench/matmul/bench.py --json "$OUT/matmul-bench.json"   # issue 9's table
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${SSDC_BUILD_DIR:-$root/build}"
stage="$root/stage"

"$root/scripts/setup.sh" --target ssdc ssdc-rt SSDCGPUTests ssdc-embed-example SSDCShared
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/packages" "$stage/lib"
for kernel in "$root"/kernels/*.mlir "$root"/kernels/ssd/*.mlir "$root"/examples/matmul/*.mlir \
  "$root"/examples/first-kernel/*.mlir "$root"/examples/dtypes/*.mlir \
  "$root"/examples/reductions/*.mlir; do
  name=$(basename "$kernel" .mlir)
  "$build/bin/ssdc" compile "$kernel" --chip=sm_90 -o "$stage/packages/$name.ssdcpkg"
  # Its configs, one NAME=V,... a line (what scripts/gpu-sanitize.sh runs):
  # the specialized kernels' tile.config, which are the package's configs.
  "$build/bin/ssdc" compile "$kernel" --chip=sm_90 --emit=specialize 2>/dev/null |
    sed -n 's/.*tile\.config = {\([^}]*\)}.*/\1/p' | sed -e 's/ : i64//g' -e 's/ = /=/g' -e 's/, /,/g' \
    >"$stage/packages/$name.configs"
done
# The bf16 matmul example for sm_90a too: its dots with rings run on wgmma
# there (scripts/gpu-run.sh checks it as it checks the sm_90 one).
"$build/bin/ssdc" compile "$root/examples/matmul/matmul_bf16.mlir" --chip=sm_90a \
  -o "$stage/packages/matmul_bf16.sm_90a.ssdcpkg"
# Issue 9's benchmark (bench/matmul/bench.py): one package per row and config.
bash "$root/bench/matmul/stage.sh" "$build/bin/ssdc" "$stage/bench"
cp "$build/bin/ssdc-rt" "$build/unittests/GPU/SSDCGPUTests" "$build/bin/ssdc-embed-example" "$stage/bin/"
# The runtime's and the SSD forward's C APIs, for bench/ssd (ctypes).
cp "$build/lib/libssdc.so" "$stage/lib/"
# The SSD packages lib/SSD embeds, for the Python package's runtime-only build
# there (python-bindings/CMakeLists.txt reads stage/ssd-packages; docs/python.md);
# the sm_90 ones only, the GPU machines' chip, to keep stage/ small.
mkdir -p "$stage/ssd-packages"
cp "$build"/lib/SSD/packages/*.sm_90*.ssdcpkg "$stage/ssd-packages/"
[ -d /usr/src/googletest ] && cp -r /usr/src/googletest "$stage/googletest"
# The device tool carries stage/ with the working tree (its tracked and
# untracked-not-ignored files), 64 MiB in all. Past that (the SSD packages
# hold every kernel instance, f32/f16/bf16, and libssdc.so embeds them for
# three chips), stage/lib, stage/ssd-packages and the packages (bench's too)
# go gzipped (PTX text: about 4x); scripts/unstage-gpu.sh, which the GPU
# scripts reading them run first, unpacks them.
tree=$(cd "$root" && git ls-files -co --exclude-standard -z | du --files0-from=- -cm | tail -n 1 | cut -f1)
if [ $(($(du -sm "$stage" | cut -f1) + tree)) -ge 64 ]; then
  gzip -f "$stage"/lib/* "$stage"/ssd-packages/* "$stage"/packages/*.ssdcpkg "$stage"/bench/*.ssdcpkg
fi
size=$(du -sm "$stage" | cut -f1)
echo "staged $(ls "$stage"/packages/*.ssdcpkg* | wc -l) package(s) and $(ls "$stage/bin" | wc -l) binaries in stage/ (${size} MiB; the working tree ${tree} MiB)"
if [ $((size + tree)) -ge 64 ]; then
  echo "stage/ and the working tree are $((size + tree)) MiB; the GPU run carries at most 64 MiB" >&2
  exit 1
fi
