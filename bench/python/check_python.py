"""The `ssdc` Python package on a GPU (scripts/gpu-python.sh runs it after
building the package with the documented command):

 1. KernelBench level 3 problems 48/49 the way KernelBench judges them: the
    reference Model and ssdc.torch's module built from the same seed with
    get_init_inputs(), 5 trials with fresh seeds of get_inputs()
    (torch.rand X), torch.allclose(atol=1e-4, rtol=1e-4) in fp32, at batch
    2048 (KernelBench's current shape) and 16 (the old one); the float64
    error of both is reported beside it, and the same allclose check of the
    reference itself: the fp32 Model against float64 and the Model on the CPU
    against the GPU (KernelBench's randn A makes sums of terms up to 1e16
    that cancel: bench/python/kb_agreement.py, docs/python.md);
 2. ssdc.ssd.chunk_scan against the float64 recurrence with every option,
    fp32 and bf16, outputs checked for NaN;
 3. a package kernel (stage/packages/segsum_exp.ssdcpkg) on torch tensors,
    on a DLPack-only wrapper (what JAX gives) and on CuPy arrays if CuPy is
    installed;
 4. the SSD inside torch.compile(fullgraph=True) and inside a captured CUDA
    graph (replayed on new inputs);
 5. the host time per call from Python (run first: see main()).

    python3 bench/python/check_python.py [--quick]

Prints one line per check and a table last; exits 1 on any failure.
"""
import argparse
import os
import sys

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python-bindings", "tests"))
from reference import KernelBenchModel, OnlyDlpack, mamba_inputs, ssd_recurrence  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from host_time import per_call  # noqa: E402
from kb_agreement import compare  # noqa: E402

import ssdc  # noqa: E402
import ssdc.torch  # noqa: E402

rows = []  # (check, result, detail)


def record(check, ok, detail):
    result = ok if isinstance(ok, str) else ("PASS" if ok else "FAIL")
    rows.append((check, result, detail))
    print(f"{result} {check}: {detail}", flush=True)


def guarded(check):
    def wrap(function):
        def run(*args):
            try:
                function(*args)
            except Exception as error:  # noqa: BLE001 - report, go on
                record(check, False, f"{type(error).__name__}: {error}")
        return run
    return wrap


def set_seed(seed):
    torch.manual_seed(seed)
    torch.cuda.manual_seed(seed)


def kernelbench(batch, final_state, trials=5, seed=42):
    """KernelBench's run_and_check_correctness for one problem and shape."""
    name = f"KB-{49 if final_state else 48} batch {batch}"
    init_inputs = [batch, 128, 8, 64, 16, 64]  # get_init_inputs()
    module = ssdc.torch.Mamba2ReturnFinalState if final_state else ssdc.torch.Mamba2ReturnY
    set_seed(seed)
    reference = KernelBenchModel(*init_inputs, final_state=final_state).cuda()
    set_seed(seed)
    ours = module(*init_inputs).cuda()
    same = all(torch.equal(ours.state_dict()[k], v) for k, v in reference.state_dict().items())
    torch.manual_seed(seed)
    trial_seeds = [torch.randint(0, 2**32 - 1, (1,)).item() for _ in range(trials)]
    passed, worst, rel32, rel64 = 0, 0.0, 0.0, 0.0
    # The same check of the reference itself (docs/python.md, "KernelBench's
    # own inputs"): the fp32 Model against the float64 Model, and the Model
    # on the CPU against the Model on the GPU (first trial: the CPU is slow).
    reference_passed, reference_off, ours_off, elements, cpu_vs_gpu = 0, 0, 0, 0, None
    with torch.no_grad():
        truth_model = KernelBenchModel(*init_inputs, final_state=final_state).cuda().double()
        truth_model.load_state_dict(reference.state_dict())
        for trial, trial_seed in enumerate(trial_seeds):
            set_seed(trial_seed)
            X = torch.rand(batch, 128, 8, 64).cuda()  # get_inputs()
            expected, got = reference(X), ours(X)
            torch.cuda.synchronize()
            ok = got.shape == expected.shape and torch.allclose(got, expected, atol=1e-4,
                                                                rtol=1e-4)
            passed += ok
            worst = max(worst, (got - expected).abs().max().item())
            ours_off += compare(got, expected, None, None)["failing"]
            truth = truth_model(X.double())
            norm = truth.norm().item()
            rel32 = max(rel32, ((expected.double() - truth).norm() / norm).item())
            rel64 = max(rel64, ((got.double() - truth).norm() / norm).item())
            versus64 = compare(expected, truth, truth, None)
            reference_passed += versus64["passed"]
            reference_off += versus64["failing"]
            elements += versus64["elements"]
            if trial == 0:
                on_cpu = KernelBenchModel(*init_inputs, final_state=final_state)
                on_cpu.load_state_dict(reference.state_dict())
                cpu_vs_gpu = compare(on_cpu(X.cpu()), expected.cpu(), None, None)
                del on_cpu
            del truth, expected, got
    record(name, passed == trials and same,
           f"{passed}/{trials} trials allclose(1e-4) to KernelBench's fp32 Model (same "
           f"parameters: {same}), {ours_off}/{elements} elements off; max abs diff "
           f"{worst:.2e}; rel-norm error vs float64: ssdc {rel64:.1e}, KernelBench's fp32 "
           f"Model {rel32:.1e}")
    record(f"{name} reference itself", "INFO",
           f"KernelBench's fp32 Model vs the float64 Model: {reference_passed}/{trials} trials "
           f"allclose(1e-4), {reference_off}/{elements} elements off; the Model on the CPU vs "
           f"on the GPU (trial 1): {'PASS' if cpu_vs_gpu['passed'] else 'FAIL'}, "
           f"{cpu_vs_gpu['failing']}/{cpu_vs_gpu['elements']} elements off, max abs diff "
           f"{cpu_vs_gpu['max_abs_diff']:.2e}")
    plan = list(ssdc.ssd._plans.values())[-1]  # made by this problem's first trial
    record(f"{name} configs", "INFO", plan.forward.describe_configs().replace("\n", "; "))
    del reference, ours, truth_model
    torch.cuda.empty_cache()


CASES = [  # (name, (b, s, h, p, n, g, chunk), options)
    ("plain", (2, 130, 4, 32, 16, 4, 64), ()),
    ("D-z-bias-softplus-init", (3, 100, 6, 24, 12, 2, 48), ("D", "z", "bias", "softplus",
                                                            "init")),
    ("Dp-strided", (2, 77, 4, 40, 20, 4, 33), ("Dp", "z", "strided")),
    ("g1-partial", (5, 301, 7, 17, 9, 1, 100), ("D", "bias", "softplus")),
    ("chunk1", (2, 9, 3, 8, 4, 3, 1), ("init",)),
    ("layer-shape", (1, 512, 8, 64, 128, 1, 256), ("D", "z", "bias", "softplus")),
]


@guarded("chunk_scan")
def chunk_scan_case(name, shape, options, dtype, seed):
    label = f"chunk_scan {name} {str(dtype).replace('torch.', '')}"
    t = mamba_inputs(shape[:6], options, seed, "cuda", dtype)
    chunk = shape[6]
    args = dict(t)
    try:
        y, final = ssdc.ssd.chunk_scan(args.pop("x"), args.pop("dt"), args.pop("A"),
                                       args.pop("B"), args.pop("C"), chunk, **args,
                                       return_final_states=True)
    except NotImplementedError as error:
        record(label, "NOTE" if dtype != torch.float32 else "FAIL",
               f"NotImplementedError: {error}")
        return
    torch.cuda.synchronize()
    truth_y, truth_final = ssd_recurrence(**t)
    tolerance = 1e-4 if dtype == torch.float32 else 1e-2
    problems = []
    for what, value, truth in (("y", y, truth_y), ("final", final, truth_final)):
        value = value.double()
        if not torch.isfinite(value).all():
            problems.append(f"{what} has NaN/Inf")
            continue
        diff = (value - truth).abs()
        if not bool((diff <= tolerance + tolerance * truth.abs()).all()):
            problems.append(f"{what} not allclose({tolerance}): max abs err "
                            f"{diff.max().item():.2e}")
        else:
            problems.append(f"{what} rel-norm {(diff.norm() / truth.norm()).item():.1e}")
    record(label, not any("not" in p or "NaN" in p for p in problems), "; ".join(problems))


@guarded("package kernel on torch / DLPack / CuPy")
def package_kernel():
    path = os.path.join(ROOT, "stage", "packages", "segsum_exp.ssdcpkg")
    kernel = ssdc.load(path).kernel("segsum_exp")
    B, T = 3, 300
    cs = torch.cumsum(torch.rand(B, T, device="cuda") - 0.5, dim=1)
    truth = torch.exp(cs.double()[:, :, None] - cs.double()[:, None, :]).tril()
    out = torch.full((B, T, T), float("nan"), device="cuda")
    stream = torch.cuda.Stream()
    with torch.cuda.stream(stream):  # the launch follows torch's current stream
        report = kernel(cs, out, B, T)
    stream.synchronize()
    ok = torch.allclose(out.double(), truth, atol=1e-5, rtol=1e-4)
    record("kernel on torch tensors", ok,
           f"segsum_exp {report['config']} ({report['source']}), grid {report['grid']}")

    out.fill_(float("nan"))
    kernel(OnlyDlpack(cs), OnlyDlpack(out), B, T)
    torch.cuda.synchronize()
    record("kernel on DLPack-only arrays", torch.allclose(out.double(), truth, atol=1e-5,
                                                          rtol=1e-4), "torch through __dlpack__")
    try:
        import cupy
    except ImportError:
        record("kernel on CuPy arrays", "SKIP", "CuPy is not installed")
        return
    cs_cp = cupy.asarray(cs.cpu().numpy())
    out_cp = cupy.full((B, T, T), cupy.nan, dtype=cupy.float32)
    kernel(cs_cp, out_cp, B, T)
    cupy.cuda.get_current_stream().synchronize()
    got = torch.from_numpy(cupy.asnumpy(out_cp)).cuda()
    record("kernel on CuPy arrays", torch.allclose(got.double(), truth, atol=1e-5, rtol=1e-4),
           "through __cuda_array_interface__, CuPy's current stream")
    out_cp.fill(cupy.nan)
    kernel(OnlyDlpack(cs_cp), OnlyDlpack(out_cp), B, T)  # CuPy's own DLPack export
    torch.cuda.synchronize()
    cupy.cuda.get_current_stream().synchronize()
    got = torch.from_numpy(cupy.asnumpy(out_cp)).cuda()
    record("kernel on CuPy arrays through DLPack",
           torch.allclose(got.double(), truth, atol=1e-5, rtol=1e-4), "CuPy's __dlpack__")


@guarded("torch.compile")
def compiled():
    if not hasattr(torch, "compile"):
        record("torch.compile", "SKIP", f"torch {torch.__version__} has no torch.compile")
        return
    t, chunk = mamba_inputs((2, 200, 4, 32, 16, 2), ("D", "z", "bias", "softplus"), 7,
                            "cuda"), 64

    def layer(x, dt, A, B, C, D, z, dt_bias):
        y = ssdc.ssd.chunk_scan(x * 2, dt, A, B, C, chunk, D=D, z=z, dt_bias=dt_bias,
                                dt_softplus=True)
        return y.sum(-1)

    args = (t["x"], t["dt"], t["A"], t["B"], t["C"], t["D"], t["z"], t["dt_bias"])
    eager = layer(*args)
    graph = torch.compile(layer, fullgraph=True)(*args)  # fullgraph: a break is an error
    model = ssdc.torch.Mamba2ReturnY(16, 128, 8, 64, 16, 64).cuda()
    X = torch.rand(16, 128, 8, 64, device="cuda")
    with torch.no_grad():
        module_ok = torch.allclose(torch.compile(model, fullgraph=True)(X), model(X),
                                   atol=1e-6, rtol=1e-6)
    torch.cuda.synchronize()
    record("torch.compile", torch.allclose(graph, eager, atol=1e-5, rtol=1e-5) and module_ok,
           "chunk_scan and Mamba2ReturnY in fullgraph=True graphs (no graph break), equal to "
           "eager")


@guarded("CUDA graph")
def cuda_graph():
    shape, options, chunk = (2, 200, 4, 32, 16, 2), ("D", "z", "init"), 64
    t = mamba_inputs(shape, options, 8, "cuda")
    fresh = mamba_inputs(shape, options, 9, "cuda")

    def run(s):
        return ssdc.ssd.chunk_scan(s["x"], s["dt"], s["A"], s["B"], s["C"], chunk, D=s["D"],
                                   z=s["z"], initial_states=s["initial_states"],
                                   return_final_states=True)

    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        run(t)  # the first call of a problem tunes: before capture
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        y, final = run(t)
    for name, value in fresh.items():
        if isinstance(value, torch.Tensor):
            t[name].copy_(value)
    graph.replay()
    torch.cuda.synchronize()
    expected_y, expected_final = run(fresh)
    ok = (torch.allclose(y, expected_y, atol=1e-6, rtol=1e-6)
          and torch.allclose(final, expected_final, atol=1e-6, rtol=1e-6))
    record("CUDA graph", ok, "chunk_scan captured, replayed on new inputs: equal to eager")


@guarded("host time")
def host_times():
    b, s, h, p, n = 1, 64, 2, 16, 16
    X = torch.rand(b, s, h, p, device="cuda")
    A, B = torch.randn(b, s, h, device="cuda") * 0.1, torch.randn(b, s, h, n, device="cuda")
    t, chunk = mamba_inputs((1, 64, 2, 16, 16, 1), ("D", "z", "bias", "softplus"), 10,
                            "cuda"), 64
    times = {
        "kernelbench 49": lambda: ssdc.ssd.kernelbench(X, A, B, B, 64,
                                                                  return_final_state=True),
        "kernelbench 48": lambda: ssdc.ssd.kernelbench(X, A, B, B, 64),
        "chunk_scan D,z,dt_bias,softplus": lambda: ssdc.ssd.chunk_scan(
            t["x"], t["dt"], t["A"], t["B"], t["C"], chunk, D=t["D"], z=t["z"],
            dt_bias=t["dt_bias"], dt_softplus=True),
    }
    if hasattr(torch.ops, "ssdc") and hasattr(torch.ops.ssdc, "kernelbench"):
        times["torch.ops.ssdc.kernelbench 48 (custom op dispatch)"] = \
            lambda: torch.ops.ssdc.kernelbench(X, A, B, B, 64, None, False)
    empty = torch.empty  # what allocating one output costs, for scale
    times["torch.empty on CUDA (for scale)"] = lambda: empty((b, s, h, p), device="cuda")
    for label, call in times.items():
        micros = per_call(call, 3000)
        target = label.startswith(("kernelbench", "chunk_scan"))
        record(f"host time: {label}", (micros < 15) if target else "INFO",
               f"{micros:.1f} µs per call from Python" + (" (target < 15 µs)" if target else ""))


@guarded("C++ hot path")
def fast_path():
    """ssdc._torch_fast takes a tuned problem's calls: its outputs equal the
    Python path's bit for bit (the same plan and kernels), it takes a call
    only once the Python path has made and registered that problem's plan
    (a strided view or a new shape is another problem), and
    clear_plans() forgets its plans too."""
    fast = ssdc.ssd._fast
    if fast is None:
        record("C++ hot path", False, "ssdc._torch_fast is not in this build (docs/python.md)")
        return
    inf = float("inf")
    t = mamba_inputs((2, 96, 4, 16, 8, 2), ("D", "z", "bias", "softplus"), 11, "cuda")
    wide = torch.randn(2, 96, 4, 24, device="cuda")
    strided = wide[..., :16]  # another problem: x's strides differ

    def raw(x):  # forward() as ssdc.ssd calls it, through the C++ path alone
        return fast.forward(True, x, t["dt"], t["A"], t["B"], t["C"], 32, t["D"], t["z"],
                            t["dt_bias"], None, True, True, True, 0.0, inf)

    def public(x):
        return ssdc.ssd.chunk_scan(x, t["dt"], t["A"], t["B"], t["C"], 32, D=t["D"], z=t["z"],
                                   dt_bias=t["dt_bias"], dt_softplus=True,
                                   return_final_states=True)
    problems = []
    ssdc.ssd.clear_plans()
    for label, x in (("contiguous", t["x"]), ("strided view", strided)):
        before = raw(x)  # None: the plan is not made yet
        expected = public(x)  # the Python path: makes, tunes and registers the plan
        got = raw(x)
        torch.cuda.synchronize()
        if before is not None:
            problems.append(f"{label}: taken before its plan was made")
        elif got is None:
            problems.append(f"{label}: not taken after the Python path registered it")
        elif not all(torch.equal(a, b) for a, b in zip(got, expected)):
            problems.append(f"{label}: outputs differ from the Python path's")
    ssdc.ssd.clear_plans()
    if raw(t["x"]) is not None:
        problems.append("still taken after clear_plans()")
    record("C++ hot path", not problems,
           "; ".join(problems) or "equal to the Python path bit for bit (contiguous and a "
           "strided view of x); calls taken only once registered; clear_plans() forgets them")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip batch 2048")
    args = parser.parse_args()
    print(f"ssdc from {os.path.dirname(ssdc.__file__)}; torch {torch.__version__}; "
          f"{torch.cuda.get_device_name()}", flush=True)
    # Host time first: the reference checks below run the Model on the CPU,
    # whose threads stay busy for a while and slowed the host timings by ~2x
    # when they ran last (bench/results/2026-12-02-h200-python-host-time.txt).
    host_times()
    fast_path()
    for batch in ((16,) if args.quick else (2048, 16)):
        for final_state in (False, True):
            guarded(f"KB-{49 if final_state else 48} batch {batch}")(kernelbench)(
                batch, final_state)
    for index, (name, shape, options) in enumerate(CASES):
        for dtype in (torch.float32, torch.bfloat16):
            chunk_scan_case(name, shape, options, dtype, 100 + index)
    package_kernel()
    compiled()
    cuda_graph()
    print("\n| check | result | detail |\n|---|---|---|")
    for check, result, detail in rows:
        print(f"| {check} | {result} | {detail} |")
    failed = sum(result == "FAIL" for _, result, _ in rows)
    print(f"\npython-gpu: {sum(r == 'PASS' for _, r, _ in rows)} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
