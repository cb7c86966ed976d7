#!/usr/bin/env bash
# compute-sanitizer memcheck, racecheck and synccheck over every kernel of
# kernels/ (kernels/ssd too) and examples/ in every config of its package, on
# the GPU machine, from what scripts/stage-gpu.sh staged (stage/bin/ssdc-rt,
# stage/packages/NAME.ssdcpkg and NAME.configs, one config a line).
#
#   bash scripts/gpu-sanitize.sh [--dry-run] [--jobs N] [--tools "memcheck racecheck synccheck"]
#                                [--only CASE,...]
#
# One invocation per (case, config, tool): `ssdc-rt run PACKAGE --config C`
# launches that config once on a small problem whose sizes are no multiple of
# any tile (every bounds check and tail runs), with its write-only outputs
# poisoned (NaN; integers their most negative value) by ssdc-rt, so elements
# never written stay NaN and reads of them propagate it: the summary of each
# output counts its NaNs. Invocations run --jobs at a time (default 12) on the
# one GPU. Each writes its log to $OUT/logs/CASE/TOOL/CONFIG.log ($OUT, else
# /tmp/ssdc-gpu-sanitize); $OUT/sanitize-summary.txt holds the table printed
# last: per case and tool, the configs run, the errors the tool reported
# (hazards for racecheck), the runs that failed (no summary line, or ssdc-rt
# or the tool exiting non-zero), and the most NaNs one output kept (each
# must be 0: inputs are finite and every output element is written). The
# exit status is 0 only when every count is 0.
#
# --only runs just the named cases (the coverage check below still reads
# every staged package). --dry-run needs no GPU and no compute-sanitizer: it lists every invocation
# and runs each (case, config) once through ssdc-rt without a sanitizer, which
# checks every option and builds every buffer before it needs a device; where
# there is no driver, exit 1 "no CUDA driver" means the invocation is right,
# and exit 2 (a usage error) means this script is wrong.
set -u -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stage="$root/stage"
out="${OUT:-/tmp/ssdc-gpu-sanitize}"
jobs=12
tools="memcheck racecheck synccheck"
dry_run=0
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1; shift ;;
    --only) only=",$2,"; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "gpu-sanitize: unknown option '$1'" >&2; exit 2 ;;
  esac
done
bash "$root/scripts/unstage-gpu.sh"  # stage-gpu.sh gzips what would not fit
rt="$stage/bin/ssdc-rt"
[ -x "$rt" ] || { echo "gpu-sanitize: no $rt: run scripts/stage-gpu.sh first" >&2; exit 1; }

# The cases: name, package, kernel, arguments. Sizes are small, and no
# multiple of any tile size (16 to 512).
matmul_args() { echo "--arg M=100 --arg N=130 --arg K=70 --arg a=M*K --arg b=K*N --arg c=M*N"; }
cases() { # one line per case: name|package|kernel|arguments
  echo "segsum_exp|segsum_exp|segsum_exp|--arg B=2 --arg T=100 --arg cs=B*T --arg out=B*T*T"
  echo "scale_add|scale_add|scale_add|--arg n=1000 --arg a=3 --arg x=n --arg y=n"
  echo "matmul|matmul|matmul|$(matmul_args)"
  echo "matmul_bf16|matmul_bf16|matmul_bf16|$(matmul_args)"
  for type in f32 f16 bf16; do # examples/dtypes: one instance per buffer element type
    echo "scale_copy_$type|scale_copy|scale_copy_$type|--arg n=1000 --arg scale=0.3 --arg x=n --arg y=n"
  done
}
# The SSD kernels (kernels/ssd/) run as the library launches them: the whole
# forward through libssdc.so (bench/ssd/check_ssd.py, outputs and workspace
# poisoned) on these cases, with SSDC_TUNE=force and an empty tuning cache so
# that the tuner launches every config of every launch of each case (the
# tuner prunes only BLOCK* tile params, lib/Runtime/Tuner.cpp, and the SSD
# kernels have none): mamba's options all on with a partial chunk (g < h:
# chunk_cb runs), g = 1 with odd sizes, chunk 1, and KernelBench's form with
# initial states, in f32; and the f16 and bf16 instances (kernels/ssd's
# `types`) in both forms, with dt_limit.
ssd_cases=kb-partial-init,mamba-all,mamba-g1-odd,chunk1,kb-f16-partial-init,mamba-all-bf16
ssd_cases+=,mamba-all-f16,dt-limit-high-only-bf16
ssd_packages=$(cd "$root/kernels/ssd" && ls *.mlir | sed 's/\.mlir$//')

# examples/reductions is sanitized in every config by scripts/gpu-reductions.sh,
# which sizes each config's outputs to what it writes (C = BC).
sanitized_elsewhere=row_reductions

# Every staged package must be covered by a case, so a new kernel cannot be
# left out silently.
status=0
for package in "$stage"/packages/*.ssdcpkg; do
  name=$(basename "$package" .ssdcpkg)
  { cases | cut -d"|" -f2; echo "$ssd_packages"; echo "$sanitized_elsewhere"; } |
    grep -x "$name" >/dev/null ||
    { echo "gpu-sanitize: no case runs stage/packages/$name.ssdcpkg: add one to cases()" >&2; status=1; }
done

mkdir -p "$out"
list="$out/invocations.txt" # case, config, tool, package, kernel, arguments; tab-separated
: >"$list"
selected() { [ -z "$only" ] || [[ "$only" == *",$1,"* ]]; }
while IFS='|' read -r name package kernel args; do
  selected "$name" || continue
  pkg="$stage/packages/$package.ssdcpkg" configs="$stage/packages/$package.configs"
  if [ ! -f "$pkg" ] || [ ! -s "$configs" ]; then
    echo "gpu-sanitize: $name needs $pkg and $configs (scripts/stage-gpu.sh)" >&2
    status=1
    continue
  fi
  while read -r config; do
    for tool in $tools; do
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$config" "$tool" "$pkg" "$kernel" "$args" >>"$list"
    done
  done <"$configs"
done < <(cases)
for tool in $tools; do
  selected ssd_forward || break
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' ssd_forward "$ssd_cases" "$tool" ssd-forward - - >>"$list"
done
echo "gpu-sanitize: $(wc -l <"$list") invocations ($tools), $jobs at a time; logs in $out/logs"

if [ $dry_run = 1 ]; then
  checked=0 wrong=0
  while IFS=$'\t' read -r name config tool pkg kernel args; do
    if [ "$pkg" = ssd-forward ]; then
      echo "SSDC_TUNE=force compute-sanitizer --tool $tool python3 bench/ssd/check_ssd.py --cases $config"
      continue
    fi
    echo "compute-sanitizer --tool $tool $rt run $pkg --kernel $kernel --config $config $args"
    [ "$tool" = "$(echo "$tools" | awk '{print $1}')" ] || continue
    # shellcheck disable=SC2086 # the arguments are words
    message=$("$rt" run "$pkg" --kernel "$kernel" --config "$config" $args 2>&1 >/dev/null)
    rc=$?
    checked=$((checked + 1))
    if [ $rc = 2 ] || { [ $rc != 0 ] && ! grep -q "no CUDA driver" <<<"$message"; }; then
      echo "gpu-sanitize: $name [$config]: ssdc-rt exit $rc: $message" >&2
      wrong=$((wrong + 1))
    fi
  done <"$list"
  echo "gpu-sanitize: dry run: $checked (case, config) pairs checked by ssdc-rt, $wrong wrong"
  [ $wrong = 0 ] && exit $status || exit 1
fi

sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null) ||
  { echo "gpu-sanitize: compute-sanitizer not found" >&2; exit 1; }
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | sed 's/^/gpu: /'
"$sanitizer" --version | tail -1

# One invocation: its log, then one result line
#   case <TAB> config <TAB> tool <TAB> errors ("?" without a summary) <TAB> failed (0/1) <TAB> most NaNs
run_one() {
  local name=$1 config=$2 tool=$3 pkg=$4 kernel=$5 args=$6
  local log="$OUT_DIR/logs/$name/$tool/$config.log"
  mkdir -p "$(dirname "$log")"
  local options=(--tool "$tool" --error-exitcode 99)
  # (not for the SSD forward: PyTorch's caching allocator keeps its memory to exit)
  [ "$tool" = memcheck ] && [ "$pkg" != ssd-forward ] && options+=(--leak-check full)
  local rc errors
  if [ "$pkg" = ssd-forward ]; then
    # The check's own verdict (KernelBench's fp32 reference, see its log) is
    # not the sanitizer's: only the tool's exit code counts here.
    SSDC_TUNE=force SSDC_CACHE_DIR=$(mktemp -d) timeout 420 "$SANITIZER" "${options[@]}" \
      python3 "$ROOT/bench/ssd/check_ssd.py" --lib "$ROOT/stage/lib/libssdc.so" --no-long \
      --cases "$config" >"$log" 2>&1
    rc=$?
    [ $rc = 99 ] || [ $rc -ge 124 ] || rc=0
  else
    # shellcheck disable=SC2086 # the arguments are words
    timeout 300 "$SANITIZER" "${options[@]}" "$RT" run "$pkg" --kernel "$kernel" \
      --config "$config" $args >"$log" 2>&1
    rc=$?
  fi
  if [ "$tool" = racecheck ]; then
    errors=$(sed -n 's/.*RACECHECK SUMMARY: \([0-9]*\) hazard.*/\1/p' "$log" | tail -1)
  else
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) error.*/\1/p' "$log" | tail -1)
  fi
  local nan
  nan=$(sed -n 's/.*, NaN \([0-9]*\).*/\1/p' "$log" | sort -n | tail -1)
  [ "$pkg" = ssd-forward ] && nan=$(grep -c "NaN/Inf" "$log")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$config" "$tool" "${errors:-?}" \
    "$([ $rc = 0 ] && [ -n "$errors" ] && echo 0 || echo 1)" "${nan:-?}" >"$log.result"
}
export -f run_one
export OUT_DIR="$out" SANITIZER="$sanitizer" RT="$rt" ROOT="$root"
rm -rf "$out/logs"
start=$SECONDS
tr '\t\n' '\0\0' <"$list" | xargs -0 -n 6 -P "$jobs" bash -c 'run_one "$@"' _
elapsed=$((SECONDS - start))

results="$out/results.tsv"
find "$out/logs" -name '*.result' -exec cat {} + | sort >"$results"
{
  echo "== compute-sanitizer over every kernel and config ($(wc -l <"$results") runs in ${elapsed} s)"
  printf '%-30s %7s %-9s %6s %6s %8s\n' case configs tool errors failed max-NaN
  awk -F'\t' '{
      key = $1 "\t" $3; configs[key]++
      if ($4 == "?") unknown[key]++; else errors[key] += $4
      failed[key] += $5
      if ($6 != "?" && $6 + 0 > nan[key]) nan[key] = $6 + 0
    } END {
      for (key in configs) {
        split(key, part, "\t")
        printf "%-30s %7d %-9s %6s %6d %8d\n", part[1], configs[key], part[2],
               errors[key] + 0 (unknown[key] ? "+?" : ""), failed[key], nan[key]
      }
    }' "$results" | sort
  awk -F'\t' '$5 == 1 { print "FAILED " $1 " [" $2 "] " $3 ": see logs/" $1 "/" $3 "/" $2 ".log" }' \
    "$results" | head -20
  awk -F'\t' '{ errors += ($4 == "?" ? 0 : $4); failed += $5 }
    END { printf "total: %d runs, %d errors or hazards, %d failed runs\n", NR, errors, failed }' "$results"
  awk -F'\t' '$6 != "0" { n++ } END { printf "outputs with NaN left: %d runs\n", n }' "$results"
  if selected ssd_forward; then
    echo "ssd_forward cases: $ssd_cases"
    for package in $ssd_packages; do
      echo "ssd_forward runs $package: $(wc -l <"$stage/packages/$package.configs") specialized" \
        "kernels in its package (instances x configs); a tuned launch times every config of its instance"
    done
  fi
} | tee "$out/sanitize-summary.txt"
# Every input is finite and every output fully written, so a NaN left in
# an output is an element never written, or a poisoned one read.
awk -F'\t' '$4 != "0" || $5 != 0 || $6 != "0" { bad = 1 } END { exit bad }' "$results" || status=1
exit $status
