#!/usr/bin/env bash
# On the GPU machine, after scripts/stage-gpu.sh: examples/dtypes/scale_copy's
# three instances (f32, f16, bf16 buffers; an f32 scalar argument) through
# ssdc-rt run, each output checked bit for bit against NumPy by the script of
# test/Examples/dtypes.test. Prints a short table last.
set -u -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stage="$root/stage"
out="${OUT:-/tmp/ssdc-gpu-dtypes}"
bash "$root/scripts/unstage-gpu.sh"  # stage-gpu.sh gzips what would not fit
mkdir -p "$out"
package="$stage/packages/scale_copy.ssdcpkg"
[ -f "$package" ] || { echo "no $package: run scripts/stage-gpu.sh first" >&2; exit 1; }
check="$root/test/Examples/Inputs/dtypes.py"
python3 "$check" inputs "$out"
for type in f32 f16 bf16; do
  "$stage/bin/ssdc-rt" run "$package" --kernel "scale_copy_$type" --arg n=1000 --arg scale=0.3 --arg y=n \
    --input x="$out/x_$type.npy" --output y="$out/y_$type.npy" \
    --config BLOCK=256,num_warps=4 >"$out/run_$type.log" 2>&1 ||
    echo "scale_copy_$type: ssdc-rt run failed (see $out/run_$type.log)"
done
echo "instance  result (expected: mismatches 0 for each)"
python3 "$check" check "$out" 2>&1
