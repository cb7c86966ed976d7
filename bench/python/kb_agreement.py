"""Do two honest fp32 evaluations of KernelBench 48/49 agree at KernelBench's
allclose(atol=1e-4, rtol=1e-4) on its own inputs?

KernelBench draws the Model's A with torch.randn (b, s, h): per chunk of 64
tokens cumsum(A) has a spread of about 8, so exp(segsum(A)) and exp(A_cs)
reach 1e10-1e16 and the outputs are sums of huge terms of both signs. An fp32
evaluation carries an error of about 6e-8 times the sum of the terms'
magnitudes, whatever the order of its operations, and allclose(1e-4) asks for
1e-4 (1 + |Y|): where the terms cancel to a small Y, no fp32 evaluation can
pass. This script measures it, element by element, for pairs of evaluations:

  * KernelBench's fp32 Model against the same Model in float64;
  * the fp32 Model against the fp32 Model with another contraction order
    (C B^T first, then the decays, then X; states summed in chunk order);
  * ssdc (ssdc.ssd.kernelbench: the host target on CPU tensors, the GPU on
    CUDA tensors) against each;
  * on a GPU: the Model on CPU against the Model on the GPU.

For each pair it reports whether allclose passes, how many elements fail,
the largest difference, and, where it fails, the cancellation: the sum of the
magnitudes of an element's terms (float64) over |its float64 value|.

    /usr/bin/python3 bench/python/kb_agreement.py [--batch 16] [--device cpu]

check_python.py imports `compare` and `term_magnitudes` for its GPU record.
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python-bindings", "tests"))
from reference import KernelBenchModel, segsum  # noqa: E402

INIT = (128, 8, 64, 16, 64)  # get_init_inputs() after the batch: seq, heads, d_head, d_state, L


def compare(actual, expected, truth, magnitude, atol=1e-4, rtol=1e-4):
    """allclose(actual, expected) as KernelBench checks it, and where it
    fails: count, largest difference and, given `magnitude` (the sum of the
    terms' magnitudes), median |truth| and cancellation (magnitude / |truth|)."""
    actual, expected = actual.double(), expected.double()
    diff = (actual - expected).abs()
    bad = diff > atol + rtol * expected.abs()
    out = dict(passed=not bool(bad.any()), failing=int(bad.sum()), elements=bad.numel(),
               max_abs_diff=diff.max().item())
    if out["failing"] and magnitude is not None:
        ratio = magnitude[bad] / truth[bad].abs().clamp_min(1e-300)
        out["median_abs_truth_failing"] = truth[bad].abs().median().item()
        out["median_cancellation_failing"] = ratio.median().item()
        out["median_magnitude_failing"] = magnitude[bad].median().item()
    return out


def describe(name, result):
    text = (f"{name}: allclose(1e-4) {'PASS' if result['passed'] else 'FAIL'}, "
            f"{result['failing']}/{result['elements']} elements off, max abs diff "
            f"{result['max_abs_diff']:.2e}")
    if "median_cancellation_failing" in result:
        text += (f"; where off: median |Y| {result['median_abs_truth_failing']:.2e}, median "
                 f"sum of |terms| {result['median_magnitude_failing']:.2e} (cancellation "
                 f"{result['median_cancellation_failing']:.1e}x)")
    return text


def chunked(A, B, C, X, L):
    """The Model's first steps: X, A, B, C split into chunks of L, A as
    (b, h, c, L), its chunk cumsum and the decay of each token to its chunk's end."""
    b, s = X.shape[:2]
    Xb, Ab, Bb, Cb = (t.reshape(b, s // L, L, *t.shape[2:]) for t in (X, A, B, C))
    Ab = Ab.permute(0, 3, 1, 2)
    A_cs = torch.cumsum(Ab, dim=-1)
    return Xb, Ab, Bb, Cb, A_cs, torch.exp(A_cs[:, :, :, -1:] - A_cs)


def term_magnitudes(model, X, final_state):
    """Per output element, the sum of the magnitudes of the terms the Model
    adds (float64): the scale an fp32 rounding error is relative to."""
    A, B, C, X = (t.detach().double() for t in (model.A, model.B, model.C, X))
    b, s, h, p = X.shape
    Xb, Ab, Bb, Cb, A_cs, decay = chunked(A, B, C, X, model.block_len)
    states_abs = torch.einsum("bclhn,bhcl,bclhp->bchpn", Bb.abs(), decay, Xb.abs())
    states = torch.einsum("bclhn,bhcl,bclhp->bchpn", Bb, decay, Xb)
    chunk_decay = torch.exp(segsum(F.pad(A_cs[:, :, :, -1], (1, 0))))
    states_abs = torch.cat([torch.zeros_like(states_abs[:, :1]), states_abs], dim=1)
    states = torch.cat([torch.zeros_like(states[:, :1]), states], dim=1)
    new_abs = torch.einsum("bhzc,bchpn->bzhpn", chunk_decay, states_abs)
    if final_state:
        return new_abs[:, -1]
    CB = torch.einsum("bclhn,bcshn->bclsh", Cb, Bb).abs()
    diag = torch.einsum("bclsh,bhcls,bcshp->bclhp", CB, torch.exp(segsum(Ab)), Xb.abs())
    new_states = torch.einsum("bhzc,bchpn->bzhpn", chunk_decay, states)
    off = torch.einsum("bclhn,bchpn,bhcl->bclhp", Cb.abs(), new_states[:, :-1].abs(),
                       torch.exp(A_cs))
    return (diag + off).reshape(b, s, h, p)


def reordered(model, X, final_state):
    """The Model's sums in fp32 in another order: C B^T per chunk first, then
    the decay, then X; the chunk states summed one chunk after another."""
    A, B, C = model.A, model.B, model.C
    b, s, h, p = X.shape
    c = s // model.block_len
    Xb, Ab, Bb, Cb, A_cs, decay = chunked(A, B, C, X, model.block_len)
    states = torch.einsum("bclhp,bclhn->bchpn", Xb * decay.permute(0, 2, 3, 1)[..., None], Bb)
    running = torch.zeros_like(states[:, 0])
    entering = []
    for chunk in range(c):
        entering.append(running)
        total = torch.exp(A_cs[:, :, chunk, -1])[:, :, None, None]
        running = running * total + states[:, chunk]
    if final_state:
        return running
    CB = torch.einsum("bclhn,bcshn->bchls", Cb, Bb) * torch.exp(segsum(Ab)).permute(0, 2, 1, 3, 4)
    Y_diag = torch.einsum("bchls,bcshp->bclhp", CB, Xb)
    entering = torch.stack(entering, dim=1)
    Y_off = torch.einsum("bclhn,bchpn->bclhp", Cb, entering) * \
        torch.exp(A_cs).permute(0, 2, 3, 1)[..., None]
    return (Y_diag + Y_off).reshape(b, s, h, p)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--ssdc-batch", type=int, default=None,
                        help="batch of the ssdc comparison (the host interpreter is slow)")
    parser.add_argument("--no-ssdc", action="store_true")
    args = parser.parse_args()
    torch.manual_seed(42)
    print(f"torch {torch.__version__}; KernelBench inputs at batch {args.batch}, seed 42, "
          f"on {args.device}")
    for final_state in (False, True):
        problem = 49 if final_state else 48
        torch.manual_seed(42)
        model = KernelBenchModel(args.batch, *INIT, final_state=final_state).to(args.device)
        torch.manual_seed(1234)
        X = torch.rand(args.batch, *INIT[:3], device=args.device)
        with torch.no_grad():
            y32 = model(X)
            model64 = KernelBenchModel(args.batch, *INIT, final_state=final_state)
            model64.load_state_dict(model.state_dict())
            model64 = model64.to(args.device).double()
            y64 = model64(X.double())
            magnitude = term_magnitudes(model, X, final_state)
            other = reordered(model, X, final_state)
        print(f"KB-{problem}: |Y| up to {y64.abs().max().item():.2e}, sum of |terms| up to "
              f"{magnitude.max().item():.2e}; rel-norm error vs float64: fp32 Model "
              f"{((y32.double() - y64).norm() / y64.norm()).item():.1e}, reordered fp32 "
              f"{((other.double() - y64).norm() / y64.norm()).item():.1e}")
        print("  " + describe("fp32 Model vs float64 Model", compare(y32, y64, y64, magnitude)))
        print("  " + describe("reordered fp32 vs fp32 Model", compare(other, y32, y64, magnitude)))
        print("  " + describe("reordered fp32 vs float64 Model",
                              compare(other, y64, y64, magnitude)))
        if args.no_ssdc:
            continue
        import ssdc.ssd
        n = args.ssdc_batch or args.batch
        with torch.no_grad():
            got = ssdc.ssd.kernelbench(X[:n], model.A[:n], model.B[:n], model.C[:n],
                                       model.block_len, return_final_state=final_state)
        sub = slice(0, n)
        label = f"ssdc ({'host' if args.device == 'cpu' else args.device}, batch {n})"
        print(f"  {label}: rel-norm error vs float64 "
              f"{((got.double() - y64[sub]).norm() / y64[sub].norm()).item():.1e}")
        print("  " + describe(f"{label} vs fp32 Model",
                              compare(got, y32[sub], y64[sub], magnitude[sub])))
        print("  " + describe(f"{label} vs float64 Model",
                              compare(got, y64[sub], y64[sub], magnitude[sub])))


if __name__ == "__main__":
    main()
