"""Issue 9's benchmark table on the GPU, side by side in one run: examples/matmul
at 4096^3 (fp32 ieee/tf32/tf32x3/bf16x3, bf16/f16 built for sm_90a, bf16 built for
sm_80) against torch.matmul (cuBLAS; TF32 off for the fp32 rows) and a Triton
matmul of the same tiles; segsum_exp against the hand-written Triton kernel
of bench/peers; a row-wise cumsum of (4096, 256) fp32 against a copy.

    python3 bench/matmul/bench.py [--stage stage] [--json OUT.json] [--rows ROW,...]

--rows runs only those rows (MATMUL_ROWS' names, segsum_exp, cumsum), so that
a run can be split over calls of the GPU tool; the table then shows the rows
whose cases ran.

The ssdc kernels are the single-config packages bench/matmul/stage.sh
compiled (scripts/stage-gpu.sh calls it), launched through libssdc.so's C
API (include/ssdc-c/runtime.h) by ctypes on torch's stream. Every case is
timed by triton.testing.do_bench (median of repeated launches, L2 flushed
before each), in two passes over all cases, and once more as a CUDA-graph
replay (triton.testing.do_bench_cudagraph; printed beside each case, not used
by the table); every ssdc result is checked
against float64 first. Errors are max |C - AB| / (|A| |B|) against float64
at 1024^3. Prints the JSON's path and a markdown table last, each row's
figure against its target.
"""
import argparse
import ctypes
import json
import pathlib
import sys
import time

import torch
import triton
import triton.language as tl

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "ssd"))
sys.path.insert(0, str(ROOT / "bench" / "peers"))
from ssdc_forward import DeviceOptions, SsdcError  # noqa: E402  (the C API's options struct)
import segsum_exp_peers  # noqa: E402

ELEMENT_TYPES = {torch.float32: 0, torch.float16: 1, torch.bfloat16: 2}
ARG_BUFFER, ARG_INT = 0, 1
TUNING_OFF = 1
MATMUL_SIZE, ERROR_SIZE = 4096, 1024
# The error an ssdc result may have before its timing is void: an fp32 sum's
# (bf16/f16 products are exact in fp32, tf32x3 about as accurate), and for
# tf32 two operands rounded to 10 mantissa bits (2 x 2^-11), for bf16x3 two
# operands kept to 16 bits (2 x 2^-17, with room).
TOLERANCES = {"f32_tf32": 2e-3, "f32_tf32_sm90a": 2e-3, "f32_bf16x3": 1e-4}


class Arg(ctypes.Structure):
    """ssdc_arg_t of include/ssdc-c/runtime.h, field for field."""
    _fields_ = [("name", ctypes.c_char_p), ("kind", ctypes.c_int32), ("type", ctypes.c_int32),
                ("data", ctypes.c_void_p), ("count", ctypes.c_uint64), ("value", ctypes.c_int64),
                ("real", ctypes.c_double)]


class LaunchConfig(ctypes.Structure):
    _fields_ = [("grid", ctypes.c_uint64 * 3), ("block", ctypes.c_uint32 * 3),
                ("shared_bytes", ctypes.c_uint32)]


class Runtime:
    """The few calls of ssdc-c/runtime.h the benchmark needs."""

    def __init__(self, lib_path, open_device=True):
        lib = ctypes.CDLL(str(lib_path))
        handle_out = ctypes.POINTER(ctypes.c_void_p)
        signatures = {
            "ssdc_status_message": (ctypes.c_char_p, [ctypes.c_void_p]),
            "ssdc_status_free": (None, [ctypes.c_void_p]),
            "ssdc_package_load_file": (ctypes.c_void_p, [ctypes.c_char_p, handle_out]),
            "ssdc_package_launch_config": (ctypes.c_void_p, [
                ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32, ctypes.POINTER(Arg),
                ctypes.c_size_t, ctypes.POINTER(LaunchConfig)]),
            "ssdc_device_options_initialize": (None, [ctypes.POINTER(DeviceOptions)]),
            "ssdc_device_open": (ctypes.c_void_p, [ctypes.POINTER(DeviceOptions), handle_out]),
            "ssdc_kernel_create": (ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_void_p,
                                                     ctypes.c_char_p, handle_out]),
            "ssdc_kernel_launch": (ctypes.c_void_p, [ctypes.c_void_p, ctypes.POINTER(Arg),
                                                     ctypes.c_size_t, ctypes.c_void_p,
                                                     ctypes.c_void_p]),
        }
        for name, (restype, argtypes) in signatures.items():
            getattr(lib, name).restype = restype
            getattr(lib, name).argtypes = argtypes
        self.lib = lib
        self.device = ctypes.c_void_p()
        if open_device:
            torch.cuda.init()  # the runtime shares torch's primary context
            options = DeviceOptions()
            lib.ssdc_device_options_initialize(ctypes.byref(options))
            options.tuning = TUNING_OFF  # each package has one config
            options.cache_directory = b""
            self.check(lib.ssdc_device_open(ctypes.byref(options), ctypes.byref(self.device)))

    def check(self, status):
        if status:
            message = self.lib.ssdc_status_message(status).decode()
            self.lib.ssdc_status_free(status)
            raise SsdcError(message)

    def package(self, path):
        handle = ctypes.c_void_p()
        self.check(self.lib.ssdc_package_load_file(str(path).encode(), ctypes.byref(handle)))
        return handle

    @staticmethod
    def args(**values):
        """Named arguments: torch tensors are buffers, ints are ints."""
        array = (Arg * len(values))()
        for slot, (name, value) in zip(array, values.items()):
            slot.name = name.encode()
            if isinstance(value, torch.Tensor):
                slot.kind, slot.type = ARG_BUFFER, ELEMENT_TYPES[value.dtype]
                slot.data, slot.count = value.data_ptr(), value.numel()
            else:
                slot.kind, slot.value = ARG_INT, value
        return array

    def shared_bytes(self, package, kernel, args):
        config = LaunchConfig()
        self.check(self.lib.ssdc_package_launch_config(package, kernel.encode(), 0, args,
                                                       len(args), ctypes.byref(config)))
        return config.shared_bytes

    def launcher(self, package, kernel, args):
        handle = ctypes.c_void_p()
        self.check(self.lib.ssdc_kernel_create(self.device, package, kernel.encode(),
                                               ctypes.byref(handle)))
        launch = self.lib.ssdc_kernel_launch

        def run():
            self.check(launch(handle, args, len(args),
                              ctypes.c_void_p(torch.cuda.current_stream().cuda_stream), None))
        run.keep_alive = args
        return run


def read_manifest(stage):
    rows = []
    for line in (stage / "bench" / "manifest.tsv").read_text().splitlines():
        row, kernel, config, package = line.split("\t")
        values = dict(item.split("=") for item in config.split(","))
        rows.append(dict(row=row, kernel=kernel, config=config,
                         params={k: int(v) for k, v in values.items()},
                         package=stage / "bench" / package))
    return rows


@triton.jit
def triton_matmul(a_ptr, b_ptr, c_ptr, M, N, K, BM: tl.constexpr, BN: tl.constexpr,
                  BK: tl.constexpr, PRECISION: tl.constexpr):
    # The same program as examples/matmul: one BM x BN tile of C per
    # program, row-major operands, masked edges, no grouped ordering.
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rn = tl.program_id(1) * BN + tl.arange(0, BN)
    rk = tl.arange(0, BK)
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k0 in range(0, K, BK):
        a = tl.load(a_ptr + rm[:, None] * K + (k0 + rk)[None, :],
                    mask=(rm[:, None] < M) & ((k0 + rk)[None, :] < K), other=0.0)
        b = tl.load(b_ptr + (k0 + rk)[:, None] * N + rn[None, :],
                    mask=((k0 + rk)[:, None] < K) & (rn[None, :] < N), other=0.0)
        acc = tl.dot(a, b, acc, input_precision=PRECISION)
    tl.store(c_ptr + rm[:, None] * N + rn[None, :], acc, mask=(rm[:, None] < M) & (rn[None, :] < N))


@triton.jit
def triton_cumsum_rows(x_ptr, y_ptr, R, C: tl.constexpr, BLOCK_R: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_R + tl.arange(0, BLOCK_R)
    cols = tl.arange(0, C)
    mask = rows[:, None] < R
    x = tl.load(x_ptr + rows[:, None] * C + cols[None, :], mask=mask, other=0.0)
    tl.store(y_ptr + rows[:, None] * C + cols[None, :], tl.cumsum(x, axis=1), mask=mask)


# Each matmul row: its operand dtype, the Triton/torch precision, and the
# torch peer's name.
MATMUL_ROWS = {
    "bf16_sm90a": (torch.bfloat16, None),
    "f16_sm90a": (torch.float16, None),
    "bf16_sm80": (torch.bfloat16, None),
    "f32_ieee": (torch.float32, "ieee"),
    "f32_tf32": (torch.float32, "tf32"),
    "f32_tf32_sm90a": (torch.float32, "tf32"),  # wgmma m64nNk8
    "f32_tf32x3": (torch.float32, "tf32x3"),
    "f32_tf32x3_sm90a": (torch.float32, "tf32x3"),  # wgmma, parts split in the rings
    "f32_bf16x3": (torch.float32, "bf16x3"),  # Triton's peer only where it has bf16x3
}


def matmul_inputs(size, dtype, seed):
    generator = torch.Generator(device="cuda").manual_seed(seed)
    a = torch.randn(size, size, device="cuda", generator=generator).to(dtype)
    b = torch.randn(size, size, device="cuda", generator=generator).to(dtype)
    return a, b


def relative_error(c, a, b):
    """max |C - AB| / (|A| |B|), in float64."""
    a64, b64 = a.double(), b.double()
    return ((c.double() - a64 @ b64).abs() / (a64.abs() @ b64.abs())).max().item()


def torch_matmul(a, b, precision):
    torch.backends.cuda.matmul.allow_tf32 = precision == "tf32"
    return torch.matmul(a, b)


def triton_peer(a, b, params, precision, stages):
    """C = A B by bench's Triton matmul, and the compiled kernel."""
    size = a.shape[0]
    c = torch.empty(size, size, device="cuda", dtype=torch.float32)
    grid = (triton.cdiv(size, params["BM"]), triton.cdiv(size, params["BN"]))
    compiled = triton_matmul[grid](a, b, c, size, size, size, BM=params["BM"], BN=params["BN"],
                                   BK=params["BK"], PRECISION=precision,
                                   num_warps=params["num_warps"], num_stages=stages)
    return c, compiled


def tensor_core_kind(compiled):
    """The tensor-core instructions of a compiled Triton kernel, from its PTX:
    on the H200 Triton runs wgmma wherever it can, the mma.sync row's and the
    tf32 rows' configs included, so a row's Triton figure may not be the
    instruction ssdc's row runs."""
    ptx = getattr(compiled, "asm", {}).get("ptx", "")
    if not ptx:
        return "instructions unknown"
    if "wgmma.mma_async" in ptx:
        return "wgmma"
    return "mma.sync" if "mma.sync" in ptx else "no tensor cores"


class Bench:
    def __init__(self, runtime, entries):
        self.runtime = runtime
        self.entries = entries
        self.cases = []  # dict(row, impl, config, fn, flops or bytes, extra)
        self.packages = {}

    def ssdc(self, entry, **args):
        if entry["package"] not in self.packages:
            self.packages[entry["package"]] = self.runtime.package(entry["package"])
        package = self.packages[entry["package"]]
        array = Runtime.args(**args)
        run = self.runtime.launcher(package, entry["kernel"], array)
        run.tensors = args  # the launch holds raw pointers: keep the buffers alive
        return run, self.runtime.shared_bytes(package, entry["kernel"], array)

    def add(self, row, impl, config, fn, **extra):
        self.cases.append(dict(row=row, impl=impl, config=config, fn=fn, times_ms=[], **extra))

    def matmul_rows(self, rows):
        size = MATMUL_SIZE
        for row, (dtype, precision) in MATMUL_ROWS.items():
            if row not in rows:
                continue
            a, b = matmul_inputs(size, dtype, seed=1)
            small_a, small_b = matmul_inputs(ERROR_SIZE, dtype, seed=2)
            flops = 2 * size ** 3
            configs = [e for e in self.entries if e["row"] == row]
            for entry in configs:
                c = torch.full((size * size,), float("nan"), device="cuda")
                run, _ = self.ssdc(entry, a=a, b=b, c=c, M=size, N=size, K=size)
                run()
                error_4096 = relative_error(c.view(size, size), a, b)
                small_c = torch.full((ERROR_SIZE ** 2,), float("nan"), device="cuda")
                small_run, _ = self.ssdc(entry, a=small_a, b=small_b, c=small_c, M=ERROR_SIZE,
                                         N=ERROR_SIZE, K=ERROR_SIZE)
                small_run()
                error = relative_error(small_c.view(ERROR_SIZE, ERROR_SIZE), small_a, small_b)
                self.add(row, "ssdc", entry["config"], run, flops=flops, error=error,
                         checked_error=error_4096, params=entry["params"])
            cublas_precision = "ieee" if precision in ("tf32x3", "bf16x3") else precision
            self.add(row, "cublas", "torch.matmul" + (" (tf32)" if precision == "tf32" else ""),
                     lambda a=a, b=b, p=cublas_precision: torch_matmul(a, b, p), flops=flops,
                     error=relative_error(torch_matmul(small_a, small_b, cublas_precision).float(),
                                          small_a, small_b))
            self.triton_matmuls(row, configs, a, b, small_a, small_b, precision, flops)

    def triton_matmuls(self, row, configs, a, b, small_a, small_b, precision, flops):
        """Triton at each ssdc config: the same tiles, warps and num_stages
        (once for configs that differ only in ssdc's min_programs_per_sm)."""
        for entry in configs:
            if "min_programs_per_sm" in entry["params"]:
                continue
            stages = entry["params"].get("num_stages", 1)
            try:
                small_c, _ = triton_peer(small_a, small_b, entry["params"], precision, stages)
                error = relative_error(small_c, small_a, small_b)
                fn = lambda p=entry["params"], s=stages: triton_peer(a, b, p, precision, s)
                _, compiled = fn()
            except Exception as failure:  # a peer that does not compile is reported
                print(f"{row} triton {entry['config']}: {failure}", file=sys.stderr)
                continue
            self.add(row, "triton", entry["config"], fn, flops=flops, error=error,
                     kind=tensor_core_kind(compiled))

    def segsum_rows(self):
        for B, T in [(16, 1024), (512, 64)]:
            row = f"segsum_exp_B{B}_T{T}"
            cs = torch.empty(B, T, device="cuda").uniform_(-1.0, 0.25).cumsum(-1)
            for entry in (e for e in self.entries if e["row"] == "segsum_exp"):
                out = torch.full((B * T * T,), float("nan"), device="cuda")
                run, shared = self.ssdc(entry, cs=cs, out=out, B=B, T=T)
                run()
                error = segsum_exp_peers.max_rel_error(out.view(B, T, T), cs)
                self.add(row, "ssdc", entry["config"], run, bytes=out.numel() * 4,
                         error=error, checked_error=error, shared_bytes=shared)
            for bm, bn, warps in [(64, 64, 4), (128, 64, 8), (32, 128, 4)]:
                # cs bound now: the cases are timed after the loop, when the
                # name cs holds the last shape's input.
                fn = (lambda bm=bm, bn=bn, w=warps, cs=cs:
                      segsum_exp_peers.handwritten(cs, bm, bn, w))
                config = f"BLOCK_M={bm},BLOCK_N={bn},num_warps={warps}"
                error = segsum_exp_peers.max_rel_error(fn(), cs)
                # With BLOCK_M != BLOCK_N the hand-written kernel zeroes tiles
                # by comparing tile indices (seed 003's bug): it skips work it
                # owes, so its time is no speed to compare with.
                if not error <= TOLERANCES.get(row, 1e-5):
                    print(f"WRONG peer: {row} triton {config} error {error:.2e} (not timed)")
                    continue
                self.add(row, "triton", config, fn, bytes=B * T * T * 4, error=error)

    def cumsum_rows(self):
        R, C = 4096, 256
        x = torch.randn(R, C, device="cuda")
        truth = x.double().cumsum(-1)
        scale = x.double().abs().cumsum(-1)
        error = lambda y: ((y.double().view(R, C) - truth).abs() / scale).max().item()
        for entry in (e for e in self.entries if e["row"] == "cumsum"):
            y = torch.full((R * C,), float("nan"), device="cuda")
            run, shared = self.ssdc(entry, x=x, y=y, R=R, C=C)
            run()
            self.add("cumsum", "ssdc", entry["config"], run, bytes=2 * x.numel() * 4,
                     error=error(y), checked_error=error(y), shared_bytes=shared)
        y = torch.empty_like(x)
        self.add("cumsum", "copy", "y.copy_(x)", lambda: y.copy_(x), bytes=2 * x.numel() * 4)
        self.add("cumsum", "torch", "torch.cumsum", lambda: torch.cumsum(x, -1),
                 bytes=2 * x.numel() * 4, error=error(torch.cumsum(x, -1)))
        for block_r, warps in [(1, 2), (4, 4)]:
            fn = (lambda b=block_r, w=warps: triton_cumsum_rows[(triton.cdiv(R, b),)](
                x, y, R, C=C, BLOCK_R=b, num_warps=w))
            fn()
            self.add("cumsum", "triton", f"BLOCK_R={block_r},num_warps={warps}", fn,
                     bytes=2 * x.numel() * 4, error=error(y))

    def time(self, passes=2):
        for _ in range(passes):
            for case in self.cases:
                case["times_ms"].append(triton.testing.do_bench(case["fn"], warmup=10, rep=60,
                                                                return_mode="median"))
        # Each case once more as a CUDA-graph replay: the kernel without the
        # launch's host cost (a figure apart from the table's, which are as
        # called). A case that cannot be captured says why and goes on.
        for case in self.cases:
            try:
                case["graph_ms"] = triton.testing.do_bench_cudagraph(case["fn"], rep=60,
                                                                     return_mode="median")
            except Exception as failure:
                case["graph_ms"] = None
                print(f"{case['row']} {case['impl']} {case['config']}: no CUDA-graph time "
                      f"({failure})", file=sys.stderr)


def best(cases, row, impl_prefix):
    chosen = [c for c in cases if c["row"] == row and c["impl"].startswith(impl_prefix)]
    return min(chosen, key=lambda c: min(c["times_ms"]), default=None)


def tflops(case):
    return case["flops"] / min(case["times_ms"]) / 1e9


def figure_rows(cases):
    """(row, figure, target, met) for issue 9's table."""
    table = []

    ran = {c["row"] for c in cases}

    def ratio_row(label, row, target):
        if row not in ran:
            return
        ours, cublas = best(cases, row, "ssdc"), best(cases, row, "cublas")
        tiles = ",".join(item for item in ours["config"].split(",")
                         if not item.startswith("min_programs_per_sm="))
        tri = best([c for c in cases if c["config"] == tiles], row, "triton")
        ratio = tflops(ours) / tflops(cublas)
        detail = (f"{tflops(ours):.1f} TFLOP/s ({ours['config']}) = {100 * ratio:.0f}% of cuBLAS "
                  f"{tflops(cublas):.1f}")
        if tri:
            detail += f"; Triton same config {tflops(tri):.1f} ({tri['kind']})"
        table.append((label, detail, f">= {100 * target:.0f}% of cuBLAS", ratio >= target))

    ratio_row("bf16, sm_90a build", "bf16_sm90a", 0.85)
    ratio_row("f16, sm_90a build", "f16_sm90a", 0.85)
    ratio_row("bf16, mma.sync (sm_80 build)", "bf16_sm80", 0.60)
    ratio_row("fp32 ieee", "f32_ieee", 0.70)
    ieee = best(cases, "f32_ieee", "ssdc")
    for label, row, factor in [("fp32 tf32, sm_90 build (mma.sync)", "f32_tf32", 4),
                               ("fp32 tf32, sm_90a build (wgmma)", "f32_tf32_sm90a", 4),
                               ("fp32 tf32x3, sm_90 build (mma.sync)", "f32_tf32x3", 2),
                               ("fp32 tf32x3, sm_90a build (wgmma)", "f32_tf32x3_sm90a", 2)]:
        if row not in ran or ieee is None:
            continue
        ours = best(cases, row, "ssdc")
        speedup = tflops(ours) / tflops(ieee)
        detail = (f"{tflops(ours):.1f} TFLOP/s ({ours['config']}) = {speedup:.2f}x ieee; "
                  f"error {ours['error']:.2e} (ieee {ieee['error']:.2e})")
        tri = best([c for c in cases if c["config"] == ours["config"]], row, "triton")
        if tri:
            detail += f"; Triton same config {tflops(tri):.1f} ({tri['kind']})"
        met = speedup >= factor
        target = f">= {factor}x ieee"
        if MATMUL_ROWS[row][1] == "tf32x3":
            met = met and ours["error"] <= 2 * ieee["error"]
            target += ", error <= 2x ieee's"
        table.append((label, detail, target, met))
    for B, T in [(16, 1024), (512, 64)]:
        row = f"segsum_exp_B{B}_T{T}"
        if row not in ran:
            continue
        ours, tri = best(cases, row, "ssdc"), best(cases, row, "triton")
        us, tri_us = 1e3 * min(ours["times_ms"]), 1e3 * min(tri["times_ms"])
        detail = (f"{us:.1f} us ({ours['config']}, {ours['shared_bytes']} B shared) vs Triton "
                  f"{tri_us:.1f} us ({tri['config']})")
        if ours.get("graph_ms") and tri.get("graph_ms"):
            detail += (f"; as CUDA-graph replays {1e3 * ours['graph_ms']:.1f} vs "
                       f"{1e3 * tri['graph_ms']:.1f} us")
        table.append((f"segsum_exp B={B} T={T}", detail, "no shared memory, <= Triton",
                      ours["shared_bytes"] == 0 and us <= tri_us))
    if "cumsum" not in ran:
        return table
    ours, copy = best(cases, "cumsum", "ssdc"), best(cases, "cumsum", "copy")
    bandwidth = lambda case: case["bytes"] / min(case["times_ms"]) / 1e6  # GB/s
    ratio = bandwidth(ours) / bandwidth(copy)
    detail = (f"{bandwidth(ours):.0f} GB/s ({ours['config']}, {1e3 * min(ours['times_ms']):.1f} "
              f"us) = {100 * ratio:.0f}% of copy {bandwidth(copy):.0f} GB/s")
    table.append(("cumsum (4096, 256) fp32, last axis", detail, ">= 70% of copy", ratio >= 0.70))
    return table


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", type=pathlib.Path, default=ROOT / "stage")
    parser.add_argument("--json", type=pathlib.Path, default=pathlib.Path("matmul-bench.json"))
    parser.add_argument("--profile", default="", metavar="ROW,...",
                        help="also print each case's kernel device time per call in these rows "
                             "(torch.profiler): tells a slow kernel from a slow launch")
    every_row = [*MATMUL_ROWS, "segsum_exp", "cumsum"]
    parser.add_argument("--rows", default=",".join(every_row), metavar="ROW,...",
                        help="only these rows (default: all): " + ", ".join(every_row))
    options = parser.parse_args(argv)
    rows = set(filter(None, options.rows.split(",")))
    if rows - set(every_row):
        parser.error(f"unknown rows {', '.join(sorted(rows - set(every_row)))}; "
                     f"the rows are {', '.join(every_row)}")
    bench = Bench(Runtime(options.stage / "lib" / "libssdc.so"), read_manifest(options.stage))
    started = time.monotonic()
    phases = [lambda: bench.matmul_rows(rows)]
    phases += [bench.segsum_rows] if "segsum_exp" in rows else []
    phases += [bench.cumsum_rows] if "cumsum" in rows else []
    for phase in phases + [bench.time]:
        phase()
        print(f"phase done at {time.monotonic() - started:.0f} s", file=sys.stderr)
    torch.backends.cuda.matmul.allow_tf32 = False

    failures = [c for c in bench.cases if c["impl"] == "ssdc" and
                not c["checked_error"] <= TOLERANCES.get(c["row"], 1e-5)]
    records = [{k: v for k, v in c.items() if k != "fn"} for c in bench.cases]
    table = figure_rows(bench.cases)
    options.json.write_text(json.dumps(dict(device=torch.cuda.get_device_name(),
                                            cases=records, table=table), indent=1))
    print(f"\n{len(records)} cases, both passes in {options.json}")
    for case in bench.cases:
        figure = (f"{tflops(case):8.1f} TFLOP/s" if "flops" in case
                  else f"{case['bytes'] / min(case['times_ms']) / 1e6:8.0f} GB/s")
        times = " ".join(f"{1e3 * t:9.1f}" for t in case["times_ms"])
        error = f"{case['error']:.2e}" if "error" in case else ""
        graph = f"{1e3 * case['graph_ms']:9.1f}" if case.get("graph_ms") else "        -"
        print(f"{case['row']:22} {case['impl']:22} {case['config']:40} us {times} graph {graph} "
              f"{figure} err {error}")
    print("\n| row | measured (best of two passes) | target | met |\n|---|---|---|---|")
    for label, detail, target, met in table:
        print(f"| {label} | {detail} | {target} | {'yes' if met else 'no'} |")
    for row in filter(None, options.profile.split(",")):
        from profile_ssd import kernel_times  # bench/ssd: torch.profiler, µs per call
        for case in (c for c in bench.cases if c["row"] == row):
            kernels = ", ".join(f"{name[:40]} x{launches:g} {us:.1f} us"
                                for name, launches, us in kernel_times(case["fn"], 20))
            print(f"profile {row} {case['impl']} {case['config']}: {kernels}")
    for case in failures:
        print(f"WRONG: {case['row']} {case['config']} error {case['checked_error']:.2e}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
