#!/usr/bin/env bash
# Compiles the packages of bench/matmul/bench.py (issue 9's benchmark table)
# into DIR, one package per row and config, and lists them in
# DIR/manifest.tsv (row, kernel, config, package). Called by
# scripts/stage-gpu.sh; the GPU machine has no compiler.
#
#   bash bench/matmul/stage.sh SSDC_BINARY DIR
#
# The matmul rows are examples/matmul itself, with three edits made here so
# that the example's sources stay the one copy: the tuning space is the
# benchmark's tiles (the example's own 32/64 tiles are for its correctness
# runs), `precision tf32|tf32x3|bf16x3` on its dot, and f16 for bf16.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ssdc=$1
out=$2
mkdir -p "$out/src"
: >"$out/manifest.tsv"

bench_params='params [BM in [64, 128, 256] = 64, BN in [64, 128, 256] = 64, BK in [32, 64] = 32, num_warps in [4, 8] = 4, num_stages in [1, 3, 4, 5, 6, 8] = 3]'
matmul_configs=$(for tiles in BM=64,BN=64,BK=32,num_warps=4 BM=128,BN=64,BK=32,num_warps=8 \
                   BM=64,BN=128,BK=32,num_warps=8 BM=128,BN=128,BK=32,num_warps=8; do
                   for stages in 1 3; do echo "$tiles,num_stages=$stages"; done
                 done)
# The 16-bit rows on sm_90a also at the wider tiles wgmma pays off at (one
# m64n128 / m64n256 per warpgroup, 64 inner indices a slot), with 3 and 4
# stages (from 4, one wgmma group stays in flight: Pipelining.cpp), and
# 128x128x64 with 5 (3 iterations of copies ahead of the group in flight);
# 128x256 also at 32 inner indices a slot with 6 and 8 stages (copies 4 and 6
# iterations ahead, each half as long: is the copies' latency the limit?).
wide_configs=$(for tiles in BM=128,BN=128,BK=64,num_warps=8 BM=128,BN=256,BK=64,num_warps=8; do
                 for stages in 3 4; do echo "$tiles,num_stages=$stages"; done
               done; echo BM=128,BN=128,BK=64,num_warps=8,num_stages=5
               for stages in 6 8; do echo "BM=128,BN=256,BK=32,num_warps=8,num_stages=$stages"; done)

fail() {
  echo "bench/matmul/stage.sh: $*" >&2
  exit 1
}

# variant NAME SOURCE SED-SCRIPT: writes $out/src/NAME.mlir, failing when an
# edit finds nothing to change (the example changed under this script).
variant() {
  local name=$1 source=$2 script=$3
  local edited="$out/src/$name.mlir"
  sed -E "s/^( *)params \[.*\]$/\1$bench_params/" "$source" >"$edited.tiles"
  sed -E "$script" "$edited.tiles" >"$edited"
  grep -qF "${bench_params%]}" "$edited" || fail "no params line to replace in $source"
  [ -z "$script" ] || ! cmp -s "$edited.tiles" "$edited" || fail "'$script' changed nothing in $source"
  rm "$edited.tiles"
}

# stage ROW KERNEL SOURCE CHIP CONFIGS...
stage() {
  local row=$1 kernel=$2 source=$3 chip=$4
  shift 4
  for config in "$@"; do
    local package="$row.$(echo "$config" | tr -c 'A-Za-z0-9\n' _).ssdcpkg"
    "$ssdc" compile "$source" --chip="$chip" --config "$config" -o "$out/$package"
    printf '%s\t%s\t%s\t%s\n' "$row" "$kernel" "$config" "$package" >>"$out/manifest.tsv"
  done
}

examples="$root/examples/matmul"
# The sed script that gives the fp32 example's dot precision $1.
precision() { echo "s/(tile\.dot %ta, %tb, %acc_in) :/\1 precision $1 :/"; }
variant f32 "$examples/matmul.mlir" ""
for p in tf32 tf32x3 bf16x3; do variant $p "$examples/matmul.mlir" "$(precision $p)"; done
# scripts/gpu-run.sh's edge checks of the tensor-core fp32 precisions: the
# example with its own tuning space, every config in one package.
for p in tf32 tf32x3; do
  sed -E "$(precision $p)" "$examples/matmul.mlir" >"$out/src/matmul_$p.mlir"
  grep -q "precision $p" "$out/src/matmul_$p.mlir" || fail "no tile.dot to set precision $p on"
  "$ssdc" compile "$out/src/matmul_$p.mlir" --chip=sm_90 -o "$out/matmul_$p.ssdcpkg"
done
# Both for sm_90a too: there their dots with rings run on wgmma (b copied
# transposed, element by element; tf32x3's parts split in the ring slots).
for p in tf32 tf32x3; do
  "$ssdc" compile "$out/src/matmul_$p.mlir" --chip=sm_90a -o "$out/matmul_$p.sm_90a.ssdcpkg"
done
variant bf16 "$examples/matmul_bf16.mlir" ""
# bf16 with the registers capped (min_programs_per_sm, .minnctapersm): there
# its mma.sync loops are unrolled (DotLowering.cpp). Its own variant, since
# ptxas allocates registers differently under .minnctapersm 1 than without.
variant bf16_capped "$examples/matmul_bf16.mlir" 's/(num_stages in \[[^]]*\] = [0-9]+)\]$/\1, min_programs_per_sm in [2, 4] = 2]/'
variant f16 "$examples/matmul_bf16.mlir" 's/bf16/f16/g'

stage f32_ieee matmul "$out/src/f32.mlir" sm_90 $matmul_configs
stage f32_tf32 matmul "$out/src/tf32.mlir" sm_90 $matmul_configs
# tf32 on wgmma (sm_90a): the common configs, then wider tiles and more
# stages within shared memory at 4 bytes an element (128x128x32: 32 KiB a
# stage, 128x256x32 48, 128x128x64 64; 227 KiB in all), and one warpgroup
# of 64x128 (168 registers at 128 threads: several programs an SM).
stage f32_tf32_sm90a matmul "$out/src/tf32.mlir" sm_90a $matmul_configs \
  $(for stages in 4 5 6; do echo "BM=128,BN=128,BK=32,num_warps=8,num_stages=$stages"; done) \
  BM=128,BN=256,BK=32,num_warps=8,num_stages=3 BM=128,BN=256,BK=32,num_warps=8,num_stages=4 \
  BM=128,BN=128,BK=64,num_warps=8,num_stages=3 \
  BM=64,BN=128,BK=32,num_warps=4,num_stages=3 BM=64,BN=128,BK=32,num_warps=4,num_stages=4
stage f32_tf32x3 matmul "$out/src/tf32x3.mlir" sm_90 $matmul_configs
# tf32x3 on wgmma: slots hold both parts (128x128x32: 64 KiB a stage).
stage f32_tf32x3_sm90a matmul "$out/src/tf32x3.mlir" sm_90a $matmul_configs
stage f32_bf16x3 matmul "$out/src/bf16x3.mlir" sm_90 $matmul_configs
stage bf16_sm90a matmul_bf16 "$out/src/bf16.mlir" sm_90a $matmul_configs $wide_configs
stage f16_sm90a matmul_f16 "$out/src/f16.mlir" sm_90a $matmul_configs $wide_configs
# And at the wide tiles CUTLASS's sm_80 kernels favour (warps of 64 x 64:
# 32 mmas to 8 ldmatrix a k step); one program an SM, their loops unrolled.
stage bf16_sm80 matmul_bf16 "$out/src/bf16.mlir" sm_80 $matmul_configs \
  BM=128,BN=256,BK=32,num_warps=8,num_stages=3 BM=128,BN=256,BK=32,num_warps=8,num_stages=4 \
  BM=128,BN=256,BK=64,num_warps=8,num_stages=3 BM=256,BN=128,BK=32,num_warps=8,num_stages=3
stage bf16_sm80 matmul_bf16 "$out/src/bf16_capped.mlir" sm_80 \
  BM=128,BN=128,BK=32,num_warps=8,num_stages=3,min_programs_per_sm=2 \
  BM=128,BN=128,BK=32,num_warps=8,num_stages=4,min_programs_per_sm=2 \
  BM=128,BN=64,BK=32,num_warps=8,num_stages=3,min_programs_per_sm=2 \
  BM=64,BN=128,BK=32,num_warps=8,num_stages=3,min_programs_per_sm=2 \
  BM=64,BN=64,BK=32,num_warps=4,num_stages=3,min_programs_per_sm=4
# segsum_exp at the tiles of bench/peers' hand-written Triton kernel.
stage segsum_exp segsum_exp "$root/kernels/segsum_exp.mlir" sm_90 \
  BLOCK_M=64,BLOCK_N=64,num_warps=4 BLOCK_M=128,BLOCK_N=64,num_warps=8 \
  BLOCK_M=32,BLOCK_N=128,num_warps=4
stage cumsum cumsum_rows "$root/bench/matmul/cumsum_rows.mlir" sm_90 \
  BLOCK_R=1,num_warps=2 BLOCK_R=2,num_warps=4 BLOCK_R=4,num_warps=4 BLOCK_R=8,num_warps=8
rm -r "$out/src"
echo "bench/matmul: staged $(wc -l <"$out/manifest.tsv") packages"
