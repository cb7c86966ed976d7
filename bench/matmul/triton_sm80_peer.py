"""The mma.sync peer of bench.py's "bf16, mma.sync (sm_80 build)" row: bench.py's
Triton matmul compiled for sm_80, where Triton runs mma.sync (on the H200 it takes
wgmma), and launched on this GPU from its PTX, which the driver compiles for the
device (as it does ssdc's sm_80 packages). Timed like bench.py (do_bench, median,
best of two passes) at 4096^3, checked against float64 at 1024^3.

    python3 bench/matmul/triton_sm80_peer.py [--size 4096] [CONFIG ...]

CONFIG: BM=..,BN=..,BK=..,num_warps=..,num_stages=.. (default: the row's configs).
"""
import argparse
import ctypes
import pathlib
import sys

import torch
import triton
from triton.backends.compiler import GPUTarget
from triton.compiler import ASTSource

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench import (ERROR_SIZE, matmul_inputs, relative_error, tensor_core_kind,  # noqa: E402
                   triton_matmul)

DEFAULT_CONFIGS = ["BM=128,BN=128,BK=32,num_warps=8,num_stages=3",
                   "BM=128,BN=128,BK=32,num_warps=8,num_stages=4"]
CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8


def compile_sm80(params):
    """The bf16 matmul compiled for sm_80."""
    signature = {"a_ptr": "*bf16", "b_ptr": "*bf16", "c_ptr": "*fp32", "M": "i32", "N": "i32",
                 "K": "i32", "BM": "constexpr", "BN": "constexpr", "BK": "constexpr",
                 "PRECISION": "constexpr"}
    constants = {"BM": params["BM"], "BN": params["BN"], "BK": params["BK"], "PRECISION": None}
    # As bench.py's launches specialize: pointers 16-byte aligned, sizes multiples of 16.
    source = ASTSource(fn=triton_matmul, signature=signature, constexprs=constants,
                       attrs={(i,): [["tt.divisibility", 16]] for i in range(6)})
    return triton.compile(source, target=GPUTarget("cuda", 80, 32),
                          options={"num_warps": params["num_warps"],
                                   "num_stages": params["num_stages"]})


class PtxKernel:
    """One entry of a PTX module, loaded through the CUDA driver into torch's
    context and launched on torch's stream."""

    def __init__(self, ptx, name, shared_bytes):
        self.cuda = ctypes.CDLL("libcuda.so.1")
        torch.zeros(1, device="cuda")  # makes torch's (primary) context current
        self.module, self.function = ctypes.c_void_p(), ctypes.c_void_p()
        self.check(self.cuda.cuModuleLoadData(ctypes.byref(self.module), ptx.encode() + b"\0"),
                   "cuModuleLoadData")
        self.check(self.cuda.cuModuleGetFunction(ctypes.byref(self.function), self.module,
                                                 name.encode()), "cuModuleGetFunction")
        self.check(self.cuda.cuFuncSetAttribute(
            self.function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, shared_bytes),
            "cuFuncSetAttribute")
        self.shared_bytes = shared_bytes

    @staticmethod
    def check(status, what):
        if status != 0:
            raise RuntimeError(f"{what}: CUresult {status}")

    def launcher(self, grid, threads, a, b, c, size):
        # a, b, c, M, N, K, then Triton's global and profile scratch pointers (unused here).
        values = [ctypes.c_uint64(a.data_ptr()), ctypes.c_uint64(b.data_ptr()),
                  ctypes.c_uint64(c.data_ptr()), ctypes.c_int32(size), ctypes.c_int32(size),
                  ctypes.c_int32(size), ctypes.c_uint64(0), ctypes.c_uint64(0)]
        params = (ctypes.c_void_p * len(values))(
            *[ctypes.cast(ctypes.byref(v), ctypes.c_void_p) for v in values])

        def run():
            self.check(self.cuda.cuLaunchKernel(
                self.function, grid[0], grid[1], 1, threads, 1, 1, self.shared_bytes,
                ctypes.c_void_p(torch.cuda.current_stream().cuda_stream), params, None),
                "cuLaunchKernel")
        run.keep_alive = (values, params, a, b, c)
        return run


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("configs", nargs="*", default=DEFAULT_CONFIGS)
    options = parser.parse_args(argv)
    size = options.size
    a, b = matmul_inputs(size, torch.bfloat16, seed=1)
    small_a, small_b = matmul_inputs(ERROR_SIZE, torch.bfloat16, seed=2)
    for config in options.configs:
        params = {k: int(v) for k, v in (item.split("=") for item in config.split(","))}
        compiled = compile_sm80(params)
        shared = compiled.metadata.shared
        kernel = PtxKernel(compiled.asm["ptx"], compiled.metadata.name, shared)
        threads = 32 * params["num_warps"]

        def launch(x, y, n):
            z = torch.empty(n, n, device="cuda", dtype=torch.float32)
            grid = (triton.cdiv(n, params["BM"]), triton.cdiv(n, params["BN"]))
            return kernel.launcher(grid, threads, x, y, z, n), z
        small_run, small_c = launch(small_a, small_b, ERROR_SIZE)
        small_run()
        error = relative_error(small_c, small_a, small_b)
        run, _ = launch(a, b, size)
        run()
        times = [triton.testing.do_bench(run, warmup=10, rep=60, return_mode="median")
                 for _ in range(2)]
        tflops = 2 * size ** 3 / min(times) / 1e9
        print(f"triton sm_80 ({tensor_core_kind(compiled)}) {config}: {shared} B shared, us "
              f"{' '.join(f'{1e3 * t:.1f}' for t in times)} {tflops:.1f} TFLOP/s err {error:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
