#!/usr/bin/env bash
# Runs the GPU checks and benchmarks on what scripts/stage-gpu.sh staged, on
# a machine with an NVIDIA GPU (no MLIR needed there). Full logs go to
# $OUT (or /tmp/ssdc-gpu-run); a short table is printed last.
set -u -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/unstage-gpu.sh"  # stage-gpu.sh gzips what would not fit
stage="$root/stage"
out="${OUT:-/tmp/ssdc-gpu-run}"
mkdir -p "$out"
[ -d "$stage/bin" ] || { echo "no stage/: run scripts/stage-gpu.sh first" >&2; exit 1; }

nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv,noheader | sed 's/^/gpu: /'
status=0
bash "$root/scripts/gpu-runtime-checks.sh" "$stage/packages/segsum_exp.ssdcpkg" \
  --bin "$stage/bin/SSDCGPUTests" --out "$out/segsum_exp-checks.txt" \
  >"$out/segsum_exp-checks.log" 2>&1 || status=1

# segsum_exp's numbers through ssdc-rt run: one config on an input made by
# NumPy (--input), the output downloaded (--output) and checked against
# float64 NumPy by the script scripts/main-job.sh uses for the host target.
npy="$out/segsum_exp-npy"
mkdir -p "$npy"
{
  python3 "$root/scripts/segsum_exp_npy.py" make "$npy/cs.npy" 3 100 &&
    "$stage/bin/ssdc-rt" run "$stage/packages/segsum_exp.ssdcpkg" --kernel segsum_exp \
      --arg B=3 --arg T=100 --arg out=B*T*T --input cs="$npy/cs.npy" --output out="$npy/out.npy" \
      --config BLOCK_M=32,BLOCK_N=64,num_warps=4 &&
    python3 "$root/scripts/segsum_exp_npy.py" check "$npy/cs.npy" "$npy/out.npy" \
      "on the GPU through ssdc-rt (BLOCK_M=32,BLOCK_N=64,num_warps=4)"
} >"$npy/run.log" 2>&1 || status=1
npy_result=$(grep -E -- '-> (PASS|FAIL)$' "$npy/run.log" ||
  echo "segsum_exp on the GPU through ssdc-rt: FAIL (no check ran; see $npy/run.log)")

# The matmul examples (scf.for over tiles, tile.dot, bounds) in every config,
# on sizes that are not multiples of any tile, against float64 NumPy: fp32
# (register-blocked FMAs) and bf16 (mma.sync), with num_stages 1 and 3 (and 4
# for bf16; operands through cp.async rings). Two sizes: rows of 70 and 130 elements
# are not 16-byte aligned, so the per-piece cp.async and the
# element-by-element copies run; rows of 72 and 136 are, so tiles wholly
# inside take the plain copies and the edge tiles the per-piece ones.
mm="$out/matmul"
mkdir -p "$mm"
{
  # matmul_bf16.sm_90a: the sm_90a package (wgmma where both operands take
  # rings: BM=64 with num_stages=3). matmul_tf32/_tf32x3: the fp32 example
  # with that precision (mma.sync m16n8k8; bench/matmul/stage.sh made them),
  # matmul_tf32.sm_90a/_tf32x3.sm_90a on wgmma (b copied transposed, 4
  # bytes a copy; tf32x3's parts split in the rings).
  for package in matmul matmul_bf16 matmul_bf16.sm_90a matmul_tf32 matmul_tf32x3 \
    matmul_tf32.sm_90a matmul_tf32x3.sm_90a; do
    kernel=${package%.sm_90a}
    precision=$([[ "$kernel" == matmul_tf32* ]] && echo "${kernel#matmul_}" || true)
    kernel=${kernel%_tf32*}
    file="$stage/packages/$package.ssdcpkg"
    [ -z "$precision" ] || file="$stage/bench/$package.ssdcpkg"
    dtype=$([ "$kernel" = matmul_bf16 ] && echo bf16 || true)
    # matmul_bf16 has 4 stages too (on wgmma: one group in flight).
    stages="1 3${dtype:+ 4}"
    for size in "100 130 70" "100 136 72"; do
      read -r m n k <<<"$size"
      data="$mm/$package/$m-$n-$k"
      mkdir -p "$data"
      python3 "$root/scripts/matmul_npy.py" make "$data" $m $n $k $dtype || exit 1
      for config in $(for bm in 32 64; do for bn in 32 64; do for bk in 16 32; do for st in $stages; do
                        echo "BM=$bm,BN=$bn,BK=$bk,num_stages=$st"; done; done; done; done); do
        "$stage/bin/ssdc-rt" run "$file" --kernel "$kernel" \
          --arg M=$m --arg N=$n --arg K=$k --arg c=M*N --input a="$data/a.npy" \
          --input b="$data/b.npy" --output c="$data/c.npy" --config "$config" >/dev/null &&
          python3 "$root/scripts/matmul_npy.py" check "$data" $m $n $k "$data/c.npy" \
            "$package ${m}x${n}x${k} [$config]" $dtype $precision || exit 1
      done
    done
  done
  sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)
  [ -n "$sanitizer" ] || { echo "matmul sanitizer: compute-sanitizer not found -> FAIL"; status=1; }
  # The wide mma.sync configs (bench/matmul/stage.sh's bf16_sm80 packages,
  # one config each): loops unrolled and rotated (each iteration reads the
  # next one's first fragments, Pipelining.cpp's prefetchFirstFragments), on
  # partial tiles, with more iterations than stages, fewer, and one; then
  # under memcheck and racecheck.
  wide="BM=128,BN=256,BK=32,num_warps=8,num_stages=3 BM=128,BN=256,BK=32,num_warps=8,num_stages=4
        BM=256,BN=128,BK=32,num_warps=8,num_stages=3 BM=128,BN=256,BK=64,num_warps=8,num_stages=3"
  for size in "300 520 200" "100 136 72" "130 260 16"; do
    read -r m n k <<<"$size"
    data="$mm/bf16_sm80_wide/$m-$n-$k"
    mkdir -p "$data"
    python3 "$root/scripts/matmul_npy.py" make "$data" $m $n $k bf16 || exit 1
    for config in $wide; do
      file="$stage/bench/bf16_sm80.$(echo "$config" | tr -c 'A-Za-z0-9\n' _).ssdcpkg"
      "$stage/bin/ssdc-rt" run "$file" --kernel matmul_bf16 \
        --arg M=$m --arg N=$n --arg K=$k --arg c=M*N --input a="$data/a.npy" \
        --input b="$data/b.npy" --output c="$data/c.npy" --config "$config" >/dev/null &&
        python3 "$root/scripts/matmul_npy.py" check "$data" $m $n $k "$data/c.npy" \
          "bf16_sm80 ${m}x${n}x${k} [$config]" bf16 || exit 1
      for tool in ${sanitizer:+memcheck racecheck}; do
        [ "$size" = "300 520 200" ] || continue
        log="$mm/bf16_sm80-wide-${config//[=,]/_}-$tool.log"
        "$sanitizer" --tool $tool --error-exitcode 99 "$stage/bin/ssdc-rt" run "$file" \
          --kernel matmul_bf16 --arg M=$m --arg N=$n --arg K=$k --arg c=M*N \
          --input a="$data/a.npy" --input b="$data/b.npy" --config "$config" >"$log" 2>&1
        code=$?
        summary=$(grep -Eo '(ERROR|RACECHECK) SUMMARY: [0-9]+ (errors|hazards)' "$log")
        verdict=$([ $code -eq 0 ] && [[ "$summary" == *": 0 "* ]] && echo PASS || echo FAIL)
        echo "matmul bf16_sm80 ${m}x${n}x${k} [$config] $tool: $summary -> $verdict"
        [ "$verdict" = PASS ] || status=1
      done
    done
  done
  # The pipelined dots (cp.async rings) under compute-sanitizer: memcheck
  # (no copy outside a buffer or the shared allocation) and racecheck (no
  # shared-memory hazard between the copies, the ring reads and the staging).
  for package in ${sanitizer:+matmul matmul_bf16 matmul_bf16.sm_90a matmul_tf32.sm_90a \
    matmul_tf32x3.sm_90a}; do
    kernel=${package%.sm_90a}
    kernel=${kernel%_tf32*}
    file="$stage/packages/$package.ssdcpkg"
    [ "$kernel" = "${package%.sm_90a}" ] || file="$stage/bench/$package.ssdcpkg"
    for size in "100 130 70" "100 136 72"; do
      read -r m n k <<<"$size"
      data="$mm/$package/$m-$n-$k"
      for tool in memcheck racecheck; do
        configs=BM=64,BN=64,BK=32,num_stages=3
        # The sm_90a package also with a wgmma group in flight (4 stages).
        [ "$package" != matmul_bf16.sm_90a ] || configs="$configs BM=64,BN=64,BK=32,num_stages=4"
        for config in $configs; do
          log="$mm/$package-$m-$n-$k-${config##*=}-$tool.log"
          "$sanitizer" --tool $tool --error-exitcode 99 "$stage/bin/ssdc-rt" run \
            "$file" --kernel "$kernel" --arg M=$m --arg N=$n --arg K=$k \
            --arg c=M*N --input a="$data/a.npy" --input b="$data/b.npy" --config $config >"$log" 2>&1
          code=$?
          summary=$(grep -Eo '(ERROR|RACECHECK) SUMMARY: [0-9]+ (errors|hazards)' "$log")
          verdict=$([ $code -eq 0 ] && [[ "$summary" == *": 0 "* ]] && echo PASS || echo FAIL)
          echo "matmul $package ${m}x${n}x${k} [$config] $tool: $summary -> $verdict"
          [ "$verdict" = PASS ] || status=1
        done
      done
    done
  done
} >"$mm/run.log" 2>&1 || status=1

# cumsum and reduce along rows (warp shuffles, ReductionLowering.cpp) in
# every config of examples/reductions, against float64, and sanitized.
OUT="$out" bash "$root/scripts/gpu-reductions.sh" >"$out/reductions.txt" 2>&1 || status=1

# segsum_exp's speed: every config through the runtime (CUDA events, median),
# and its peers (PyTorch eager, a hand-written Triton kernel) on the same shapes.
shapes="512 64 16 1024"
set -- $shapes
while [ $# -gt 0 ]; do
  "$stage/bin/ssdc-rt" run "$stage/packages/segsum_exp.ssdcpkg" --kernel segsum_exp \
    --arg B=$1 --arg T=$2 --arg cs=B*T --arg out=B*T*T >"$out/segsum_exp-B$1-T$2.txt" 2>&1 || status=1
  shift 2
done
python3 "$root/bench/peers/segsum_exp_peers.py" $shapes >"$out/segsum_exp-peers.txt" 2>&1 || status=1

echo
echo "== segsum_exp speed (us; ssdc: best config through the runtime, peers: do_bench median)"
set -- $shapes
while [ $# -gt 0 ]; do
  best=$(awk '$1 ~ /=/ && $2 ~ /^[0-9.]+$/ { if (min == "" || $2 < min) { min = $2; cfg = $1 } } END { printf "%.1f %s", min * 1000, cfg }' "$out/segsum_exp-B$1-T$2.txt")
  echo "B=$1 T=$2 ssdc ${best}"
  shift 2
done
grep '^PEER' "$out/segsum_exp-peers.txt" | sed 's/^PEER segsum_exp //' || tail -5 "$out/segsum_exp-peers.txt"

echo
echo "== segsum_exp from NumPy through ssdc-rt run --input/--output, vs float64"
echo "$npy_result"
[[ "$npy_result" == *PASS ]] || tail -20 "$npy/run.log"

echo
echo "== examples/matmul (fp32 ieee/tf32/tf32x3, bf16; bf16 and tf32 for sm_90a too), every config, from NumPy through ssdc-rt, vs float64; compute-sanitizer on the pipelined dots"
grep -E -- '-> (PASS|FAIL)$' "$mm/run.log" || { echo "matmul: FAIL (see $mm/run.log)"; tail -20 "$mm/run.log"; }

echo
echo "== examples/reductions (cumsum, reduce sum/max along rows and 1-D), every config, vs float64; sanitized"
grep -cE -- '-> PASS$' "$out/reductions.txt" | sed 's/$/ checks PASS/'
grep -E -- '-> FAIL$' "$out/reductions.txt" || true
[ -s "$out/reductions.txt" ] || echo "reductions: FAIL (no output)"

echo
echo "== segsum_exp through the runtime (package compiled by ssdc, sm_90)"
cat "$out/segsum_exp-checks.txt" 2>/dev/null || tail -40 "$out/segsum_exp-checks.log"
exit $status
