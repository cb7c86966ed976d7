#!/usr/bin/env bash
# The SASS of one config of a tile kernel, here, with no GPU: ssdc compile
# --emit=ptx, ptxas, then cuobjdump -sass from NVIDIA's PyPI wheel
# (nvidia-cuda-cuobjdump, which runs nvidia-cuda-nvdisasm's nvdisasm: the CUDA
# toolkit on this machine has ptxas but neither), installed into the build's Python environment on first use
# (scripts/setup-python.sh makes it). Instruction lines only, with their
# offsets, so that two versions diff and count.
#
#   bash scripts/sass.sh KERNEL.mlir CHIP CONFIG [OUT.sass]
#   e.g. bash scripts/sass.sh examples/matmul/matmul_bf16.mlir sm_90a BM=64,BN=64,BK=32,num_warps=4,num_stages=3
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${SSDC_BUILD_DIR:-$root/build}"
kernel=$1 chip=$2 config=$3 out=${4:-/dev/stdout}
ptxas="${CUDA_HOME:-/usr/local/cuda}/bin/ptxas"
[ -x "$ptxas" ] || ptxas=$(command -v ptxas) || { echo "sass.sh: ptxas not found" >&2; exit 1; }
venv="$build/python-venv"
[ -x "$venv/bin/python" ] || bash "$root/scripts/setup-python.sh"
tool() { find "$venv" -path "*nvidia/cu*/bin/$1" -type f 2>/dev/null | head -n 1; }
if [ -z "$(tool cuobjdump)" ] || [ -z "$(tool nvdisasm)" ]; then
  echo "sass.sh: installing nvidia-cuda-cuobjdump and nvidia-cuda-nvdisasm into $venv" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check nvidia-cuda-cuobjdump \
    nvidia-cuda-nvdisasm >&2
fi
cuobjdump=$(tool cuobjdump)
export PATH="$(dirname "$(tool nvdisasm)"):$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/bin/ssdc" compile "$kernel" --chip="$chip" --emit=ptx --config "$config" -o "$work/k.ptx"
"$ptxas" -arch="$chip" -v "$work/k.ptx" -o "$work/k.cubin" 2>&1 | grep -E 'registers|spill' >&2
"$cuobjdump" -sass "$work/k.cubin" |
  sed -nE 's@^ +/\*([0-9a-f]+)\*/ +([^;]*[^ ;]) *;.*@\1 \2@p' >"$out"
