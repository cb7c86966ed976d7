"""Where a forward's device time goes, kernel by kernel (GPU machine).

    PYTHONPATH=.peers:/tmp/ssdc-peers python3 bench/ssd/profile_ssd.py --lib libssdc.so
        [--shapes 2.7B,780M] [--peers ssdc,mamba_ssm,fla] [--reps 20] [--calls-only]

For each shape of bench_ssd.py (its inputs, its peers' calls) and each peer, the forward
runs `reps` times under torch.profiler with CUDA activity (CUPTI sees every kernel of the
process: ssdc's driver-API and graph launches as well as the peers' Triton kernels), after
warm-up calls that tune. It prints one table per shape and peer: each kernel's launches and
device µs per forward and its share of the forward, then the forward's total. bench_ssd.py
times the whole forward; this says which of its launches to work on (bench/NOTES.md).
"""
import argparse
import sys

import torch
from torch.profiler import ProfilerActivity, profile

from bench_ssd import LAYERS, SHAPES, make_inputs, peers
from ssdc_forward import SsdcForward


def device_us(event):
    """An averaged event's own device time in µs, across PyTorch versions."""
    for name in ("self_device_time_total", "self_cuda_time_total"):
        if hasattr(event, name):
            return getattr(event, name)
    return 0.0


def kernel_times(fn, reps):
    """[(kernel name, launches per forward, device µs per forward)], longest first."""
    for _ in range(3):  # tunes, loads modules, fills allocator caches
        fn()
    torch.cuda.synchronize()
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(reps):
            fn()
        torch.cuda.synchronize()
    rows = [(event.key, event.count / reps, device_us(event) / reps)
            for event in prof.key_averages() if device_us(event) > 0]
    return sorted(rows, key=lambda row: -row[2])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib", help="ssdc's shared library (libssdc.so)")
    parser.add_argument("--shapes", default=",".join(LAYERS))
    parser.add_argument("--peers", default="ssdc,mamba_ssm,fla")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--calls-only", action="store_true",
                        help="only call each forward (warm-up and reps), for an outside profiler "
                             "such as ncu, which cannot share CUPTI with torch.profiler")
    args = parser.parse_args()
    ssdc = SsdcForward(args.lib) if args.lib else None
    wanted = args.peers.split(",")
    for name in args.shapes.split(","):
        shape = SHAPES[name]
        inputs = make_inputs(shape, seed=0)
        for out in ("Y", "state") if shape[8] == "kb" else ("Y",):  # as bench_ssd.py
            calls = peers(inputs, out, ssdc)
            for peer in wanted:
                if peer not in calls:
                    print(f"{name} {out} {peer}: not available", file=sys.stderr)
                    continue
                if args.calls_only:
                    for _ in range(3 + args.reps):
                        calls[peer][0]()
                    torch.cuda.synchronize()
                    continue
                rows = kernel_times(calls[peer][0], args.reps)
                total = sum(us for _, _, us in rows)
                print(f"\n{name} {out} {peer}: {total:.1f} µs of kernels per forward")
                print("| kernel | launches | µs | share |\n|---|---|---|---|")
                for kernel, launches, us in rows:
                    print(f"| {kernel[:70]} | {launches:g} | {us:.1f} | {us / total:.0%} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
