"""Launches one examples/matmul package's kernel on a SIZE^3 problem, a few
times, for a profiler to read (ncu --launch-skip 2 --launch-count 1 ...).

    python3 bench/matmul/launch_one.py PACKAGE KERNEL DTYPE [SIZE] [--stage stage]
"""
import argparse
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench import Runtime, matmul_inputs  # noqa: E402


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", type=pathlib.Path)
    parser.add_argument("kernel")
    parser.add_argument("dtype", choices=["float32", "bfloat16", "float16"])
    parser.add_argument("size", type=int, nargs="?", default=4096)
    parser.add_argument("--stage", type=pathlib.Path, default=pathlib.Path("stage"))
    options = parser.parse_args(argv)
    runtime = Runtime(options.stage / "lib" / "libssdc.so")
    a, b = matmul_inputs(options.size, getattr(torch, options.dtype), seed=1)
    c = torch.empty(options.size * options.size, device="cuda")
    args = Runtime.args(a=a, b=b, c=c, M=options.size, N=options.size, K=options.size)
    run = runtime.launcher(runtime.package(options.package), options.kernel, args)
    for _ in range(4):
        run()
    torch.cuda.synchronize()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
