"""Where the host time of one ssdc.ssd call from Python goes (GPU machine).

For each call of check_python.py's host-time table it times, per call, the
median over batches of 100 calls with the stream drained between batches
(per_call: the figure is host time, not kernel time):

  total     the public call (ssdc.ssd.kernelbench / chunk_scan), through
            ssdc._torch_fast's C++ path where the package has it;
  python    the same with that path off (ssdc.ssd's Python hot path, which
            the next columns break down);
  key       ssdc.ssd.plan_key: the tensors' shapes, strides, dtypes, devices;
  alloc     the outputs' x.new_empty (y and/or the final states);
  ptrs      the 11 data_ptr() reads into the addresses tuple;
  stream    torch's current raw stream;
  execute   the C++ call alone (SsdForward.execute: the buffer check and the
            prepared launches, `launches` of them);
  rest      python minus those (Python calls, the dict lookup, workspace).

With --gpu-tests PATH (stage/bin/SSDCGPUTests) it first runs the runtime's
GpuRuntime.LaunchOverhead in C++ and prints its raw cuLaunchKernel, runtime
launch and prepared launch figures, and for each call the floor
`launches x raw + alloc`: what no host path over these kernels can beat.

    python3 bench/python/host_time.py [--gpu-tests stage/bin/SSDCGPUTests] [--calls 3000]
"""
import argparse
import os
import re
import subprocess
import sys
import time

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python-bindings", "tests"))
from reference import mamba_inputs  # noqa: E402

import ssdc  # noqa: E402
import ssdc.ssd as ssd  # noqa: E402


def per_call(call, n, batch=100):
    """Host µs per call: the median over batches of `batch` calls, the stream
    drained (untimed) between batches, as the runtime's LaunchOverhead test
    times launches: a batch never fills the launch queue, so the figure is
    the time to enqueue, not the kernels' (which a tiny problem's calls
    outrun once enqueuing is cheap)."""
    for _ in range(20):
        call()
    times = []
    for _ in range(max(1, n // batch)):
        torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(batch):
            call()
        times.append((time.perf_counter() - start) / batch)
    torch.cuda.synchronize()
    times.sort()
    return times[len(times) // 2] * 1e6


def cases():
    """(label, public call, forward()'s arguments) as check_python.py's table."""
    b, s, h, p, n = 1, 64, 2, 16, 16
    X = torch.rand(b, s, h, p, device="cuda")
    A, B = torch.randn(b, s, h, device="cuda") * 0.1, torch.randn(b, s, h, n, device="cuda")
    t = mamba_inputs((1, 64, 2, 16, 16, 1), ("D", "z", "bias", "softplus"), 10, "cuda")
    kb = ("kernelbench", X, A, None, B, B, 64, None, None, None, None, False)
    return [
        ("kernelbench 49", lambda: ssd.kernelbench(X, A, B, B, 64, return_final_state=True),
         kb + (False, True)),
        ("kernelbench 48", lambda: ssd.kernelbench(X, A, B, B, 64), kb + (True, False)),
        ("chunk_scan D,z,dt_bias,softplus",
         lambda: ssd.chunk_scan(t["x"], t["dt"], t["A"], t["B"], t["C"], 64, D=t["D"], z=t["z"],
                                dt_bias=t["dt_bias"], dt_softplus=True),
         ("mamba", t["x"], t["dt"], t["A"], t["B"], t["C"], 64, t["D"], t["z"], t["dt_bias"],
          None, True, True, False)),
    ]


def breakdown(label, call, args, n):
    form, x, dt, A, B, C, chunk, D, z, dt_bias, init, softplus, want_y, want_final = args
    call()
    ordinal = x.get_device()
    key = ssd.plan_key(form, x, dt, A, B, C, chunk, D, z, dt_bias, init, softplus, want_y,
                       want_final, ordinal)
    plan = ssd._plans[key]
    tensors = (x, dt, A, B, C, D, z, dt_bias, init)

    def allocate():
        y = x.new_empty(plan.y_shape) if plan.y_shape else None
        final = x.new_empty(plan.final_shape, dtype=torch.float32) if plan.final_shape else None
        return y, final

    y, final = allocate()
    outputs = (y, final)

    def pointers():
        return tuple(t.data_ptr() if (t is not None and take) else 0
                     for t, take in zip(tensors, plan.takes)) + tuple(
            0 if t is None else t.data_ptr() for t in outputs)

    addresses = pointers()
    stream = ssd._current_stream(ordinal)
    space = plan.spaces.get(stream, 0)
    fast = ssd._fast
    ssd._fast = None
    try:
        python = per_call(call, n)
    finally:
        ssd._fast = fast
    times = dict(
        total=per_call(call, n),
        python=python,
        key=per_call(lambda: ssd.plan_key(form, x, dt, A, B, C, chunk, D, z, dt_bias, init,
                                          softplus, want_y, want_final, ordinal), n),
        alloc=per_call(allocate, n),
        ptrs=per_call(pointers, n),
        stream=per_call(lambda: ssd._current_stream(ordinal), n),
        execute=per_call(lambda: plan.forward.execute(addresses, space, stream), n),
    )
    times["rest"] = times["python"] - sum(v for k, v in times.items()
                                          if k not in ("total", "python"))
    times["launches"] = plan.forward.prepared_launches
    return times


def launch_overhead(binary):
    """The C++ figures of GpuRuntime.LaunchOverhead: {check: µs}."""
    run = subprocess.run([binary, "--gtest_filter=GpuRuntime.LaunchOverhead"],
                         capture_output=True, text=True, timeout=120)
    figures = {}
    for match in re.finditer(r"^RESULT (\S+) (\S+) (\S+)$", run.stdout, re.M):
        figures[match.group(1)] = (float(match.group(2)), match.group(3))
    if not figures:
        print(run.stdout[-2000:], run.stderr[-2000:])
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gpu-tests", help="SSDCGPUTests, for the raw launch cost in C++")
    parser.add_argument("--calls", type=int, default=3000)
    args = parser.parse_args()
    print(f"ssdc from {os.path.dirname(ssdc.__file__)}; torch {torch.__version__}; "
          f"{torch.cuda.get_device_name()}")
    raw = None
    if args.gpu_tests:
        figures = launch_overhead(args.gpu_tests)
        for check, (value, verdict) in figures.items():
            print(f"C++ {check}: {value:.2f} µs ({verdict})")
        raw = figures.get("host_us_per_launch_raw", (None,))[0]
    print("C++ hot path (ssdc._torch_fast): " + ("on" if ssd._fast is not None else
                                                 "not in this build, or SSDC_TORCH_FAST=0"))
    columns = ("total", "python", "key", "alloc", "ptrs", "stream", "execute", "rest")
    print("\n| call | " + " | ".join(columns) + " | launches | floor (launches x raw + alloc) |")
    print("|---|" + "---|" * (len(columns) + 2))
    for label, call, call_args in cases():
        t = breakdown(label, call, call_args, args.calls)
        floor = f"{t['launches'] * raw + t['alloc']:.1f}" if raw else "-"
        print(f"| {label} | " + " | ".join(f"{t[c]:.1f}" for c in columns) +
              f" | {t['launches']} | {floor} |", flush=True)
    print("\n(µs per call; execute includes nanobind's call and the 11-address tuple's "
          "conversion)")


if __name__ == "__main__":
    main()
