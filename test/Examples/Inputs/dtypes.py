"""Inputs and the exact check of test/Examples/dtypes.test: y = float32(0.3) * x,
computed in f32 from x widened, rounded to nearest even into x's type. bf16
travels in .npy files as its bits (uint16)."""
import sys

import numpy as np


def to_bf16_bits(values):
    """float32 -> bfloat16 bits, rounded to nearest even (no NaN here)."""
    bits = values.astype(np.float32).view(np.uint32).astype(np.uint64)
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)


def from_bf16_bits(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def main(mode, directory):
    path = lambda name: f"{directory}/{name}.npy"
    if mode == "inputs":
        x = np.random.default_rng(5).standard_normal(1000).astype(np.float32) * 100
        np.save(path("x_f32"), x)
        np.save(path("x_f16"), x.astype(np.float16))
        np.save(path("x_bf16"), to_bf16_bits(x))
        return
    scale = np.float32(0.3)
    x32 = np.load(path("x_f32"))
    want = {"f32": (scale * x32).view(np.uint32),
            "f16": (scale * np.load(path("x_f16")).astype(np.float32)).astype(np.float16)
                   .view(np.uint16),
            "bf16": to_bf16_bits(scale * from_bf16_bits(np.load(path("x_bf16"))))}
    for name, expected in want.items():
        got = np.load(path("y_" + name))
        got = got.view(np.uint32) if name == "f32" else got.view(np.uint16)
        print(name, "mismatches", int((got != expected).sum()))


main(sys.argv[1], sys.argv[2])
