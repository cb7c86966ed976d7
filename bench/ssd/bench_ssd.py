"""The Mamba2 SSD forward on the GPU: ssdc against its peers at every shape of
shared/BENCHMARKS.md, side by side in one run.

    PYTHONPATH=.peers:/tmp/fla python3 bench/ssd/bench_ssd.py [--lib libssdc.so] [--out DIR]
        [--shapes NAME,... | --layers] [--budget S]
    python3 bench/ssd/bench_ssd.py --dry-run   # no GPU: inputs, truth and checks on the CPU

--layers: the two bf16 layer shapes alone (2.7B, 780M), into ssd-bench-layers.json/.png,
so that a budget spent on the KernelBench shapes cannot cut them.

Peers (each timed as called and as a CUDA-graph replay, do_bench median):
  eager     the KernelBench forward (problems 48/49), fp32, in PyTorch;
  compile   the same under torch.compile (as called);
  mamba_ssm mamba_chunk_scan_combined (its Triton kernels);
  fla       flash-linear-attention's chunk_simple_gla (q = C, k = B, v = X, g = A;
            B/C per head).
and ssdc (--lib: its shared library, called through the C API by
ssdc_forward.py on torch's stream, timed the same two ways). Per peer and
shape it also reports the first call (for ssdc: the plan, the packages'
load, tuning into an empty cache, the run; "warm": the same with the tuning
cache filled, in a new plan), the host time per call (calls enqueued back to
back, not waited for) and the peak device memory the first call allocates
beyond its inputs (torch's allocator: ssdc's workspace and outputs come from
it; the tuner's scratch copies do not). The floor is the
bytes that must move (each input read once, each output written once) over the
device-to-device copy bandwidth measured in the same run. Every output is
compared with the float64 truth (the KernelBench forward on float64 copies of
the same inputs, rounded to the shape's dtype as the peers get them):
relative-norm error and, for fp32, KernelBench's allclose(1e-4, 1e-4), for
bf16 allclose(1e-2, 1e-2) with a relative-norm error of at most 3e-3.
ssdc and mamba_ssm get the layer shapes' x, B and C in bf16.
"""
import argparse
import json
import math
import os
import sys
import tempfile
import time

import torch
import torch.nn.functional as F

from ssdc_forward import SsdcForward


def do_bench(fn):
    import triton  # the GPU machine's; not needed by --dry-run or check_ssd.py's oracle
    return triton.testing.do_bench(fn, warmup=50, rep=300, return_mode="median")


# name: (b, s, h, p, n, g, chunk, dtype, parameterisation); g = None: per head.
SHAPES = {
    "KB-16": (16, 128, 8, 64, 16, None, 64, torch.float32, "kb"),
    "KB-2048": (2048, 128, 8, 64, 16, None, 64, torch.float32, "kb"),
    "mid": (4, 2048, 16, 64, 64, None, 64, torch.float32, "kb"),
    "2.7B": (2, 8192, 80, 64, 128, 1, 256, torch.bfloat16, "mamba"),
    "780M": (8, 2048, 48, 64, 128, 1, 256, torch.bfloat16, "mamba"),
}
LAYERS = ("2.7B", "780M")


def segsum(x):
    t = x.size(-1)
    cs = torch.cumsum(x, dim=-1)
    out = cs[..., :, None] - cs[..., None, :]
    mask = torch.tril(torch.ones(t, t, device=x.device, dtype=torch.bool))
    return out.masked_fill(~mask, -torch.inf)


def kernelbench_forward(X, A, B, C, L, return_final_state=False):
    """KernelBench level 3 problems 48/49 (Mamba2ReturnY / Mamba2ReturnFinalState)."""
    b, s, h, p = X.shape
    c = s // L
    Xb, Ab, Bb, Cb = (t.reshape(b, c, L, *t.shape[2:]) for t in (X, A, B, C))
    Ab = Ab.permute(0, 3, 1, 2)
    A_cs = torch.cumsum(Ab, dim=-1)
    decay_states = torch.exp(A_cs[..., -1:] - A_cs)
    states = torch.einsum("bclhn,bhcl,bclhp->bchpn", Bb, decay_states, Xb)
    states = torch.cat([torch.zeros_like(states[:, :1]), states], dim=1)
    decay_chunk = torch.exp(segsum(F.pad(A_cs[..., -1], (1, 0))))
    new_states = torch.einsum("bhzc,bchpn->bzhpn", decay_chunk, states)
    if return_final_state:
        return new_states[:, -1]
    Lmat = torch.exp(segsum(Ab))
    Y_diag = torch.einsum("bclhn,bcshn,bhcls,bcshp->bclhp", Cb, Bb, Lmat, Xb)
    Y_off = torch.einsum("bclhn,bchpn,bhcl->bclhp", Cb, new_states[:, :-1], torch.exp(A_cs))
    return (Y_diag + Y_off).reshape(b, s, h, p)


def make_inputs(shape, seed, device="cuda"):
    b, s, h, p, n, g, chunk, dtype, kind = shape
    gen = torch.Generator(device=device).manual_seed(seed)
    rand = lambda *size, dt=dtype: torch.randn(*size, device=device, generator=gen, dtype=dt)
    groups = h if g is None else g
    x = rand(b, s, h, p)
    B = rand(b, s, groups, n)
    C = rand(b, s, groups, n)
    # Log-decays of a realistic size: dt in (0.001, 0.1), A in (-1, -16).
    dt = torch.rand(b, s, h, device=device, generator=gen) * 0.099 + 0.001
    A = -(torch.rand(h, device=device, generator=gen) * 15 + 1)
    return dict(x=x, dt=dt, A=A, B=B, C=C, chunk=chunk, kind=kind)


def floor_bytes(shape, out):
    b, s, h, p, n, g, chunk, dtype, kind = shape
    size = torch.finfo(dtype).bits // 8
    groups = h if g is None else g
    read = b * s * h * p * size + 2 * b * s * groups * n * size + b * s * h * 4
    written = b * h * p * n * 4 if out == "state" else b * s * h * p * size
    return read + written


def copy_bandwidth():
    """Device-to-device copy bandwidth in bytes/s (bytes read + written)."""
    src = torch.empty(1 << 30, dtype=torch.uint8, device="cuda")
    dst = torch.empty_like(src)
    ms = do_bench(lambda: dst.copy_(src))
    return 2 * src.numel() / (ms * 1e-3)


def time_called(fn):
    return 1e3 * do_bench(fn)


def time_graph(fn):
    """The call captured in a CUDA graph, its replays timed: device time only."""
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        fn()
    return 1e3 * do_bench(graph.replay)


def first_call(fn):
    """fn's first call: its value, wall time in ms (synchronized) and the peak
    device memory in bytes it allocated beyond what was allocated before."""
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    before = torch.cuda.memory_allocated()
    start = time.perf_counter()
    value = fn()
    torch.cuda.synchronize()
    ms = (time.perf_counter() - start) * 1e3
    return value, ms, torch.cuda.max_memory_allocated() - before


def host_per_call(fn, calls=20):
    """Host time per call in µs: `calls` calls enqueued back to back."""
    fn()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    us = (time.perf_counter() - start) / calls * 1e6
    torch.cuda.synchronize()
    return us


def peers(inputs, out, ssdc):
    """name -> (callable, can_graph) for every peer that runs this shape."""
    x, dt, A, B, C, chunk = (inputs[k] for k in ("x", "dt", "A", "B", "C", "chunk"))
    h, groups = x.shape[2], B.shape[2]
    final = out == "state"
    # The KernelBench parameterisation of the same inputs (fp32, B/C per head).
    X_kb = (x.float() * dt[..., None]).contiguous()
    A_kb = (dt * A).contiguous()
    B_kb = B.float().repeat_interleave(h // groups, dim=2).contiguous()
    C_kb = C.float().repeat_interleave(h // groups, dim=2).contiguous()
    found = {}
    if ssdc is not None:
        # x, B and C in the shape's dtype (bf16 for the layers), as mamba_ssm gets them.
        if inputs["kind"] == "kb":
            found["ssdc"] = (lambda: ssdc.kernelbench(X_kb, A_kb, B_kb, C_kb, chunk, final), True)
        else:
            found["ssdc"] = (lambda: ssdc.mamba(x, dt, A, B, C, chunk,
                                                return_final_states=final), True)
    found["eager"] = (lambda: kernelbench_forward(X_kb, A_kb, B_kb, C_kb, chunk, final), True)
    if inputs["kind"] == "kb":
        compiled = torch.compile(kernelbench_forward)
        found["compile"] = (lambda: compiled(X_kb, A_kb, B_kb, C_kb, chunk, final), False)
    try:
        from mamba_ssm.ops.triton.ssd_combined import mamba_chunk_scan_combined
        found["mamba_ssm"] = (lambda: mamba_chunk_scan_combined(
            x, dt, A, B, C, chunk, return_final_states=final), True)
    except Exception as error:  # noqa: BLE001 - a peer that does not import is reported
        print(f"mamba_ssm unavailable: {error}", file=sys.stderr)
    if not final:
        try:
            from fla.ops.simple_gla import chunk_simple_gla
            q = C.repeat_interleave(h // groups, dim=2).contiguous()
            k = B.repeat_interleave(h // groups, dim=2).contiguous()
            v = (x * dt[..., None].to(x.dtype)).contiguous()
            g = A_kb.float()
            found["fla"] = (lambda: chunk_simple_gla(q, k, v, g=g, scale=1.0)[0], True)
        except Exception as error:  # noqa: BLE001
            print(f"fla unavailable: {error}", file=sys.stderr)
    return found


def float64_truth(inputs, out):
    x, dt, A, B, C, chunk = (inputs[k] for k in ("x", "dt", "A", "B", "C", "chunk"))
    h, groups = x.shape[2], B.shape[2]
    X = x.double() * dt.double()[..., None]
    Ad = dt.double() * A.double()
    Bh = B.double().repeat_interleave(h // groups, dim=2)
    Ch = C.double().repeat_interleave(h // groups, dim=2)
    return kernelbench_forward(X, Ad, Bh, Ch, chunk, out == "state")


def allclose(value, truth, low_precision=False):
    """fp32: KernelBench's allclose(1e-4); bf16/fp16 (low_precision): the
    issue's allclose(1e-2) and a relative-norm error of at most 3e-3."""
    tol = 1e-2 if low_precision else 1e-4
    if not bool(torch.isfinite(value).all()):
        return False
    close = bool(((value.double() - truth).abs() <= tol + tol * truth.abs()).all())
    return close and (not low_precision or relative_error(value, truth) <= 3e-3)


def relative_error(value, truth):
    value, truth = value.double(), truth.double()
    return ((value - truth).norm() / truth.norm()).item()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib", help="ssdc's shared library (libssdc.so)")
    parser.add_argument("--out", default=os.environ.get("OUT", "/tmp/ssdc-bench"))
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--layers", action="store_true",
                        help="the bf16 layer shapes alone (into ssd-bench-layers.json/.png)")
    parser.add_argument("--dry-run", action="store_true",
                        help="no GPU: every shape's inputs, truth and checks on the CPU, small")
    parser.add_argument("--budget", type=float, default=math.inf,
                        help="seconds after which no new shape starts (the tables still print)")
    args = parser.parse_args()
    if args.dry_run:
        dry_run()
        return
    if args.layers:
        args.shapes = ",".join(LAYERS)
    suffix = "-layers" if args.layers else ""
    os.makedirs(args.out, exist_ok=True)
    ssdc = None
    # An empty tuning cache: every shape's first call tunes.
    cache = tempfile.mkdtemp(prefix="ssdc-tuning-")
    if args.lib:
        ssdc = SsdcForward(args.lib, cache_directory=cache)

    bandwidth = copy_bandwidth()
    print(f"copy bandwidth {bandwidth / 1e12:.2f} TB/s on {torch.cuda.get_device_name()}")
    rows = []
    started = time.perf_counter()
    for name in args.shapes.split(","):
        if time.perf_counter() - started > args.budget:
            print(f"{name}: skipped, past the {args.budget:.0f} s budget")
            continue
        shape = SHAPES[name]
        outs = ["Y", "state"] if shape[8] == "kb" else ["Y"]
        inputs = make_inputs(shape, seed=len(rows))
        for out in outs:
            floor = floor_bytes(shape, out) / bandwidth * 1e6
            row = {"shape": name, "out": out, "floor_us": floor, "peers": {}}
            truth = float64_truth(inputs, out)
            low_precision = shape[7] != torch.float32
            row["dtype"] = str(shape[7]).replace("torch.", "")
            for peer, (fn, can_graph) in peers(inputs, out, ssdc).items():
                try:
                    value, first_ms, peak = first_call(fn)
                    value = value[1] if isinstance(value, tuple) else value
                    entry = {"first_call_ms": first_ms, "peak_extra_MB": peak / 1e6,
                             "called_us": time_called(fn), "host_us": host_per_call(fn),
                             "rel_err": relative_error(value, truth),
                             "allclose": allclose(value, truth, low_precision)}
                    if peer == "ssdc":
                        # A new plan of the same problem: the tuning cache is warm now.
                        warm = SsdcForward(args.lib, cache_directory=cache)
                        again = peers(inputs, out, warm)["ssdc"][0]
                        entry["first_call_warm_ms"] = first_call(again)[1]
                        entry["configs"] = ssdc.describe_last()
                    if can_graph:
                        entry["graph_us"] = time_graph(fn)
                except Exception as error:  # noqa: BLE001 - one failing peer keeps the run going
                    entry = {"error": str(error).splitlines()[0][:200]}
                row["peers"][peer] = entry
            rows.append(row)
            torch.cuda.empty_cache()

    with open(os.path.join(args.out, f"ssd-bench{suffix}.json"), "w") as f:
        json.dump({"device": torch.cuda.get_device_name(), "copy_TBps": bandwidth / 1e12,
                   "rows": rows}, f, indent=1)
    chart(rows, os.path.join(args.out, f"ssd-bench{suffix}.png"))
    report(rows)


def report(rows):
    names = ["ssdc", "eager", "compile", "mamba_ssm", "fla"]
    for row in rows:
        for peer, e in row["peers"].items():
            if "error" in e:
                print(f"{row['shape']} {row['out']} {peer}: {e['error']}")
            else:
                print(f"{row['shape']} {row['out']} {peer}: rel_err {e['rel_err']:.2e}" +
                      (f"; {e['configs']}" if "configs" in e else ""))
    print(f"\n{'shape':<9}{'out':<6}{'floor':>7}" + "".join(f"{n:>20}" for n in names))
    for row in rows:
        cells = []
        for n in names:
            e = row["peers"].get(n)
            if e is None:
                cells.append("-")
            elif "error" in e:
                cells.append("error")
            else:
                called, graph = e["called_us"], e.get("graph_us")
                cells.append(f"{called:.1f}" + (f"/{graph:.1f}" if graph else "") +
                             ("" if e["allclose"] else "*"))
        print(f"{row['shape']:<9}{row['out']:<6}{row['floor_us']:>7.1f}" +
              "".join(f"{c:>20}" for c in cells))
    print("(us, median: as called / CUDA-graph replay; * = fails its dtype's check against "
          "float64: fp32 allclose(1e-4), bf16 allclose(1e-2) and rel-norm <= 3e-3)")
    for row in rows:
        mine = row["peers"].get("ssdc", {})
        if "graph_us" not in mine:
            continue
        ratios = [f"{mine['graph_us'] / row['floor_us']:.1f}x floor"] + [
            f"{mine['graph_us'] / e['graph_us']:.2f}x {n}" for n, e in row["peers"].items()
            if n != "ssdc" and "graph_us" in e]
        print(f"ssdc {row['shape']} {row['out']} (graph replays): " + ", ".join(ratios))
    print(f"\n{'shape':<9}{'out':<6}" + "".join(f"{n:>26}" for n in names))
    for row in rows:
        cells = []
        for n in names:
            e = row["peers"].get(n, {})
            if "first_call_ms" not in e:
                cells.append("-")
                continue
            first = f"{e['first_call_ms']:.0f}" + (f"/{e['first_call_warm_ms']:.0f}"
                                                   if "first_call_warm_ms" in e else "")
            cells.append(f"{first}ms {e['host_us']:.0f}us {e['peak_extra_MB']:.0f}MB")
        print(f"{row['shape']:<9}{row['out']:<6}" + "".join(f"{c:>26}" for c in cells))
    print("(first call ms (ssdc: empty/warm tuning cache), host us per call, peak extra MB)")


def dry_run():
    """No GPU: each shape cut to a small one of the same form and dtype on the
    CPU, through make_inputs, the eager peer, float64_truth, allclose and the
    floor, so that the GPU run's own code has run once."""
    for name, shape in SHAPES.items():
        b, s, h, p, n, g, chunk, dtype, kind = shape
        small = (2, 2 * min(chunk, 32), min(h, 4), min(p, 16), min(n, 16), g, min(chunk, 32),
                 dtype, kind)
        inputs = make_inputs(small, seed=1, device="cpu")
        assert inputs["x"].dtype == dtype and inputs["B"].dtype == dtype, name
        low_precision = dtype != torch.float32
        for out in (["Y", "state"] if kind == "kb" else ["Y"]):
            truth = float64_truth(inputs, out)
            x, dt, A, B, C = (inputs[k] for k in ("x", "dt", "A", "B", "C"))
            hh, groups = x.shape[2], B.shape[2]
            value = kernelbench_forward((x.float() * dt[..., None]), dt * A,
                                        B.float().repeat_interleave(hh // groups, dim=2),
                                        C.float().repeat_interleave(hh // groups, dim=2),
                                        small[6], out == "state")
            if out == "Y":
                value = value.to(dtype)  # as a peer's output in the shape's dtype
            ok = allclose(value, truth, low_precision)
            bad = not allclose(value * 1.05, truth, low_precision)
            print(f"{'ok' if ok and bad else 'BAD'} {name} {out} ({str(dtype)[6:]}, dry run at "
                  f"{small[:7]}): eager rel_err {relative_error(value, truth):.1e}, floor "
                  f"{floor_bytes(shape, out) / 4.22e12 * 1e6:.1f} us at 4.22 TB/s")


def chart(rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    labels = [f"{r['shape']} {r['out']}" for r in rows]
    peers_seen = sorted({p for r in rows for p in r["peers"]})
    fig, ax = plt.subplots(figsize=(12, 5))
    width = 0.8 / (len(peers_seen) + 1)
    for i, peer in enumerate(["floor"] + peers_seen):
        values = []
        for r in rows:
            if peer == "floor":
                values.append(r["floor_us"])
                continue
            e = r["peers"].get(peer, {})
            values.append(e.get("graph_us", e.get("called_us", math.nan)))
        ax.bar([j + i * width for j in range(len(rows))], values, width, label=peer)
    ax.set_yscale("log")
    ax.set_xticks([j + 0.4 for j in range(len(rows))], labels, rotation=20)
    ax.set_ylabel("us (graph replay where there is one)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    main()
