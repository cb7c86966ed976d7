#!/usr/bin/env bash
# Sets up and builds ssdc, then runs the main job on the example kernel
# kernels/segsum_exp.mlir: parse, verify and print it, then specialize it for
# its default tuning config.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${SSDC_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh"
"$build/bin/ssdc-opt" "$root/kernels/segsum_exp.mlir"
"$build/bin/ssdc-opt" "$root/kernels/segsum_exp.mlir" -tile-specialize=default-only
