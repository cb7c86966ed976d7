"""ssdc.ssd.chunk_scan and final_states on the host target with x/B/C/z in
bf16 or fp16 and dt_limit: y in x's dtype within 1e-2 (and a relative-norm
error of 3e-3) of the float64 recurrence of the same rounded inputs, the f32
final states within 1e-4; bad dt_limits name themselves."""
import math

import pytest
import torch
import torch.nn.functional as F

import ssdc
from reference import allclose, mamba_inputs, ssd_recurrence


def call(t, chunk, fn=ssdc.ssd.chunk_scan, **extra):
    t = dict(t)
    return fn(t.pop("x"), t.pop("dt"), t.pop("A"), t.pop("B"), t.pop("C"), chunk, **t, **extra)


def truth(t, dt_limit):
    """The recurrence of dt' = clamp(softplus(dt + dt_bias), lo, hi), given as dt."""
    dt = t["dt"].double() + (t["dt_bias"].double() if "dt_bias" in t else 0)
    if t.get("dt_softplus"):
        dt = F.softplus(dt)
    dt = dt.clamp(*dt_limit)
    rest = {k: v for k, v in t.items() if k not in ("dt", "dt_bias", "dt_softplus")}
    return ssd_recurrence(dt=dt, **rest)


def low_precision_close(actual, expected):
    actual, expected = actual.double(), expected.double()
    assert torch.isfinite(actual).all(), "NaN or Inf in the output"
    diff = (actual - expected).abs()
    bad = diff > 1e-2 + 1e-2 * expected.abs()
    assert not bad.any(), f"{int(bad.sum())} elements off; max abs error {diff.max().item():.3e}"
    relative = (diff.norm() / expected.norm()).item()
    assert relative <= 3e-3, f"relative-norm error {relative:.2e}"


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_chunk_scan_low_precision_with_dt_limit(dtype):
    # softplus(dt + bias) spans about (0.01, 0.5): (0.05, 0.2) clamps both ends.
    t = mamba_inputs((3, 21, 4, 8, 6, 1), ("D", "z", "bias", "softplus", "init"), seed=11,
                     dtype=dtype)
    y, final = call(t, 8, dt_limit=(0.05, 0.2), return_final_states=True)
    assert y.dtype == dtype and y.shape == t["x"].shape and final.dtype == torch.float32
    truth_y, truth_final = truth(t, (0.05, 0.2))
    low_precision_close(y, truth_y)
    allclose(final, truth_final)
    # The clamp is not ignored: without it the output is another one.
    free_y, _ = truth(t, (0.0, math.inf))
    assert (free_y - truth_y).abs().max() > 1e-2
    without_y = {k: v for k, v in t.items() if k not in ("D", "z")}
    states = call(without_y, 8, fn=ssdc.ssd.final_states, dt_limit=(0.05, 0.2))
    allclose(states, truth_final)


def test_dt_limit_high_end_only_and_strided_bf16():
    t = mamba_inputs((2, 13, 4, 8, 4, 2), ("z", "strided", "softplus"), seed=3,
                     dtype=torch.bfloat16)
    assert not t["x"].is_contiguous()
    y = call(t, 4, dt_limit=(0.0, 0.1))
    low_precision_close(y, truth(t, (0.0, 0.1))[0])


def test_bad_dt_limits_name_themselves():
    t = mamba_inputs((1, 5, 2, 4, 4, 1), (), seed=1)
    with pytest.raises(Exception, match=r"dt_limit's low end dtLimitLo \(0\.5\) is above "
                                        r"its high end dtLimitHi \(0\.25\)"):
        call(t, 4, dt_limit=(0.5, 0.25))
    with pytest.raises(Exception, match=r"dtLimitHi \(dt_limit\) is NaN"):
        call(t, 4, dt_limit=(0.0, float("nan")))
    with pytest.raises(TypeError, match="dt_limit"):
        call(t, 4, dt_limit=0.5)
    with pytest.raises(TypeError, match="dt_limit"):
        call(t, 4, fn=ssdc.ssd.final_states, dt_limit=(1, 2, 3))
