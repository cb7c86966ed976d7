"""Launches one examples/matmul package's kernel, or bench.py's Triton peer
at a config, on a SIZE^3 problem a few times, for a profiler to read (ncu -k
regex:matmul --launch-skip 2 --launch-count 1 ...: the kernel filter keeps
the inputs' set-up kernels out).

    python3 bench/matmul/launch_one.py DTYPE (--package P --kernel K | --triton CONFIG)
        [--size SIZE] [--stage stage]

CONFIG is an ssdc config string (BM=..,BN=..,BK=..,num_warps=..,num_stages=..).
"""
import argparse
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench import Runtime, matmul_inputs, triton_peer  # noqa: E402


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dtype", choices=["float32", "bfloat16", "float16"])
    parser.add_argument("--package", type=pathlib.Path)
    parser.add_argument("--kernel")
    parser.add_argument("--triton", metavar="CONFIG")
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--stage", type=pathlib.Path, default=pathlib.Path("stage"))
    options = parser.parse_args(argv)
    if bool(options.triton) == bool(options.package and options.kernel):
        parser.error("give either --package and --kernel, or --triton")
    size = options.size
    a, b = matmul_inputs(size, getattr(torch, options.dtype), seed=1)
    if options.triton:
        params = {k: int(v) for k, v in (item.split("=") for item in options.triton.split(","))}
        precision = "ieee" if options.dtype == "float32" else None
        run = lambda: triton_peer(a, b, params, precision, params["num_stages"])
    else:
        runtime = Runtime(options.stage / "lib" / "libssdc.so")
        c = torch.empty(size * size, device="cuda")
        args = Runtime.args(a=a, b=b, c=c, M=size, N=size, K=size)
        run = runtime.launcher(runtime.package(options.package), options.kernel, args)
    for _ in range(4):
        run()
    torch.cuda.synchronize()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
