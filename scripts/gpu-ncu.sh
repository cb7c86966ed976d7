#!/usr/bin/env bash
# Nsight Compute metrics of SSD kernels on the GPU machine, from what
# scripts/stage-gpu.sh staged: instructions (all, shared, global, tensor),
# shared-memory bank conflicts, stall reasons per issued instruction,
# registers and occupancy limits, one launch per kernel name, while
# bench/ssd/profile_ssd.py --calls-only runs the forwards (ncu cannot share
# CUPTI with torch.profiler). --clock-control none: the clocks stay as they are.
#   bash scripts/gpu-ncu.sh SHAPE KERNEL...   (e.g. 2.7B ssd_chunk_outputs_bf16__BM_64__...)
# bench/results/2026-12-02-h200-ncu-ssd-metrics.txt was taken this way.
set -u -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="${OUT:-/tmp/ssdc-gpu-run}"
mkdir -p "$out"
shape=$1
shift
bash "$root/scripts/unstage-gpu.sh"
if ls "$root"/.peers/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --target /tmp/ssdc-peers "$root"/.peers/*.whl
fi
export PYTHONPATH="$root/.peers:/tmp/ssdc-peers${PYTHONPATH:+:$PYTHONPATH}"
metrics=smsp__inst_executed.sum,sm__warps_active.avg.pct_of_peak_sustained_active
metrics+=,gpu__time_duration.sum,smsp__inst_executed_pipe_tensor.sum
metrics+=,l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_ld.sum
metrics+=,l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_st.sum
metrics+=,smsp__inst_executed_op_shared_ld.sum,smsp__inst_executed_op_shared_st.sum
metrics+=,smsp__inst_executed_op_global_ld.sum,smsp__inst_executed_op_global_st.sum
metrics+=,smsp__inst_executed_op_branch.sum,l1tex__t_sectors_pipe_lsu_mem_global_op_ld.sum
metrics+=,l1tex__t_requests_pipe_lsu_mem_global_op_ld.sum,launch__registers_per_thread
metrics+=,launch__occupancy_limit_registers,launch__occupancy_limit_shared_mem
for reason in barrier long_scoreboard short_scoreboard mio_throttle lg_throttle wait \
  math_pipe_throttle not_selected selected dispatch_stall no_instruction branch_resolving \
  tex_throttle drain imc_miss membar sleeping; do
  metrics+=,smsp__average_warps_issue_stalled_${reason}_per_issue_active.ratio
done
status=0
for kernel in "$@"; do
  timeout 100 ncu --clock-control none --metrics "$metrics" -k "$kernel" -c 1 \
    python3 "$root/bench/ssd/profile_ssd.py" --lib "$root/stage/lib/libssdc.so" \
    --shapes "$shape" --peers ssdc --reps 0 --calls-only 2>&1 |
    grep -v '^==PROF==\|tuning' | tee -a "$out/ncu-metrics.txt" || status=1
done
exit $status
