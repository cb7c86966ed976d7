"""Peers of kernels/segsum_exp.mlir on the GPU: PyTorch eager and a
hand-written Triton kernel of KernelBench level 3 problem 49's segsum + exp,
with its grid (a launch lambda with the wrong signature) fixed. Results
recorded before this name change call it triton-seed003.

    python3 bench/peers/segsum_exp_peers.py B T [B T ...]

Prints one line per shape and peer: the median time in microseconds from
triton.testing.do_bench, and the largest difference from the float64 truth
where the truth is a normal float (a sanity check that each peer computes the
same function as ssdc's kernel).
"""
import sys

import torch
import triton
import triton.language as tl


@triton.jit
def handwritten_segsum_exp(cs_ptr, out_ptr, B, T, stride_cs_b, stride_cs_t, stride_out_b,
                       stride_out_i, stride_out_j, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr):
    # The hand-written kernel (its APPLY_EXP=True path), unchanged but for the launch.
    pid_b = tl.program_id(0)
    pid_m = tl.program_id(1)
    pid_n = tl.program_id(2)
    offs_m = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    mask_m = offs_m < T
    mask_n = offs_n < T
    mask_out = mask_m[:, None] & mask_n[None, :]
    cs_row_ptr = cs_ptr + pid_b * stride_cs_b
    out_ptrs = (out_ptr + pid_b * stride_out_b + offs_m[:, None] * stride_out_i
                + offs_n[None, :] * stride_out_j)
    if pid_m < pid_n:
        tl.store(out_ptrs, tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32), mask=mask_out)
        return
    cs_m = tl.load(cs_row_ptr + offs_m * stride_cs_t, mask=mask_m, other=0.0)
    cs_n = tl.load(cs_row_ptr + offs_n * stride_cs_t, mask=mask_n, other=0.0)
    diff = cs_m[:, None] - cs_n[None, :]
    tri_mask = (offs_m[:, None] >= offs_n[None, :]) & mask_out
    tl.store(out_ptrs, tl.where(tri_mask, tl.exp(diff), 0.0), mask=mask_out)


def handwritten(cs, block_m=64, block_n=64, num_warps=4):
    B, T = cs.shape
    out = torch.empty((B, T, T), device=cs.device, dtype=cs.dtype)
    # The fix: the grid is computed from B and T the launcher knows.
    grid = (B, triton.cdiv(T, block_m), triton.cdiv(T, block_n))
    handwritten_segsum_exp[grid](cs, out, B, T, cs.stride(0), cs.stride(1), out.stride(0),
                             out.stride(1), out.stride(2), BLOCK_M=block_m, BLOCK_N=block_n,
                             num_warps=num_warps)
    return out


def eager(cs):
    T = cs.shape[-1]
    lower = torch.tril(torch.ones(T, T, dtype=torch.bool, device=cs.device))
    return (cs[:, :, None] - cs[:, None, :]).masked_fill(~lower, float("-inf")).exp()


def max_rel_error(out, cs):
    diff = cs.double()[:, :, None] - cs.double()[:, None, :]
    T = cs.shape[-1]
    lower = torch.tril(torch.ones(T, T, dtype=torch.bool, device=cs.device))
    truth = torch.where(lower, diff.exp(), torch.zeros_like(diff))
    normal = truth >= torch.finfo(torch.float32).tiny
    return ((out.double() - truth).abs()[normal] / truth[normal]).max().item()


def main(argv):
    shapes = [(int(argv[i]), int(argv[i + 1])) for i in range(0, len(argv), 2)]
    torch.manual_seed(0)
    for B, T in shapes:
        steps = torch.empty(B, T, device="cuda").uniform_(-1.0, 0.25)
        cs = steps.cumsum(-1)
        peers = {"torch-eager": lambda: eager(cs)}
        for bm, bn, warps in [(64, 64, 4), (128, 64, 8), (32, 128, 4)]:
            peers[f"triton-handwritten[{bm}x{bn},w{warps}]"] = (
                lambda bm=bm, bn=bn, warps=warps: handwritten(cs, bm, bn, warps))
        for name, fn in peers.items():
            err = max_rel_error(fn(), cs)
            us = triton.testing.do_bench(fn, warmup=25, rep=200, return_mode="median") * 1e3
            print(f"PEER segsum_exp B={B} T={T} {name} median_us={us:.1f} max_rel_err={err:.2e}")


if __name__ == "__main__":
    main(sys.argv[1:])
